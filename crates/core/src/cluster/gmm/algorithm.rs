//! Expectation-maximization for Gaussian mixtures.
//!
//! Each iteration is one pass over the rows that computes every row's membership
//! probabilities (E-step) and, in the same pass, the sufficient statistics the M-step needs
//! (per-segment weight sums, weighted sums and weighted second moments). Statistics from
//! separate slices of rows add up, which is what lets several workers share one fit.
//! The rows are shifted by the column means first, so second moments stay well conditioned
//! whatever the units of the data.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::hyperparams::{Covariance, GaussianMixtureValidParams};
use super::linalg::{cholesky, precision_factor};
use super::shards::{Plan, Start};
use crate::cluster::kernels::{axpy, dot};
use crate::cluster::{ClusterError, check_rows};
use crate::progress::{Cancelled, Progress, Stage};

/// Rows between progress reports and cancellation checks.
const BLOCK: usize = 8_192;
/// Memberships below this add nothing measurable to a segment's moments and are skipped.
const RESP_FLOOR: f64 = 1e-12;
/// `ln(2π)`.
const LN_2PI: f64 = 1.837_877_066_409_345_3;

/// A fitted Gaussian mixture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaussianMixture {
    covariance: Covariance,
    components: Components,
    labels: Vec<usize>,
    confidence: Vec<f64>,
    log_likelihood: f64,
    n_samples: usize,
    n_iter: usize,
    converged: bool,
}

/// Mixture parameters in the units of the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Components {
    d: usize,
    weights: Vec<f64>,
    /// `k × d`, row-major.
    means: Vec<f64>,
    /// Full: `k × d × d`; diagonal: `k × d`; spherical: `k`.
    covariances: Vec<f64>,
    /// Cholesky factor of each precision: full, upper triangular `k × d × d`;
    /// diagonal, `k × d` inverse standard deviations; spherical, `k` of them.
    factor: Vec<f64>,
    /// `ln det` of each precision factor plus `ln weight`, minus `d ln(2π) / 2`: everything
    /// in a row's log-density except the quadratic term.
    offset: Vec<f64>,
}

impl GaussianMixture {
    /// The model of a finished fit ([`super::shards::Plan::model`]).
    pub(super) fn new(
        covariance: Covariance,
        components: Components,
        labels: Vec<usize>,
        confidence: Vec<f64>,
        log_likelihood: f64,
        n_iter: usize,
        converged: bool,
    ) -> Self {
        GaussianMixture {
            covariance,
            components,
            n_samples: labels.len(),
            labels,
            confidence,
            log_likelihood,
            n_iter,
            converged,
        }
    }

    /// The model without anything per fitted customer (`labels`, `confidence`), for saving
    /// in a recipe: what assigns new customers stays.
    pub(crate) fn without_rows(mut self) -> Self {
        self.labels = Vec::new();
        self.confidence = Vec::new();
        self
    }

    /// The segment of each fitted row (the most probable one).
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// The probability of each fitted row's own segment.
    pub fn confidence(&self) -> &[f64] {
        &self.confidence
    }

    /// Number of segments.
    pub fn k(&self) -> usize {
        self.components.weights.len()
    }

    /// Mixing weights (the expected share of customers in each segment).
    pub fn weights(&self) -> &[f64] {
        &self.components.weights
    }

    /// Segment centres (`k × d`).
    pub fn means(&self) -> Array2<f64> {
        let c = &self.components;
        Array2::from_shape_vec((self.k(), c.d), c.means.clone()).unwrap_or_default()
    }

    /// Covariances: full `k × d × d`, diagonal `k × d`, spherical `k`, flattened.
    pub fn covariances(&self) -> &[f64] {
        &self.components.covariances
    }

    /// The covariance shape.
    pub fn covariance_type(&self) -> Covariance {
        self.covariance
    }

