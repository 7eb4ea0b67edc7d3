//! Messages between the page and the Web Worker.
//!
//! The page sends a [`Request`] (plus, for uploads, the `File` objects themselves, which the
//! browser hands over without copying); the worker answers with [`Response`]s: progress
//! while it works, then results or a failure, then [`Response::Idle`]. Both sides encode
//! with `serde-wasm-bindgen`. Customer rows never cross this boundary in bulk: the page gets
//! previews, summaries and finished export files only.

use segmenta_core::cluster::Sweep;
use segmenta_core::date::DateOrder;
use segmenta_core::explain::{Overall, SegmentProfile};
use segmenta_core::features::btyd::TimeUnit;
use segmenta_core::features::roles::FilePlan;
use segmenta_core::features::{Candidate, Imputed};
use segmenta_core::ingest::{Problem, ReadOptions, Separator, TextEncoding};
use segmenta_core::metrics::Scores;
use segmenta_core::progress::Stage;
use segmenta_core::recipe::Recipe;
use segmenta_core::table::{ColumnKind, Decimal};
use serde::{Deserialize, Serialize};

/// What the page asks the worker to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Generate and load the built-in sample data (a customer list and an order log).
    LoadSample,
    /// Read the files sent alongside this request.
    LoadFiles,
    /// Read a loaded file again with other reading options.
    Reparse {
        /// Index of the file, as in [`FileView::index`].
        index: usize,
        /// The options to read with.
        options: ReadOptions,
    },
    /// Forget a loaded file.
    Remove {
        /// Index of the file.
        index: usize,
    },
    /// Change what a file is and which column plays which part.
    SetPlan {
        /// Index of the file.
        index: usize,
        /// The plan.
        plan: FilePlan,
    },
    /// Change the analysis date (`YYYY-MM-DD`, or none for the day after the last order)
    /// and the time unit of the lifetime-value summary.
    SetDataOptions {
        /// Analysis date.
        as_of: Option<String>,
        /// Unit.
        unit: TimeUnit,
    },
    /// Stop the current work (reading stops between chunks; nothing loaded is lost).
    Cancel,
    /// Draw the neighbour map (UMAP) of the last result; frames arrive as it refines.
    NeighbourMap,
    /// How the page writes numbers (the browser's language), so that the sentences the
    /// worker writes match. Sent once, first; handled at once, like `Cancel`.
    NumberStyle {
        /// Separators of the page's language.
        style: segmenta_core::numbers::NumberStyle,
    },
    /// Segment the customers.
    Run {
        /// Everything the user chose.
        recipe: Recipe,
    },
    /// Build the labelled CSV of the last result.
    ExportLabels {
        /// Columns to add back (contact details the user chose).
        #[serde(default)]
        attach: Vec<String>,
    },
    /// Build the recipe file with the last result's fitted segments in it (so that the
    /// CLI's `segmenta apply` can assign next month's customers to them).
    SaveRecipe {
        /// The choices that produced the last result.
        recipe: Recipe,
    },
    /// Use these rule segments and campaign priority for the last result and its exports.
    SetRules {
        /// Rule segments.
        rules: Vec<segmenta_core::rules::RuleSegment>,
        /// Segment names, first wins a customer's campaign.
        priority: Vec<String>,
    },
    /// Build a file for another tool from the last result.
    ExportPreset {
        /// Which tool.
        preset: segmenta_core::export::presets::Preset,
        /// Country calling code for phone numbers written without one (ad audiences).
        country_code: Option<String>,
    },
    /// Build a zip with one labelled CSV per segment.
    ExportSegmentLists {
        /// Columns to add back (contact details the user chose).
        #[serde(default)]
        attach: Vec<String>,
    },
    /// Build the printable report (HTML).
    ExportReport,
    /// Explain why one customer of the last result is in their segment.
    Explain {
        /// The customer's id (or `row N` when the table has no id column).
        customer: String,
    },
    /// Name the segments of the last result: one name per segment, in order; a blank name
    /// brings back Segmenta's own.
    Rename {
        /// The names.
        names: Vec<String>,
    },
    /// Put the customers into the segments saved in a recipe, without refitting.
    Apply {
        /// The recipe, with its `model`.
        recipe: Recipe,
    },
    /// Compare the last result (from saved segments) with the previous labelled CSV sent
    /// alongside this request.
    Compare,
    /// Time k-means, a Gaussian mixture or the quality scores on generated data, in this
    /// worker alone and shared with helper workers (for `cargo xtask bench`; no user data
    /// is touched).
    TimeWorkers {
        /// What to time.
        #[serde(default)]
        work: Workload,
        /// Generated customers.
        rows: usize,
        /// Features.
        features: usize,
        /// Segments.
        k: usize,
        /// Lloyd or EM steps.
        steps: usize,
    },
}

