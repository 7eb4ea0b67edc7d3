//! Choosing the number of segments: fit every k in a range, score each, test how stable
//! each is when the customers are resampled, and recommend one k with a sentence saying why.
//!
//! - Scores: silhouette, Calinski-Harabasz, Davies-Bouldin, inertia (and BIC for
//!   mixtures), on the prepared features.
//! - Elbow: the knee of the inertia curve (Kneedle).
//! - Stability: the algorithm is refitted on 5 random subsets of 80 % of the customers and
//!   each refit's assignment of *all* customers is compared with the full fit by the
//!   adjusted Rand index (1 = identical segments); the mean is reported.
//! - Recommendation: among the stable k (ARI ≥ 0.75; all k if none is), the one with the
//!   best average rank over silhouette, Calinski-Harabasz and Davies-Bouldin (and BIC for
//!   mixtures); ties go to the smaller k, which is easier to act on.
//!
//! On more than 10,000 customers the sweep runs on a seeded random sample of 10,000 (the
//! sample size is reported); the final segmentation then uses everyone.

use std::cell::OnceCell;

use ndarray::{Array2, ArrayView2, Axis, CowArray, Ix2};
use serde::{Deserialize, Serialize};

use super::knee::{Bend, knee};
use super::model::{Algorithm, Model, Points, fit};
use super::{ClusterError, Hierarchical};
use crate::metrics::{
    adjusted_rand_index, calinski_harabasz, davies_bouldin, inertia, silhouette_with,
};
use crate::progress::{NoProgress, Progress, Stage, Within};
use crate::rng::Rng;

/// Customers the sweep works on at most.
pub const SWEEP_ROWS: usize = 10_000;
/// Resamples per k for stability.
pub const RESAMPLES: usize = 5;
/// Share of customers in each resample.
pub const RESAMPLE_SHARE: f64 = 0.8;
/// Mean adjusted Rand index from which a k counts as stable.
pub const STABLE: f64 = 0.75;
/// Restarts per fit inside the sweep (the final fit uses the user's setting).
const SWEEP_RESTARTS: usize = 3;

/// The numbers of segments to compare, inclusive; written `[2, 10]` in recipes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct KRange {
    /// Fewest segments.
    pub min: usize,
    /// Most segments.
    pub max: usize,
}

impl Default for KRange {
    fn default() -> Self {
        KRange { min: 2, max: 10 }
    }
}

impl From<[usize; 2]> for KRange {
    fn from([min, max]: [usize; 2]) -> Self {
        KRange { min, max }
    }
}

impl From<KRange> for [usize; 2] {
    fn from(r: KRange) -> Self {
        [r.min, r.max]
    }
}

/// Scores for one k.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    /// Number of segments.
    pub k: usize,
    /// Mean silhouette (higher is better).
    pub silhouette: f64,
    /// Calinski-Harabasz index (higher is better).
    pub calinski_harabasz: f64,
    /// Davies-Bouldin index (lower is better).
    pub davies_bouldin: f64,
    /// Within-segment sum of squares.
    pub inertia: f64,
    /// Bayesian information criterion (mixtures; lower is better).
    pub bic: Option<f64>,
    /// Mean adjusted Rand index over resamples (1 = perfectly stable).
    pub stability: Option<f64>,
}

/// The result of a k sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// One row per k, ascending.
    pub rows: Vec<SweepRow>,
    /// The recommended number of segments.
    pub recommended_k: usize,
    /// Why, in one sentence.
    pub recommendation: String,
    /// The elbow of the inertia curve, if it has one.
    pub elbow: Option<usize>,
    /// A k almost as good as the recommended one.
    pub close: Option<usize>,
    /// Customers the sweep used, when that was a sample.
    pub sampled: Option<usize>,
}

