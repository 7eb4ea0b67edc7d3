//! Chart geometry: pure functions from data to pixels, unit-tested natively. Components in
//! `steps/` only hand the results to the browser.

pub mod scatter;
