use leptos::prelude::*;

/// The last error as a sentence, with a way to dismiss it. The app stays usable.
#[component]
pub fn ErrorBanner(
    error: RwSignal<Option<String>>,
    /// The message's test id (`error` unless given).
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let test_id = test_id.unwrap_or("error");
    view! {
        <Show when=move || error.with(Option::is_some)>
            <div class="error-banner" role="alert">
                <span class="error-icon" aria-hidden="true">"!"</span>
                <p data-testid=test_id>{move || error.get().unwrap_or_default()}</p>
                <button class="ghost" on:click=move |_| error.set(None) aria-label="Dismiss this message">"Dismiss"</button>
            </div>
        </Show>
    }
}
