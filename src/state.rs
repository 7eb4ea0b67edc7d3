//! The page's state: one signal per fact, and the single place worker responses land.

use leptos::prelude::*;
use segmenta_core::features::{FeatureError, Scale};
use segmenta_core::recipe::Recipe;

use crate::protocol::{DatasetView, FileView, Response, ResultView};

/// Work the worker is doing, for the progress bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    /// What is happening, in words.
    pub label: String,
    /// Fraction done, when known.
    pub fraction: Option<f64>,
    /// Whether the work can be stopped with the Cancel button.
    pub cancellable: bool,
}

/// All page state. Every field is a signal, so the struct is `Copy`; components receive
/// only the fields they need.
#[derive(Debug, Clone, Copy)]
pub struct AppState {
    /// Cards of every loaded file.
    pub files: RwSignal<Vec<FileView>>,
    /// The file being segmented.
    pub dataset: RwSignal<Option<DatasetView>>,
    /// Selected feature columns.
    pub features: RwSignal<Vec<String>>,
    /// Scaling choice.
    pub scale: RwSignal<Scale>,
    /// The number-of-segments field as typed.
    pub k_text: RwSignal<String>,
    /// Current work, if any.
    pub busy: RwSignal<Option<Busy>>,
    /// The last segmentation.
    pub result: RwSignal<Option<ResultView>>,
    /// The recipe that produced `result`.
    pub result_recipe: RwSignal<Option<Recipe>>,
    /// The last error, as a sentence.
    pub error: RwSignal<Option<String>>,
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

impl AppState {
    /// Fresh state: nothing loaded, k = 4.
    pub fn new() -> Self {
        AppState {
            files: RwSignal::new(Vec::new()),
            dataset: RwSignal::new(None),
            features: RwSignal::new(Vec::new()),
            scale: RwSignal::new(Scale::Standard),
            k_text: RwSignal::new(segmenta_core::recipe::DEFAULT_K.to_string()),
            busy: RwSignal::new(None),
            result: RwSignal::new(None),
            result_recipe: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// Rows of the active file (0 when none).
    pub fn rows(&self) -> usize {
        self.dataset.with(|d| d.as_ref().map_or(0, |d| d.file.rows))
    }

    /// The recipe for the current choices, or the sentence saying what to fix.
    pub fn recipe(&self) -> Result<Recipe, String> {
        let k = parse_k(&self.k_text.get(), self.rows())?;
        let features = self.features.get();
        if features.is_empty() {
            return Err(
                "No features are selected. Tick at least one column under Features.".into(),
            );
        }
        Ok(Recipe::new(features).with_k(k).with_scale(self.scale.get()))
    }

    /// Marks work as started.
    pub fn start(&self, label: &str, cancellable: bool) {
        self.error.set(None);
        self.busy.set(Some(Busy {
            label: label.to_owned(),
            fraction: None,
            cancellable,
        }));
    }

    /// Applies a worker response (everything except downloads, which the engine handles).
    pub fn apply(&self, response: Response) {
        match response {
            Response::Ready | Response::Exported { .. } => {}
            Response::Progress { stage, fraction } => self.busy.update(|busy| {
                let cancellable = busy.as_ref().is_some_and(|b| b.cancellable);
                *busy = Some(Busy {
                    label: stage.label().to_owned(),
                    fraction: Some(fraction),
                    cancellable,
                });
            }),
            Response::Loaded(view) => {
                let card = view.file.clone();
                self.files.update(
                    |files| match files.iter_mut().find(|f| f.index == card.index) {
                        Some(existing) => *existing = card,
                        None => files.push(card),
                    },
                );
                self.features.set(
                    view.candidates
                        .iter()
                        .filter(|c| c.default)
                        .map(|c| c.name.clone())
                        .collect(),
                );
                if view.candidates.iter().all(|c| c.blocked.is_some()) {
                    self.error.set(Some(format!(
                        "{}: {}",
                        view.file.name,
                        FeatureError::NoNumericColumns
                    )));
                }
                self.result.set(None);
                self.result_recipe.set(None);
                self.dataset.set(Some(*view));
            }
            Response::Segmented(result) => self.result.set(Some(*result)),
            Response::Failed { message } => self.error.set(Some(message)),
            Response::Cancelled | Response::Idle => self.busy.set(None),
        }
    }

    /// Whether the shown result no longer matches the current choices.
    pub fn result_is_stale(&self) -> bool {
        match (self.result_recipe.get(), self.recipe()) {
            (Some(used), Ok(now)) => used != now,
            (Some(_), Err(_)) => true,
            _ => false,
        }
    }
}

/// Reads the number-of-segments field: a whole number from 2 to the number of customers.
pub fn parse_k(text: &str, rows: usize) -> Result<usize, String> {
    let k: usize = text
        .trim()
        .parse()
        .map_err(|_| "Enter the number of segments as a whole number, such as 4.".to_owned())?;
    if k < 2 {
        return Err("Choose at least 2 segments.".into());
    }
    if rows > 0 && k > rows {
        return Err(format!(
            "There are only {} customers, so choose at most {} segments.",
            crate::format::count(rows),
            crate::format::count(rows)
        ));
    }
    if k > 50 {
        return Err("Choose at most 50 segments; more would be hard to act on.".into());
    }
    Ok(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_field_validation() {
        assert_eq!(parse_k("4", 100), Ok(4));
        assert_eq!(parse_k(" 7 ", 0), Ok(7));
        assert!(parse_k("four", 100).unwrap_err().contains("whole number"));
        assert!(parse_k("1", 100).unwrap_err().contains("at least 2"));
        assert_eq!(
            parse_k("5", 3).unwrap_err(),
            "There are only 3 customers, so choose at most 3 segments."
        );
        assert!(parse_k("51", 1000).is_err());
    }

    #[test]
    fn responses_update_state() {
        let owner = Owner::new();
        owner.with(|| {
            let state = AppState::new();
            state.start("Reading", true);
            assert!(state.busy.get().is_some());
            state.apply(Response::Failed {
                message: "x".into(),
            });
            assert_eq!(state.error.get().as_deref(), Some("x"));
            state.apply(Response::Idle);
            assert!(state.busy.get().is_none());
            assert!(state.recipe().unwrap_err().contains("No features"));
        });
    }
}
