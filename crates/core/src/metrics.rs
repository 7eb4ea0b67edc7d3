//! Quality scores for a segmentation, with scikit-learn's definitions.
//!
//! | score | better | meaning |
//! |---|---|---|
//! | silhouette | higher, −1…1 | how much closer customers are to their own segment than to the next one |
//! | Calinski-Harabasz | higher | spread between segments relative to spread within them |
//! | Davies-Bouldin | lower, ≥ 0 | how much each segment overlaps its most similar neighbour |
//!
//! Silhouette is exact up to [`SILHOUETTE_EXACT_MAX`] rows; above that it is computed on a
//! stratified sample of [`SILHOUETTE_SAMPLE`] rows and the sample size is reported.

use ndarray::{ArrayView2, CowArray, Ix2};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub mod shards;

use self::shards::{Indices, Means, Silhouette};
use crate::progress::{Cancelled, NoProgress, Progress, Stage};
use crate::rng::Rng;

/// Largest row count for which silhouette is computed on every row.
pub const SILHOUETTE_EXACT_MAX: usize = 20_000;
/// Sample size used for silhouette above [`SILHOUETTE_EXACT_MAX`].
pub const SILHOUETTE_SAMPLE: usize = 10_000;

/// Why a score cannot be computed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum MetricError {
    /// Scores need 2 ≤ segments ≤ rows − 1.
    #[error(
        "Quality scores need at least 2 segments and fewer segments than customers; this segmentation has {labels} segment(s) for {rows} customer(s)."
    )]
    LabelCount {
        /// Distinct labels found.
        labels: usize,
        /// Rows.
        rows: usize,
    },
    /// `labels` and `data` differ in length.
    #[error("There are {labels} labels for {rows} rows.")]
    LengthMismatch {
        /// Labels given.
        labels: usize,
        /// Rows given.
        rows: usize,
    },
    /// Cancelled by the user.
    #[error("Scoring was cancelled.")]
    Cancelled,
}

impl From<Cancelled> for MetricError {
    fn from(_: Cancelled) -> Self {
        MetricError::Cancelled
    }
}

/// All scores for one segmentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Mean silhouette coefficient.
    pub silhouette: f64,
    /// Rows the silhouette was computed on, when it was a sample.
    pub silhouette_sample: Option<usize>,
    /// Calinski-Harabasz index.
    pub calinski_harabasz: f64,
    /// Davies-Bouldin index.
    pub davies_bouldin: f64,
    /// Sum of squared distances of rows to their segment mean.
    pub inertia: f64,
    /// Each scored row's silhouette with its segment (all rows, or the sample's), for the
    /// silhouette plot; not part of reports.
    #[serde(skip)]
    pub silhouettes: Vec<(usize, f64)>,
}

/// Number of segments (the highest label + 1), after checking scikit-learn's
/// `2 ≤ segments present ≤ rows − 1`.
pub fn segments(data: &ArrayView2<f64>, labels: &[usize]) -> Result<usize, MetricError> {
    let n = data.nrows();
    if labels.len() != n {
        return Err(MetricError::LengthMismatch {
            labels: labels.len(),
            rows: n,
        });
    }
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut present = vec![false; k];
    for &l in labels {
        present[l] = true;
    }
    let distinct = present.iter().filter(|p| **p).count();
    if distinct < 2 || distinct >= n {
        return Err(MetricError::LabelCount {
            labels: distinct,
            rows: n,
        });
    }
    Ok(k)
}

/// Computes every score. `seed` fixes the silhouette sample on large data.
pub fn scores(
    data: ArrayView2<f64>,
    labels: &[usize],
    seed: u64,
    progress: &mut dyn Progress,
) -> Result<Scores, MetricError> {
    let k = segments(&data, labels)?;
    let (silhouette, values) = match silhouette_rows(labels, seed) {
        None => (
            silhouette_samples_with(data, labels, progress)?,
            labels.to_vec(),
        ),
        Some(rows) => {
            let sub = data.select(ndarray::Axis(0), &rows);
            let sub_labels: Vec<usize> = rows.iter().map(|&i| labels[i]).collect();
            let silhouette = silhouette_samples_with(sub.view(), &sub_labels, progress)?;
            (silhouette, sub_labels)
        }
    };
    Ok(Scores::new(indices(data, labels, k), silhouette, values))
}

