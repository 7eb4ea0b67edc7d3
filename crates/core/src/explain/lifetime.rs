//! Churn risk and customer lifetime value from the buy-till-you-die summary
//! ([`crate::features::btyd`]): the BG/NBD purchase model (Fader, Hardie & Lee 2005) and
//! the Gamma-Gamma spend model (Fader & Hardie 2013), fitted by maximum likelihood exactly
//! as the `lifetimes` Python package fits them without a penalizer, so the parameters agree
//! with its `BetaGeoFitter` and `GammaGammaFitter` (see `tests/reference/make_clv_reference.py`).
//!
//! The assumptions, in the words the app shows: while active, a customer buys at a steady
//! personal rate; after any purchase they may drop out for good with a personal
//! probability; rates and probabilities vary across customers; how much a customer spends
//! per order does not depend on how often they order.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::features::btyd::{Summary, TimeUnit};
use crate::optimize::{Stop, bfgs};
use crate::special::{digamma, ln_gamma, ln_hyp2f1};
use crate::table::Table;

/// BG/NBD parameters: purchase rates are Gamma(r, α) across customers (α in the summary's
/// time unit), drop-out probabilities Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution, in the summary's time unit.
    pub alpha: f64,
    /// First shape of the drop-out distribution.
    pub a: f64,
    /// Second shape of the drop-out distribution.
    pub b: f64,
}

/// Gamma-Gamma parameters: order values vary around a customer's own mean, which varies
/// across customers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    /// Shape of the order-value distribution around a customer's mean.
    pub p: f64,
    /// Shape of the distribution of customers' means.
    pub q: f64,
    /// Scale of the distribution of customers' means.
    pub v: f64,
}

/// A fitted model and how well it fits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Fitted<P> {
    /// The maximum-likelihood parameters.
    pub params: P,
    /// Mean negative log-likelihood per customer at the optimum (as `lifetimes` reports it).
    pub mean_negative_log_likelihood: f64,
    /// Customers the fit used.
    pub customers: usize,
}

/// Why a lifetime model cannot be fitted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LifetimeError {
    /// Too few customers to fit anything.
    #[error(
        "Lifetime value needs at least {need} customers with purchases; this data has {have}. Add more order history."
    )]
    TooFewCustomers {
        /// Customers available.
        have: usize,
        /// Customers needed.
        need: usize,
    },
    /// Nobody bought twice, so there is nothing to learn repeat behaviour from.
    #[error(
        "Lifetime value needs customers who bought on at least two different days; {have} of them did, {need} are needed. Use a longer order history."
    )]
    TooFewRepeatCustomers {
        /// Repeat customers available.
        have: usize,
        /// Repeat customers needed.
        need: usize,
    },
    /// The table has no purchase summary: it was not built from an order log.
    #[error(
        "Lifetime value needs an order log (one row per order line with customer, date and amount); this data is a customer table without order dates."
    )]
    NotAnOrderLog,
    /// A summary row is impossible (negative counts, last purchase after the end, …).
    #[error("Customer row {row} has an impossible purchase summary: {what}.")]
    InvalidSummary {
        /// Row number, 1-based.
        row: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// The optimizer did not find a maximum.
    #[error(
        "The {model} model could not be fitted to this data (no stable best fit). The history may be too short or too uniform for lifetime value."
    )]
    NoFit {
        /// Which model.
        model: &'static str,
    },
}

/// Fewest customers a BG/NBD fit is attempted on.
pub const MIN_CUSTOMERS: usize = 10;
/// Fewest repeat customers either fit is attempted on.
pub const MIN_REPEAT_CUSTOMERS: usize = 3;

fn check(summaries: &[Summary]) -> Result<(), LifetimeError> {
    for (i, s) in summaries.iter().enumerate() {
        let what = if !(s.x.is_finite() && s.t_x.is_finite() && s.big_t.is_finite()) {
            Some("a value is missing")
        } else if s.x < 0.0 || s.x.fract() != 0.0 {
            Some("the number of repeat purchases is not a whole number ≥ 0")
        } else if s.t_x < 0.0 || s.t_x > s.big_t {
            Some("the last purchase is outside the observation period")
        } else if s.x == 0.0 && s.t_x != 0.0 {
            Some("a customer without repeat purchases has a time between first and last")
        } else if !(s.monetary.is_finite()) || s.monetary < 0.0 {
            Some("the average order value is missing or negative")
        } else {
            None
        };
        if let Some(what) = what {
            return Err(LifetimeError::InvalidSummary { row: i + 1, what });
        }
    }
    Ok(())
}

