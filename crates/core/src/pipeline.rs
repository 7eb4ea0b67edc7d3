//! Running the stages for a recipe: table → features → clustering → scores → profiles.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use crate::Error;
#[cfg(test)]
use crate::apply::PSI_SHIFT;
use crate::apply::{Applied, ApplyError, Baseline, Fitted, baselines};
use crate::cluster::{
    Algorithm, Auto, ClusterError, Comparison, EpsSuggestion, GaussianMixtureParams, KMeansParams,
    KRange, Model, Points, Sweep, SweepRow, fit, suggest_eps,
};
use crate::explain::describe::{describe, name_by_rfm};
use crate::explain::lifetime::{LifetimeOptions, lifetime_of_table};
use crate::explain::rfm::{self, RfmColumns, RfmGrid, RfmScore};
use crate::explain::why::{Centres, Customer, Quotes, Why, why};
use crate::explain::{BoxStats, Overall, SegmentProfile, distributions, profile, rename};
use crate::export::{ExtraColumn, LabelColumns, labels_csv, lifetime_columns, rfm_columns};
use crate::features::btyd::TimeUnit;
use crate::features::dataset::{Dataset, Source, build};
use crate::features::orders::OrderOptions;
use crate::features::{Encoding, FeatureMatrix, Imputed, Preprocessor};
use crate::metrics::{Scores, scores};
use crate::progress::{Progress, Scaled, Stage, Within};
use crate::projection::CustomerMap;
use crate::recipe::Recipe;
use crate::rules::{Campaigns, Context, campaigns};
use crate::table::Table;

/// The result of segmenting a customer table.
#[derive(Debug, Clone)]
pub struct Segmentation {
    /// Numeric feature names, in order (one-hot features read `column = value`).
    pub features: Vec<String>,
    /// Categorical columns compared as categories (k-prototypes).
    pub categories: Vec<String>,
    /// Segment of each input row, in input order; `None` for customers left out. With
    /// DBSCAN, outliers carry the number of the last profile, which is the outlier group.
    pub labels: Vec<Option<usize>>,
    /// Probability of each input row's segment (Gaussian mixtures).
    pub confidence: Option<Vec<Option<f64>>>,
    /// One profile per segment, largest first (then the outliers, if any).
    pub segments: Vec<SegmentProfile>,
    /// Means and spreads of the segmented customers.
    pub overall: Overall,
    /// Quality scores (on the prepared features; outliers excluded).
    pub scores: Scores,
    /// Missing values filled or dropped.
    pub imputed: Vec<Imputed>,
    /// Other notes on preparation.
    pub notes: Vec<String>,
    /// The algorithm and its settings.
    pub algorithm: Algorithm,
    /// The fitted model, in prepared units.
    pub model: Model,
    /// The comparison of numbers of segments, when k was automatic.
    pub sweep: Option<Sweep>,
    /// The DBSCAN radius used (chosen automatically or by the user).
    pub eps: Option<f64>,
    /// DBSCAN: the sorted distances to each customer's `min_samples`-th neighbour and the
    /// suggested radius at their knee (for the k-distance plot).
    pub k_distances: Option<EpsSuggestion>,
    /// Box plot numbers of every feature in every profile (`[profile][feature]`, original
    /// units).
    pub distributions: Vec<Vec<Option<BoxStats>>>,
    /// The fitted preparation.
    pub preprocessor: Preprocessor,
    /// The customers on a map (principal components of the features), when it could be
    /// drawn.
    pub map: Option<CustomerMap>,
    /// The recency × frequency grid, when the table has RFM columns.
    pub rfm_grid: Option<RfmGrid>,
    /// Each segment's centre in prepared units, for "why is this customer here?".
    pub centres: Centres,
    /// Each feature's distribution, to measure drift in next month's data.
    pub baseline: Vec<Baseline>,
}