    /// Number of rows in each segment (by most probable segment).
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.k()];
        for &l in &self.labels {
            sizes[l] += 1;
        }
        sizes
    }

    /// Average log-likelihood per row of the fitted data (scikit-learn's `score`).
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood
    }

    /// Number of free parameters.
    pub fn n_parameters(&self) -> usize {
        let (k, d) = (self.k(), self.components.d);
        let cov = match self.covariance {
            Covariance::Full => k * d * (d + 1) / 2,
            Covariance::Diagonal => k * d,
            Covariance::Spherical => k,
        };
        cov + k * d + k - 1
    }

    /// Bayesian information criterion on the fitted data (lower is better).
    pub fn bic(&self) -> f64 {
        let n = self.n_samples as f64;
        -2.0 * self.log_likelihood * n + self.n_parameters() as f64 * libm::log(n)
    }

    /// Akaike information criterion on the fitted data (lower is better).
    pub fn aic(&self) -> f64 {
        let n = self.n_samples as f64;
        -2.0 * self.log_likelihood * n + 2.0 * self.n_parameters() as f64
    }

    /// EM iterations used by the winning start.
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Whether the winning start converged within `max_iter`.
    pub fn converged(&self) -> bool {
        self.converged
    }

    /// The most probable segment of each new row.
    pub fn predict(&self, data: ArrayView2<f64>) -> Result<Vec<usize>, ClusterError> {
        let mut sink = Labels::new(data.nrows());
        self.score_rows(data, &mut sink)?;
        Ok(sink.labels)
    }

    /// Membership probabilities of new rows (`n × k`; rows sum to 1).
    pub fn predict_proba(&self, data: ArrayView2<f64>) -> Result<Array2<f64>, ClusterError> {
        let mut sink = Probabilities(Array2::zeros((data.nrows(), self.k())));
        self.score_rows(data, &mut sink)?;
        Ok(sink.0)
    }

    /// Average log-likelihood of new rows.
    pub fn score(&self, data: ArrayView2<f64>) -> Result<f64, ClusterError> {
        let mut sink = Labels::new(data.nrows());
        let total = self.score_rows(data, &mut sink)?;
        Ok(total / data.nrows().max(1) as f64)
    }

    fn score_rows(&self, data: ArrayView2<f64>, sink: &mut dyn Sink) -> Result<f64, ClusterError> {
        let d = self.components.d;
        check_rows(data, d)?;
        let data = data.as_standard_layout();
        let x = data.as_slice().unwrap_or(&[]);
        Ok(expect(
            &self.components,
            self.covariance,
            x,
            sink,
            &mut |_| Ok(()),
        )?)
    }
}

/// Receives each row's membership probabilities during a pass.
pub(super) trait Sink {
    fn row(&mut self, i: usize, x: &[f64], resp: &[f64]);
}

/// Most probable segment and its probability.
pub(super) struct Labels {
    pub(super) labels: Vec<usize>,
    pub(super) confidence: Vec<f64>,
}

impl Labels {
    pub(super) fn new(n: usize) -> Self {
        Labels {
            labels: vec![0; n],
            confidence: vec![0.0; n],
        }
    }
}

impl Sink for Labels {
    fn row(&mut self, i: usize, _: &[f64], resp: &[f64]) {
        let mut best = (0, f64::NEG_INFINITY);
        for (c, &r) in resp.iter().enumerate() {
            if r > best.1 {
                best = (c, r);
            }
        }
        self.labels[i] = best.0;
        self.confidence[i] = best.1;
    }
}

struct Probabilities(Array2<f64>);

impl Sink for Probabilities {
    fn row(&mut self, i: usize, _: &[f64], resp: &[f64]) {
        for (out, r) in self.0.row_mut(i).iter_mut().zip(resp) {
            *out = *r;
        }
    }
}

/// The M-step's sufficient statistics; statistics of disjoint row sets add up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stats {
    covariance: Covariance,
    d: usize,
    /// Σ r
    weight: Vec<f64>,
    /// Σ r x
    sum: Vec<f64>,
    /// Full: Σ r x xᵀ (lower triangles, `k × d × d`); otherwise Σ r x² (`k × d`).
    square: Vec<f64>,
}

impl Stats {
    pub(super) fn new(covariance: Covariance, k: usize, d: usize) -> Self {
        let square = Self::squares(covariance, k, d);
        Stats {
            covariance,
            d,
            weight: vec![0.0; k],
            sum: vec![0.0; k * d],
            square: vec![0.0; square],
        }
    }

    fn squares(covariance: Covariance, k: usize, d: usize) -> usize {
        match covariance {
            Covariance::Full => k * d * d,
            Covariance::Diagonal | Covariance::Spherical => k * d,
        }
    }

    /// Numbers in the statistics of `k` segments of `d` features.
    pub(super) fn width(covariance: Covariance, k: usize, d: usize) -> usize {
        k + k * d + Self::squares(covariance, k, d)
    }

