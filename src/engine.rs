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

use leptos::task::spawn_local;
use segmenta_core::sample::{CUSTOMERS_FILE, ORDERS_FILE};

use crate::bridge::Bridge;
use crate::download::download;
use crate::keep::{self, Keep, Kept};
use crate::protocol::{Request, Response};
use crate::state::AppState;
use crate::state::Resumable;

/// Handle to the worker. `Copy`; get it with `expect_context::<Engine>()`.
#[derive(Clone, Copy)]
pub struct Engine {
    bridge: StoredValue<Option<Bridge>, LocalStorage>,
    pending: StoredValue<Option<Recipe>>,
    state: AppState,
    /// The files the user gave in this visit, for keeping them when asked to.
    given: StoredValue<Vec<web_sys::File>, LocalStorage>,
    /// Work kept from an earlier visit, until the user continues with it or starts afresh.
    kept: StoredValue<Option<Kept>, LocalStorage>,
    /// While continuing kept work: the recipe to apply once this many files are loaded,
    /// then whether to find the segments.
    resuming: StoredValue<Option<(usize, Option<String>, bool)>>,
    /// Kept choices without files: the recipe to apply once the user's first file is in.
    waiting_choices: StoredValue<Option<String>>,
    run_when_ready: RwSignal<bool>,
    /// How many times the worker died in this visit.
    crashes: StoredValue<u32>,
    /// Whether the current work runs in one go in the worker, so that stopping it means
    /// replacing the worker (reading checks for Cancel between chunks by itself).
    stops_by_restart: StoredValue<bool>,
    /// After the user stopped work: the recipe of the segments on screen, to find them
    /// again in the new worker once the files are back (the choices stay as the user left
    /// them).
    rerun: StoredValue<Option<Recipe>>,
}

/// The progress label while segments are being found.
const FINDING: &str = "Finding segments";
/// The progress label while a new worker reads the files the page had.
const AGAIN: &str = "Reading your files again";

impl Engine {
    /// Starts the worker and routes its responses into `state`.
    pub fn start(state: AppState) -> Engine {
        let engine = Engine {
            bridge: StoredValue::new_local(None),
            pending: StoredValue::new(None),
            state,
            given: StoredValue::new_local(Vec::new()),
            kept: StoredValue::new_local(None),
            resuming: StoredValue::new(None),
            waiting_choices: StoredValue::new(None),
            run_when_ready: RwSignal::new(false),
            crashes: StoredValue::new(0),
            stops_by_restart: StoredValue::new(false),
            rerun: StoredValue::new(None),
        };
        engine.connect();
        engine.keep_up();
        engine
    }

    /// Starts a worker whose responses land in the page's state.
    fn connect(self) {
        match Bridge::spawn(move |response| self.receive(response)) {
            Ok(bridge) => {
                // Sentences made in the worker (segment descriptions, explanations, the
                // report) write numbers as the page does; files for other programs never do.
                let style = segmenta_core::numbers::style();
                let _ = bridge.settle(&Request::NumberStyle { style });
                self.bridge.set_value(Some(bridge));
                // The page's own code first; the worker's right after it has drawn.
                crate::ui::after_next_frame(move || {
                    let started = self.bridge.with_value(|b| b.as_ref().map(Bridge::start));
                    if let Some(Err(e)) = started {
                        self.state.error.set(Some(e));
                    }
                });
            }
            Err(e) => self.state.error.set(Some(e)),
        }
    }