/// Puts `sources` together as the recipe's data plan says (analysis date, unit) and
/// segments the resulting customer table.
pub fn segment_files(
    sources: &[Source<'_>],
    recipe: &Recipe,
    progress: &mut dyn Progress,
) -> Result<(Dataset, Segmentation), Error> {
    let dataset = build(sources, &order_options(recipe)?)?;
    let result = segment(&dataset.table, recipe, progress)?;
    Ok((dataset, result))
}

/// The order-log settings of a recipe.
pub fn order_options(recipe: &Recipe) -> Result<OrderOptions, Error> {
    Ok(OrderOptions {
        as_of: recipe.data.as_of_day()?,
        unit: recipe.data.unit,
        ..OrderOptions::default()
    })
}

/// Customers × restarts one final fit works through at most: on more customers than this,
/// k-means, mixtures and k-prototypes start fewer times (at least once). With a million
/// customers one k-means++ start is what scikit-learn does by default (`n_init="auto"`), and
/// ten starts were a third of finding segments in the browser.
pub const RESTART_BUDGET: usize = 1_000_000;

/// How many starts the final fit makes on `n` customers when the recipe asks for
/// `restarts`.
pub fn restarts_for(restarts: usize, n: usize) -> usize {
    restarts.min(RESTART_BUDGET / n.max(1)).max(1)
}

/// Segments `table` as `recipe` says: [`prepare`], then [`Prepared::finish`].
pub fn segment(
    table: &Table,
    recipe: &Recipe,
    progress: &mut dyn Progress,
) -> Result<Segmentation, Error> {
    prepare(table, recipe, progress)?.finish(table, recipe, progress)
}

/// A segmentation up to its final fit: the prepared features, the comparison of segment
/// counts, and the fit that remains. The page shares out on several workers the
/// comparison (see [`Prepared::comparison`]), the final k-means or Gaussian-mixture fit
/// (see [`Prepared::left`]) and the quality scores (see [`Prepared::scores_left`]).
pub struct Prepared {
    preprocessor: Preprocessor,
    matrix: FeatureMatrix,
    algorithm: Algorithm,
    final_fit: Algorithm,
    asked: usize,
    k: usize,
    seed: u64,
    /// The range of segment counts still to compare (an automatic k).
    compare: Option<KRange>,
    sweep: Option<Sweep>,
    eps: Option<f64>,
    k_distances: Option<EpsSuggestion>,
    model: Option<Model>,
    scores: Option<Scores>,
}

/// The final fit, when it is one the page can share between workers.
#[derive(Debug, Clone, PartialEq)]
pub enum Left {
    /// k-means, for [`crate::cluster::kmeans::Plan`] on [`Prepared::points`]' numbers.
    KMeans(KMeansParams),
    /// A Gaussian mixture, for [`crate::cluster::gmm::shards::Plan`] on them.
    Mixture(GaussianMixtureParams),
}

/// Prepares the features of `table` as `recipe` says and decides the number of segments
/// (fitting DBSCAN, which has none to decide).
pub fn prepare(
    table: &Table,
    recipe: &Recipe,
    progress: &mut dyn Progress,
) -> Result<Prepared, Error> {
    let mut prepared = prepare_features(table, recipe, progress)?;
    prepared.compare(progress)?;
    Ok(prepared)
}

/// [`prepare`] up to the comparison of segment counts, which the page may share between
/// workers (see [`Prepared::comparison`]).
pub fn prepare_features(
    table: &Table,
    recipe: &Recipe,
    progress: &mut dyn Progress,
) -> Result<Prepared, Error> {
    let clustering = &recipe.clustering;
    let mut algorithm = clustering.algorithm.clone();
    algorithm.check()?;
    let seed = clustering.seed;
    if let Auto::Value(k) = clustering.k
        && algorithm.takes_k()
        && k < 2
    {
        return Err(ClusterError::TooFewClusters { k, min: 2 }.into());
    }
    progress.report(Stage::Features, 0.0)?;
    let encoding = if algorithm.native_categories() {
        Encoding::Codes
    } else {
        Encoding::OneHot
    };
    let (preprocessor, matrix) =
        Preprocessor::fit(table, &recipe.features, &recipe.categorical, encoding)?;
    progress.report(Stage::Features, 1.0)?;
    let points = Points {
        numbers: matrix.scaled.view(),
        categories: matrix.categories.as_ref().map(|c| c.view()),
    };

    let mut compare = None;
    let mut eps = None;
    let mut k_distances = None;
    let customers = points.len();
    let asked = algorithm.restarts();
    let final_fit = algorithm.with_restarts_at_most(restarts_for(asked, customers));
    let (k, model) = match (algorithm.takes_k(), clustering.k) {
        (true, Auto::Value(k)) => (k, None),
        (true, Auto::Auto) => {
            // Decided by the comparison (`Prepared::compare`).
            compare = Some(clustering.k_range);
            (0, None)
        }
        (false, _) => {
            // DBSCAN: fix an automatic eps now, so the result says which one was used; the
            // k-distance curve behind the suggestion is kept for the plot either way.
            if let Algorithm::Dbscan {
                eps: chosen,
                min_samples,
            } = &mut algorithm
            {
                let suggested =
                    suggest_eps(points.numbers, (*min_samples).min(points.len()), seed)?;
                if matches!(chosen, Auto::Auto) {
                    *chosen = Auto::Value(suggested.eps);
                }
                k_distances = Some(suggested);
            }
            if let Algorithm::Dbscan {
                eps: Auto::Value(e),
                ..
            } = algorithm
            {
                eps = Some(e);
            }
            (0, Some(fit(&algorithm, 0, seed, points, progress)?))
        }
    };
    Ok(Prepared {
        preprocessor,
        matrix,
        algorithm,
        final_fit,
        asked,
        k,
        seed,
        compare,
        sweep: None,
        eps,
        k_distances,
        model,
        scores: None,
    })
}

impl Prepared {
    /// The prepared customers.
    pub fn points(&self) -> Points<'_> {
        Points {
            numbers: self.matrix.scaled.view(),
            categories: self.matrix.categories.as_ref().map(|c| c.view()),
        }
    }

    /// The comparison of segment counts that remains, when the recipe asks for an
    /// automatic number (the trees of hierarchical clustering are grown here). Give its
    /// outcome back with [`Prepared::compared`] (else [`Prepared::finish`] runs it here).
    pub fn comparison(
        &self,
        progress: &mut dyn Progress,
    ) -> Result<Option<Comparison<'_>>, ClusterError> {
        let Some(range) = self.compare else {
            return Ok(None);
        };
        let mut within = Within::new(progress, Stage::Comparing, 0.0, 1.0);
        Comparison::new(
            &self.algorithm,
            range,
            self.seed,
            self.points(),
            &mut within,
        )
        .map(Some)
    }

    /// Takes the comparison's outcome: the recommended number of segments, and its model
    /// when the comparison used every customer.
    pub fn compared(&mut self, (sweep, model): (Sweep, Option<Model>)) {
        self.k = sweep.recommended_k;
        self.sweep = Some(sweep);
        self.model = model;
        self.compare = None;
    }

    /// Runs the comparison that remains here.
    pub fn compare(&mut self, progress: &mut dyn Progress) -> Result<(), ClusterError> {
        if let Some(comparison) = self.comparison(progress)? {
            let found = comparison.run(&mut Within::new(progress, Stage::Comparing, 0.0, 1.0))?;
            self.compared(found);
        }
        Ok(())
    }

    /// When the fit that remains is one that can be shared: its parameters. Give the
    /// model back with [`Prepared::fitted`] (else [`Prepared::finish`] fits it here).
    pub fn left(&self) -> Option<Left> {
        if self.model.is_some() || self.compare.is_some() {
            return None;
        }
        let (k, seed) = (self.k, self.seed);
        self.final_fit
            .kmeans_params(k, seed)
            .map(Left::KMeans)
            .or_else(|| self.final_fit.gmm_params(k, seed).map(Left::Mixture))
    }

    /// Takes the model fitted elsewhere.
    pub fn fitted(&mut self, model: Model) {
        self.model = Some(model);
    }

    /// Does the fit that remains here, if no model was given.
    pub fn fit(&mut self, progress: &mut dyn Progress) -> Result<(), Error> {
        self.compare(progress)?;
        if self.model.is_none() {
            let model = fit(&self.final_fit, self.k, self.seed, self.points(), progress)?;
            self.model = Some(model);
        }
        Ok(())
    }

    /// When a model was given and its quality scores can be computed elsewhere (every
    /// customer in a segment, numbers only): the rows and their segments, for
    /// [`crate::metrics::scores`] with [`Prepared::seed`]. Give the scores back with
    /// [`Prepared::scored`] (else [`Prepared::finish`] computes them here).
    pub fn scores_left(&self) -> Option<(ArrayView2<'_, f64>, Vec<usize>)> {
        let model = self.model.as_ref()?;
        if self.scores.is_some()
            || self
                .matrix
                .categories
                .as_ref()
                .is_some_and(|c| c.ncols() > 0)
        {
            return None;
        }
        let labels = model
            .labels()
            .iter()
            .copied()
            .collect::<Option<Vec<usize>>>()?;
        Some((self.matrix.scaled.view(), labels))
    }

    /// The seed of the fit (and of the silhouette's sample).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Takes the quality scores computed elsewhere.
    pub fn scored(&mut self, scores: Scores) {
        self.scores = Some(scores);
    }

    /// Scores, profiles, names and maps the segments, first doing the fit that remains
    /// here if no model was given.
    pub fn finish(
        mut self,
        table: &Table,
        recipe: &Recipe,
        progress: &mut dyn Progress,
    ) -> Result<Segmentation, Error> {
        self.compare(progress)?;
        let model = match self.model.take() {
            Some(model) => model,
            None => fit(&self.final_fit, self.k, self.seed, self.points(), progress)?,
        };
        let Prepared {
            preprocessor,
            matrix,
            algorithm,
            final_fit,
            asked,
            seed,
            sweep,
            eps,
            k_distances,
            scores,
            ..
        } = self;
        let customers = matrix.rows.len();
        let k = model.k();
        let fitted = model.labels();
        let outliers = fitted.iter().filter(|l| l.is_none()).count();
        if k < 2 {
            return Err(ClusterError::TooFewSegmentsFound {
                k,
                outliers,
                eps: eps.unwrap_or(0.0),
            }
            .into());
        }
        let baseline = baselines(&matrix.names, matrix.raw.view());
        // RFM scores name the segments and draw the grid; computed once for both.
        let rfm = Rfm::of(table);
        let found = Found {
            preprocessor,
            model,
            algorithm,
            sweep,
            eps,
            k_distances,
            baseline,
            rfm_grid: rfm.as_ref().map(|r| r.grid.clone()),
            scores,
        };
        let mut result = describe_fit(table, matrix, &fitted, found, seed, progress)?;
        let started = final_fit.restarts();
        if started < asked {
            result.notes.push(format!(
                "The final fit started {} instead of {asked} times: with {} customers each start takes long, and more starts rarely change segments this large.",
                if started == 1 { "once".to_owned() } else { format!("{started} times") },
                crate::numbers::count(customers)
            ));
        }
        if let Some(rfm) = &rfm
            && [
                &rfm.columns.recency,
                &rfm.columns.frequency,
                &rfm.columns.monetary,
            ]
            .iter()
            .any(|c| result.features.contains(c))
        {
            let columns = [
                rfm.columns.recency.as_str(),
                rfm.columns.frequency.as_str(),
                rfm.columns.monetary.as_str(),
            ];
            name_by_rfm(
                &mut result.segments,
                &rfm.scores,
                &result.labels,
                &result.features,
                &columns,
            );
        }
        rename(&mut result.segments, &recipe.names)?;
        Ok(result)
    }
}

