//! Clustering algorithms.
//!
//! Each algorithm follows the same shape: unchecked parameters (a builder) → checked
//! parameters (typed errors, one per rule) → a fitted model that can `predict` new rows.
//! Labels are numbered by segment size, largest first, so the same data and seed always
//! give the same numbering.

pub mod dbscan;
pub mod gmm;
pub mod grid;
pub mod hierarchical;
pub mod kdtree;
pub mod kernels;
pub mod kmeans;
pub mod knee;
pub mod kprototypes;
pub mod model;
pub mod sweep;

use thiserror::Error;

pub use dbscan::{Dbscan, DbscanParams, EpsSuggestion, suggest_eps};
pub use gmm::{Covariance, GaussianMixture, GaussianMixtureParams, GaussianMixtureValidParams};
pub use hierarchical::{Hierarchical, HierarchicalParams, Linkage, Merge};
pub use kmeans::{KMeans, KMeansParams, Precision};
pub use kprototypes::{KPrototypes, KPrototypesParams};
pub use model::{ALGORITHM_IDS, Algorithm, Auto, Model, Points, fit};
pub use sweep::{Comparison, ComparisonParts, KRange, Sweep, SweepRow, sweep};

/// Why clustering could not run. Messages say what to change.
#[derive(Debug, Error, PartialEq)]
pub enum ClusterError {
    /// No rows.
    #[error("There are no customers to segment.")]
    NoRows,
    /// Rows have no features.
    #[error("No features are selected. Tick at least one column under Features.")]
    NoFeatures,
    /// Fewer segments than allowed.
    #[error("Choose at least {min} segments (you chose {k}).")]
    TooFewClusters {
        /// Requested.
        k: usize,
        /// Minimum.
        min: usize,
    },
    /// More segments than rows.
    #[error(
        "You asked for {k} segments but there are only {n} customers. Choose at most {n} segments."
    )]
    MoreClustersThanRows {
        /// Requested.
        k: usize,
        /// Rows.
        n: usize,
    },
    /// Too few distinct points.
    #[error(
        "Only {distinct} customers differ in the chosen features, so {k} segments cannot be formed. Choose at most {distinct} segments, or add features that tell customers apart."
    )]
    TooFewDistinct {
        /// Requested.
        k: usize,
        /// Distinct rows.
        distinct: usize,
    },
    /// `n_init` is zero.
    #[error("The number of restarts must be at least 1.")]
    ZeroRestarts,
    /// A mini-batch of zero rows.
    #[error("The mini-batch size must be at least 1 row.")]
    ZeroBatch,
    /// `max_iter` is zero.
    #[error("The maximum number of iterations must be at least 1.")]
    ZeroIterations,
    /// `tol` is negative or not a number.
    #[error("The tolerance must be zero or a small positive number (you gave {0}).")]
    InvalidTolerance(f64),
    /// A value is NaN or infinite.
    #[error(
        "Row {row}, feature {feature}: the value is not a finite number. Fill or remove missing values before segmenting."
    )]
    NonFinite {
        /// 1-based row.
        row: usize,
        /// 1-based feature.
        feature: usize,
    },
    /// Rows given to `predict` have the wrong width.
    #[error("The model expects {expected} features per customer but got {got}.")]
    WrongWidth {
        /// Model width.
        expected: usize,
        /// Data width.
        got: usize,
    },
    /// Too few rows for the method.
    #[error("This method needs at least {min} customers (there are {n}).")]
    TooFewRows {
        /// Rows.
        n: usize,
        /// Minimum.
        min: usize,
    },
    /// `reg_covar` is negative or not a number.
    #[error(
        "The regularization must be zero or a small positive number such as 0.000001 (you gave {0})."
    )]
    InvalidRegularization(f64),
    /// A starting label is out of range.
    #[error("Starting label {label} is out of range: with {k} segments labels go from 0 to {}.", k - 1)]
    InvalidInitLabel {
        /// The label.
        label: usize,
        /// Segments.
        k: usize,
    },
    /// Starting labels do not match the rows.
    #[error("There are {got} starting labels for {expected} customers; give one per customer.")]
    InitLabelsLength {
        /// Rows.
        expected: usize,
        /// Labels given.
        got: usize,
    },
    /// A mixture component's covariance stopped being invertible.
    #[error(
        "Segment {segment} collapsed while fitting the mixture (its customers are all alike in some feature). Use fewer segments, increase the regularization, or choose the diagonal or spherical shape."
    )]
    DegenerateComponent {
        /// 1-based segment.
        segment: usize,
    },
    /// DBSCAN radius not positive.
    #[error(
        "The neighbourhood distance (eps) must be a positive number (you gave {0}). Leave it on Auto to use the suggested value."
    )]
    InvalidEps(f64),
    /// DBSCAN `min_samples` is zero.
    #[error("The minimum group size must be at least 1 customer.")]
    InvalidMinSamples,
    /// Too many rows for a linkage that compares every pair.
    #[error(
        "{linkage} linkage compares every pair of customers and handles at most {max} of them (there are {n}). Choose Ward linkage, k-means or a Gaussian mixture for this many customers."
    )]
    TooManyRowsForLinkage {
        /// Rows.
        n: usize,
        /// Limit.
        max: usize,
        /// Linkage name.
        linkage: &'static str,
    },
    /// k-prototypes category weight not usable.
    #[error("The category weight must be zero or a positive number (you gave {0}).")]
    InvalidGamma(f64),
    /// Data of a different length than expected.
    #[error("The data has {got} customers where {expected} were expected.")]
    RowsMismatch {
        /// Rows expected.
        expected: usize,
        /// Rows given.
        got: usize,
    },
    /// The k range is empty or starts below 2.
    #[error(
        "The range of segment counts to compare must start at 2 or more and end at or after its start (you gave {min} to {max})."
    )]
    InvalidKRange {
        /// Smallest k.
        min: usize,
        /// Largest k.
        max: usize,
    },
    /// DBSCAN decides k itself.
    #[error(
        "DBSCAN finds the number of segments itself; there is no number of segments to compare."
    )]
    NoKForDbscan,
    /// DBSCAN found fewer than two segments.
    #[error(
        "DBSCAN found {k} segment(s) and {outliers} outliers at a neighbourhood distance (eps) of {eps:.3}. Try a smaller eps to split the customers into more groups, or a larger one if most customers are outliers."
    )]
    TooFewSegmentsFound {
        /// Segments found.
        k: usize,
        /// Outliers.
        outliers: usize,
        /// Radius used.
        eps: f64,
    },
    /// Cancelled by the user.
    #[error("Segmenting was cancelled.")]
    Cancelled,
}

