//! The recipe: everything a user chose, and nothing about their customers.
//!
//! A recipe is versioned JSON. The page can download and load it; the CLI takes it with
//! `--recipe`. The same recipe on the same file gives the same segments on the web and on
//! the command line.
//!
//! ```json
//! {
//!   "version": 1,
//!   "features": ["orders", "total_spent", "days_since_last_order"],
//!   "scale": "standard",
//!   "clustering": { "algorithm": "kmeans", "k": 4, "n_init": 10, "seed": 42 }
//! }
//! ```

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::features::{Scale, default_columns};
use crate::table::Table;

/// The recipe format version this build writes and reads.
pub const RECIPE_VERSION: u32 = 1;

/// Default number of segments.
pub const DEFAULT_K: usize = 4;
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;
/// Default number of k-means restarts.
pub const DEFAULT_N_INIT: usize = 10;

/// Everything needed to reproduce a segmentation from a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipe {
    /// Format version ([`RECIPE_VERSION`]).
    pub version: u32,
    /// Feature columns, in order.
    pub features: Vec<String>,
    /// Scaling applied to features.
    #[serde(default)]
    pub scale: Scale,
    /// The clustering algorithm and its settings.
    pub clustering: Clustering,
}

/// The clustering algorithm and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "algorithm", rename_all = "snake_case")]
pub enum Clustering {
    /// k-means with k-means++ restarts.
    Kmeans {
        /// Number of segments.
        k: usize,
        /// Restarts.
        #[serde(default = "default_n_init")]
        n_init: usize,
        /// Seed.
        #[serde(default = "default_seed")]
        seed: u64,
    },
}

fn default_n_init() -> usize {
    DEFAULT_N_INIT
}

fn default_seed() -> u64 {
    DEFAULT_SEED
}

/// Why a recipe could not be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum RecipeError {
    /// Not valid recipe JSON.
    #[error("This recipe file could not be read ({0}). Choose a recipe saved by Segmenta.")]
    Parse(String),
    /// Written by a newer Segmenta.
    #[error(
        "This recipe was saved by a newer version of Segmenta (format {found}; this version reads up to {supported}). Update Segmenta to use it."
    )]
    TooNew {
        /// Version in the file.
        found: u32,
        /// Newest version understood.
        supported: u32,
    },
}

impl Recipe {
    /// The default recipe for a table: its default features, standard scaling, k-means
    /// with 4 segments.
    pub fn for_table(table: &Table) -> Recipe {
        Recipe::new(default_columns(table))
    }

    /// A recipe with these features and default settings.
    pub fn new(features: Vec<String>) -> Recipe {
        Recipe {
            version: RECIPE_VERSION,
            features,
            scale: Scale::Standard,
            clustering: Clustering::Kmeans {
                k: DEFAULT_K,
                n_init: DEFAULT_N_INIT,
                seed: DEFAULT_SEED,
            },
        }
    }

    /// The number of segments asked for.
    pub fn k(&self) -> usize {
        match self.clustering {
            Clustering::Kmeans { k, .. } => k,
        }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        match self.clustering {
            Clustering::Kmeans { seed, .. } => seed,
        }
    }

    /// Sets the number of segments.
    pub fn with_k(mut self, new_k: usize) -> Recipe {
        match &mut self.clustering {
            Clustering::Kmeans { k, .. } => *k = new_k,
        }
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, new_seed: u64) -> Recipe {
        match &mut self.clustering {
            Clustering::Kmeans { seed, .. } => *seed = new_seed,
        }
        self
    }

    /// Sets the feature columns.
    pub fn with_features(mut self, features: Vec<String>) -> Recipe {
        self.features = features;
        self
    }

    /// Sets the scaling.
    pub fn with_scale(mut self, scale: Scale) -> Recipe {
        self.scale = scale;
        self
    }

    /// Reads a recipe, refusing versions newer than this build understands.
    pub fn from_json(text: &str) -> Result<Recipe, RecipeError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let v: VersionOnly =
            serde_json::from_str(text).map_err(|e| RecipeError::Parse(e.to_string()))?;
        if v.version > RECIPE_VERSION {
            return Err(RecipeError::TooNew {
                found: v.version,
                supported: RECIPE_VERSION,
            });
        }
        serde_json::from_str(text).map_err(|e| RecipeError::Parse(e.to_string()))
    }

    /// Writes the recipe as pretty JSON.
    pub fn to_json(&self) -> String {
        crate::export::to_json(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let r = Recipe {
            version: RECIPE_VERSION,
            features: vec!["a".into(), "b".into()],
            scale: Scale::Standard,
            clustering: Clustering::Kmeans {
                k: 3,
                n_init: 5,
                seed: 1,
            },
        };
        assert_eq!(Recipe::from_json(&r.to_json()).unwrap(), r);
        assert!(r.to_json().contains("\"algorithm\": \"kmeans\""));
    }

    #[test]
    fn defaults_fill_optional_fields() {
        let r = Recipe::from_json(
            r#"{"version":1,"features":["a"],"clustering":{"algorithm":"kmeans","k":3}}"#,
        )
        .unwrap();
        assert_eq!(r.scale, Scale::Standard);
        assert_eq!(
            r.clustering,
            Clustering::Kmeans {
                k: 3,
                n_init: 10,
                seed: 42
            }
        );
    }

    #[test]
    fn newer_and_broken_recipes_are_refused_clearly() {
        let e = Recipe::from_json(r#"{"version":99}"#).unwrap_err();
        assert_eq!(
            e,
            RecipeError::TooNew {
                found: 99,
                supported: 1
            }
        );
        assert!(e.to_string().contains("newer version"));
        assert!(matches!(
            Recipe::from_json("not json"),
            Err(RecipeError::Parse(_))
        ));
        assert!(matches!(
            Recipe::from_json(r#"{"version":1}"#),
            Err(RecipeError::Parse(_))
        ));
    }
}
