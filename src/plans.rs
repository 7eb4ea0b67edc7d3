//! The "what is this file" form as plain data: which columns suit each role, and what a
//! plan becomes when the user changes a role or the kind of file.

use segmenta_core::features::orders::{Amount, OrderRoles};
use segmenta_core::features::roles::{EventRoles, FilePlan};
use segmenta_core::table::ColumnKind;

use crate::protocol::ColumnView;

/// A part a column can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Customer id.
    Customer,
    /// Order or event date.
    Date,
    /// Line value.
    Amount,
    /// Quantity.
    Quantity,
    /// Unit price.
    Price,
    /// Invoice or order number (optional).
    Invoice,
    /// Product (optional).
    Product,
    /// Category (optional).
    Category,
    /// Channel (optional).
    Channel,
    /// Kind of event (optional).
    Event,
}

impl Role {
    /// The label shown above the select.
    pub fn label(self) -> &'static str {
        match self {
            Role::Customer => "Customer id",
            Role::Date => "Date",
            Role::Amount => "Value of a line",
            Role::Quantity => "Quantity",
            Role::Price => "Unit price",
            Role::Invoice => "Order number",
            Role::Product => "Product",
            Role::Category => "Category",
            Role::Channel => "Channel",
            Role::Event => "Kind of event",
        }
    }

    /// Whether the role may be left empty.
    pub fn optional(self) -> bool {
        matches!(
            self,
            Role::Invoice | Role::Product | Role::Category | Role::Channel | Role::Event
        )
    }

    /// Whether a column suits the role.
    pub fn fits(self, c: &ColumnView) -> bool {
        if c.pii.is_some() {
            return false;
        }
        match self {
            Role::Customer | Role::Invoice | Role::Product => matches!(
                c.kind,
                ColumnKind::Id | ColumnKind::Integer | ColumnKind::Text | ColumnKind::Categorical
            ),
            Role::Date => c.kind == ColumnKind::Date,
            Role::Amount | Role::Quantity | Role::Price => c.kind.is_numeric(),
            Role::Category | Role::Channel | Role::Event => {
                matches!(c.kind, ColumnKind::Categorical | ColumnKind::Text)
            }
        }
    }
}

/// The roles a plan shows, in form order, with the column each is set to (`""` = none).
pub fn roles(plan: &FilePlan) -> Vec<(Role, String)> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    match plan {
        FilePlan::Customers { customer } => vec![(Role::Customer, opt(customer))],
        FilePlan::Orders(r) => {
            let mut out = vec![
                (Role::Customer, r.customer.clone()),
                (Role::Date, r.date.clone()),
            ];
            match &r.amount {
                Amount::Column { name } => out.push((Role::Amount, name.clone())),
                Amount::QuantityPrice { quantity, price } => {
                    out.push((Role::Quantity, quantity.clone()));
                    out.push((Role::Price, price.clone()));
                }
            }
            out.extend([
                (Role::Invoice, opt(&r.invoice)),
                (Role::Product, opt(&r.product)),
                (Role::Category, opt(&r.category)),
                (Role::Channel, opt(&r.channel)),
            ]);
            out
        }
        FilePlan::Events(r) => vec![
            (Role::Customer, r.customer.clone()),
            (Role::Date, r.date.clone()),
            (Role::Event, opt(&r.event)),
        ],
        FilePlan::Ignore => Vec::new(),
    }
}

/// `plan` with `role` set to `column` (`""` clears an optional role).
pub fn set_role(plan: &FilePlan, role: Role, column: &str) -> FilePlan {
    let value = (!column.is_empty()).then(|| column.to_owned());
    let mut plan = plan.clone();
    match &mut plan {
        FilePlan::Customers { customer } => *customer = value,
        FilePlan::Orders(r) => match role {
            Role::Customer => r.customer = column.to_owned(),
            Role::Date => r.date = column.to_owned(),
            Role::Amount => {
                r.amount = Amount::Column {
                    name: column.to_owned(),
                }
            }
            Role::Quantity => {
                if let Amount::QuantityPrice { quantity, .. } = &mut r.amount {
                    *quantity = column.to_owned();
                }
            }
            Role::Price => {
                if let Amount::QuantityPrice { price, .. } = &mut r.amount {
                    *price = column.to_owned();
                }
            }
            Role::Invoice => r.invoice = value,
            Role::Product => r.product = value,
            Role::Category => r.category = value,
            Role::Channel => r.channel = value,
            Role::Event => {}
        },
        FilePlan::Events(r) => match role {
            Role::Customer => r.customer = column.to_owned(),
            Role::Date => r.date = column.to_owned(),
            Role::Event => r.event = value,
            _ => {}
        },
        FilePlan::Ignore => {}
    }
    plan
}

/// The kinds of file, as `(value, label)`.
pub const SHAPES: [(&str, &str); 4] = [
    ("orders", "An order log (one row per order line)"),
    ("customers", "A customer list (one row per customer)"),
    ("events", "An event log (email opens, visits, …)"),
    ("ignore", "Not used"),
];

