//! One interface over every algorithm: the user's choice ([`Algorithm`], stored in the
//! recipe), the data they see ([`Points`]) and the fitted [`Model`].

use std::fmt;

use ndarray::{Array2, ArrayView2};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

use super::{
    ClusterError, Covariance, Dbscan, DbscanParams, GaussianMixture, GaussianMixtureParams,
    Hierarchical, HierarchicalParams, KMeans, KMeansParams, KPrototypes, KPrototypesParams,
    Linkage, suggest_eps,
};
use crate::progress::Progress;

/// A setting that is either chosen automatically or fixed by the user; written as
/// `"auto"` or the value in recipes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Auto<T> {
    /// Segmenta chooses (and says why).
    #[default]
    Auto,
    /// The user's value.
    Value(T),
}

impl<T: Copy> Auto<T> {
    /// The fixed value, if any.
    pub fn value(self) -> Option<T> {
        match self {
            Auto::Auto => None,
            Auto::Value(v) => Some(v),
        }
    }
}

impl<T: Serialize> Serialize for Auto<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Auto::Auto => s.serialize_str("auto"),
            Auto::Value(v) => v.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Auto<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr<T> {
            Word(String),
            Value(T),
        }
        match Repr::<T>::deserialize(d)? {
            Repr::Word(w) if w.eq_ignore_ascii_case("auto") => Ok(Auto::Auto),
            Repr::Word(w) => Err(de::Error::custom(format!(
                "expected \"auto\" or a number, found \"{w}\""
            ))),
            Repr::Value(v) => Ok(Auto::Value(v)),
        }
    }
}

impl<T: fmt::Display> fmt::Display for Auto<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auto::Auto => f.write_str("auto"),
            Auto::Value(v) => v.fmt(f),
        }
    }
}

/// The clustering algorithm and its own settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "algorithm", rename_all = "snake_case")]
pub enum Algorithm {
    /// k-means with k-means++ restarts.
    Kmeans {
        /// Restarts; the best is kept.
        #[serde(default = "ten")]
        n_init: usize,
    },
    /// Gaussian mixture (soft segments).
    Gmm {
        /// Shape of each segment.
        #[serde(default)]
        covariance: Covariance,
        /// Starts; the best is kept.
        #[serde(default = "one")]
        n_init: usize,
    },
    /// Density-based segments with outliers.
    Dbscan {
        /// Neighbourhood radius (auto: the knee of the k-distance curve).
        #[serde(default)]
        eps: Auto<f64>,
        /// Customers needed within `eps` for a dense neighbourhood.
        #[serde(default = "five")]
        min_samples: usize,
    },
    /// Agglomerative clustering.
    Hierarchical {
        /// How group distances are measured.
        #[serde(default)]
        linkage: Linkage,
    },
    /// k-prototypes for numbers plus categories.
    Kprototypes {
        /// Weight of a differing category (auto: half the mean numeric spread).
        #[serde(default)]
        gamma: Auto<f64>,
        /// Restarts; the best is kept.
        #[serde(default = "ten")]
        n_init: usize,
    },
}

fn one() -> usize {
    1
}
fn five() -> usize {
    5
}
fn ten() -> usize {
    10
}

impl Default for Algorithm {
    fn default() -> Self {
        Algorithm::Kmeans { n_init: 10 }
    }
}

/// Algorithm identifiers, as on the command line and in recipes.
pub const ALGORITHM_IDS: [&str; 5] = ["kmeans", "gmm", "dbscan", "hierarchical", "kprototypes"];

impl Algorithm {
    /// The algorithm with default settings, from its identifier.
    pub fn from_id(id: &str) -> Option<Algorithm> {
        Some(match id {
            "kmeans" | "k-means" => Algorithm::default(),
            "gmm" | "gaussian_mixture" => Algorithm::Gmm {
                covariance: Covariance::Full,
                n_init: 1,
            },
            "dbscan" => Algorithm::Dbscan {
                eps: Auto::Auto,
                min_samples: 5,
            },
            "hierarchical" | "agglomerative" => Algorithm::Hierarchical {
                linkage: Linkage::Ward,
            },
            "kprototypes" | "k-prototypes" => Algorithm::Kprototypes {
                gamma: Auto::Auto,
                n_init: 10,
            },
            _ => return None,
        })
    }

