//! A transaction log (one row per order line) → one row of behavioural features per
//! customer, as of an analysis date.
//!
//! Rows are cleaned by explicit rules, applied in this order and each counted in
//! [`Cleaning`] so the page can say what was done:
//!
//! 1. exact duplicate rows are removed;
//! 2. rows without a customer id, then rows without a date, are left out;
//! 3. rows dated after the analysis date are left out;
//! 4. adjustments — invoices starting with `A` or negative prices — are left out;
//! 5. cancellations — invoices starting with `C` or negative quantities/amounts — count as
//!    returns, not purchases;
//! 6. lines with a zero price (or zero amount) are left out;
//! 7. everything else is a purchase.
//!
//! Every customer with at least one row left after steps 1–3 gets a row of features.

use std::borrow::Cow;
use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::btyd::{TimeUnit, summarize};
use super::events::slug;
use super::keys::Keys;
use crate::date::{DAY, civil_from_days, weekday};
use crate::table::{Column, ColumnData, ColumnKind, MISSING_CODE, Table};

/// Which columns play which part in a transaction log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRoles {
    /// The customer's id.
    pub customer: String,
    /// When the line was ordered.
    pub date: String,
    /// The line's value.
    pub amount: Amount,
    /// Order or invoice number (lines with the same number are one order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<String>,
    /// Product code or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Product category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Sales channel (web, app, store, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

/// Where a line's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum Amount {
    /// A column holding the line's value.
    Column {
        /// Column name.
        name: String,
    },
    /// Quantity times unit price.
    QuantityPrice {
        /// Quantity column.
        quantity: String,
        /// Unit price column.
        price: String,
    },
}

/// Settings for turning a log into features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderOptions {
    /// The analysis date as a day number (days since 1970-01-01); `None` means the day
    /// after the last date in the log.
    #[serde(default)]
    pub as_of: Option<i64>,
    /// Unit of the buy-till-you-die summary.
    #[serde(default)]
    pub unit: TimeUnit,
    /// Length of the periods compared by the purchase trend, in days.
    #[serde(default = "default_trend_days")]
    pub trend_days: i64,
    /// How many of the largest categories get a spend-share feature.
    #[serde(default = "default_top_categories")]
    pub top_categories: usize,
}

fn default_trend_days() -> i64 {
    90
}

fn default_top_categories() -> usize {
    5
}

impl Default for OrderOptions {
    fn default() -> Self {
        OrderOptions {
            as_of: None,
            unit: TimeUnit::Days,
            trend_days: default_trend_days(),
            top_categories: default_top_categories(),
        }
    }
}

/// Why a log cannot be turned into features.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum OrderError {
    /// A role names a column that does not exist.
    #[error("The {role} column '{name}' is not in this file. Choose another column for it.")]
    UnknownColumn {
        /// The role.
        role: &'static str,
        /// The column name.
        name: String,
    },
    /// The date column does not hold dates.
    #[error(
        "The column '{0}' does not hold dates, so it cannot be the order date. Choose the column with the order date, or fix the date format under Reading settings."
    )]
    NotDates(String),
    /// A value column does not hold numbers.
    #[error("The {role} column '{name}' does not hold numbers. Choose a column with amounts.")]
    NotNumbers {
        /// The role.
        role: &'static str,
        /// The column name.
        name: String,
    },
    /// Nothing left after cleaning.
    #[error(
        "No row has both a customer id and a date, so there are no customers to describe. Check which columns hold the customer id and the order date."
    )]
    NoCustomers,
}

/// What cleaning did, counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cleaning {
    /// Rows in the log.
    pub rows: usize,
    /// Exact duplicate rows removed.
    pub duplicates: usize,
    /// Rows left out for lack of a customer id.
    pub without_customer: usize,
    /// Rows left out for lack of a date.
    pub without_date: usize,
    /// Rows after the analysis date, left out.
    pub after_as_of: usize,
    /// Adjustments (invoice `A…` or negative price), left out.
    pub adjustments: usize,
    /// Cancellations and returns, counted as returns.
    pub returns: usize,
    /// Lines with a zero price, left out.
    pub zero_price: usize,
    /// Purchase lines used.
    pub purchases: usize,
    /// Customers described.
    pub customers: usize,
    /// Of those, customers with returns or zero-price lines only.
    pub customers_without_purchases: usize,
    /// The analysis date, as a day number.
    pub as_of: i64,
}

