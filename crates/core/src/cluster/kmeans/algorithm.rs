//! The k-means algorithm itself.

use std::borrow::Cow;

use ndarray::{Array2, ArrayView2, CowArray, Ix2};
use serde::{Deserialize, Serialize};

use super::hyperparams::{KMeansParams, Precision};
use super::shards::{Centres, Finished, Lloyd, Next, Shard};
use crate::cluster::kernels::{
    nearest, nearest_f32, nearest_pair_f32, sq_dist, sq_dist_f32, to_f32_finite,
};
use crate::cluster::{
    ClusterError, check_finite, check_rows, check_shape, count_distinct_rows, relabel_by_size,
};
use crate::progress::{Cancelled, Progress, Stage};
use crate::rng::Rng;

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
    let mut plan = Plan::new(params, data)?;
    let runs = plan.runs();
    for run in 0..runs {
        let base = run as f64 / runs as f64;
        let span = 1.0 / runs as f64;
        let mut report = |f: f64| progress.report(Stage::Clustering, base + span * f);
        let centres = plan.seed();
        let result = match plan.batch() {
            Some(batch) => {
                let (n, d, k) = (plan.n, plan.d, plan.params.n_clusters);
                let x64 = plan.data.as_slice().unwrap_or(&[]);
                let max_iter = plan.params.max_iter;
                let centres = match &plan.x32 {
                    Some(x32) => mini_batch(
                        x32,
                        x64,
                        n,
                        d,
                        k,
                        centres,
                        batch,
                        max_iter,
                        &mut plan.rng,
                        &mut report,
                    )?,
                    None => mini_batch(
                        x64,
                        x64,
                        n,
                        d,
                        k,
                        centres,
                        batch,
                        max_iter,
                        &mut plan.rng,
                        &mut report,
                    )?,
                };
                let (centres, n_iter) = centres;
                let job = Centres {
                    centres,
                    moves: Vec::new(),
                };
                let finished = plan.shard(0..n).finish(&job, true);
                report(1.0)?;
                Run::of(job.centres, vec![finished], n_iter)
            }
            None => {
                let mut shard = plan.shard(0..plan.n);
                let (mut lloyd, mut job) = plan.lloyd(centres);
                loop {
                    let part = shard.assign(&job);
                    match lloyd.next(std::slice::from_ref(&part)) {
                        Next::Assign(next) => {
                            report(lloyd.fraction())?;
                            job = next;
                        }
                        Next::Finish { job, again } => {
                            let finished = shard.finish(&job, again);
                            report(1.0)?;
                            break lloyd.end(vec![finished]);
                        }
                    }
                }
            }
        };
        plan.keep(result);
    }
    plan.model()
}

/// A k-means fit: the checked data and parameters, the restarts' random state, and the
/// best run so far. [`fit`] runs it here; the page runs its Lloyd steps on several
/// workers ([`super::shards`]) with the same plan, for the same result.
pub struct Plan<'a> {
    params: KMeansParams,
    data: CowArray<'a, f64, Ix2>,
    x32: Option<Vec<f32>>,
    n: usize,
    d: usize,
    tol: f64,
    rng: Rng,
    best: Option<Run>,
}

