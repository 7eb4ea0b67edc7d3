//! Step 6: taking the segments to other tools.

use leptos::prelude::*;

use segmenta_core::export::presets::{PRESETS, Preset};

use crate::engine::Engine;
use crate::ui::StepTitle;

mod campaigns;
mod recipe_file;

pub use campaigns::CampaignsPanel;
pub use recipe_file::{LoadRecipeButton, RecipeFile};

/// Downloads: the labelled CSV, one list per segment, and files for email, CRM and ad
/// tools.
#[component]
pub fn ExportStep(
    #[prop(into)] id_column: Signal<Option<String>>,
    #[prop(into)] busy: Signal<bool>,
    /// What the user should know about the last export.
    #[prop(into)]
    note: Signal<Option<String>>,
    /// The page state, for the rule segments.
    state: crate::state::AppState,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    let preset = RwSignal::new(Preset::Mailchimp);
    let country = RwSignal::new(String::new());
    let options = PRESETS
        .iter()
        .map(|p| view! { <option value=p.id()>{p.label()}</option> })
        .collect_view();
    let preset_hint = move || match preset.get() {
        Preset::Mailchimp => {
            "Columns Email Address, First Name, Last Name, Phone Number and Tags (the segment name), as Mailchimp's contact import expects. Customers without an email address are left out."
        }
        Preset::Hubspot => {
            "Columns Email, First Name, Last Name, Phone Number and Segment, as HubSpot's contact import expects; map Segment to a contact property when importing."
        }
        Preset::Klaviyo => {
            "Columns Email, Phone Number, First Name, Last Name and Segment, as Klaviyo's list import expects."
        }
        Preset::AdsHashed => {
            "A zip with one file per segment for customer-match audiences (Google Ads, Meta): emails, phones and names normalized and SHA-256 hashed on this device, so the ad platform can match them without receiving them in clear."
        }
    };
    // Columns flagged as personal data, with their kind in words, in column order.
    let personal = Memo::new(move |_| {
        state.dataset.with(|d| {
            d.iter()
                .flat_map(|d| &d.columns)
                .filter_map(|c| c.pii.clone().map(|kind| (c.name.clone(), kind)))
                .collect::<Vec<_>>()
        })
    });
    let toggle = move |name: String, on: bool| {
        let order = personal.get_untracked();
        state.attach.update(|chosen| {
            chosen.retain(|n| *n != name);
            if on {
                chosen.push(name);
            }
            chosen.sort_by_key(|n| order.iter().position(|(c, _)| c == n));
        });
    };
    let attach_choices = move || {
        let columns = personal.get();
        (!columns.is_empty()).then(|| {
            let boxes = columns
                .into_iter()
                .map(|(name, kind)| {
                    let checked = {
                        let name = name.clone();
                        move || state.attach.with(|a| a.contains(&name))
                    };
                    let changed = name.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" data-testid="attach-column" value=name.clone() prop:checked=checked
                                on:change=move |ev| toggle(changed.clone(), event_target_checked(&ev))/>
                            <span>{name}</span>
                            <span class="muted small">{format!(" ({kind})")}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="attach" data-testid="attach-columns">
                    <legend>"Add contact details to the labelled CSV and the lists"</legend>
                    <div class="attach-boxes">{boxes}</div>
                    <p class="hint">"These columns hold personal data, so Segmenta never used them to form the segments. Tick only what the tool receiving the file needs to recognise each customer."</p>
                </fieldset>
            }
        })
    };
    let columns = move || {
        let id = id_column
            .get()
            .unwrap_or_else(|| "row (the row number)".to_owned());
        format!(
            "One line per customer, in the same order as your file: {id}, segment (the number) and segment_name; with an order log also the RFM scores and segment, churn risk (chance of having stopped buying), lifetime value and an at-risk flag; then your rule segments and each customer's campaign, and the contact details you tick below."
        )
    };
    view! {
        <section id="act" class="step card">
            <StepTitle n=6 title="Use the segments" hint="Take each customer's segment to your email tool, CRM or spreadsheet. The file is made on this device."/>
            <CampaignsPanel state/>
            <div class="export-row">
                <button class="button primary" data-testid="export-labels" on:click=move |_| engine.export_labels() disabled=move || busy.get()>
                    "Download labelled CSV"
                </button>
                <p class="hint">{columns}</p>
            </div>
            {attach_choices}
            <div class="export-row">
                <button class="button" data-testid="export-lists" on:click=move |_| engine.export_segment_lists() disabled=move || busy.get()>
                    "Download one file per segment (.zip)"
                </button>
                <p class="hint">"The same columns, one CSV per segment, for tools that take one list at a time."</p>
            </div>
            <div class="export-row">
                <button class="button" data-testid="export-report" on:click=move |_| engine.export_report() disabled=move || busy.get()>
                    "Download report (HTML)"
                </button>
                <p class="hint">"The segments, how they were found, their quality and a model card (data flow, inputs used and left out, limitations, human oversight). Open it and print to PDF."</p>
            </div>
            <div class="export-row preset-row">
                <label class="field">
                    <span>"For your email, CRM or ad tool"</span>
                    <select data-testid="export-preset" on:change=move |ev| {
                        if let Some(p) = Preset::from_id(&event_target_value(&ev)) {
                            preset.set(p);
                        }
                    }>{options}</select>
                </label>
                <Show when=move || preset.get() == Preset::AdsHashed>
                    <label class="field">
                        <span>"Country code for phones without one"</span>
                        <input type="text" inputmode="numeric" placeholder="e.g. 44" size="6" data-testid="export-country-code"
                            prop:value=move || country.get() on:input=move |ev| country.set(event_target_value(&ev))/>
                    </label>
                </Show>
                <button class="button" data-testid="export-preset-download" disabled=move || busy.get() on:click=move |_| {
                    let code = country.get_untracked();
                    let code = (!code.trim().is_empty()).then(|| code.trim().to_owned());
                    engine.export_preset(preset.get_untracked(), code);
                }>"Download"</button>
                <p class="hint">
                    {preset_hint}
                    " Emails, phones and names are added back only in this file; they were never used to form the segments. Cells that a spreadsheet would run as formulas are made harmless."
                </p>
            </div>
            {move || note.get().map(|n| view! { <p class="notes small" role="status" data-testid="export-note">{n}</p> })}
            <RecipeFile busy=busy/>
        </section>
    }
}
