//! The "Event details" region: the whole envelope of the event picked in the log.

use crate::app::{Action, StoredAndUpcast};
use crate::kernel::Position;
use crate::sim::Tick;
use crate::ui::app::PanelProps;
use crate::ui::panels::schemas::upcast_steps_html;
use yew::prelude::*;

/// The payload as stored beside the payload as every reader sees it, with the upcasters between.
fn stored_and_upcast(both: StoredAndUpcast) -> Html {
    html! {
        <div class="stored-upcast">
            <figure>
                <figcaption>{ format!("As stored (v{})", both.stored_version) }</figcaption>
                <pre aria-label="Payload as stored" tabindex="0">{ both.stored }</pre>
            </figure>
            <figure>
                <figcaption>{ format!("As upcast (v{}, what every reader sees)", both.latest) }</figcaption>
                <pre aria-label="Payload as upcast" tabindex="0">{ both.upcast }</pre>
            </figure>
            if both.steps.is_empty() {
                <p class="hint upcast-steps">{ "Stored in the latest version: no upcaster runs when it is read." }</p>
            } else {
                { upcast_steps_html(both.steps, Some("Upcaster steps")) }
            }
        </div>
    }
}

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
                if let Some(both) = p.inspected_stored() {
                    { stored_and_upcast(both) }
                }
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