impl Cleaning {
    /// What was done, as sentences for the page (only the rules that applied).
    pub fn notes(&self) -> Vec<String> {
        let n = |k: usize| crate::numbers::count(k);
        let mut notes = Vec::new();
        if self.duplicates > 0 {
            notes.push(format!(
                "{} exact duplicate rows were removed.",
                n(self.duplicates)
            ));
        }
        if self.without_customer > 0 {
            notes.push(format!(
                "{} rows without a customer id were left out.",
                n(self.without_customer)
            ));
        }
        if self.without_date > 0 {
            notes.push(format!(
                "{} rows without a date were left out.",
                n(self.without_date)
            ));
        }
        if self.after_as_of > 0 {
            notes.push(format!(
                "{} rows after the analysis date were left out.",
                n(self.after_as_of)
            ));
        }
        if self.adjustments > 0 {
            notes.push(format!(
                "{} adjustment rows (invoices starting with A, or negative prices) were left out.",
                n(self.adjustments)
            ));
        }
        if self.returns > 0 {
            notes.push(format!("{} cancelled or returned lines (invoices starting with C, or negative quantities) count as returns, not purchases.", n(self.returns)));
        }
        if self.zero_price > 0 {
            notes.push(format!(
                "{} lines with a price of zero were left out.",
                n(self.zero_price)
            ));
        }
        if self.customers_without_purchases > 0 {
            notes.push(format!(
                "{} customers have returns only, no purchases.",
                n(self.customers_without_purchases)
            ));
        }
        notes
    }
}

/// A feature of the customer table: what it means and whether to use it by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    /// Column name.
    pub name: String,
    /// One line a marketer understands.
    pub meaning: String,
    /// Used for segments unless the user unticks it.
    pub default: bool,
}

/// One row per customer, built from a log.
#[derive(Debug, Clone)]
pub struct CustomerTable {
    /// The customer id column first, then the features.
    pub table: Table,
    /// What each feature means.
    pub features: Vec<FeatureInfo>,
    /// What cleaning did.
    pub cleaning: Cleaning,
    /// Normalized key of each customer row, for joining other files.
    pub keys: Vec<String>,
}

#[derive(Clone, Copy)]
enum Kind {
    Purchase,
    Return,
}

/// One kept order line. Lines are grouped by customer outside (`Groups`), and a return
/// is told by the sign of `signed`, so that a line takes 32 bytes: ten million of them
/// are the largest thing held while a big log becomes customers.
#[derive(Clone, Copy)]
struct Line {
    time: i64,
    /// The line's value, negated for a return (`-0.0` and a negative NaN count too).
    signed: f64,
    invoice: u32,
    product: u32,
    category: u32,
    channel: u32,
}

impl Line {
    fn kind(&self) -> Kind {
        if self.signed.is_sign_negative() {
            Kind::Return
        } else {
            Kind::Purchase
        }
    }

    fn is_purchase(&self) -> bool {
        matches!(self.kind(), Kind::Purchase)
    }

    /// The line's value (never negative).
    fn value(&self) -> f64 {
        self.signed.abs()
    }
}

/// Where each customer's lines start, in order of customer: `(customer, first line)`.
type Groups = Vec<(u32, usize)>;

/// Each customer's lines, in the order of `groups`.
fn ranges(groups: &Groups, lines: usize) -> Vec<std::ops::Range<usize>> {
    groups
        .iter()
        .enumerate()
        .map(|(g, &(_, start))| start..groups.get(g + 1).map_or(lines, |next| next.1))
        .collect()
}

fn column<'t>(table: &'t Table, role: &'static str, name: &str) -> Result<&'t Column, OrderError> {
    table.column(name).ok_or_else(|| OrderError::UnknownColumn {
        role,
        name: name.to_owned(),
    })
}

fn numeric<'t>(table: &'t Table, role: &'static str, name: &str) -> Result<&'t Column, OrderError> {
    let c = column(table, role, name)?;
    if c.kind.is_numeric() {
        Ok(c)
    } else {
        Err(OrderError::NotNumbers {
            role,
            name: name.to_owned(),
        })
    }
}

/// Codes per row and the label of each code.
/// Codes and labels, borrowed from the table when it holds them already (a copy per role
/// was 41 MB each on a ten-million-line log).
type Labels<'t> = (Cow<'t, [u32]>, Cow<'t, [String]>);

/// Dictionary codes for an optional column (missing → [`MISSING_CODE`]) and its labels.
fn codes<'t>(
    table: &'t Table,
    role: &'static str,
    name: Option<&str>,
) -> Result<Option<Labels<'t>>, OrderError> {
    let Some(name) = name else { return Ok(None) };
    let c = column(table, role, name)?;
    Ok(Some(match &c.data {
        ColumnData::Category { codes, levels } => {
            (Cow::Borrowed(&codes[..]), Cow::Borrowed(&levels[..]))
        }
        _ => {
            let keys = Keys::of(c);
            (Cow::Owned(keys.codes), Cow::Owned(keys.names))
        }
    }))
}

