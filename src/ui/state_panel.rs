//! The "Account state" region: the selected account as of the timeline position.

use super::app::Shared;
use yew::prelude::*;

/// Props: the shared playground.
#[derive(Properties, PartialEq)]
pub struct StatePanelProps {
    /// The playground and its dispatcher.
    pub shared: Shared,
}

fn field(label: &'static str, value: String, changed: bool) -> Html {
    html! {
        <div class={classes!("state-field", changed.then_some("changed"))}>
            <dt>{ label }</dt>
            <dd>
                { value }
                if changed {
                    { " " }
                    <span class="badge">{ "changed" }</span>
                }
            </dd>
        </div>
    }
}

/// Owner, balance, status and version as of the timeline, with what just changed highlighted.
#[component]
pub fn StatePanel(props: &StatePanelProps) -> Html {
    let p = props.shared.playground.borrow();
    let timeline = p.timeline();
    let body = match p.account_view() {
        None => html! { <p class="empty">{ "Open an account to see its state here." }</p> },
        Some(view) => html! {
            <>
                <p class="as-of">
                    { format!("{} as of {}", view.stream, timeline.label()) }
                    if !timeline.live { { " " } <span class="badge past">{ "time travelling" }</span> }
                </p>
                <dl class="state">
                    { field("Owner", view.owner, view.changed.owner) }
                    { field("Balance", view.balance, view.changed.balance) }
                    { field("Status", view.status, view.changed.status) }
                    { field("Version", format!("v{}", view.version), view.changed.version) }
                </dl>
                <p class="rebuilt">
                    { match view.rebuilt {
                        Some(rebuilt) => rebuilt.describe(),
                        None => "no events for this account yet at this position".to_owned(),
                    } }
                </p>
            </>
        },
    };
    html! {
        <section class="panel" role="region" aria-labelledby="state-heading">
            <h2 id="state-heading">{ "Account state" }</h2>
            { body }
        </section>
    }
}
