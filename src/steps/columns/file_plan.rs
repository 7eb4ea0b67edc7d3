use leptos::prelude::*;
use segmenta_core::features::orders::Amount;
use segmenta_core::features::roles::FilePlan;

use crate::engine::Engine;
use crate::plans::{
    SHAPES, roles, set_role, shape_blocked, shape_value, switch_amount, switch_shape,
};
use crate::protocol::FileView;

/// What the file is, and which column plays which part — the guess, open to correction.
#[component]
pub fn FilePlanForm(
    #[prop(into)] file: Signal<Option<FileView>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    move || {
        let f = file.get()?;
        let index = f.index;
        let plan = f.plan.clone();
        let columns = f.columns.clone();
        let shape_options = SHAPES
            .iter()
            .map(|(value, label)| {
                let blocked = shape_blocked(value, &columns);
                let text = match blocked {
                    Some(why) => format!("{label} — not possible: {why}"),
                    None => (*label).to_owned(),
                };
                view! { <option value=*value selected=*value == shape_value(&plan) disabled=blocked.is_some()>{text}</option> }
            })
            .collect_view();
        let change_shape = {
            let (plan, columns) = (plan.clone(), columns.clone());
            move |ev| {
                engine.set_plan(
                    index,
                    switch_shape(&plan, &event_target_value(&ev), &columns),
                )
            }
        };
        let amount_mode = match &plan {
            FilePlan::Orders(r) => Some(matches!(r.amount, Amount::QuantityPrice { .. })),
            _ => None,
        };
        let role_fields = roles(&plan)
            .into_iter()
            .map(|(role, current)| {
                let options = columns
                    .iter()
                    .filter(|c| role.fits(c))
                    .map(|c| view! { <option value=c.name.clone() selected=c.name == current>{c.name.clone()}</option> })
                    .collect_view();
                let id = format!("role-{}-{}", index, role.label().to_lowercase().replace(' ', "-"));
                let plan = plan.clone();
                let none = role.optional() || (role == crate::plans::Role::Customer && matches!(plan, FilePlan::Customers { .. }));
                view! {
                    <div class="field compact">
                        <label for=id.clone()>{role.label()}</label>
                        <select
                            id=id.clone()
                            data-testid=format!("role-{}", role.label().to_lowercase().replace(' ', "-"))
                            disabled=move || busy.get()
                            on:change=move |ev| engine.set_plan(index, set_role(&plan, role, &event_target_value(&ev)))
                        >
                            {none.then(|| view! { <option value="" selected=current.is_empty()>"(none)"</option> })}
                            {options}
                        </select>
                    </div>
                }
            })
            .collect_view();
        let amount_switch = amount_mode.map(|qp| {
            let (plan, columns) = (plan.clone(), columns.clone());
            view! {
                <div class="field compact">
                    <label for="amount-mode">"Order value is"</label>
                    <select id="amount-mode" disabled=move || busy.get() on:change=move |ev| engine.set_plan(index, switch_amount(&plan, event_target_value(&ev) == "qp", &columns))>
                        <option value="column" selected=!qp>"One column"</option>
                        <option value="qp" selected=qp>"Quantity × unit price"</option>
                    </select>
                </div>
            }
        });
        Some(view! {
            <div class="plan" data-testid="file-plan">
                <p class="guess">{f.guess.clone()}</p>
                <div class="options-row">
                    <div class="field compact wide">
                        <label for="file-shape">{format!("{} is", f.name)}</label>
                        <select id="file-shape" data-testid="file-shape" disabled=move || busy.get() on:change=change_shape>{shape_options}</select>
                    </div>
                    {amount_switch}
                    {role_fields}
                </div>
            </div>
        })
    }
}
