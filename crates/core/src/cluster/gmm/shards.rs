//! Expectation-maximization split into shards of rows and one coordinator, so that several
//! Web Workers (each with its own copy of a slice of the rows) can share a fit, as
//! [`crate::cluster::kmeans::shards`] does for k-means.
//!
//! A [`Shard`] runs the E-step on its rows and answers, per block of [`BLOCK`] rows, the
//! M-step's sufficient statistics and the summed log-likelihood ([`Expected`]: a few
//! kilobytes per block); the [`Em`] coordinator adds the blocks in row order and does the
//! M-step. Because the blocks are always added in the same order, a fit has the same bits
//! on one worker or eight. Natively, one shard holds every row ([`super::algorithm`]).
//!
//! Nothing here does input or output: the caller carries each [`Step`] to every shard
//! and brings the answers back.

use std::borrow::Cow;
use std::ops::Range;

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::algorithm::{Components, GaussianMixture, Labels, Stats, expect};
use super::hyperparams::{Covariance, GaussianMixtureParams, GaussianMixtureValidParams};
use crate::cluster::kmeans::shards::BLOCK;
use crate::cluster::{ClusterError, KMeansParams, check_finite, check_shape, relabel_by_size};
use crate::progress::Cancelled;

/// What every shard is told at each step: the mixture so far (in centred units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Step(pub(super) Components);

/// A shard's answer to one E-step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    /// Per block, the M-step's statistics, flattened (`blocks ×` [`Stats::width`]).
    pub stats: Vec<f64>,
    /// Per block, the summed log-likelihood of its rows.
    pub totals: Vec<f64>,
}

/// A shard's last answer: its rows' most probable segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Labelled {
    /// Most probable segment of every row (before segments are ordered by size).
    pub labels: Vec<u32>,
    /// Its probability.
    pub confidence: Vec<f64>,
    /// Per block, the summed log-likelihood.
    pub totals: Vec<f64>,
}

/// One worker's rows (centred by the coordinator's column means).
pub struct Shard<'a> {
    d: usize,
    covariance: Covariance,
    x: Cow<'a, [f64]>,
}

impl<'a> Shard<'a> {
    /// A shard over `x` (`d` values per row, row-major), whose first row starts a block.
    pub fn new(d: usize, covariance: Covariance, x: Cow<'a, [f64]>) -> Self {
        Shard { d, covariance, x }
    }

    /// The rows back.
    pub fn into_rows(self) -> Cow<'a, [f64]> {
        self.x
    }

    /// The rows (`d` values each, row-major).
    pub fn rows(&self) -> &[f64] {
        &self.x
    }

    /// The covariance shape its E-steps assume.
    pub fn covariance(&self) -> Covariance {
        self.covariance
    }

    /// Rows in the shard.
    pub fn len(&self) -> usize {
        self.x.len() / self.d.max(1)
    }

    /// Whether the shard has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The E-step on every row; `progress` gets the share of rows done.
    pub fn expect(
        &self,
        step: &Step,
        progress: &mut dyn FnMut(f64) -> Result<(), Cancelled>,
    ) -> Result<Expected, Cancelled> {
        let (d, k) = (self.d.max(1), step.0.k());
        let blocks = self.len().div_ceil(BLOCK);
        let mut out = Expected {
            stats: Vec::with_capacity(blocks * Stats::width(self.covariance, k, d)),
            totals: Vec::with_capacity(blocks),
        };
        for (b, block) in self.x.chunks(BLOCK * d).enumerate() {
            let mut stats = Stats::new(self.covariance, k, d);
            let total = expect(&step.0, self.covariance, block, &mut stats, &mut |f| {
                progress((b as f64 + f) / blocks as f64)
            })?;
            stats.flatten_into(&mut out.stats);
            out.totals.push(total);
        }
        Ok(out)
    }

    /// Every row's most probable segment under `step`.
    pub fn labels(&self, step: &Step) -> Labelled {
        let d = self.d.max(1);
        let mut sink = Labels::new(0);
        let mut totals = Vec::with_capacity(self.len().div_ceil(BLOCK));
        for block in self.x.chunks(BLOCK * d) {
            let mut part = Labels::new(block.len() / d);
            let total = expect(&step.0, self.covariance, block, &mut part, &mut |_| Ok(()));
            totals.push(total.unwrap_or(f64::NAN));
            sink.labels.append(&mut part.labels);
            sink.confidence.append(&mut part.confidence);
        }
        Labelled {
            labels: sink.labels.iter().map(|&l| l as u32).collect(),
            confidence: sink.confidence,
            totals,
        }
    }
}

