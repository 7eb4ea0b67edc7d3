//! The buy-till-you-die summary lifetime-value models start from, with the definitions of
//! the `lifetimes` Python package's `summary_data_from_transaction_data`: purchases on the
//! same day are one purchase period; `x` is the number of repeat periods, `t_x` the time
//! from the first to the last period, `T` the time from the first period to the end of
//! observation, and the monetary value the mean of the repeat periods' totals.

use serde::{Deserialize, Serialize};

/// The unit `t_x` and `T` are measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days (`lifetimes`: `freq="D"`).
    #[default]
    Days,
    /// Weeks of seven days (`lifetimes`: `freq="D", freq_multiplier=7`).
    Weeks,
}

impl TimeUnit {
    /// Days per unit.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
        }
    }
}

/// One customer's summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Repeat purchase periods (`frequency` in `lifetimes`).
    pub x: f64,
    /// First to last purchase (`recency` in `lifetimes`).
    pub t_x: f64,
    /// First purchase to the end of observation.
    pub big_t: f64,
    /// Mean value of the repeat periods; 0 without repeats (`monetary_value`).
    pub monetary: f64,
}

/// Summarizes one customer's purchases, given as `(day, value)` in any order, as of day
/// `as_of` (the observation end, as a day number). `None` without purchases.
pub fn summarize(purchases: &[(i64, f64)], as_of: i64, unit: TimeUnit) -> Option<Summary> {
    let mut days: Vec<(i64, f64)> = purchases.to_vec();
    days.sort_by_key(|(d, _)| *d);
    // Merge same-day purchases into one period.
    let mut periods: Vec<(i64, f64)> = Vec::with_capacity(days.len());
    for (day, value) in days {
        match periods.last_mut() {
            Some((d, v)) if *d == day => *v += value,
            _ => periods.push((day, value)),
        }
    }
    let (first, _) = *periods.first()?;
    let (last, _) = *periods.last()?;
    let repeats = &periods[1..];
    let monetary = if repeats.is_empty() {
        0.0
    } else {
        repeats.iter().map(|(_, v)| v).sum::<f64>() / repeats.len() as f64
    };
    Some(Summary {
        x: repeats.len() as f64,
        t_x: (last - first) as f64 / unit.days(),
        big_t: (as_of - first) as f64 / unit.days(),
        monetary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three customers of the example in this module's reference test, checked by hand
    /// against `lifetimes` 0.11.3 (see `tests/reference/make_btyd_reference.py`).
    #[test]
    fn same_day_purchases_merge_and_repeats_carry_the_money() {
        // a: 10 and 5 on day 0, 20 on day 4; observation ends on day 19.
        let a = summarize(&[(0, 10.0), (0, 5.0), (4, 20.0)], 19, TimeUnit::Days).unwrap();
        assert_eq!(
            a,
            Summary {
                x: 1.0,
                t_x: 4.0,
                big_t: 19.0,
                monetary: 20.0
            }
        );
        let c = summarize(&[(2, 9.0)], 19, TimeUnit::Days).unwrap();
        assert_eq!(
            c,
            Summary {
                x: 0.0,
                t_x: 0.0,
                big_t: 17.0,
                monetary: 0.0
            }
        );
        let b = summarize(&[(9, 3.0), (1, 7.0)], 19, TimeUnit::Weeks).unwrap();
        assert_eq!(b.x, 1.0);
        assert!((b.t_x - 8.0 / 7.0).abs() < 1e-15);
        assert!((b.big_t - 18.0 / 7.0).abs() < 1e-15);
        assert!(summarize(&[], 19, TimeUnit::Days).is_none());
    }
}
