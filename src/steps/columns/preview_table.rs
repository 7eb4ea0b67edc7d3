use leptos::prelude::*;

use crate::format::count;
use crate::protocol::ColumnView;

/// The first rows, with each column's kind and missing count in its header.
#[component]
pub fn PreviewTable(
    #[prop(into)] columns: Signal<Vec<ColumnView>>,
    #[prop(into)] rows: Signal<Vec<Vec<String>>>,
    #[prop(into)] total: Signal<usize>,
    test_id: &'static str,
    label: &'static str,
) -> impl IntoView {
    move || {
        let cols = columns.get();
        if cols.is_empty() {
            return None;
        }
        let head = cols
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
        let body = rows.with(|rows| {
            rows.iter()
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
                .collect_view()
        });
        let shown = rows.with(Vec::len);
        Some(view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=label>
                <table class="preview" data-testid=test_id>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <p class="muted small">{format!("Showing the first {} of {} rows.", shown, count(total.get()))}</p>
        })
    }
}
