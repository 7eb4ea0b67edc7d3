//! Several files → one customer table: the order log (or else the customer list) gives the
//! customers; every other file is joined onto them by normalized customer key, and what did
//! not match on each side is counted.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::events::{self, slug};
use super::keys::Keys;
use super::orders::{self, Cleaning, FeatureInfo, OrderError, OrderOptions};
use super::roles::FilePlan;
use crate::table::{Column, ColumnKind, Table};

/// A loaded file and what to do with it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// File name, for messages and column prefixes.
    pub name: &'a str,
    /// Its table.
    pub table: &'a Table,
    /// What it is.
    pub plan: &'a FilePlan,
}

/// How a file joined onto the customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinReport {
    /// The joined file.
    pub file: String,
    /// Customers found in both.
    pub matched: usize,
    /// Customers with no row in this file.
    pub only_in_base: usize,
    /// Keys in this file that match no customer.
    pub only_in_file: usize,
}

impl JoinReport {
    /// The join in words.
    pub fn sentence(&self, base: &str) -> String {
        let n = crate::numbers::count;
        format!(
            "{}: {} customers matched; {} in {base} have no row here, {} here match no customer.",
            self.file,
            n(self.matched),
            n(self.only_in_base),
            n(self.only_in_file)
        )
    }
}

/// One row per customer, ready for features.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The customer table: customer id first (when there is one), then everything else.
    pub table: Table,
    /// What the derived features mean and which to use by default.
    pub features: Vec<FeatureInfo>,
    /// The file that defines who the customers are.
    pub base: String,
    /// Cleaning of the order log, when there is one.
    pub cleaning: Option<Cleaning>,
    /// How each other file joined.
    pub joins: Vec<JoinReport>,
}

/// Why the files cannot be put together.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DatasetError {
    /// No file to use.
    #[error(
        "No file is in use. Load a file, or mark one as a customer list, order log or event log."
    )]
    NoFiles,
    /// A log could not be summarized.
    #[error("{file}: {source}")]
    Log {
        /// The file.
        file: String,
        /// What went wrong.
        source: OrderError,
    },
    /// A file cannot be matched for lack of a customer id.
    #[error(
        "{file} has no customer id column, so {other} cannot be matched to it. Choose the customer id column of {file}."
    )]
    NoKey {
        /// The file without a key.
        file: String,
        /// The file that could not be joined.
        other: String,
    },
}

/// A file's customer-level form: its table, keys per row, and feature meanings.
struct Level {
    table: Table,
    keys: Option<Vec<String>>,
    features: Vec<FeatureInfo>,
    cleaning: Option<Cleaning>,
}

fn stem(name: &str) -> String {
    slug(name.rsplit_once('.').map_or(name, |(s, _)| s))
}

fn level(source: &Source<'_>, options: &OrderOptions, prefix: bool) -> Result<Level, DatasetError> {
    let wrap = |e| DatasetError::Log {
        file: source.name.to_owned(),
        source: e,
    };
    match source.plan {
        FilePlan::Orders(roles) => {
            let mut c = orders::aggregate(source.table, roles, options).map_err(wrap)?;
            if prefix {
                rename_features(
                    &mut c.table,
                    &mut c.features,
                    &format!("{}_", stem(source.name)),
                );
            }
            Ok(Level {
                table: c.table,
                keys: Some(c.keys),
                features: c.features,
                cleaning: Some(c.cleaning),
            })
        }
        FilePlan::Events(roles) => {
            let c = events::aggregate(source.table, roles, &stem(source.name), options.as_of)
                .map_err(wrap)?;
            Ok(Level {
                table: c.table,
                keys: Some(c.keys),
                features: c.features,
                cleaning: None,
            })
        }
        FilePlan::Customers { customer } => {
            let keys = match customer {
                Some(name) => {
                    let column = source.table.column(name).ok_or_else(|| {
                        wrap(OrderError::UnknownColumn {
                            role: "customer",
                            name: name.clone(),
                        })
                    })?;
                    let k = Keys::of(column);
                    Some(
                        k.codes
                            .iter()
                            .map(|c| k.normalized.get(*c as usize).cloned().unwrap_or_default())
                            .collect(),
                    )
                }
                None => None,
            };
            Ok(Level {
                table: source.table.clone(),
                keys,
                features: Vec::new(),
                cleaning: None,
            })
        }
        FilePlan::Ignore => Err(DatasetError::NoFiles),
    }
}