/// Fits the BG/NBD model to every customer's `(x, t_x, T)`.
pub fn fit_bgnbd(summaries: &[Summary]) -> Result<Fitted<BgNbd>, LifetimeError> {
    check(summaries)?;
    let n = summaries.len();
    if n < MIN_CUSTOMERS {
        return Err(LifetimeError::TooFewCustomers {
            have: n,
            need: MIN_CUSTOMERS,
        });
    }
    let repeat = summaries.iter().filter(|s| s.x > 0.0).count();
    if repeat < MIN_REPEAT_CUSTOMERS {
        return Err(LifetimeError::TooFewRepeatCustomers {
            have: repeat,
            need: MIN_REPEAT_CUSTOMERS,
        });
    }
    // Like `lifetimes`, fit on times scaled so the longest history is 1 (better conditioned),
    // then scale α back.
    let max_t = summaries.iter().fold(0.0f64, |m, s| m.max(s.big_t));
    if max_t.is_nan() || max_t <= 0.0 {
        return Err(LifetimeError::NoFit { model: "BG/NBD" });
    }
    let scale = 1.0 / max_t;
    let scaled: Vec<Summary> = summaries
        .iter()
        .map(|s| Summary {
            t_x: s.t_x * scale,
            big_t: s.big_t * scale,
            ..*s
        })
        .collect();
    let objective = |u: &[f64], grad: &mut [f64]| bgnbd_objective(&scaled, u, grad);
    let min = bfgs(objective, &[0.1; 4], 1e-11, 1000);
    if min.stop == Stop::Budget || !min.value.is_finite() || min.gradient_norm > 1e-6 {
        return Err(LifetimeError::NoFit { model: "BG/NBD" });
    }
    let [r, alpha, a, b] = [0, 1, 2, 3].map(|i| min.x[i].exp());
    Ok(Fitted {
        params: BgNbd {
            r,
            alpha: alpha / scale,
            a,
            b,
        },
        mean_negative_log_likelihood: min.value,
        customers: n,
    })
}

/// Mean negative log-likelihood of BG/NBD at log-parameters `u`, and its gradient in `u`.
fn bgnbd_objective(data: &[Summary], u: &[f64], grad: &mut [f64]) -> f64 {
    let [r, alpha, a, b] = [0, 1, 2, 3].map(|i| u[i].exp());
    let mut ll = 0.0;
    let mut d = [0.0f64; 4];
    let (lg_r, dg_r, ln_alpha) = (ln_gamma(r), digamma(r), alpha.ln());
    let (lg_ab, dg_ab, lg_b, dg_b) = (ln_gamma(a + b), digamma(a + b), ln_gamma(b), digamma(b));
    for s in data {
        let x = s.x;
        let a1 = ln_gamma(r + x) - lg_r + r * ln_alpha;
        let a2 = lg_ab + ln_gamma(b + x) - lg_b - ln_gamma(a + b + x);
        let ln_at = (alpha + s.big_t).ln();
        let a3 = -(r + x) * ln_at;
        // With repeat purchases, the customer may also have dropped out after the last one.
        let (w3, w4, ln_ar, mix) = if x > 0.0 {
            let ln_ar = (alpha + s.t_x).ln();
            let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * ln_ar;
            let m = a3.max(a4);
            let (e3, e4) = ((a3 - m).exp(), (a4 - m).exp());
            (e3 / (e3 + e4), e4 / (e3 + e4), ln_ar, m + (e3 + e4).ln())
        } else {
            (1.0, 0.0, 0.0, a3)
        };
        ll += a1 + a2 + mix;
        let dg_rx = digamma(r + x);
        let dg_abx = digamma(a + b + x);
        d[0] += dg_rx - dg_r + ln_alpha - w3 * ln_at - w4 * ln_ar;
        d[1] += r / alpha - w3 * (r + x) / (alpha + s.big_t) - w4 * (r + x) / (alpha + s.t_x);
        d[2] += dg_ab - dg_abx + w4 / a;
        d[3] +=
            dg_ab + digamma(b + x) - dg_b - dg_abx - if x > 0.0 { w4 / (b + x - 1.0) } else { 0.0 };
    }
    let n = data.len() as f64;
    for (i, theta) in [r, alpha, a, b].into_iter().enumerate() {
        grad[i] = -d[i] * theta / n;
    }
    -ll / n
}

