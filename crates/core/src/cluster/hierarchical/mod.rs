//! Agglomerative (hierarchical) clustering: every customer starts alone and the two closest
//! groups merge, step by step, until one group is left. The merge tree (dendrogram) is
//! kept, so the same fit can be cut into any number of segments. Heights and the tree use
//! scipy's conventions (`scipy.cluster.hierarchy.linkage`).
//!
//! - **Ward** merges the pair that increases the within-segment spread least. It runs a
//!   nearest-neighbour chain over segment centres and sizes, helped by a k-d tree, so it
//!   needs memory for the data only (no `n²/2` distance matrix).
//! - **Single** (nearest members) comes from a minimum spanning tree, also without a matrix.
//! - **Complete** (farthest members) and **average** need every pairwise distance and are
//!   limited to 5,000 customers.
//!
//! ```
//! use ndarray::array;
//! use segmenta_core::cluster::{HierarchicalParams, Linkage};
//!
//! let x = array![[0.0], [1.0], [5.0], [6.0], [20.0]];
//! let model = HierarchicalParams::new(2).linkage(Linkage::Single).fit(x.view())?;
//! let heights: Vec<f64> = model.merges().iter().map(|m| m.height).collect();
//! assert_eq!(heights, vec![1.0, 1.0, 4.0, 14.0]);
//! assert_eq!(model.labels(), &[0, 0, 0, 0, 1]);
//! # Ok::<(), segmenta_core::cluster::ClusterError>(())
//! ```

mod algorithm;
mod hyperparams;
mod matrix;
mod ward;

pub use algorithm::{Hierarchical, Merge};
pub use hyperparams::{HierarchicalParams, HierarchicalValidParams, Linkage};
