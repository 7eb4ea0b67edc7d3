//! k-means: greedy k-means++ seeding, Lloyd iterations, several restarts keeping the
//! lowest inertia — the same algorithm and conventions as scikit-learn's `KMeans`.
//!
//! ```
//! use ndarray::array;
//! use segmenta_core::cluster::KMeansParams;
//!
//! let x = array![[1.0, 1.0], [1.2, 0.8], [8.0, 8.0], [8.2, 7.9], [7.9, 8.1]];
//! let model = KMeansParams::new(2).seed(7).fit(x.view())?;
//! assert_eq!(model.labels(), &[1, 1, 0, 0, 0]); // segment 0 is the largest
//! assert_eq!(model.predict(array![[0.9, 1.1]].view())?, vec![1]);
//! # Ok::<(), segmenta_core::cluster::ClusterError>(())
//! ```

mod algorithm;
mod hyperparams;
pub mod shards;

pub use algorithm::{KMeans, Plan, Run};
pub use hyperparams::{KMeansParams, KMeansValidParams, Precision};
