//! Why is this customer in their segment?
//!
//! Each customer is compared with the centre of their own segment and with the runner-up:
//! the nearest other centre, or for Gaussian mixtures the next most likely component. The
//! squared distance to a centre is a sum over features, so the difference between the two
//! squared distances splits exactly into one share per feature:
//!
//! `pull_j = (x_j − runner_up_j)² − (x_j − own_j)²`
//!
//! A feature with a large positive pull is one on which the customer looks like their own
//! segment and unlike the runner-up; those are "the features that put them there". For a
//! k-prototypes category the pull is `γ·[x ≠ mode_runner_up] − γ·[x ≠ mode_own]`: γ when
//! the customer shares their own segment's most common value and not the runner-up's. For outliers
//! (DBSCAN), who have no segment, the features are the ones that keep them furthest from
//! the nearest segment.
//!
//! Distances are in prepared units (after the log, scaling and weights the user chose),
//! which is what the algorithms compare; values shown are in original units.

use ndarray::{Array2, ArrayView1};
use serde::{Deserialize, Serialize};

use super::describe::{figure, label};
use crate::cluster::Points;
use crate::table::MISSING_CODE;

/// Features named per customer, at most.
pub const REASONS: usize = 3;

/// The centre of every segment in prepared units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Centres {
    /// Mean of each prepared numeric feature per segment (`k × d`).
    pub numbers: Array2<f64>,
    /// Most common category code per segment (`k × m`, k-prototypes only).
    pub modes: Array2<u32>,
    /// Weight of one differing category (k-prototypes' γ; 0 otherwise).
    pub gamma: f64,
}

impl Centres {
    /// The centres of `k` segments of `points`, from each customer's label (`None`, an
    /// outlier, counts for no segment).
    pub fn of(points: Points<'_>, labels: &[Option<usize>], k: usize, gamma: f64) -> Centres {
        let d = points.numbers.ncols();
        let mut numbers = Array2::<f64>::zeros((k, d));
        let mut sizes = vec![0usize; k];
        for (row, label) in points.numbers.rows().into_iter().zip(labels) {
            if let Some(&l) = label.as_ref().filter(|&&l| l < k) {
                sizes[l] += 1;
                numbers.row_mut(l).scaled_add(1.0, &row);
            }
        }
        for (mut centre, &size) in numbers.rows_mut().into_iter().zip(&sizes) {
            centre /= size.max(1) as f64;
        }
        let m = points.categories.map_or(0, |c| c.ncols());
        let mut modes = Array2::from_elem((k, m), MISSING_CODE);
        if let Some(codes) = points.categories {
            for j in 0..m {
                let mut counts: Vec<rustc_hash::FxHashMap<u32, usize>> =
                    vec![Default::default(); k];
                for (&code, label) in codes.column(j).iter().zip(labels) {
                    if let Some(&l) = label.as_ref().filter(|&&l| l < k)
                        && code != MISSING_CODE
                    {
                        *counts[l].entry(code).or_default() += 1;
                    }
                }
                for (l, c) in counts.iter().enumerate() {
                    // The most common code; the smaller code on ties, so it is reproducible.
                    if let Some((&code, _)) =
                        c.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    {
                        modes[[l, j]] = code;
                    }
                }
            }
        }
        Centres {
            numbers,
            modes,
            gamma,
        }
    }

    /// Number of segments.
    pub fn k(&self) -> usize {
        self.numbers.nrows()
    }

    /// Each feature's share of the squared distance from a customer to centre `c`: the
    /// numeric features, then one per category column.
    fn parts(&self, x: ArrayView1<f64>, codes: &[u32], c: usize) -> Vec<f64> {
        let numeric = x
            .iter()
            .zip(self.numbers.row(c))
            .map(|(v, m)| (v - m).powi(2));
        let categories = codes.iter().zip(self.modes.row(c)).map(|(&v, &m)| {
            if v != MISSING_CODE && m != MISSING_CODE && v != m {
                self.gamma
            } else {
                0.0
            }
        });
        numeric.chain(categories).collect()
    }