/// Assigns the customers of `table` to the segments saved in a recipe (`fitted`), without
/// refitting, and describes them like a fresh segmentation: the same names, profiles of
/// this month's customers, quality scores of the saved segments on them, and drift.
///
/// The assignment is [`Fitted::apply`]'s, so the page and `segmenta apply` agree.
pub fn segment_with(
    table: &Table,
    recipe: &Recipe,
    fitted: &Fitted,
    progress: &mut dyn Progress,
) -> Result<(Segmentation, Applied), Error> {
    progress.report(Stage::Features, 0.0)?;
    let matrix = fitted.preprocessor.transform(table)?;
    let (applied, predicted) = fitted.assign(table.n_rows(), &matrix)?;
    progress.report(Stage::Features, 1.0)?;
    let populated = applied
        .sizes
        .iter()
        .enumerate()
        .filter(|&(i, &n)| n > 0 && Some(i) != fitted.outliers)
        .count();
    if populated < 2 {
        return Err(ApplyError::OneSegment {
            customers: matrix.rows.len(),
            name: applied
                .sizes
                .iter()
                .position(|&n| n > 0)
                .and_then(|i| fitted.names.get(i))
                .cloned()
                .unwrap_or_default(),
        }
        .into());
    }
    let found = Found {
        preprocessor: fitted.preprocessor.clone(),
        model: fitted.model.clone(),
        algorithm: recipe.clustering.algorithm.clone(),
        sweep: None,
        eps: match &fitted.model {
            Model::Dbscan(m) => Some(m.params().eps),
            _ => None,
        },
        k_distances: None,
        baseline: fitted.baseline.clone(),
        rfm_grid: Rfm::of(table).map(|r| r.grid),
        scores: None,
    };
    let seed = recipe.clustering.seed;
    let mut result = describe_fit(table, matrix, &predicted, found, seed, progress)?;
    result.confidence = applied.probability.clone();
    for (segment, name) in result.segments.iter_mut().zip(&fitted.names) {
        segment.name = name.clone();
        segment.automatic_name = None;
        if segment.size == 0 {
            segment.description =
                vec!["No customer in this file falls in this segment.".to_owned()];
            segment.distinguishing.clear();
        }
    }
    Ok((result, applied))
}

/// A fitted model and how it was found, before its segments are described.
struct Found {
    preprocessor: Preprocessor,
    model: Model,
    algorithm: Algorithm,
    sweep: Option<Sweep>,
    eps: Option<f64>,
    k_distances: Option<EpsSuggestion>,
    baseline: Vec<Baseline>,
    rfm_grid: Option<RfmGrid>,
    /// Quality scores computed elsewhere ([`Prepared::scored`]).
    scores: Option<Scores>,
}

