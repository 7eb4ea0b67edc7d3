use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::engine::Engine;
use crate::keep::Keep;

/// The top bar: name, what it does, and the privacy promise, which opens the Privacy panel.
#[component]
pub fn Header(
    /// Whether any file is loaded (the panel counts requests made after that).
    #[prop(into)]
    has_files: Signal<bool>,
    /// What the user asked to keep on this device.
    #[prop(into)]
    keep: Signal<Keep>,
    /// What the last change to kept work did.
    #[prop(into)]
    note: Signal<Option<String>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    // When the first file arrived, in the page's clock (performance.now()).
    let loaded_at = RwSignal::new(None::<f64>);
    Effect::new(move |_| {
        if has_files.get() && loaded_at.get_untracked().is_none() {
            loaded_at.set(Some(now()));
        }
    });
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true"></span>
                <span class="brand-name">"Segmenta"</span>
                <span class="brand-tag">"Customer segments from your own data"</span>
            </div>
            <button
                type="button"
                class="privacy-badge"
                data-testid="privacy-badge"
                aria-expanded=move || open.get().to_string()
                aria-controls="privacy-panel"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                <svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
                    <path d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 6V4.5a2 2 0 1 1 4 0V7H6Z"/>
                </svg>
                "Your data stays on this device"
            </button>
        </header>
        <Show when=move || open.get()>
            <PrivacyPanel loaded_at=loaded_at.into() keep note on_close=Callback::new(move |()| open.set(false))/>
        </Show>
    }
}

/// Where the data lives, how to clear it, and the proof: the requests this page has made,
/// counted by the browser (resource timing), none of them after the data was loaded.
#[component]
fn PrivacyPanel(
    loaded_at: Signal<Option<f64>>,
    keep: Signal<Keep>,
    note: Signal<Option<String>>,
    on_close: Callback<()>,
) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let counts = move || {
        tick.track();
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        let requests = requests();
        let own = requests
            .iter()
            .filter(|(url, _)| url.starts_with(&origin))
            .count();
        let after = loaded_at
            .get()
            .map(|t| requests.iter().filter(|(_, start)| *start >= t).count());
        let files: Vec<String> = requests
            .iter()
            .map(|(url, _)| url.strip_prefix(&origin).unwrap_or(url).to_owned())
            .collect();
        let total = requests.len();
        let summary = if own == total {
            format!("{total}, all for Segmenta's own files (the page, its code and its style).")
        } else {
            format!("{total}, of which {} to other sites.", total - own)
        };
        view! {
            <dl class="privacy-counts">
                <dt>"Requests since this page opened"</dt>
                <dd data-testid="privacy-requests" data-requests=total data-own=own>{summary}</dd>
                <dt>"Requests since your data was loaded"</dt>
                <dd data-testid="privacy-after" data-requests=after.map_or(-1, |a| a as i64)>
                    {match after {
                        Some(0) => "None.".to_owned(),
                        Some(n) => format!("{n}: files of the page itself, none carrying data."),
                        None => "No data loaded yet.".to_owned(),
                    }}
                </dd>
            </dl>
            <details class="small">
                <summary>"Every request, as the browser recorded it"</summary>
                <ul class="privacy-list">{files.into_iter().map(|f| view! { <li><code>{f}</code></li> }).collect_view()}</ul>
            </details>
        }
    };
    view! {
        <section id="privacy-panel" class="privacy-panel" data-testid="privacy-panel" aria-label="Privacy">
            <div class="privacy-inner">
                <h2>"Your data stays on this device"</h2>
                <p>"Segmenta reads your files inside this browser tab, in a background worker, and keeps them only in the tab's memory: nothing is uploaded, because there is no server to receive it."</p>
                <p>"The page enforces this itself: its security policy lets it load only its own files and send nothing anywhere, and the counts below come from the browser."</p>
                <p>
                    {move || if keep.get() == Keep::Nothing {
                        "To clear everything, close the tab or reload the page: Segmenta stores nothing on your computer unless you ask it to below."
                    } else {
                        "You asked Segmenta to keep your work in this browser, on this device only; “Forget everything on this device” removes it."
                    }}
                </p>
                {counts}
                <KeepSettings keep note/>
                <div class="privacy-actions">
                    <button type="button" class="button small" on:click=move |_| tick.update(|t| *t += 1)>"Count again"</button>
                    <button type="button" class="button small" on:click=move |_| on_close.run(())>"Close"</button>
                </div>
            </div>
        </section>
    }
}

/// The opt-in to keep work on this device, and the button that forgets it all.
#[component]
fn KeepSettings(keep: Signal<Keep>, note: Signal<Option<String>>) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let option =
        move |value: Keep, label: &'static str, hint: &'static str, test_id: &'static str| {
            view! {
                <label class="keep-option">
                    <input
                        type="radio"
                        name="keep"
                        data-testid=test_id
                        prop:checked=move || keep.get() == value
                        on:change=move |_| engine.set_keep(value)
                    />
                    <span>
                        <strong>{label}</strong>
                        <span class="hint">{hint}</span>
                    </span>
                </label>
            }
        };
    view! {
        <fieldset class="keep" data-testid="keep">
            <legend>"Keep my work on this device"</legend>
            {option(Keep::Nothing, "Nothing", "The default: closing the tab clears everything.", "keep-nothing")}
            {option(Keep::Choices, "My choices", "Columns, features, settings, segment names and rules, so the next visit can pick up with new files. No customer data.", "keep-choices")}
            {option(Keep::ChoicesAndFiles, "My choices and my files", "A copy of the files stays in this browser (IndexedDB), on this device only, until you forget it. Choose this only on a computer that is yours.", "keep-files")}
        </fieldset>
        <div class="privacy-actions">
            <button type="button" class="button small danger" data-testid="forget-everything" on:click=move |_| engine.forget_everything()>
                "Forget everything on this device"
            </button>
        </div>
        <p class="small keep-note" data-testid="keep-note" role="status">{move || note.get()}</p>
    }
}

/// Every request the page made (URL and start time), from the browser's resource timing;
/// the page itself first.
fn requests() -> Vec<(String, f64)> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let page = window.location().href().unwrap_or_default();
    let mut out = vec![(page, 0.0)];
    if let Some(perf) = window.performance() {
        out.extend(
            perf.get_entries_by_type("resource")
                .iter()
                .filter_map(|e| e.dyn_into::<web_sys::PerformanceEntry>().ok())
                .map(|e| (e.name(), e.start_time())),
        );
    }
    out
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