    /// Distance from a customer to every centre.
    pub fn distances(&self, x: ArrayView1<f64>, codes: &[u32]) -> Vec<f64> {
        (0..self.k())
            .map(|c| self.parts(x, codes, c).iter().sum::<f64>().sqrt())
            .collect()
    }
}

/// A value in a reason: a number in original units, or a category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Shown {
    /// A number.
    Number(f64),
    /// A share of customers, `0..=1` (an indicator's segment average).
    Share {
        /// The share.
        share: f64,
    },
    /// A category's value.
    Category(String),
}

impl Shown {
    /// The value as a sentence shows it.
    pub fn text(&self) -> String {
        match self {
            // A customer's own count (3 orders) reads as a whole number.
            Shown::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => {
                let sign = if *v < 0.0 { "-" } else { "" };
                format!("{sign}{}", crate::numbers::count(v.abs() as usize))
            }
            Shown::Number(v) => figure(*v),
            Shown::Share { share } => crate::numbers::percent(*share, 0),
            Shown::Category(s) if s.is_empty() => "–".into(),
            Shown::Category(s) => s.clone(),
        }
    }
}

/// One feature that put a customer in their segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The feature.
    pub feature: String,
    /// The customer's value.
    pub value: Shown,
    /// Their segment's average (or most common value).
    pub segment: Shown,
    /// The runner-up's average (or most common value).
    pub runner_up: Option<Shown>,
    /// This feature's share of what separates the two, `0..=1` (for outliers: of the
    /// distance to the nearest segment).
    pub share: f64,
}

/// Why a customer is in their segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Why {
    /// Their segment (profile index; for outliers, the outlier group's).
    pub segment: usize,
    /// Whether they are an outlier (in no segment).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outlier: bool,
    /// The next best segment (for outliers: the nearest one).
    pub runner_up: Option<usize>,
    /// Distance to their segment's centre, in prepared units (`None` for outliers).
    pub distance: Option<f64>,
    /// Distance to the runner-up's centre.
    pub runner_up_distance: Option<f64>,
    /// Probability of their segment (Gaussian mixtures).
    pub probability: Option<f64>,
    /// Probability of the runner-up (Gaussian mixtures).
    pub runner_up_probability: Option<f64>,
    /// The features that put them there, strongest first (at most [`REASONS`]).
    pub reasons: Vec<Reason>,
}

/// What the explanation of one customer needs besides the centres.
#[derive(Debug, Clone, Copy)]
pub struct Customer<'a> {
    /// Their segment (profile index; `k` or more is the outlier group).
    pub segment: usize,
    /// Prepared numeric values.
    pub prepared: ArrayView1<'a, f64>,
    /// Category codes.
    pub codes: &'a [u32],
    /// Numeric values in original units.
    pub raw: ArrayView1<'a, f64>,
    /// Category values as text.
    pub categories: &'a [String],
    /// Segment probabilities (Gaussian mixtures).
    pub probabilities: Option<&'a [f64]>,
}

/// Segment averages in original units and category texts, to quote beside the customer's.
#[derive(Debug, Clone, Copy)]
pub struct Quotes<'a> {
    /// Numeric feature names then category column names.
    pub features: &'a [String],
    /// Each segment's mean of each numeric feature, original units (`[segment][feature]`).
    pub means: &'a [Vec<f64>],
    /// Each category column's values (a code is a position here).
    pub levels: &'a [Vec<String>],
}

