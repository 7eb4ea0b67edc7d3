//! Step 1: getting files in.

mod drop_zone;
mod file_card;

use leptos::prelude::*;

pub use drop_zone::DropZone;
pub use file_card::FileCard;

use crate::protocol::FileView;
use crate::ui::StepTitle;

/// Drop zone, sample button and one card per loaded file.
#[component]
pub fn LoadStep(
    #[prop(into)] files: Signal<Vec<FileView>>,
    #[prop(into)] active: Signal<Option<usize>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    view! {
        <section id="load" class="step card">
            <StepTitle
                n=1
                title="Load your customers"
                hint="A CSV export from your webshop, CRM or spreadsheet: one row per customer. Files are read on this device and never uploaded."
            />
            <DropZone busy=busy/>
            <div class="file-cards">
                <For each=move || files.get() key=|f| (f.index, f.revision) let(file)>
                    <FileCard active=Signal::derive({ let i = file.index; move || active.get() == Some(i) }) file=file/>
                </For>
            </div>
        </section>
    }
}
