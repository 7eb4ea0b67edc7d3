//! The recipe: everything a user chose, and nothing about their customers.
//!
//! A recipe is versioned JSON: which files play which part (by column names), the analysis
//! date, the features and how each is prepared, and the clustering settings. The page can
//! download and load it; the CLI takes it with `--recipe`. The same recipe on the same files
//! gives the same segments on the web and on the command line.
//!
//! ```json
//! {
//!   "version": 5,
//!   "data": { "files": [{ "file": "orders.csv", "shape": "orders", "customer": "customer_id", ...,
//!                         "reading": { "decimal": "comma", "columns": { "zip": "id" } } }],
//!             "as_of": "2025-07-01", "unit": "days" },
//!   "features": [{ "name": "monetary_total", "missing": { "fill": "median" }, "log": true,
//!                  "scale": "standard", "weight": 1.0 }],
//!   "categorical": ["country"],
//!   "clustering": { "algorithm": "kmeans", "n_init": 10, "k": "auto", "k_range": [2, 10], "seed": 42 },
//!   "names": { "0": "Weekend regulars" },
//!   "rules": [{ "name": "Win back", "rule": { "no_purchase_in_days": 90 } }],
//!   "priority": ["Win back", "Champions"]
//! }
//! ```
//!
//! `k` is `"auto"` (compare every k in `k_range` and take the recommended one) or a number.
//! Each algorithm has its own settings: `gmm` has `covariance` (`full`, `diagonal`,
//! `spherical`); `dbscan` has `eps` (`"auto"` or a distance) and `min_samples`;
//! `hierarchical` has `linkage` (`ward`, `complete`, `average`, `single`); `kprototypes` has
//! `gamma` (`"auto"` or a weight).
//!
//! `names` holds the names the user gave segments, by segment number (segments are
//! numbered by size, largest first, and the same recipe on the same files gives the same
//! segments); the others keep the names Segmenta gives them.
//!
//! A recipe saved after a run (`segmenta run --save-recipe`, or from the page's Act step)
//! also holds `model`: the fitted preparation, the model without per-customer results
//! (centres, mixture parameters; DBSCAN's core points), the segment names and each
//! feature's decile bins. `segmenta apply` uses it to assign new customers to the same
//! segments and to measure drift ([`crate::apply`]).
//!
//! Each file's `reading` holds the reading settings the user changed, in the same form as
//! [`ReadOptions`]: `{"decimal": "comma", "columns": {"zip": "id", "notes": "personal"}}`
//! reads with a decimal comma, every `zip` as a key written as it is, and `notes` as
//! personal data. The same settings read the next export the same way.
//!
//! Older recipes still load: version 4 had no `reading`; version 3 had no `model`; version 2 wrote `"one_hot"` for the categorical columns and a
//! fixed k; version 1 had a list of feature names and one scaling.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::apply::Fitted;
use crate::cluster::{Algorithm, Auto, KRange};
use crate::date::{civil_from_days, days_from_civil};
use crate::features::btyd::TimeUnit;
use crate::features::matrix::candidates;
use crate::features::orders::FeatureInfo;
use crate::features::roles::FilePlan;
use crate::features::{FeatureChoice, Scale};
use crate::ingest::ReadOptions;
use crate::rules::RuleSegment;
use crate::table::Table;

/// The recipe format version this build writes.
pub const RECIPE_VERSION: u32 = 5;

/// Default seed.
pub const DEFAULT_SEED: u64 = 42;
/// Default number of k-means restarts.
pub const DEFAULT_N_INIT: usize = 10;

