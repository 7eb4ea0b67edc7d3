//! k-prototypes parameters: a builder that is checked before fitting.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::algorithm::{KPrototypes, fit};
use crate::cluster::ClusterError;
use crate::progress::{NoProgress, Progress};

/// Unchecked k-prototypes parameters (defaults as the `kmodes` package: `n_init = 10`,
/// `max_iter = 100`, `gamma` = half the mean standard deviation of the numeric features).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KPrototypesParams {
    /// Number of segments.
    pub n_clusters: usize,
    /// Weight of one differing category against squared numeric distance; `None` picks
    /// half the mean standard deviation of the numeric features (0.5 when standardized).
    pub gamma: Option<f64>,
    /// Number of restarts; the lowest total cost wins.
    pub n_init: usize,
    /// Maximum iterations per restart.
    pub max_iter: usize,
    /// Seed for all randomness.
    pub seed: u64,
}

/// Checked k-prototypes parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct KPrototypesValidParams(pub(super) KPrototypesParams);

impl KPrototypesParams {
    /// Parameters for `n_clusters` segments with default settings.
    pub fn new(n_clusters: usize) -> Self {
        KPrototypesParams {
            n_clusters,
            gamma: None,
            n_init: 10,
            max_iter: 100,
            seed: 42,
        }
    }

    /// Sets the weight of categories.
    pub fn gamma(mut self, gamma: f64) -> Self {
        self.gamma = Some(gamma);
        self
    }

    /// Sets the number of restarts.
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks the parameters on their own.
    pub fn check(self) -> Result<KPrototypesValidParams, ClusterError> {
        if self.n_clusters == 0 {
            return Err(ClusterError::TooFewClusters { k: 0, min: 1 });
        }
        if self.n_init == 0 {
            return Err(ClusterError::ZeroRestarts);
        }
        if self.max_iter == 0 {
            return Err(ClusterError::ZeroIterations);
        }
        if let Some(g) = self.gamma
            && !(g >= 0.0 && g.is_finite())
        {
            return Err(ClusterError::InvalidGamma(g));
        }
        Ok(KPrototypesValidParams(self))
    }

    /// Checks the parameters and fits; `categories` holds one code per customer and
    /// categorical column (`u32::MAX` for missing).
    pub fn fit(
        self,
        numbers: ArrayView2<f64>,
        categories: ArrayView2<u32>,
    ) -> Result<KPrototypes, ClusterError> {
        self.check()?.fit(numbers, categories, &mut NoProgress)
    }
}

impl KPrototypesValidParams {
    /// The parameters.
    pub fn params(&self) -> &KPrototypesParams {
        &self.0
    }

    /// Fits, reporting progress.
    pub fn fit(
        &self,
        numbers: ArrayView2<f64>,
        categories: ArrayView2<u32>,
        progress: &mut dyn Progress,
    ) -> Result<KPrototypes, ClusterError> {
        fit(&self.0, numbers, categories, progress)
    }
}
