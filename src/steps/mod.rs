//! One module per step of the user's path, in order: load → understand (columns) →
//! features → segment (cluster) → explore (results) → act (export).

pub mod cluster;
pub mod columns;
pub mod export;
pub mod features;
pub mod load;
pub mod results;
