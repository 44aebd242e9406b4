//! The "Event details" region: the whole envelope of the event picked in the log.

use crate::app::Action;
use crate::kernel::Position;
use crate::sim::Tick;
use crate::ui::app::PanelProps;
use yew::prelude::*;

/// Every envelope field of the inspected event, of any domain.
#[component]
pub fn Inspector(props: &PanelProps<(Option<Position>, Position, Tick)>) -> Html {
    let p = props.shared.playground.borrow();
    let close = props
        .shared
        .dispatch
        .reform(|_: MouseEvent| Action::CloseInspector);
    let body = match p.inspected_envelope() {
        None => {
            html! { <p class="empty">{ "Pick an event in the log to see its whole envelope." }</p> }
        }
        Some(envelope) => html! {
            <>
                <dl class="envelope">
                    for (label, value) in envelope.fields {
                        <div><dt>{ label }</dt><dd>{ value }</dd></div>
                    }
                </dl>
                <button type="button" class="secondary" onclick={close}>{ "Close details" }</button>
            </>
        },
    };
    html! {
        <section class="panel" role="region" aria-labelledby="details-heading">
            <h2 id="details-heading">{ "Event details" }</h2>
            { body }
        </section>
    }
}