/// What [`Request::TimeWorkers`] times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    /// Lloyd steps of k-means.
    #[default]
    Kmeans,
    /// EM steps of a full-covariance Gaussian mixture.
    Mixture,
    /// The quality scores of a segmentation (sampled silhouette, Calinski-Harabasz,
    /// Davies-Bouldin, inertia).
    Scores,
    /// The comparison of k-means with 2 to `steps` + 1 segments (on a sample of 10,000
    /// customers when there are more).
    Compare,
}

/// Seconds a [`Workload`] takes on the same data from the same start, in one worker and
/// shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerTimes {
    /// Workers the shared fit used (this one and its helpers).
    pub workers: usize,
    /// Seconds per step in this worker alone (the scores: seconds for all of them).
    pub alone: f64,
    /// Seconds per step shared.
    pub shared: f64,
    /// Seconds of a fit besides its steps, alone (checks, single-precision copy).
    pub alone_fixed: f64,
    /// The same, shared (also handing the rows over and gathering the segments).
    pub shared_fixed: f64,
    /// Whether both found the same segments, parameters or scores, bit for bit.
    pub same: bool,
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// The worker has started and can take requests.
    Ready,
    /// Work in progress.
    Progress {
        /// The step.
        stage: Stage,
        /// Fraction done within the step, `0..=1`.
        fraction: f64,
    },
    /// The loaded files changed: every file, in load order.
    Files {
        /// The files.
        files: Vec<FileView>,
    },
    /// The customer table built from the files (or why it could not be built).
    Dataset(Box<DatasetView>),
    /// A segmentation finished.
    Segmented(Box<ResultView>),
    /// An export file is ready to download.
    Exported {
        /// Suggested file name.
        file_name: String,
        /// File contents.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
        /// Something the user should know about the file (customers left out), in words.
        #[serde(default)]
        note: Option<String>,
    },
    /// Why one customer is in their segment (or why they could not be found).
    Explained(Box<WhyView>),
    /// How many customers each rule segment and campaign reaches.
    RuleCounts(Box<RuleCountsView>),
    /// Who moved between segments since the previous labelled export.
    Migrated(Box<MigrationView>),
    /// The neighbour map, as it refines (`done: false`) and finished.
    NeighbourMap(Box<NeighbourMapView>),
    /// The segments' names after a rename, in segment order.
    Renamed {
        /// Each segment's name and, when the user renamed it, Segmenta's own.
        segments: Vec<SegmentName>,
    },
    /// Made by the page itself, never sent by the worker: the worker died (`message` is
    /// the browser's error), and is being replaced.
    Crashed {
        /// What the browser reported.
        message: String,
    },
    /// The request could not be done; `message` says why in plain words.
    Failed {
        /// What went wrong and what to do.
        message: String,
    },
    /// The current work was stopped at the user's request; nothing was changed.
    Cancelled,
    /// The worker finished the request and is waiting for the next one.
    Idle,
    /// Answer to [`Request::TimeWorkers`].
    Timed(WorkerTimes),
}

/// A message with the number of the request it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Request number chosen by the page.
    pub id: u32,
    /// The message.
    pub body: T,
}

