//! Messages between the page and the Web Worker.
//!
//! The page sends a [`Request`] (plus, for uploads, the `File` objects themselves, which the
//! browser hands over without copying); the worker answers with [`Response`]s: progress
//! while it works, then one result or one failure. Both sides encode with
//! `serde-wasm-bindgen`. Customer rows never cross this boundary in bulk: the page gets
//! previews, summaries and finished export files only.

use segmenta_core::date::DateOrder;
use segmenta_core::explain::{Overall, SegmentProfile};
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
    /// Generate and load the built-in sample data.
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
    /// Stop the current work (reading stops between chunks; nothing loaded is lost).
    Cancel,
    /// Make a loaded file the one to segment.
    Select {
        /// Index of the file, as in [`FileView::index`].
        index: usize,
    },
    /// Segment the active file.
    Run {
        /// Everything the user chose.
        recipe: Recipe,
    },
    /// Build the labelled CSV of the last result.
    ExportLabels,
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
    /// A file was read (one response per file).
    Loaded(Box<DatasetView>),
    /// A segmentation finished.
    Segmented(Box<ResultView>),
    /// An export file is ready to download.
    Exported {
        /// Suggested file name.
        file_name: String,
        /// File contents.
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
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
}

/// A message with the number of the request it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Request number chosen by the page.
    pub id: u32,
    /// The message.
    pub body: T,
}

/// How a file was read, for its card.
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
    /// Columns.
    pub columns: usize,
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
    /// The reading options the user set (`None` fields were detected).
    pub options: ReadOptions,
    /// What was detected or used for each reading option.
    pub detected: Detected,
    /// Time taken to read the file, in milliseconds.
    pub read_ms: f64,
    /// Part of `read_ms` spent waiting for the browser to hand over the file's bytes.
    pub wait_ms: f64,
    /// The worker's WebAssembly memory after reading, in bytes (0 natively).
    pub memory_bytes: u64,
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

/// A loaded file: its card, columns, first rows and feature candidates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetView {
    /// How the file was read.
    pub file: FileView,
    /// Its columns.
    pub columns: Vec<ColumnView>,
    /// The first rows as display text.
    pub preview: Vec<Vec<String>>,
    /// Which columns can be features.
    pub candidates: Vec<Candidate>,
    /// The column used as customer id in exports, if any.
    pub id_column: Option<String>,
}

/// A finished segmentation, summarized for the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultView {
    /// Customers segmented.
    pub rows: usize,
    /// Feature names.
    pub features: Vec<String>,
    /// Segments, largest first.
    pub segments: Vec<SegmentProfile>,
    /// Population means and spreads.
    pub overall: Overall,
    /// Quality scores.
    pub scores: Scores,
    /// Missing values filled.
    pub imputed: Vec<Imputed>,
    /// File segmented.
    pub file_name: String,
}
