use std::collections::BTreeMap;

use leptos::prelude::*;
use segmenta_core::table::ColumnChoice;

use crate::format::count;
use crate::protocol::ColumnView;

/// What the user said columns are, and how to change it; the preview of a file offers
/// it, the preview of the customer table (built, not read) does not.
#[derive(Clone, Copy)]
pub struct KindChoices {
    /// The choices made, by column name.
    pub chosen: Signal<BTreeMap<String, ColumnChoice>>,
    /// Whether the file is being read (the menus wait).
    pub busy: Signal<bool>,
    /// Sets (`Some`) or clears (`None`) a column's choice.
    pub set: Callback<(String, Option<ColumnChoice>)>,
}

/// The first rows, with each column's kind and missing count in its header. With
/// `choices`, each kind is a menu to read the column as another kind.
#[component]
pub fn PreviewTable(
    #[prop(into)] columns: Signal<Vec<ColumnView>>,
    #[prop(into)] rows: Signal<Vec<Vec<String>>>,
    #[prop(into)] total: Signal<usize>,
    test_id: &'static str,
    label: &'static str,
    #[prop(optional)] choices: Option<KindChoices>,
) -> impl IntoView {
    move || {
        let cols = columns.get();
        if cols.is_empty() {
            return None;
        }
        let chosen = choices.map(|c| c.chosen.get()).unwrap_or_default();
        let head = cols
            .iter()
            .map(|c| {
                let missing = (c.missing > 0).then(|| format!("{} missing", count(c.missing)));
                let kind = match choices {
                    Some(choices) => kind_menu(c, chosen.get(&c.name).copied(), choices).into_any(),
                    None => kind_chip(c).into_any(),
                };
                view! {
                    <th scope="col">
                        <span class="col-name">{c.name.clone()}</span>
                        <span class="chips">
                            {kind}
                            {missing.map(|m| view! { <span class="chip missing">{m}</span> })}
                        </span>
                    </th>
                }
            })
            .collect_view();
        let body = rows.with(|rows| {
            rows.iter()
                .map(|row| {
                    view! {
                        <tr>
                            {row.iter()
                                .map(|cell| if cell.is_empty() {
                                    view! { <td class="empty" title="missing">"—"</td> }.into_any()
                                } else {
                                    view! { <td>{cell.clone()}</td> }.into_any()
                                })
                                .collect_view()}
                        </tr>
                    }
                })
                .collect_view()
        });
        let shown = rows.with(Vec::len);
        Some(view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=label>
                <table class="preview" data-testid=test_id>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <p class="muted small">{format!("Showing the first {} of {} rows.", shown, count(total.get()))}</p>
        })
    }
}

/// The chip's colour class and words for what a column holds.
fn chip_look(c: &ColumnView) -> (String, &'static str) {
    match &c.pii {
        Some(_) => ("chip pii".to_owned(), "personal data"),
        None => (
            format!("chip kind-{:?}", c.kind).to_lowercase(),
            c.kind.label(),
        ),
    }
}

fn kind_chip(c: &ColumnView) -> impl IntoView {
    let (class, words) = chip_look(c);
    view! { <span class=class title=c.pii.clone()>{words}</span> }
}

/// The chip as a menu: what the column holds now, then every other kind to read it as.
/// Once the user has chosen, the first entry goes back to what Segmenta worked out.
fn kind_menu(c: &ColumnView, current: Option<ColumnChoice>, choices: KindChoices) -> impl IntoView {
    let (class, words) = chip_look(c);
    let now = if c.pii.is_some() {
        ColumnChoice::Personal
    } else {
        ColumnChoice::of_kind(c.kind)
    };
    let first = match current {
        Some(_) => "as Segmenta read it".to_owned(),
        None => words.to_owned(),
    };
    let others = ColumnChoice::ALL
        .into_iter()
        .filter(|choice| current.is_some() || *choice != now)
        .map(|choice| {
            view! {
                <option value=choice.key() selected=current == Some(choice)>{choice.label()}</option>
            }
        })
        .collect_view();
    let name = c.name.clone();
    let title = match (current, &c.pii) {
        (Some(_), _) => "You chose this. Pick “as Segmenta read it” to undo.".to_owned(),
        (None, Some(kind)) => format!(
            "Looks like {kind}, so it is never used to group customers. Change it if it is not."
        ),
        (None, None) => "Worked out from the values. Change it if it is wrong.".to_owned(),
    };
    view! {
        <span class="chip-pick" class:chosen=current.is_some()>
            <select
                class=class
                data-testid="column-kind"
                data-column=c.name.clone()
                aria-label=format!("What “{}” holds", c.name)
                title=title
                disabled=move || choices.busy.get()
                on:change=move |ev| {
                    let choice = ColumnChoice::from_key(&event_target_value(&ev));
                    choices.set.run((name.clone(), choice));
                }
            >
                <option value="" selected=current.is_none()>{first}</option>
                <optgroup label="Read it as">{others}</optgroup>
            </select>
        </span>
    }
}
