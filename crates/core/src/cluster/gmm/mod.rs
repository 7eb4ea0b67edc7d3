//! Gaussian mixtures: soft segments, where every customer has a probability of belonging
//! to each segment — the same model and conventions as scikit-learn's `GaussianMixture`
//! (EM from a k-means start, `reg_covar` added to every variance, convergence when the
//! average log-likelihood improves by less than `tol`).
//!
//! ```
//! use ndarray::array;
//! use segmenta_core::cluster::{Covariance, GaussianMixtureParams};
//!
//! let x = array![[0.0, 0.1], [0.2, 0.0], [0.1, 0.3], [5.0, 5.1], [5.2, 4.9], [4.9, 5.0], [5.1, 5.2]];
//! let model = GaussianMixtureParams::new(2)
//!     .covariance(Covariance::Diagonal)
//!     .fit(x.view())?;
//! assert_eq!(model.labels(), &[1, 1, 1, 0, 0, 0, 0]); // segment 0 is the largest
//! let p = model.predict_proba(array![[0.1, 0.1]].view())?;
//! assert!(p[[0, 1]] > 0.99);
//! # Ok::<(), segmenta_core::cluster::ClusterError>(())
//! ```

mod algorithm;
mod hyperparams;
mod linalg;
pub mod shards;

pub use algorithm::GaussianMixture;
pub use hyperparams::{Covariance, GaussianMixtureParams, GaussianMixtureValidParams};
