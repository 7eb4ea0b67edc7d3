//! Step 2: understanding the data: what each column holds.

mod preview_table;
mod reading_options;

use leptos::prelude::*;

pub use preview_table::PreviewTable;
pub use reading_options::ReadingOptions;

use crate::format::{count, plural};
use crate::protocol::DatasetView;
use crate::ui::StepTitle;

/// Summary of the columns and the first rows.
#[component]
pub fn ColumnsStep(
    #[prop(into)] dataset: Signal<Option<DatasetView>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let file = Memo::new(move |_| dataset.with(|d| d.as_ref().map(|d| d.file.clone())));
    let summary = move || {
        dataset.with(|d| {
            let d = d.as_ref()?;
            let personal: Vec<String> = d
                .columns
                .iter()
                .filter(|c| c.pii.is_some())
                .map(|c| c.name.clone())
                .collect();
            Some(view! {
                <p class="lead">
                    <strong>{format!("{} customers", count(d.file.rows))}</strong>
                    {format!(" in {} from {}.", plural(d.columns.len(), "column"), d.file.name)}
                    {d.id_column.clone().map(|id| format!(" Customers are identified by {id}."))}
                </p>
                {(!personal.is_empty()).then(|| view! {
                    <p class="note">
                        <span class="chip pii">"personal data"</span>
                        {format!(" {} — kept out of the segmentation.", personal.join(", "))}
                    </p>
                })}
            })
        })
    };
    view! {
        <section id="understand" class="step card">
            <StepTitle
                n=2
                title="Understand the data"
                hint="Each column's kind was worked out from its values. Check that the numbers look right."
            />
            {summary}
            <ReadingOptions file=file busy=busy/>
            <PreviewTable dataset=dataset/>
        </section>
    }
}
