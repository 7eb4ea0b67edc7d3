//! Step 1: getting files in.

mod drop_zone;
mod file_card;
mod resume;

use leptos::prelude::*;

pub use drop_zone::DropZone;
pub use file_card::FileCard;
pub use resume::ResumeBox;

use crate::protocol::FileView;
use crate::state::Resumable;
use crate::ui::StepTitle;

/// Drop zone, sample button and one card per loaded file.
#[component]
pub fn LoadStep(
    #[prop(into)] files: Signal<Vec<FileView>>,
    #[prop(into)] base: Signal<Option<String>>,
    selected: RwSignal<usize>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] resumable: Signal<Option<Resumable>>,
) -> impl IntoView {
    view! {
        <section id="load" class="step card">
            <StepTitle
                n=1
                title="Load your customers"
                hint="CSV exports from your webshop, CRM or spreadsheet: an order log, a customer list, or both. Files are read on this device and never uploaded."
            />
            <ResumeBox resumable=resumable busy=busy/>
            <DropZone busy=busy/>
            <div class="file-cards">
                <For each=move || files.get() key=|f| (f.index, f.revision) let(file)>
                    {
                        let index = file.index;
                        let name = file.name.clone();
                        view! {
                            <FileCard
                                file=file
                                is_base=Signal::derive(move || base.get().as_deref() == Some(name.as_str()))
                                shown=Signal::derive(move || selected.get() == index)
                                on_show=Callback::new(move |_| selected.set(index))
                            />
                        }
                    }
                </For>
            </div>
        </section>
    }
}