    /// Identifier (see [`ALGORITHM_IDS`]).
    pub fn id(&self) -> &'static str {
        match self {
            Algorithm::Kmeans { .. } => "kmeans",
            Algorithm::Gmm { .. } => "gmm",
            Algorithm::Dbscan { .. } => "dbscan",
            Algorithm::Hierarchical { .. } => "hierarchical",
            Algorithm::Kprototypes { .. } => "kprototypes",
        }
    }

    /// Name shown to people.
    pub fn label(&self) -> &'static str {
        match self {
            Algorithm::Kmeans { .. } => "k-means",
            Algorithm::Gmm { .. } => "Gaussian mixture",
            Algorithm::Dbscan { .. } => "DBSCAN",
            Algorithm::Hierarchical { .. } => "Hierarchical",
            Algorithm::Kprototypes { .. } => "k-prototypes",
        }
    }

    /// One plain sentence on when to use it.
    pub fn help(&self) -> &'static str {
        match self {
            Algorithm::Kmeans { .. } => {
                "Splits customers into groups of similar size around typical customers. Fast and a good first choice."
            }
            Algorithm::Gmm { .. } => {
                "Like k-means, but groups may be stretched and overlap; every customer gets a probability of belonging to each group."
            }
            Algorithm::Dbscan { .. } => {
                "Finds dense groups of any shape and sets unusual customers apart as outliers; it decides the number of groups itself."
            }
            Algorithm::Hierarchical { .. } => {
                "Merges the most similar customers step by step into a family tree, so you can see how groups split. Up to 50,000 customers."
            }
            Algorithm::Kprototypes { .. } => {
                "For numbers and categories together (country, channel, plan): categories are compared as they are, not turned into 0/1 columns."
            }
        }
    }

    /// Whether the user (or the k sweep) sets the number of segments.
    pub fn takes_k(&self) -> bool {
        !matches!(self, Algorithm::Dbscan { .. })
    }

    /// Whether categorical columns are used as categories rather than 0/1 indicators.
    pub fn native_categories(&self) -> bool {
        matches!(self, Algorithm::Kprototypes { .. })
    }

    /// Checks settings that do not depend on the data.
    pub fn check(&self) -> Result<(), ClusterError> {
        match *self {
            Algorithm::Kmeans { n_init }
            | Algorithm::Gmm { n_init, .. }
            | Algorithm::Kprototypes { n_init, .. }
                if n_init == 0 =>
            {
                Err(ClusterError::ZeroRestarts)
            }
            Algorithm::Dbscan { eps, min_samples } => {
                if let Auto::Value(e) = eps {
                    DbscanParams::new(e).min_samples(min_samples).check()?;
                } else if min_samples == 0 {
                    return Err(ClusterError::InvalidMinSamples);
                }
                Ok(())
            }
            Algorithm::Kprototypes {
                gamma: Auto::Value(g),
                ..
            } if !(g >= 0.0 && g.is_finite()) => Err(ClusterError::InvalidGamma(g)),
            _ => Ok(()),
        }
    }

    /// How many times the algorithm starts afresh (1 for those that do not restart).
    pub fn restarts(&self) -> usize {
        match self {
            Algorithm::Kmeans { n_init }
            | Algorithm::Gmm { n_init, .. }
            | Algorithm::Kprototypes { n_init, .. } => *n_init,
            _ => 1,
        }
    }

    /// The k-means parameters for `k` segments, when this is k-means.
    pub fn kmeans_params(&self, k: usize, seed: u64) -> Option<KMeansParams> {
        match *self {
            Algorithm::Kmeans { n_init } => Some(KMeansParams::new(k).n_init(n_init).seed(seed)),
            _ => None,
        }
    }

    /// The Gaussian-mixture parameters for `k` segments, when this is a Gaussian mixture.
    pub fn gmm_params(&self, k: usize, seed: u64) -> Option<GaussianMixtureParams> {
        match *self {
            Algorithm::Gmm { covariance, n_init } => Some(
                GaussianMixtureParams::new(k)
                    .covariance(covariance)
                    .n_init(n_init)
                    .seed(seed),
            ),
            _ => None,
        }
    }

    /// The same algorithm with at most `n` restarts (for the many fits of a k sweep).
    pub fn with_restarts_at_most(&self, max: usize) -> Algorithm {
        let mut a = self.clone();
        match &mut a {
            Algorithm::Kmeans { n_init }
            | Algorithm::Gmm { n_init, .. }
            | Algorithm::Kprototypes { n_init, .. } => *n_init = (*n_init).min(max).max(1),
            _ => {}
        }
        a
    }
}

/// The customers as clustering sees them: prepared numbers, and category codes for
/// algorithms that use categories directly (`u32::MAX` is missing).
#[derive(Debug, Clone, Copy)]
pub struct Points<'a> {
    /// `n × d` prepared numeric features.
    pub numbers: ArrayView2<'a, f64>,
    /// `n × m` category codes, when the algorithm uses categories.
    pub categories: Option<ArrayView2<'a, u32>>,
}

impl<'a> Points<'a> {
    /// Numbers only.
    pub fn numeric(numbers: ArrayView2<'a, f64>) -> Self {
        Points {
            numbers,
            categories: None,
        }
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.numbers.nrows()
    }

