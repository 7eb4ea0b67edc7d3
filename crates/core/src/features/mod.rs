//! Features: from whatever the user uploaded to one row of numbers per customer.
//!
//! - [`keys`]: customer keys normalized so files join (`C001`, `c001 `, `17850.0`).
//! - [`orders`]: a transaction log (one row per order line) → behavioural features per
//!   customer: recency, frequency, monetary value, intervals, trend, returns, categories,
//!   seasonality, and the buy-till-you-die summary ([`btyd`]).
//! - [`events`]: an event log (email opens, visits) → engagement counts per customer.
//! - [`roles`]: what each file is and which column plays which part (a guess the user
//!   can change).
//! - [`dataset`]: several files joined into one customer table.
//! - [`matrix`]: which columns can be features, and why others cannot.
//! - [`prepare`]: filling, capping, logs, scaling, weights and one-hot columns, fitted once
//!   and reusable on new data.

pub mod btyd;
pub mod dataset;
pub mod events;
pub mod keys;
pub mod matrix;
pub mod orders;
pub mod prepare;
pub mod roles;

pub use matrix::*;
pub use prepare::{
    CATEGORY_MAX_LEVELS, Encoding, FeatureChoice, FeatureMatrix, Imputed, Missing,
    ONE_HOT_MAX_LEVELS, Preprocessor, Scale,
};
