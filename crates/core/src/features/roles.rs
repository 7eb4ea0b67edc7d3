//! What a file is, and which column plays which part: a customer list (one row per
//! customer), an order log (one row per order line) or an event log (one row per email
//! open, visit, …). The guess is shown to the user, who can change it.

use serde::{Deserialize, Serialize};

use super::orders::{Amount, OrderRoles};
use crate::table::{Column, ColumnKind, Table};

/// Which columns of an event log play which part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRoles {
    /// The customer's id.
    pub customer: String,
    /// When the event happened.
    pub date: String,
    /// The kind of event (open, click, visit…), if there is such a column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

/// What a file is and how to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum FilePlan {
    /// One row per customer.
    Customers {
        /// The column identifying customers (needed to join other files).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer: Option<String>,
    },
    /// One row per order line.
    Orders(OrderRoles),
    /// One row per event.
    Events(EventRoles),
    /// Not used.
    Ignore,
}

impl FilePlan {
    /// The customer id column, if the plan names one.
    pub fn customer(&self) -> Option<&str> {
        match self {
            FilePlan::Customers { customer } => customer.as_deref(),
            FilePlan::Orders(r) => Some(&r.customer),
            FilePlan::Events(r) => Some(&r.customer),
            FilePlan::Ignore => None,
        }
    }

    /// The shape in words: "customer list", "order log", …
    pub fn shape_name(&self) -> &'static str {
        match self {
            FilePlan::Customers { .. } => "customer list",
            FilePlan::Orders(_) => "order log",
            FilePlan::Events(_) => "event log",
            FilePlan::Ignore => "not used",
        }
    }
}

/// A guessed plan with the reasons, as a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Guess {
    /// The plan.
    pub plan: FilePlan,
    /// Why, in plain words.
    pub explanation: String,
}