/// Scores, profiles and maps the segments `fitted` (one per prepared row; `None`: an
/// outlier) of `matrix`, the prepared `table`.
fn describe_fit(
    table: &Table,
    matrix: FeatureMatrix,
    fitted: &[Option<usize>],
    found: Found,
    seed: u64,
    progress: &mut dyn Progress,
) -> Result<Segmentation, Error> {
    let Found {
        preprocessor,
        model,
        algorithm,
        sweep,
        eps,
        k_distances,
        baseline,
        rfm_grid,
        scores: given,
    } = found;
    let k = model.k();
    let outliers = fitted.iter().filter(|l| l.is_none()).count();
    let points = Points {
        numbers: matrix.scaled.view(),
        categories: matrix.categories.as_ref().map(|c| c.view()),
    };
    let embedded = points.embedded(model.gamma());
    let clustered: Vec<usize> = (0..fitted.len()).filter(|&i| fitted[i].is_some()).collect();
    let clustered_labels: Vec<usize> = fitted.iter().flatten().copied().collect();
    let scores = if let Some(given) = given {
        given
    } else if outliers == 0 {
        scores(
            embedded.view(),
            &clustered_labels,
            seed,
            &mut Scaled::new(progress, 0.0, 1.0),
        )?
    } else {
        let rows = embedded.select(ndarray::Axis(0), &clustered);
        scores(
            rows.view(),
            &clustered_labels,
            seed,
            &mut Scaled::new(progress, 0.0, 1.0),
        )?
    };
    let map = CustomerMap::new(
        embedded.view(),
        matrix.rows.clone(),
        matrix
            .names
            .iter()
            .chain(&matrix.category_names)
            .cloned()
            .collect(),
    )
    .ok();
    let centres = Centres::of(points, fitted, k, model.gamma());
    let (mut segments, overall) = profile(matrix.raw.view(), fitted, k, &matrix.names);
    describe(&mut segments, &overall, &matrix.names);
    let distributions = distributions(matrix.raw.view(), fitted, k);
    let mut labels = vec![None; table.n_rows()];
    for (&row, label) in matrix.rows.iter().zip(fitted) {
        labels[row] = Some(label.unwrap_or(k));
    }
    let confidence = model.confidence().map(|p| {
        let mut out = vec![None; table.n_rows()];
        for (&row, &p) in matrix.rows.iter().zip(p) {
            out[row] = Some(p);
        }
        out
    });
    Ok(Segmentation {
        features: matrix.names,
        categories: matrix.category_names,
        labels,
        confidence,
        segments,
        overall,
        scores,
        imputed: matrix.imputed,
        notes: matrix.notes,
        algorithm,
        model,
        sweep,
        eps,
        k_distances,
        distributions,
        preprocessor,
        map,
        rfm_grid,
        centres,
        baseline,
    })
}

/// The per-customer scores the labelled CSV carries when the data allows: RFM scores and
/// segment (with recency, frequency and monetary columns), churn risk and lifetime value
/// (from an order log, when the models fit). `rfm` may be given when already computed.
pub fn customer_columns(table: &Table, rfm: Option<&Rfm>, unit: TimeUnit) -> Vec<ExtraColumn> {
    let mut out = match rfm {
        Some(r) => rfm_columns(&r.scores),
        None => Rfm::of(table).map_or_else(Vec::new, |r| rfm_columns(&r.scores)),
    };
    if let Ok(lifetime) = lifetime_of_table(table, unit, LifetimeOptions::default()) {
        out.extend(lifetime_columns(&lifetime));
    }
    out
}

/// The rule segments of `recipe` on `table`, whose customers are in segments `labels`
/// (named `names`), and each customer's campaign; `None` without rule segments.
pub fn campaigns_of(
    table: &Table,
    labels: &[Option<usize>],
    names: &[String],
    recipe: &Recipe,
) -> Result<Option<Campaigns>, Error> {
    if recipe.rules.is_empty() {
        return Ok(None);
    }
    let rfm = Rfm::of(table);
    let ctx = Context {
        table,
        labels: Some(labels),
        names,
        rfm: rfm.as_ref().map(|r| r.scores.as_slice()),
    };
    Ok(Some(campaigns(&recipe.rules, &recipe.priority, &ctx)?))
}

/// RFM scores of every customer of a table with recency, frequency and monetary columns.
#[derive(Debug, Clone)]
pub struct Rfm {
    /// The columns scored.
    pub columns: RfmColumns,
    /// Every row's scores (`None` where a value is missing).
    pub scores: Vec<Option<RfmScore>>,
    /// Customers and value per recency × frequency cell.
    pub grid: RfmGrid,
}

impl Rfm {
    /// Scores `table` when its recency, frequency and monetary columns can be found.
    pub fn of(table: &Table) -> Option<Rfm> {
        let columns = RfmColumns::detect(table)?;
        Rfm::with_columns(table, columns)
    }

    /// Scores `table` by the given columns; `None` when one is missing or not numeric.
    pub fn with_columns(table: &Table, columns: RfmColumns) -> Option<Rfm> {
        let scores = rfm::scores(table, &columns)?;
        let monetary = table.column(&columns.monetary)?;
        let values: Vec<f64> = (0..table.n_rows()).map(|i| monetary.number_at(i)).collect();
        let grid = rfm::grid(&scores, &values);
        Some(Rfm {
            columns,
            scores,
            grid,
        })
    }
}

/// The machine-readable report written by `segmenta run --report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Input rows.
    pub rows: usize,
    /// Rows given a segment (outliers included).
    pub segmented: usize,
    /// Algorithm identifier (`kmeans`, `gmm`, `dbscan`, `hierarchical`, `kprototypes`).
    pub algorithm: String,
    /// The algorithm's settings as used (automatic choices filled in).
    pub settings: serde_json::Value,
    /// Number of segments (outliers not counted).
    pub k: usize,
    /// Feature names.
    pub features: Vec<String>,
    /// Categorical columns compared as categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Quality scores.
    pub metrics: ReportMetrics,
    /// Every k compared, when k was automatic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k_sweep: Option<Vec<SweepRow>>,
    /// The recommended k.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_k: Option<usize>,
    /// Why that k, in one sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// Customers the comparison used, when it was a sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k_sweep_sample: Option<usize>,
    /// Customers DBSCAN set apart as outliers (segment `-1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outliers: Option<usize>,
    /// Segments, largest first (outliers last, with id `-1`).
    pub segments: Vec<ReportSegment>,
}