/// The rows the silhouette of `labels` is computed on: every row (`None`) up to
/// [`SILHOUETTE_EXACT_MAX`] rows, else a stratified sample of [`SILHOUETTE_SAMPLE`] fixed
/// by `seed`.
pub fn silhouette_rows(labels: &[usize], seed: u64) -> Option<Vec<usize>> {
    (labels.len() > SILHOUETTE_EXACT_MAX)
        .then(|| stratified_sample(labels, SILHOUETTE_SAMPLE, seed))
}

impl Scores {
    /// The scores from their parts: the indices, and the silhouette (mean and each scored
    /// row's value) of the scored rows in segments `scored` (every row, or the sample's).
    pub fn new(indices: Indices, (mean, values): (f64, Vec<f64>), scored: Vec<usize>) -> Self {
        let sample = (scored.len() < indices.rows).then_some(scored.len());
        Scores {
            silhouette: mean,
            silhouette_sample: sample,
            silhouettes: scored.into_iter().zip(values).collect(),
            calinski_harabasz: indices.calinski_harabasz,
            davies_bouldin: indices.davies_bouldin,
            inertia: indices.inertia,
        }
    }
}

/// Calinski-Harabasz, Davies-Bouldin and inertia of `labels` (each below `k`), in two
/// passes over the rows ([`shards`], with one shard).
fn indices(data: ArrayView2<f64>, labels: &[usize], k: usize) -> Indices {
    let d = data.ncols();
    let rows: CowArray<f64, Ix2> = data.as_standard_layout();
    let x = rows.as_slice().unwrap_or(&[]);
    let means = Means::of(&[shards::sums(x, d, labels, k)], k, d);
    means.scores(&[shards::spread(x, d, labels, &means.means)])
}

/// Mean silhouette coefficient over all rows (exact, O(n²)).
pub fn silhouette(data: ArrayView2<f64>, labels: &[usize]) -> Result<f64, MetricError> {
    silhouette_with(data, labels, &mut NoProgress)
}

/// [`silhouette`] with progress and cancellation.
///
/// For row `i` in segment `A`: `a` = mean distance to the other rows of `A`, `b` = the
/// smallest mean distance to the rows of another segment, `s = (b − a) / max(a, b)`;
/// rows alone in their segment score 0.
pub fn silhouette_with(
    data: ArrayView2<f64>,
    labels: &[usize],
    progress: &mut dyn Progress,
) -> Result<f64, MetricError> {
    silhouette_samples_with(data, labels, progress).map(|(mean, _)| mean)
}

/// The mean silhouette and each row's own (scikit-learn's `silhouette_samples`), in input
/// order.
pub fn silhouette_samples_with(
    data: ArrayView2<f64>,
    labels: &[usize],
    progress: &mut dyn Progress,
) -> Result<(f64, Vec<f64>), MetricError> {
    let silhouette = Silhouette::new(data, labels)?;
    let mut sums = silhouette.zeros();
    for c in 0..shards::CHUNKS {
        let at = c as f64 / shards::CHUNKS as f64;
        let part = silhouette.chunk(c, &mut |f| {
            let done = at + f / shards::CHUNKS as f64;
            progress.report(Stage::Scoring, done)
        })?;
        Silhouette::add(&mut sums, &part);
    }
    Ok(silhouette.finish(&sums))
}

