//! The k-means algorithm itself.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::hyperparams::KMeansParams;
use crate::cluster::kernels::{nearest, sq_dist};
use crate::cluster::{ClusterError, check_finite, count_distinct_rows, relabel_by_size};
use crate::progress::{Progress, Stage};
use crate::rng::Rng;

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

    /// Sum of squared distances from each row to its centre.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }

    /// Lloyd iterations used by the winning restart.
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
        if data.ncols() != d {
            return Err(ClusterError::WrongWidth {
                expected: d,
                got: data.ncols(),
            });
        }
        check_finite(data)?;
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
}

pub(super) fn fit(
    params: &KMeansParams,
    data: ArrayView2<f64>,
    progress: &mut dyn Progress,
) -> Result<KMeans, ClusterError> {
    let (n, d) = data.dim();
    let k = params.n_clusters;
    if n == 0 {
        return Err(ClusterError::NoRows);
    }
    if d == 0 {
        return Err(ClusterError::NoFeatures);
    }
    if k > n {
        return Err(ClusterError::MoreClustersThanRows { k, n });
    }
    check_finite(data)?;
    let distinct = count_distinct_rows(data, k);
    if distinct < k {
        return Err(ClusterError::TooFewDistinct { k, distinct });
    }
    let data = data.as_standard_layout();
    let x = data.as_slice().unwrap_or(&[]);
    let tol = params.tol * mean_variance(x, n, d);
    let mut rng = Rng::new(params.seed);
    let mut best: Option<Run> = None;
    for run in 0..params.n_init {
        let base = run as f64 / params.n_init as f64;
        let span = 1.0 / params.n_init as f64;
        let centers = plus_plus(x, n, d, k, &mut rng);
        let result = lloyd(x, n, d, k, centers, params.max_iter, tol, &mut |f| {
            progress.report(Stage::Clustering, base + span * f)
        })?;
        // Strictly lower inertia wins, as in scikit-learn: ties keep the earlier run.
        if best.as_ref().is_none_or(|b| result.inertia < b.inertia) {
            best = Some(result);
        }
    }
    let best = best.ok_or(ClusterError::ZeroRestarts)?;
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

/// Mean over features of each feature's population variance (scikit-learn's `_tolerance`).
fn mean_variance(x: &[f64], n: usize, d: usize) -> f64 {
    if d == 0 || n == 0 {
        return 0.0;
    }
    let mut total = 0.0;
    for j in 0..d {
        let mean = (0..n).map(|i| x[i * d + j]).sum::<f64>() / n as f64;
        total += (0..n).map(|i| (x[i * d + j] - mean).powi(2)).sum::<f64>() / n as f64;
    }
    total / d as f64
}

/// Greedy k-means++ (Arthur & Vassilvitskii; scikit-learn's `_kmeans_plusplus`): each new
/// centre is the best of `2 + ln k` candidates drawn with probability proportional to the
/// squared distance to the nearest centre so far. Returns `k × d` centres, row-major.
pub(crate) fn plus_plus(x: &[f64], n: usize, d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let trials = 2 + (k as f64).ln() as usize;
    let mut centers = Vec::with_capacity(k * d);
    let first = rng.below(n);
    centers.extend_from_slice(&x[first * d..(first + 1) * d]);
    let mut closest: Vec<f64> = x
        .chunks_exact(d)
        .map(|row| sq_dist(row, &centers[..d]))
        .collect();
    let mut potential: f64 = closest.iter().sum();
    let mut cumulative = vec![0.0; n];
    let mut candidate_dist = vec![0.0; n];
    let mut best_dist = vec![0.0; n];
    for _ in 1..k {
        let mut acc = 0.0;
        for (c, v) in cumulative.iter_mut().zip(&closest) {
            acc += v;
            *c = acc;
        }
        let mut best: Option<(usize, f64)> = None;
        for _ in 0..trials {
            let target = rng.uniform() * potential;
            let id = cumulative.partition_point(|c| *c <= target).min(n - 1);
            let candidate = &x[id * d..(id + 1) * d];
            let mut pot = 0.0;
            for ((out, row), prev) in candidate_dist
                .iter_mut()
                .zip(x.chunks_exact(d))
                .zip(&closest)
            {
                *out = sq_dist(row, candidate).min(*prev);
                pot += *out;
            }
            if best.is_none_or(|(_, p)| pot < p) {
                best = Some((id, pot));
                std::mem::swap(&mut best_dist, &mut candidate_dist);
            }
        }
        let Some((id, pot)) = best else { break };
        centers.extend_from_slice(&x[id * d..(id + 1) * d]);
        potential = pot;
        std::mem::swap(&mut closest, &mut best_dist);
    }
    centers
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
fn lloyd(
    x: &[f64],
    n: usize,
    d: usize,
    k: usize,
    mut centers: Vec<f64>,
    max_iter: usize,
    tol: f64,
    progress: &mut dyn FnMut(f64) -> Result<(), crate::progress::Cancelled>,
) -> Result<Run, ClusterError> {
    let mut labels = vec![usize::MAX; n];
    let mut distances = vec![0.0; n];
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![0usize; k];
    let mut strict = false;
    let mut n_iter = 0;
    for iter in 0..max_iter {
        n_iter = iter + 1;
        let changed = assign(x, d, &centers, &mut labels, &mut distances);
        if iter > 0 && changed == 0 {
            // Labels did not change: centres are already the means of their segments.
            strict = true;
            break;
        }
        accumulate(x, d, &labels, &mut sums, &mut counts);
        relocate_empty(x, d, &mut labels, &distances, &mut sums, &mut counts);
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
        assign(x, d, &centers, &mut labels, &mut distances);
    }
    let inertia = distances.iter().sum();
    progress(1.0)?;
    Ok(Run {
        centers,
        labels,
        inertia,
        n_iter,
    })
}

/// Assigns each row to its nearest centre; returns how many labels changed.
fn assign(
    x: &[f64],
    d: usize,
    centers: &[f64],
    labels: &mut [usize],
    distances: &mut [f64],
) -> usize {
    let mut changed = 0;
    for ((row, l), dd) in x
        .chunks_exact(d)
        .zip(labels.iter_mut())
        .zip(distances.iter_mut())
    {
        let (c, best) = nearest(row, centers, d);
        changed += usize::from(*l != c);
        *l = c;
        *dd = best;
    }
    changed
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

    #[test]
    fn same_seed_same_labels_and_segment_zero_is_largest() {
        let mut rng = Rng::new(9);
        let x = Array2::from_shape_fn((500, 3), |(i, _)| (i % 4) as f64 * 5.0 + rng.normal());
        let a = KMeansParams::new(4).seed(11).fit(x.view()).unwrap();
        let b = KMeansParams::new(4).seed(11).fit(x.view()).unwrap();
        assert_eq!(a, b);
        assert!(a.sizes().windows(2).all(|w| w[0] >= w[1]));
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
