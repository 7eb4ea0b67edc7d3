use leptos::prelude::*;

/// The last error as a sentence, with a way to dismiss it. The app stays usable.
#[component]
pub fn ErrorBanner(error: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <div class="error-banner" role="alert">
                <span class="error-icon" aria-hidden="true">"!"</span>
                <p data-testid="error">{move || error.get().unwrap_or_default()}</p>
                <button class="ghost" on:click=move |_| error.set(None) aria-label="Dismiss this message">"Dismiss"</button>
            </div>
        </Show>
    }
}
