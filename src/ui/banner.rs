use leptos::prelude::*;

/// A message across the page, with a button to dismiss it: by default an error (what went
/// wrong and what to do), announced at once; with `notice`, something the user should
/// know that is not an error of theirs (work stopped as asked, a worker replaced), in the
/// page's neutral colours and announced politely.
#[component]
pub fn Banner(
    message: RwSignal<Option<String>>,
    /// A notice rather than an error.
    #[prop(optional)]
    notice: bool,
    /// The message's test id (`error` unless given).
    #[prop(optional)]
    test_id: Option<&'static str>,
) -> impl IntoView {
    let test_id = test_id.unwrap_or("error");
    let (class, role, icon) = if notice {
        ("banner notice", "status", "i")
    } else {
        ("banner error", "alert", "!")
    };
    view! {
        <Show when=move || message.with(Option::is_some)>
            <div class=class role=role>
                <span class="banner-icon" aria-hidden="true">{icon}</span>
                <p data-testid=test_id>{move || message.get().unwrap_or_default()}</p>
                <button class="ghost" on:click=move |_| message.set(None) aria-label="Dismiss this message">"Dismiss"</button>
            </div>
        </Show>
    }
}
