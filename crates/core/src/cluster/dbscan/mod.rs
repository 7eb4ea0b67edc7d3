//! DBSCAN: segments are dense groups of customers; customers in sparse regions are
//! outliers (label `None`, shown as `-1` in files) — the same definitions as
//! scikit-learn's `DBSCAN` (a customer is a core point when at least `min_samples`
//! customers, itself included, lie within `eps`).
//!
//! ```
//! use ndarray::array;
//! use segmenta_core::cluster::DbscanParams;
//!
//! let x = array![[0.0], [0.1], [0.2], [5.0], [5.1], [5.2], [5.3], [20.0]];
//! let model = DbscanParams::new(0.15).min_samples(2).fit(x.view())?;
//! assert_eq!(model.labels(), &[Some(1), Some(1), Some(1), Some(0), Some(0), Some(0), Some(0), None]);
//! assert_eq!(model.predict(array![[5.05], [10.0]].view())?, vec![Some(0), None]);
//! # Ok::<(), segmenta_core::cluster::ClusterError>(())
//! ```

mod algorithm;
mod hyperparams;

pub use algorithm::{Dbscan, EpsSuggestion, k_distances, suggest_eps};
pub use hyperparams::{DbscanParams, DbscanValidParams};