/// Scores in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMetrics {
    /// Mean silhouette.
    pub silhouette: f64,
    /// Calinski-Harabasz index.
    pub calinski_harabasz: f64,
    /// Davies-Bouldin index.
    pub davies_bouldin: f64,
    /// Within-segment sum of squares (prepared units).
    pub inertia: f64,
    /// Rows used for the silhouette when sampled.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub silhouette_sample: Option<usize>,
    /// Bayesian information criterion (mixtures).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub bic: Option<f64>,
    /// Average log-likelihood per customer (mixtures).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub log_likelihood: Option<f64>,
}

/// One segment in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSegment {
    /// Segment number (`-1` for outliers).
    pub id: i64,
    /// Name.
    pub name: String,
    /// Customers in it.
    pub size: usize,
    /// Mean of each feature, in original units.
    pub centroid: serde_json::Map<String, serde_json::Value>,
    /// What sets the segment apart, in sentences that quote their numbers.
    pub description: String,
    /// Features that set it apart, largest effect first.
    pub distinguishing: Vec<ReportEffect>,
    /// The classic RFM segment its average scores fall in, when the data has RFM columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rfm_segment: Option<String>,
}

/// A feature's effect size in one segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportEffect {
    /// The feature.
    pub feature: String,
    /// Cohen's d of the segment against everyone else.
    pub effect: f64,
    /// For a category value (`country = France`): its share in the segment over its share
    /// among all customers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lift: Option<f64>,
    /// For a category value: Pearson's χ² of the 2 × 2 table segment/rest × value/other
    /// (1 degree of freedom, no continuity correction, as `scipy.stats.chi2_contingency`
    /// with `correction=False`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chi2: Option<f64>,
}

impl Segmentation {
    /// Segment names, indexed by segment number.
    pub fn names(&self) -> Vec<String> {
        self.segments.iter().map(|s| s.name.clone()).collect()
    }

    /// The fitted segmentation to save in a recipe (no per-customer results), so that
    /// next month's customers can be assigned to the same segments.
    pub fn fitted(&self) -> Fitted {
        Fitted {
            preprocessor: self.preprocessor.clone(),
            model: self.model.without_rows(),
            names: self.names(),
            outliers: self.outlier_segment(),
            sizes: self.segments.iter().map(|s| s.size).collect(),
            baseline: self.baseline.clone(),
        }
    }

    /// The segment number of the outlier group, if there is one.
    pub fn outlier_segment(&self) -> Option<usize> {
        self.segments.iter().position(|s| s.outliers)
    }

    /// The rule segments of `recipe` on `table` (the table that was segmented) and each
    /// customer's campaign; `None` when the recipe has no rule segments.
    pub fn campaigns(&self, table: &Table, recipe: &Recipe) -> Result<Option<Campaigns>, Error> {
        campaigns_of(table, &self.labels, &self.names(), recipe)
    }

    /// The labelled CSV with `extra` columns (see [`customer_columns`]), rule segment
    /// columns and `primary_campaign`.
    pub fn labels_csv_with(
        &self,
        table: &Table,
        campaigns: Option<&Campaigns>,
        extra: &[ExtraColumn],
    ) -> Vec<u8> {
        let names = self.names();
        labels_csv(
            table,
            &LabelColumns {
                labels: &self.labels,
                names: &names,
                outliers: self.outlier_segment(),
                probability: self.confidence.as_deref(),
                campaigns,
                extra,
            },
        )
    }

    /// The labelled CSV for `table` (the table that was segmented).
    pub fn labels_csv(&self, table: &Table) -> Vec<u8> {
        self.labels_csv_with(table, None, &[])
    }

    /// Why each customer of `table` (the table that was segmented) is in their segment;
    /// `None` for customers left out.
    pub fn why_all(&self, table: &Table) -> Result<Vec<Option<Why>>, Error> {
        self.explain(table, &|row| self.labels.get(row).copied().flatten())
    }

    /// Why the customer in row `row` of `table` is in their segment (`None` when they were
    /// left out).
    pub fn why(&self, table: &Table, row: usize) -> Result<Option<Why>, Error> {
        let Some(segment) = self.labels.get(row).copied().flatten() else {
            return Ok(None);
        };
        // Prepare just this customer: the fitted preparation needs no other rows.
        let one = table.take_rows(&[row]);
        Ok(self.explain(&one, &|_| Some(segment))?.pop().flatten())
    }

    /// Explains the customers of `table`, whose row `i` is in segment `segment_of(i)`.
    fn explain(
        &self,
        table: &Table,
        segment_of: &dyn Fn(usize) -> Option<usize>,
    ) -> Result<Vec<Option<Why>>, Error> {
        let matrix = self.preprocessor.transform(table)?;
        let mut out = vec![None; table.n_rows()];
        let probabilities = match &self.model {
            Model::Gmm(m) => Some(m.predict_proba(matrix.scaled.view())?),
            _ => None,
        };
        let levels = self.category_levels();
        let names: Vec<String> = self
            .features
            .iter()
            .chain(&self.categories)
            .cloned()
            .collect();
        let means: Vec<Vec<f64>> = self.segments.iter().map(|s| s.means.clone()).collect();
        let quotes = Quotes {
            features: &names,
            means: &means,
            levels: &levels,
        };
        let category_columns: Vec<Option<&crate::table::Column>> =
            self.categories.iter().map(|c| table.column(c)).collect();
        for (r, &row) in matrix.rows.iter().enumerate() {
            let Some(segment) = segment_of(row) else {
                continue;
            };
            let codes: Vec<u32> = matrix
                .categories
                .as_ref()
                .map_or_else(Vec::new, |c| c.row(r).to_vec());
            let texts: Vec<String> = category_columns
                .iter()
                .map(|c| c.map(|c| c.display(row)).unwrap_or_default())
                .collect();
            let p = probabilities.as_ref().map(|p| p.row(r).to_vec());
            out[row] = Some(why(
                &self.centres,
                quotes,
                Customer {
                    segment,
                    prepared: matrix.scaled.row(r),
                    codes: &codes,
                    raw: matrix.raw.row(r),
                    categories: &texts,
                    probabilities: p.as_deref(),
                },
            ));
        }
        Ok(out)
    }