/// Runs the sweep. Also returns the fitted model at the recommended k when the sweep
/// used every customer (so it need not be fitted again).
pub fn sweep(
    algorithm: &Algorithm,
    range: KRange,
    seed: u64,
    points: Points<'_>,
    progress: &mut dyn Progress,
) -> Result<(Sweep, Option<Model>), ClusterError> {
    Comparison::new(algorithm, range, seed, points, progress)?.run(progress)
}

/// What a worker needs, besides the customers' numbers, to compare some k of a
/// [`Comparison`] another worker prepared ([`Comparison::from_parts`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonParts {
    /// The algorithm compared.
    pub algorithm: Algorithm,
    /// The seed.
    pub seed: u64,
    /// The resampled subsets (row numbers of the compared customers).
    pub subsets: Vec<Vec<usize>>,
    /// Customers compared, when that was a sample.
    pub sampled: Option<usize>,
}

/// A comparison of segment counts, prepared: the customers it works on (a sample of a
/// large file), the resampled subsets for stability, and for hierarchical clustering the
/// trees. Each k is a job of its own ([`Comparison::one`]), so that the page can compare
/// several k at once on several workers ([`Comparison::shareable`]) and bring the rows
/// back in order ([`Comparison::finish`]).
pub struct Comparison<'a> {
    algorithm: Algorithm,
    light: Algorithm,
    seed: u64,
    numbers: CowArray<'a, f64, Ix2>,
    categories: Option<CowArray<'a, u32, Ix2>>,
    sampled: Option<usize>,
    ks: Vec<usize>,
    subsets: Vec<Vec<usize>>,
    trees: Option<(Hierarchical, Vec<Hierarchical>)>,
    /// The customers as the scores see them, from the first model fitted.
    embedded: OnceCell<Array2<f64>>,
}

impl<'a> Comparison<'a> {
    /// Checks the range, samples the customers of a large file, draws the subsets, and
    /// grows the trees of hierarchical clustering (the first half of `progress`).
    pub fn new(
        algorithm: &Algorithm,
        range: KRange,
        seed: u64,
        points: Points<'a>,
        progress: &mut dyn Progress,
    ) -> Result<Self, ClusterError> {
        if !algorithm.takes_k() {
            return Err(ClusterError::NoKForDbscan);
        }
        algorithm.check()?;
        if range.min < 2 || range.max < range.min {
            return Err(ClusterError::InvalidKRange {
                min: range.min,
                max: range.max,
            });
        }
        let n = points.len();
        if n < 3 {
            return Err(ClusterError::TooFewRows { n, min: 3 });
        }
        let mut rng = Rng::new(seed ^ 0x5eed_5eed);
        let sample: Option<Vec<usize>> = (n > SWEEP_ROWS).then(|| {
            let mut all: Vec<usize> = (0..n).collect();
            rng.shuffle(&mut all);
            all.truncate(SWEEP_ROWS);
            all.sort_unstable();
            all
        });
        let (numbers, categories) = match &sample {
            Some(rows) => {
                let (x, c) = points.select(rows);
                (CowArray::from(x), c.map(CowArray::from))
            }
            None => (
                CowArray::from(points.numbers),
                points.categories.map(CowArray::from),
            ),
        };
        let m = numbers.nrows();
        // Metrics need k ≤ rows − 1.
        let max = range.max.min(m - 1);
        if max < range.min {
            return Err(ClusterError::TooFewRows {
                n: m,
                min: range.min + 1,
            });
        }
        let subsets: Vec<Vec<usize>> = (0..RESAMPLES)
            .map(|_| {
                let mut all: Vec<usize> = (0..m).collect();
                rng.shuffle(&mut all);
                all.truncate(((m as f64 * RESAMPLE_SHARE) as usize).max(2));
                all.sort_unstable();
                all
            })
            .collect();
        let mut comparison = Comparison {
            algorithm: algorithm.clone(),
            light: algorithm.with_restarts_at_most(SWEEP_RESTARTS),
            seed,
            numbers,
            categories,
            sampled: sample.map(|s| s.len()),
            ks: (range.min..=max).collect(),
            subsets,
            trees: None,
            embedded: OnceCell::new(),
        };
        // Hierarchical: one tree per (sub)set, cut at every k.
        if let Algorithm::Hierarchical { .. } = algorithm {
            let trees = hierarchical_trees(
                algorithm,
                seed,
                comparison.points(),
                &comparison.subsets,
                progress,
            )?;
            comparison.trees = Some(trees);
        }
        Ok(comparison)
    }