/// Calinski-Harabasz index: `[B / (k − 1)] / [W / (n − k)]` with `B` the size-weighted
/// squared distances of segment means to the overall mean and `W` the squared distances of
/// rows to their segment mean; 1.0 when `W` is 0 (scikit-learn's convention).
pub fn calinski_harabasz(data: ArrayView2<f64>, labels: &[usize]) -> Result<f64, MetricError> {
    let k = segments(&data, labels)?;
    Ok(indices(data, labels, k).calinski_harabasz)
}

/// Davies-Bouldin index: the mean over segments of the worst `(sᵢ + sⱼ) / dᵢⱼ`, where `s` is
/// the mean distance of a segment's rows to its mean and `d` the distance between means.
pub fn davies_bouldin(data: ArrayView2<f64>, labels: &[usize]) -> Result<f64, MetricError> {
    let k = segments(&data, labels)?;
    Ok(indices(data, labels, k).davies_bouldin)
}

/// Sum of squared distances from rows to their segment mean.
pub fn inertia(data: ArrayView2<f64>, labels: &[usize]) -> Result<f64, MetricError> {
    let n = data.nrows();
    if labels.len() != n {
        return Err(MetricError::LengthMismatch {
            labels: labels.len(),
            rows: n,
        });
    }
    let k = labels.iter().max().map_or(0, |m| m + 1);
    Ok(indices(data, labels, k).inertia)
}

/// Adjusted Rand index between two labelings of the same rows (scikit-learn's
/// `adjusted_rand_score`): 1 for identical partitions, about 0 for unrelated ones.
/// Pair counts are exact integers, as in scikit-learn.
pub fn adjusted_rand_index(a: &[usize], b: &[usize]) -> Result<f64, MetricError> {
    if a.len() != b.len() {
        return Err(MetricError::LengthMismatch {
            labels: a.len(),
            rows: b.len(),
        });
    }
    let n = a.len() as i128;
    let mut cells: rustc_hash::FxHashMap<(usize, usize), i128> = Default::default();
    let mut rows: rustc_hash::FxHashMap<usize, i128> = Default::default();
    let mut cols: rustc_hash::FxHashMap<usize, i128> = Default::default();
    for (&x, &y) in a.iter().zip(b) {
        *cells.entry((x, y)).or_insert(0) += 1;
        *rows.entry(x).or_insert(0) += 1;
        *cols.entry(y).or_insert(0) += 1;
    }
    // scikit-learn's pair_confusion_matrix.
    let squares: i128 = cells.values().map(|c| c * c).sum();
    let both = squares - n;
    let only_b: i128 = cells.iter().map(|((_, y), c)| c * cols[y]).sum::<i128>() - squares;
    let only_a: i128 = cells.iter().map(|((x, _), c)| c * rows[x]).sum::<i128>() - squares;
    let neither = n * n - only_b - only_a - squares;
    if only_a == 0 && only_b == 0 {
        return Ok(1.0);
    }
    let numerator = 2 * (both * neither - only_a * only_b);
    let denominator = (both + only_a) * (only_a + neither) + (both + only_b) * (only_b + neither);
    Ok(numerator as f64 / denominator as f64)
}