/// Fits the Gamma-Gamma model to the customers with repeat purchases and a positive
/// average repeat order value (the others carry no information about spend).
pub fn fit_gamma_gamma(summaries: &[Summary]) -> Result<Fitted<GammaGamma>, LifetimeError> {
    check(summaries)?;
    let repeat: Vec<(f64, f64)> = summaries
        .iter()
        .filter(|s| s.x > 0.0 && s.monetary > 0.0)
        .map(|s| (s.x, s.monetary))
        .collect();
    if repeat.len() < MIN_REPEAT_CUSTOMERS {
        return Err(LifetimeError::TooFewRepeatCustomers {
            have: repeat.len(),
            need: MIN_REPEAT_CUSTOMERS,
        });
    }
    let objective = |u: &[f64], grad: &mut [f64]| gamma_gamma_objective(&repeat, u, grad);
    let min = bfgs(objective, &[0.1; 3], 1e-11, 1000);
    if min.stop == Stop::Budget || !min.value.is_finite() || min.gradient_norm > 1e-6 {
        return Err(LifetimeError::NoFit {
            model: "Gamma-Gamma",
        });
    }
    let [p, q, v] = [0, 1, 2].map(|i| min.x[i].exp());
    Ok(Fitted {
        params: GammaGamma { p, q, v },
        mean_negative_log_likelihood: min.value,
        customers: repeat.len(),
    })
}

/// Mean negative log-likelihood of Gamma-Gamma at log-parameters `u`, and its gradient.
fn gamma_gamma_objective(data: &[(f64, f64)], u: &[f64], grad: &mut [f64]) -> f64 {
    let [p, q, v] = [0, 1, 2].map(|i| u[i].exp());
    let (lg_q, dg_q, ln_v) = (ln_gamma(q), digamma(q), v.ln());
    let mut ll = 0.0;
    let mut d = [0.0f64; 3];
    for &(x, m) in data {
        let px = p * x;
        let ln_xmv = (x * m + v).ln();
        let (ln_m, ln_x) = (m.ln(), x.ln());
        ll += ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_v + (px - 1.0) * ln_m + px * ln_x
            - (px + q) * ln_xmv;
        let dg_pxq = digamma(px + q);
        d[0] += x * (dg_pxq - digamma(px) + ln_m + ln_x - ln_xmv);
        d[1] += dg_pxq - dg_q + ln_v - ln_xmv;
        d[2] += q / v - (px + q) / (x * m + v);
    }
    let n = data.len() as f64;
    for (i, theta) in [p, q, v].into_iter().enumerate() {
        grad[i] = -d[i] * theta / n;
    }
    -ll / n
}

impl BgNbd {
    /// Probability that a customer with this history is still active.
    pub fn p_alive(&self, s: &Summary) -> f64 {
        if s.x == 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let ln_odds_gone =
            (r + s.x) * ((alpha + s.big_t) / (alpha + s.t_x)).ln() + (a / (b + s.x - 1.0)).ln();
        1.0 / (1.0 + ln_odds_gone.exp())
    }

    /// Expected repeat purchases in the next `t` time units (equation 10 of Fader, Hardie &
    /// Lee 2005), or `None` where the series does not settle.
    pub fn expected_purchases(&self, s: &Summary, t: f64) -> Option<f64> {
        if t <= 0.0 {
            return Some(0.0);
        }
        let BgNbd { r, alpha, a, b } = *self;
        let x = s.x;
        let c = a + b + x - 1.0;
        let z = t / (alpha + s.big_t + t);
        let (ln_hyp, sign) = ln_hyp2f1(r + x, b + x, c, z)?;
        let first = c / (a - 1.0);
        let second = 1.0
            - sign * (ln_hyp + (r + x) * ((alpha + s.big_t) / (alpha + t + s.big_t)).ln()).exp();
        let denominator = 1.0
            + if x > 0.0 {
                a / (b + x - 1.0) * ((alpha + s.big_t) / (alpha + s.t_x)).powf(r + x)
            } else {
                0.0
            };
        let value = first * second / denominator;
        value.is_finite().then_some(value.max(0.0))
    }
}

impl GammaGamma {
    /// Expected value of this customer's future orders: their own average shrunk towards
    /// the population's, the more so the fewer orders they made.
    pub fn expected_order_value(&self, s: &Summary) -> f64 {
        let GammaGamma { p, q, v } = *self;
        let weight = p * s.x / (p * s.x + q - 1.0);
        let population = v * p / (q - 1.0);
        (1.0 - weight) * population + weight * s.monetary
    }

