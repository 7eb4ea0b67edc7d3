use leptos::prelude::*;
use segmenta_core::explain::rfm::RfmSegment;
use segmenta_core::explain::{capitalize, humanize};
use segmenta_core::rules::Op;
use segmenta_core::table::ColumnKind;

use crate::campaigns::{Condition, Draft};
use crate::engine::Engine;
use crate::format::count;
use crate::state::AppState;

/// Comparisons offered, with their words.
const OPS: [(Op, &str); 6] = [
    (Op::Ge, "at least"),
    (Op::Gt, "more than"),
    (Op::Le, "at most"),
    (Op::Lt, "less than"),
    (Op::Eq, "exactly"),
    (Op::Ne, "not"),
];

/// Rule segments ("no purchase in 90 days AND spent at least 500") with live counts, and
/// the campaign priority that gives each customer one campaign.
#[component]
pub fn CampaignsPanel(state: AppState) -> impl IntoView {
    let engine = expect_context::<Engine>();
    // Count again whenever the rules, the priority or the segments change.
    Effect::new(move |_| {
        state.drafts.track();
        state.priority.track();
        state.result.track();
        engine.set_rules();
    });
    let columns = move |numeric: bool| {
        state.dataset.with(|d| {
            d.iter()
                .flat_map(|d| d.columns.iter())
                .filter(|c| c.pii.is_none())
                .filter(|c| {
                    if numeric {
                        c.kind.is_numeric()
                    } else {
                        matches!(c.kind, ColumnKind::Categorical | ColumnKind::Boolean)
                    }
                })
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        })
    };
    // Product categories of the order log, from their share-of-spend columns.
    let categories = move || {
        columns(true)
            .into_iter()
            .filter_map(|c| c.strip_prefix("share_").map(str::to_owned))
            .collect::<Vec<_>>()
    };
    let segment_names = move || {
        state.result.with(|r| {
            r.iter()
                .flat_map(|r| r.segments.iter().map(|s| s.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let edit = move |i: usize, f: Box<dyn FnOnce(&mut Draft)>| {
        state.drafts.update(|d| {
            if let Some(d) = d.get_mut(i) {
                f(d);
            }
        });
    };
    let add = move |_| {
        let has_recency = columns(true).iter().any(|c| c == "recency_days");
        let first = columns(true).into_iter().next().unwrap_or_default();
        state.drafts.update(|d| {
            let n = d.len() + 1;
            d.push(Draft {
                name: if n == 1 && has_recency {
                    "Win back".to_owned()
                } else {
                    format!("Rule segment {n}")
                },
                any: false,
                conditions: vec![if has_recency {
                    Condition::NoPurchase { days: "90".into() }
                } else {
                    Condition::Number {
                        column: first,
                        op: Op::Ge,
                        value: "0".into(),
                    }
                }],
            });
        });
    };

    let choices = Choices {
        numbers: Signal::derive(move || columns(true)),
        categorical: Signal::derive(move || columns(false)),
        categories: Signal::derive(categories),
        segments: Signal::derive(segment_names),
    };

    let drafts = move || {
        state
            .drafts
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let problem = d.rule().err();
                let counted = move || {
                    state.rule_counts.with(|c| {
                        let c = c.as_ref()?.rules.get(i)?;
                        Some(match (&c.customers, &c.error) {
                            (Some(n), _) => view! { <span class="badge" data-testid="rule-count">{count(*n)}" customers"</span> }.into_any(),
                            (_, Some(e)) => view! { <span class="rule-problem">{e.clone()}</span> }.into_any(),
                            _ => ().into_any(),
                        })
                    })
                };
                let conditions = d
                    .conditions
                    .iter()
                    .cloned()
                    .enumerate()
                    .map(|(j, c)| {
                        let set = Callback::new(move |c: Condition| edit(i, Box::new(move |d| d.conditions[j] = c)));
                        let remove = Callback::new(move |()| edit(i, Box::new(move |d| { d.conditions.remove(j); })));
                        condition_view(c, choices, set, remove, false)
                    })
                    .collect_view();
                let any = d.any;
                view! {
                    <article class="rule-segment" data-testid="rule-segment">
                        <header>
                            <input type="text" class="rule-name" aria-label="Name of the rule segment" data-testid="rule-name" prop:value=d.name.clone()
                                on:change=move |ev| { let v = event_target_value(&ev); edit(i, Box::new(move |d| d.name = v)) }/>
                            {problem.map(|p| view! { <span class="rule-problem">{p}</span> })}
                            {counted}
                            <button type="button" class="link small" on:click=move |_| state.drafts.update(|d| { d.remove(i); })>"Delete"</button>
                        </header>
                        <p class="small">
                            "Customers who match "
                            {any_picker(any, "Combine conditions", Callback::new(move |any: bool| edit(i, Box::new(move |d| d.any = any))))}
                            " of these:"
                        </p>
                        <ul class="rule-conditions">{conditions}</ul>
                        <button type="button" class="link small" data-testid="rule-add-condition" on:click=move |_| {
                            let fresh = choices.fresh("number");
                            edit(i, Box::new(move |d| d.conditions.push(fresh)));
                        }>"+ Add a condition"</button>
                    </article>
                }
            })
            .collect_view()
    };

    // Every segment in campaign order: the chosen priority, then the others (rule
    // segments first), as the worker orders them.
    let order = move || {
        let mut names = state.priority.get();
        let rules: Vec<String> = state.rules().into_iter().map(|r| r.name).collect();
        for n in rules.into_iter().chain(segment_names()) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        let existing: Vec<String> = state
            .rules()
            .into_iter()
            .map(|r| r.name)
            .chain(segment_names())
            .collect();
        names.retain(|n| existing.contains(n));
        names
    };
    let shift = move |i: usize, up: bool| {
        let mut names = order();
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        if let Some(j) = j.filter(|&j| j < names.len()) {
            names.swap(i, j);
            state.priority.set(names);
        }
    };
    let priority = move || {
        let names = order();
        let last = names.len().saturating_sub(1);
        names
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let n2 = name.clone();
                let reach = move || {
                    state.rule_counts.with(|c| {
                        c.as_ref()
                            .and_then(|c| c.reach.iter().find(|(n, _)| *n == n2).map(|(_, k)| *k))
                            .unwrap_or(0)
                    })
                };
                view! {
                    <li data-testid="priority-item">
                        <span class="priority-rank">{i + 1}"."</span>
                        <span class="priority-name">{name.clone()}</span>
                        <span class="muted small">{move || format!("{} customers get this campaign", count(reach()))}</span>
                        <button type="button" class="button small" aria-label=format!("Move {name} up") disabled=i == 0 on:click=move |_| shift(i, true)>"↑"</button>
                        <button type="button" class="button small" aria-label=format!("Move {name} down") disabled=i == last on:click=move |_| shift(i, false)>"↓"</button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="campaigns" data-testid="campaigns">
            <h3>"Rule segments and campaigns"</h3>
            <p class="hint">
                "Add segments defined by your own rules, next to the ones found above: a customer can be in several. Then order the segments: each customer gets the campaign of the first segment they are in, so nobody receives two on the same day. The labelled CSV gets a yes/no column per rule segment and "
                <code>"primary_campaign"</code>"."
            </p>
            <div class="rule-segments">{drafts}</div>
            <button type="button" class="button small" data-testid="rule-add" on:click=add>"+ Add a rule segment"</button>
            <h4>"Campaign priority"</h4>
            <ol class="priority" data-testid="priority">{priority}</ol>
            {move || state.rule_counts.with(|c| c.as_ref().filter(|c| c.unreached > 0).map(|c| view! {
                <p class="small muted">{format!("{} customers are in no segment and get no campaign.", count(c.unreached))}</p>
            }))}
        </div>
    }
}

/// What the condition pickers offer: numeric and category columns, product categories,
/// clustered segments.
#[derive(Clone, Copy)]
struct Choices {
    numbers: Signal<Vec<String>>,
    categorical: Signal<Vec<String>>,
    categories: Signal<Vec<String>>,
    segments: Signal<Vec<String>>,
}

impl Choices {
    fn first_number(&self) -> String {
        self.numbers
            .with_untracked(|n| n.first().cloned())
            .unwrap_or_default()
    }

    /// A new condition of kind `kind`, with the first choices filled in.
    fn fresh(&self, kind: &str) -> Condition {
        let first =
            |s: Signal<Vec<String>>| s.with_untracked(|v| v.first().cloned()).unwrap_or_default();
        match kind {
            "no_purchase" => Condition::NoPurchase { days: "90".into() },
            "segment" => Condition::Segment {
                name: first(self.segments),
            },
            "bought" | "not_bought" => Condition::Bought {
                category: first(self.categories),
                bought: kind == "bought",
            },
            "rfm" => Condition::Rfm {
                name: RfmSegment::ALL[0].name().to_owned(),
            },
            "value" => Condition::Value {
                column: first(self.categorical),
                value: String::new(),
            },
            "between" => Condition::Between {
                column: self.first_number(),
                min: "0".into(),
                max: "100".into(),
            },
            "group" => Condition::Group {
                any: true,
                conditions: vec![self.fresh("number")],
            },
            _ => Condition::Number {
                column: self.first_number(),
                op: Op::Ge,
                value: "0".into(),
            },
        }
    }
}

/// "all" / "any" of the conditions that follow.
fn any_picker(any: bool, label: &'static str, on: Callback<bool>) -> impl IntoView {
    view! {
        <select aria-label=label data-testid="rule-combine" on:change=move |ev| on.run(event_target_value(&ev) == "any")>
            <option value="all" selected=!any>"all"</option>
            <option value="any" selected=any>"any"</option>
        </select>
    }
}

/// `<option>`s for `names`, `chosen` selected; columns read by their meaning ("Total
/// spent"), as elsewhere on the page.
fn options(names: Vec<String>, chosen: &str, columns: bool) -> impl IntoView {
    names
        .into_iter()
        .map(|n| {
            let selected = n == chosen;
            let shown = if columns {
                segmenta_core::explain::describe::label(&n)
            } else {
                n.clone()
            };
            view! { <option value=n.clone() selected=selected>{shown}</option> }
        })
        .collect_view()
}

/// One condition's editor: its kind, its fields, and Remove. Inside a group (`nested`) the
/// kinds offered leave out groups.
fn condition_view(
    c: Condition,
    choices: Choices,
    set: Callback<Condition>,
    remove: Callback<()>,
    nested: bool,
) -> AnyView {
    let kind = c.kind();
    let fields = match c {
        Condition::Number { column, op, value } => {
            let (c2, v2) = (column.clone(), value.clone());
            let ops = OPS
                .iter()
                .map(|(o, w)| view! { <option value=w.to_string() selected={*o == op}>{*w}</option> })
                .collect_view();
            view! {
                <select aria-label="Column" on:change={
                    let value = value.clone();
                    move |ev| set.run(Condition::Number { column: event_target_value(&ev), op, value: value.clone() })
                }>{options(choices.numbers.get_untracked(), &column, true)}</select>
                <select aria-label="Comparison" on:change={
                    let column = column.clone();
                    let value = value.clone();
                    move |ev| {
                        let w = event_target_value(&ev);
                        let op = OPS.iter().find(|(_, x)| *x == w).map_or(Op::Ge, |(o, _)| *o);
                        set.run(Condition::Number { column: column.clone(), op, value: value.clone() });
                    }
                }>{ops}</select>
                <input type="text" inputmode="decimal" size="8" aria-label="Value" prop:value=v2
                    on:change=move |ev| set.run(Condition::Number { column: c2.clone(), op, value: event_target_value(&ev) })/>
            }
            .into_any()
        }
        Condition::Between { column, min, max } => {
            let (c2, c3, min2, max2) = (column.clone(), column.clone(), min.clone(), max.clone());
            view! {
                <select aria-label="Column" on:change={
                    let (min, max) = (min.clone(), max.clone());
                    move |ev| set.run(Condition::Between { column: event_target_value(&ev), min: min.clone(), max: max.clone() })
                }>{options(choices.numbers.get_untracked(), &column, true)}</select>
                <span>"from"</span>
                <input type="text" inputmode="decimal" size="7" aria-label="Lowest value" data-testid="rule-min" prop:value=min
                    on:change=move |ev| set.run(Condition::Between { column: c2.clone(), min: event_target_value(&ev), max: max2.clone() })/>
                <span>"to"</span>
                <input type="text" inputmode="decimal" size="7" aria-label="Highest value" data-testid="rule-max" prop:value=max
                    on:change=move |ev| set.run(Condition::Between { column: c3.clone(), min: min2.clone(), max: event_target_value(&ev) })/>
            }
            .into_any()
        }
        Condition::Group { any, conditions } => {
            let children = conditions
                .iter()
                .cloned()
                .enumerate()
                .map(|(k, child)| {
                    let (for_set, for_remove) = (conditions.clone(), conditions.clone());
                    let set_child = Callback::new(move |c: Condition| {
                        let mut all = for_set.clone();
                        all[k] = c;
                        set.run(Condition::Group { any, conditions: all });
                    });
                    let remove_child = Callback::new(move |()| {
                        let mut all = for_remove.clone();
                        all.remove(k);
                        set.run(Condition::Group { any, conditions: all });
                    });
                    condition_view(child, choices, set_child, remove_child, true)
                })
                .collect_view();
            let (for_any, for_add) = (conditions.clone(), conditions);
            let on_any = Callback::new(move |any: bool| {
                set.run(Condition::Group {
                    any,
                    conditions: for_any.clone(),
                });
            });
            view! {
                <div class="rule-group" data-testid="rule-group">
                    <p class="small">{any_picker(any, "Combine the group's conditions", on_any)}" of these:"</p>
                    <ul class="rule-conditions">{children}</ul>
                    <button type="button" class="link small" data-testid="rule-group-add" on:click=move |_| {
                        let mut all = for_add.clone();
                        all.push(choices.fresh("number"));
                        set.run(Condition::Group { any, conditions: all });
                    }>"+ Add a condition to the group"</button>
                </div>
            }
            .into_any()
        }
        Condition::NoPurchase { days } => view! {
            <input type="text" inputmode="numeric" size="5" aria-label="Days" data-testid="rule-days" prop:value=days
                on:change=move |ev| set.run(Condition::NoPurchase { days: event_target_value(&ev) })/>
            <span>"days"</span>
        }
        .into_any(),
        Condition::Segment { name } => view! {
            <select aria-label="Segment" on:change=move |ev| set.run(Condition::Segment { name: event_target_value(&ev) })>
                {options(choices.segments.get_untracked(), &name, false)}
            </select>
        }
        .into_any(),
        Condition::Bought { category, bought } => {
            let choices = choices
                .categories
                .get_untracked()
                .into_iter()
                .map(|c| {
                    let selected = c == category;
                    let shown = capitalize(&humanize(&c));
                    view! { <option value=c.clone() selected=selected>{shown}</option> }
                })
                .collect_view();
            view! {
                <select aria-label="Category" on:change=move |ev| set.run(Condition::Bought { category: event_target_value(&ev), bought })>
                    {choices}
                </select>
            }
            .into_any()
        }
        Condition::Rfm { name } => {
            let names: Vec<String> = RfmSegment::ALL.iter().map(|r| r.name().to_owned()).collect();
            view! {
                <select aria-label="RFM segment" on:change=move |ev| set.run(Condition::Rfm { name: event_target_value(&ev) })>
                    {options(names, &name, false)}
                </select>
            }
            .into_any()
        }
        Condition::Value { column, value } => {
            let c2 = column.clone();
            view! {
                <select aria-label="Column" on:change={
                    let value = value.clone();
                    move |ev| set.run(Condition::Value { column: event_target_value(&ev), value: value.clone() })
                }>{options(choices.categorical.get_untracked(), &column, true)}</select>
                <span>"is"</span>
                <input type="text" size="12" aria-label="Values, separated by commas" placeholder="e.g. France, Spain" prop:value=value
                    on:change=move |ev| set.run(Condition::Value { column: c2.clone(), value: event_target_value(&ev) })/>
            }
            .into_any()
        }
    };
    let kinds = KINDS
        .iter()
        .filter(|(id, _)| !(nested && *id == "group"))
        .map(|(id, words)| view! { <option value=*id selected={*id == kind}>{*words}</option> })
        .collect_view();
    view! {
        <li class="rule-condition" data-testid="rule-condition">
            <select aria-label="Kind of condition" data-testid="rule-kind" on:change=move |ev| set.run(choices.fresh(&event_target_value(&ev)))>{kinds}</select>
            {fields}
            <button type="button" class="link small" aria-label=if kind == "group" { "Remove this group" } else { "Remove this condition" }
                on:click=move |_| remove.run(())>{if kind == "group" { "Remove the group" } else { "Remove" }}</button>
        </li>
    }
    .into_any()
}

/// Kinds of condition, with their words.
const KINDS: [(&str, &str); 9] = [
    ("number", "A number is"),
    ("between", "A number between"),
    ("no_purchase", "No purchase in the last"),
    ("segment", "In the segment"),
    ("rfm", "In the RFM segment"),
    ("bought", "Bought in the category"),
    ("not_bought", "Never bought in the category"),
    ("value", "A column's value"),
    ("group", "A group: all or any of…"),
];
