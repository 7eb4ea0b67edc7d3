//! Gaussian-mixture parameters: a builder that is checked before fitting.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::algorithm::{GaussianMixture, fit};
use crate::cluster::ClusterError;
use crate::progress::{NoProgress, Progress};

/// The shape each segment's spread may take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Covariance {
    /// Any ellipse: features may vary together within a segment (most flexible).
    #[default]
    Full,
    /// Axis-aligned ellipses: each feature has its own spread, no correlations.
    Diagonal,
    /// Round: one spread per segment for all features (closest to k-means).
    Spherical,
}

impl Covariance {
    /// Plain-language name.
    pub fn label(self) -> &'static str {
        match self {
            Covariance::Full => "full",
            Covariance::Diagonal => "diagonal",
            Covariance::Spherical => "spherical",
        }
    }
}

/// Unchecked Gaussian-mixture parameters. Defaults follow scikit-learn
/// (`reg_covar = 1e-6`, `tol = 1e-3`, `max_iter = 100`, `n_init = 1`, k-means start).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaussianMixtureParams {
    /// Number of segments.
    pub n_components: usize,
    /// Shape of each segment's covariance.
    pub covariance: Covariance,
    /// Added to every variance so no segment collapses onto a point.
    pub reg_covar: f64,
    /// Maximum EM iterations per start.
    pub max_iter: usize,
    /// Stop when the average log-likelihood improves by less than this.
    pub tol: f64,
    /// Number of starts; the one with the highest log-likelihood wins.
    pub n_init: usize,
    /// Seed for the k-means starts.
    pub seed: u64,
    /// Start from these hard labels instead of k-means (for reproducing another tool's run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init_labels: Option<Vec<usize>>,
}

/// Checked Gaussian-mixture parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixtureValidParams(pub(super) GaussianMixtureParams);

impl GaussianMixtureParams {
    /// Parameters for `n_components` segments with default settings.
    pub fn new(n_components: usize) -> Self {
        GaussianMixtureParams {
            n_components,
            covariance: Covariance::Full,
            reg_covar: 1e-6,
            max_iter: 100,
            tol: 1e-3,
            n_init: 1,
            seed: 42,
            init_labels: None,
        }
    }

    /// Sets the covariance shape.
    pub fn covariance(mut self, covariance: Covariance) -> Self {
        self.covariance = covariance;
        self
    }

    /// Sets the regularization added to variances.
    pub fn reg_covar(mut self, reg_covar: f64) -> Self {
        self.reg_covar = reg_covar;
        self
    }

    /// Sets the maximum number of EM iterations.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Sets the convergence tolerance.
    pub fn tolerance(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// Sets the number of starts.
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = n_init;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Starts EM from these labels (one per row, `0..n_components`).
    pub fn init_labels(mut self, labels: Vec<usize>) -> Self {
        self.init_labels = Some(labels);
        self
    }

    /// Checks the parameters on their own (data-dependent checks happen in `fit`).
    pub fn check(self) -> Result<GaussianMixtureValidParams, ClusterError> {
        if self.n_components == 0 {
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
        if !(self.reg_covar >= 0.0 && self.reg_covar.is_finite()) {
            return Err(ClusterError::InvalidRegularization(self.reg_covar));
        }
        if let Some(labels) = &self.init_labels
            && let Some(&bad) = labels.iter().find(|l| **l >= self.n_components)
        {
            return Err(ClusterError::InvalidInitLabel {
                label: bad,
                k: self.n_components,
            });
        }
        Ok(GaussianMixtureValidParams(self))
    }

    /// Checks the parameters and fits.
    pub fn fit(self, data: ArrayView2<f64>) -> Result<GaussianMixture, ClusterError> {
        self.check()?.fit(data, &mut NoProgress)
    }
}

impl GaussianMixtureValidParams {
    /// The parameters.
    pub fn params(&self) -> &GaussianMixtureParams {
        &self.0
    }

    /// Fits to `data` (rows are customers), reporting progress.
    pub fn fit(
        &self,
        data: ArrayView2<f64>,
        progress: &mut dyn Progress,
    ) -> Result<GaussianMixture, ClusterError> {
        fit(self, data, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_are_refused() {
        assert_eq!(
            GaussianMixtureParams::new(0).check().unwrap_err(),
            ClusterError::TooFewClusters { k: 0, min: 1 }
        );
        assert_eq!(
            GaussianMixtureParams::new(2).n_init(0).check().unwrap_err(),
            ClusterError::ZeroRestarts
        );
        assert!(matches!(
            GaussianMixtureParams::new(2).reg_covar(-1.0).check(),
            Err(ClusterError::InvalidRegularization(_))
        ));
        assert_eq!(
            GaussianMixtureParams::new(2)
                .init_labels(vec![0, 2])
                .check()
                .unwrap_err(),
            ClusterError::InvalidInitLabel { label: 2, k: 2 }
        );
    }
}
