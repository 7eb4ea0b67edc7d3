use leptos::prelude::*;

/// The top bar: name, what it does, and the privacy promise.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true"></span>
                <span class="brand-name">"Segmenta"</span>
                <span class="brand-tag">"Customer segments from your own data"</span>
            </div>
            <p class="privacy-badge" title="Segmenta reads your files inside this browser tab. Nothing is uploaded: there is no server that could receive your data.">
                <svg viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
                    <path d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 6V4.5a2 2 0 1 1 4 0V7H6Z"/>
                </svg>
                "Your data stays on this device"
            </p>
        </header>
    }
}