    /// Appends the statistics to `out` ([`Stats::width`] numbers).
    pub(super) fn flatten_into(&self, out: &mut Vec<f64>) {
        out.extend_from_slice(&self.weight);
        out.extend_from_slice(&self.sum);
        out.extend_from_slice(&self.square);
    }

    /// Adds another slice's statistics, flattened by [`Stats::flatten_into`].
    pub(super) fn add_flat(&mut self, flat: &[f64]) {
        let (weight, rest) = flat.split_at(self.weight.len().min(flat.len()));
        let (sum, square) = rest.split_at(self.sum.len().min(rest.len()));
        for (a, b) in [
            (&mut self.weight, weight),
            (&mut self.sum, sum),
            (&mut self.square, square),
        ] {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        }
    }

    /// Adds one row with weights `resp` (one per segment).
    pub(super) fn add(&mut self, x: &[f64], resp: &[f64]) {
        let d = self.d;
        for (c, &r) in resp.iter().enumerate() {
            self.weight[c] += r;
            if r < RESP_FLOOR {
                continue;
            }
            axpy(r, x, &mut self.sum[c * d..(c + 1) * d]);
            match self.covariance {
                Covariance::Full => {
                    // Lower triangle, rounded up to whole SIMD pairs (the entry past the
                    // diagonal is accumulated but never read).
                    let block = &mut self.square[c * d * d..(c + 1) * d * d];
                    for (i, &xi) in x.iter().enumerate() {
                        let end = ((i + 2) & !1).min(d);
                        axpy(r * xi, &x[..end], &mut block[i * d..i * d + end]);
                    }
                }
                Covariance::Diagonal | Covariance::Spherical => {
                    let sq = &mut self.square[c * d..(c + 1) * d];
                    for (s, &v) in sq.iter_mut().zip(x) {
                        *s += r * v * v;
                    }
                }
            }
        }
    }
}

impl Sink for Stats {
    fn row(&mut self, _: usize, x: &[f64], resp: &[f64]) {
        self.add(x, resp);
    }
}

impl Components {
    /// Segments.
    pub(super) fn k(&self) -> usize {
        self.weights.len()
    }

    /// The M-step: parameters from sufficient statistics, as scikit-learn's
    /// `_estimate_gaussian_parameters` (every weight sum gets `10 ε` so empty segments do
    /// not divide by zero; `reg_covar` is added to every variance).
    pub(super) fn from_stats(stats: &Stats, reg_covar: f64) -> Result<Components, ClusterError> {
        let d = stats.d;
        let k = stats.weight.len();
        let nk: Vec<f64> = stats
            .weight
            .iter()
            .map(|w| w + 10.0 * f64::EPSILON)
            .collect();
        let total: f64 = nk.iter().sum();
        let weights: Vec<f64> = nk.iter().map(|w| w / total).collect();
        let mut means = vec![0.0; k * d];
        for c in 0..k {
            for j in 0..d {
                means[c * d + j] = stats.sum[c * d + j] / nk[c];
            }
        }
        let degenerate = |c: usize| ClusterError::DegenerateComponent { segment: c + 1 };
        let mut covariances;
        let mut factor;
        let mut log_det = vec![0.0; k];
        match stats.covariance {
            Covariance::Full => {
                covariances = vec![0.0; k * d * d];
                factor = Vec::with_capacity(k * d * d);
                for c in 0..k {
                    let mu = &means[c * d..(c + 1) * d];
                    let cov = &mut covariances[c * d * d..(c + 1) * d * d];
                    for i in 0..d {
                        for j in 0..=i {
                            let second = stats.square[c * d * d + i * d + j] / nk[c];
                            let scale = (stats.square[c * d * d + i * d + i]
                                * stats.square[c * d * d + j * d + j])
                                .sqrt()
                                / nk[c];
                            let v = without_noise(second - mu[i] * mu[j], scale);
                            cov[i * d + j] = v;
                            cov[j * d + i] = v;
                        }
                        cov[i * d + i] += reg_covar;
                    }
                    let l = cholesky(cov, d).ok_or_else(|| degenerate(c))?;
                    let p = precision_factor(&l, d);
                    log_det[c] = (0..d).map(|i| libm::log(p[i * d + i])).sum();
                    factor.extend(p);
                }
            }
            Covariance::Diagonal | Covariance::Spherical => {
                let mut var = vec![0.0; k * d];
                for c in 0..k {
                    for j in 0..d {
                        let mu = means[c * d + j];
                        let second = stats.square[c * d + j] / nk[c];
                        var[c * d + j] = without_noise(second - mu * mu, second) + reg_covar;
                    }
                }
                if stats.covariance == Covariance::Spherical {
                    covariances = (0..k)
                        .map(|c| var[c * d..(c + 1) * d].iter().sum::<f64>() / d as f64)
                        .collect();
                } else {
                    covariances = var;
                }
                factor = Vec::with_capacity(covariances.len());
                for (i, &v) in covariances.iter().enumerate() {
                    if !(v > 0.0 && v.is_finite()) {
                        let per = if stats.covariance == Covariance::Spherical {
                            1
                        } else {
                            d
                        };
                        return Err(degenerate(i / per));
                    }
                    factor.push(1.0 / v.sqrt());
                }
                for c in 0..k {
                    log_det[c] = if stats.covariance == Covariance::Spherical {
                        d as f64 * libm::log(factor[c])
                    } else {
                        factor[c * d..(c + 1) * d]
                            .iter()
                            .map(|f| libm::log(*f))
                            .sum()
                    };
                }
            }
        }
        let offset = (0..k)
            .map(|c| log_det[c] + libm::log(weights[c]) - 0.5 * d as f64 * LN_2PI)
            .collect();
        Ok(Components {
            d,
            weights,
            means,
            covariances,
            factor,
            offset,
        })
    }