/// Explains one customer's segment against the runner-up.
pub fn why(centres: &Centres, quotes: Quotes<'_>, customer: Customer<'_>) -> Why {
    let k = centres.k();
    let outlier = customer.segment >= k;
    let distances = centres.distances(customer.prepared, customer.codes);
    let closest_other = |skip: Option<usize>| {
        (0..k)
            .filter(|&c| Some(c) != skip)
            .min_by(|&a, &b| distances[a].total_cmp(&distances[b]))
    };
    let own = (!outlier).then_some(customer.segment);
    let runner_up = match (customer.probabilities, own) {
        (Some(p), Some(own)) => (0..p.len().min(k))
            .filter(|&c| c != own)
            .max_by(|&a, &b| p[a].total_cmp(&p[b])),
        _ => closest_other(own),
    };
    let mut pulls: Vec<f64> = match (own, runner_up) {
        (Some(a), Some(b)) => centres
            .parts(customer.prepared, customer.codes, b)
            .iter()
            .zip(centres.parts(customer.prepared, customer.codes, a))
            .map(|(to_b, to_a)| to_b - to_a)
            .collect(),
        // Outliers: what keeps them away from the nearest segment.
        (None, Some(b)) => centres.parts(customer.prepared, customer.codes, b),
        _ => Vec::new(),
    };
    pulls.iter_mut().for_each(|p| {
        if p.is_nan() || *p < 0.0 {
            *p = 0.0;
        }
    });
    let total: f64 = pulls.iter().sum();
    let mut order: Vec<usize> = (0..pulls.len()).filter(|&j| pulls[j] > 0.0).collect();
    order.sort_by(|&a, &b| pulls[b].total_cmp(&pulls[a]).then(a.cmp(&b)));
    let d = customer.raw.len();
    let is_indicator = |j: usize| {
        quotes
            .features
            .get(j)
            .is_some_and(|f| super::describe::indicator(f).is_some())
    };
    let quote = |segment: usize, j: usize| -> Shown {
        if j < d {
            let mean = quotes
                .means
                .get(segment)
                .and_then(|m| m.get(j))
                .copied()
                .unwrap_or(f64::NAN);
            if is_indicator(j) {
                Shown::Share { share: mean }
            } else {
                Shown::Number(mean)
            }
        } else {
            let code = centres.modes[[segment, j - d]];
            Shown::Category(
                quotes
                    .levels
                    .get(j - d)
                    .and_then(|l| l.get(code as usize))
                    .cloned()
                    .unwrap_or_default(),
            )
        }
    };
    let reasons = order
        .into_iter()
        .take(REASONS)
        .map(|j| Reason {
            feature: quotes.features.get(j).cloned().unwrap_or_default(),
            value: if j < d && is_indicator(j) {
                Shown::Category(if customer.raw[j] > 0.5 { "yes" } else { "no" }.into())
            } else if j < d {
                Shown::Number(customer.raw[j])
            } else {
                Shown::Category(customer.categories.get(j - d).cloned().unwrap_or_default())
            },
            segment: quote(
                customer.segment.min(quotes.means.len().saturating_sub(1)),
                j,
            ),
            runner_up: runner_up.map(|b| quote(b, j)),
            share: pulls[j] / total,
        })
        .collect::<Vec<_>>();
    let reasons = if outlier {
        // An outlier's own "segment" has no centre to quote.
        reasons
            .into_iter()
            .map(|r| Reason {
                segment: r.runner_up.clone().unwrap_or(r.segment),
                ..r
            })
            .collect()
    } else {
        reasons
    };
    let probability = |c: Option<usize>| Some(*customer.probabilities?.get(c?)?);
    Why {
        segment: customer.segment,
        outlier,
        runner_up,
        distance: own.map(|a| distances[a]),
        runner_up_distance: runner_up.map(|b| distances[b]),
        probability: probability(own),
        runner_up_probability: probability(runner_up),
        reasons,
    }
}