/// Everything needed to reproduce a segmentation from files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipe {
    /// Format version ([`RECIPE_VERSION`]).
    pub version: u32,
    /// How the files become one customer table.
    #[serde(default)]
    pub data: DataPlan,
    /// Features and how each is prepared.
    pub features: Vec<FeatureChoice>,
    /// Categorical columns used as features: one 0/1 indicator per value, or compared as
    /// categories by k-prototypes.
    #[serde(default, alias = "one_hot", skip_serializing_if = "Vec::is_empty")]
    pub categorical: Vec<String>,
    /// The clustering algorithm and its settings.
    pub clustering: Clustering,
    /// Names the user gave segments, by segment number (0 = largest); the others keep
    /// the names Segmenta gives them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<usize, String>,
    /// Segments defined by rules, next to the clustered ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSegment>,
    /// Campaign priority: segment names (rule or clustered), first wins a customer's
    /// `primary_campaign`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priority: Vec<String>,
    /// The fitted segmentation, when saved after a run: applying the recipe to new data
    /// assigns customers to these segments instead of finding new ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Box<Fitted>>,
}

/// How the files become one customer table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DataPlan {
    /// What each file is, in load order (matched to files by position).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileEntry>,
    /// The analysis date, `YYYY-MM-DD`; default: the day after the last order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Unit of the buy-till-you-die summary.
    #[serde(default)]
    pub unit: TimeUnit,
}

impl DataPlan {
    /// The analysis date as a day number.
    pub fn as_of_day(&self) -> Result<Option<i64>, RecipeError> {
        self.as_of.as_deref().map(parse_day).transpose()
    }
}

/// Parses `YYYY-MM-DD` to a day number.
pub fn parse_day(text: &str) -> Result<i64, RecipeError> {
    let bad = || RecipeError::Date(text.to_owned());
    let mut parts = text.trim().split('-');
    let (y, m, d) = (
        parts.next().ok_or_else(bad)?,
        parts.next().ok_or_else(bad)?,
        parts.next().ok_or_else(bad)?,
    );
    let (y, m, d) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    days_from_civil(y, m, d).ok_or_else(bad)
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One file's part in the recipe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The file name it was made with (for people reading the recipe).
    pub file: String,
    /// What the file is and which column plays which part.
    #[serde(flatten)]
    pub plan: FilePlan,
    /// How the file is read, where the user changed what Segmenta detected: the
    /// delimiter, the decimal separator, a column's kind, a column that is personal data.
    #[serde(default, skip_serializing_if = "ReadOptions::is_default")]
    pub reading: ReadOptions,
}

/// The clustering algorithm and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clustering {
    /// The algorithm and its own settings.
    #[serde(flatten)]
    pub algorithm: Algorithm,
    /// Number of segments, or `auto` to compare `k_range` and take the recommendation.
    /// DBSCAN ignores it.
    #[serde(default)]
    pub k: Auto<usize>,
    /// The numbers of segments compared when `k` is `auto`.
    #[serde(default)]
    pub k_range: KRange,
    /// Seed for everything random.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

impl Default for Clustering {
    fn default() -> Self {
        Clustering {
            algorithm: Algorithm::Kmeans {
                n_init: DEFAULT_N_INIT,
            },
            k: Auto::Auto,
            k_range: KRange::default(),
            seed: DEFAULT_SEED,
        }
    }
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
    /// A date that is not `YYYY-MM-DD`.
    #[error(
        "The analysis date '{0}' is not a date written as YYYY-MM-DD (for example 2025-07-01)."
    )]
    Date(String),
}

impl Recipe {
    /// The default recipe for a customer table: its default features (with `info` for
    /// derived ones), prepared with the defaults, and k-means with an automatic k.
    pub fn for_table_with(table: &Table, info: &[FeatureInfo]) -> Recipe {
        let features = candidates(table, info)
            .into_iter()
            .filter(|c| c.default)
            .map(|c| FeatureChoice::default_for(table, &c.name))
            .collect();
        Recipe {
            features,
            ..Recipe::new(Vec::new())
        }
    }

    /// [`Recipe::for_table_with`] without derived features.
    pub fn for_table(table: &Table) -> Recipe {
        Recipe::for_table_with(table, &[])
    }