    /// Weighted log-density of row `x` under every segment, into `out`.
    fn log_densities(
        &self,
        covariance: Covariance,
        x: &[f64],
        diff: &mut [f64],
        y: &mut [f64],
        out: &mut [f64],
    ) {
        let d = self.d;
        for (c, out) in out.iter_mut().enumerate() {
            let mu = &self.means[c * d..(c + 1) * d];
            for ((o, a), b) in diff.iter_mut().zip(x).zip(mu) {
                *o = a - b;
            }
            let q = match covariance {
                Covariance::Full => {
                    // y = Pᵀ (x − μ) as a sum of P's rows; q = |y|². Row i is zero before
                    // column i; starting at the even column at or before it keeps the SIMD
                    // pairs aligned (the extra term adds an exact zero).
                    let p = &self.factor[c * d * d..(c + 1) * d * d];
                    y.iter_mut().for_each(|v| *v = 0.0);
                    for i in 0..d {
                        let start = i & !1;
                        axpy(diff[i], &p[i * d + start..(i + 1) * d], &mut y[start..]);
                    }
                    dot(y, y)
                }
                Covariance::Diagonal => {
                    let f = &self.factor[c * d..(c + 1) * d];
                    for ((o, a), b) in y.iter_mut().zip(diff.iter()).zip(f) {
                        *o = a * b;
                    }
                    dot(y, y)
                }
                Covariance::Spherical => {
                    let f = self.factor[c];
                    dot(diff, diff) * f * f
                }
            };
            *out = self.offset[c] - 0.5 * q;
        }
    }

    /// Moves the means by `shift` (from centred to original units).
    pub(super) fn shift(&mut self, shift: &[f64]) {
        let d = self.d;
        for mean in self.means.chunks_exact_mut(d.max(1)) {
            for (m, s) in mean.iter_mut().zip(shift) {
                *m += s;
            }
        }
    }

    /// Reorders segments: new segment `s` is old segment `order[s]`.
    pub(super) fn permute(&mut self, covariance: Covariance, order: &[usize]) {
        let d = self.d;
        let pick = |v: &[f64], width: usize| -> Vec<f64> {
            order
                .iter()
                .flat_map(|&o| v[o * width..(o + 1) * width].iter().copied())
                .collect()
        };
        self.weights = pick(&self.weights, 1);
        self.means = pick(&self.means, d);
        self.offset = pick(&self.offset, 1);
        let (cov, fac) = match covariance {
            Covariance::Full => (d * d, d * d),
            Covariance::Diagonal => (d, d),
            Covariance::Spherical => (1, 1),
        };
        self.covariances = pick(&self.covariances, cov);
        self.factor = pick(&self.factor, fac);
    }
}

/// A central moment computed as `E[xy] − E[x]E[y]` carries rounding noise of a few ulps of
/// `E[xy]`; below that it is zero (so a segment whose customers are identical in a feature
/// is recognised as collapsed, exactly as a two-pass computation would find).
fn without_noise(value: f64, scale: f64) -> f64 {
    if value.abs() <= 8.0 * f64::EPSILON * scale.abs() {
        0.0
    } else {
        value
    }
}