    /// The population's mean order value, `None` when the fitted spread is so wide the
    /// mean does not exist (q ≤ 1).
    pub fn population_order_value(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.v * self.p / (self.q - 1.0))
    }
}

/// Days in the discounting period: `lifetimes` discounts month by month, a month being
/// 30 days.
pub const DAYS_PER_MONTH: f64 = 30.0;

/// Customer lifetime value over `horizon_days`: expected purchases month by month (30
/// days; a last partial month counts pro rata in time) times the expected order value,
/// each month discounted by `monthly_discount_rate`, as `lifetimes`'
/// `customer_lifetime_value` computes it for whole months.
pub fn clv(
    purchases: &BgNbd,
    spend: &GammaGamma,
    s: &Summary,
    unit: TimeUnit,
    horizon_days: f64,
    monthly_discount_rate: f64,
) -> Option<f64> {
    let order_value = spend.expected_order_value(s);
    let months = (horizon_days / DAYS_PER_MONTH).ceil().max(0.0) as usize;
    let mut total = 0.0;
    let mut before = 0.0;
    for i in 1..=months {
        let days = (i as f64 * DAYS_PER_MONTH).min(horizon_days);
        let upto = purchases.expected_purchases(s, days / unit.days())?;
        total += order_value * (upto - before)
            / (1.0 + monthly_discount_rate).powf(days / DAYS_PER_MONTH);
        before = upto;
    }
    Some(total)
}

/// What the user chose for lifetime value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LifetimeOptions {
    /// How far ahead to predict purchases and value, in days.
    pub horizon_days: f64,
    /// Discount rate per 30-day month, e.g. 0.01.
    pub monthly_discount_rate: f64,
    /// Below this probability of being active a customer is flagged at risk.
    pub at_risk_below: f64,
}

impl Default for LifetimeOptions {
    fn default() -> Self {
        LifetimeOptions {
            horizon_days: 365.0,
            monthly_discount_rate: 0.01,
            at_risk_below: 0.5,
        }
    }
}

/// One customer's predictions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerValue {
    /// Probability of still being an active customer.
    pub p_alive: f64,
    /// Expected purchases (purchase days) over the horizon.
    pub expected_purchases: f64,
    /// Expected value of an order.
    pub expected_order_value: f64,
    /// Discounted expected spend over the horizon.
    pub clv: f64,
    /// Low probability of being active, or silent for more than twice their own usual gap.
    pub at_risk: bool,
}

/// Both models fitted, with every customer's predictions and the reasons to distrust them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lifetime {
    /// The purchase model.
    pub bgnbd: Fitted<BgNbd>,
    /// The spend model.
    pub gamma_gamma: Fitted<GammaGamma>,
    /// The options used.
    pub options: LifetimeOptions,
    /// The unit of the summaries.
    pub unit: TimeUnit,
    /// One per customer, in the order given; `None` where the numbers could not be computed.
    pub customers: Vec<Option<CustomerValue>>,
    /// Why the predictions may be unreliable, as sentences; empty when nothing stands out.
    pub warnings: Vec<String>,
}

/// Customers below which the fits are flagged as unreliable.
pub const RELIABLE_CUSTOMERS: usize = 200;
/// Repeat customers below which the fits are flagged as unreliable.
pub const RELIABLE_REPEAT_CUSTOMERS: usize = 50;
/// Days of history below which the fits are flagged as unreliable.
pub const RELIABLE_HISTORY_DAYS: f64 = 90.0;

/// Fits both models and predicts every customer.
pub fn lifetime(
    summaries: &[Summary],
    unit: TimeUnit,
    options: LifetimeOptions,
) -> Result<Lifetime, LifetimeError> {
    let bgnbd = fit_bgnbd(summaries)?;
    let gamma_gamma = fit_gamma_gamma(summaries)?;
    let typical_gap = median_gap(summaries);
    let customers = summaries
        .iter()
        .map(|s| {
            let p_alive = bgnbd.params.p_alive(s);
            let expected_purchases = bgnbd
                .params
                .expected_purchases(s, options.horizon_days / unit.days())?;
            let clv = clv(
                &bgnbd.params,
                &gamma_gamma.params,
                s,
                unit,
                options.horizon_days,
                options.monthly_discount_rate,
            )?;
            let own_gap = if s.x > 0.0 { s.t_x / s.x } else { typical_gap };
            let silent = s.big_t - s.t_x;
            Some(CustomerValue {
                p_alive,
                expected_purchases,
                expected_order_value: gamma_gamma.params.expected_order_value(s),
                clv,
                at_risk: p_alive < options.at_risk_below
                    || (own_gap > 0.0 && silent > 2.0 * own_gap),
            })
        })
        .collect();
    let warnings = warnings(summaries, unit, &gamma_gamma);
    Ok(Lifetime {
        bgnbd,
        gamma_gamma,
        options,
        unit,
        customers,
        warnings,
    })
}