    /// Where every response of the worker goes.
    fn receive(self, response: Response) {
        let state = self.state;
        match response {
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
                state.result_recipe.set(self.pending.get_value());
                state.apply(Response::Segmented(result));
                state.rule_counts.set(None);
                if !state.restoring.get_value() {
                    scroll_to("explore");
                }
                state.restoring.set_value(false);
            }
            Response::Crashed { message } => self.recover(&message),
            other => state.apply(other),
        }
    }

    /// The worker died (out of memory, a bug): start a new one and give it back what the
    /// page had — the files (the user's own are still in the page, the sample is made
    /// again) and the choices — and find the segments again if they were on screen and
    /// finding them was not what failed. A second failure in one visit is only reported,
    /// so that a file that kills the worker cannot make it restart forever.
    fn recover(self, message: &str) {
        let state = self.state;
        let crashes = self.crashes.get_value() + 1;
        self.crashes.set_value(crashes);
        let was_finding = state
            .busy
            .with_untracked(|b| b.as_ref().is_some_and(|b| b.label == FINDING));
        let had_result = state.result.with_untracked(Option::is_some);
        let names: Vec<String> = state
            .files
            .with_untracked(|f| f.iter().map(|f| f.name.clone()).collect());
        let (sample, files) = self.sources(&names);
        let recipe = state.recipe().ok().map(|r| r.to_json());
        let replay = crashes == 1 && !names.is_empty();
        state.busy.set(None);
        state.result.set(None);
        state.files.set(Vec::new());
        state.dataset.set(None);
        self.resuming.set_value(None);
        self.run_when_ready.set(false);
        self.rerun.set_value(None);
        state.notice.set(Some(if replay {
            format!(
                "The background worker stopped unexpectedly ({message}). Segmenta started a new one and is reading your files again, with your choices.{}",
                if was_finding {
                    " Finding the segments is what stopped it: try fewer customers or features, or the segmenta command on a computer with more memory."
                } else {
                    ""
                }
            )
        } else if crashes == 1 {
            format!("The background worker stopped unexpectedly ({message}). Segmenta started a new one.")
        } else {
            format!(
                "The background worker stopped unexpectedly again ({message}). Segmenta started a new one; load your files again, or reload the page."
            )
        }));
        // Replaced after this callback returns: the old worker's handler is running now.
        spawn_local(async move {
            self.bridge.set_value(None);
            self.connect();
            if replay {
                let kept = Kept {
                    recipe,
                    sample,
                    files,
                    saved_at: 0.0,
                };
                self.replay(kept, had_result && !was_finding, AGAIN);
            }
        });
    }

    /// Where the loaded files named `names` came from: whether the sample data is among
    /// them, and the page's own handles of the user's files (for keeping them, or giving
    /// them to a new worker).
    fn sources(self, names: &[String]) -> (bool, Vec<web_sys::File>) {
        let given = self.given.get_value();
        let files = names
            .iter()
            .filter_map(|n| given.iter().find(|f| f.name() == *n).cloned())
            .collect();
        let sample = names.iter().any(|n| {
            (n == ORDERS_FILE || n == CUSTOMERS_FILE) && !given.iter().any(|f| f.name() == *n)
        });
        (sample, files)
    }

    /// Looks for work kept from an earlier visit, and keeps this visit's work as the user
    /// asked: the recipe whenever a result is shown, the files whenever they change.
    fn keep_up(self) {
        let state = self.state;
        spawn_local(async move {
            match keep::load().await {
                Ok(Some(kept)) => {
                    state.resumable.set(Some(Resumable {
                        files: kept.file_names(),
                        choices: kept.recipe.is_some(),
                        saved_at: kept.saved_at,
                    }));
                    self.kept.set_value(Some(kept));
                }
                Ok(None) => {}
                Err(e) => state
                    .keep_note
                    .set(Some(format!("Your kept work could not be read. {e}"))),
            }
        });
        // Nothing is written while kept work waits for the user's decision, so that
        // opening the page never overwrites it.
        Effect::new(move |_| {
            let keep = state.keep.get();
            let has_result = state.result.with(Option::is_some);
            let recipe = state.recipe();
            if keep == Keep::Nothing
                || !has_result
                || state.resumable.with_untracked(Option::is_some)
            {
                return;
            }
            if let Ok(recipe) = recipe {
                let json = recipe.to_json();
                spawn_local(async move {
                    if let Err(e) = keep::save_recipe(&json).await {
                        state.keep_note.set(Some(e));
                    }
                });
            }
        });
        // The file list changes with every re-read and role change; the copies are written
        // again only when the files themselves do.
        let names = Memo::new(move |_| {
            state
                .files
                .with(|f| f.iter().map(|f| f.name.clone()).collect::<Vec<_>>())
        });
        Effect::new(move |_| {
            let keep = state.keep.get();
            let names = names.get();
            if !keep.files() || state.resumable.with_untracked(Option::is_some) {
                return;
            }
            let (sample, files) = self.sources(&names);
            spawn_local(async move {
                if let Err(e) = keep::save_files(sample, &files).await {
                    state.keep_note.set(Some(e));
                }
            });
        });
        // Continuing kept work: once its files are in, apply its recipe, then find the
        // segments as they were.
        Effect::new(move |_| {
            let idle = state.busy.with(Option::is_none);
            let loaded = state.files.with(Vec::len);
            if !idle {
                return;
            }
            if loaded > 0
                && let Some(text) = self
                    .waiting_choices
                    .try_update_value(Option::take)
                    .flatten()
            {
                self.load_recipe(&text);
                return;
            }
            if state.error.with(Option::is_some) {
                self.resuming.set_value(None);
                self.run_when_ready.set(false);
                return;
            }
            let Some((expected, recipe, run)) = self.resuming.get_value() else {
                return;
            };
            if loaded < expected {
                return;
            }
            self.resuming.set_value(None);
            if let Some(text) = recipe {
                self.load_recipe(&text);
                self.run_when_ready.set(run);
            }
        });
        Effect::new(move |_| {
            let ready = self.run_when_ready.get()
                && state.busy.with(Option::is_none)
                && state.pending_recipe.with(Option::is_none)
                && state
                    .dataset
                    .with(|d| d.as_ref().is_some_and(|d| d.error.is_none()));
            if ready {
                self.run_when_ready.set(false);
                match self.rerun.try_update_value(Option::take).flatten() {
                    Some(recipe) => {
                        self.pending.set_value(Some(recipe.clone()));
                        self.send(
                            "Finding the segments you had again",
                            Request::Run { recipe },
                            None,
                        );
                    }
                    None => self.run(),
                }
            }
        });
    }

    /// Continues with the work kept from an earlier visit: its files, then its choices,
    /// then the segments.
    pub fn resume(&self) {
        let Some(kept) = self.kept.get_value() else {
            return;
        };
        self.kept.set_value(None);
        self.state.resumable.set(None);
        self.replay(kept, true, "Reading your kept files");
    }

    /// Loads `kept`'s files, then applies its choices, then (if `run`) finds the segments.
    fn replay(&self, kept: Kept, run: bool, label: &str) {
        let mut expected = 0;
        if kept.sample {
            expected += 2;
            self.send("Creating the sample data", Request::LoadSample, None);
        }
        if !kept.files.is_empty() {
            expected += kept.files.len();
            let array: Array = kept.files.iter().collect();
            self.given
                .update_value(|g| g.extend(kept.files.iter().cloned()));
            self.send(label, Request::LoadFiles, Some(&array));
        }
        if expected == 0 {
            // Only choices were kept: they wait for the user's first file, and are then
            // applied as a loaded recipe is (reading settings, plan, then the rest).
            self.waiting_choices.set_value(kept.recipe);
            return;
        }
        self.resuming.set_value(Some((expected, kept.recipe, run)));
    }

    /// Starts afresh: the kept work stays on the device until this visit's work replaces it
    /// or the user forgets it.
    pub fn dismiss_kept(&self) {
        self.kept.set_value(None);
        self.state.resumable.set(None);
    }

    /// The user brings new files: whatever was being given back to a new worker after a
    /// stop gives way (the segments on screen belong to the old files).
    fn new_files(&self) {
        self.state.restoring.set_value(false);
        self.rerun.set_value(None);
    }

    /// Changes what is kept on this device, keeping the current work at once.
    pub fn set_keep(&self, keep: Keep) {
        let state = self.state;
        if let Err(e) = keep.store() {
            state.keep_note.set(Some(e));
            return;
        }
        let before = state.keep.get_untracked();
        state.keep.set(keep);
        state.keep_note.set(Some(
            match keep {
                Keep::Nothing => "Nothing is kept on this device any more.",
                Keep::Choices => {
                    "Your choices are kept on this device from now on; your files are not."
                }
                Keep::ChoicesAndFiles => {
                    "Your choices and files are kept on this device from now on."
                }
            }
            .to_owned(),
        ));
        spawn_local(async move {
            let done = match keep {
                Keep::Nothing => keep::forget_work().await,
                Keep::Choices if before.files() => keep::drop_files().await,
                _ => Ok(()),
            };
            if let Err(e) = done {
                state.keep_note.set(Some(e));
            }
        });
    }

    /// Removes everything Segmenta stored in this browser. What is open in the tab stays
    /// until the tab is closed.
    pub fn forget_everything(&self) {
        let state = self.state;
        self.kept.set_value(None);
        state.resumable.set(None);
        state.keep.set(Keep::Nothing);
        spawn_local(async move {
            state.keep_note.set(Some(match keep::forget_everything().await {
                Ok(()) => "Done: Segmenta has nothing stored on this device any more. What is open in this tab stays until you close it.".to_owned(),
                Err(e) => format!("Not everything could be removed. {e} Your browser's settings can clear this site's data too."),
            }));
        });
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
        let checks_cancel = matches!(
            request,
            Request::LoadFiles | Request::LoadSample | Request::Reparse { .. } | Request::Compare
        );
        let in_one_go = matches!(
            request,
            Request::Run { .. } | Request::NeighbourMap | Request::Apply { .. }
        );
        self.stops_by_restart.set_value(in_one_go);
        self.state.start(label, checks_cancel || in_one_go);
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
        self.dismiss_kept();
        self.new_files();
        self.send("Creating the sample data", Request::LoadSample, None);
    }

    /// Loads the chosen or dropped files.
    pub fn load_files(&self, files: &FileList) {
        self.dismiss_kept();
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        let sizes: Vec<(String, u64)> = files.iter().map(|f| (f.name(), f.size() as u64)).collect();
        let loaded = self
            .state
            .files
            .with_untracked(|f| f.iter().map(|f| f.bytes).sum());
        if let Some(refusal) = crate::limits::refuse(&sizes, loaded) {
            self.state.error.set(Some(refusal));
            return;
        }
        self.new_files();
        let array = Array::new();
        for f in files {
            array.push(&f);
            self.given.update_value(|g| g.push(f));
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
            // The recipe's reading settings first: the plan names columns as read so.
            let reading = self
                .state
                .files
                .with_untracked(|f| f.get(index).map(|f| f.options != entry.reading));
            if reading == Some(true) {
                self.send(
                    "Applying the recipe",
                    Request::Reparse {
                        index,
                        options: entry.reading.clone(),
                    },
                    None,
                );
            }
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
        if self.stops_by_restart.get_value() {
            self.stop_by_restart();
            return;
        }
        let _ = self
            .bridge
            .with_value(|b| b.as_ref().map(|b| b.send(&Request::Cancel, None)));
    }

    /// Stops work the worker does in one go (finding segments, the neighbour map): a
    /// worker cannot read messages in the middle of it, so it is replaced at once. The
    /// page keeps showing the files and the segments it had; the new worker gets the same
    /// files and the user's choices, and finds the segments on screen again (with their
    /// own recipe), so that downloads and further choices work as before.
    fn stop_by_restart(self) {
        let state = self.state;
        self.stops_by_restart.set_value(false);
        let names: Vec<String> = state
            .files
            .with_untracked(|f| f.iter().map(|f| f.name.clone()).collect());
        let (sample, files) = self.sources(&names);
        let shown = state
            .result_recipe
            .get_untracked()
            .filter(|_| state.result.with_untracked(Option::is_some));
        let had_result = shown.is_some();
        let recipe = state.recipe().ok().map(|r| r.to_json());
        self.rerun.set_value(shown);
        self.bridge.set_value(None);
        state.busy.set(None);
        self.resuming.set_value(None);
        self.run_when_ready.set(false);
        state.restoring.set_value(had_result);
        state.notice.set(Some(if had_result {
            "Stopped. The segments you had stay on screen; Segmenta is getting your files ready again in the background."
        } else {
            "Stopped. Segmenta is getting your files ready again in the background."
        }.to_owned()));
        self.connect();
        if names.is_empty() {
            return;
        }
        let kept = Kept {
            recipe,
            sample,
            files,
            saved_at: 0.0,
        };
        self.replay(kept, had_result, AGAIN);
    }

    /// Segments the active file with the current choices.
    pub fn run(&self) {
        match self.state.recipe() {
            Ok(recipe) => {
                self.pending.set_value(Some(recipe.clone()));
                self.send(FINDING, Request::Run { recipe }, None);
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

    /// Draws the neighbour map (UMAP) of the shown result; it refines on screen.
    pub fn neighbour_map(&self) {
        self.send("Drawing the neighbour map", Request::NeighbourMap, None);
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