/// Rows whose full-covariance log-densities are computed together.
const ROWS: usize = 4;

/// Each component's precision factor with rows padded to a multiple of four columns
/// (zeros), for [`quadratic_forms`].
struct Padded {
    /// Columns per padded row.
    width: usize,
    /// `k × d × width`.
    factor: Vec<f64>,
}

impl Padded {
    fn new(components: &Components) -> Padded {
        let d = components.d;
        let width = d.div_ceil(4) * 4;
        let mut factor = vec![0.0; components.weights.len() * d * width];
        for (padded, row) in factor
            .chunks_exact_mut(width)
            .zip(components.factor.chunks_exact(d))
        {
            padded[..d].copy_from_slice(row);
        }
        Padded { width, factor }
    }
}

/// `|Pᵀ(x − μ)|²` for [`ROWS`] rows at once, given their differences from the mean
/// (`diffs`, `ROWS × d`) and a padded upper-triangular factor `p` (`d × width`).
///
/// Four columns of `y = Pᵀ(x − μ)` at a time stay in local accumulators for all rows, so
/// each stretch of `P` is loaded once per [`ROWS`] rows and `y` never goes to memory;
/// this made one EM iteration on 100,000 × 16, k = 8 about twice as fast as a row at a
/// time (`cargo xtask bench`, workload `gmm_full_one_em_iter`). Every `y_j` sums
/// `(x_i − μ_i) P_ij` in increasing `i` and the squares go to four lanes by `j mod 4`,
/// exactly as [`axpy`] and [`dot`] do, so the results are the same bits as
/// [`Components::log_densities`] (the extra terms where `P_ij` is zero add exact zeros).
fn quadratic_forms(p: &[f64], width: usize, diffs: &[f64], d: usize) -> [f64; ROWS] {
    let mut q = [[0.0f64; 4]; ROWS];
    for j0 in (0..width).step_by(4) {
        let mut acc = [[0.0f64; 4]; ROWS];
        for i in 0..(j0 + 4).min(d) {
            let stretch = &p[i * width + j0..i * width + j0 + 4];
            for (acc, diff) in acc.iter_mut().zip(diffs.chunks_exact(d)) {
                let a = diff[i];
                for (v, f) in acc.iter_mut().zip(stretch) {
                    *v += a * f;
                }
            }
        }
        for (q, acc) in q.iter_mut().zip(&acc) {
            for (q, v) in q.iter_mut().zip(acc) {
                *q += v * v;
            }
        }
    }
    q.map(|q| (q[0] + q[1]) + (q[2] + q[3]))
}

/// Full-covariance log-densities of [`ROWS`] rows (`rows`, `ROWS × d`) under every
/// component, into `out` (`ROWS × k`).
fn log_densities_full(
    components: &Components,
    padded: &Padded,
    rows: &[f64],
    diffs: &mut [f64],
    out: &mut [f64],
) {
    let d = components.d;
    let k = components.weights.len();
    for c in 0..k {
        let mu = &components.means[c * d..(c + 1) * d];
        for (diff, row) in diffs.chunks_exact_mut(d).zip(rows.chunks_exact(d)) {
            for ((o, a), b) in diff.iter_mut().zip(row).zip(mu) {
                *o = a - b;
            }
        }
        let p = &padded.factor[c * d * padded.width..(c + 1) * d * padded.width];
        let q = quadratic_forms(p, padded.width, diffs, d);
        for (r, q) in q.iter().enumerate() {
            out[r * k + c] = components.offset[c] - 0.5 * q;
        }
    }
}

