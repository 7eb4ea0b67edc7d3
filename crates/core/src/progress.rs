//! Progress reporting and cancellation for long stages.
//!
//! Long loops call [`Progress::report`] every so often; the caller (the web worker, the CLI)
//! decides what to show and answers whether to go on. Returning `Err(Cancelled)` stops the
//! work at the next check without leaving anything half-updated.

use serde::{Deserialize, Serialize};

/// A named step of the pipeline, shown to the user next to the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading and decoding the file.
    Reading,
    /// Splitting records and typing columns.
    Parsing,
    /// Building the feature matrix.
    Features,
    /// Fitting the clustering model.
    Clustering,
    /// Computing quality scores.
    Scoring,
    /// Trying several numbers of segments.
    Comparing,
    /// Writing an export.
    Exporting,
    /// Laying out the neighbour map (UMAP).
    Mapping,
}

impl Stage {
    /// The words shown next to the progress bar.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "Reading the file",
            Stage::Parsing => "Understanding the columns",
            Stage::Features => "Preparing customer features",
            Stage::Clustering => "Finding segments",
            Stage::Scoring => "Checking segment quality",
            Stage::Comparing => "Comparing numbers of segments",
            Stage::Exporting => "Writing the export",
            Stage::Mapping => "Drawing the neighbour map",
        }
    }
}

/// Returned by a [`Progress`] sink to stop the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// Receives progress from long-running stages.
pub trait Progress {
    /// `fraction` is in `0.0..=1.0` within `stage`. Return `Err(Cancelled)` to stop.
    fn report(&mut self, stage: Stage, fraction: f64) -> Result<(), Cancelled>;
}

/// A sink that ignores progress and never cancels.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&mut self, _: Stage, _: f64) -> Result<(), Cancelled> {
        Ok(())
    }
}

impl<F: FnMut(Stage, f64) -> Result<(), Cancelled>> Progress for F {
    fn report(&mut self, stage: Stage, fraction: f64) -> Result<(), Cancelled> {
        self(stage, fraction)
    }
}

/// Maps a sub-task's `0..1` onto a slice `[start, start + span]` of the caller's stage,
/// so nested loops report one continuous bar.
pub struct Scaled<'a> {
    inner: &'a mut dyn Progress,
    start: f64,
    span: f64,
}

impl<'a> Scaled<'a> {
    /// Wraps `inner`, mapping `0..1` to `start..start + span`.
    pub fn new(inner: &'a mut dyn Progress, start: f64, span: f64) -> Self {
        Scaled { inner, start, span }
    }
}

impl Progress for Scaled<'_> {
    fn report(&mut self, stage: Stage, fraction: f64) -> Result<(), Cancelled> {
        self.inner
            .report(stage, self.start + self.span * fraction.clamp(0.0, 1.0))
    }
}

/// Like [`Scaled`], but reports every sub-task under one `stage`, so a step made of
/// several kinds of work (fitting, then scoring) shows one label and one bar.
pub struct Within<'a> {
    inner: &'a mut dyn Progress,
    stage: Stage,
    start: f64,
    span: f64,
}

impl<'a> Within<'a> {
    /// Wraps `inner`, mapping `0..1` of any stage to `start..start + span` of `stage`.
    pub fn new(inner: &'a mut dyn Progress, stage: Stage, start: f64, span: f64) -> Self {
        Within {
            inner,
            stage,
            start,
            span,
        }
    }
}

impl Progress for Within<'_> {
    fn report(&mut self, _: Stage, fraction: f64) -> Result<(), Cancelled> {
        self.inner.report(
            self.stage,
            self.start + self.span * fraction.clamp(0.0, 1.0),
        )
    }
}
