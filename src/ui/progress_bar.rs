use leptos::prelude::*;

use crate::engine::Engine;
use crate::state::Busy;

/// What the worker is doing right now: stage name and a bar. Shown only while busy.
#[component]
pub fn ProgressBar(#[prop(into)] busy: Signal<Option<Busy>>) -> impl IntoView {
    let engine = expect_context::<Engine>();
    view! {
        <Show when=move || busy.with(Option::is_some)>
            {move || {
                let b = busy.get().unwrap_or(Busy { label: String::new(), fraction: None, cancellable: false });
                let pct = b.fraction.map(|f| (f.clamp(0.0, 1.0) * 100.0).round() as u32);
                view! {
                    <div class="status" data-testid="progress" role="status" aria-live="polite">
                        <span class="status-label">{b.label.clone()}"…"</span>
                        <div
                            class="bar"
                            class:indeterminate=pct.is_none()
                            role="progressbar"
                            aria-label=b.label
                            aria-valuemin="0"
                            aria-valuemax="100"
                            aria-valuenow=pct.map(|p| p.to_string())
                        >
                            <div class="bar-fill" style:width=format!("{}%", pct.unwrap_or(35))></div>
                        </div>
                        <span class="status-pct">{pct.map(|p| format!("{p}%"))}</span>
                        {b.cancellable.then(|| view! {
                            <button class="button small" data-testid="cancel" on:click=move |_| engine.cancel()>"Cancel"</button>
                        })}
                    </div>
                }
            }}
        </Show>
    }
}