/// [`lifetime`] for the customer table built from an order log (its `x`, `t_x`, `T` and
/// `monetary_repeat_mean` columns): `customers` has one entry per table row, `None` for
/// customers without a purchase (returns only).
pub fn lifetime_of_table(
    table: &Table,
    unit: TimeUnit,
    options: LifetimeOptions,
) -> Result<Lifetime, LifetimeError> {
    let summaries = summaries_of(table).ok_or(LifetimeError::NotAnOrderLog)?;
    let present: Vec<Summary> = summaries.iter().flatten().copied().collect();
    let mut fitted = lifetime(&present, unit, options)?;
    let mut values = std::mem::take(&mut fitted.customers).into_iter();
    fitted.customers = summaries
        .iter()
        .map(|s| s.and_then(|_| values.next().flatten()))
        .collect();
    Ok(fitted)
}

/// Every row's buy-till-you-die summary from an order-log customer table; `None` when the
/// table has no such columns.
pub fn summaries_of(table: &Table) -> Option<Vec<Option<Summary>>> {
    let column = |name: &str| -> Option<Vec<f64>> {
        let c = table.column(name)?;
        Some((0..table.n_rows()).map(|i| c.number_at(i)).collect())
    };
    let (x, t_x, big_t, monetary) = (
        column("x")?,
        column("t_x")?,
        column("T")?,
        column("monetary_repeat_mean")?,
    );
    Some(
        (0..table.n_rows())
            .map(|i| {
                let s = Summary {
                    x: x[i],
                    t_x: t_x[i],
                    big_t: big_t[i],
                    monetary: monetary[i],
                };
                [s.x, s.t_x, s.big_t, s.monetary]
                    .iter()
                    .all(|v| v.is_finite())
                    .then_some(s)
            })
            .collect(),
    )
}

/// The median of repeat customers' average gap between purchase days, in the summary's unit.
fn median_gap(summaries: &[Summary]) -> f64 {
    let mut gaps: Vec<f64> = summaries
        .iter()
        .filter(|s| s.x > 0.0)
        .map(|s| s.t_x / s.x)
        .collect();
    gaps.sort_unstable_by(f64::total_cmp);
    gaps.get(gaps.len() / 2).copied().unwrap_or(0.0)
}

fn warnings(summaries: &[Summary], unit: TimeUnit, spend: &Fitted<GammaGamma>) -> Vec<String> {
    let mut out = Vec::new();
    let n = summaries.len();
    if n < RELIABLE_CUSTOMERS {
        out.push(format!(
            "Only {n} customers: predictions from fewer than {RELIABLE_CUSTOMERS} are rough."
        ));
    }
    let repeat: Vec<&Summary> = summaries.iter().filter(|s| s.x > 0.0).collect();
    if repeat.len() < RELIABLE_REPEAT_CUSTOMERS {
        out.push(format!(
            "Only {} customers bought on more than one day: fewer than {RELIABLE_REPEAT_CUSTOMERS} make repeat behaviour hard to learn.",
            repeat.len()
        ));
    }
    let history = summaries.iter().fold(0.0f64, |m, s| m.max(s.big_t)) * unit.days();
    if history < RELIABLE_HISTORY_DAYS {
        out.push(format!(
            "The order history covers {} days: less than {RELIABLE_HISTORY_DAYS:.0} days says little about who comes back.",
            crate::numbers::fixed(history, 0)
        ));
    }
    if spend.params.population_order_value().is_none() {
        out.push(
            "Order values vary so widely that the spend model has no stable average: treat lifetime values as rough."
                .to_owned(),
        );
    }
    let corr = correlation(
        repeat.iter().map(|s| s.x),
        repeat.iter().map(|s| s.monetary),
    );
    if let Some(c) = corr
        && c.abs() > 0.3
    {
        out.push(format!(
            "How often customers buy and how much they spend per order are related (correlation {}); the spend model assumes they are not.",
            crate::numbers::fixed(c, 2)
        ));
    }
    out
}

