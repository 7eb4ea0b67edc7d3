//! Commands from the page to the engine in the worker, shared with components through
//! context as [`Engine`].

use js_sys::Array;
use leptos::prelude::*;
use segmenta_core::export::presets::Preset;
use segmenta_core::features::btyd::TimeUnit;
use segmenta_core::features::roles::FilePlan;
use segmenta_core::ingest::ReadOptions;
use segmenta_core::recipe::Recipe;
use web_sys::FileList;

use crate::bridge::Bridge;
use crate::download::download;
use crate::protocol::{Request, Response};
use crate::state::AppState;

/// Handle to the worker. `Copy`; get it with `expect_context::<Engine>()`.
#[derive(Clone, Copy)]
pub struct Engine {
    bridge: StoredValue<Option<Bridge>, LocalStorage>,
    pending: StoredValue<Option<Recipe>>,
    state: AppState,
}

impl Engine {
    /// Starts the worker and routes its responses into `state`.
    pub fn start(state: AppState) -> Engine {
        let pending = StoredValue::new(None::<Recipe>);
        let bridge = Bridge::spawn(move |response| match response {
            Response::Exported {
                file_name,
                bytes,
                note,
            } => {
                state.export_note.set(note);
                let mime = if file_name.ends_with(".json") {
                    "application/json"
                } else if file_name.ends_with(".html") {
                    "text/html;charset=utf-8"
                } else if file_name.ends_with(".zip") {
                    "application/zip"
                } else {
                    "text/csv;charset=utf-8"
                };
                if let Err(e) = download(&file_name, &bytes, mime) {
                    state
                        .error
                        .set(Some(format!("The download could not start ({e}).")));
                }
            }
            Response::Segmented(result) => {
                state.result_recipe.set(pending.get_value());
                state.apply(Response::Segmented(result));
                state.rule_counts.set(None);
                scroll_to("explore");
            }
            other => state.apply(other),
        });
        let bridge = match bridge {
            Ok(b) => Some(b),
            Err(e) => {
                state.error.set(Some(e));
                None
            }
        };
        Engine {
            bridge: StoredValue::new_local(bridge),
            pending,
            state,
        }
    }

    /// Sends the rule segments and priority to the worker, which counts who they reach
    /// (quietly: no progress bar, since it takes milliseconds and follows every edit).
    pub fn set_rules(&self) {
        if self.state.result.with_untracked(Option::is_none) {
            return;
        }
        let request = Request::SetRules {
            rules: self.state.rules(),
            priority: self.state.priority.get_untracked(),
        };
        let _ = self
            .bridge
            .with_value(|b| b.as_ref().map(|b| b.send(&request, None)));
    }

    fn send(&self, label: &str, request: Request, files: Option<&Array>) {
        let cancellable = matches!(
            request,
            Request::LoadFiles | Request::LoadSample | Request::Reparse { .. } | Request::Compare
        );
        self.state.start(label, cancellable);
        let sent = self
            .bridge
            .with_value(|b| b.as_ref().map(|b| b.send(&request, files)));
        let failure = match sent {
            Some(Ok(_)) => return,
            Some(Err(e)) => format!(
                "The request could not be sent to the background worker ({e}). Reload the page."
            ),
            None => "The background worker is not running. Reload the page.".to_owned(),
        };
        self.state.busy.set(None);
        self.state.error.set(Some(failure));
    }

    /// Loads the built-in sample data.
    pub fn load_sample(&self) {
        self.send("Creating the sample data", Request::LoadSample, None);
    }

    /// Loads the chosen or dropped files.
    pub fn load_files(&self, files: &FileList) {
        let array = Array::new();
        for i in 0..files.length() {
            if let Some(f) = files.get(i) {
                array.push(&f);
            }
        }
        if array.length() > 0 {
            self.send("Reading the file", Request::LoadFiles, Some(&array));
        }
    }

    /// Reads a loaded file again with other reading options.
    pub fn reparse(&self, index: usize, options: ReadOptions) {
        self.send(
            "Reading the file again",
            Request::Reparse { index, options },
            None,
        );
    }

    /// Forgets a loaded file.
    pub fn remove(&self, index: usize) {
        self.send("Removing the file", Request::Remove { index }, None);
    }

    /// Changes what a file is and which column plays which part.
    pub fn set_plan(&self, index: usize, plan: FilePlan) {
        self.send(
            "Putting the files together",
            Request::SetPlan { index, plan },
            None,
        );
    }

    /// Changes the analysis date and the lifetime-value unit.
    pub fn set_data_options(&self, as_of: Option<String>, unit: TimeUnit) {
        self.send(
            "Recomputing customer features",
            Request::SetDataOptions { as_of, unit },
            None,
        );
    }

