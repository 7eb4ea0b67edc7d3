use leptos::prelude::*;

/// The steps of the user's path, always visible; later steps unlock as data arrives.
#[component]
pub fn Stepper(
    #[prop(into)] has_data: Signal<bool>,
    #[prop(into)] has_result: Signal<bool>,
) -> impl IntoView {
    let steps = [
        ("load", "Load", 0),
        ("understand", "Understand", 1),
        ("features", "Features", 1),
        ("segment", "Segment", 1),
        ("explore", "Explore", 2),
        ("act", "Act", 2),
    ];
    let level = move || {
        if has_result.get() {
            2
        } else if has_data.get() {
            1
        } else {
            0
        }
    };
    view! {
        <nav class="stepper" aria-label="Steps">
            <ol>
                {steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, (id, label, needs))| {
                        let open = move || level() >= needs;
                        view! {
                            <li class:open=open class:locked=move || !open()>
                                <a href=format!("#{id}") aria-disabled=move || (!open()).to_string() tabindex=move || if open() { "0" } else { "-1" }>
                                    <span class="step-n">{i + 1}</span>
                                    <span class="step-label">{label}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