    /// Whether there are no customers.
    pub fn is_empty(&self) -> bool {
        self.numbers.nrows() == 0
    }

    /// Category codes (`n × 0` when there are none).
    pub fn codes(&self) -> Array2<u32> {
        match self.categories {
            Some(c) => c.to_owned(),
            None => Array2::zeros((self.len(), 0)),
        }
    }

    /// The rows `rows`, copied.
    pub fn select(&self, rows: &[usize]) -> (Array2<f64>, Option<Array2<u32>>) {
        (
            self.numbers.select(ndarray::Axis(0), rows),
            self.categories.map(|c| c.select(ndarray::Axis(0), rows)),
        )
    }

    /// Numbers with each category spelled out as indicators scaled by `√(γ/2)`, so that the
    /// squared Euclidean distance between two customers equals the k-prototypes cost
    /// (squared numeric distance plus γ per differing category). Quality scores use it.
    pub fn embedded(&self, gamma: f64) -> Array2<f64> {
        let Some(categories) = self.categories.filter(|c| c.ncols() > 0) else {
            return self.numbers.to_owned();
        };
        let m = categories.ncols();
        let mut levels: Vec<Vec<u32>> = vec![Vec::new(); m];
        for (j, column) in categories.columns().into_iter().enumerate() {
            let mut seen: Vec<u32> = column.iter().copied().collect();
            seen.sort_unstable();
            seen.dedup();
            levels[j] = seen;
        }
        let width: usize = levels.iter().map(Vec::len).sum();
        let d = self.numbers.ncols();
        let w = (gamma / 2.0).sqrt();
        let mut out = Array2::zeros((self.len(), d + width));
        for (i, mut row) in out.rows_mut().into_iter().enumerate() {
            for j in 0..d {
                row[j] = self.numbers[[i, j]];
            }
            let mut offset = d;
            for (j, lv) in levels.iter().enumerate() {
                if let Ok(at) = lv.binary_search(&categories[[i, j]]) {
                    row[offset + at] = w;
                }
                offset += lv.len();
            }
        }
        out
    }
}

/// A fitted model of any algorithm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "algorithm", content = "model", rename_all = "snake_case")]
pub enum Model {
    /// k-means.
    Kmeans(KMeans),
    /// Gaussian mixture.
    Gmm(GaussianMixture),
    /// DBSCAN.
    Dbscan(Dbscan),
    /// Hierarchical.
    Hierarchical(Hierarchical),
    /// k-prototypes.
    Kprototypes(KPrototypes),
}

impl Model {
    /// Number of segments (outliers not counted).
    pub fn k(&self) -> usize {
        match self {
            Model::Kmeans(m) => m.k(),
            Model::Gmm(m) => m.k(),
            Model::Dbscan(m) => m.k(),
            Model::Hierarchical(m) => m.k(),
            Model::Kprototypes(m) => m.k(),
        }
    }

    /// Segment of each fitted customer; `None` is an outlier (DBSCAN only).
    pub fn labels(&self) -> Vec<Option<usize>> {
        let some = |l: &[usize]| l.iter().map(|&l| Some(l)).collect();
        match self {
            Model::Kmeans(m) => some(m.labels()),
            Model::Gmm(m) => some(m.labels()),
            Model::Dbscan(m) => m.labels().to_vec(),
            Model::Hierarchical(m) => some(m.labels()),
            Model::Kprototypes(m) => some(m.labels()),
        }
    }

    /// Probability of each fitted customer's own segment (mixtures only).
    pub fn confidence(&self) -> Option<&[f64]> {
        match self {
            Model::Gmm(m) => Some(m.confidence()),
            _ => None,
        }
    }

    /// Bayesian information criterion (mixtures only).
    pub fn bic(&self) -> Option<f64> {
        match self {
            Model::Gmm(m) => Some(m.bic()),
            _ => None,
        }
    }

    /// Assigns new customers to the fitted segments.
    pub fn predict(&self, points: Points<'_>) -> Result<Vec<Option<usize>>, ClusterError> {
        let some = |l: Vec<usize>| l.into_iter().map(Some).collect();
        Ok(match self {
            Model::Kmeans(m) => some(m.predict(points.numbers)?),
            Model::Gmm(m) => some(m.predict(points.numbers)?),
            Model::Dbscan(m) => m.predict(points.numbers)?,
            Model::Hierarchical(m) => some(m.predict(points.numbers)?),
            Model::Kprototypes(m) => some(m.predict(points.numbers, points.codes().view())?),
        })
    }

