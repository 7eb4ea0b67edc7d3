use leptos::prelude::*;

use crate::format::count;
use crate::protocol::DatasetView;

/// The first rows, with each column's kind and missing count in its header.
#[component]
pub fn PreviewTable(#[prop(into)] dataset: Signal<Option<DatasetView>>) -> impl IntoView {
    move || {
        dataset.with(|d| {
            let d = d.as_ref()?;
            let head = d
                .columns
                .iter()
                .map(|c| {
                    let missing = (c.missing > 0).then(|| format!("{} missing", count(c.missing)));
                    view! {
                        <th scope="col">
                            <span class="col-name">{c.name.clone()}</span>
                            <span class="chips">
                                {match &c.pii {
                                    Some(kind) => view! { <span class="chip pii" title=kind.clone()>"personal data"</span> }.into_any(),
                                    None => view! { <span class=format!("chip kind-{:?}", c.kind).to_lowercase()>{c.kind.label()}</span> }.into_any(),
                                }}
                                {missing.map(|m| view! { <span class="chip missing">{m}</span> })}
                            </span>
                        </th>
                    }
                })
                .collect_view();
            let body = d
                .preview
                .iter()
                .map(|row| {
                    view! {
                        <tr>
                            {row.iter()
                                .map(|cell| if cell.is_empty() {
                                    view! { <td class="empty" title="missing">"—"</td> }.into_any()
                                } else {
                                    view! { <td>{cell.clone()}</td> }.into_any()
                                })
                                .collect_view()}
                        </tr>
                    }
                })
                .collect_view();
            Some(view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="First rows of the file">
                    <table class="preview" data-testid="preview">
                        <thead><tr>{head}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <p class="muted small">{format!("Showing the first {} of {} rows.", d.preview.len(), count(d.file.rows))}</p>
            })
        })
    }
}