/// One pass: each row's membership probabilities go to `sink`; returns the summed
/// log-likelihood.
pub(super) fn expect(
    components: &Components,
    covariance: Covariance,
    x: &[f64],
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
) -> Result<f64, Cancelled> {
    let d = components.d;
    let k = components.weights.len();
    let n = x.len() / d.max(1);
    let mut diff = vec![0.0; d];
    let mut y = vec![0.0; d];
    let mut resp = vec![0.0; k];
    let mut total = 0.0;
    // Full covariance: log-densities of ROWS rows at a time, into `grouped`.
    let padded = (covariance == Covariance::Full && d > 0).then(|| Padded::new(components));
    let mut grouped = vec![0.0; ROWS * k];
    let mut diffs = vec![0.0; ROWS * d];
    for (b, block) in x.chunks(BLOCK * d.max(1)).enumerate() {
        for (r, row) in block.chunks_exact(d.max(1)).enumerate() {
            // The group of ROWS rows this row belongs to; the last rows of a block that
            // do not fill one go one at a time.
            let group = r - r % ROWS;
            match &padded {
                Some(padded) if block.len() >= (group + ROWS) * d => {
                    if r == group {
                        let rows = &block[r * d..(r + ROWS) * d];
                        log_densities_full(components, padded, rows, &mut diffs, &mut grouped);
                    }
                    let at = (r % ROWS) * k;
                    resp.copy_from_slice(&grouped[at..at + k]);
                }
                _ => components.log_densities(covariance, row, &mut diff, &mut y, &mut resp),
            }
            let max = resp.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for v in resp.iter_mut() {
                // exp(−50) ≈ 2e-22 cannot change a sum that is at least 1.
                *v = if *v - max > -50.0 {
                    libm::exp(*v - max)
                } else {
                    0.0
                };
                sum += *v;
            }
            total += max + libm::log(sum);
            resp.iter_mut().for_each(|v| *v /= sum);
            sink.row(b * BLOCK + r, row, &resp);
        }
        progress(((b + 1) * BLOCK).min(n) as f64 / n.max(1) as f64)?;
    }
    Ok(total)
}