    /// Lift and χ² of indicator feature `j` in segment `s` against everyone else.
    fn category_test(&self, s: &SegmentProfile, j: usize) -> (f64, f64) {
        let n: usize = self.segments.iter().map(|p| p.size).sum();
        let with = |mean: f64, size: usize| (mean * size as f64).round();
        let everyone = with(self.overall.means[j], n);
        let inside = with(s.means[j], s.size);
        let table = [
            [inside, s.size as f64 - inside],
            [everyone - inside, (n - s.size) as f64 - (everyone - inside)],
        ];
        let lift = if everyone > 0.0 && s.size > 0 {
            (inside / s.size as f64) / (everyone / n as f64)
        } else {
            0.0
        };
        (lift, crate::explain::chi_square_2x2(table))
    }

    /// Each category column's values, in code order.
    fn category_levels(&self) -> Vec<Vec<String>> {
        self.preprocessor
            .columns
            .iter()
            .filter_map(|p| match p {
                crate::features::prepare::Prepared::Category { levels, .. } => Some(levels.clone()),
                _ => None,
            })
            .collect()
    }

    /// The map coordinates as CSV (see [`crate::export::map_csv`]), when there is a map.
    pub fn map_csv(&self, table: &Table) -> Option<Vec<u8>> {
        let map = self.map.as_ref()?;
        Some(crate::export::map_csv(
            table,
            map,
            &self.labels,
            self.outlier_segment(),
        ))
    }