/// The value of the kind-of-file select for `plan`.
pub fn shape_value(plan: &FilePlan) -> &'static str {
    match plan {
        FilePlan::Orders(_) => "orders",
        FilePlan::Customers { .. } => "customers",
        FilePlan::Events(_) => "events",
        FilePlan::Ignore => "ignore",
    }
}

/// Why a file cannot be of a kind, if it cannot (an order or event log needs a date).
pub fn shape_blocked(shape: &str, columns: &[ColumnView]) -> Option<&'static str> {
    let has = |role: Role| columns.iter().any(|c| role.fits(c));
    match shape {
        "orders" if !has(Role::Date) => Some("no date column"),
        "orders" if !has(Role::Amount) => Some("no numbers for the order value"),
        "events" if !has(Role::Date) => Some("no date column"),
        _ if shape != "ignore" && shape != "customers" && !has(Role::Customer) => {
            Some("no customer id column")
        }
        _ => None,
    }
}

/// `plan` switched to another kind of file, keeping the customer id and filling the other
/// roles with the first suitable columns.
pub fn switch_shape(plan: &FilePlan, shape: &str, columns: &[ColumnView]) -> FilePlan {
    let first = |role: Role| {
        columns
            .iter()
            .find(|c| role.fits(c))
            .map(|c| c.name.clone())
    };
    let customer = plan
        .customer()
        .map(str::to_owned)
        .or_else(|| first(Role::Customer));
    match shape {
        "orders" => FilePlan::Orders(OrderRoles {
            customer: customer.unwrap_or_default(),
            date: first(Role::Date).unwrap_or_default(),
            amount: Amount::Column {
                name: first(Role::Amount).unwrap_or_default(),
            },
            invoice: None,
            product: None,
            category: None,
            channel: None,
        }),
        "events" => FilePlan::Events(EventRoles {
            customer: customer.unwrap_or_default(),
            date: first(Role::Date).unwrap_or_default(),
            event: None,
        }),
        "ignore" => FilePlan::Ignore,
        _ => FilePlan::Customers { customer },
    }
}

/// `plan`'s order value switched between one column and quantity × price.
pub fn switch_amount(plan: &FilePlan, quantity_price: bool, columns: &[ColumnView]) -> FilePlan {
    let mut plan = plan.clone();
    if let FilePlan::Orders(r) = &mut plan {
        let numeric: Vec<String> = columns
            .iter()
            .filter(|c| Role::Amount.fits(c))
            .map(|c| c.name.clone())
            .collect();
        r.amount = if quantity_price {
            Amount::QuantityPrice {
                quantity: numeric.first().cloned().unwrap_or_default(),
                price: numeric
                    .get(1)
                    .or(numeric.first())
                    .cloned()
                    .unwrap_or_default(),
            }
        } else {
            Amount::Column {
                name: numeric.first().cloned().unwrap_or_default(),
            }
        };
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, kind: ColumnKind) -> ColumnView {
        ColumnView {
            name: name.into(),
            kind,
            missing: 0,
            distinct: 10,
            pii: None,
        }
    }

    fn columns() -> Vec<ColumnView> {
        vec![
            col("customer_id", ColumnKind::Id),
            col("order_date", ColumnKind::Date),
            col("qty", ColumnKind::Integer),
            col("price", ColumnKind::Numeric),
            col("shop", ColumnKind::Categorical),
        ]
    }

    #[test]
    fn switching_kinds_fills_roles() {
        let customers = FilePlan::Customers {
            customer: Some("customer_id".into()),
        };
        let orders = switch_shape(&customers, "orders", &columns());
        assert_eq!(
            roles(&orders)[..3],
            [
                (Role::Customer, "customer_id".to_owned()),
                (Role::Date, "order_date".to_owned()),
                (Role::Amount, "qty".to_owned())
            ]
        );
        let qp = switch_amount(&orders, true, &columns());
        assert!(roles(&qp).contains(&(Role::Price, "price".to_owned())));
        let set = set_role(&qp, Role::Channel, "shop");
        assert!(roles(&set).contains(&(Role::Channel, "shop".to_owned())));
        assert!(
            roles(&set_role(&set, Role::Channel, "")).contains(&(Role::Channel, String::new()))
        );
        assert_eq!(
            shape_value(&switch_shape(&orders, "events", &columns())),
            "events"
        );
        assert_eq!(switch_shape(&orders, "customers", &columns()), customers);
    }

    #[test]
    fn kinds_a_file_cannot_be() {
        let no_dates = vec![
            col("customer_id", ColumnKind::Id),
            col("spend", ColumnKind::Numeric),
        ];
        assert_eq!(shape_blocked("orders", &no_dates), Some("no date column"));
        assert_eq!(shape_blocked("customers", &no_dates), None);
        assert_eq!(shape_blocked("orders", &columns()), None);
    }
}
