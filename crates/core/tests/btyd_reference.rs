//! The buy-till-you-die summary agrees with the `lifetimes` package
//! (`reference/make_btyd_reference.py` produced the expected values).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use segmenta_core::features::btyd::TimeUnit;
use segmenta_core::features::orders::{Amount, OrderOptions, OrderRoles, aggregate};
use segmenta_core::ingest::{ReadOptions, read_bytes};

/// Rounds to 2 decimals, half up, from the shortest text of `v` (as Python's
/// `Decimal(repr(v)).quantize(Decimal("0.01"), ROUND_HALF_UP)`).
fn half_up(v: f64) -> String {
    let text = format!("{v}");
    let (negative, text) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text.as_str()),
    };
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes().chain(std::iter::repeat(b'0')).take(2))
        .map(|b| b - b'0')
        .collect();
    if frac.as_bytes().get(2).is_some_and(|d| *d >= b'5') {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let s: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let (i, f) = s.split_at(s.len() - 2);
    format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if i.is_empty() { "0" } else { i },
        f
    )
}

#[test]
fn half_up_rounding() {
    assert_eq!(half_up(10.005), "10.01");
    assert_eq!(half_up(1.0 / 7.0 * 13.0), "1.86");
    assert_eq!(half_up(99.995), "100.00");
    assert_eq!(half_up(0.0), "0.00");
    assert_eq!(half_up(45.925), "45.93");
}

fn check(unit: TimeUnit, expected: &str) {
    let log = read_bytes(
        include_bytes!("reference/btyd_orders.csv"),
        &ReadOptions::default(),
    )
    .unwrap()
    .table;
    let roles = OrderRoles {
        customer: "customer_id".into(),
        date: "order_date".into(),
        amount: Amount::QuantityPrice {
            quantity: "quantity".into(),
            price: "unit_price".into(),
        },
        invoice: Some("order_id".into()),
        product: Some("product".into()),
        category: Some("category".into()),
        channel: Some("channel".into()),
    };
    let ours = aggregate(
        &log,
        &roles,
        &OrderOptions {
            unit,
            ..OrderOptions::default()
        },
    )
    .unwrap();
    let t = &ours.table;
    let ids = &t.columns()[0];
    let mut compared = 0;
    for line in expected.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let row = (0..t.n_rows())
            .find(|&i| ids.display(i) == f[0])
            .unwrap_or_else(|| panic!("{} missing", f[0]));
        let value = |name: &str| half_up(t.column(name).unwrap().number_at(row));
        let got = [
            value("x"),
            value("t_x"),
            value("T"),
            value("monetary_repeat_mean"),
        ];
        assert_eq!(
            got,
            [f[1], f[2], f[3], f[4]],
            "customer {} ({unit:?})",
            f[0]
        );
        compared += 1;
    }
    assert_eq!(compared, 150);
}

#[test]
fn summary_in_days_equals_lifetimes() {
    check(
        TimeUnit::Days,
        include_str!("reference/btyd_expected_days.csv"),
    );
}

#[test]
fn summary_in_weeks_equals_lifetimes() {
    check(
        TimeUnit::Weeks,
        include_str!("reference/btyd_expected_weeks.csv"),
    );
}