/// A loaded file: how it was read, what it is, and its first rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    /// Position among the loaded files.
    pub index: usize,
    /// How many times the file has been read again with other options.
    pub revision: u32,
    /// File name.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Data rows.
    pub rows: usize,
    /// Encoding used, e.g. "UTF-8".
    pub encoding: String,
    /// Delimiter in words, e.g. "semicolon".
    pub delimiter: String,
    /// Whether the first row held column names.
    pub has_header: bool,
    /// Decimal separator, e.g. ",".
    pub decimal: String,
    /// Problems found, with row numbers.
    pub problems: Vec<Problem>,
    /// Total problems found.
    pub problem_count: u64,
    /// Renamed header cells.
    pub renamed: Vec<(String, String)>,
    /// Sentences about columns read as the user chose: cells that could not be read so,
    /// and chosen names the file has no column for.
    pub notes: Vec<String>,
    /// The reading options the user set (`None` fields were detected).
    pub options: ReadOptions,
    /// What was detected or used for each reading option.
    pub detected: Detected,
    /// Time taken to read the file, in milliseconds.
    pub read_ms: f64,
    /// Part of `read_ms` spent waiting for the browser to hand over the file's bytes.
    pub wait_ms: f64,
    /// Workers the file was read by at once (1: the engine alone; 0 when not read here).
    pub read_parts: usize,
    /// The worker's WebAssembly memory after reading, in bytes (0 natively).
    pub memory_bytes: u64,
    /// What the file is and which column plays which part.
    pub plan: FilePlan,
    /// The guess about the file, in words.
    pub guess: String,
    /// Its columns.
    pub columns: Vec<ColumnView>,
    /// Its first rows as display text.
    pub preview: Vec<Vec<String>>,
}

/// The reading settings in effect for a file, whether detected or chosen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Detected {
    /// Field separator.
    pub separator: Separator,
    /// Text encoding.
    pub encoding: TextEncoding,
    /// Whether the first row holds column names.
    pub has_header: bool,
    /// Decimal separator.
    pub decimal: Decimal,
    /// Day/month order for ambiguous dates.
    pub date_order: DateOrder,
}

/// A column as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnView {
    /// Column name.
    pub name: String,
    /// Kind.
    pub kind: ColumnKind,
    /// Missing cells.
    pub missing: usize,
    /// Distinct values.
    pub distinct: usize,
    /// Kind of personal data, if any, in words.
    pub pii: Option<String>,
}

/// The customer table built from the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetView {
    /// Why there is no customer table, if there is none.
    pub error: Option<String>,
    /// Customers.
    pub rows: usize,
    /// The file the customers come from.
    pub base: String,
    /// What was done: cleaning rules applied, files joined.
    pub notes: Vec<String>,
    /// The analysis date used, `YYYY-MM-DD` (when there is an order or event log).
    pub as_of: Option<String>,
    /// Whether the user set the analysis date (else it is the day after the last order).
    pub as_of_chosen: bool,
    /// Unit of the lifetime-value summary.
    pub unit: TimeUnit,
    /// The customer table's columns.
    pub columns: Vec<ColumnView>,
    /// Its first rows.
    pub preview: Vec<Vec<String>>,
    /// Which columns can be features, with meanings.
    pub candidates: Vec<Candidate>,
    /// A small histogram of each numeric column, for the feature list.
    pub histograms: Vec<Histogram>,
    /// The default recipe for this table (features with their default preparation).
    pub default_recipe: Recipe,
    /// The column used as customer id in exports, if any.
    pub id_column: Option<String>,
}

/// Counts of a numeric column's values in equal-width bins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Column name.
    pub column: String,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Values per bin, from `min` to `max`.
    pub counts: Vec<u32>,
}