pub(super) fn fit(
    params: &GaussianMixtureValidParams,
    data: ArrayView2<f64>,
    progress: &mut dyn Progress,
) -> Result<GaussianMixture, ClusterError> {
    let mut plan = Plan::new(params, data)?;
    let (n, runs, max_iter) = (plan.rows(), plan.runs(), plan.max_iter());
    for run in 0..runs {
        let span = 1.0 / runs as f64;
        let base = run as f64 * span;
        let init = match plan.start(run) {
            Start::Given(labels) => labels.to_vec(),
            Start::KMeans(kmeans) => kmeans.fit(plan.centred())?.labels().to_vec(),
        };
        let (mut em, mut step) = plan.em(&init)?;
        let shard = plan.shard(0..n);
        loop {
            let at = base + span * em.fraction();
            let part = shard.expect(&step, &mut |f| {
                progress.report(Stage::Clustering, at + span * f / max_iter as f64)
            })?;
            match em.next(&[part])? {
                Some(next) => step = next,
                None => break,
            }
        }
        plan.keep(em);
    }
    let last = plan.last()?;
    let labelled = plan.shard(0..n).labels(&last);
    progress.report(Stage::Clustering, 1.0)?;
    plan.model(vec![labelled])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::GaussianMixtureParams;
    use crate::rng::Rng;
    use ndarray::array;

    fn two_groups() -> Array2<f64> {
        let mut rng = Rng::new(4);
        Array2::from_shape_fn((300, 2), |(i, j)| {
            let centre = if i < 200 { 0.0 } else { 6.0 };
            centre + rng.normal() * if j == 0 { 1.0 } else { 0.5 }
        })
    }

    #[test]
    fn one_component_is_the_sample_mean_and_covariance() {
        let x = array![[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [1.0, 1.0]];
        let m = GaussianMixtureParams::new(1)
            .reg_covar(0.0)
            .fit(x.view())
            .unwrap();
        assert_eq!(m.means().row(0).to_vec(), vec![1.0, 1.0]);
        // Population covariance: var 0.8 each, covariance 0.
        let c = m.covariances();
        assert!((c[0] - 0.8).abs() < 1e-12 && c[1].abs() < 1e-12 && (c[3] - 0.8).abs() < 1e-12);
        // Average log-density of N(μ, 0.8 I): −ln(2π·0.8) − (1/2)·mean(|x−μ|²)/0.8.
        let expected = -libm::log(2.0 * std::f64::consts::PI * 0.8) - 0.5 * 1.6 / 0.8;
        assert!((m.log_likelihood() - expected).abs() < 1e-12);
        // 2 means + 3 covariance entries; no free weight.
        assert_eq!(m.n_parameters(), 5);
        assert!((m.bic() - (-2.0 * expected * 5.0 + 5.0 * libm::log(5.0))).abs() < 1e-9);
    }

    #[test]
    fn every_covariance_shape_separates_two_groups() {
        let x = two_groups();
        for cov in [
            Covariance::Full,
            Covariance::Diagonal,
            Covariance::Spherical,
        ] {
            let m = GaussianMixtureParams::new(2)
                .covariance(cov)
                .fit(x.view())
                .unwrap();
            assert_eq!(m.sizes(), vec![200, 100], "{cov:?}");
            assert!(m.converged());
            let p = m.predict_proba(x.view()).unwrap();
            for row in p.rows() {
                assert!((row.sum() - 1.0).abs() < 1e-12);
            }
            assert_eq!(m.predict(x.view()).unwrap(), m.labels());
            assert!((m.score(x.view()).unwrap() - m.log_likelihood()).abs() < 1e-12);
            assert!(m.confidence().iter().all(|p| *p > 0.5));
        }
    }

    #[test]
    fn same_seed_same_model() {
        let x = two_groups();
        let a = GaussianMixtureParams::new(3).seed(5).fit(x.view()).unwrap();
        let b = GaussianMixtureParams::new(3).seed(5).fit(x.view()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn collapsed_segment_is_reported() {
        let x = array![[0.0], [0.0], [0.0], [5.0], [5.0], [5.0]];
        let err = GaussianMixtureParams::new(2)
            .reg_covar(0.0)
            .fit(x.view())
            .unwrap_err();
        assert!(matches!(err, ClusterError::DegenerateComponent { .. }));
        // With the default regularization the same data fits.
        assert!(GaussianMixtureParams::new(2).fit(x.view()).is_ok());
    }

    #[test]
    fn rows_in_fours_give_the_same_bits_as_one_at_a_time() {
        let mut rng = Rng::new(9);
        for d in [1, 2, 5, 8, 16] {
            let x = Array2::from_shape_fn((203, d), |(i, j)| {
                (i % 3) as f64 * (j as f64 + 1.0) + rng.normal()
            });
            let m = GaussianMixtureParams::new(3).fit(x.view()).unwrap();
            let c = &m.components;
            let padded = Padded::new(c);
            let (mut diff, mut y, mut one) = (vec![0.0; d], vec![0.0; d], vec![0.0; 3]);
            let (mut diffs, mut four) = (vec![0.0; ROWS * d], vec![0.0; ROWS * 3]);
            for group in x.as_slice().unwrap().chunks_exact(ROWS * d) {
                log_densities_full(c, &padded, group, &mut diffs, &mut four);
                for (row, grouped) in group.chunks_exact(d).zip(four.chunks_exact(3)) {
                    c.log_densities(Covariance::Full, row, &mut diff, &mut y, &mut one);
                    let bits = |v: &[f64]| v.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(grouped), bits(&one), "d = {d}");
                }
            }
        }
    }

    #[test]
    fn statistics_of_slices_add_up() {
        let x = two_groups();
        let m = GaussianMixtureParams::new(2).fit(x.view()).unwrap();
        let flat = x.as_slice().unwrap();
        let mut whole = Stats::new(Covariance::Full, 2, 2);
        expect(
            &m.components,
            Covariance::Full,
            flat,
            &mut whole,
            &mut |_| Ok(()),
        )
        .unwrap();
        let mut a = Stats::new(Covariance::Full, 2, 2);
        let mut b = Stats::new(Covariance::Full, 2, 2);
        expect(
            &m.components,
            Covariance::Full,
            &flat[..200],
            &mut a,
            &mut |_| Ok(()),
        )
        .unwrap();
        expect(
            &m.components,
            Covariance::Full,
            &flat[200..],
            &mut b,
            &mut |_| Ok(()),
        )
        .unwrap();
        let mut flat = Vec::new();
        b.flatten_into(&mut flat);
        a.add_flat(&flat);
        for (u, v) in a.sum.iter().zip(&whole.sum) {
            assert!((u - v).abs() < 1e-9);
        }
    }

    #[test]
    fn wrong_width_and_init_labels() {
        let x = two_groups();
        let m = GaussianMixtureParams::new(2).fit(x.view()).unwrap();
        assert!(matches!(
            m.predict(array![[1.0]].view()),
            Err(ClusterError::WrongWidth {
                expected: 2,
                got: 1
            })
        ));
        let err = GaussianMixtureParams::new(2)
            .init_labels(vec![0, 1])
            .fit(x.view())
            .unwrap_err();
        assert_eq!(
            err,
            ClusterError::InitLabelsLength {
                expected: 300,
                got: 2
            }
        );
    }
}
