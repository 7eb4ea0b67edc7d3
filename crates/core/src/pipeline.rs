//! Running the stages for a recipe: table → features → clustering → scores → profiles.

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::cluster::{ClusterError, KMeans, KMeansParams};
use crate::explain::{Overall, SegmentProfile, profile};
use crate::features::dataset::{Dataset, Source, build};
use crate::features::orders::OrderOptions;
use crate::features::{Imputed, Preprocessor};
use crate::metrics::{Scores, scores};
use crate::progress::{Progress, Scaled, Stage};
use crate::recipe::{Clustering, Recipe};
use crate::table::Table;

/// The result of segmenting a customer table.
#[derive(Debug, Clone)]
pub struct Segmentation {
    /// Feature names, in order (one-hot features read `column = value`).
    pub features: Vec<String>,
    /// Segment of each input row, in input order; `None` for customers left out.
    pub labels: Vec<Option<usize>>,
    /// One profile per segment, largest first.
    pub segments: Vec<SegmentProfile>,
    /// Means and spreads of the segmented customers.
    pub overall: Overall,
    /// Quality scores (computed on the prepared features).
    pub scores: Scores,
    /// Missing values filled or dropped.
    pub imputed: Vec<Imputed>,
    /// Other notes on preparation.
    pub notes: Vec<String>,
    /// The fitted model, in prepared units.
    pub model: KMeans,
    /// The fitted preparation.
    pub preprocessor: Preprocessor,
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

/// Segments `table` as `recipe` says.
pub fn segment(
    table: &Table,
    recipe: &Recipe,
    progress: &mut dyn Progress,
) -> Result<Segmentation, Error> {
    let Clustering::Kmeans { k, n_init, seed } = recipe.clustering;
    if k < 2 {
        return Err(ClusterError::TooFewClusters { k, min: 2 }.into());
    }
    progress.report(Stage::Features, 0.0)?;
    let (preprocessor, matrix) = Preprocessor::fit(table, &recipe.features, &recipe.one_hot)?;
    progress.report(Stage::Features, 1.0)?;
    let params = KMeansParams::new(k).n_init(n_init).seed(seed).check()?;
    let model = params.fit(matrix.scaled.view(), progress)?;
    let fitted = model.labels().to_vec();
    let scores = scores(
        matrix.scaled.view(),
        &fitted,
        seed,
        &mut Scaled::new(progress, 0.0, 1.0),
    )?;
    let (segments, overall) = profile(matrix.raw.view(), &fitted, k, &matrix.names);
    let mut labels = vec![None; table.n_rows()];
    for (&row, &label) in matrix.rows.iter().zip(&fitted) {
        labels[row] = Some(label);
    }
    Ok(Segmentation {
        features: matrix.names,
        labels,
        segments,
        overall,
        scores,
        imputed: matrix.imputed,
        notes: matrix.notes,
        model,
        preprocessor,
    })
}

/// The machine-readable report written by `segmenta run --report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Input rows.
    pub rows: usize,
    /// Rows given a segment.
    pub segmented: usize,
    /// Algorithm name.
    pub algorithm: String,
    /// Number of segments.
    pub k: usize,
    /// Feature names.
    pub features: Vec<String>,
    /// Quality scores.
    pub metrics: ReportMetrics,
    /// Segments, largest first.
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
    /// k-means inertia (scaled units).
    pub inertia: f64,
    /// Rows used for the silhouette when sampled.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub silhouette_sample: Option<usize>,
}

/// One segment in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSegment {
    /// Segment number.
    pub id: usize,
    /// Name.
    pub name: String,
    /// Customers in it.
    pub size: usize,
    /// Mean of each feature, in original units.
    pub centroid: serde_json::Map<String, serde_json::Value>,
}

impl Segmentation {
    /// Segment names, indexed by segment number.
    pub fn names(&self) -> Vec<String> {
        self.segments.iter().map(|s| s.name.clone()).collect()
    }

    /// The report for this segmentation.
    pub fn report(&self) -> Report {
        Report {
            rows: self.labels.len(),
            segmented: self.labels.iter().filter(|l| l.is_some()).count(),
            algorithm: "kmeans".into(),
            k: self.segments.len(),
            features: self.features.clone(),
            metrics: ReportMetrics {
                silhouette: self.scores.silhouette,
                calinski_harabasz: self.scores.calinski_harabasz,
                davies_bouldin: self.scores.davies_bouldin,
                inertia: self.model.inertia(),
                silhouette_sample: self.scores.silhouette_sample,
            },
            segments: self
                .segments
                .iter()
                .map(|s| ReportSegment {
                    id: s.id,
                    name: s.name.clone(),
                    size: s.size,
                    centroid: self
                        .features
                        .iter()
                        .zip(&s.means)
                        .map(|(f, m)| (f.clone(), serde_json::json!(m)))
                        .collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