/// A finished segmentation, summarized for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultView {
    /// Customers in the table.
    pub rows: usize,
    /// Customers given a segment.
    pub segmented: usize,
    /// Feature names.
    pub features: Vec<String>,
    /// Categorical columns compared as categories (k-prototypes).
    #[serde(default)]
    pub categories: Vec<String>,
    /// The algorithm's name, as shown.
    pub algorithm: String,
    /// Number of segments (outliers not counted).
    pub k: usize,
    /// Segments, largest first (then the outliers, if any).
    pub segments: Vec<SegmentProfile>,
    /// The comparison of numbers of segments, when k was automatic.
    #[serde(default)]
    pub sweep: Option<Sweep>,
    /// The DBSCAN radius used.
    #[serde(default)]
    pub eps: Option<f64>,
    /// Average probability of each customer's own segment (Gaussian mixtures).
    #[serde(default)]
    pub mean_confidence: Option<f64>,
    /// Population means and spreads.
    pub overall: Overall,
    /// Quality scores.
    pub scores: Scores,
    /// Missing values filled.
    pub imputed: Vec<Imputed>,
    /// Other notes on preparation.
    pub notes: Vec<String>,
    /// Where the customers come from.
    pub base: String,
    /// The customers on a map.
    #[serde(default)]
    pub map: Option<MapView>,
    /// Each segment's silhouette values (of the scored customers), highest first.
    #[serde(default)]
    pub silhouettes: Vec<Vec<f32>>,
    /// DBSCAN's k-distance curve, for choosing the neighbourhood distance.
    #[serde(default)]
    pub k_distances: Option<KDistanceView>,
    /// Box plot numbers, `[profile][feature]`.
    #[serde(default)]
    pub distributions: Vec<Vec<Option<segmenta_core::explain::BoxStats>>>,
    /// The top of the hierarchical merge tree.
    #[serde(default)]
    pub dendrogram: Option<crate::charts::dendrogram::Dendrogram>,
    /// Customers and value per recency × frequency score cell, when the data has them.
    #[serde(default)]
    pub rfm_grid: Option<segmenta_core::explain::rfm::RfmGrid>,
    /// Churn risk and lifetime value, when the customers come from an order log.
    #[serde(default)]
    pub lifetime: Option<LifetimeView>,
    /// How each category column (a possible sensitive attribute) spreads over the segments.
    #[serde(default)]
    pub compositions: Vec<segmenta_core::explain::fairness::Composition>,
    /// When the customers were put into a recipe's saved segments: how they compare with
    /// the customers the segments were made from.
    #[serde(default)]
    pub kept: Option<KeptView>,
}

/// Saved segments applied to new customers, compared with when they were made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptView {
    /// Customers per segment when the segments were made, in segment order.
    pub sizes_then: Vec<usize>,
    /// Each feature's population stability index, largest first.
    pub drift: Vec<segmenta_core::apply::Drift>,
    /// The drift in sentences.
    pub drift_sentences: Vec<String>,
    /// Whether a feature moved enough that the segments should be made again.
    pub refit_advised: bool,
}

/// Who moved between segments since the previous labelled export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MigrationView {
    /// The previous export's file name.
    pub file: String,
    /// From → to counts.
    pub migration: segmenta_core::apply::Migration,
    /// The largest moves in sentences, after a summary.
    pub sentences: Vec<String>,
}

/// Why one customer is in their segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhyView {
    /// The customer as the user asked for them.
    pub customer: String,
    /// The explanation, when the customer was found and segmented.
    pub why: Option<segmenta_core::explain::why::Why>,
    /// The explanation in words: a verdict, then one sentence per feature.
    pub sentences: Vec<String>,
    /// Why there is no explanation.
    pub message: Option<String>,
}

/// Rule segment sizes and campaign reach.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RuleCountsView {
    /// Per rule segment, in order: its customers, or why it cannot be evaluated.
    pub rules: Vec<RuleCount>,
    /// Customers per primary campaign, in priority order (campaigns reaching nobody left
    /// out).
    pub reach: Vec<(String, usize)>,
    /// Customers in no segment at all.
    pub unreached: usize,
}

/// One rule segment's size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleCount {
    /// Its name.
    pub name: String,
    /// Customers in it.
    pub customers: Option<usize>,
    /// Why it cannot be evaluated.
    pub error: Option<String>,
}

/// A segment's name after renaming.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentName {
    /// The name shown.
    pub name: String,
    /// Segmenta's own name, when the user gave another.
    pub automatic_name: Option<String>,
}