/// Row indices of a sample of about `size` rows in which every segment keeps its share
/// (at least 2 rows where it has them), chosen with a seeded shuffle, in row order.
pub fn stratified_sample(labels: &[usize], size: usize, seed: u64) -> Vec<usize> {
    let n = labels.len();
    if size >= n {
        return (0..n).collect();
    }
    let k = labels.iter().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        members[l].push(i);
    }
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(size + k);
    for rows in members.iter_mut() {
        if rows.is_empty() {
            continue;
        }
        let quota = ((rows.len() as f64 * size as f64 / n as f64).round() as usize)
            .max(2)
            .min(rows.len());
        rng.shuffle(rows);
        out.extend_from_slice(&rows[..quota]);
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn hand_computable_silhouette() {
        // Two tight pairs far apart on a line: 0, 1 | 10, 11.
        // Row 0: a = 1, b = (10 + 11) / 2 = 10.5 → s = 9.5 / 10.5.
        let x = array![[0.0], [1.0], [10.0], [11.0]];
        let s = silhouette(x.view(), &[0, 0, 1, 1]).unwrap();
        let row0 = 9.5 / 10.5;
        let row1 = (9.5 - 1.0) / 9.5; // a = 1, b = (9 + 10) / 2
        assert!((s - (row0 + row1) / 2.0).abs() < 1e-15, "{s}");
    }

    #[test]
    fn singletons_score_zero_and_label_count_is_checked() {
        let x = array![[0.0], [1.0], [5.0]];
        let s = silhouette(x.view(), &[0, 0, 1]).unwrap();
        // Row 0: a = 1, b = 5; row 1: a = 1, b = 4; row 2 is alone: 0.
        assert!((s - ((4.0 / 5.0) + (3.0 / 4.0)) / 3.0).abs() < 1e-15);
        // Each row's own value, in input order (labels deliberately not sorted).
        let x = array![[5.0], [0.0], [1.0]];
        let (mean, each) = silhouette_samples_with(x.view(), &[1, 0, 0], &mut NoProgress).unwrap();
        assert_eq!(each, vec![0.0, 4.0 / 5.0, 3.0 / 4.0]);
        assert_eq!(mean, s);
        assert_eq!(
            silhouette(x.view(), &[0, 0, 0]).unwrap_err(),
            MetricError::LabelCount { labels: 1, rows: 3 }
        );
        assert_eq!(
            silhouette(x.view(), &[0, 1, 2]).unwrap_err(),
            MetricError::LabelCount { labels: 3, rows: 3 }
        );
        assert!(matches!(
            silhouette(x.view(), &[0, 1]),
            Err(MetricError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn hand_computable_calinski_harabasz_and_davies_bouldin() {
        let x = array![[0.0], [2.0], [10.0], [12.0]];
        let labels = [0, 0, 1, 1];
        // Means 1 and 11, overall 6: B = 2·25 + 2·25 = 100; W = 4 · 1 = 4; CH = 100·2 / (4·1).
        assert!((calinski_harabasz(x.view(), &labels).unwrap() - 50.0).abs() < 1e-12);
        // s = 1 for both, centre distance 10: DB = (1 + 1) / 10.
        assert!((davies_bouldin(x.view(), &labels).unwrap() - 0.2).abs() < 1e-15);
        assert!((inertia(x.view(), &labels).unwrap() - 4.0).abs() < 1e-15);
    }

    #[test]
    fn zero_spread_conventions() {
        let x = array![[1.0], [1.0], [3.0], [3.0]];
        assert_eq!(calinski_harabasz(x.view(), &[0, 0, 1, 1]).unwrap(), 1.0);
        assert_eq!(davies_bouldin(x.view(), &[0, 0, 1, 1]).unwrap(), 0.0);
    }

    #[test]
    fn adjusted_rand_index_by_hand() {
        assert_eq!(
            adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 2, 2]).unwrap(),
            1.0
        );
        // Values from scikit-learn 1.9.1's adjusted_rand_score on the same labels.
        assert_eq!(
            adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]).unwrap(),
            0.5714285714285714
        );
        assert_eq!(
            adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 1, 2, 0, 1, 2]).unwrap(),
            -0.36363636363636365
        );
        assert_eq!(adjusted_rand_index(&[0, 0], &[1, 1]).unwrap(), 1.0);
    }

    #[test]
    fn stratified_sample_keeps_shares() {
        let labels: Vec<usize> = (0..1000).map(|i| usize::from(i % 10 == 0)).collect();
        let s = stratified_sample(&labels, 100, 1);
        assert_eq!(s.len(), 100);
        assert_eq!(s.iter().filter(|&&i| labels[i] == 1).count(), 10);
        assert_eq!(s, stratified_sample(&labels, 100, 1));
        assert!(s.windows(2).all(|w| w[0] < w[1]));
    }
}