/// EM from one start: adds the shards' statistics in row order and does the M-step.
pub struct Em {
    covariance: Covariance,
    reg_covar: f64,
    tol: f64,
    max_iter: usize,
    k: usize,
    d: usize,
    n: usize,
    iter: usize,
    lower_bound: f64,
    converged: bool,
    components: Components,
}

impl Em {
    /// The next step after every shard's answer to `Step` (in row order), or `None` when
    /// EM has converged or used its iterations.
    pub fn next(&mut self, parts: &[Expected]) -> Result<Option<Step>, ClusterError> {
        let mut stats = Stats::new(self.covariance, self.k, self.d);
        let width = Stats::width(self.covariance, self.k, self.d);
        let mut total = 0.0;
        for part in parts {
            for block in part.stats.chunks_exact(width) {
                stats.add_flat(block);
            }
            part.totals.iter().for_each(|t| total += t);
        }
        self.components = Components::from_stats(&stats, self.reg_covar)?;
        self.iter += 1;
        let previous = self.lower_bound;
        self.lower_bound = total / self.n as f64;
        if (self.lower_bound - previous).abs() < self.tol {
            self.converged = true;
        }
        Ok((!self.converged && self.iter < self.max_iter).then(|| Step(self.components.clone())))
    }

    /// Share of the iterations used so far.
    pub fn fraction(&self) -> f64 {
        self.iter as f64 / self.max_iter.max(1) as f64
    }
}

/// How a restart's starting segments are found.
pub enum Start<'p> {
    /// The segments the caller gave.
    Given(&'p [usize]),
    /// k-means on [`Plan::centred`] with these parameters.
    KMeans(KMeansParams),
}

/// A Gaussian-mixture fit: the checked and centred data, and the best restart so far.
pub struct Plan {
    params: GaussianMixtureParams,
    n: usize,
    d: usize,
    shift: Vec<f64>,
    centred: Array2<f64>,
    best: Option<Em>,
}

impl Plan {
    /// Checks the data and centres it by the column means (so second moments stay well
    /// conditioned whatever the units).
    pub fn new(
        params: &GaussianMixtureValidParams,
        data: ArrayView2<f64>,
    ) -> Result<Plan, ClusterError> {
        let params = params.params().clone();
        let (n, d) = data.dim();
        check_shape(n, d, params.n_components)?;
        if n < 2 {
            return Err(ClusterError::TooFewRows { n, min: 2 });
        }
        check_finite(data)?;
        if let Some(labels) = &params.init_labels
            && labels.len() != n
        {
            return Err(ClusterError::InitLabelsLength {
                expected: n,
                got: labels.len(),
            });
        }
        let shift: Vec<f64> = (0..d).map(|j| data.column(j).sum() / n as f64).collect();
        let mut centred = data.as_standard_layout().into_owned();
        for mut row in centred.rows_mut() {
            for (v, s) in row.iter_mut().zip(&shift) {
                *v -= s;
            }
        }
        Ok(Plan {
            params,
            n,
            d,
            shift,
            centred,
            best: None,
        })
    }

    /// Rows.
    pub fn rows(&self) -> usize {
        self.n
    }

    /// Values per row.
    pub fn features(&self) -> usize {
        self.d
    }

    /// Restarts.
    pub fn runs(&self) -> usize {
        self.params.n_init
    }

    /// The covariance shape.
    pub fn covariance(&self) -> Covariance {
        self.params.covariance
    }

    /// Most EM iterations per restart.
    pub fn max_iter(&self) -> usize {
        self.params.max_iter
    }