    /// A comparison another worker prepared with [`Comparison::new`]: its parts and the
    /// numbers of the customers it compares (`rows × d`; numbers only).
    pub fn from_parts(parts: ComparisonParts, numbers: Array2<f64>) -> Comparison<'static> {
        Comparison {
            light: parts.algorithm.with_restarts_at_most(SWEEP_RESTARTS),
            algorithm: parts.algorithm,
            seed: parts.seed,
            numbers: CowArray::from(numbers),
            categories: None,
            sampled: parts.sampled,
            ks: Vec::new(),
            subsets: parts.subsets,
            trees: None,
            embedded: OnceCell::new(),
        }
    }

    /// What another worker needs besides the numbers ([`Comparison::points`]).
    pub fn parts(&self) -> ComparisonParts {
        ComparisonParts {
            algorithm: self.algorithm.clone(),
            seed: self.seed,
            subsets: self.subsets.clone(),
            sampled: self.sampled,
        }
    }

    /// The numbers of segments compared.
    pub fn ks(&self) -> &[usize] {
        &self.ks
    }

    /// The customers compared.
    pub fn points(&self) -> Points<'_> {
        Points {
            numbers: self.numbers.view(),
            categories: self.categories.as_ref().map(|c| c.view()),
        }
    }

    /// Whether each k can be compared on another worker from [`Comparison::parts`] and
    /// the numbers alone, with the same result: k-means and Gaussian mixtures on numbers.
    /// (Hierarchical clustering cuts trees grown once; k-prototypes scores every k in
    /// the embedding of the first k's fit.)
    pub fn shareable(&self) -> bool {
        matches!(
            self.algorithm,
            Algorithm::Kmeans { .. } | Algorithm::Gmm { .. }
        ) && self.categories.as_ref().is_none_or(|c| c.ncols() == 0)
    }

    /// Fits, scores and resamples one k; `progress` goes from 0 to 1.
    pub fn one(
        &self,
        k: usize,
        progress: &mut dyn Progress,
    ) -> Result<(SweepRow, Model), ClusterError> {
        let points = self.points();
        let model = match &self.trees {
            Some((full, _)) => Model::Hierarchical(full.recut(k, points.numbers)?),
            None => fit(
                &self.algorithm,
                k,
                self.seed,
                points,
                &mut Within::new(progress, Stage::Comparing, 0.0, 0.5),
            )?,
        };
        let data = self.embedded.get_or_init(|| points.embedded(model.gamma()));
        let labels: Vec<usize> = model.labels().iter().map(|l| l.unwrap_or(0)).collect();
        let mut scoring = Within::new(progress, Stage::Comparing, 0.5, 0.3);
        let mut row = score(data.view(), &labels, k, model.bic(), &mut scoring)?;
        let mut agreement = Vec::with_capacity(RESAMPLES);
        for (b, subset) in self.subsets.iter().enumerate() {
            let refit = match &self.trees {
                Some((_, subtrees)) => {
                    let sub = points.numbers.select(Axis(0), subset);
                    Model::Hierarchical(subtrees[b].recut(k.min(subset.len()), sub.view())?)
                }
                None => {
                    let (x, c) = points.select(subset);
                    let sub = Points {
                        numbers: x.view(),
                        categories: c.as_ref().map(Array2::view),
                    };
                    match fit(
                        &self.light,
                        k,
                        self.seed.wrapping_add(b as u64 + 1),
                        sub,
                        &mut NoProgress,
                    ) {
                        Ok(model) => model,
                        // A subset with too few distinct customers is simply not counted.
                        Err(ClusterError::TooFewDistinct { .. }) => continue,
                        Err(e) => return Err(e),
                    }
                }
            };
            let predicted: Vec<usize> = refit
                .predict(points)?
                .iter()
                .map(|l| l.unwrap_or(usize::MAX))
                .collect();
            agreement.push(adjusted_rand_index(&labels, &predicted).unwrap_or(0.0));
            progress.report(
                Stage::Comparing,
                0.8 + 0.2 * (b + 1) as f64 / RESAMPLES as f64,
            )?;
        }
        if !agreement.is_empty() {
            row.stability = Some(agreement.iter().sum::<f64>() / agreement.len() as f64);
        }
        Ok((row, model))
    }

    /// Every k here, one after the other, then [`Comparison::finish`].
    pub fn run(self, progress: &mut dyn Progress) -> Result<(Sweep, Option<Model>), ClusterError> {
        // Hierarchical: the trees took the first half of the bar.
        let (base, span) = if self.trees.is_some() {
            (0.5, 0.5)
        } else {
            (0.0, 1.0)
        };
        let share = span / self.ks.len().max(1) as f64;
        let mut results = Vec::with_capacity(self.ks.len());
        for (step, &k) in self.ks.iter().enumerate() {
            let at = base + share * step as f64;
            let mut within = Within::new(progress, Stage::Comparing, at, share);
            match self.one(k, &mut within) {
                Ok((row, model)) => results.push(Ok((row, Some(model)))),
                // Fewer distinct customers than k: the larger numbers cannot be formed
                // either, so the comparison ends at the last one that could.
                Err(e @ ClusterError::TooFewDistinct { .. }) => {
                    results.push(Err(e));
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        self.finish(results)
    }

    /// The sweep from every k's outcome in order of k (models are needed only when the
    /// sweep used every customer: the recommended k's is kept). Fewer distinct customers
    /// than a k ends the comparison at the k before; any other failure is the sweep's.
    pub fn finish(
        self,
        results: Vec<Result<(SweepRow, Option<Model>), ClusterError>>,
    ) -> Result<(Sweep, Option<Model>), ClusterError> {
        let mut rows = Vec::with_capacity(results.len());
        let mut models = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok((row, model)) => {
                    rows.push(row);
                    models.push(model);
                }
                Err(ClusterError::TooFewDistinct { .. }) if !rows.is_empty() => break,
                Err(e) => return Err(e),
            }
        }
        let (recommended_k, recommendation, elbow, close) = recommend(&rows);
        let keep = match self.sampled {
            None => rows
                .iter()
                .position(|r| r.k == recommended_k)
                .and_then(|i| models.swap_remove(i)),
            Some(_) => None,
        };
        Ok((
            Sweep {
                rows,
                recommended_k,
                recommendation,
                elbow,
                close,
                sampled: self.sampled,
            },
            keep,
        ))
    }
}

