//! BG/NBD and Gamma-Gamma fits and predictions agree with the `lifetimes` package
//! (`reference/make_clv_reference.py` produced the expected values from the same summary).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use segmenta_core::explain::lifetime::{
    BgNbd, GammaGamma, LifetimeOptions, clv, fit_bgnbd, fit_gamma_gamma, lifetime,
};
use segmenta_core::features::btyd::{Summary, TimeUnit};

const SUMMARY: &str = include_str!("reference/clv_summary.csv");
const EXPECTED: &str = include_str!("reference/clv_expected.csv");
const REFERENCE: &str = include_str!("reference/clv_reference.json");

fn rows(csv: &str) -> Vec<Vec<f64>> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').skip(1).map(|v| v.parse().unwrap()).collect())
        .collect()
}

fn summaries() -> Vec<Summary> {
    rows(SUMMARY)
        .into_iter()
        .map(|r| Summary {
            x: r[0],
            t_x: r[1],
            big_t: r[2],
            monetary: r[3],
        })
        .collect()
}

fn reference() -> serde_json::Value {
    serde_json::from_str(REFERENCE).unwrap()
}

fn close(what: &str, got: f64, want: f64, relative: f64) {
    assert!(
        (got - want).abs() <= relative * want.abs().max(1e-12),
        "{what}: got {got}, lifetimes {want}"
    );
}

#[test]
fn bgnbd_parameters_equal_lifetimes() {
    let fit = fit_bgnbd(&summaries()).unwrap();
    let want = &reference()["bgnbd"];
    let BgNbd { r, alpha, a, b } = fit.params;
    for (name, got) in [("r", r), ("alpha", alpha), ("a", a), ("b", b)] {
        close(name, got, want[name].as_f64().unwrap(), 1e-5);
    }
    close(
        "mean negative log-likelihood",
        fit.mean_negative_log_likelihood,
        reference()["bgnbd_mean_negative_log_likelihood"]
            .as_f64()
            .unwrap(),
        1e-9,
    );
    assert_eq!(fit.customers, 1000);
}

#[test]
fn gamma_gamma_parameters_equal_lifetimes() {
    let fit = fit_gamma_gamma(&summaries()).unwrap();
    let want = &reference()["gamma_gamma"];
    let GammaGamma { p, q, v } = fit.params;
    for (name, got) in [("p", p), ("q", q), ("v", v)] {
        close(name, got, want[name].as_f64().unwrap(), 1e-5);
    }
    close(
        "mean negative log-likelihood",
        fit.mean_negative_log_likelihood,
        reference()["gamma_gamma_mean_negative_log_likelihood"]
            .as_f64()
            .unwrap(),
        1e-9,
    );
    assert_eq!(
        fit.customers,
        reference()["repeat_customers"].as_u64().unwrap() as usize
    );
}

/// Predictions with lifetimes' own parameters, so they test the formulas alone.
#[test]
fn predictions_equal_lifetimes_for_every_customer() {
    let reference = reference();
    let p = |k: &str, m: &str| reference[k][m].as_f64().unwrap();
    let purchases = BgNbd {
        r: p("bgnbd", "r"),
        alpha: p("bgnbd", "alpha"),
        a: p("bgnbd", "a"),
        b: p("bgnbd", "b"),
    };
    let spend = GammaGamma {
        p: p("gamma_gamma", "p"),
        q: p("gamma_gamma", "q"),
        v: p("gamma_gamma", "v"),
    };
    let expected = rows(EXPECTED);
    let summaries = summaries();
    assert_eq!(expected.len(), summaries.len());
    for (i, (s, want)) in summaries.iter().zip(&expected).enumerate() {
        close(&format!("p_alive {i}"), purchases.p_alive(s), want[0], 1e-9);
        close(
            &format!("expected purchases {i}"),
            purchases.expected_purchases(s, 90.0).unwrap(),
            want[1],
            1e-8,
        );
        close(
            &format!("expected order value {i}"),
            spend.expected_order_value(s),
            want[2],
            1e-9,
        );
        close(
            &format!("clv {i}"),
            clv(&purchases, &spend, s, TimeUnit::Days, 360.0, 0.01).unwrap(),
            want[3],
            1e-8,
        );
    }
}

#[test]
fn the_whole_report_flags_at_risk_customers() {
    let summaries = summaries();
    let report = lifetime(&summaries, TimeUnit::Days, LifetimeOptions::default()).unwrap();
    assert_eq!(report.customers.len(), summaries.len());
    let values: Vec<_> = report.customers.iter().map(|c| c.unwrap()).collect();
    let at_risk = values.iter().filter(|c| c.at_risk).count();
    assert!(at_risk > 0 && at_risk < summaries.len(), "{at_risk}");
    // Everyone silent for more than twice their own usual gap is flagged.
    for (s, c) in summaries.iter().zip(&values) {
        if s.x > 0.0 && s.big_t - s.t_x > 2.0 * s.t_x / s.x {
            assert!(c.at_risk);
        }
    }
    // The sample's big spenders also buy most often; the report says so.
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].contains("correlation 0.54"));
}
