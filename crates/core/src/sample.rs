//! The built-in sample data: a small online shop's customers and orders, generated here
//! (no third-party data), with planted segments so a first run shows real structure.
//!
//! Six kinds of customer are planted: champions, loyal regulars, bargain hunters, customers
//! drifting away, new customers and lost ones. Orders are generated per customer and the
//! customer table's behaviour columns are computed from those orders, so both files agree.
//! Generation is deterministic: the same seed gives byte-identical files on every platform.

use std::fmt::Write as _;

use crate::date::{DAY, civil_from_days, days_from_civil};
use crate::rng::Rng;

/// How much sample data to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSpec {
    /// Number of customers.
    pub customers: usize,
    /// Seed.
    pub seed: u64,
}

impl Default for SampleSpec {
    fn default() -> Self {
        SampleSpec {
            customers: 2_000,
            seed: 7,
        }
    }
}

/// The generated files, as CSV text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleData {
    /// One row per customer (CRM-style export).
    pub customers_csv: String,
    /// One row per order line (webshop export).
    pub orders_csv: String,
    /// The planted persona of each customer, in customer order (for tests).
    pub personas: Vec<Persona>,
}

/// File name of the customer table.
pub const CUSTOMERS_FILE: &str = "sample_customers.csv";
/// File name of the order log.
pub const ORDERS_FILE: &str = "sample_orders.csv";

/// The planted kinds of customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persona {
    /// Buy often, spend a lot, bought recently.
    Champion,
    /// Buy regularly at moderate value.
    Loyal,
    /// Many small, discounted orders; return more.
    BargainHunter,
    /// Used to buy, not for months.
    AtRisk,
    /// Joined recently, one or two orders.
    New,
    /// One or two orders long ago.
    Lost,
}

struct Profile {
    persona: Persona,
    share: f64,
    orders_mean: f64,
    order_value_median: f64,
    /// (min, max) days before the analysis date of the first order.
    tenure: (f64, f64),
    /// (min, max) days before the analysis date of the last order.
    recency: (f64, f64),
    discount: f64,
    returns: f64,
    open_rate: f64,
}

const PROFILES: [Profile; 6] = [
    Profile {
        persona: Persona::Champion,
        share: 0.10,
        orders_mean: 18.0,
        order_value_median: 120.0,
        tenure: (300.0, 730.0),
        recency: (1.0, 20.0),
        discount: 0.10,
        returns: 0.03,
        open_rate: 0.55,
    },
    Profile {
        persona: Persona::Loyal,
        share: 0.24,
        orders_mean: 8.0,
        order_value_median: 55.0,
        tenure: (250.0, 730.0),
        recency: (5.0, 60.0),
        discount: 0.15,
        returns: 0.04,
        open_rate: 0.40,
    },
    Profile {
        persona: Persona::BargainHunter,
        share: 0.20,
        orders_mean: 9.0,
        order_value_median: 19.0,
        tenure: (200.0, 730.0),
        recency: (5.0, 70.0),
        discount: 0.75,
        returns: 0.15,
        open_rate: 0.32,
    },
    Profile {
        persona: Persona::AtRisk,
        share: 0.18,
        orders_mean: 6.0,
        order_value_median: 62.0,
        tenure: (400.0, 730.0),
        recency: (120.0, 300.0),
        discount: 0.20,
        returns: 0.06,
        open_rate: 0.10,
    },
    Profile {
        persona: Persona::New,
        share: 0.16,
        orders_mean: 1.6,
        order_value_median: 45.0,
        tenure: (3.0, 75.0),
        recency: (1.0, 75.0),
        discount: 0.30,
        returns: 0.05,
        open_rate: 0.48,
    },
    Profile {
        persona: Persona::Lost,
        share: 0.12,
        orders_mean: 1.4,
        order_value_median: 38.0,
        tenure: (380.0, 730.0),
        recency: (330.0, 730.0),
        discount: 0.25,
        returns: 0.08,
        open_rate: 0.04,
    },
];