/// The full tree and one tree per subset.
fn hierarchical_trees(
    algorithm: &Algorithm,
    seed: u64,
    points: Points<'_>,
    subsets: &[Vec<usize>],
    progress: &mut dyn Progress,
) -> Result<(Hierarchical, Vec<Hierarchical>), ClusterError> {
    let share = 0.5 / (subsets.len() + 1) as f64;
    let grow = |rows: Option<&[usize]>, at: f64, progress: &mut dyn Progress| {
        let mut within = Within::new(progress, Stage::Comparing, at, share);
        let model = match rows {
            Some(rows) => {
                let x = points.numbers.select(Axis(0), rows);
                fit(algorithm, 1, seed, Points::numeric(x.view()), &mut within)?
            }
            None => fit(algorithm, 1, seed, points, &mut within)?,
        };
        match model {
            Model::Hierarchical(h) => Ok(h),
            _ => Err(ClusterError::NoFeatures),
        }
    };
    let full = grow(None, 0.0, progress)?;
    let mut subtrees = Vec::with_capacity(subsets.len());
    for (b, rows) in subsets.iter().enumerate() {
        subtrees.push(grow(Some(rows), share * (b + 1) as f64, progress)?);
    }
    Ok((full, subtrees))
}

fn score(
    data: ArrayView2<f64>,
    labels: &[usize],
    k: usize,
    bic: Option<f64>,
    progress: &mut dyn Progress,
) -> Result<SweepRow, ClusterError> {
    let nan = f64::NAN;
    let silhouette = match silhouette_with(data, labels, progress) {
        Ok(s) => s,
        Err(crate::metrics::MetricError::Cancelled) => return Err(ClusterError::Cancelled),
        Err(_) => nan,
    };
    Ok(SweepRow {
        k,
        silhouette,
        calinski_harabasz: calinski_harabasz(data, labels).unwrap_or(nan),
        davies_bouldin: davies_bouldin(data, labels).unwrap_or(nan),
        inertia: inertia(data, labels).unwrap_or(nan),
        bic,
        stability: None,
    })
}

