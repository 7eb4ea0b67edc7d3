use leptos::prelude::*;

use crate::protocol::FileView;

/// One tab per loaded file, when there are several.
#[component]
pub fn FileTabs(
    #[prop(into)] files: Signal<Vec<FileView>>,
    selected: RwSignal<usize>,
) -> impl IntoView {
    move || {
        let list = files.get();
        (list.len() > 1).then(|| {
            view! {
                <div class="tabs" role="tablist" aria-label="Files">
                    {list
                        .into_iter()
                        .map(|f| {
                            let i = f.index;
                            view! {
                                <button
                                    role="tab"
                                    class="tab"
                                    aria-selected=move || (selected.get() == i).to_string()
                                    on:click=move |_| selected.set(i)
                                    data-testid="file-tab"
                                >
                                    {f.name}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            }
        })
    }
}