    /// A recipe with these features (plain preparation) and default settings.
    pub fn new(features: Vec<String>) -> Recipe {
        Recipe {
            version: RECIPE_VERSION,
            data: DataPlan::default(),
            features: features.iter().map(|f| FeatureChoice::plain(f)).collect(),
            categorical: Vec::new(),
            clustering: Clustering::default(),
            names: BTreeMap::new(),
            rules: Vec::new(),
            priority: Vec::new(),
            model: None,
        }
    }

    /// The number of segments asked for.
    pub fn k(&self) -> Auto<usize> {
        self.clustering.k
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.clustering.seed
    }

    /// The feature names, in order.
    pub fn feature_names(&self) -> Vec<String> {
        self.features.iter().map(|f| f.name.clone()).collect()
    }

    /// Sets the number of segments.
    pub fn with_k(mut self, k: usize) -> Recipe {
        self.clustering.k = Auto::Value(k);
        self
    }

    /// Sets the algorithm.
    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Recipe {
        self.clustering.algorithm = algorithm;
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Recipe {
        self.clustering.seed = seed;
        self
    }

    /// Uses these features, keeping the preparation already chosen for any of them.
    pub fn with_features(mut self, features: Vec<String>) -> Recipe {
        self.features = features
            .iter()
            .map(|name| {
                self.features
                    .iter()
                    .find(|f| f.name == *name)
                    .cloned()
                    .unwrap_or_else(|| FeatureChoice::plain(name))
            })
            .collect();
        self
    }

    /// Sets the scaling of every feature.
    pub fn with_scale(mut self, scale: Scale) -> Recipe {
        for f in &mut self.features {
            f.scale = scale;
        }
        self
    }

    /// Reads a recipe, refusing versions newer than this build understands and upgrading
    /// older ones.
    pub fn from_json(text: &str) -> Result<Recipe, RecipeError> {
        let parse = |e: serde_json::Error| RecipeError::Parse(e.to_string());
        let value: Value = serde_json::from_str(text).map_err(parse)?;
        let Value::Object(mut value) = value else {
            return Err(RecipeError::Parse(
                "the file holds JSON, but not a recipe's settings".into(),
            ));
        };
        let version = value
            .get("version")
            .and_then(Value::as_u64)
            .ok_or_else(|| RecipeError::Parse("no version number".into()))?
            as u32;
        if version > RECIPE_VERSION {
            return Err(RecipeError::TooNew {
                found: version,
                supported: RECIPE_VERSION,
            });
        }
        if version == 1 {
            // Version 1: "features": ["a", "b"], "scale": "standard".
            let scale = value
                .get("scale")
                .cloned()
                .unwrap_or(Value::String("standard".into()));
            let names = value
                .get("features")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            value.insert(
                "features".into(),
                Value::Array(
                    names
                        .into_iter()
                        .map(|n| serde_json::json!({ "name": n, "scale": scale }))
                        .collect(),
                ),
            );
        }
        // Version 2 reads as the current version: "one_hot" is an alias of "categorical"
        // and a number is a fixed k; version 3 simply has no model, version 4 no reading
        // settings.
        value.insert("version".into(), Value::from(RECIPE_VERSION));
        serde_json::from_value(Value::Object(value)).map_err(parse)
    }

    /// Writes the recipe as pretty JSON.
    pub fn to_json(&self) -> String {
        crate::export::to_json(self)
    }
}

#[cfg(test)]
impl Clustering {
    fn with_k_for_test(mut self, k: usize) -> Clustering {
        self.k = Auto::Value(k);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::Missing;
    use crate::features::orders::{Amount, OrderRoles};

    #[test]
    fn round_trips() {
        let mut r = Recipe::new(vec!["a".into(), "b".into()])
            .with_k(3)
            .with_seed(1);
        r.features[0].log = true;
        r.features[1].missing = Missing::Constant(0.0);
        r.categorical = vec!["country".into()];
        r.clustering.algorithm = Algorithm::Gmm {
            covariance: crate::cluster::Covariance::Diagonal,
            n_init: 2,
        };
        r.data.as_of = Some("2025-07-01".into());
        r.data.files.push(FileEntry {
            file: "orders.csv".into(),
            plan: FilePlan::Orders(OrderRoles {
                customer: "customer_id".into(),
                date: "order_date".into(),
                amount: Amount::Column {
                    name: "total".into(),
                },
                invoice: None,
                product: None,
                category: None,
                channel: None,
            }),
            reading: ReadOptions {
                decimal: Some(crate::table::Decimal::Comma),
                columns: [("zip".to_owned(), crate::table::ColumnChoice::Id)].into(),
                ..ReadOptions::default()
            },
        });
        r.data.files.push(FileEntry {
            file: "customers.csv".into(),
            plan: FilePlan::Customers { customer: None },
            reading: ReadOptions::default(),
        });
        let json = r.to_json();
        assert_eq!(Recipe::from_json(&json).unwrap(), r);
        assert!(json.contains("\"algorithm\": \"gmm\""));
        assert!(json.contains("\"covariance\": \"diagonal\""));
        assert!(json.contains("\"k\": 3"));
        assert!(json.contains("\"shape\": \"orders\""));
        assert!(json.contains("\"zip\": \"id\""), "{json}");
        // Settings left to detection are not written.
        assert_eq!(json.matches("\"reading\"").count(), 1, "{json}");
        assert_eq!(
            r.data.as_of_day().unwrap(),
            Some(days_from_civil(2025, 7, 1).unwrap())
        );
    }

    #[test]
    fn json_that_is_not_settings_is_refused_with_a_sentence() {
        for text in ["[1, 2]", "42", "\"recipe\"", "null"] {
            let e = Recipe::from_json(text).unwrap_err().to_string();
            assert!(e.contains("not a recipe"), "{text}: {e}");
        }
    }

    #[test]
    fn version_1_recipes_still_load() {
        let r = Recipe::from_json(r#"{"version":1,"features":["a","b"],"scale":"none","clustering":{"algorithm":"kmeans","k":3}}"#).unwrap();
        assert_eq!(r.version, RECIPE_VERSION);
        assert_eq!(r.feature_names(), vec!["a", "b"]);
        assert_eq!(r.features[0].scale, Scale::None);
        assert_eq!(r.clustering, Clustering::default().with_k_for_test(3));
    }

    #[test]
    fn version_2_recipes_still_load() {
        let r = Recipe::from_json(
            r#"{"version":2,"features":[{"name":"a"}],"one_hot":["country"],
                "clustering":{"algorithm":"kmeans","k":5,"n_init":4,"seed":7}}"#,
        )
        .unwrap();
        assert_eq!(r.categorical, vec!["country"]);
        assert_eq!(r.k(), Auto::Value(5));
        assert_eq!(r.seed(), 7);
        assert_eq!(r.clustering.algorithm, Algorithm::Kmeans { n_init: 4 });
        // New recipes choose k automatically.
        let fresh = Recipe::new(vec!["a".into()]);
        assert_eq!(fresh.k(), Auto::Auto);
        assert!(fresh.to_json().contains("\"k\": \"auto\""));
    }

    #[test]
    fn newer_and_broken_recipes_are_refused_clearly() {
        let e = Recipe::from_json(r#"{"version":99}"#).unwrap_err();
        assert_eq!(
            e,
            RecipeError::TooNew {
                found: 99,
                supported: RECIPE_VERSION
            }
        );
        assert!(e.to_string().contains("newer version"));
        assert!(matches!(
            Recipe::from_json("not json"),
            Err(RecipeError::Parse(_))
        ));
        assert!(matches!(
            Recipe::from_json(r#"{"version":3}"#),
            Err(RecipeError::Parse(_))
        ));
        assert_eq!(
            parse_day("2025-13-01"),
            Err(RecipeError::Date("2025-13-01".into()))
        );
        assert_eq!(format_day(parse_day("2011-12-10").unwrap()), "2011-12-10");
    }
}