fn correlation(
    a: impl Iterator<Item = f64> + Clone,
    b: impl Iterator<Item = f64> + Clone,
) -> Option<f64> {
    let n = a.clone().count() as f64;
    if n < 3.0 {
        return None;
    }
    let (ma, mb) = (a.clone().sum::<f64>() / n, b.clone().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    (saa > 0.0 && sbb > 0.0).then(|| sab / (saa * sbb).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: f64, t_x: f64, big_t: f64, monetary: f64) -> Summary {
        Summary {
            x,
            t_x,
            big_t,
            monetary,
        }
    }

    #[test]
    fn gradients_match_finite_differences() {
        let data: Vec<Summary> = (0..40)
            .map(|i| {
                let x = (i % 7) as f64;
                let t_x = if x > 0.0 { 3.0 + i as f64 * 0.4 } else { 0.0 };
                s(
                    x,
                    t_x / 30.0,
                    (20.0 + i as f64) / 30.0,
                    10.0 + (i * 13 % 17) as f64,
                )
            })
            .collect();
        let u = [0.3, -1.2, -0.4, 0.8];
        let mut g = [0.0; 4];
        bgnbd_objective(&data, &u, &mut g);
        for i in 0..4 {
            let (mut up, mut down) = (u, u);
            up[i] += 1e-6;
            down[i] -= 1e-6;
            let mut scratch = [0.0; 4];
            let numeric = (bgnbd_objective(&data, &up, &mut scratch)
                - bgnbd_objective(&data, &down, &mut scratch))
                / 2e-6;
            assert!(
                (numeric - g[i]).abs() < 1e-6,
                "bgnbd {i}: {numeric} vs {}",
                g[i]
            );
        }
        let spend: Vec<(f64, f64)> = data
            .iter()
            .filter(|s| s.x > 0.0)
            .map(|s| (s.x, s.monetary))
            .collect();
        let u = [1.1, 0.9, 2.0];
        let mut g = [0.0; 3];
        gamma_gamma_objective(&spend, &u, &mut g);
        for i in 0..3 {
            let (mut up, mut down) = (u, u);
            up[i] += 1e-6;
            down[i] -= 1e-6;
            let mut scratch = [0.0; 3];
            let numeric = (gamma_gamma_objective(&spend, &up, &mut scratch)
                - gamma_gamma_objective(&spend, &down, &mut scratch))
                / 2e-6;
            assert!(
                (numeric - g[i]).abs() < 1e-6,
                "gg {i}: {numeric} vs {}",
                g[i]
            );
        }
    }

    #[test]
    fn bad_summaries_are_named_not_fitted() {
        let mut data = vec![s(1.0, 2.0, 5.0, 10.0); 20];
        data[6] = s(1.0, 9.0, 5.0, 10.0);
        let err = fit_bgnbd(&data).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Customer row 7 has an impossible purchase summary: the last purchase is outside the observation period."
        );
        let one_timers = vec![s(0.0, 0.0, 5.0, 0.0); 20];
        assert!(matches!(
            fit_bgnbd(&one_timers),
            Err(LifetimeError::TooFewRepeatCustomers { have: 0, .. })
        ));
        assert!(matches!(
            fit_bgnbd(&data[..3]),
            Err(LifetimeError::TooFewCustomers { have: 3, .. })
        ));
    }

    #[test]
    fn a_customer_without_repeats_is_alive_and_expected_purchases_start_at_zero() {
        let m = BgNbd {
            r: 0.24,
            alpha: 4.41,
            a: 0.79,
            b: 2.43,
        };
        let newcomer = s(0.0, 0.0, 10.0, 0.0);
        assert_eq!(m.p_alive(&newcomer), 1.0);
        assert_eq!(m.expected_purchases(&newcomer, 0.0), Some(0.0));
        let regular = s(5.0, 30.0, 32.0, 20.0);
        let lapsed = s(5.0, 5.0, 32.0, 20.0);
        assert!(m.p_alive(&regular) > m.p_alive(&lapsed));
        let near = m.expected_purchases(&regular, 10.0).unwrap();
        let far = m.expected_purchases(&regular, 40.0).unwrap();
        assert!(0.0 < near && near < far, "{near} {far}");
    }
}