const FIRST_NAMES: [&str; 32] = [
    "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Leo", "Sophie", "Finn", "Lena",
    "Jonas", "Chloé", "Hugo", "Julia", "Mateo", "Zoë", "Oscar", "Ines", "Milan", "Sara", "Daan",
    "Nora", "Elias", "Lotte", "Adam", "Freya", "Arthur", "Isla", "Luca", "Maud", "Théo",
];
const LAST_NAMES: [&str; 32] = [
    "Smith", "Jones", "Müller", "Schmidt", "Martin", "Bernard", "de Vries", "Jansen", "García",
    "López", "Murphy", "Kelly", "Dubois", "Peeters", "Taylor", "Brown", "Wagner", "Fischer",
    "Visser", "Bakker", "Moreau", "Laurent", "Walsh", "Byrne", "Janssens", "Maes", "Evans",
    "Wilson", "Becker", "Hoffmann", "Rossi", "Ferrari",
];
const COUNTRIES: [(&str, f64); 7] = [
    ("United Kingdom", 0.42),
    ("Germany", 0.15),
    ("France", 0.12),
    ("Netherlands", 0.11),
    ("Spain", 0.08),
    ("Ireland", 0.07),
    ("Belgium", 0.05),
];
const CATALOG: [(&str, &str, f64); 18] = [
    ("SKU-1001", "Home décor", 24.0),
    ("SKU-1002", "Home décor", 39.0),
    ("SKU-1003", "Home décor", 12.5),
    ("SKU-2001", "Kitchen", 18.0),
    ("SKU-2002", "Kitchen", 45.0),
    ("SKU-2003", "Kitchen", 8.5),
    ("SKU-3001", "Garden", 29.0),
    ("SKU-3002", "Garden", 64.0),
    ("SKU-3003", "Garden", 9.9),
    ("SKU-4001", "Toys", 15.0),
    ("SKU-4002", "Toys", 34.0),
    ("SKU-4003", "Toys", 6.5),
    ("SKU-5001", "Stationery", 4.5),
    ("SKU-5002", "Stationery", 11.0),
    ("SKU-5003", "Stationery", 22.0),
    ("SKU-6001", "Gifts", 27.0),
    ("SKU-6002", "Gifts", 49.0),
    ("SKU-6003", "Gifts", 85.0),
];
const CHANNELS: [&str; 3] = ["web", "app", "store"];

/// The day after which nothing happens in the sample: 2025-06-30.
pub fn analysis_day() -> i64 {
    days_from_civil(2025, 6, 30).unwrap_or(20_269)
}

/// Generates the sample files.
pub fn generate(spec: SampleSpec) -> SampleData {
    let mut rng = Rng::new(spec.seed);
    let today = analysis_day();
    let mut customers = String::from(
        "customer_id,email,first_name,country,signup_date,newsletter,email_open_rate\n",
    );
    let mut orders = String::from(
        "order_id,customer_id,order_date,product,category,quantity,unit_price,channel,discount\n",
    );
    let mut personas = Vec::with_capacity(spec.customers);
    let shares: Vec<f64> = PROFILES.iter().map(|p| p.share).collect();
    let country_weights: Vec<f64> = COUNTRIES.iter().map(|c| c.1).collect();
    let mut order_no = 500_000u64;
    for c in 0..spec.customers {
        let profile = &PROFILES[rng.weighted(&shares)];
        personas.push(profile.persona);
        let id = format!("C{:05}", 10_001 + c);
        let first = FIRST_NAMES[rng.below(FIRST_NAMES.len())];
        let last = LAST_NAMES[rng.below(LAST_NAMES.len())];
        let email = format!(
            "{}.{}{}@example.com",
            ascii_lower(first),
            ascii_lower(last).replace(' ', ""),
            c % 97
        );
        let country = COUNTRIES[rng.weighted(&country_weights)].0;
        let tenure = uniform(&mut rng, profile.tenure);
        let recency = uniform(&mut rng, profile.recency).min(tenure);
        let first_day = today - tenure.round() as i64;
        let last_day = today - recency.round() as i64;
        let n_orders = 1 + rng.poisson((profile.orders_mean - 1.0).max(0.0)) as usize;
        let n_orders = if first_day == last_day {
            1
        } else {
            n_orders.clamp(2, 60)
        };
        let mut days: Vec<i64> = (0..n_orders)
            .map(|i| match i {
                0 => first_day,
                1 => last_day,
                _ => first_day + rng.below((last_day - first_day).max(1) as usize) as i64,
            })
            .collect();
        days.sort_unstable();
        let favourite = rng.below(6);
        for day in &days {
            order_no += 1;
            let channel = CHANNELS[rng.weighted(&[0.6, 0.3, 0.1])];
            let discount = rng.uniform() < profile.discount;
            let target =
                rng.log_normal(profile.order_value_median, 0.35) * if discount { 0.8 } else { 1.0 };
            let seconds = day * DAY + (8 * 3600 + rng.below(13 * 3600)) as i64;
            let mut value = 0.0;
            let mut lines: Vec<(&str, &str, i64, f64)> = Vec::new();
            while value < target * 0.85 && lines.len() < 8 {
                let category = if rng.uniform() < 0.6 {
                    favourite
                } else {
                    rng.below(6)
                };
                let (sku, cat, base) = CATALOG[category * 3 + rng.below(3)];
                let price = round2(base * if discount { 0.8 } else { 1.0 });
                let qty = (((target - value) / price).floor() as i64).clamp(1, 6);
                value += price * qty as f64;
                // The same product twice in one order is one line with a larger quantity.
                match lines.iter_mut().find(|(s, ..)| *s == sku) {
                    Some(line) => line.2 += qty,
                    None => lines.push((sku, cat, qty, price)),
                }
            }
            for (sku, cat, qty, price) in &lines {
                let _ = writeln!(
                    orders,
                    "{order_no},{id},{},{sku},{cat},{qty},{price:.2},{channel},{}",
                    datetime(seconds),
                    if discount { "yes" } else { "no" }
                );
            }
            if rng.uniform() < profile.returns {
                let (sku, cat, qty, price) = lines[0];
                let _ = writeln!(
                    orders,
                    "C{order_no},{id},{},{sku},{cat},-{qty},{price:.2},{channel},{}",
                    datetime((seconds + 3 * DAY).min((today - 1) * DAY + 20 * 3600)),
                    if discount { "yes" } else { "no" }
                );
            }
        }
        let open_rate = (profile.open_rate + rng.gaussian(0.0, 0.06)).clamp(0.0, 1.0);
        // Newsletter subscribers open more; the CRM records who opted in.
        let newsletter = rng.uniform() < 0.35 + profile.open_rate;
        let _ = writeln!(
            customers,
            "{id},{email},{first},{country},{},{},{:.1}",
            date(first_day - rng.below(30) as i64),
            if newsletter { "yes" } else { "no" },
            if newsletter { open_rate * 100.0 } else { 0.0 },
        );
    }
    SampleData {
        customers_csv: customers,
        orders_csv: orders,
        personas,
    }
}

