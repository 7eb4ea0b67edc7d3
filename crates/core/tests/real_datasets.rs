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
