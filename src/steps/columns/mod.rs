//! Step 2: understanding the data: what each file is, what each column holds, and the
//! customers they make together.

mod customers_summary;
mod file_plan;
mod file_tabs;
mod preview_table;
mod reading_options;

use leptos::prelude::*;

pub use customers_summary::CustomersSummary;
pub use file_plan::FilePlanForm;
pub use file_tabs::FileTabs;
pub use preview_table::{KindChoices, PreviewTable};
pub use reading_options::ReadingOptions;

use crate::engine::Engine;
use crate::protocol::{DatasetView, FileView};
use crate::ui::StepTitle;

/// The selected file (tabs when there are several), its columns and roles, then the
/// customer table built from all files.
#[component]
pub fn UnderstandStep(
    #[prop(into)] files: Signal<Vec<FileView>>,
    selected: RwSignal<usize>,
    #[prop(into)] dataset: Signal<Option<DatasetView>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let file = Memo::new(move |_| files.with(|f| f.get(selected.get()).cloned()));
    let columns = Signal::derive(move || {
        file.with(|f| f.as_ref().map(|f| f.columns.clone()).unwrap_or_default())
    });
    let rows = Signal::derive(move || {
        file.with(|f| f.as_ref().map(|f| f.preview.clone()).unwrap_or_default())
    });
    let total = Signal::derive(move || file.with(|f| f.as_ref().map_or(0, |f| f.rows)));
    let engine = expect_context::<Engine>();
    let choices = KindChoices {
        chosen: Signal::derive(move || {
            file.with(|f| {
                f.as_ref()
                    .map(|f| f.options.columns.clone())
                    .unwrap_or_default()
            })
        }),
        busy,
        set: Callback::new(move |(name, choice)| {
            if let Some(f) = file.get_untracked() {
                let mut options = f.options.clone();
                match choice {
                    Some(choice) => options.columns.insert(name, choice),
                    None => options.columns.remove(&name),
                };
                if options != f.options {
                    engine.reparse(f.index, options);
                }
            }
        }),
    };
    let notes = move || {
        file.with(|f| f.as_ref().map(|f| f.notes.clone()).unwrap_or_default())
            .into_iter()
            .map(|note| view! { <p class="note small" data-testid="column-note">{note}</p> })
            .collect_view()
    };
    view! {
        <section id="understand" class="step card">
            <StepTitle
                n=2
                title="Understand the data"
                hint="Each file's kind and each column's kind were worked out from the values. Check them, and correct anything that looks wrong: click a column's kind to read it another way."
            />
            <FileTabs files=files selected=selected/>
            <FilePlanForm file=file busy=busy/>
            <ReadingOptions file=file busy=busy/>
            {notes}
            <PreviewTable
                columns=columns
                rows=rows
                total=total
                test_id="preview"
                label="First rows of the file"
                choices=choices
            />
            <CustomersSummary dataset=dataset busy=busy/>
        </section>
    }
}
