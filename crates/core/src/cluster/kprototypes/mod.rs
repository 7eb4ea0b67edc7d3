//! k-prototypes (Huang 1997): segments of customers described by numbers *and* categories
//! (country, channel, plan) without turning categories into 0/1 columns. The distance
//! between a customer and a segment is the squared distance of the numeric features plus
//! `gamma` for each category that differs from the segment's most common value.
//!
//! ```
//! use ndarray::array;
//! use segmenta_core::cluster::KPrototypesParams;
//!
//! let numbers = array![[1.0], [1.1], [0.9], [1.0], [1.2], [0.8]];
//! // Channel: 0 = web, 1 = shop.
//! let channel = array![[0], [0], [0], [1], [1], [1]];
//! let model = KPrototypesParams::new(2).seed(1).fit(numbers.view(), channel.view())?;
//! assert_eq!(model.labels(), &[0, 0, 0, 1, 1, 1]);
//! assert_eq!(model.modes().column(0).to_vec(), vec![0, 1]);
//! # Ok::<(), segmenta_core::cluster::ClusterError>(())
//! ```

mod algorithm;
mod hyperparams;

pub use algorithm::KPrototypes;
pub use hyperparams::{KPrototypesParams, KPrototypesValidParams};