fn rename_features(table: &mut Table, features: &mut [FeatureInfo], prefix: &str) {
    let renamed: Vec<Column> = table
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut c = c.clone();
            if i > 0 {
                c.name = format!("{prefix}{}", c.name);
            }
            c
        })
        .collect();
    *table = Table::new(renamed, table.n_rows());
    for f in features {
        f.name = format!("{prefix}{}", f.name);
    }
}

/// Builds the customer table from the files in use.
pub fn build(sources: &[Source<'_>], options: &OrderOptions) -> Result<Dataset, DatasetError> {
    let used: Vec<&Source<'_>> = sources
        .iter()
        .filter(|s| *s.plan != FilePlan::Ignore)
        .collect();
    let rank = |s: &Source<'_>| match s.plan {
        FilePlan::Orders(_) => 0,
        FilePlan::Customers { .. } => 1,
        _ => 2,
    };
    let base_source = *used
        .iter()
        .min_by_key(|s| rank(s))
        .ok_or(DatasetError::NoFiles)?;
    let base = level(base_source, options, false)?;
    // Later logs use the same analysis date as the base.
    let options = OrderOptions {
        as_of: base.cleaning.as_ref().map(|c| c.as_of).or(options.as_of),
        ..options.clone()
    };
    let mut columns: Vec<Column> = base.table.columns().to_vec();
    let mut features = base.features;
    let mut joins = Vec::new();
    let n = base.table.n_rows();
    let mut orders_seen = matches!(base_source.plan, FilePlan::Orders(_));
    for source in used.iter().filter(|s| !std::ptr::eq(**s, base_source)) {
        let prefix = matches!(source.plan, FilePlan::Orders(_)) && orders_seen;
        orders_seen |= matches!(source.plan, FilePlan::Orders(_));
        let other = level(source, &options, prefix)?;
        let (Some(base_keys), Some(other_keys)) = (&base.keys, &other.keys) else {
            let missing = if base.keys.is_none() {
                base_source.name
            } else {
                source.name
            };
            return Err(DatasetError::NoKey {
                file: missing.to_owned(),
                other: source.name.to_owned(),
            });
        };
        let mut row_of: FxHashMap<&str, usize> = FxHashMap::default();
        for (i, k) in other_keys.iter().enumerate() {
            if !k.is_empty() {
                row_of.entry(k.as_str()).or_insert(i);
            }
        }
        let rows: Vec<Option<usize>> = base_keys
            .iter()
            .map(|k| row_of.get(k.as_str()).copied())
            .collect();
        let matched = rows.iter().filter(|r| r.is_some()).count();
        let base_set: FxHashSet<&str> = base_keys.iter().map(String::as_str).collect();
        let only_in_file = row_of.keys().filter(|k| !base_set.contains(*k)).count();
        joins.push(JoinReport {
            file: source.name.to_owned(),
            matched,
            only_in_base: n - matched,
            only_in_file,
        });
        let key_column = source.plan.customer();
        let taken: FxHashSet<String> = columns.iter().map(|c| c.name.to_lowercase()).collect();
        let mut renames: FxHashMap<String, String> = FxHashMap::default();
        for (j, c) in other.table.columns().iter().enumerate() {
            let is_key = if other.features.is_empty() {
                Some(c.name.as_str()) == key_column
            } else {
                j == 0
            };
            if is_key {
                continue;
            }
            let mut joined = c.take(&rows);
            if taken.contains(&joined.name.to_lowercase()) {
                let new = format!("{}_{}", joined.name, stem(source.name));
                renames.insert(joined.name.clone(), new.clone());
                joined.name = new;
            }
            if other.features.is_empty() && joined.kind.is_numeric() && joined.pii.is_none() {
                let varies = joined.distinct() > 1 && joined.missing * 2 <= joined.len();
                features.push(FeatureInfo {
                    name: joined.name.clone(),
                    meaning: format!("From {}", source.name),
                    default: varies,
                });
            }
            columns.push(joined);
        }
        for mut f in other.features {
            if let Some(new) = renames.get(&f.name) {
                f.name = new.clone();
            }
            features.push(f);
        }
    }
    Ok(Dataset {
        table: Table::new(columns, n),
        features,
        base: base_source.name.to_owned(),
        cleaning: base.cleaning,
        joins,
    })
}

