//! Hierarchical-clustering parameters: a builder that is checked before fitting.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::algorithm::{Hierarchical, fit};
use crate::cluster::ClusterError;
use crate::progress::{NoProgress, Progress};

/// How the distance between two groups of customers is measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Linkage {
    /// Merge the pair that adds the least within-segment spread (compact, even segments).
    #[default]
    Ward,
    /// Distance between the farthest members (compact segments of similar diameter).
    Complete,
    /// Mean distance between members.
    Average,
    /// Distance between the nearest members (finds chains and odd shapes; often one big
    /// segment).
    Single,
}

impl Linkage {
    /// Largest number of customers the linkage accepts.
    pub fn max_rows(self) -> usize {
        match self {
            Linkage::Ward | Linkage::Single => 50_000,
            Linkage::Complete | Linkage::Average => 5_000,
        }
    }

    /// Capitalized name, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Linkage::Ward => "Ward",
            Linkage::Complete => "Complete",
            Linkage::Average => "Average",
            Linkage::Single => "Single",
        }
    }

    /// Lower-case name, as in scipy.
    pub fn name(self) -> &'static str {
        match self {
            Linkage::Ward => "ward",
            Linkage::Complete => "complete",
            Linkage::Average => "average",
            Linkage::Single => "single",
        }
    }
}

/// Unchecked hierarchical-clustering parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HierarchicalParams {
    /// Number of segments to cut the tree into.
    pub n_clusters: usize,
    /// Distance between groups.
    pub linkage: Linkage,
}

/// Checked hierarchical-clustering parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct HierarchicalValidParams(pub(super) HierarchicalParams);

impl HierarchicalParams {
    /// Ward linkage cut into `n_clusters` segments.
    pub fn new(n_clusters: usize) -> Self {
        HierarchicalParams {
            n_clusters,
            linkage: Linkage::Ward,
        }
    }

    /// Sets the linkage.
    pub fn linkage(mut self, linkage: Linkage) -> Self {
        self.linkage = linkage;
        self
    }

    /// Checks the parameters on their own.
    pub fn check(self) -> Result<HierarchicalValidParams, ClusterError> {
        if self.n_clusters == 0 {
            return Err(ClusterError::TooFewClusters { k: 0, min: 1 });
        }
        Ok(HierarchicalValidParams(self))
    }

    /// Checks the parameters and fits.
    pub fn fit(self, data: ArrayView2<f64>) -> Result<Hierarchical, ClusterError> {
        self.check()?.fit(data, &mut NoProgress)
    }
}

impl HierarchicalValidParams {
    /// The parameters.
    pub fn params(&self) -> &HierarchicalParams {
        &self.0
    }

    /// Fits to `data` (rows are customers), reporting progress.
    pub fn fit(
        &self,
        data: ArrayView2<f64>,
        progress: &mut dyn Progress,
    ) -> Result<Hierarchical, ClusterError> {
        fit(&self.0, data, progress)
    }
}
