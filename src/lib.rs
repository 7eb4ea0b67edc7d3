//! # segmenta (the web app)
//!
//! A Leptos client-side app, built by Trunk into two WebAssembly modules:
//!
//! - the page (`src/main.rs` → [`app::App`]): components by step in [`steps`], shared pieces in
//!   [`ui`], state in [`state`], commands to the worker in [`engine`];
//! - the Web Worker (`src/bin/worker.rs` → [`worker::start`]), which holds the data and runs
//!   [`segmenta_core`] through [`session::Session`], with helper workers ([`pool`]) sharing
//!   large fits.
//!
//! They talk through [`protocol`]. Logic lives in plain types ([`session`], [`state`],
//! [`format`]) tested natively with `cargo test`.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod bridge;
pub mod campaigns;
pub mod charts;
pub mod choices;
pub mod download;
pub mod engine;
pub mod format;
pub mod keep;
pub mod limits;
pub mod packed;
pub mod plans;
pub mod pool;
pub mod protocol;
pub mod reading;
pub mod session;
pub mod source;
pub mod state;
pub mod steps;
pub mod ui;
pub mod worker;