/// Hashes row `i` of every column twice (two independent 64-bit hashes), to find exact
/// duplicates without comparing rows pairwise.
fn row_hash(table: &Table, i: usize) -> (u64, u64) {
    let mut a = FxHasher::default();
    let mut b = std::collections::hash_map::DefaultHasher::new();
    for c in table.columns() {
        let v: u64 = match &c.data {
            ColumnData::Number(v) => v.get(i).map_or(0, |x| x.to_bits()),
            ColumnData::Boolean(v) => v.get(i).map_or(3, |x| x.map_or(2, u64::from)),
            ColumnData::Date(v) => v.get(i).copied().flatten().map_or(u64::MAX, |d| d as u64),
            ColumnData::Category { codes, .. } => codes.get(i).copied().map_or(u64::MAX, u64::from),
            ColumnData::Text(t) => {
                let mut h = FxHasher::default();
                h.write(t.get(i).as_bytes());
                h.finish()
            }
        };
        a.write_u64(v);
        b.write_u64(v);
    }
    (a.finish(), b.finish())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Turns a transaction log into one row of features per customer.
pub fn aggregate(
    log: &Table,
    roles: &OrderRoles,
    options: &OrderOptions,
) -> Result<CustomerTable, OrderError> {
    let customer_col = column(log, "customer", &roles.customer)?;
    let date_col = column(log, "date", &roles.date)?;
    let ColumnData::Date(dates) = &date_col.data else {
        return Err(OrderError::NotDates(roles.date.clone()));
    };
    let (value_col, price_col, quantity_col) = match &roles.amount {
        Amount::Column { name } => (Some(numeric(log, "amount", name)?), None, None),
        Amount::QuantityPrice { quantity, price } => (
            None,
            Some(numeric(log, "price", price)?),
            Some(numeric(log, "quantity", quantity)?),
        ),
    };
    let keys = Keys::of(customer_col);
    let invoices = codes(log, "invoice", roles.invoice.as_deref())?;
    let products = codes(log, "product", roles.product.as_deref())?;
    let categories = codes(log, "category", roles.category.as_deref())?;
    let channels = codes(log, "channel", roles.channel.as_deref())?;
    let prefix = |c: char| -> Vec<bool> {
        invoices.as_ref().map_or_else(Vec::new, |(_, levels)| {
            levels
                .iter()
                .map(|l| l.trim_start().starts_with([c, c.to_ascii_lowercase()]))
                .collect()
        })
    };
    let (cancelled_invoice, adjustment_invoice) = (prefix('C'), prefix('A'));

    let n = log.n_rows();
    let mut cleaning = Cleaning {
        rows: n,
        ..Cleaning::default()
    };
    // Rows with a customer and a time, as row numbers, in the order of customer, time and
    // row; the others are only counted. A row repeated exactly counts as a duplicate once
    // seen before: repeats share their customer and time, so they are looked for among
    // rows lacking one, and then within each customer's rows at one time (no set of
    // every row's hash, which took 0.3 GB on a ten-million-line log).
    let mut kept: Vec<u32> = Vec::with_capacity(n);
    let mut incomplete: FxHashSet<(u64, u64)> = FxHashSet::default();
    for (i, (&customer, date)) in keys.codes.iter().zip(dates).enumerate() {
        if customer != MISSING_CODE && date.is_some() {
            kept.push(u32::try_from(i).unwrap_or(u32::MAX));
        } else if !incomplete.insert(row_hash(log, i)) {
            cleaning.duplicates += 1;
        } else if customer == MISSING_CODE {
            cleaning.without_customer += 1;
        } else {
            cleaning.without_date += 1;
        }
    }
    drop(incomplete);
    let when = |i: u32| -> (u32, i64) {
        let i = i as usize;
        (keys.codes[i], dates[i].unwrap_or(0))
    };
    kept.sort_unstable_by_key(|&i| (when(i), i));
    let mut group = None;
    let mut group_rows: FxHashSet<(u64, u64)> = FxHashSet::default();
    kept.retain(|&i| {
        if group != Some(when(i)) {
            group = Some(when(i));
            // A set grown by one large group is dropped rather than cleared each time.
            if group_rows.capacity() > 1024 {
                group_rows = FxHashSet::default();
            }
            group_rows.clear();
        }
        let fresh = group_rows.insert(row_hash(log, i as usize));
        cleaning.duplicates += usize::from(!fresh);
        fresh
    });
    drop(group_rows);
    if kept.is_empty() {
        return Err(OrderError::NoCustomers);
    }
    let last_day = kept
        .iter()
        .map(|&i| when(i).1.div_euclid(DAY))
        .max()
        .unwrap_or(0);
    let as_of = options.as_of.unwrap_or(last_day + 1);
    cleaning.as_of = as_of;

    let code_at =
        |c: &Option<Labels<'_>>, i: usize| c.as_ref().map_or(MISSING_CODE, |(codes, _)| codes[i]);
    let mut lines: Vec<Line> = Vec::with_capacity(kept.len());
    let mut groups: Groups = Vec::new();
    for i in kept {
        let i = i as usize;
        let (Some(&customer), Some(&Some(time))) = (keys.codes.get(i), dates.get(i)) else {
            continue;
        };
        if time.div_euclid(DAY) >= as_of {
            cleaning.after_as_of += 1;
            continue;
        }
        // Every customer with a line up to the analysis date is one, even if no line
        // is kept.
        if groups.last().map(|g| g.0) != Some(customer) {
            groups.push((customer, lines.len()));
        }
        let invoice = code_at(&invoices, i);
        let flagged = |flags: &[bool]| flags.get(invoice as usize).copied().unwrap_or(false);
        let (value, price, quantity) = match (value_col, price_col, quantity_col) {
            (Some(v), _, _) => {
                let v = v.number_at(i);
                (v, v, v)
            }
            (_, Some(p), Some(q)) => {
                let (p, q) = (p.number_at(i), q.number_at(i));
                (p * q, p, q)
            }
            _ => (f64::NAN, f64::NAN, f64::NAN),
        };
        let line = |kind| Line {
            time,
            signed: match kind {
                Kind::Purchase => value.abs(),
                Kind::Return => -value.abs(),
            },
            invoice,
            product: code_at(&products, i),
            category: code_at(&categories, i),
            channel: code_at(&channels, i),
        };
        if flagged(&adjustment_invoice) || price < 0.0 && quantity >= 0.0 {
            cleaning.adjustments += 1;
        } else if flagged(&cancelled_invoice) || quantity < 0.0 || value < 0.0 {
            cleaning.returns += 1;
            lines.push(line(Kind::Return));
        } else if value.is_nan() || value == 0.0 {
            cleaning.zero_price += 1;
        } else {
            cleaning.purchases += 1;
            lines.push(line(Kind::Purchase));
        }
    }
    if groups.is_empty() {
        return Err(OrderError::NoCustomers);
    }
    // `lines` is in order of customer and time already (ties in row order), as `kept` was.

    // The largest categories by spend get a share feature each.
    let top_categories: Vec<u32> = match &categories {
        Some((_, levels)) if options.top_categories > 0 => {
            let mut spend = vec![0.0; levels.len()];
            for l in lines
                .iter()
                .filter(|l| l.is_purchase() && l.category != MISSING_CODE)
            {
                spend[l.category as usize] += l.value();
            }
            let mut order: Vec<u32> = (0..levels.len() as u32)
                .filter(|c| spend[*c as usize] > 0.0)
                .collect();
            order.sort_by(|a, b| {
                spend[*b as usize]
                    .total_cmp(&spend[*a as usize])
                    .then(a.cmp(b))
            });
            order.truncate(options.top_categories);
            order
        }
        _ => Vec::new(),
    };

    // In order of customer code, as `kept` was.
    let customers: Vec<u32> = groups.iter().map(|g| g.0).collect();
    let spans = ranges(&groups, lines.len());
    drop(groups);
    let mut rows = Rows::new(customers.len(), top_categories.len());
    for (r, span) in spans.iter().enumerate() {
        let mine = &lines[span.clone()];
        rows.fill(r, mine, as_of, options, &top_categories);
        if !mine.iter().any(Line::is_purchase) {
            cleaning.customers_without_purchases += 1;
        }
    }
    cleaning.customers = customers.len();

    let attributes = attributes(
        log,
        roles,
        &keys,
        &customers,
        &lines,
        &spans,
        channels.as_ref(),
    );
    let category_names: Vec<String> = top_categories
        .iter()
        .filter_map(|c| {
            categories
                .as_ref()
                .and_then(|(_, levels)| levels.get(*c as usize))
                .cloned()
        })
        .collect();
    let unit = match options.unit {
        TimeUnit::Days => "days",
        TimeUnit::Weeks => "weeks",
    };
    let mut columns = vec![Column {
        name: roles.customer.clone(),
        kind: ColumnKind::Id,
        data: ColumnData::Category {
            codes: (0..customers.len() as u32).collect(),
            levels: customers
                .iter()
                .map(|c| keys.names[*c as usize].clone())
                .collect(),
        },
        missing: 0,
        pii: None,
    }];
    let mut features = Vec::new();
    let mut add =
        |name: String, meaning: String, default: bool, kind: ColumnKind, values: Vec<f64>| {
            let missing = values.iter().filter(|v| v.is_nan()).count();
            columns.push(Column {
                name: name.clone(),
                kind,
                data: ColumnData::Number(values),
                missing,
                pii: None,
            });
            features.push(FeatureInfo {
                name,
                meaning,
                default,
            });
        };
    use ColumnKind::{Integer, Numeric};
    add(
        "recency_days".into(),
        "Days since the last order".into(),
        true,
        Integer,
        rows.recency,
    );
    add(
        "frequency".into(),
        "Number of orders".into(),
        true,
        Integer,
        rows.frequency,
    );
    add(
        "purchase_days".into(),
        "Days with at least one order".into(),
        false,
        Integer,
        rows.purchase_days,
    );
    add(
        "monetary_total".into(),
        "Total spent".into(),
        true,
        Numeric,
        rows.monetary_total,
    );
    add(
        "monetary_mean".into(),
        "Average order value".into(),
        true,
        Numeric,
        rows.monetary_mean,
    );
    add(
        "tenure_days".into(),
        "Days since the first order".into(),
        true,
        Integer,
        rows.tenure,
    );
    add(
        "interpurchase_mean_days".into(),
        "Typical days between orders (empty with a single order day)".into(),
        false,
        Numeric,
        rows.gap_mean,
    );
    add(
        "interpurchase_sd_days".into(),
        "How irregular the gaps between orders are, in days".into(),
        false,
        Numeric,
        rows.gap_sd,
    );
    add(
        "purchase_trend".into(),
        format!(
            "Orders in the last {0} days against the {0} days before: −1 stopped, 0 steady, +1 new or growing",
            options.trend_days
        ),
        true,
        Numeric,
        rows.trend,
    );
    add(
        "return_share".into(),
        "Share of the value bought that was returned or cancelled".into(),
        true,
        Numeric,
        rows.return_share,
    );
    if products.is_some() {
        add(
            "distinct_products".into(),
            "Different products bought".into(),
            false,
            Integer,
            rows.distinct_products,
        );
    }
    if categories.is_some() {
        add(
            "distinct_categories".into(),
            "Different categories bought".into(),
            false,
            Integer,
            rows.distinct_categories,
        );
    }
    for (k, name) in category_names.iter().enumerate() {
        add(
            format!("share_{}", slug(name)),
            format!("Share of spend on {name}"),
            false,
            Numeric,
            rows.category_share[k].clone(),
        );
    }
    add(
        "weekend_share".into(),
        "Share of orders placed on Saturday or Sunday".into(),
        false,
        Numeric,
        rows.weekend,
    );
    add(
        "x".into(),
        "Repeat purchase days (for lifetime value)".into(),
        false,
        Integer,
        rows.x,
    );
    add(
        "t_x".into(),
        format!("First to last purchase, in {unit} (for lifetime value)"),
        false,
        Numeric,
        rows.t_x,
    );
    add(
        "T".into(),
        format!("First purchase to the analysis date, in {unit} (for lifetime value)"),
        false,
        Numeric,
        rows.big_t,
    );
    add(
        "monetary_repeat_mean".into(),
        "Average value of a repeat purchase day (for lifetime value)".into(),
        false,
        Numeric,
        rows.monetary_repeat,
    );
    columns.push(category_column(
        "peak_month",
        rows.peak_month
            .iter()
            .map(|m| m.map(|m| MONTHS[m].to_owned()))
            .collect(),
    ));
    features.push(FeatureInfo {
        name: "peak_month".into(),
        meaning: "Month with the most orders".into(),
        default: false,
    });
    for (name, values) in attributes {
        columns.push(category_column(&name, values));
    }
    let table = Table::new(columns, customers.len());
    Ok(CustomerTable {
        table,
        features,
        cleaning,
        keys: customers
            .iter()
            .map(|c| keys.normalized[*c as usize].clone())
            .collect(),
    })
}

/// A categorical column from optional labels, dictionary-encoded in first-seen order.
fn category_column(name: &str, values: Vec<Option<String>>) -> Column {
    let mut index: FxHashMap<String, u32> = FxHashMap::default();
    let mut levels = Vec::new();
    let mut missing = 0;
    let codes = values
        .into_iter()
        .map(|v| match v {
            None => {
                missing += 1;
                MISSING_CODE
            }
            Some(v) => *index.entry(v.clone()).or_insert_with(|| {
                levels.push(v);
                (levels.len() - 1) as u32
            }),
        })
        .collect();
    Column {
        name: name.to_owned(),
        kind: ColumnKind::Categorical,
        data: ColumnData::Category { codes, levels },
        missing,
        pii: None,
    }
}

/// Per-customer attributes carried over from the log: the main channel, and for every
/// other categorical column (such as Country) the customer's most frequent value.
fn attributes(
    log: &Table,
    roles: &OrderRoles,
    keys: &Keys,
    customers: &[u32],
    lines: &[Line],
    spans: &[std::ops::Range<usize>],
    channels: Option<&Labels<'_>>,
) -> Vec<(String, Vec<Option<String>>)> {
    let row_of: FxHashMap<u32, usize> =
        customers.iter().enumerate().map(|(r, c)| (*c, r)).collect();
    let mut out = Vec::new();
    if let Some((_, levels)) = channels {
        let mut counts = vec![FxHashMap::<u32, usize>::default(); customers.len()];
        for (counts, span) in counts.iter_mut().zip(spans) {
            for l in lines[span.clone()]
                .iter()
                .filter(|l| l.channel != MISSING_CODE)
            {
                *counts.entry(l.channel).or_default() += 1;
            }
        }
        out.push((
            "main_channel".to_owned(),
            counts
                .iter()
                .map(|c| mode(c).and_then(|k| levels.get(k as usize).cloned()))
                .collect(),
        ));
    }
    let taken: Vec<&str> = [
        Some(roles.customer.as_str()),
        roles.category.as_deref(),
        roles.channel.as_deref(),
        roles.product.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for c in log
        .columns()
        .iter()
        .filter(|c| c.kind == ColumnKind::Categorical && !taken.contains(&c.name.as_str()))
    {
        let ColumnData::Category { codes, levels } = &c.data else {
            continue;
        };
        let mut counts = vec![FxHashMap::<u32, usize>::default(); customers.len()];
        for (i, code) in codes.iter().enumerate() {
            if *code == MISSING_CODE {
                continue;
            }
            if let Some(r) = row_of.get(&keys.codes[i]) {
                *counts[*r].entry(*code).or_default() += 1;
            }
        }
        out.push((
            c.name.clone(),
            counts
                .iter()
                .map(|m| mode(m).and_then(|k| levels.get(k as usize).cloned()))
                .collect(),
        ));
    }
    out
}

/// The most frequent key (ties: the smallest).
fn mode(counts: &FxHashMap<u32, usize>) -> Option<u32> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| *k)
}

