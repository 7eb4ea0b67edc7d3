//! Step 6: taking the segments to other tools.

use leptos::prelude::*;

use crate::engine::Engine;
use crate::ui::StepTitle;

mod recipe_file;

pub use recipe_file::RecipeFile;

/// Download of the labelled CSV.
#[component]
pub fn ExportStep(
    #[prop(into)] id_column: Signal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let columns = move || {
        let id = id_column
            .get()
            .unwrap_or_else(|| "row (the row number)".to_owned());
        format!(
            "One line per customer, in the same order as your file: {id}, segment (the number) and segment_name."
        )
    };
    view! {
        <section id="act" class="step card">
            <StepTitle n=6 title="Use the segments" hint="Take each customer's segment to your email tool, CRM or spreadsheet. The file is made on this device."/>
            <div class="export-row">
                <button class="button primary" data-testid="export-labels" on:click=move |_| engine.export_labels() disabled=move || busy.get()>
                    "Download labelled CSV"
                </button>
                <p class="hint">{columns}</p>
            </div>
            <RecipeFile busy=busy/>
        </section>
    }
}
