//! An event log (email opens and clicks, site visits, …) → engagement features per
//! customer: how many events, of which kind, and how long since the last one.

use rustc_hash::FxHashMap;

use super::keys::Keys;
use super::orders::{Cleaning, CustomerTable, FeatureInfo, OrderError};
use super::roles::EventRoles;
use crate::date::DAY;
use crate::table::{Column, ColumnData, ColumnKind, MISSING_CODE, Table};

/// Most kinds of event that get their own count.
const TOP_KINDS: usize = 6;

/// Turns an event log into counts per customer, as of day `as_of` (default: the day after
/// the last event). Feature names start with `prefix` (the file's name), e.g.
/// `email_events_total`.
pub fn aggregate(
    log: &Table,
    roles: &EventRoles,
    prefix: &str,
    as_of: Option<i64>,
) -> Result<CustomerTable, OrderError> {
    let customer = log
        .column(&roles.customer)
        .ok_or_else(|| OrderError::UnknownColumn {
            role: "customer",
            name: roles.customer.clone(),
        })?;
    let date = log
        .column(&roles.date)
        .ok_or_else(|| OrderError::UnknownColumn {
            role: "date",
            name: roles.date.clone(),
        })?;
    let ColumnData::Date(dates) = &date.data else {
        return Err(OrderError::NotDates(roles.date.clone()));
    };
    let kinds = match &roles.event {
        Some(name) => match &log
            .column(name)
            .ok_or_else(|| OrderError::UnknownColumn {
                role: "event",
                name: name.clone(),
            })?
            .data
        {
            ColumnData::Category { codes, levels } => Some((codes.clone(), levels.clone())),
            _ => None,
        },
        None => None,
    };
    let keys = Keys::of(customer);
    let mut cleaning = Cleaning {
        rows: log.n_rows(),
        ..Cleaning::default()
    };
    let mut events: Vec<(u32, i64, u32)> = Vec::with_capacity(log.n_rows());
    for (i, (&c, d)) in keys.codes.iter().zip(dates).enumerate() {
        match (c, d) {
            (MISSING_CODE, _) => cleaning.without_customer += 1,
            (_, None) => cleaning.without_date += 1,
            (c, Some(t)) => events.push((
                c,
                *t,
                kinds.as_ref().map_or(MISSING_CODE, |(codes, _)| codes[i]),
            )),
        }
    }
    let last = events
        .iter()
        .map(|e| e.1.div_euclid(DAY))
        .max()
        .ok_or(OrderError::NoCustomers)?;
    let as_of = as_of.unwrap_or(last + 1);
    cleaning.as_of = as_of;
    let before = events.len();
    events.retain(|e| e.1.div_euclid(DAY) < as_of);
    cleaning.after_as_of = before - events.len();
    // The most frequent kinds get a count each.
    let top: Vec<u32> = match &kinds {
        Some((_, levels)) => {
            let mut counts = vec![0usize; levels.len()];
            for e in events.iter().filter(|e| e.2 != MISSING_CODE) {
                counts[e.2 as usize] += 1;
            }
            let mut order: Vec<u32> = (0..levels.len() as u32)
                .filter(|k| counts[*k as usize] > 0)
                .collect();
            order.sort_by(|a, b| counts[*b as usize].cmp(&counts[*a as usize]).then(a.cmp(b)));
            order.truncate(TOP_KINDS);
            order
        }
        None => Vec::new(),
    };
    let mut row_of: FxHashMap<u32, usize> = FxHashMap::default();
    let mut customers: Vec<u32> = Vec::new();
    for e in &events {
        row_of.entry(e.0).or_insert_with(|| {
            customers.push(e.0);
            customers.len() - 1
        });
    }
    let n = customers.len();
    let mut total = vec![0.0; n];
    let mut last_day = vec![i64::MIN; n];
    let mut by_kind = vec![vec![0.0; n]; top.len()];
    for e in &events {
        let r = row_of[&e.0];
        total[r] += 1.0;
        last_day[r] = last_day[r].max(e.1.div_euclid(DAY));
        if let Some(k) = top.iter().position(|k| *k == e.2) {
            by_kind[k][r] += 1.0;
        }
    }
    cleaning.customers = n;
    let mut columns = vec![Column {
        name: roles.customer.clone(),
        kind: ColumnKind::Id,
        data: ColumnData::Category {
            codes: (0..n as u32).collect(),
            levels: customers
                .iter()
                .map(|c| keys.names[*c as usize].clone())
                .collect(),
        },
        missing: 0,
        pii: None,
    }];
    let mut features = Vec::new();
    let mut add = |name: String, meaning: String, default: bool, values: Vec<f64>| {
        columns.push(Column {
            name: name.clone(),
            kind: ColumnKind::Integer,
            data: ColumnData::Number(values),
            missing: 0,
            pii: None,
        });
        features.push(FeatureInfo {
            name,
            meaning,
            default,
        });
    };
    add(
        format!("{prefix}_total"),
        format!("Events in {prefix}"),
        true,
        total,
    );
    add(
        format!("{prefix}_days_since_last"),
        format!("Days since the last event in {prefix}"),
        true,
        last_day.iter().map(|d| (as_of - d) as f64).collect(),
    );
    if let Some((_, levels)) = &kinds {
        for (k, kind) in top.iter().enumerate() {
            let label = &levels[*kind as usize];
            add(
                format!("{prefix}_{}", slug(label)),
                format!("“{label}” events in {prefix}"),
                false,
                std::mem::take(&mut by_kind[k]),
            );
        }
    }
    Ok(CustomerTable {
        table: Table::new(columns, n),
        features,
        cleaning,
        keys: customers
            .iter()
            .map(|c| keys.normalized[*c as usize].clone())
            .collect(),
    })
}

/// A name usable as part of a column name: ASCII lower case, `_` between words
/// (`Home décor` → `home_decor`).
pub fn slug(text: &str) -> String {
    let mut s = String::new();
    for ch in text.chars() {
        let folded = fold_accent(ch);
        if folded.is_ascii_alphanumeric() {
            s.push(folded.to_ascii_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    s.trim_matches('_').to_owned()
}

/// Latin letters with accents → the plain letter; anything else unchanged.
fn fold_accent(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ß' => 's',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    #[test]
    fn counts_per_customer_and_kind() {
        let csv = "customer_id,event_time,event\nC1,2024-01-01 10:00,open\nC1,2024-01-02 10:00,click\nC2,2024-01-02 11:00,open\nc1,2024-01-03 10:00,open\n,2024-01-03 10:00,open\n";
        let log = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        let roles = EventRoles {
            customer: "customer_id".into(),
            date: "event_time".into(),
            event: Some("event".into()),
        };
        let t = aggregate(&log, &roles, "email", None).unwrap();
        assert_eq!(t.cleaning.without_customer, 1);
        assert_eq!(t.table.n_rows(), 2);
        let col = |n: &str| t.table.column(n).unwrap().numbers().unwrap().to_vec();
        assert_eq!(col("email_total"), vec![3.0, 1.0]);
        assert_eq!(col("email_open"), vec![2.0, 1.0]);
        assert_eq!(col("email_click"), vec![1.0, 0.0]);
        assert_eq!(col("email_days_since_last"), vec![1.0, 2.0]);
        assert_eq!(slug("Home décor & more"), "home_decor_more");
    }
}