/// Churn risk and lifetime value by segment, or why they could not be predicted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifetimeView {
    /// How far ahead, in days.
    pub horizon_days: f64,
    /// Discount rate per 30-day month.
    pub monthly_discount_rate: f64,
    /// The fitted purchase model.
    pub bgnbd:
        Option<segmenta_core::explain::lifetime::Fitted<segmenta_core::explain::lifetime::BgNbd>>,
    /// The fitted spend model.
    pub gamma_gamma: Option<
        segmenta_core::explain::lifetime::Fitted<segmenta_core::explain::lifetime::GammaGamma>,
    >,
    /// Reasons to distrust the predictions.
    pub warnings: Vec<String>,
    /// Why nothing could be predicted (the models did not fit), instead of the numbers.
    pub unavailable: Option<String>,
    /// Per segment profile, in the order of `ResultView::segments`.
    pub segments: Vec<SegmentValue>,
    /// All customers together.
    pub all: SegmentValue,
}

/// A group's predicted value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentValue {
    /// Customers with predictions.
    pub customers: usize,
    /// Average probability of still being active.
    pub p_alive: f64,
    /// Average expected purchases over the horizon.
    pub expected_purchases: f64,
    /// Average lifetime value over the horizon.
    pub clv: f64,
    /// Sum of lifetime values over the horizon.
    pub clv_total: f64,
    /// Customers flagged at risk.
    pub at_risk: usize,
}

/// The sorted distances from each customer to their `min_samples`-th nearest neighbour
/// (at most [`CURVE_POINTS`] of them, evenly spaced), with the suggested and used radius.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KDistanceView {
    /// `(share of customers, distance)`, ascending.
    pub curve: Vec<(f32, f32)>,
    /// The radius at the curve's knee.
    pub suggested: f64,
    /// The radius the segmentation used.
    pub used: f64,
    /// Customers the curve was computed on.
    pub customers: usize,
}

/// Points of a curve sent to the page at most.
pub const CURVE_POINTS: usize = 400;

/// The customers on a map (the first two principal components), ready to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapView {
    /// `x, y` of each shown customer, interleaved.
    #[serde(with = "crate::packed::f32s")]
    pub points: Vec<f32>,
    /// Profile index of each shown customer (the outlier group is the last profile).
    #[serde(with = "crate::packed::u16s")]
    pub segments: Vec<u16>,
    /// Customer id (or row number) of each shown customer.
    pub ids: crate::packed::PackedStrings,
    /// What each axis mostly measures.
    pub x_title: String,
    /// What the vertical axis mostly measures.
    pub y_title: String,
    /// Customers on the map in all (more than are shown when sampled).
    pub total: usize,
    /// Per profile, the features that set it apart most (at most [`HOVER_FEATURES`]).
    #[serde(default)]
    pub hover_features: Vec<Vec<String>>,
    /// Per shown customer, their values of their segment's `hover_features`
    /// ([`HOVER_FEATURES`] per customer, `None` where there is none).
    #[serde(default, with = "crate::packed::optional_f32s")]
    pub hover_values: Vec<Option<f32>>,
}

/// The customers of the map on a neighbour map (UMAP) instead of principal components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourMapView {
    /// `x, y` of each shown customer, interleaved, in the order of [`MapView::points`].
    #[serde(with = "crate::packed::f32s")]
    pub points: Vec<f32>,
    /// Whether the layout is finished (else it is still refining).
    pub done: bool,
    /// What the user should know (a sample laid out, the rest placed by neighbours).
    pub note: Option<String>,
}

/// Features named in the map's hover text.
pub const HOVER_FEATURES: usize = 3;

/// Customers drawn at most; beyond, an even sample (every n-th) is drawn and the page says so.
pub const MAP_POINTS: usize = 200_000;

#[cfg(test)]
mod tests {
    use super::*;
    use segmenta_core::features::btyd::TimeUnit;

