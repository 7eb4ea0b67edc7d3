//! The whole page: header, stepper, status, and the six steps in order.

use leptos::prelude::*;

use crate::engine::Engine;
use crate::state::AppState;
use crate::steps::cluster::SegmentStep;
use crate::steps::columns::ColumnsStep;
use crate::steps::export::ExportStep;
use crate::steps::features::FeaturesStep;
use crate::steps::load::LoadStep;
use crate::steps::results::ResultsStep;
use crate::ui::{ErrorBanner, Header, ProgressBar, Stepper};

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    let engine = Engine::start(state);
    provide_context(engine);

    let has_data = Memo::new(move |_| state.dataset.with(Option::is_some));
    let has_result = Memo::new(move |_| state.result.with(Option::is_some));
    let busy = Memo::new(move |_| state.busy.with(Option::is_some));
    let active = Memo::new(move |_| state.dataset.with(|d| d.as_ref().map(|d| d.file.index)));
    let rows = Memo::new(move |_| state.rows());
    let stale = Memo::new(move |_| state.result_is_stale());
    let no_features = Memo::new(move |_| state.features.with(Vec::is_empty));
    let id_column = Memo::new(move |_| {
        state
            .dataset
            .with(|d| d.as_ref().and_then(|d| d.id_column.clone()))
    });

    view! {
        <a class="skip-link" href="#load">"Skip to the first step"</a>
        <Header/>
        <Stepper has_data=has_data has_result=has_result/>
        <div class="status-slot">
            <ProgressBar busy=state.busy/>
        </div>
        <main class="page">
            <ErrorBanner error=state.error/>
            <LoadStep files=state.files active=active busy=busy/>
            <Show when=move || has_data.get()>
                <ColumnsStep dataset=state.dataset busy=busy/>
                <FeaturesStep dataset=state.dataset selected=state.features scale=state.scale/>
                <SegmentStep k_text=state.k_text rows=rows busy=busy stale=stale no_features=no_features/>
            </Show>
            <Show when=move || has_result.get()>
                <ResultsStep result=state.result/>
                <ExportStep id_column=id_column busy=busy/>
            </Show>
        </main>
        <footer class="footer">
            <p>"Segmenta works entirely inside this browser tab: your files are never uploaded. Close the tab and everything is gone."</p>
        </footer>
    }
}