impl<'a> Plan<'a> {
    /// Checks the data (finite, enough distinct rows, centres of the right width).
    pub fn new(params: &KMeansParams, data: ArrayView2<'a, f64>) -> Result<Self, ClusterError> {
        let params = params.clone().check()?.params().clone();
        let (n, d) = data.dim();
        let k = params.n_clusters;
        check_shape(n, d, k)?;
        let data: CowArray<'a, f64, Ix2> = if data.is_standard_layout() {
            data.into()
        } else {
            data.as_standard_layout().into_owned().into()
        };
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
        // As scikit-learn's `_tolerance`: no pass over the data when the tolerance is zero.
        let tol = if params.tol > 0.0 {
            params.tol * mean_variance(x, n, d)
        } else {
            0.0
        };
        let rng = Rng::new(params.seed);
        Ok(Plan {
            params,
            data,
            x32,
            n,
            d,
            tol,
            rng,
            best: None,
        })
    }

    /// Customers.
    pub fn rows(&self) -> usize {
        self.n
    }

    /// Features.
    pub fn features(&self) -> usize {
        self.d
    }

    /// Restarts.
    pub fn runs(&self) -> usize {
        self.params.n_init
    }

    /// Whether distances are computed in single precision.
    pub fn single_precision(&self) -> bool {
        self.x32.is_some()
    }

    /// Whether the fit is by Lloyd steps (which shards can share); mini-batch k-means
    /// (which draws rows at random from all of them) runs in one place.
    pub fn by_steps(&self) -> bool {
        self.batch().is_none()
    }

    fn batch(&self) -> Option<usize> {
        self.params.batch_size.filter(|&b| b < self.n)
    }

    /// All rows, `n × d` row-major.
    pub fn x64(&self) -> &[f64] {
        self.data.as_slice().unwrap_or(&[])
    }

    /// A shard over `rows` (whole blocks; see [`super::shards::shard_rows`]), borrowing
    /// the plan's data.
    pub fn shard(&self, rows: std::ops::Range<usize>) -> Shard<'_> {
        let d = self.d;
        let x64 = self.x64().get(rows.start * d..rows.end * d).unwrap_or(&[]);
        let x32 = self
            .x32
            .as_ref()
            .map(|x| Cow::Borrowed(x.get(rows.start * d..rows.end * d).unwrap_or(&[])));
        Shard::with(rows.start, d, Cow::Borrowed(x64), x32)
    }

    /// The next restart's starting centres (`k × d`): the given ones, or k-means++.
    pub fn seed(&mut self) -> Vec<f64> {
        let (n, d, k) = (self.n, self.d, self.params.n_clusters);
        match &self.params.initial_centroids {
            Some(c) => c.iter().copied().collect(),
            None => match &self.x32 {
                Some(x32) => plus_plus(x32, n, d, k, &mut self.rng),
                None => plus_plus(self.data.as_slice().unwrap_or(&[]), n, d, k, &mut self.rng),
            },
        }
    }

    /// Lloyd's algorithm from `centres`, and the first step's job for the shards.
    pub fn lloyd(&self, centres: Vec<f64>) -> (Lloyd, Centres) {
        Lloyd::new(self.d, centres, self.params.max_iter, self.tol)
    }

    /// Keeps `run` if it has the lowest inertia so far (ties keep the earlier run, as in
    /// scikit-learn).
    pub fn keep(&mut self, run: Run) {
        if self.best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
            self.best = Some(run);
        }
    }

    /// The best run as a model, segment 0 the largest.
    pub fn model(self) -> Result<KMeans, ClusterError> {
        let best = self.best.ok_or(ClusterError::ZeroRestarts)?;
        let (k, d) = (self.params.n_clusters, self.d);
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

/// One restart's result.
pub struct Run {
    centers: Vec<f64>,
    labels: Vec<usize>,
    inertia: f64,
    n_iter: usize,
}

impl Run {
    /// The run ending at `centers` after `n_iter` steps, from every shard's last answer
    /// (in shard order; inertia added block by block).
    pub(super) fn of(centers: Vec<f64>, parts: Vec<Finished>, n_iter: usize) -> Run {
        let inertia = parts.iter().flat_map(|p| &p.inertia).sum();
        Run {
            centers,
            labels: parts
                .into_iter()
                .flat_map(|p| p.labels)
                .map(|l| l as usize)
                .collect(),
            inertia,
            n_iter,
        }
    }
}

/// Mini-batch k-means (Sculley 2010, as scikit-learn's `MiniBatchKMeans`): each step moves
/// the centres towards a random batch of rows with per-centre learning rates `1 / count`;
/// returns the centres and the steps taken (the final labels come from a full assignment).
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
) -> Result<(Vec<f64>, usize), ClusterError> {
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
    Ok((centers, n_iter))
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