/// Feature values, one vector per feature, filled customer by customer.
struct Rows {
    recency: Vec<f64>,
    frequency: Vec<f64>,
    purchase_days: Vec<f64>,
    monetary_total: Vec<f64>,
    monetary_mean: Vec<f64>,
    tenure: Vec<f64>,
    gap_mean: Vec<f64>,
    gap_sd: Vec<f64>,
    trend: Vec<f64>,
    return_share: Vec<f64>,
    distinct_products: Vec<f64>,
    distinct_categories: Vec<f64>,
    category_share: Vec<Vec<f64>>,
    weekend: Vec<f64>,
    x: Vec<f64>,
    t_x: Vec<f64>,
    big_t: Vec<f64>,
    monetary_repeat: Vec<f64>,
    peak_month: Vec<Option<usize>>,
}

impl Rows {
    fn new(n: usize, categories: usize) -> Rows {
        let v = || vec![f64::NAN; n];
        Rows {
            recency: v(),
            frequency: v(),
            purchase_days: v(),
            monetary_total: v(),
            monetary_mean: v(),
            tenure: v(),
            gap_mean: v(),
            gap_sd: v(),
            trend: v(),
            return_share: v(),
            distinct_products: v(),
            distinct_categories: v(),
            category_share: (0..categories).map(|_| v()).collect(),
            weekend: v(),
            x: v(),
            t_x: v(),
            big_t: v(),
            monetary_repeat: v(),
            peak_month: vec![None; n],
        }
    }