    /// The model without anything per fitted customer (their segments, probabilities or
    /// the merge tree), for saving in a recipe; it assigns new customers the same way.
    pub fn without_rows(&self) -> Model {
        match self.clone() {
            Model::Kmeans(m) => Model::Kmeans(m.without_rows()),
            Model::Gmm(m) => Model::Gmm(m.without_rows()),
            Model::Dbscan(m) => Model::Dbscan(m.without_rows()),
            Model::Hierarchical(m) => Model::Hierarchical(m.without_rows()),
            Model::Kprototypes(m) => Model::Kprototypes(m.without_rows()),
        }
    }

    /// The category weight of a k-prototypes model (for quality scores), else 0.
    pub fn gamma(&self) -> f64 {
        match self {
            Model::Kprototypes(m) => m.gamma(),
            _ => 0.0,
        }
    }
}

/// Fits `algorithm` with `k` segments (ignored by DBSCAN) and `seed`.
pub fn fit(
    algorithm: &Algorithm,
    k: usize,
    seed: u64,
    points: Points<'_>,
    progress: &mut dyn Progress,
) -> Result<Model, ClusterError> {
    algorithm.check()?;
    let x = points.numbers;
    Ok(match *algorithm {
        Algorithm::Kmeans { .. } => Model::Kmeans(
            algorithm
                .kmeans_params(k, seed)
                .ok_or(ClusterError::ZeroRestarts)?
                .check()?
                .fit(x, progress)?,
        ),
        Algorithm::Gmm { .. } => Model::Gmm(
            algorithm
                .gmm_params(k, seed)
                .ok_or(ClusterError::ZeroRestarts)?
                .check()?
                .fit(x, progress)?,
        ),
        Algorithm::Dbscan { eps, min_samples } => {
            let eps = match eps {
                Auto::Value(e) => e,
                Auto::Auto => suggest_eps(x, min_samples.min(x.nrows().max(1)), seed)?.eps,
            };
            Model::Dbscan(
                DbscanParams::new(eps)
                    .min_samples(min_samples)
                    .check()?
                    .fit(x, progress)?,
            )
        }
        Algorithm::Hierarchical { linkage } => Model::Hierarchical(
            HierarchicalParams::new(k)
                .linkage(linkage)
                .check()?
                .fit(x, progress)?,
        ),
        Algorithm::Kprototypes { gamma, n_init } => {
            let mut params = KPrototypesParams::new(k).n_init(n_init).seed(seed);
            params.gamma = gamma.value();
            Model::Kprototypes(params.check()?.fit(x, points.codes().view(), progress)?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn auto_settings_read_and_write_as_words_or_numbers() {
        let a = Algorithm::Dbscan {
            eps: Auto::Auto,
            min_samples: 4,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"algorithm":"dbscan","eps":"auto","min_samples":4}"#
        );
        assert_eq!(serde_json::from_str::<Algorithm>(&json).unwrap(), a);
        let b: Algorithm = serde_json::from_str(r#"{"algorithm":"dbscan","eps":0.5}"#).unwrap();
        assert_eq!(
            b,
            Algorithm::Dbscan {
                eps: Auto::Value(0.5),
                min_samples: 5
            }
        );
        assert!(
            serde_json::from_str::<Algorithm>(r#"{"algorithm":"dbscan","eps":"big"}"#).is_err()
        );
        for id in ALGORITHM_IDS {
            assert_eq!(Algorithm::from_id(id).unwrap().id(), id);
        }
    }

    #[test]
    fn every_algorithm_fits_and_predicts_its_own_rows() {
        let x = array![
            [0.0, 0.0],
            [0.1, 0.2],
            [0.2, 0.1],
            [5.0, 5.0],
            [5.1, 5.2],
            [5.2, 5.1]
        ];
        for id in ALGORITHM_IDS {
            let mut algorithm = Algorithm::from_id(id).unwrap();
            if let Algorithm::Dbscan { eps, min_samples } = &mut algorithm {
                *eps = Auto::Value(0.5);
                *min_samples = 2;
            }
            let points = Points::numeric(x.view());
            let model = fit(&algorithm, 2, 1, points, &mut crate::progress::NoProgress).unwrap();
            assert_eq!(model.k(), 2, "{id}");
            assert_eq!(model.predict(points).unwrap(), model.labels(), "{id}");
        }
    }

    #[test]
    fn categories_embed_so_distance_equals_the_kprototypes_cost() {
        let nums = array![[0.0], [1.0]];
        let cats = array![[0u32, 7], [1, 7]];
        let p = Points {
            numbers: nums.view(),
            categories: Some(cats.view()),
        };
        let e = p.embedded(0.5);
        let d2: f64 = e
            .row(0)
            .iter()
            .zip(e.row(1))
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        assert!((d2 - (1.0 + 0.5)).abs() < 1e-12);
    }
}
