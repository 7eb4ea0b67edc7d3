use leptos::prelude::*;
use segmenta_core::features::roles::FilePlan;

use crate::engine::Engine;
use crate::format::{bytes, count, duration, plural};
use crate::protocol::FileView;

/// One loaded file: how it was read, what it is, and what was odd about it.
#[component]
pub fn FileCard(
    file: FileView,
    #[prop(into)] is_base: Signal<bool>,
    #[prop(into)] shown: Signal<bool>,
    on_show: Callback<()>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let index = file.index;
    let remove_label = format!("Remove {}", file.name);
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
    let role = move |plan: &FilePlan| match plan {
        FilePlan::Orders(_) if is_base.get() => {
            "Order log · the customers come from here".to_owned()
        }
        FilePlan::Customers { .. } if is_base.get() => {
            "Customer list · one row per customer".to_owned()
        }
        FilePlan::Ignore => "Not used".to_owned(),
        other => format!(
            "{} · joined to the customers",
            capitalize(other.shape_name())
        ),
    };
    let plan = file.plan.clone();
    let unused = matches!(plan, FilePlan::Ignore);
    let problems = file.problems.clone();
    let total = file.problem_count;
    let renamed = file.renamed.clone();
    let timing = (file.read_ms > 0.0).then(|| format!(" · read in {}", duration(file.read_ms)));
    view! {
        <article
            class="file-card"
            class:active=move || shown.get()
            data-testid="file-card"
            data-read-ms=file.read_ms.to_string()
            data-wait-ms=file.wait_ms.to_string()
            data-read-parts=file.read_parts.to_string()
            data-memory-bytes=file.memory_bytes.to_string()
            data-file-bytes=file.bytes.to_string()
        >
            <header>
                <h3 class="file-name">{file.name.clone()}</h3>
                <span class="muted">{bytes(file.bytes)}</span>
            </header>
            <p class="file-role" class:unused=unused data-testid="file-role">{move || role(&plan)}</p>
            <p class="file-shape">{format!("{} · {}", plural(file.rows, "row"), plural(file.columns.len(), "column"))}<span class="muted small">{timing}</span></p>
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
                <Show when=move || !shown.get() fallback=|| view! { <span class="badge">"Shown below"</span> }>
                    <a class="button small" href="#understand" on:click=move |_| on_show.run(())>"Show columns"</a>
                </Show>
                <button class="ghost small" data-testid="remove-file" on:click=move |_| engine.remove(index) aria-label=remove_label>
                    "Remove"
                </button>
            </footer>
        </article>
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}