    /// Fills row `r` from one customer's lines, sorted by time.
    fn fill(&mut self, r: usize, lines: &[Line], as_of: i64, options: &OrderOptions, top: &[u32]) {
        let purchases: Vec<&Line> = lines.iter().filter(|l| l.is_purchase()).collect();
        let returned: f64 = lines
            .iter()
            .filter(|l| !l.is_purchase())
            .map(Line::value)
            .sum();
        let day = |t: i64| t.div_euclid(DAY);
        // Orders: lines sharing an invoice number, or a timestamp when there is none.
        let mut orders: Vec<(i64, f64)> = Vec::new();
        let mut index: FxHashMap<(u32, i64), usize> = FxHashMap::default();
        for l in &purchases {
            let key = if l.invoice == MISSING_CODE {
                (MISSING_CODE, l.time)
            } else {
                (l.invoice, 0)
            };
            match index.get(&key) {
                Some(&o) => orders[o].1 += l.value(),
                None => {
                    index.insert(key, orders.len());
                    orders.push((l.time, l.value()));
                }
            }
        }
        let spent: f64 = orders.iter().map(|(_, v)| v).sum();
        let last_any = lines.last().map_or(as_of, |l| day(l.time));
        self.return_share[r] = if spent > 0.0 {
            (returned / spent).min(1.0)
        } else if returned > 0.0 {
            1.0
        } else {
            0.0
        };
        self.frequency[r] = orders.len() as f64;
        self.monetary_total[r] = spent;
        if orders.is_empty() {
            // Returns only: measured from the returns; nothing at all: unknown.
            let first_any = lines.first().map(|l| day(l.time));
            self.recency[r] = first_any.map_or(f64::NAN, |_| (as_of - last_any) as f64);
            self.tenure[r] = first_any.map_or(f64::NAN, |f| (as_of - f) as f64);
            self.purchase_days[r] = 0.0;
            self.trend[r] = 0.0;
            self.monetary_mean[r] = 0.0;
            return;
        }
        let mut days: Vec<i64> = orders.iter().map(|(t, _)| day(*t)).collect();
        days.sort_unstable();
        days.dedup();
        let (first, last) = (days[0], days[days.len() - 1]);
        self.recency[r] = (as_of - last) as f64;
        self.tenure[r] = (as_of - first) as f64;
        self.purchase_days[r] = days.len() as f64;
        self.monetary_mean[r] = spent / orders.len() as f64;
        if days.len() >= 2 {
            let gaps: Vec<f64> = days.windows(2).map(|w| (w[1] - w[0]) as f64).collect();
            let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
            self.gap_mean[r] = mean;
            self.gap_sd[r] =
                (gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len() as f64).sqrt();
        }
        let w = options.trend_days.max(1);
        let recent = orders.iter().filter(|(t, _)| day(*t) >= as_of - w).count() as f64;
        let before = orders
            .iter()
            .filter(|(t, _)| (as_of - 2 * w..as_of - w).contains(&day(*t)))
            .count() as f64;
        self.trend[r] = if recent + before > 0.0 {
            (recent - before) / (recent + before)
        } else {
            0.0
        };
        let mut products: Vec<u32> = purchases
            .iter()
            .map(|l| l.product)
            .filter(|p| *p != MISSING_CODE)
            .collect();
        products.sort_unstable();
        products.dedup();
        self.distinct_products[r] = products.len() as f64;
        let mut cats: Vec<u32> = purchases
            .iter()
            .map(|l| l.category)
            .filter(|c| *c != MISSING_CODE)
            .collect();
        cats.sort_unstable();
        cats.dedup();
        self.distinct_categories[r] = cats.len() as f64;
        for (k, cat) in top.iter().enumerate() {
            let in_cat: f64 = purchases
                .iter()
                .filter(|l| l.category == *cat)
                .map(|l| l.value())
                .sum();
            self.category_share[k][r] = if spent > 0.0 { in_cat / spent } else { 0.0 };
        }
        self.weekend[r] = orders.iter().filter(|(t, _)| weekday(day(*t)) >= 5).count() as f64
            / orders.len() as f64;
        let mut months = [0usize; 12];
        for (t, _) in &orders {
            months[(civil_from_days(day(*t)).1 as usize)
                .saturating_sub(1)
                .min(11)] += 1;
        }
        self.peak_month[r] = (0..12).max_by(|a, b| months[*a].cmp(&months[*b]).then(b.cmp(a)));
        let daily: Vec<(i64, f64)> = purchases.iter().map(|l| (day(l.time), l.value())).collect();
        if let Some(s) = summarize(&daily, as_of, options.unit) {
            self.x[r] = s.x;
            self.t_x[r] = s.t_x;
            self.big_t[r] = s.big_t;
            self.monetary_repeat[r] = s.monetary;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::days_from_civil;
    use crate::ingest::{ReadOptions, read_bytes};

    fn log(csv: &str) -> Table {
        read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table
    }

    fn roles() -> OrderRoles {
        OrderRoles {
            customer: "customer".into(),
            date: "date".into(),
            amount: Amount::QuantityPrice {
                quantity: "qty".into(),
                price: "price".into(),
            },
            invoice: Some("invoice".into()),
            product: Some("product".into()),
            category: Some("category".into()),
            channel: None,
        }
    }

    fn get(t: &CustomerTable, customer: &str, feature: &str) -> f64 {
        let row = (0..t.table.n_rows())
            .find(|&i| t.table.columns()[0].display(i) == customer)
            .unwrap();
        t.table.column(feature).unwrap().number_at(row)
    }

    const LOG: &str = "\
invoice,customer,date,product,category,qty,price,country
1001,A,2024-01-01 10:00,p1,Home,2,5.00,UK
1001,A,2024-01-01 10:00,p2,Garden,1,10.00,UK
1001,A,2024-01-01 10:00,p2,Garden,1,10.00,UK
1002,A,2024-01-01 16:00,p1,Home,1,5.00,UK
1003,A,2024-03-15 09:00,p3,Home,3,10.00,UK
C1003,A,2024-03-18 09:00,p3,Home,-1,10.00,UK
2001,B,2024-02-03 12:00,p1,Home,1,5.00,France
2002,B,2024-02-10 12:00,p1,Home,1,0.00,France
3001,,2024-02-11 12:00,p1,Home,1,5.00,UK
A9,C,2024-02-12 12:00,adj,,1,-50.00,UK
4001,D,,p1,Home,1,5.00,UK
";

    #[test]
    fn cleaning_rules_are_counted() {
        let t = aggregate(&log(LOG), &roles(), &OrderOptions::default()).unwrap();
        let c = &t.cleaning;
        assert_eq!(
            (c.rows, c.duplicates, c.without_customer, c.without_date),
            (11, 1, 1, 1)
        );
        assert_eq!(
            (c.adjustments, c.returns, c.zero_price, c.purchases),
            (1, 1, 1, 5)
        );
        // A, B and the adjustment-only C have rows left; C and nobody else has no purchases.
        assert_eq!((c.customers, c.customers_without_purchases), (3, 1));
        assert_eq!(c.as_of, days_from_civil(2024, 3, 19).unwrap());
        assert!(
            c.notes()
                .iter()
                .any(|n| n == "1 exact duplicate rows were removed.")
        );
    }

    #[test]
    fn features_have_their_definitions() {
        let t = aggregate(&log(LOG), &roles(), &OrderOptions::default()).unwrap();
        // A: orders 1001 (2 × 5 + 1 × 10 = 20, the duplicate line removed), 1002 (5) and
        // 1003 (30) on 2024-01-01, 2024-01-01 and 2024-03-15; analysis date 2024-03-19.
        assert_eq!(get(&t, "A", "frequency"), 3.0);
        assert_eq!(get(&t, "A", "purchase_days"), 2.0);
        assert_eq!(get(&t, "A", "monetary_total"), 55.0);
        assert!((get(&t, "A", "monetary_mean") - 55.0 / 3.0).abs() < 1e-12);
        assert_eq!(get(&t, "A", "recency_days"), 4.0);
        assert_eq!(get(&t, "A", "tenure_days"), 78.0);
        assert_eq!(get(&t, "A", "interpurchase_mean_days"), 74.0);
        assert_eq!(get(&t, "A", "interpurchase_sd_days"), 0.0);
        assert!((get(&t, "A", "return_share") - 10.0 / 55.0).abs() < 1e-12);
        assert_eq!(get(&t, "A", "distinct_products"), 3.0);
        assert_eq!(get(&t, "A", "distinct_categories"), 2.0);
        assert!((get(&t, "A", "share_home") - 45.0 / 55.0).abs() < 1e-12);
        // All three orders fall in the last 90 days.
        assert_eq!(get(&t, "A", "purchase_trend"), 1.0);
        // BTYD: purchase days 2024-01-01 (25) and 2024-03-15 (30): one repeat worth 30.
        assert_eq!(
            (
                get(&t, "A", "x"),
                get(&t, "A", "t_x"),
                get(&t, "A", "T"),
                get(&t, "A", "monetary_repeat_mean")
            ),
            (1.0, 74.0, 78.0, 30.0)
        );
        // B: one order of 5 on a Saturday; the zero-price line is left out.
        assert_eq!(get(&t, "B", "frequency"), 1.0);
        assert_eq!(get(&t, "B", "weekend_share"), 1.0);
        assert!(get(&t, "B", "interpurchase_mean_days").is_nan());
        assert_eq!(
            (get(&t, "B", "x"), get(&t, "B", "monetary_repeat_mean")),
            (0.0, 0.0)
        );
        let country = t.table.column("country").unwrap();
        assert_eq!(country.display(1), "France");
        assert_eq!(t.table.column("peak_month").unwrap().display(0), "January");
        // C has an adjustment only: a customer, but with nothing to measure.
        assert!(get(&t, "C", "recency_days").is_nan());
        assert_eq!(get(&t, "C", "frequency"), 0.0);
    }

    #[test]
    fn analysis_date_and_weeks() {
        let options = OrderOptions {
            as_of: Some(days_from_civil(2024, 2, 5).unwrap()),
            unit: TimeUnit::Weeks,
            ..OrderOptions::default()
        };
        let t = aggregate(&log(LOG), &roles(), &options).unwrap();
        // Rows on or after 2024-02-05 are left out: A's two March rows, B's second line and
        // C's adjustment (the row without a customer was already counted as such).
        assert_eq!(t.cleaning.after_as_of, 4);
        assert_eq!(t.cleaning.customers, 2);
        assert_eq!(get(&t, "A", "frequency"), 2.0);
        assert_eq!(get(&t, "A", "recency_days"), 35.0);
        assert!((get(&t, "A", "T") - 35.0 / 7.0).abs() < 1e-15);
        assert_eq!(get(&t, "B", "recency_days"), 2.0);
    }

    #[test]
    fn amount_column_and_no_invoice() {
        let csv = "customer,date,amount\nA,2024-01-01 10:00,10\nA,2024-01-01 11:00,5\nA,2024-01-02 09:00,-5\n";
        let roles = OrderRoles {
            customer: "customer".into(),
            date: "date".into(),
            amount: Amount::Column {
                name: "amount".into(),
            },
            invoice: None,
            product: None,
            category: None,
            channel: None,
        };
        let t = aggregate(&log(csv), &roles, &OrderOptions::default()).unwrap();
        assert_eq!(get(&t, "A", "frequency"), 2.0);
        assert_eq!(get(&t, "A", "return_share"), 1.0 / 3.0);
        assert!(t.table.column("distinct_products").is_none());
    }

    #[test]
    fn role_errors_are_sentences() {
        let table = log(LOG);
        let mut r = roles();
        r.date = "country".into();
        assert_eq!(
            aggregate(&table, &r, &OrderOptions::default()).unwrap_err(),
            OrderError::NotDates("country".into())
        );
        let mut r = roles();
        r.amount = Amount::Column {
            name: "nope".into(),
        };
        let e = aggregate(&table, &r, &OrderOptions::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "The amount column 'nope' is not in this file. Choose another column for it."
        );
    }
}
