//! DBSCAN parameters: a builder that is checked before fitting.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::algorithm::{Dbscan, fit};
use crate::cluster::ClusterError;
use crate::progress::{NoProgress, Progress};

/// Unchecked DBSCAN parameters (scikit-learn's defaults: `min_samples = 5`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbscanParams {
    /// Neighbourhood radius, in the units of the (scaled) features.
    pub eps: f64,
    /// Customers, itself included, needed within `eps` to make a core point.
    pub min_samples: usize,
}

/// Checked DBSCAN parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct DbscanValidParams(pub(super) DbscanParams);

impl DbscanParams {
    /// Parameters with radius `eps` and `min_samples = 5`.
    pub fn new(eps: f64) -> Self {
        DbscanParams {
            eps,
            min_samples: 5,
        }
    }

    /// Sets the number of customers that make a dense neighbourhood.
    pub fn min_samples(mut self, min_samples: usize) -> Self {
        self.min_samples = min_samples;
        self
    }

    /// Checks the parameters.
    pub fn check(self) -> Result<DbscanValidParams, ClusterError> {
        if !(self.eps > 0.0 && self.eps.is_finite()) {
            return Err(ClusterError::InvalidEps(self.eps));
        }
        if self.min_samples == 0 {
            return Err(ClusterError::InvalidMinSamples);
        }
        Ok(DbscanValidParams(self))
    }

    /// Checks the parameters and fits.
    pub fn fit(self, data: ArrayView2<f64>) -> Result<Dbscan, ClusterError> {
        self.check()?.fit(data, &mut NoProgress)
    }
}

impl DbscanValidParams {
    /// The parameters.
    pub fn params(&self) -> &DbscanParams {
        &self.0
    }

    /// Fits to `data` (rows are customers), reporting progress.
    pub fn fit(
        &self,
        data: ArrayView2<f64>,
        progress: &mut dyn Progress,
    ) -> Result<Dbscan, ClusterError> {
        fit(&self.0, data, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_are_refused() {
        for eps in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                DbscanParams::new(eps).check(),
                Err(ClusterError::InvalidEps(_))
            ));
        }
        assert_eq!(
            DbscanParams::new(1.0).min_samples(0).check().unwrap_err(),
            ClusterError::InvalidMinSamples
        );
    }
}
