//! A fairness check as a human-oversight aid: how a sensitive column (gender, age band,
//! country) is spread over the segments compared with all customers, flagging segments
//! where a group's share is outside 0.8–1.25× its overall share (the "four-fifths" band
//! and its inverse). The column is only read for this, never used as a feature unless the
//! user chooses it.

use serde::{Deserialize, Serialize};

use crate::table::{ColumnData, Table};

/// Shares outside `[LOW, HIGH]` times the overall share are flagged.
pub const LOW: f64 = 0.8;
/// See [`LOW`].
pub const HIGH: f64 = 1.25;
/// Groups with fewer customers than this overall are shown but never flagged: their
/// shares swing by chance.
pub const MIN_GROUP: usize = 10;
/// Groups shown at most; smaller ones are pooled as "Other".
pub const MAX_GROUPS: usize = 8;

/// How one column's groups are spread over segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Composition {
    /// The sensitive column.
    pub column: String,
    /// Group names, largest first ("Other" pooled last, "Missing" for empty values).
    pub groups: Vec<String>,
    /// Customers per group overall.
    pub overall: Vec<usize>,
    /// Customers per segment and group: `segments[s][g]`.
    pub segments: Vec<Vec<usize>>,
    /// Segments where a group is over- or under-represented.
    pub flags: Vec<Flag>,
}

/// One over- or under-represented group in one segment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Segment number.
    pub segment: usize,
    /// Group index into [`Composition::groups`].
    pub group: usize,
    /// The group's share in the segment over its share among all customers.
    pub ratio: f64,
}

/// Whether `column` can be checked: a category, yes/no or short text column (at most
/// 30 distinct values) that is not personal data.
pub fn checkable(table: &Table, column: &str) -> bool {
    table.column(column).is_some_and(|c| {
        c.pii.is_none()
            && match &c.data {
                ColumnData::Category { levels, .. } => (2..=30).contains(&levels.len()),
                ColumnData::Boolean(_) => true,
                _ => false,
            }
    })
}

/// The composition of `column` over `k` segments (`labels[i]` is row `i`'s segment;
/// `None` rows are left out). `None` when the column is missing.
pub fn composition(
    table: &Table,
    column: &str,
    labels: &[Option<usize>],
    k: usize,
) -> Option<Composition> {
    let c = table.column(column)?;
    let values: Vec<String> = (0..table.n_rows())
        .map(|i| {
            let v = c.display(i);
            if v.trim().is_empty() {
                "Missing".to_owned()
            } else {
                v
            }
        })
        .collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (v, l) in values.iter().zip(labels) {
        if l.is_some() {
            *counts.entry(v.as_str()).or_insert(0) += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let pooled = ranked.len() > MAX_GROUPS;
    let kept = if pooled { MAX_GROUPS - 1 } else { ranked.len() };
    let mut groups: Vec<String> = ranked[..kept].iter().map(|(v, _)| v.to_string()).collect();
    if pooled {
        groups.push("Other".to_owned());
    }
    let index = |v: &str| {
        groups
            .iter()
            .position(|g| g == v)
            .unwrap_or(groups.len() - 1)
    };
    let mut overall = vec![0usize; groups.len()];
    let mut segments = vec![vec![0usize; groups.len()]; k];
    for (v, l) in values.iter().zip(labels) {
        if let Some(l) = l {
            let g = index(v);
            overall[g] += 1;
            if let Some(s) = segments.get_mut(*l) {
                s[g] += 1;
            }
        }
    }
    let total: usize = overall.iter().sum();
    let mut flags = Vec::new();
    for (s, row) in segments.iter().enumerate() {
        let size: usize = row.iter().sum();
        if size == 0 {
            continue;
        }
        for (g, &n) in row.iter().enumerate() {
            if overall[g] < MIN_GROUP {
                continue;
            }
            let ratio = (n as f64 / size as f64) / (overall[g] as f64 / total as f64);
            if !(LOW..=HIGH).contains(&ratio) {
                flags.push(Flag {
                    segment: s,
                    group: g,
                    ratio,
                });
            }
        }
    }
    Some(Composition {
        column: column.to_owned(),
        groups,
        overall,
        segments,
        flags,
    })
}

impl Composition {
    /// A flag in words: "Segment 'At risk': United Kingdom is 62% of it, 1.4× its share of
    /// all customers (44%)."
    pub fn sentence(&self, flag: &Flag, segment_name: &str) -> String {
        let size: usize = self.segments[flag.segment].iter().sum();
        let total: usize = self.overall.iter().sum();
        let here = self.segments[flag.segment][flag.group] as f64 / size.max(1) as f64;
        let everywhere = self.overall[flag.group] as f64 / total.max(1) as f64;
        format!(
            "{segment_name}: {} is {} of it, {}× its share of all customers ({}).",
            self.groups[flag.group],
            crate::numbers::percent(here, 0),
            crate::numbers::fixed(flag.ratio, 2),
            crate::numbers::percent(everywhere, 0)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};

    #[test]
    fn flags_groups_outside_four_fifths_and_five_fourths() {
        // 40 customers: 20 UK and 20 FR. Segment 0 holds 16 UK + 4 FR, segment 1 the rest.
        let mut csv = String::from("id,country\n");
        for i in 0..40 {
            csv.push_str(&format!("{i},{}\n", if i < 20 { "UK" } else { "FR" }));
        }
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert!(checkable(&t, "country"));
        let labels: Vec<Option<usize>> = (0..40)
            .map(|i| Some(usize::from(!((i < 16) || (20..24).contains(&i)))))
            .collect();
        let c = composition(&t, "country", &labels, 2).unwrap();
        assert_eq!(c.overall, vec![20, 20]);
        assert_eq!(c.segments[0].iter().sum::<usize>(), 20);
        // UK share in segment 0: 16/20 = 0.8 against 0.5 overall → 1.6×.
        let uk = c.groups.iter().position(|g| g == "UK").unwrap();
        let flag = c
            .flags
            .iter()
            .find(|f| f.segment == 0 && f.group == uk)
            .unwrap();
        assert!((flag.ratio - 1.6).abs() < 1e-12);
        assert_eq!(c.flags.len(), 4);
        assert_eq!(
            c.sentence(flag, "Champions"),
            "Champions: UK is 80% of it, 1.60× its share of all customers (50%)."
        );
        // Even spread: no flags.
        let even: Vec<Option<usize>> = (0..40).map(|i| Some(i % 2)).collect();
        assert!(
            composition(&t, "country", &even, 2)
                .unwrap()
                .flags
                .is_empty()
        );
    }
}
