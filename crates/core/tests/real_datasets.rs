//! Real third-party exports from `../shared/datasets` (never copied into the repository).
//! Expected counts were checked independently with pandas 3.1:
//! `pd.read_csv('online_retail.csv', dtype=str)` → 541,909 rows, 135,080 missing CustomerID;
//! `pd.read_csv('bank_marketing.csv', sep=';', na_values=['unknown'])` → job 39 missing,
//! marital 11, education 167, default 803, housing 105, loan 105.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use segmenta_core::ingest::{ReadOptions, Separator, TextEncoding, read_bytes, read_seekable};
use segmenta_core::progress::NoProgress;
use segmenta_core::table::ColumnKind;

/// The shared datasets folder: `$SEGMENTA_DATASETS`, else `../shared/datasets` next to the
/// repository. `None` (and a note on stderr) when it is not on this machine.
fn dataset(name: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("SEGMENTA_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets")
        });
    let path = dir.join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} not found (set SEGMENTA_DATASETS to the shared datasets folder)",
            path.display()
        );
        None
    }
}

#[test]
fn online_retail_reads_with_the_right_kinds_and_missing_ids() {
    let Some(path) = dataset("online_retail.csv") else {
        return;
    };
    let loaded = read_seekable(
        &mut std::fs::File::open(path).unwrap(),
        &ReadOptions::default(),
        &mut NoProgress,
    )
    .unwrap();
    let t = &loaded.table;
    assert_eq!(t.n_rows(), 541_909);
    assert_eq!(loaded.report.problem_count, 0);
    let kind = |n: &str| t.column(n).unwrap().kind;
    assert_eq!(kind("InvoiceNo"), ColumnKind::Id);
    assert_eq!(kind("StockCode"), ColumnKind::Id);
    assert_eq!(kind("Description"), ColumnKind::Text);
    assert_eq!(kind("Quantity"), ColumnKind::Integer);
    assert_eq!(kind("InvoiceDate"), ColumnKind::Date);
    assert_eq!(kind("UnitPrice"), ColumnKind::Numeric);
    assert_eq!(kind("CustomerID"), ColumnKind::Id);
    assert_eq!(kind("Country"), ColumnKind::Categorical);
    let customer = t.column("CustomerID").unwrap();
    assert_eq!(customer.missing, 135_080);
    assert_eq!(customer.distinct(), 4_372);
    assert_eq!(
        customer.display(0),
        "17850",
        "float-looking ids are normalized"
    );
    assert_eq!(t.column("Country").unwrap().distinct(), 38);
    assert_eq!(
        t.column("InvoiceDate").unwrap().display(0),
        "2010-12-01 08:26:00"
    );
}

#[test]
fn a_latin1_copy_of_online_retail_shows_the_pound_sign() {
    let Some(path) = dataset("online_retail.csv") else {
        return;
    };
    let utf8 = std::fs::read_to_string(path).unwrap();
    let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&utf8);
    assert!(!unmappable);
    let loaded = read_bytes(&latin1, &ReadOptions::default()).unwrap();
    assert_eq!(loaded.report.encoding, TextEncoding::Windows1252);
    assert_eq!(loaded.table.n_rows(), 541_909);
    let description = loaded.table.column("Description").unwrap();
    let voucher = (0..loaded.table.n_rows())
        .map(|i| description.display(i))
        .find(|d| d.starts_with("Dotcomgiftshop Gift Voucher"));
    assert_eq!(
        voucher.as_deref(),
        Some("Dotcomgiftshop Gift Voucher £40.00")
    );
}

#[test]
fn bank_marketing_semicolons_quotes_and_unknown_tokens() {
    let Some(path) = dataset("bank_marketing.csv") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let options = ReadOptions {
        missing_token: Some("unknown".into()),
        ..ReadOptions::default()
    };
    let loaded = read_bytes(&bytes, &options).unwrap();
    assert_eq!(loaded.report.dialect.separator, Separator::Byte(b';'));
    let t = &loaded.table;
    assert_eq!((t.n_rows(), t.columns().len()), (4_119, 21));
    for (name, missing) in [
        ("job", 39),
        ("marital", 11),
        ("education", 167),
        ("default", 803),
        ("housing", 105),
        ("loan", 105),
    ] {
        assert_eq!(t.column(name).unwrap().missing, missing, "{name}");
    }
    assert!(t.column("emp.var.rate").unwrap().kind.is_numeric());
    assert_eq!(t.column("y").unwrap().kind, ColumnKind::Boolean);
    // How the customer was contacted (`cellular`, `telephone`): a feature, not a name.
    let contact = t.column("contact").unwrap();
    assert_eq!((contact.kind, contact.pii), (ColumnKind::Categorical, None));
    // Without the token, "unknown" is an ordinary category.
    let plain = read_bytes(&bytes, &ReadOptions::default()).unwrap();
    assert_eq!(plain.table.column("job").unwrap().missing, 0);
}

#[test]
fn wholesale_crlf_and_category_codes() {
    let Some(path) = dataset("wholesale_customers.csv") else {
        return;
    };
    let loaded = read_bytes(&std::fs::read(path).unwrap(), &ReadOptions::default()).unwrap();
    let t = &loaded.table;
    assert_eq!(t.n_rows(), 440);
    assert_eq!(t.column("Channel").unwrap().kind, ColumnKind::Categorical);
    assert_eq!(t.column("Region").unwrap().kind, ColumnKind::Categorical);
    assert_eq!(t.column("Fresh").unwrap().kind, ColumnKind::Integer);
    assert_eq!(loaded.report.problem_count, 0);
}

#[test]
fn online_retail_yields_4372_customers_with_every_rule_counted() {
    use segmenta_core::features::orders::{Amount, OrderOptions, OrderRoles, aggregate};
    let Some(path) = dataset("online_retail.csv") else {
        return;
    };
    let log = read_seekable(
        &mut std::fs::File::open(path).unwrap(),
        &ReadOptions::default(),
        &mut NoProgress,
    )
    .unwrap()
    .table;
    let roles = OrderRoles {
        customer: "CustomerID".into(),
        date: "InvoiceDate".into(),
        amount: Amount::QuantityPrice {
            quantity: "Quantity".into(),
            price: "UnitPrice".into(),
        },
        invoice: Some("InvoiceNo".into()),
        product: Some("StockCode".into()),
        category: None,
        channel: None,
    };
    let customers = aggregate(&log, &roles, &OrderOptions::default()).unwrap();
    let c = &customers.cleaning;
    // pandas: r.duplicated().sum() == 5268; after drop_duplicates, 401,604 rows have an id
    // (4,372 customers), of which 8,872 are cancellations, 40 have a zero price and 392,692
    // are purchases by 4,338 customers.
    assert_eq!(c.duplicates, 5_268);
    assert_eq!(c.without_customer, 541_909 - 5_268 - 401_604);
    assert_eq!((c.without_date, c.after_as_of, c.adjustments), (0, 0, 0));
    assert_eq!((c.returns, c.zero_price, c.purchases), (8_872, 40, 392_692));
    assert_eq!((c.customers, c.customers_without_purchases), (4_372, 34));
    assert_eq!(customers.table.n_rows(), 4_372);
    assert_eq!(
        segmenta_core::date::format_timestamp(c.as_of * segmenta_core::date::DAY),
        "2011-12-10"
    );
    assert_eq!(
        customers.table.column("Country").unwrap().kind,
        ColumnKind::Categorical
    );
}
