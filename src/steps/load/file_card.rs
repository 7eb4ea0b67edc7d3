use leptos::prelude::*;

use crate::engine::Engine;
use crate::format::{bytes, count, plural};
use crate::protocol::FileView;

/// One loaded file: how it was read and what was odd about it.
#[component]
pub fn FileCard(file: FileView, #[prop(into)] active: Signal<bool>) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let index = file.index;
    let layout = format!(
        "{} · {}-separated{} · {}",
        file.encoding,
        file.delimiter,
        if file.decimal == "," {
            " · decimal comma"
        } else {
            ""
        },
        if file.has_header {
            "first row is column names"
        } else {
            "no header row"
        }
    );
    let problems = file.problems.clone();
    let total = file.problem_count;
    let renamed = file.renamed.clone();
    let timing = (file.read_ms > 0.0)
        .then(|| format!(" · read in {}", crate::format::duration(file.read_ms)));
    view! {
        <article
            class="file-card"
            class:active=move || active.get()
            data-testid="file-card"
            data-read-ms=file.read_ms.to_string()
            data-wait-ms=file.wait_ms.to_string()
            data-memory-bytes=file.memory_bytes.to_string()
            data-file-bytes=file.bytes.to_string()
        >
            <header>
                <h3 class="file-name">{file.name.clone()}</h3>
                <span class="muted">{bytes(file.bytes)}</span>
            </header>
            <p class="file-shape">{format!("{} · {}", plural(file.rows, "row"), plural(file.columns, "column"))}</p>
            <p class="muted small" data-testid="read-time">{timing}</p>
            <p class="muted small">{layout}</p>
            {(total == 0 && renamed.is_empty()).then(|| view! { <p class="ok small">"✓ Read without problems"</p> })}
            {(!renamed.is_empty()).then(|| {
                view! {
                    <p class="small">
                        "Renamed columns: "
                        {renamed.iter().map(|(from, to)| format!("“{from}” → {to}")).collect::<Vec<_>>().join(", ")}
                    </p>
                }
            })}
            {(total > 0).then(|| {
                let listed = problems.len() as u64;
                view! {
                    <details class="problems">
                        <summary>{format!("{} found and handled", plural(total as usize, "problem"))}</summary>
                        <ul>
                            {problems
                                .iter()
                                .map(|p| view! { <li><strong>{format!("Row {} (line {}): ", count(p.row as usize), count(p.line as usize))}</strong>{p.message.clone()}</li> })
                                .collect_view()}
                        </ul>
                        {(total > listed).then(|| view! { <p class="muted small">{format!("…and {} more.", count((total - listed) as usize))}</p> })}
                    </details>
                }
            })}
            <footer>
                <Show
                    when=move || active.get()
                    fallback=move || view! { <button class="button small" on:click=move |_| engine.select(index)>"Segment this file"</button> }
                >
                    <span class="badge">"Being segmented"</span>
                </Show>
            </footer>
        </article>
    }
}