impl From<crate::progress::Cancelled> for ClusterError {
    fn from(_: crate::progress::Cancelled) -> Self {
        ClusterError::Cancelled
    }
}

/// Renumbers labels `0..k` so that segment 0 is the largest; equally large segments are
/// numbered in order of their first row, so numbering never depends on initialization.
/// Returns the new labels and `order`, where `order[new] = old`.
pub fn relabel_by_size(labels: &[usize], k: usize) -> (Vec<usize>, Vec<usize>) {
    let mut sizes = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    for (i, &l) in labels.iter().enumerate() {
        if l < k {
            sizes[l] += 1;
            first[l] = first[l].min(i);
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|a, b| sizes[*b].cmp(&sizes[*a]).then(first[*a].cmp(&first[*b])));
    let mut new_of_old = vec![0usize; k];
    for (new, &old) in order.iter().enumerate() {
        new_of_old[old] = new;
    }
    let relabeled = labels
        .iter()
        .map(|&l| new_of_old.get(l).copied().unwrap_or(l))
        .collect();
    (relabeled, order)
}

/// Counts distinct rows, stopping once `limit` have been seen.
pub fn count_distinct_rows(data: ndarray::ArrayView2<f64>, limit: usize) -> usize {
    let mut seen = rustc_hash::FxHashSet::default();
    for row in data.rows() {
        let key: Vec<u64> = row.iter().map(|v| (v + 0.0).to_bits()).collect();
        seen.insert(key);
        if seen.len() >= limit {
            break;
        }
    }
    seen.len()
}

/// The checks every algorithm starts with: some rows, some features, and no more
/// segments than rows (`k = 0` skips the last).
pub(crate) fn check_shape(n: usize, d: usize, k: usize) -> Result<(), ClusterError> {
    if n == 0 {
        return Err(ClusterError::NoRows);
    }
    if d == 0 {
        return Err(ClusterError::NoFeatures);
    }
    if k > n {
        return Err(ClusterError::MoreClustersThanRows { k, n });
    }
    Ok(())
}

/// Checks that `data` has the `expected` number of features and only finite values (new
/// rows given to a fitted model).
pub(crate) fn check_rows(
    data: ndarray::ArrayView2<f64>,
    expected: usize,
) -> Result<(), ClusterError> {
    if data.ncols() != expected {
        return Err(ClusterError::WrongWidth {
            expected,
            got: data.ncols(),
        });
    }
    check_finite(data)
}

/// Checks every value is finite.
pub fn check_finite(data: ndarray::ArrayView2<f64>) -> Result<(), ClusterError> {
    // Fast path: `v × 0` is 0 for finite `v` and NaN otherwise, and sums of it vectorize
    // (the row-by-row search below took 30 ms for 1,000,000 × 16 in the browser).
    if let Some(values) = data.as_slice() {
        // Four independent lanes: a single running sum is one chain of dependent adds.
        let mut lanes = [0.0f64; 4];
        let mut chunks = values.chunks_exact(4);
        for c in &mut chunks {
            for (l, v) in lanes.iter_mut().zip(c) {
                *l += v * 0.0;
            }
        }
        let tail = chunks.remainder().iter().fold(0.0, |a, v| a + v * 0.0);
        if lanes.iter().sum::<f64>() + tail == 0.0 {
            return Ok(());
        }
    }
    for (i, row) in data.rows().into_iter().enumerate() {
        if let Some(j) = row.iter().position(|v| !v.is_finite()) {
            return Err(ClusterError::NonFinite {
                row: i + 1,
                feature: j + 1,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relabels_largest_first() {
        let (labels, order) = relabel_by_size(&[2, 0, 2, 1, 2, 0], 3);
        assert_eq!(labels, vec![0, 1, 0, 2, 0, 1]);
        assert_eq!(order, vec![2, 0, 1]);
        // Ties: the segment of the earliest row comes first.
        assert_eq!(relabel_by_size(&[1, 1, 0, 0], 2).0, vec![0, 0, 1, 1]);
    }
}