impl Dataset {
    /// Everything done to get here, as sentences: cleaning notes and join reports.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = self
            .cleaning
            .as_ref()
            .map(Cleaning::notes)
            .unwrap_or_default();
        notes.extend(self.joins.iter().map(|j| j.sentence(&self.base)));
        notes
    }

    /// The customer id column, when the base file has one.
    pub fn id_column(&self) -> Option<&Column> {
        self.table
            .columns()
            .first()
            .filter(|c| c.kind == ColumnKind::Id)
            .or_else(|| self.table.id_column())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::roles::guess;
    use crate::ingest::{ReadOptions, read_bytes};
    use crate::sample::{SampleSpec, generate};

    fn table(csv: &str) -> Table {
        read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table
    }

    #[test]
    fn orders_customers_and_events_join_on_normalized_keys() {
        let orders = table(
            "order_id,customer_id,order_date,quantity,unit_price\n1,C001,2024-01-01 10:00,1,10\n2,C002,2024-01-02 10:00,2,5\n3,C001,2024-01-05 10:00,1,20\n",
        );
        let customers = table(
            "customer_id,email,country,open_rate\nc001,a@x.com,UK,40\nC002 ,b@x.com,FR,10\nC999,z@x.com,DE,5\n",
        );
        let events = table(
            "customer_id,sent_at,event\nC001,2024-01-01 09:00,open\nC001,2024-01-02 09:00,click\nC007,2024-01-02 09:00,open\n",
        );
        let plans: Vec<FilePlan> = [&orders, &customers, &events]
            .iter()
            .map(|t| guess(t).plan)
            .collect();
        let names = ["orders.csv", "customers.csv", "email events.csv"];
        let sources: Vec<Source<'_>> = [&orders, &customers, &events]
            .iter()
            .zip(&plans)
            .zip(names)
            .map(|((t, p), name)| Source {
                name,
                table: t,
                plan: p,
            })
            .collect();
        let d = build(&sources, &OrderOptions::default()).unwrap();
        assert_eq!(d.base, "orders.csv");
        assert_eq!(d.table.n_rows(), 2);
        assert_eq!(
            d.joins[0],
            JoinReport {
                file: "customers.csv".into(),
                matched: 2,
                only_in_base: 0,
                only_in_file: 1
            }
        );
        assert_eq!(
            d.joins[1],
            JoinReport {
                file: "email events.csv".into(),
                matched: 1,
                only_in_base: 1,
                only_in_file: 1
            }
        );
        assert_eq!(d.table.column("country").unwrap().display(1), "FR");
        assert_eq!(
            d.table.column("email").unwrap().pii,
            Some(crate::table::PiiKind::Email)
        );
        assert_eq!(
            d.table
                .column("email_events_total")
                .unwrap()
                .numbers()
                .unwrap()[0],
            2.0
        );
        assert!(d.table.column("email_events_total").unwrap().is_missing(1));
        assert!(
            d.features
                .iter()
                .any(|f| f.name == "open_rate" && f.default)
        );
        assert!(d.notes().iter().any(|n| n.starts_with("customers.csv: 2 customers matched; 0 in orders.csv have no row here, 1 here match no customer")));
    }

    #[test]
    fn the_sample_builds_one_row_per_customer_with_orders() {
        let data = generate(SampleSpec {
            customers: 300,
            seed: 5,
        });
        let orders = table(&data.orders_csv);
        let customers = table(&data.customers_csv);
        let (po, pc) = (guess(&orders).plan, guess(&customers).plan);
        let sources = [
            Source {
                name: "sample_orders.csv",
                table: &orders,
                plan: &po,
            },
            Source {
                name: "sample_customers.csv",
                table: &customers,
                plan: &pc,
            },
        ];
        let d = build(&sources, &OrderOptions::default()).unwrap();
        assert_eq!(d.table.n_rows(), 300);
        assert_eq!(d.joins[0].matched, 300);
        assert_eq!(d.id_column().unwrap().name, "customer_id");
    }

    #[test]
    fn a_file_without_a_key_cannot_be_joined() {
        let a = table("spend,visits\n1,2\n3,4\n");
        let b = table("customer_id,x\nA,1\n");
        let pa = FilePlan::Customers { customer: None };
        let pb = FilePlan::Customers {
            customer: Some("customer_id".into()),
        };
        let e = build(
            &[
                Source {
                    name: "a.csv",
                    table: &a,
                    plan: &pa,
                },
                Source {
                    name: "b.csv",
                    table: &b,
                    plan: &pb,
                },
            ],
            &OrderOptions::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("a.csv has no customer id column, so b.csv cannot be matched"),
            "{e}"
        );
        assert_eq!(
            build(&[], &OrderOptions::default()).unwrap_err(),
            DatasetError::NoFiles
        );
    }
}
