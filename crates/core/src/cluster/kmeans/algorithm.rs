//! The k-means algorithm itself.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::hyperparams::{KMeansParams, Precision};
use crate::cluster::kernels::{
    nearest, nearest_f32, nearest_pair_f32, sq_dist, sq_dist_f32, to_f32_finite,
};
use crate::cluster::{
    ClusterError, check_finite, check_rows, check_shape, count_distinct_rows, relabel_by_size,
};
use crate::progress::{Cancelled, Progress, Stage};
use crate::rng::Rng;

/// Rows assigned between progress reports and cancellation checks.
const BLOCK: usize = 16_384;

/// Storage precision of the data during fitting. Centre sums are always accumulated in
/// `f64`; only distances use the storage type.
pub(crate) trait Element: Copy + Send + Sync + 'static {
    fn from_f64(v: f64) -> Self;
    fn to_f64(self) -> f64;
    /// Squared distance, as `f64`.
    fn sq_dist(a: &[Self], b: &[Self]) -> f64;
    /// Nearest centre and its squared distance.
    fn nearest(x: &[Self], centers: &[Self], d: usize) -> (usize, f64);
    /// [`Element::nearest`] of two rows.
    fn nearest_pair(x0: &[Self], x1: &[Self], centers: &[Self], d: usize) -> [(usize, f64); 2] {
        [Self::nearest(x0, centers, d), Self::nearest(x1, centers, d)]
    }
}

impl Element for f64 {
    fn from_f64(v: f64) -> Self {
        v
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
        sq_dist(a, b)
    }
    fn nearest(x: &[f64], centers: &[f64], d: usize) -> (usize, f64) {
        nearest(x, centers, d)
    }
}

impl Element for f32 {
    fn from_f64(v: f64) -> Self {
        v as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn sq_dist(a: &[f32], b: &[f32]) -> f64 {
        f64::from(sq_dist_f32(a, b))
    }
    fn nearest(x: &[f32], centers: &[f32], d: usize) -> (usize, f64) {
        let (c, dd) = nearest_f32(x, centers, d);
        (c, f64::from(dd))
    }
    fn nearest_pair(x0: &[f32], x1: &[f32], centers: &[f32], d: usize) -> [(usize, f64); 2] {
        nearest_pair_f32(x0, x1, centers, d).map(|(c, dd)| (c, f64::from(dd)))
    }
}

/// A fitted k-means model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeans {
    centroids: Array2<f64>,
    labels: Vec<usize>,
    sizes: Vec<usize>,
    inertia: f64,
    n_iter: usize,
}

impl KMeans {
    /// The model without anything per fitted customer (`labels`), for saving
    /// in a recipe: what assigns new customers stays.
    pub(crate) fn without_rows(mut self) -> Self {
        self.labels = Vec::new();
        self
    }

    /// Segment centres (`k × d`), in the units of the data fitted; row `s` is segment `s`.
    pub fn centroids(&self) -> &Array2<f64> {
        &self.centroids
    }

    /// The segment of each fitted row.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// Number of rows in each segment.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Sum of squared distances from each row to its centre (in `f64`).
    pub fn inertia(&self) -> f64 {
        self.inertia
    }

    /// Lloyd iterations (or mini-batch steps) used by the winning run.
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Number of segments.
    pub fn k(&self) -> usize {
        self.centroids.nrows()
    }

    /// Assigns new rows to the nearest centre.
    pub fn predict(&self, data: ArrayView2<f64>) -> Result<Vec<usize>, ClusterError> {
        let d = self.centroids.ncols();
        check_rows(data, d)?;
        let data = data.as_standard_layout();
        let centers = self.centroids.as_standard_layout();
        let (centers, rows) = (
            centers.as_slice().unwrap_or(&[]),
            data.as_slice().unwrap_or(&[]),
        );
        Ok(rows
            .chunks_exact(d.max(1))
            .map(|x| nearest(x, centers, d).0)
            .collect())
    }