    /// The centred rows.
    pub fn centred(&self) -> ArrayView2<'_, f64> {
        self.centred.view()
    }

    /// The centred rows `rows` as a shard.
    pub fn shard(&self, rows: Range<usize>) -> Shard<'_> {
        let x = self.centred.as_slice().unwrap_or(&[]);
        let d = self.d;
        let x = x.get(rows.start * d..rows.end * d).unwrap_or(&[]);
        Shard::new(d, self.params.covariance, Cow::Borrowed(x))
    }

    /// How restart `run` finds its starting segments (scikit-learn's: one k-means).
    pub fn start(&self, run: usize) -> Start<'_> {
        match &self.params.init_labels {
            Some(labels) => Start::Given(labels),
            None => Start::KMeans(
                KMeansParams::new(self.params.n_components)
                    .n_init(1)
                    .seed(self.params.seed.wrapping_add(run as u64)),
            ),
        }
    }

    /// EM from the starting segments `labels` (one per row), and its first step.
    pub fn em(&self, labels: &[usize]) -> Result<(Em, Step), ClusterError> {
        let (k, d, cov) = (self.params.n_components, self.d, self.params.covariance);
        let mut stats = Stats::new(cov, k, d);
        let mut one_hot = vec![0.0; k];
        let x = self.centred.as_slice().unwrap_or(&[]);
        for (row, &l) in x.chunks_exact(d.max(1)).zip(labels) {
            if let Some(v) = one_hot.get_mut(l) {
                *v = 1.0;
                stats.add(row, &one_hot);
                one_hot[l] = 0.0;
            }
        }
        let components = Components::from_stats(&stats, self.params.reg_covar)?;
        let step = Step(components.clone());
        let em = Em {
            covariance: cov,
            reg_covar: self.params.reg_covar,
            tol: self.params.tol,
            max_iter: self.params.max_iter,
            k,
            d,
            n: self.n,
            iter: 0,
            lower_bound: f64::NEG_INFINITY,
            converged: false,
            components,
        };
        Ok((em, step))
    }

    /// Keeps `em` if its lower bound is the highest so far (ties keep the earlier
    /// restart, as scikit-learn).
    pub fn keep(&mut self, em: Em) {
        if self
            .best
            .as_ref()
            .is_none_or(|b| em.lower_bound > b.lower_bound)
        {
            self.best = Some(em);
        }
    }

    /// The winning mixture, for the last pass ([`Shard::labels`]).
    pub fn last(&self) -> Result<Step, ClusterError> {
        match &self.best {
            Some(best) => Ok(Step(best.components.clone())),
            None => Err(ClusterError::ZeroRestarts),
        }
    }

    /// The model, from every shard's last answer in row order.
    pub fn model(self, parts: Vec<Labelled>) -> Result<GaussianMixture, ClusterError> {
        let Some(best) = self.best else {
            return Err(ClusterError::ZeroRestarts);
        };
        let k = self.params.n_components;
        let mut labels = Vec::with_capacity(self.n);
        let mut confidence = Vec::with_capacity(self.n);
        let mut total = 0.0;
        for part in parts {
            labels.extend(part.labels.iter().map(|&l| l as usize));
            confidence.extend(part.confidence);
            part.totals.iter().for_each(|t| total += t);
        }
        if labels.len() != self.n {
            return Err(ClusterError::InitLabelsLength {
                expected: self.n,
                got: labels.len(),
            });
        }
        let (labels, order) = relabel_by_size(&labels, k);
        let mut components = best.components;
        components.permute(best.covariance, &order);
        components.shift(&self.shift);
        Ok(GaussianMixture::new(
            best.covariance,
            components,
            labels,
            confidence,
            total / self.n as f64,
            best.iter,
            best.converged,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kmeans::shards::shard_rows;
    use crate::progress::NoProgress;
    use crate::rng::Rng;

    #[test]
    fn shards_give_the_same_model_as_one() {
        let mut rng = Rng::new(11);
        let n = 3 * BLOCK + 77;
        let x = Array2::from_shape_fn((n, 3), |(i, j)| {
            (i % 3) as f64 * (j as f64 + 1.5) + 100.0 + rng.normal()
        });
        for covariance in [
            Covariance::Full,
            Covariance::Diagonal,
            Covariance::Spherical,
        ] {
            let params = GaussianMixtureParams::new(3)
                .covariance(covariance)
                .max_iter(6)
                .tolerance(0.0)
                .check()
                .unwrap();
            let whole = params.fit(x.view(), &mut NoProgress).unwrap();
            let mut plan = Plan::new(&params, x.view()).unwrap();
            let ranges = shard_rows(n, 3);
            assert_eq!(ranges.len(), 3);
            let Start::KMeans(kmeans) = plan.start(0) else {
                panic!("no starting segments were given")
            };
            let init = kmeans.fit(plan.centred()).unwrap().labels().to_vec();
            let (mut em, mut step) = plan.em(&init).unwrap();
            loop {
                let parts: Vec<Expected> = ranges
                    .iter()
                    .map(|r| {
                        plan.shard(r.clone())
                            .expect(&step, &mut |_| Ok(()))
                            .unwrap()
                    })
                    .collect();
                match em.next(&parts).unwrap() {
                    Some(next) => step = next,
                    None => break,
                }
            }
            plan.keep(em);
            let last = plan.last().unwrap();
            let parts = ranges
                .iter()
                .map(|r| plan.shard(r.clone()).labels(&last))
                .collect();
            let shared = plan.model(parts).unwrap();
            assert_eq!(whole, shared, "{covariance:?}");
            assert_eq!(whole.n_iter(), 6);
        }
    }
}
