//! The "Branches" panel: "Branch name" and "Branch here" fork the log at the timeline's position,
//! the "Branch" select puts a branch on the page, and the "Branch comparison" region sets main and
//! that branch side by side.

use crate::app::{Action, BranchAction, ComparedRow, ComparisonView};
use crate::format::{count, group};
use crate::kernel::Position;
use crate::ui::app::PanelProps;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the panel shows changes with: the domains' and queries' revisions, the head, the timeline's
/// position and the branch on the page.
pub type BranchesKey = (u64, u64, Position, Position, String);

fn compared_table(caption: String, main: &str, branch: &str, rows: &[ComparedRow]) -> Html {
    html! {
        <table class="compared">
            <caption>{ caption }</caption>
            <thead>
                <tr>
                    <th scope="col">{ "Value" }</th>
                    <th scope="col">{ main.to_owned() }</th>
                    <th scope="col">{ branch.to_owned() }</th>
                    <th scope="col">{ "Differs" }</th>
                </tr>
            </thead>
            <tbody>
                { for rows.iter().map(|row| html! {
                    <tr class={classes!(row.differs().then_some("differs"))}>
                        <th scope="row">{ row.label.clone() }</th>
                        <td>{ row.main.clone() }</td>
                        <td>{ row.branch.clone() }</td>
                        <td>{ if row.differs() { "yes" } else { "" } }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn comparison_html(view: &ComparisonView) -> Html {
    let name = view.branch.name.as_str();
    let (differing, same): (Vec<ComparedRow>, Vec<ComparedRow>) =
        view.models.iter().cloned().partition(ComparedRow::differs);
    let state_caption = match &view.aggregate {
        Some(aggregate) => format!("{aggregate} in main and in {name}"),
        None => "The selected aggregate in main and in the branch".to_owned(),
    };
    html! {
        <section class="branch-comparison" role="region" aria-label="Branch comparison">
            <h3>{ format!("Branch comparison: main and “{name}”") }</h3>
            <p class="hint">
                { format!(
                    "“{name}” was forked from {} at #{}; it shares {} with main. After that, main has {} and {name} has {}.",
                    view.branch.parent,
                    group(view.branch.fork),
                    count(view.branch.common, "event"),
                    count(view.main_after, "event"),
                    count(view.branch_after, "event"),
                ) }
            </p>
            { compared_table(state_caption, "main", name, &view.state) }
            <p class="hint">
                { format!("{} of the read models' {} differ.", group(differing.len() as u64), count(view.models.len() as u64, "value")) }
            </p>
            if !differing.is_empty() {
                { compared_table(format!("Read models in main and in {name}"), "main", name, &differing) }
            }
            if !same.is_empty() {
                <details class="same-values">
                    <summary>{ format!("The {} that are the same", count(same.len() as u64, "value")) }</summary>
                    { compared_table(format!("Read model values the same in main and in {name}"), "main", name, &same) }
                </details>
            }
        </section>
    }
}

/// The comparison, redrawn when the logs or the selection change (not when the timeline moves:
/// it compares both branches at their heads).
#[component]
fn Comparison(props: &PanelProps<(u64, u64, Position, String)>) -> Html {
    let comparison = props.shared.playground.borrow().branch_comparison();
    match comparison {
        Some(comparison) => comparison_html(&comparison),
        None => Html::default(),
    }
}

/// The branch controls and the comparison.
#[component]
pub fn Branches(props: &PanelProps<BranchesKey>) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let view = p.branches_view();
    let position = p.position();
    drop(p);
    let (domains, queries, head, _, branch) = props.key_of.clone();
    let on_name = dispatch.reform(|e: InputEvent| {
        Action::Branch(BranchAction::EditName(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let on_here = dispatch.reform(|_: MouseEvent| Action::Branch(BranchAction::Here));
    let on_select = dispatch.reform(|e: Event| {
        Action::Branch(BranchAction::Select(
            e.target_unchecked_into::<HtmlSelectElement>().value(),
        ))
    });
    html! {
        <section class="panel branches" id="branches" aria-labelledby="branches-heading">
            <h2 id="branches-heading">{ "Branches" }</h2>
            <div class="row branch-row">
                <div class="field">
                    <label for="branch-name">{ "Branch name" }</label>
                    <input id="branch-name" type="text" value={view.name_input.clone()}
                        placeholder={view.default_name.clone()} oninput={on_name}
                        aria-describedby="branch-hint" />
                </div>
                <button type="button" onclick={on_here} aria-describedby="branch-hint">{ "Branch here" }</button>
                <div class="field">
                    <label for="branch-select">{ "Branch" }</label>
                    <select id="branch-select" onchange={on_select}>
                        { for view.names.iter().map(|name| html! {
                            <option value={name.clone()} selected={*name == view.selected}>{ name.clone() }</option>
                        }) }
                    </select>
                </div>
            </div>
            <p class="hint" id="branch-hint">
                { format!(
                    "Branch here forks “{}” at #{} (the timeline's position) into a branch named “{}” unless you type a name: it shares those events, without copying them, and takes commands of its own; “{}” stays as it is.",
                    view.selected,
                    group(position),
                    view.default_name,
                    view.selected,
                ) }
            </p>
            <Comparison shared={props.shared.clone()} key_of={(domains, queries, head, branch)} />
        </section>
    }
}
