//! # segmenta-core
//!
//! The engine behind Segmenta: bytes of a CSV export in, customer segments out.
//! It knows nothing of browsers or terminals; the web app (in a Web Worker) and the
//! `segmenta` CLI are thin shells around it.
//!
//! Stages, in the order data flows:
//!
//! | stage | module | what it does |
//! |---|---|---|
//! | ingest | [`ingest`] | decode bytes, sniff the dialect, split records, collect problems |
//! | table | [`table`] | typed columnar storage, column kinds, missing values, personal data |
//! | features | [`features`] | choose, clean and scale the numbers clustering sees |
//! | cluster | [`cluster`] | k-means (more algorithms follow) |
//! | metrics | [`metrics`] | silhouette, Calinski-Harabasz, Davies-Bouldin |
//! | explain | [`explain`] | segment profiles in original units, names, RFM, churn risk and lifetime value |
//! | export | [`export`] | labelled CSV, safe for spreadsheets |
//!
//! [`recipe::Recipe`] holds everything a user chose (never any customer data);
//! [`pipeline`] runs the stages for a recipe, and [`sample`] generates the built-in
//! demo data.
//!
//! No function here panics on user input: everything a file or a user can get wrong
//! comes back as a typed error whose message says what, where, and what to do.
//! Clippy holds the code to it in CI: `unwrap_used` and `expect_used` everywhere, and
//! `indexing_slicing` in the modules that take bytes and text straight from users
//! (ingest, table, recipe, export). The numeric kernels index arrays whose shapes are
//! checked on entry; property tests and the fuzz targets (`fuzz/`) drive them with
//! arbitrary files.
//!
//! ```
//! use segmenta_core::{ingest, pipeline, recipe::Recipe, progress::NoProgress};
//!
//! let csv = "id,spend,visits\n1,10,1\n2,12,2\n3,11,1\n4,95,9\n5,99,8\n6,97,10\n";
//! let loaded = ingest::read_bytes(csv.as_bytes(), &ingest::ReadOptions::default())?;
//! let recipe = Recipe::for_table(&loaded.table).with_k(2);
//! let result = pipeline::segment(&loaded.table, &recipe, &mut NoProgress)?;
//! assert_eq!(result.segments.len(), 2);
//! assert_eq!(result.labels[0], result.labels[1]);
//! assert_ne!(result.labels[0], result.labels[3]);
//! # Ok::<(), segmenta_core::Error>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod apply;
pub mod cluster;
pub mod date;
pub mod error;
pub mod explain;
#[cfg_attr(not(test), deny(clippy::indexing_slicing))]
pub mod export;
pub mod features;
#[cfg_attr(not(test), deny(clippy::indexing_slicing))]
pub mod ingest;
pub mod metrics;
pub mod numbers;
mod optimize;
pub mod pipeline;
pub mod progress;
pub mod projection;
#[cfg_attr(not(test), deny(clippy::indexing_slicing))]
pub mod recipe;
pub mod rng;
pub mod rules;
pub mod sample;
mod special;
#[cfg_attr(not(test), deny(clippy::indexing_slicing))]
pub mod table;
pub mod umap;

pub use error::Error;