fn uniform(rng: &mut Rng, (lo, hi): (f64, f64)) -> f64 {
    lo + (hi - lo) * rng.uniform()
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn ascii_lower(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'ë' => 'e',
            'ü' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn datetime(seconds: i64) -> String {
    let day = seconds.div_euclid(DAY);
    let s = seconds.rem_euclid(DAY);
    format!("{} {:02}:{:02}:00", date(day), s / 3600, (s / 60) % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};
    use crate::table::{ColumnKind, PiiKind};

    #[test]
    fn deterministic() {
        let a = generate(SampleSpec {
            customers: 200,
            seed: 1,
        });
        let b = generate(SampleSpec {
            customers: 200,
            seed: 1,
        });
        assert_eq!(a, b);
        assert_ne!(
            a.customers_csv,
            generate(SampleSpec {
                customers: 200,
                seed: 2
            })
            .customers_csv
        );
    }

    #[test]
    fn customer_table_reads_with_the_right_kinds() {
        let data = generate(SampleSpec::default());
        let t = read_bytes(data.customers_csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert_eq!(t.n_rows(), 2_000);
        let kind = |n: &str| t.column(n).unwrap().kind;
        assert_eq!(kind("customer_id"), ColumnKind::Id);
        assert_eq!(t.column("email").unwrap().pii, Some(PiiKind::Email));
        assert_eq!(t.column("first_name").unwrap().pii, Some(PiiKind::Name));
        assert_eq!(kind("country"), ColumnKind::Categorical);
        assert_eq!(kind("signup_date"), ColumnKind::Date);
        assert_eq!(t.column("signup_date").unwrap().pii, None);
        assert_eq!(kind("newsletter"), ColumnKind::Boolean);
        assert_eq!(kind("email_open_rate"), ColumnKind::Numeric);
    }

    #[test]
    fn order_log_reads() {
        let data = generate(SampleSpec {
            customers: 300,
            seed: 7,
        });
        let t = read_bytes(data.orders_csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        assert!(t.n_rows() > 1_000);
        assert_eq!(t.column("order_date").unwrap().kind, ColumnKind::Date);
        assert_eq!(t.column("customer_id").unwrap().kind, ColumnKind::Id);
        assert_eq!(t.column("unit_price").unwrap().kind, ColumnKind::Numeric);
    }
}
