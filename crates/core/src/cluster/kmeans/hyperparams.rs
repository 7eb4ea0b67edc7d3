//! k-means parameters: a builder that is checked before fitting.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::algorithm::{KMeans, fit};
use crate::cluster::ClusterError;
use crate::progress::{NoProgress, Progress};

/// Unchecked k-means parameters. Defaults follow scikit-learn (`n_init = 10`,
/// `max_iter = 300`, `tol = 1e-4` relative to the data's mean variance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansParams {
    /// Number of segments.
    pub n_clusters: usize,
    /// Number of k-means++ restarts; the run with the lowest inertia wins.
    pub n_init: usize,
    /// Maximum Lloyd iterations per restart.
    pub max_iter: usize,
    /// Convergence tolerance, relative to the mean per-feature variance.
    pub tol: f64,
    /// Seed for all randomness.
    pub seed: u64,
    /// Storage precision of the data while fitting.
    #[serde(default)]
    pub precision: Precision,
    /// Rows per mini-batch step; `None` runs full Lloyd iterations.
    #[serde(default)]
    pub batch_size: Option<usize>,
    /// Start from these centres (`k × d`) instead of k-means++.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_centroids: Option<Array2<f64>>,
}

/// Precision used for distances while fitting. Centres, sums and the reported inertia are
/// always `f64`; single precision halves memory traffic, which is what bounds k-means on
/// large data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// Always double precision (exactly reproducible against scikit-learn).
    F64,
    /// Always single precision.
    F32,
    /// Single precision from 2 million values (rows × features) up, double below.
    #[default]
    Auto,
}

/// Checked k-means parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansValidParams(pub(super) KMeansParams);

impl KMeansParams {
    /// Parameters for `n_clusters` segments with default settings.
    pub fn new(n_clusters: usize) -> Self {
        KMeansParams {
            n_clusters,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 42,
            precision: Precision::Auto,
            batch_size: None,
            initial_centroids: None,
        }
    }

    /// Sets the number of restarts.
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }

    /// Sets the maximum number of iterations.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Sets the relative tolerance.
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the distance precision.
    pub fn precision(mut self, precision: Precision) -> Self {
        self.precision = precision;
        self
    }

    /// Uses mini-batch steps of `batch` rows instead of full Lloyd iterations; the final
    /// labels still come from a full assignment.
    pub fn mini_batch(mut self, batch: usize) -> Self {
        self.batch_size = Some(batch);
        self
    }

    /// Starts from `centroids` (one row per segment) instead of k-means++ seeding.
    pub fn initial_centroids(mut self, centroids: Array2<f64>) -> Self {
        self.initial_centroids = Some(centroids);
        self
    }

    /// Checks the parameters on their own (data-dependent checks happen in `fit`).
    pub fn check(self) -> Result<KMeansValidParams, ClusterError> {
        if self.n_clusters == 0 {
            return Err(ClusterError::TooFewClusters { k: 0, min: 1 });
        }
        if self.n_init == 0 {
            return Err(ClusterError::ZeroRestarts);
        }
        if self.max_iter == 0 {
            return Err(ClusterError::ZeroIterations);
        }
        if !(self.tol >= 0.0 && self.tol.is_finite()) {
            return Err(ClusterError::InvalidTolerance(self.tol));
        }
        if self.batch_size == Some(0) {
            return Err(ClusterError::ZeroBatch);
        }
        if let Some(c) = &self.initial_centroids
            && c.nrows() != self.n_clusters
        {
            return Err(ClusterError::RowsMismatch {
                expected: self.n_clusters,
                got: c.nrows(),
            });
        }
        Ok(KMeansValidParams(self))
    }

    /// Checks the parameters and fits.
    pub fn fit(self, data: ArrayView2<f64>) -> Result<KMeans, ClusterError> {
        self.check()?.fit(data, &mut NoProgress)
    }
}

impl KMeansValidParams {
    /// The parameters.
    pub fn params(&self) -> &KMeansParams {
        &self.0
    }

    /// Fits to `data` (rows are customers), reporting progress.
    pub fn fit(
        &self,
        data: ArrayView2<f64>,
        progress: &mut dyn Progress,
    ) -> Result<KMeans, ClusterError> {
        fit(&self.0, data, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_clusters_is_refused() {
        assert_eq!(
            KMeansParams::new(0).check().unwrap_err(),
            ClusterError::TooFewClusters { k: 0, min: 1 }
        );
    }

    #[test]
    fn zero_restarts_is_refused() {
        assert_eq!(
            KMeansParams::new(2).n_init(0).check().unwrap_err(),
            ClusterError::ZeroRestarts
        );
    }

    #[test]
    fn zero_iterations_is_refused() {
        assert_eq!(
            KMeansParams::new(2).max_iter(0).check().unwrap_err(),
            ClusterError::ZeroIterations
        );
    }

    #[test]
    fn bad_tolerance_is_refused() {
        assert!(matches!(
            KMeansParams::new(2).tolerance(-1.0).check(),
            Err(ClusterError::InvalidTolerance(_))
        ));
        assert!(matches!(
            KMeansParams::new(2).tolerance(f64::NAN).check(),
            Err(ClusterError::InvalidTolerance(_))
        ));
    }
}