/// Ranks of `values` (1 = best), ties sharing the better rank; NaN ranks last.
fn ranks(values: &[f64], higher_is_better: bool) -> Vec<f64> {
    values
        .iter()
        .map(|v| {
            if v.is_nan() {
                return values.len() as f64;
            }
            1.0 + values
                .iter()
                .filter(|o| !o.is_nan() && if higher_is_better { *o > v } else { *o < v })
                .count() as f64
        })
        .collect()
}

/// Picks k and explains the choice. Returns (k, sentence, elbow, close runner-up).
fn recommend(rows: &[SweepRow]) -> (usize, String, Option<usize>, Option<usize>) {
    let ks: Vec<f64> = rows.iter().map(|r| r.k as f64).collect();
    let inertias: Vec<f64> = rows.iter().map(|r| r.inertia).collect();
    let elbow = knee(&ks, &inertias, Bend::Convex).map(|i| rows[i].k);
    let column = |f: fn(&SweepRow) -> f64| rows.iter().map(f).collect::<Vec<f64>>();
    let mut criteria: Vec<(&str, Vec<f64>)> = vec![
        ("silhouette", ranks(&column(|r| r.silhouette), true)),
        (
            "Calinski-Harabasz",
            ranks(&column(|r| r.calinski_harabasz), true),
        ),
        (
            "Davies-Bouldin",
            ranks(&column(|r| r.davies_bouldin), false),
        ),
    ];
    if rows.iter().all(|r| r.bic.is_some()) {
        criteria.push(("BIC", ranks(&column(|r| r.bic.unwrap_or(f64::NAN)), false)));
    }
    let mean_rank: Vec<f64> = (0..rows.len())
        .map(|i| criteria.iter().map(|(_, r)| r[i]).sum::<f64>() / criteria.len() as f64)
        .collect();
    let stable: Vec<bool> = rows
        .iter()
        .map(|r| r.stability.is_none_or(|s| s >= STABLE))
        .collect();
    let any_stable = stable.iter().any(|s| *s);
    let eligible = |i: usize| !any_stable || stable[i];
    let mut order: Vec<usize> = (0..rows.len()).filter(|&i| eligible(i)).collect();
    order.sort_by(|&a, &b| mean_rank[a].total_cmp(&mean_rank[b]).then(a.cmp(&b)));
    let Some(&best) = order.first() else {
        return (rows.first().map_or(2, |r| r.k), String::new(), elbow, None);
    };
    let k = rows[best].k;
    let close = order
        .get(1)
        .filter(|&&i| mean_rank[i] - mean_rank[best] <= 0.5)
        .map(|&i| rows[i].k);

    let wins: Vec<&str> = criteria
        .iter()
        .filter(|(_, r)| r[best] == 1.0)
        .map(|(name, _)| *name)
        .collect();
    let mut reasons = Vec::new();
    if wins.is_empty() {
        let names: Vec<&str> = criteria.iter().map(|(n, _)| *n).collect();
        reasons.push(format!("best balance of {}", join_and(&names)));
    } else {
        reasons.push(format!("best {}", join_and(&wins)));
    }
    if elbow == Some(k) {
        reasons.push("at the elbow of the inertia curve".to_owned());
    }
    let mut sentence = format!("k = {k}: {}", reasons.join(", "));
    let ari = |s: f64| crate::numbers::fixed(s, 2);
    match rows[best].stability {
        Some(s) if !any_stable => {
            sentence.push_str(&format!(
                ", but no number of segments was stable across resamples (ARI {} here), so treat the segments as rough",
                ari(s)
            ));
        }
        Some(s) if s >= 0.9 => {
            sentence.push_str(&format!(", stable across resamples (ARI {})", ari(s)))
        }
        Some(s) => sentence.push_str(&format!(
            ", fairly stable across resamples (ARI {})",
            ari(s)
        )),
        None => {}
    }
    if let Some(c) = close {
        sentence.push_str(&format!("; k = {c} is close"));
    }
    sentence.push('.');
    (k, sentence, elbow, close)
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Covariance;
    use crate::cluster::Linkage;

    fn blobs(n: usize, k: usize, seed: u64) -> Array2<f64> {
        let mut rng = Rng::new(seed);
        let centres: Vec<f64> = (0..k * 3).map(|_| rng.uniform() * 20.0).collect();
        Array2::from_shape_fn((n, 3), |(i, j)| {
            centres[(i % k) * 3 + j] + 0.6 * rng.normal()
        })
    }

    #[test]
    fn the_comparison_stops_where_customers_stop_differing() {
        // 40 customers but only 5 distinct points: k = 2 to 5 are compared, not 2 to 10.
        let x = Array2::from_shape_fn((40, 2), |(i, j)| ((i % 5) * (j + 1) * 7) as f64);
        let (sweep, _) = sweep(
            &Algorithm::Kmeans { n_init: 3 },
            KRange::default(),
            7,
            Points::numeric(x.view()),
            &mut NoProgress,
        )
        .unwrap();
        let ks: Vec<usize> = sweep.rows.iter().map(|r| r.k).collect();
        assert_eq!(ks, [2, 3, 4, 5]);
        assert!(sweep.recommended_k <= 5);
    }

    /// What the page does with several workers: each k compared on its own, on a
    /// comparison rebuilt from the parts another worker sent, in any order; brought back in
    /// order, the outcome is the comparison run in one go, and the end at too few distinct
    /// customers is found the same way.
    #[test]
    fn each_k_compared_apart_gives_the_same_sweep() {
        let many = blobs(12_000, 4, 5);
        let few = Array2::from_shape_fn((40, 2), |(i, j)| ((i % 5) * (j + 1) * 7) as f64);
        for x in [many.view(), few.view(), many.slice(ndarray::s![..600, ..])] {
            for algorithm in [
                Algorithm::Kmeans { n_init: 2 },
                Algorithm::Gmm {
                    covariance: Covariance::Diagonal,
                    n_init: 1,
                },
            ] {
                let new = || {
                    let points = Points::numeric(x);
                    Comparison::new(&algorithm, KRange::from([2, 7]), 3, points, &mut NoProgress)
                        .unwrap()
                };
                let whole = new().run(&mut NoProgress).unwrap();
                let here = new();
                assert!(here.shareable());
                let there = Comparison::from_parts(here.parts(), here.points().numbers.to_owned());
                type Outcome = Result<(SweepRow, Option<Model>), ClusterError>;
                let mut outcomes: Vec<(usize, Outcome)> = here
                    .ks()
                    .iter()
                    .rev()
                    .map(|&k| {
                        let outcome = if k % 2 == 0 {
                            here.one(k, &mut NoProgress)
                        } else {
                            there.one(k, &mut NoProgress)
                        };
                        (k, outcome.map(|(r, m)| (r, Some(m))))
                    })
                    .collect();
                outcomes.sort_by_key(|(k, _)| *k);
                let shared = here
                    .finish(outcomes.into_iter().map(|(_, o)| o).collect())
                    .unwrap();
                assert_eq!(whole, shared, "{algorithm:?} on {} rows", x.nrows());
            }
        }
    }

    #[test]
    fn finds_the_number_of_well_separated_groups() {
        let x = blobs(600, 4, 3);
        for algorithm in [
            Algorithm::Kmeans { n_init: 10 },
            Algorithm::Gmm {
                covariance: Covariance::Full,
                n_init: 1,
            },
            Algorithm::Hierarchical {
                linkage: Linkage::Ward,
            },
        ] {
            let (sweep, model) = sweep(
                &algorithm,
                KRange::default(),
                7,
                Points::numeric(x.view()),
                &mut NoProgress,
            )
            .unwrap();
            assert_eq!(
                sweep.recommended_k, 4,
                "{algorithm:?}: {}",
                sweep.recommendation
            );
            assert_eq!(sweep.rows.len(), 9);
            assert_eq!(model.unwrap().k(), 4);
            let row = &sweep.rows[2];
            assert!(row.stability.unwrap() > 0.95, "{row:?}");
            assert!(
                sweep.recommendation.starts_with("k = 4: best"),
                "{}",
                sweep.recommendation
            );
            assert!(
                sweep
                    .recommendation
                    .contains("stable across resamples (ARI")
            );
            assert_eq!(sweep.sampled, None);
        }
    }

    #[test]
    fn sentence_names_the_winning_scores_and_a_close_runner_up() {
        let row = |k, s, ch, db, stab| SweepRow {
            k,
            silhouette: s,
            calinski_harabasz: ch,
            davies_bouldin: db,
            inertia: 100.0 / k as f64,
            bic: None,
            stability: Some(stab),
        };
        let rows = vec![
            row(2, 0.30, 100.0, 1.2, 0.99),
            row(3, 0.45, 140.0, 0.8, 0.93),
            row(4, 0.44, 150.0, 0.9, 0.90),
            row(5, 0.50, 90.0, 0.7, 0.40),
        ];
        let (k, sentence, _, close) = recommend(&rows);
        // k = 5 has the best silhouette and Davies-Bouldin but is unstable.
        assert_eq!(k, 3);
        assert_eq!(close, Some(4));
        assert_eq!(
            sentence,
            "k = 3: best balance of silhouette, Calinski-Harabasz and Davies-Bouldin, at the elbow of the inertia curve, stable across resamples (ARI 0.93); k = 4 is close."
        );
    }

    #[test]
    fn bad_ranges_and_dbscan_are_refused() {
        let x = blobs(50, 2, 1);
        let p = Points::numeric(x.view());
        let km = Algorithm::default();
        assert_eq!(
            sweep(&km, KRange { min: 1, max: 4 }, 1, p, &mut NoProgress).unwrap_err(),
            ClusterError::InvalidKRange { min: 1, max: 4 }
        );
        assert_eq!(
            sweep(
                &Algorithm::from_id("dbscan").unwrap(),
                KRange::default(),
                1,
                p,
                &mut NoProgress
            )
            .unwrap_err(),
            ClusterError::NoKForDbscan
        );
        // The range is cut to rows − 1.
        let small = blobs(5, 2, 1);
        let (s, _) = sweep(
            &km,
            KRange::default(),
            1,
            Points::numeric(small.view()),
            &mut NoProgress,
        )
        .unwrap();
        assert_eq!(s.rows.last().unwrap().k, 4);
    }
}
