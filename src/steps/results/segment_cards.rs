use leptos::prelude::*;
use segmenta_core::explain::SegmentProfile;

use crate::format::{count, percent, value};
use crate::protocol::LifetimeView;
use crate::ui::profile_color;

/// One card per segment: its name, size, what sets it apart in sentences that quote their
/// numbers, the usual action for its RFM position, and its predicted value.
#[component]
pub fn SegmentCards(
    segments: Vec<SegmentProfile>,
    lifetime: Option<LifetimeView>,
    /// Called with a segment's number and its new name (blank: Segmenta's own); without
    /// it the names cannot be edited.
    #[prop(optional)]
    on_rename: Option<Callback<(usize, String)>>,
) -> impl IntoView {
    let horizon = lifetime.as_ref().map_or(0.0, |l| l.horizon_days);
    let values = lifetime
        .filter(|l| l.unavailable.is_none())
        .map(|l| l.segments);
    let cards = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let color = profile_color(s);
            let border = color.clone();
            let action = s.rfm.map(|r| {
                view! { <p class="seg-action"><strong>"Usual next step: "</strong>{r.action()}</p> }
            });
            let value_line = values.as_ref().and_then(|v| v.get(i)).filter(|v| v.customers > 0).map(|v| {
                view! {
                    <p class="seg-value" data-testid="segment-value">
                        {format!(
                            "{} likely still active · {} at risk · expected value {} per customer over {} days",
                            percent(v.p_alive),
                            percent(v.at_risk as f64 / v.customers as f64),
                            value(v.clv),
                            crate::format::fixed(horizon, 0)
                        )}
                    </p>
                }
            });
            let name = on_rename.map_or_else(
                || view! { <h3>{s.name.clone()}</h3> }.into_any(),
                |on_rename| view! { <EditableName index=i profile=s.clone() on_rename/> }.into_any(),
            );
            view! {
                <article class="seg-card" data-testid="segment-card" style:border-top-color=border>
                    <header>
                        <span class="swatch" style:background=color></span>
                        {name}
                        <span class="muted">{format!("{} · {}", count(s.size), percent(s.share))}</span>
                    </header>
                    <ul class="seg-description">
                        {s.description.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}
                    </ul>
                    {action}
                    {value_line}
                </article>
            }
        })
        .collect_view();
    view! { <div class="seg-cards">{cards}</div> }
}

/// A segment's name with a Rename button that turns it into a field: Enter or Save keeps
/// the new name, Escape or Cancel leaves it; a renamed segment offers Segmenta's own back.
#[component]
fn EditableName(
    index: usize,
    profile: SegmentProfile,
    on_rename: Callback<(usize, String)>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(profile.name.clone());
    let input = NodeRef::<leptos::html::Input>::new();
    // Focus the field each time it appears (`NodeRef::on_load` runs only once, and the
    // field comes and goes).
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let save = move || {
        editing.set(false);
        on_rename.run((index, draft.get_untracked()));
    };
    let current = profile.name.clone();
    let cancel = move || {
        draft.set(current.clone());
        editing.set(false);
    };
    let cancel_key = cancel.clone();
    let label = format!("New name for “{}”", profile.name);
    let name = profile.name.clone();
    let suggested = profile.automatic_name.clone().map(|auto| {
        let title = format!("Go back to the name Segmenta suggested: {auto}");
        view! {
            <button type="button" class="link small" title=title data-testid="segment-name-reset"
                on:click=move |_| on_rename.run((index, String::new()))>
                {format!("Suggested: {auto} ↺")}
            </button>
        }
    });
    view! {
        <div class="seg-title">
            <Show
                when=move || editing.get()
                fallback=move || view! { <h3>{name.clone()}</h3> }
            >
                <form class="rename" on:submit=move |ev| {
                    ev.prevent_default();
                    save();
                }>
                    <input
                        node_ref=input
                        type="text"
                        maxlength="60"
                        aria-label=label.clone()
                        data-testid="segment-name-input"
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:keydown={
                            let cancel_key = cancel_key.clone();
                            move |ev: web_sys::KeyboardEvent| {
                                if ev.key() == "Escape" {
                                    cancel_key();
                                }
                            }
                        }
                    />
                    <button type="submit" class="button small primary">"Save"</button>
                    <button type="button" class="button small" on:click={
                        let cancel = cancel.clone();
                        move |_| cancel()
                    }>"Cancel"</button>
                </form>
            </Show>
            <div class="seg-links" class:hidden=move || editing.get()>
                <button type="button" class="link small" data-testid="segment-rename"
                    on:click=move |_| editing.set(true)>"Rename"</button>
                {suggested}
            </div>
        </div>
    }
}
