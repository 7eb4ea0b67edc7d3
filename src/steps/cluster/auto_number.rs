use leptos::prelude::*;

/// A number the user may leave to Segmenta: an "Auto" box and the field, with its help or
/// its error below.
#[component]
pub fn AutoNumberField(
    id: &'static str,
    label: &'static str,
    auto: RwSignal<bool>,
    text: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    /// Shown below the field while Auto is ticked.
    #[prop(into)]
    auto_help: Signal<String>,
    /// Shown below the field otherwise.
    help: &'static str,
    #[prop(default = "any")] step: &'static str,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    let auto_id = format!("{id}-auto");
    let auto_for = auto_id.clone();
    let described = help_id.clone();
    let invalid = move || !auto.get() && error.with(Option::is_some);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="auto-row">
                <label class="check" for=auto_for>
                    <input
                        id=auto_id
                        type="checkbox"
                        data-testid=format!("{id}-auto")
                        prop:checked=move || auto.get()
                        on:change=move |ev| auto.set(event_target_checked(&ev))
                    />
                    "Auto"
                </label>
                <input
                    id=id
                    type="number"
                    step=step
                    inputmode="decimal"
                    data-testid=id
                    disabled=move || auto.get()
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=described
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </div>
            <p id=help_id class="field-help" class:invalid=invalid>
                {move || {
                    if auto.get() {
                        auto_help.get()
                    } else {
                        error.get().unwrap_or_else(|| help.to_owned())
                    }
                }}
            </p>
        </div>
    }
}
