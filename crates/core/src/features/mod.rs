//! Features: from whatever the user uploaded to one row of numbers per customer.
//!
//! - [`keys`]: customer keys normalized so files join (`C001`, `c001 `, `17850.0`).
//! - [`orders`]: a transaction log (one row per order line) → behavioural features per
//!   customer: recency, frequency, monetary value, intervals, trend, returns, categories,
//!   seasonality, and the buy-till-you-die summary ([`btyd`]).
//! - [`matrix`]: which columns can be features, and the matrix clustering sees.

pub mod btyd;
pub mod keys;
pub mod matrix;
pub mod orders;

pub use matrix::*;