impl Why {
    /// The explanation in plain words, with segment names from `names` (by profile index).
    pub fn sentences(&self, names: &[String]) -> Vec<String> {
        let name = |c: Option<usize>| {
            c.and_then(|c| names.get(c))
                .map_or_else(|| "another segment".to_owned(), |n| format!("“{n}”"))
        };
        let own = name(Some(self.segment));
        let other = name(self.runner_up);
        let mut out = Vec::new();
        if self.outlier {
            out.push(format!(
                "Too unlike other customers to join a segment; the nearest segment is {other}."
            ));
        } else if let (Some(p), Some(q)) = (self.probability, self.runner_up_probability) {
            out.push(format!(
                "{} likely to belong to {own}; the next most likely segment is {other} ({}).",
                crate::numbers::percent(p, 0),
                crate::numbers::percent(q, 0)
            ));
        } else if let Some(p) = self.probability {
            out.push(format!(
                "{} likely to belong to {own}.",
                crate::numbers::percent(p, 0)
            ));
        } else if let (Some(a), Some(b)) = (self.distance, self.runner_up_distance) {
            let ratio = if a > 0.0 { b / a } else { f64::INFINITY };
            out.push(if ratio >= 1.5 {
                if ratio.is_finite() {
                    format!(
                        "Clearly in {own}: {}× closer to its centre than to the next nearest segment, {other}.",
                        crate::numbers::fixed(ratio, 1)
                    )
                } else {
                    format!("Right at the centre of {own}; the next nearest segment is {other}.")
                }
            } else if ratio >= 1.1 {
                format!(
                    "In {own}, though {other} is not far off (its centre is {}× as far).",
                    crate::numbers::fixed(ratio, 1)
                )
            } else if ratio >= 1.0 {
                format!("On the border between {own} and {other}: almost as close to both.")
            } else {
                format!(
                    "Grouped with {own} through the customers around them, although the centre of {other} is nearer."
                )
            });
        } else {
            out.push(format!("In {own}, the only segment."));
        }
        for r in &self.reasons {
            let value = r.value.text();
            let feature = label(&r.feature);
            out.push(match (&r.runner_up, self.outlier) {
                (Some(b), false) => format!(
                    "{feature}: {value} (typical of {own}: {}; of {other}: {}).",
                    r.segment.text(),
                    b.text()
                ),
                (Some(b), true) => {
                    format!("{feature}: {value} (typical of {other}: {}).", b.text())
                }
                (None, _) => format!(
                    "{feature}: {value} (typical of {own}: {}).",
                    r.segment.text()
                ),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn quotes<'a>(features: &'a [String], means: &'a [Vec<f64>]) -> Quotes<'a> {
        Quotes {
            features,
            means,
            levels: &[],
        }
    }

    #[test]
    fn pulls_split_the_difference_of_squared_distances() {
        // Two segments on two features; the customer sits near segment 0 mostly because
        // of feature a.
        let x = array![[0.0, 0.0], [0.2, 1.0], [4.0, 0.4], [4.2, 0.6]];
        let labels = [Some(0), Some(0), Some(1), Some(1)];
        let centres = Centres::of(Points::numeric(x.view()), &labels, 2, 0.0);
        assert_eq!(centres.numbers, array![[0.1, 0.5], [4.1, 0.5]]);
        let features = vec!["a".to_owned(), "b".to_owned()];
        let means = vec![vec![10.0, 5.0], vec![50.0, 5.0]];
        let customer = array![1.0, 0.0];
        let raw = array![20.0, 3.0];
        let w = why(
            &centres,
            quotes(&features, &means),
            Customer {
                segment: 0,
                prepared: customer.view(),
                codes: &[],
                raw: raw.view(),
                categories: &[],
                probabilities: None,
            },
        );
        assert_eq!(w.runner_up, Some(1));
        let (da, db) = (w.distance.unwrap(), w.runner_up_distance.unwrap());
        assert!((da - (0.81f64 + 0.25).sqrt()).abs() < 1e-12);
        assert!((db - (9.61f64 + 0.25).sqrt()).abs() < 1e-12);
        // Feature b is equally far from both centres: no pull, so only a is a reason.
        assert_eq!(w.reasons.len(), 1);
        assert_eq!(w.reasons[0].feature, "a");
        assert_eq!(w.reasons[0].value, Shown::Number(20.0));
        assert_eq!(w.reasons[0].segment, Shown::Number(10.0));
        assert_eq!(w.reasons[0].runner_up, Some(Shown::Number(50.0)));
        assert!((w.reasons[0].share - 1.0).abs() < 1e-12);
        let names = vec!["Loyal".to_owned(), "Lost".to_owned()];
        let s = w.sentences(&names);
        assert!(s[0].starts_with("Clearly in “Loyal”: 3.0× closer"), "{s:?}");
        assert_eq!(s[1], "A: 20 (typical of “Loyal”: 10; of “Lost”: 50).");
    }

    #[test]
    fn mixtures_compare_probabilities_and_outliers_the_nearest_segment() {
        let x = array![[0.0], [1.0], [9.0], [10.0]];
        let labels = [Some(0), Some(0), Some(1), Some(1)];
        let centres = Centres::of(Points::numeric(x.view()), &labels, 2, 0.0);
        let features = vec!["spend".to_owned()];
        let means = vec![vec![1.0], vec![9.0]];
        let point = array![3.0];
        let customer = Customer {
            segment: 0,
            prepared: point.view(),
            codes: &[],
            raw: point.view(),
            categories: &[],
            probabilities: Some(&[0.8, 0.2]),
        };
        let w = why(&centres, quotes(&features, &means), customer);
        assert_eq!(
            (w.probability, w.runner_up_probability),
            (Some(0.8), Some(0.2))
        );
        let names = vec!["A".to_owned(), "B".to_owned(), "Outliers".to_owned()];
        assert_eq!(
            w.sentences(&names)[0],
            "80% likely to belong to “A”; the next most likely segment is “B” (20%)."
        );
        let far = array![30.0];
        let w = why(
            &centres,
            quotes(&features, &means),
            Customer {
                segment: 2,
                prepared: far.view(),
                raw: far.view(),
                probabilities: None,
                ..customer
            },
        );
        assert!(w.outlier);
        assert_eq!(w.runner_up, Some(1));
        assert_eq!(w.distance, None);
        assert_eq!(w.reasons[0].segment, Shown::Number(9.0));
        let s = w.sentences(&names);
        assert!(s[0].contains("nearest segment is “B”"), "{s:?}");
        assert_eq!(s[1], "Spend: 30 (typical of “B”: 9).");
    }

    #[test]
    fn categories_pull_by_gamma_when_they_match_one_mode() {
        let x = array![[0.0], [0.0], [1.0], [1.0]];
        let codes = array![[0u32], [0], [1], [1]];
        let labels = [Some(0), Some(0), Some(1), Some(1)];
        let points = Points {
            numbers: x.view(),
            categories: Some(codes.view()),
        };
        let centres = Centres::of(points, &labels, 2, 2.0);
        assert_eq!(centres.modes, array![[0u32], [1]]);
        let features = vec!["orders".to_owned(), "country".to_owned()];
        let means = vec![vec![1.0], vec![5.0]];
        let levels = vec![vec!["UK".to_owned(), "FR".to_owned()]];
        let customer = array![0.6];
        let w = why(
            &centres,
            Quotes {
                features: &features,
                means: &means,
                levels: &levels,
            },
            Customer {
                segment: 0,
                prepared: customer.view(),
                codes: &[0],
                raw: customer.view(),
                categories: &["UK".to_owned()],
                probabilities: None,
            },
        );
        // Numeric pull 0.16 − 0.36 < 0 counts for nothing; the category pulls γ = 2.
        assert_eq!(w.reasons.len(), 1);
        assert_eq!(w.reasons[0].feature, "country");
        assert_eq!(w.reasons[0].segment, Shown::Category("UK".into()));
        assert_eq!(w.reasons[0].runner_up, Some(Shown::Category("FR".into())));
    }
}