    /// Squared distance from each row to every centre (`n × k`), for explanations.
    pub fn distances(&self, data: ArrayView2<f64>) -> Array2<f64> {
        let k = self.k();
        let mut out = Array2::zeros((data.nrows(), k));
        for (i, row) in data.rows().into_iter().enumerate() {
            let row: Vec<f64> = row.to_vec();
            for c in 0..k {
                out[[i, c]] = sq_dist(&row, self.centroids.row(c).as_slice().unwrap_or(&[]));
            }
        }
        out
    }
}

pub(super) fn fit(
    params: &KMeansParams,
    data: ArrayView2<f64>,
    progress: &mut dyn Progress,
) -> Result<KMeans, ClusterError> {
    let (n, d) = data.dim();
    let k = params.n_clusters;
    check_shape(n, d, k)?;
    let data = data.as_standard_layout();
    let x = data.as_slice().unwrap_or(&[]);
    let use_f32 = match params.precision {
        Precision::F64 => false,
        Precision::F32 => true,
        Precision::Auto => n * d >= 2_000_000,
    };
    // Single precision: the conversion checks finiteness on the way (and a value beyond
    // f32's range sends the fit back to f64).
    let x32 = match use_f32 {
        true => match to_f32_finite(x) {
            (x32, true) => Some(x32),
            (_, false) => {
                check_finite(data.view())?;
                None
            }
        },
        false => {
            check_finite(data.view())?;
            None
        }
    };
    if let Some(c) = &params.initial_centroids {
        check_rows(c.view(), d)?;
    }
    let distinct = count_distinct_rows(data.view(), k);
    if distinct < k {
        return Err(ClusterError::TooFewDistinct { k, distinct });
    }
    let best = match &x32 {
        Some(x32) => fit_runs(params, x32, x, n, d, progress)?,
        None => fit_runs(params, x, x, n, d, progress)?,
    };
    let (labels, order) = relabel_by_size(&best.labels, k);
    let mut centroids = Array2::zeros((k, d));
    let mut sizes = vec![0; k];
    for (new, &old) in order.iter().enumerate() {
        for j in 0..d {
            centroids[[new, j]] = best.centers[old * d + j];
        }
    }
    for &l in &labels {
        sizes[l] += 1;
    }
    Ok(KMeans {
        centroids,
        labels,
        sizes,
        inertia: best.inertia,
        n_iter: best.n_iter,
    })
}

/// All restarts, keeping the lowest inertia. `x` is the data in storage precision, `x64`
/// the same data in `f64` (for exact inertia).
fn fit_runs<T: Element>(
    params: &KMeansParams,
    x: &[T],
    x64: &[f64],
    n: usize,
    d: usize,
    progress: &mut dyn Progress,
) -> Result<Run, ClusterError> {
    let k = params.n_clusters;
    // As scikit-learn's `_tolerance`: no pass over the data when the tolerance is zero.
    let tol = if params.tol > 0.0 {
        params.tol * mean_variance(x64, n, d)
    } else {
        0.0
    };
    let mut rng = Rng::new(params.seed);
    let mut best: Option<Run> = None;
    for run in 0..params.n_init {
        let base = run as f64 / params.n_init as f64;
        let span = 1.0 / params.n_init as f64;
        let mut report = |f: f64| progress.report(Stage::Clustering, base + span * f);
        let centers = match &params.initial_centroids {
            Some(c) => c.iter().copied().collect(),
            None => plus_plus(x, n, d, k, &mut rng),
        };
        let result = match params.batch_size {
            Some(batch) if batch < n => mini_batch(
                x,
                x64,
                n,
                d,
                k,
                centers,
                batch,
                params.max_iter,
                &mut rng,
                &mut report,
            )?,
            _ => lloyd(x, x64, n, d, k, centers, params.max_iter, tol, &mut report)?,
        };
        // Strictly lower inertia wins, as in scikit-learn: ties keep the earlier run.
        if best.as_ref().is_none_or(|b| result.inertia < b.inertia) {
            best = Some(result);
        }
    }
    best.ok_or(ClusterError::ZeroRestarts)
}