    /// Downloads the current choices as a recipe file (no customer data in it). When the
    /// shown segments come from these choices, the worker adds them (centres, scalers,
    /// names) so that `segmenta apply` can reuse them next month.
    pub fn download_recipe(&self) {
        match self.state.recipe() {
            Ok(recipe)
                if self.state.result.with_untracked(Option::is_some)
                    && !self.state.result_is_stale() =>
            {
                self.send("Saving the recipe", Request::SaveRecipe { recipe }, None);
            }
            Ok(recipe) => {
                if let Err(e) = download(
                    crate::session::RECIPE_FILE,
                    recipe.to_json().as_bytes(),
                    "application/json",
                ) {
                    self.state
                        .error
                        .set(Some(format!("The download could not start ({e}).")));
                }
            }
            Err(message) => self.state.error.set(Some(message)),
        }
    }

    /// Applies a recipe file's choices: what each file is (by position), the analysis date,
    /// then — once the customer table is rebuilt — its features and clustering settings.
    pub fn load_recipe(&self, text: &str) {
        let recipe = match Recipe::from_json(text) {
            Ok(r) => r,
            Err(e) => {
                self.state.error.set(Some(e.to_string()));
                return;
            }
        };
        let n_files = self.state.files.with_untracked(Vec::len);
        self.state
            .saved
            .set(recipe.model.is_some().then(|| recipe.clone()));
        self.state.pending_recipe.set(Some(recipe.clone()));
        for (index, entry) in recipe.data.files.iter().enumerate().take(n_files) {
            self.send(
                "Applying the recipe",
                Request::SetPlan {
                    index,
                    plan: entry.plan.clone(),
                },
                None,
            );
        }
        self.send(
            "Applying the recipe",
            Request::SetDataOptions {
                as_of: recipe.data.as_of.clone(),
                unit: recipe.data.unit,
            },
            None,
        );
        if recipe.model.is_some() && n_files > 0 {
            // Step 4 now offers the saved segments.
            scroll_to("segment");
        }
    }

    /// Stops the current work; whatever was loaded before stays.
    pub fn cancel(&self) {
        let _ = self
            .bridge
            .with_value(|b| b.as_ref().map(|b| b.send(&Request::Cancel, None)));
    }

    /// Segments the active file with the current choices.
    pub fn run(&self) {
        match self.state.recipe() {
            Ok(recipe) => {
                self.pending.set_value(Some(recipe.clone()));
                self.send("Finding segments", Request::Run { recipe }, None);
            }
            Err(message) => self.state.error.set(Some(message)),
        }
    }

    /// Puts the customers into the loaded recipe's saved segments, without refitting.
    pub fn apply_saved(&self) {
        let Some(saved) = self.state.saved.get_untracked() else {
            return;
        };
        // The current choices (rules, names as typed), with the saved clustering and model,
        // so that the result reads as stale once the user changes the method.
        let recipe = match self.state.recipe() {
            Ok(mut now) => {
                now.clustering = saved.clustering.clone();
                now.model = saved.model;
                now
            }
            Err(_) => saved,
        };
        self.pending.set_value(Some(recipe.clone()));
        self.send(
            "Putting customers into the saved segments",
            Request::Apply { recipe },
            None,
        );
    }

    /// Compares the last result with the previous labelled CSV (`file`).
    pub fn compare(&self, file: web_sys::File) {
        let array = Array::new();
        array.push(&file);
        self.send("Comparing with last time", Request::Compare, Some(&array));
    }

    /// Downloads the last segmentation for another tool.
    pub fn export_preset(&self, preset: Preset, country_code: Option<String>) {
        self.send(
            "Writing the export",
            Request::ExportPreset {
                preset,
                country_code,
            },
            None,
        );
    }

    /// Downloads the printable report.
    pub fn export_report(&self) {
        self.send("Writing the report", Request::ExportReport, None);
    }

    /// Downloads a zip of one labelled CSV per segment.
    pub fn export_segment_lists(&self) {
        let attach = self.state.attach.get_untracked();
        self.send(
            "Writing the export",
            Request::ExportSegmentLists { attach },
            None,
        );
    }

    /// Explains why a customer (an id, or `row N`) is in their segment.
    pub fn explain(&self, customer: &str) {
        self.send(
            "Explaining the customer",
            Request::Explain {
                customer: customer.to_owned(),
            },
            None,
        );
    }

    /// Gives segment `index` the name `name` (blank: Segmenta's own), keeping the others.
    pub fn rename(&self, index: usize, name: &str) {
        let names = self.state.result.with_untracked(|r| {
            r.iter()
                .flat_map(|r| r.segments.iter().enumerate())
                .map(|(i, s)| {
                    if i == index {
                        name.to_owned()
                    } else {
                        s.name.clone()
                    }
                })
                .collect()
        });
        self.send("Renaming the segment", Request::Rename { names }, None);
    }

    /// Downloads the labelled CSV.
    pub fn export_labels(&self) {
        let attach = self.state.attach.get_untracked();
        self.send("Writing the export", Request::ExportLabels { attach }, None);
    }
}

fn scroll_to(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
}