    /// The report for this segmentation.
    pub fn report(&self) -> Report {
        let settings = match serde_json::to_value(&self.algorithm) {
            Ok(serde_json::Value::Object(mut map)) => {
                map.remove("algorithm");
                serde_json::Value::Object(map)
            }
            _ => serde_json::Value::Null,
        };
        let gmm = match &self.model {
            Model::Gmm(m) => Some(m),
            _ => None,
        };
        Report {
            rows: self.labels.len(),
            segmented: self.labels.iter().filter(|l| l.is_some()).count(),
            algorithm: self.algorithm.id().into(),
            settings,
            k: self.model.k(),
            features: self.features.clone(),
            categories: self.categories.clone(),
            metrics: ReportMetrics {
                silhouette: self.scores.silhouette,
                calinski_harabasz: self.scores.calinski_harabasz,
                davies_bouldin: self.scores.davies_bouldin,
                inertia: self.scores.inertia,
                silhouette_sample: self.scores.silhouette_sample,
                bic: gmm.map(|m| m.bic()),
                log_likelihood: gmm.map(|m| m.log_likelihood()),
            },
            k_sweep: self.sweep.as_ref().map(|s| s.rows.clone()),
            recommended_k: self.sweep.as_ref().map(|s| s.recommended_k),
            recommendation: self.sweep.as_ref().map(|s| s.recommendation.clone()),
            k_sweep_sample: self.sweep.as_ref().and_then(|s| s.sampled),
            outliers: self
                .outlier_segment()
                .map(|o| self.segments[o].size)
                .or_else(|| matches!(self.model, Model::Dbscan(_)).then_some(0)),
            segments: self
                .segments
                .iter()
                .map(|s| ReportSegment {
                    id: if s.outliers { -1 } else { s.id as i64 },
                    name: s.name.clone(),
                    size: s.size,
                    centroid: self
                        .features
                        .iter()
                        .zip(&s.means)
                        .map(|(f, m)| (f.clone(), serde_json::json!(m)))
                        .collect(),
                    description: s.description.join(" "),
                    distinguishing: s
                        .distinguishing
                        .iter()
                        .filter_map(|&j| {
                            let feature = self.features.get(j)?.clone();
                            let category = crate::explain::describe::indicator(&feature)
                                .map(|_| self.category_test(s, j));
                            Some(ReportEffect {
                                feature,
                                effect: s.effects[j],
                                lift: category.map(|c| c.0),
                                chi2: category.map(|c| c.1),
                            })
                        })
                        .collect(),
                    rfm_segment: s.rfm.map(|r| r.name().to_owned()),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_starts_only_on_many_customers() {
        assert_eq!(restarts_for(10, 2_000), 10);
        assert_eq!(restarts_for(10, 100_000), 10);
        assert_eq!(restarts_for(10, 200_000), 5);
        assert_eq!(restarts_for(10, 1_000_000), 1);
        assert_eq!(restarts_for(10, 3_000_000), 1);
        assert_eq!(restarts_for(3, 0), 3);
    }
    use crate::ingest::{ReadOptions, read_bytes};
    use crate::progress::NoProgress;

    #[test]
    fn runs_end_to_end_and_reports() {
        let csv = "id,spend,visits\n1,10,1\n2,12,2\n3,11,1\n4,95,9\n5,99,8\n6,97,10\n";
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        let r = Recipe::for_table(&t).with_k(2);
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        assert_eq!(
            s.labels,
            vec![Some(0), Some(0), Some(0), Some(1), Some(1), Some(1)]
        );
        let report = s.report();
        assert_eq!(report.rows, 6);
        assert_eq!(
            report.segments[0].centroid["spend"],
            serde_json::json!(11.0)
        );
        assert!(report.metrics.silhouette > 0.8);
    }

    fn groups_table() -> Table {
        // Three groups of customers by spend and visits, plus one far-off customer; the
        // channel follows the groups.
        let mut csv = String::from("id,spend,visits,channel\n");
        let mut rng = crate::rng::Rng::new(3);
        for i in 0..90 {
            let (spend, visits, channel) = match i % 3 {
                0 => (20.0, 2.0, "web"),
                1 => (200.0, 9.0, "shop"),
                _ => (90.0, 20.0, "web"),
            };
            csv.push_str(&format!(
                "C{i},{:.2},{:.2},{channel}\n",
                spend + 5.0 * rng.normal(),
                visits + 0.8 * rng.normal()
            ));
        }
        csv.push_str("C999,5000,90,shop\n");
        read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table
    }

    #[test]
    fn automatic_k_recommends_and_explains() {
        let t = groups_table();
        let r = Recipe::new(vec!["spend".into(), "visits".into()]);
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        let sweep = s.sweep.as_ref().unwrap();
        assert_eq!(sweep.rows.first().unwrap().k, 2);
        assert_eq!(sweep.rows.last().unwrap().k, 10);
        let report = s.report();
        assert_eq!(report.recommended_k, Some(report.k));
        assert!(
            report
                .recommendation
                .as_ref()
                .unwrap()
                .starts_with(&format!("k = {}: ", report.k))
        );
        let json = crate::export::to_json(&report);
        assert!(json.contains("\"k_sweep\""));
        assert!(json.contains("\"stability\""));
    }

    /// The page's path (the comparison, the fit and the scores done elsewhere and given
    /// back) describes the same segmentation as `segment`.
    #[test]
    fn steps_done_elsewhere_give_the_same_segmentation() {
        let t = groups_table();
        for algorithm in [
            Algorithm::Kmeans { n_init: 3 },
            Algorithm::Gmm {
                covariance: crate::cluster::Covariance::Full,
                n_init: 1,
            },
        ] {
            let mut r = Recipe::new(vec!["spend".into(), "visits".into()]);
            r.clustering.algorithm = algorithm.clone();
            let whole = segment(&t, &r, &mut NoProgress).unwrap();
            let mut prepared = prepare_features(&t, &r, &mut NoProgress).unwrap();
            let comparison = prepared.comparison(&mut NoProgress).unwrap().unwrap();
            let outcomes = comparison
                .ks()
                .iter()
                .map(|&k| {
                    comparison
                        .one(k, &mut NoProgress)
                        .map(|(r, m)| (r, Some(m)))
                })
                .collect();
            let found = comparison.finish(outcomes).unwrap();
            prepared.compared(found);
            // The comparison used every customer, so its model of the recommended k is
            // kept and nothing is left to fit; the scores are left.
            assert_eq!(prepared.left(), None);
            let (x, labels) = prepared.scores_left().unwrap();
            let scores = crate::metrics::scores(x, &labels, prepared.seed(), &mut NoProgress);
            prepared.scored(scores.unwrap());
            let shared = prepared.finish(&t, &r, &mut NoProgress).unwrap();
            assert_eq!(shared.report(), whole.report(), "{algorithm:?}");
        }
        // With a number of segments given, the fit is left for the page.
        let mut r = Recipe::new(vec!["spend".into(), "visits".into()]);
        r.clustering.k = Auto::Value(3);
        let prepared = prepare_features(&t, &r, &mut NoProgress).unwrap();
        assert!(matches!(prepared.left(), Some(Left::KMeans(p)) if p.n_clusters == 3));
    }

    #[test]
    fn dbscan_outliers_are_segment_minus_one() {
        let t = groups_table();
        let r = Recipe::new(vec!["spend".into(), "visits".into()])
            .with_algorithm(Algorithm::from_id("dbscan").unwrap());
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        assert!(s.eps.unwrap() > 0.0);
        let outliers = s.outlier_segment().unwrap();
        assert_eq!(s.segments[outliers].name, "Outliers");
        assert_eq!(s.labels[90], Some(outliers));
        let csv = String::from_utf8(s.labels_csv(&t)).unwrap();
        assert!(csv.ends_with("C999,-1,Outliers\n"), "{csv}");
        let report = s.report();
        assert!(report.outliers.unwrap() >= 1);
        assert_eq!(report.segments.last().unwrap().id, -1);
        assert!(report.settings["eps"].as_f64().unwrap() > 0.0);
    }

    #[test]
    fn mixtures_write_probabilities_and_kprototypes_uses_categories() {
        let t = groups_table();
        let r = Recipe::new(vec!["spend".into(), "visits".into()])
            .with_algorithm(Algorithm::from_id("gmm").unwrap())
            .with_k(3);
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        let csv = String::from_utf8(s.labels_csv(&t)).unwrap();
        assert!(csv.starts_with("id,segment,segment_name,probability\n"));
        assert!(s.report().metrics.bic.is_some());

        let mut r = Recipe::new(vec!["spend".into(), "visits".into()])
            .with_algorithm(Algorithm::from_id("kprototypes").unwrap())
            .with_k(3);
        r.categorical = vec!["channel".into()];
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        assert_eq!(s.categories, vec!["channel"]);
        assert_eq!(s.features, vec!["spend", "visits"]);
        assert_eq!(s.model.k(), 3);
    }

    #[test]
    fn every_customer_is_explained_against_the_runner_up() {
        let t = groups_table();
        let r = Recipe::new(vec!["spend".into(), "visits".into()]).with_k(3);
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        let all = s.why_all(&t).unwrap();
        assert_eq!(all.len(), t.n_rows());
        for (row, why) in all.iter().enumerate() {
            let why = why.as_ref().unwrap();
            assert_eq!(Some(why.segment), s.labels[row]);
            // k-means puts everyone with the nearest centre, so the runner-up is further.
            assert!(why.distance.unwrap() <= why.runner_up_distance.unwrap());
            assert_ne!(why.runner_up, Some(why.segment));
            let shares: f64 = why.reasons.iter().map(|r| r.share).sum();
            assert!(shares <= 1.0 + 1e-12 && !why.reasons.is_empty());
            // One customer alone is explained exactly as among everyone.
            assert_eq!(s.why(&t, row).unwrap().as_ref(), Some(why));
        }
        let sentences = all[0].as_ref().unwrap().sentences(&s.names());
        assert!(sentences[0].contains(&s.segments[s.labels[0].unwrap()].name));

        // Mixtures compare probabilities; k-prototypes also weighs the channel.
        let r = r.with_algorithm(Algorithm::from_id("gmm").unwrap());
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        let why = s.why(&t, 0).unwrap().unwrap();
        assert!(why.probability.unwrap() >= why.runner_up_probability.unwrap());
        let mut r = Recipe::new(vec!["spend".into()])
            .with_algorithm(Algorithm::from_id("kprototypes").unwrap())
            .with_k(2);
        r.categorical = vec!["channel".into()];
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        assert!(s.why_all(&t).unwrap().iter().all(Option::is_some));
    }

    #[test]
    fn names_the_user_gave_replace_segmentas_in_files_and_report() {
        let t = groups_table();
        let mut r = Recipe::new(vec!["spend".into(), "visits".into()]).with_k(3);
        let automatic = segment(&t, &r, &mut NoProgress).unwrap().names();
        r.names.insert(1, "  Weekend   regulars ".into());
        r.names.insert(7, "No such segment".into());
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        assert_eq!(s.names()[1], "Weekend regulars");
        assert_eq!(
            s.segments[1].automatic_name.as_deref(),
            Some(automatic[1].as_str())
        );
        assert_eq!(
            (&s.names()[0], &s.names()[2]),
            (&automatic[0], &automatic[2])
        );
        let csv = String::from_utf8(s.labels_csv(&t)).unwrap();
        assert!(csv.contains(",1,Weekend regulars\n"), "{csv}");
        assert_eq!(s.report().segments[1].name, "Weekend regulars");

        r.names.insert(2, automatic[0].to_uppercase());
        let e = segment(&t, &r, &mut NoProgress).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "Two segments would both be called “{}”. Give each segment its own name.",
                automatic[0].to_uppercase()
            )
        );
    }

    #[test]
    fn a_saved_model_assigns_the_same_customers_to_the_same_segments() {
        let t = groups_table();
        for id in ["kmeans", "gmm", "dbscan", "hierarchical", "kprototypes"] {
            let mut r = Recipe::new(vec!["spend".into(), "visits".into()])
                .with_algorithm(Algorithm::from_id(id).unwrap());
            if id != "dbscan" {
                r = r.with_k(3);
            }
            if id == "kprototypes" {
                r.categorical = vec!["channel".into()];
            }
            let s = segment(&t, &r, &mut NoProgress).unwrap();
            r.model = Some(Box::new(s.fitted()));
            let json = r.to_json();
            assert!(
                !json.contains("\"labels\": [\n"),
                "{id}: per-customer labels saved"
            );
            let loaded = Recipe::from_json(&json).unwrap();
            let applied = loaded.model.unwrap().apply(&t).unwrap();
            assert_eq!(applied.labels, s.labels, "{id}");
            let sizes: Vec<usize> = s.segments.iter().map(|p| p.size).collect();
            assert_eq!(applied.sizes, sizes, "{id}");
            assert!(applied.drift.iter().all(|d| d.psi.abs() < 1e-12), "{id}");
            assert!(!applied.refit_advised());
            assert_eq!(applied.probability.is_some(), id == "gmm");
            // Described like a fresh run: the same segments, names, sizes and scores.
            let fitted = loaded_model(&json);
            let (again, _) =
                segment_with(&t, &loaded_recipe(&json), &fitted, &mut NoProgress).unwrap();
            assert_eq!(again.labels, s.labels, "{id}");
            assert_eq!(again.names(), s.names(), "{id}");
            assert_eq!(again.segments.len(), s.segments.len(), "{id}");
            for (a, b) in again.segments.iter().zip(&s.segments) {
                assert_eq!(a.size, b.size, "{id}");
                assert!(
                    a.means
                        .iter()
                        .zip(&b.means)
                        .all(|(x, y)| (x - y).abs() < 1e-9)
                );
            }
            assert!(
                (again.scores.silhouette - s.scores.silhouette).abs() < 1e-9,
                "{id}"
            );
            assert_eq!(again.confidence.is_some(), id == "gmm");
            assert_eq!(again.fitted().model, fitted.model, "{id}");
        }
    }

    fn loaded_recipe(json: &str) -> Recipe {
        Recipe::from_json(json).unwrap()
    }

    fn loaded_model(json: &str) -> Fitted {
        *loaded_recipe(json).model.unwrap()
    }

    #[test]
    fn saved_segments_describe_next_months_customers_with_their_names() {
        let t = groups_table();
        // Four segments: the three groups and the far-off customer.
        let mut r = Recipe::new(vec!["spend".into(), "visits".into()]).with_k(4);
        r.names.insert(0, "Regulars".into());
        let s = segment(&t, &r, &mut NoProgress).unwrap();
        let fitted = s.fitted();
        // Next month: the customers who spend least did not come back.
        let spend = t.column("spend").unwrap();
        let kept: Vec<usize> = (0..t.n_rows())
            .filter(|&i| spend.number_at(i) > 50.0)
            .collect();
        let next = t.take_rows(&kept);
        let (result, applied) = segment_with(&next, &r, &fitted, &mut NoProgress).unwrap();
        assert_eq!(result.labels, fitted.apply(&next).unwrap().labels);
        assert_eq!(result.labels, applied.labels);
        assert_eq!(result.names(), fitted.names);
        let empty: Vec<&SegmentProfile> = result.segments.iter().filter(|p| p.size == 0).collect();
        assert!(!empty.is_empty(), "{:?}", applied.sizes);
        assert!(
            empty
                .iter()
                .all(|p| p.description[0].starts_with("No customer"))
        );
        assert!(applied.drift.iter().any(|d| d.psi > PSI_SHIFT));

        // Everyone in one segment: a sentence, not a panic.
        let one = t.take_rows(&[kept[0]]);
        let e = segment_with(&one, &r, &fitted, &mut NoProgress).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Every customer in this file falls in one saved segment, “"),
            "{e}"
        );
    }

    #[test]
    fn k_below_two_is_refused() {
        let t = read_bytes(b"a\n1\n2\n3\n", &ReadOptions::default())
            .unwrap()
            .table;
        let e = segment(&t, &Recipe::for_table(&t).with_k(1), &mut NoProgress).unwrap_err();
        assert_eq!(e.to_string(), "Choose at least 2 segments (you chose 1).");
    }

    #[test]
    fn k_above_rows_is_refused_with_advice() {
        let t = read_bytes(b"a\n1\n2\n3\n", &ReadOptions::default())
            .unwrap()
            .table;
        let e = segment(&t, &Recipe::for_table(&t).with_k(5), &mut NoProgress).unwrap_err();
        assert_eq!(
            e.to_string(),
            "You asked for 5 segments but there are only 3 customers. Choose at most 3 segments."
        );
    }
}