/// Mean over features of each feature's population variance (scikit-learn's `_tolerance`).
fn mean_variance(x: &[f64], n: usize, d: usize) -> f64 {
    if d == 0 || n == 0 {
        return 0.0;
    }
    // Two passes in row order (column by column strides through memory: 77% of a
    // one-iteration fit on 1,000,000 × 16 went there).
    let mut mean = vec![0.0; d];
    for row in x.chunks_exact(d) {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += v;
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let mut squares = vec![0.0; d];
    for row in x.chunks_exact(d) {
        for ((s, v), m) in squares.iter_mut().zip(row).zip(&mean) {
            *s += (v - m) * (v - m);
        }
    }
    squares.iter().map(|s| s / n as f64).sum::<f64>() / d as f64
}

/// Greedy k-means++ (Arthur & Vassilvitskii; scikit-learn's `_kmeans_plusplus`): each new
/// centre is the best of `2 + ln k` candidates drawn with probability proportional to the
/// squared distance to the nearest centre so far. Returns `k × d` centres, row-major, in
/// `f64`.
pub(crate) fn plus_plus<T: Element>(
    x: &[T],
    n: usize,
    d: usize,
    k: usize,
    rng: &mut Rng,
) -> Vec<f64> {
    let trials = 2 + (k as f64).ln() as usize;
    let mut chosen: Vec<usize> = Vec::with_capacity(k);
    let first = rng.below(n);
    chosen.push(first);
    let row = |i: usize| &x[i * d..(i + 1) * d];
    let mut closest: Vec<f64> = x
        .chunks_exact(d)
        .map(|r| T::sq_dist(r, row(first)))
        .collect();
    let mut potential: f64 = closest.iter().sum();
    let mut cumulative = vec![0.0; n];
    let mut pots = vec![0.0; trials];
    for _ in 1..k {
        let mut acc = 0.0;
        for (c, v) in cumulative.iter_mut().zip(&closest) {
            acc += v;
            *c = acc;
        }
        let candidates: Vec<usize> = (0..trials)
            .map(|_| {
                let target = rng.uniform() * potential;
                cumulative.partition_point(|c| *c <= target).min(n - 1)
            })
            .collect();
        // Every candidate in one pass over the data (one pass per candidate read the data
        // `trials` times; with 64 MB of rows that traffic was most of the seeding time).
        pots.iter_mut().for_each(|p| *p = 0.0);
        for (r, prev) in x.chunks_exact(d).zip(&closest) {
            for (pot, &id) in pots.iter_mut().zip(&candidates) {
                *pot += T::sq_dist(r, row(id)).min(*prev);
            }
        }
        // The lowest potential wins; ties keep the earlier candidate.
        let mut best = 0;
        for (t, pot) in pots.iter().enumerate() {
            if *pot < pots[best] {
                best = t;
            }
        }
        let id = candidates[best];
        for (out, r) in closest.iter_mut().zip(x.chunks_exact(d)) {
            *out = T::sq_dist(r, row(id)).min(*out);
        }
        chosen.push(id);
        potential = pots[best];
    }
    chosen
        .iter()
        .flat_map(|&i| row(i).iter().map(|v| v.to_f64()))
        .collect()
}

struct Run {
    centers: Vec<f64>,
    labels: Vec<usize>,
    inertia: f64,
    n_iter: usize,
}

/// Lloyd's algorithm as scikit-learn runs it: stop when labels no longer change or the
/// total squared centre shift is at most `tol`; empty segments are re-seeded with the rows
/// farthest from their centres.
#[allow(clippy::too_many_arguments)]
fn lloyd<T: Element>(
    x: &[T],
    x64: &[f64],
    n: usize,
    d: usize,
    k: usize,
    mut centers: Vec<f64>,
    max_iter: usize,
    tol: f64,
    progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
) -> Result<Run, ClusterError> {
    let mut labels = vec![usize::MAX; n];
    let mut distances = vec![0.0; n];
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![0usize; k];
    let mut strict = false;
    let mut n_iter = 0;
    for iter in 0..max_iter {
        n_iter = iter + 1;
        let changed = assign(x, d, &centers, &mut labels, &mut distances, &mut |_| Ok(()))?;
        if iter > 0 && changed == 0 {
            // Labels did not change: centres are already the means of their segments.
            strict = true;
            break;
        }
        accumulate(x64, d, &labels, &mut sums, &mut counts);
        relocate_empty(x64, d, &mut labels, &distances, &mut sums, &mut counts);
        let mut shift = 0.0;
        for c in 0..k {
            let count = counts[c].max(1) as f64;
            for j in 0..d {
                let new = sums[c * d + j] / count;
                let old = centers[c * d + j];
                shift += (new - old) * (new - old);
                centers[c * d + j] = new;
            }
        }
        progress(n_iter as f64 / max_iter as f64)?;
        if shift <= tol {
            break;
        }
    }
    if !strict {
        assign(x, d, &centers, &mut labels, &mut distances, &mut |_| Ok(()))?;
    }
    let inertia = exact_inertia(x64, d, &centers, &labels);
    progress(1.0)?;
    Ok(Run {
        centers,
        labels,
        inertia,
        n_iter,
    })
}

/// Mini-batch k-means (Sculley 2010, as scikit-learn's `MiniBatchKMeans`): each step moves
/// the centres towards a random batch of rows with per-centre learning rates `1 / count`;
/// the final labels come from a full assignment.
#[allow(clippy::too_many_arguments)]
fn mini_batch<T: Element>(
    x: &[T],
    x64: &[f64],
    n: usize,
    d: usize,
    k: usize,
    mut centers: Vec<f64>,
    batch: usize,
    max_iter: usize,
    rng: &mut Rng,
    progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
) -> Result<Run, ClusterError> {
    let mut counts = vec![0.0f64; k];
    let steps = (max_iter * n)
        .div_ceil(batch)
        .clamp(1, 100 * n.div_ceil(batch));
    let mut centers_t: Vec<T> = centers.iter().map(|v| T::from_f64(*v)).collect();
    let mut previous_ewa = f64::INFINITY;
    let mut ewa = 0.0;
    let mut calm = 0;
    let alpha = (batch as f64 * 2.0 / (n as f64 + 1.0)).min(1.0);
    let mut n_iter = 0;
    for step in 0..steps {
        n_iter = step + 1;
        let mut batch_inertia = 0.0;
        for _ in 0..batch {
            let i = rng.below(n);
            let row = &x[i * d..(i + 1) * d];
            let (c, dd) = T::nearest(row, &centers_t, d);
            batch_inertia += dd;
            counts[c] += 1.0;
            let eta = 1.0 / counts[c];
            for j in 0..d {
                let v = &mut centers[c * d + j];
                *v += eta * (x64[i * d + j] - *v);
                centers_t[c * d + j] = T::from_f64(*v);
            }
        }
        // Stop when the smoothed batch inertia stops improving for 10 steps (scikit-learn's
        // `max_no_improvement`).
        let batch_mean = batch_inertia / batch as f64;
        ewa = if step == 0 {
            batch_mean
        } else {
            ewa * (1.0 - alpha) + batch_mean * alpha
        };
        if ewa < previous_ewa {
            previous_ewa = ewa;
            calm = 0;
        } else {
            calm += 1;
            if calm >= 10 {
                break;
            }
        }
        if step % 16 == 0 {
            progress(step as f64 / steps as f64)?;
        }
    }
    let mut labels = vec![usize::MAX; n];
    let mut distances = vec![0.0; n];
    assign(x, d, &centers, &mut labels, &mut distances, &mut |_| Ok(()))?;
    let inertia = exact_inertia(x64, d, &centers, &labels);
    progress(1.0)?;
    Ok(Run {
        centers,
        labels,
        inertia,
        n_iter,
    })
}

/// Assigns each row to its nearest centre, block by block; returns how many labels changed.
fn assign<T: Element>(
    x: &[T],
    d: usize,
    centers: &[f64],
    labels: &mut [usize],
    distances: &mut [f64],
    progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
) -> Result<usize, ClusterError> {
    let centers_t: Vec<T> = centers.iter().map(|v| T::from_f64(*v)).collect();
    let mut changed = 0;
    let n = labels.len();
    for (b, ((rows, lab), dist)) in x
        .chunks(BLOCK * d)
        .zip(labels.chunks_mut(BLOCK))
        .zip(distances.chunks_mut(BLOCK))
        .enumerate()
    {
        // Two rows at a time (a last odd row with itself).
        for ((pair, l), dd) in rows
            .chunks(2 * d)
            .zip(lab.chunks_mut(2))
            .zip(dist.chunks_mut(2))
        {
            let (first, second) = pair.split_at(d.min(pair.len()));
            let second = if second.is_empty() { first } else { second };
            let found = T::nearest_pair(first, second, &centers_t, d);
            for ((l, dd), (c, best)) in l.iter_mut().zip(dd.iter_mut()).zip(found) {
                changed += usize::from(*l != c);
                *l = c;
                *dd = best;
            }
        }
        progress(((b + 1) * BLOCK).min(n) as f64 / n.max(1) as f64)?;
    }
    Ok(changed)
}

/// Sum of squared distances to the assigned centres, in `f64` whatever the storage.
fn exact_inertia(x: &[f64], d: usize, centers: &[f64], labels: &[usize]) -> f64 {
    x.chunks_exact(d)
        .zip(labels)
        .map(|(row, &l)| sq_dist(row, &centers[l * d..(l + 1) * d]))
        .sum()
}

fn accumulate(x: &[f64], d: usize, labels: &[usize], sums: &mut [f64], counts: &mut [usize]) {
    sums.iter_mut().for_each(|s| *s = 0.0);
    counts.iter_mut().for_each(|c| *c = 0);
    for (row, &l) in x.chunks_exact(d).zip(labels) {
        counts[l] += 1;
        for (s, v) in sums[l * d..(l + 1) * d].iter_mut().zip(row) {
            *s += v;
        }
    }
}

/// Gives each empty segment the row farthest from its own centre (scikit-learn's
/// `_relocate_empty_clusters_dense`), moving that row's contribution.
fn relocate_empty(
    x: &[f64],
    d: usize,
    labels: &mut [usize],
    distances: &[f64],
    sums: &mut [f64],
    counts: &mut [usize],
) {
    let empty: Vec<usize> = (0..counts.len()).filter(|c| counts[*c] == 0).collect();
    if empty.is_empty() {
        return;
    }
    let mut far: Vec<usize> = (0..labels.len()).collect();
    far.sort_by(|a, b| distances[*b].total_cmp(&distances[*a]).then(a.cmp(b)));
    for (&c, &i) in empty.iter().zip(far.iter()) {
        let old = labels[i];
        if counts[old] <= 1 {
            continue;
        }
        let row = &x[i * d..(i + 1) * d];
        for j in 0..d {
            sums[old * d + j] -= row[j];
            sums[c * d + j] = row[j];
        }
        counts[old] -= 1;
        counts[c] = 1;
        labels[i] = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::KMeansParams;
    use ndarray::array;

    #[test]
    fn two_obvious_groups() {
        let x = array![
            [0.0, 0.0],
            [0.0, 1.0],
            [1.0, 0.0],
            [10.0, 10.0],
            [10.0, 11.0]
        ];
        let m = KMeansParams::new(2).fit(x.view()).unwrap();
        assert_eq!(m.labels(), &[0, 0, 0, 1, 1]);
        assert_eq!(m.sizes(), &[3, 2]);
        // Centres are the group means; inertia is hand-computable:
        // group A mean (1/3, 1/3): 2/9 + 5/9 + 5/9 = 4/3; group B mean (10, 10.5): 0.25 * 2.
        assert!((m.centroids()[[0, 0]] - 1.0 / 3.0).abs() < 1e-12);
        assert!((m.centroids()[[1, 1]] - 10.5).abs() < 1e-12);
        assert!((m.inertia() - (4.0 / 3.0 + 0.5)).abs() < 1e-12);
    }

    #[test]
    fn one_dimensional_three_groups() {
        let x = array![
            [1.0],
            [2.0],
            [3.0],
            [11.0],
            [12.0],
            [13.0],
            [21.0],
            [22.0],
            [23.0],
            [24.0]
        ];
        let m = KMeansParams::new(3).seed(3).fit(x.view()).unwrap();
        assert_eq!(m.labels(), &[1, 1, 1, 2, 2, 2, 0, 0, 0, 0]);
        assert!((m.inertia() - (2.0 + 2.0 + 5.0)).abs() < 1e-12);
    }

    fn blobs(n: usize, seed: u64) -> Array2<f64> {
        let mut rng = Rng::new(seed);
        Array2::from_shape_fn((n, 3), |(i, _)| (i % 4) as f64 * 5.0 + rng.normal())
    }

    #[test]
    fn same_seed_same_labels_and_segment_zero_is_largest() {
        let x = blobs(500, 9);
        let a = KMeansParams::new(4).seed(11).fit(x.view()).unwrap();
        let b = KMeansParams::new(4).seed(11).fit(x.view()).unwrap();
        assert_eq!(a, b);
        assert!(a.sizes().windows(2).all(|w| w[0] >= w[1]));
    }

    #[test]
    fn single_precision_and_mini_batch_find_the_same_groups() {
        let x = blobs(4_000, 2);
        let exact = KMeansParams::new(4).fit(x.view()).unwrap();
        let f32 = KMeansParams::new(4)
            .precision(Precision::F32)
            .fit(x.view())
            .unwrap();
        let mb = KMeansParams::new(4).mini_batch(256).fit(x.view()).unwrap();
        for other in [&f32, &mb] {
            assert!(
                other.inertia() <= exact.inertia() * 1.01,
                "{} vs {}",
                other.inertia(),
                exact.inertia()
            );
            assert_eq!(other.sizes(), exact.sizes());
        }
    }

    #[test]
    fn starts_from_given_centres() {
        let x = array![[0.0], [1.0], [10.0], [11.0]];
        // One iteration from (0, 1) moves the centres to the two group means... of the
        // nearest rows: {0} → 0, {1, 10, 11} → 22/3.
        let m = KMeansParams::new(2)
            .max_iter(1)
            .tolerance(0.0)
            .initial_centroids(array![[0.0], [1.0]])
            .fit(x.view())
            .unwrap();
        let mut c: Vec<f64> = m.centroids().iter().copied().collect();
        c.sort_by(f64::total_cmp);
        assert_eq!(c, vec![0.0, 22.0 / 3.0]);
        assert!(matches!(
            KMeansParams::new(2)
                .initial_centroids(array![[0.0, 1.0], [1.0, 1.0]])
                .fit(x.view()),
            Err(ClusterError::WrongWidth {
                expected: 1,
                got: 2
            })
        ));
    }

    #[test]
    fn data_errors() {
        let x = array![[1.0], [1.0], [2.0]];
        assert_eq!(
            KMeansParams::new(4).fit(x.view()).unwrap_err(),
            ClusterError::MoreClustersThanRows { k: 4, n: 3 }
        );
        assert_eq!(
            KMeansParams::new(3).fit(x.view()).unwrap_err(),
            ClusterError::TooFewDistinct { k: 3, distinct: 2 }
        );
        let y = array![[1.0], [f64::NAN]];
        assert_eq!(
            KMeansParams::new(1).fit(y.view()).unwrap_err(),
            ClusterError::NonFinite { row: 2, feature: 1 }
        );
        let empty = Array2::<f64>::zeros((0, 2));
        assert_eq!(
            KMeansParams::new(1).fit(empty.view()).unwrap_err(),
            ClusterError::NoRows
        );
    }

    #[test]
    fn predict_checks_width() {
        let x = array![[0.0, 0.0], [5.0, 5.0]];
        let m = KMeansParams::new(2).fit(x.view()).unwrap();
        assert!(matches!(
            m.predict(array![[1.0]].view()),
            Err(ClusterError::WrongWidth {
                expected: 2,
                got: 1
            })
        ));
        assert_eq!(
            m.distances(array![[0.0, 0.0]].view()).row(0).to_vec(),
            vec![0.0, 50.0]
        );
    }

    #[test]
    fn cancellation_stops_the_fit() {
        let x = array![[0.0], [1.0], [5.0], [6.0]];
        let params = KMeansParams::new(2).check().unwrap();
        let mut cancel = |_: Stage, _: f64| Err(crate::progress::Cancelled);
        assert_eq!(
            params.fit(x.view(), &mut cancel).unwrap_err(),
            ClusterError::Cancelled
        );
    }
}