    /// Every message survives encoding (serde's tagged enums reject some shapes, which
    /// would otherwise only show up in the browser).
    #[test]
    fn every_message_round_trips() {
        let requests = vec![
            Request::LoadSample,
            Request::LoadFiles,
            Request::Reparse {
                index: 1,
                options: ReadOptions::default(),
            },
            Request::Remove { index: 0 },
            Request::SetPlan {
                index: 0,
                plan: FilePlan::Customers {
                    customer: Some("id".into()),
                },
            },
            Request::SetDataOptions {
                as_of: Some("2025-01-01".into()),
                unit: TimeUnit::Weeks,
            },
            Request::Cancel,
            Request::NeighbourMap,
            Request::NumberStyle {
                style: segmenta_core::numbers::NumberStyle {
                    group: '\u{202f}',
                    decimal: ',',
                },
            },
            Request::Run {
                recipe: Recipe::new(vec!["a".into()]),
            },
            Request::ExportLabels {
                attach: vec!["email".into()],
            },
            Request::Explain {
                customer: "C1".into(),
            },
            Request::ExportPreset {
                preset: segmenta_core::export::presets::Preset::AdsHashed,
                country_code: Some("44".into()),
            },
            Request::ExportSegmentLists { attach: Vec::new() },
            Request::ExportReport,
            Request::SetRules {
                rules: vec![segmenta_core::rules::RuleSegment {
                    name: "Win back".into(),
                    rule: serde_json::from_str(r#"{"all": [{"no_purchase_in_days": 90}, {"column": "x", "op": ">=", "value": 2}]}"#).unwrap(),
                }],
                priority: vec!["Win back".into()],
            },
            Request::SaveRecipe {
                recipe: Recipe::new(vec!["a".into()]),
            },
            Request::Rename {
                names: vec!["VIP".into(), String::new()],
            },
            Request::Apply {
                recipe: Recipe::new(vec!["a".into()]),
            },
            Request::Compare,
        ];
        for r in requests {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<Request>(&json).unwrap(), r);
        }
        let mut session = crate::session::Session::default();
        session
            .load(
                "a.csv",
                b"id,x\n1,2\n2,5\n3,9\n",
                &ReadOptions::default(),
                &mut segmenta_core::progress::NoProgress,
            )
            .unwrap();
        let responses = vec![
            Response::Ready,
            Response::Progress {
                stage: Stage::Reading,
                fraction: 0.5,
            },
            Response::Files {
                files: session.files_view(),
            },
            Response::Dataset(Box::new(session.dataset_view().unwrap())),
            Response::Exported {
                file_name: "x.csv".into(),
                bytes: vec![1, 2],
                note: Some("2 left out".into()),
            },
            Response::Crashed {
                message: "RuntimeError: unreachable".into(),
            },
            Response::Failed {
                message: "no".into(),
            },
            Response::Renamed {
                segments: vec![SegmentName {
                    name: "VIP".into(),
                    automatic_name: Some("Champions".into()),
                }],
            },
            Response::Explained(Box::new(WhyView {
                customer: "x".into(),
                why: None,
                sentences: vec![],
                message: Some("No customer has the id x.".into()),
            })),
            Response::RuleCounts(Box::new(RuleCountsView {
                rules: vec![RuleCount {
                    name: "Win back".into(),
                    customers: Some(3),
                    error: None,
                }],
                reach: vec![("Win back".into(), 3)],
                unreached: 1,
            })),
            Response::NeighbourMap(Box::new(NeighbourMapView {
                points: vec![0.5, -1.0],
                done: false,
                note: Some("Laid out 50,000 customers.".into()),
            })),
            Response::Migrated(Box::new(MigrationView {
                file: "march.csv".into(),
                migration: segmenta_core::apply::Migration {
                    moves: vec![segmenta_core::apply::Move {
                        from: "Loyal".into(),
                        to: "At risk".into(),
                        customers: 212,
                    }],
                    customers: 212,
                    new_customers: 0,
                    gone: 3,
                },
                sentences: vec!["212 customers moved from “Loyal” to “At risk”.".into()],
            })),
            Response::Cancelled,
            Response::Idle,
        ];
        for r in responses {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<Response>(&json).unwrap(), r);
        }
    }
}