fn words(name: &str) -> Vec<String> {
    // Split snake_case, kebab-case, spaces and camelCase into lower-case words.
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn named(column: &Column, any_of: &[&str]) -> bool {
    let w = words(&column.name);
    w.iter().any(|w| any_of.contains(&w.as_str()))
        || any_of.iter().any(|a| column.name.to_lowercase() == *a)
}

/// The best column by `score` (ties: the first), if any scores above zero.
fn best(table: &Table, score: impl Fn(&Column) -> i32) -> Option<&Column> {
    table
        .columns()
        .iter()
        .map(|c| (score(c), c))
        .filter(|(s, _)| *s > 0)
        .fold(None, |acc: Option<(i32, &Column)>, (s, c)| match acc {
            Some((b, _)) if b >= s => acc,
            _ => Some((s, c)),
        })
        .map(|(_, c)| c)
}

const CUSTOMER_WORDS: [&str; 8] = [
    "customer",
    "customerid",
    "client",
    "member",
    "user",
    "account",
    "contact",
    "buyer",
];
const ORDER_WORDS: [&str; 9] = [
    "invoice",
    "invoiceno",
    "order",
    "transaction",
    "receipt",
    "basket",
    "ticket",
    "bill",
    "purchase",
];
const PRODUCT_WORDS: [&str; 8] = [
    "product",
    "sku",
    "stock",
    "stockcode",
    "item",
    "article",
    "ean",
    "upc",
];

fn is_key(c: &Column) -> bool {
    matches!(
        c.kind,
        ColumnKind::Id | ColumnKind::Integer | ColumnKind::Text | ColumnKind::Categorical
    ) && c.pii.is_none()
}

/// Guesses what `table` is and which column plays which part.
pub fn guess(table: &Table) -> Guess {
    let rows = table.n_rows().max(1);
    let customer = best(table, |c| {
        if !is_key(c) {
            return 0;
        }
        let mut s = 0;
        if named(c, &CUSTOMER_WORDS) {
            s += 4;
        }
        if c.kind == ColumnKind::Id {
            s += 2;
        }
        if named(c, &ORDER_WORDS) || named(c, &PRODUCT_WORDS) {
            s -= 5;
        }
        if c.missing == c.len() {
            s = 0;
        }
        s
    });
    let date = best(table, |c| {
        if c.kind != ColumnKind::Date {
            return 0;
        }
        let mut s = 1;
        if named(
            c,
            &[
                "order",
                "invoice",
                "purchase",
                "transaction",
                "event",
                "timestamp",
                "time",
                "date",
            ],
        ) {
            s += 2;
        }
        if named(
            c,
            &["birth", "dob", "signup", "created", "registered", "joined"],
        ) {
            s -= 2;
        }
        s.max(1)
    });
    let Some(customer) = customer else {
        return Guess {
            plan: FilePlan::Customers { customer: None },
            explanation: format!(
                "Each of the {} rows is treated as one customer (no customer id column was found).",
                crate::numbers::count(table.n_rows())
            ),
        };
    };
    let distinct = customer.distinct().max(1);
    let repeated = distinct * 10 < (rows - customer.missing).max(1) * 9;
    let Some(date) = date.filter(|_| repeated) else {
        return Guess {
            plan: FilePlan::Customers {
                customer: Some(customer.name.clone()),
            },
            explanation: format!(
                "This looks like a customer list: one row per customer, identified by {}.",
                customer.name
            ),
        };
    };
    let numeric =
        |c: &Column, words: &[&str]| c.kind.is_numeric() && c.pii.is_none() && named(c, words);
    let quantity = best(table, |c| {
        i32::from(numeric(c, &["quantity", "qty", "units", "count", "pieces"]))
    });
    let price = best(table, |c| {
        i32::from(numeric(c, &["price", "unitprice", "rate", "cost"]))
    });
    let amount = best(table, |c| {
        i32::from(numeric(
            c,
            &[
                "amount", "total", "revenue", "sales", "value", "spend", "spent", "sum", "net",
                "gross", "turnover",
            ],
        ))
    });
    let invoice = best(table, |c| {
        i32::from(is_key(c) && named(c, &ORDER_WORDS) && c.name != customer.name) * 2
    });
    let product = best(table, |c| {
        if !named(c, &PRODUCT_WORDS) || c.name == customer.name {
            return 0;
        }
        if c.kind == ColumnKind::Id { 3 } else { 1 }
    });
    let category = best(table, |c| {
        i32::from(
            c.kind == ColumnKind::Categorical
                && named(
                    c,
                    &[
                        "category",
                        "department",
                        "group",
                        "family",
                        "segment",
                        "type",
                    ],
                ),
        )
    });
    let channel = best(table, |c| {
        i32::from(
            c.kind == ColumnKind::Categorical
                && named(c, &["channel", "source", "platform", "store", "shop"]),
        )
    });
    let value = match (amount, quantity, price) {
        (_, Some(q), Some(p)) => Some((
            Amount::QuantityPrice {
                quantity: q.name.clone(),
                price: p.name.clone(),
            },
            format!("{} × {}", q.name, p.name),
        )),
        (Some(a), _, _) => Some((
            Amount::Column {
                name: a.name.clone(),
            },
            a.name.clone(),
        )),
        (None, None, Some(p)) => Some((
            Amount::Column {
                name: p.name.clone(),
            },
            p.name.clone(),
        )),
        _ => None,
    };
    let count = crate::numbers::count;
    match value {
        Some((amount, value_words)) => Guess {
            explanation: format!(
                "This looks like an order log: {} lines for {} customers ({}), dated by {}, worth {}.",
                count(table.n_rows()),
                count(distinct),
                customer.name,
                date.name,
                value_words
            ),
            plan: FilePlan::Orders(OrderRoles {
                customer: customer.name.clone(),
                date: date.name.clone(),
                amount,
                invoice: invoice.map(|c| c.name.clone()),
                product: product.map(|c| c.name.clone()),
                category: category.map(|c| c.name.clone()),
                channel: channel.map(|c| c.name.clone()),
            }),
        },
        None => {
            let event = best(table, |c| {
                i32::from(
                    c.kind == ColumnKind::Categorical
                        && named(
                            c,
                            &["event", "type", "action", "activity", "kind", "status"],
                        ),
                )
            });
            Guess {
                explanation: format!(
                    "This looks like an event log: {} events for {} customers ({}), dated by {}{}.",
                    count(table.n_rows()),
                    count(distinct),
                    customer.name,
                    date.name,
                    event
                        .map(|e| format!(", of the kinds in {}", e.name))
                        .unwrap_or_default()
                ),
                plan: FilePlan::Events(EventRoles {
                    customer: customer.name.clone(),
                    date: date.name.clone(),
                    event: event.map(|c| c.name.clone()),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};
    use crate::sample::{SampleSpec, generate};

    fn table(csv: &str) -> Table {
        read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table
    }

    #[test]
    fn words_of_names() {
        assert_eq!(words("CustomerID"), vec!["customer", "id"]);
        assert_eq!(words("unit_price"), vec!["unit", "price"]);
        assert_eq!(words("InvoiceNo"), vec!["invoice", "no"]);
    }

    #[test]
    fn sample_files_are_recognized() {
        let data = generate(SampleSpec {
            customers: 200,
            seed: 3,
        });
        let orders = guess(&table(&data.orders_csv));
        let FilePlan::Orders(r) = &orders.plan else {
            panic!("{orders:?}")
        };
        assert_eq!(r.customer, "customer_id");
        assert_eq!(r.date, "order_date");
        assert_eq!(
            r.amount,
            Amount::QuantityPrice {
                quantity: "quantity".into(),
                price: "unit_price".into()
            }
        );
        assert_eq!(r.invoice.as_deref(), Some("order_id"));
        assert_eq!(r.product.as_deref(), Some("product"));
        assert_eq!(r.category.as_deref(), Some("category"));
        assert_eq!(r.channel.as_deref(), Some("channel"));
        assert!(
            orders
                .explanation
                .starts_with("This looks like an order log"),
            "{}",
            orders.explanation
        );
        let customers = guess(&table(&data.customers_csv));
        assert_eq!(
            customers.plan,
            FilePlan::Customers {
                customer: Some("customer_id".into())
            }
        );
    }

    #[test]
    fn online_retail_style_columns() {
        let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
                   536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n\
                   536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom\n\
                   536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,17850.0,United Kingdom\n\
                   536367,84879,ASSORTED BIRD ORNAMENT,32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom\n";
        let FilePlan::Orders(r) = guess(&table(csv)).plan else {
            panic!()
        };
        assert_eq!(
            (r.customer.as_str(), r.date.as_str()),
            ("CustomerID", "InvoiceDate")
        );
        assert_eq!(
            r.amount,
            Amount::QuantityPrice {
                quantity: "Quantity".into(),
                price: "UnitPrice".into()
            }
        );
        assert_eq!(r.invoice.as_deref(), Some("InvoiceNo"));
        assert_eq!(r.product.as_deref(), Some("StockCode"));
    }

    #[test]
    fn event_logs_and_plain_tables() {
        let events = "customer_id,event_time,event\nC1,2024-01-01 10:00,open\nC1,2024-01-02 10:00,click\nC2,2024-01-02 11:00,open\nC1,2024-01-03 10:00,open\n";
        let FilePlan::Events(r) = guess(&table(events)).plan else {
            panic!()
        };
        assert_eq!(r.event.as_deref(), Some("event"));
        let plain = guess(&table("spend,visits\n1,2\n3,4\n"));
        assert_eq!(plain.plan, FilePlan::Customers { customer: None });
        assert!(plain.explanation.contains("Each of the 2 rows"));
    }
}
