//! The whole page: header, stepper, status, and the six steps in order.

use leptos::prelude::*;

use crate::engine::Engine;
use crate::keep::Keep;
use crate::state::AppState;
use crate::steps::cluster::SegmentStep;
use crate::steps::columns::UnderstandStep;
use crate::steps::export::ExportStep;
use crate::steps::features::FeaturesStep;
use crate::steps::load::LoadStep;
use crate::steps::results::ResultsStep;
use crate::ui::{Banner, Header, ProgressBar, Stepper};

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    let engine = Engine::start(state);
    provide_context(engine);

    let has_data = Memo::new(move |_| {
        state
            .dataset
            .with(|d| d.as_ref().is_some_and(|d| d.error.is_none()))
    });
    let has_files = Memo::new(move |_| state.files.with(|f| !f.is_empty()));
    let has_result = Memo::new(move |_| state.result.with(Option::is_some));
    let busy = Memo::new(move |_| state.busy.with(Option::is_some));
    let base = Memo::new(move |_| {
        state.dataset.with(|d| {
            d.as_ref()
                .filter(|d| d.error.is_none())
                .map(|d| d.base.clone())
        })
    });
    let rows = Memo::new(move |_| state.rows());
    let stale = Memo::new(move |_| state.result_is_stale());
    let no_features = Memo::new(move |_| {
        state.features.with(Vec::is_empty) && state.categorical.with(Vec::is_empty)
    });
    let native_categories = Memo::new(move |_| state.algorithm.with(|a| a.native_categories()));
    let id_column = Memo::new(move |_| {
        state
            .dataset
            .with(|d| d.as_ref().and_then(|d| d.id_column.clone()))
    });

    view! {
        <a class="skip-link" href="#load">"Skip to the first step"</a>
        <Header has_files=has_files keep=state.keep note=state.keep_note/>
        <Stepper has_data=has_data has_result=has_result/>
        // What the user should know while working anywhere on the page (the worker was
        // replaced, work was stopped) stays in view with the progress bar.
        <div class="status-slot" data-worker-ready=move || state.worker_ready.get().to_string()>
            <Banner message=state.notice notice=true test_id="notice"/>
            <ProgressBar busy=state.busy/>
        </div>
        <main class="page">
            <Banner message=state.error/>
            <LoadStep files=state.files base=base selected=state.selected_file busy=busy resumable=state.resumable/>
            <Show when=move || has_files.get()>
                <UnderstandStep files=state.files selected=state.selected_file dataset=state.dataset busy=busy/>
            </Show>
            <Show when=move || has_data.get()>
                <FeaturesStep dataset=state.dataset features=state.features categorical=state.categorical native_categories=native_categories/>
                <SegmentStep state=state rows=rows busy=busy stale=stale no_features=no_features result=state.result/>
            </Show>
            <Show when=move || has_result.get()>
                <ResultsStep result=state.result segmentation=state.segmentations why=state.why migration=state.migration neighbours=state.neighbour_map/>
                <ExportStep id_column=id_column busy=busy note=state.export_note state/>
            </Show>
        </main>
        <footer class="footer" data-testid="site-footer">
            <p>
                "Segmenta works entirely inside this browser tab: your files are never uploaded. "
                {move || if state.keep.get() == Keep::Nothing {
                    "Close the tab and everything is gone."
                } else {
                    "You asked it to keep your work on this device; the Privacy panel at the top can forget it."
                }}
            </p>
        </footer>
    }
}
