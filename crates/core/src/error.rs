//! The crate-wide error: one variant per stage, each wrapping that stage's own typed error.

use thiserror::Error;

use crate::{cluster, features, ingest, metrics, recipe};
use features::dataset::DatasetError;

/// Anything that can go wrong between a file and its segments.
///
/// Every message is a sentence a marketer can act on: what went wrong, where, and what to do.
#[derive(Debug, Error)]
pub enum Error {
    /// The file could not be read as a table.
    #[error(transparent)]
    Ingest(#[from] ingest::IngestError),
    /// The files cannot be put together into one customer table.
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    /// The chosen features cannot be built from this table.
    #[error(transparent)]
    Features(#[from] features::FeatureError),
    /// Clustering parameters or data are unusable.
    #[error(transparent)]
    Cluster(#[from] cluster::ClusterError),
    /// A quality score cannot be computed.
    #[error(transparent)]
    Metric(#[from] metrics::MetricError),
    /// A recipe could not be read or does not fit the data.
    #[error(transparent)]
    Recipe(#[from] recipe::RecipeError),
    /// Lifetime value cannot be predicted from this data.
    #[error(transparent)]
    Lifetime(#[from] crate::explain::lifetime::LifetimeError),
    /// Saved segments cannot describe these customers.
    #[error(transparent)]
    Apply(#[from] crate::apply::ApplyError),
    /// The previous labels cannot be compared with the new ones.
    #[error(transparent)]
    Migration(#[from] crate::apply::MigrationError),
    /// A rule segment cannot be evaluated.
    #[error(transparent)]
    Rule(#[from] crate::rules::RuleError),
    /// A segment name the user gave cannot be used.
    #[error(transparent)]
    Rename(#[from] crate::explain::RenameError),
    /// The user stopped the work.
    #[error("Stopped: the work was cancelled before it finished.")]
    Cancelled,
}

impl From<crate::progress::Cancelled> for Error {
    fn from(_: crate::progress::Cancelled) -> Self {
        Error::Cancelled
    }
}
