//! The "Timeline" slider: scrub through history, one event per step.

use super::app::Shared;
use crate::app::Action;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props: the shared playground.
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The playground and its dispatcher.
    pub shared: Shared,
}

/// A range input over positions 0…N with its label and a "Back to now" shortcut.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let dispatch = &props.shared.dispatch;
    let view = props.shared.playground.borrow().timeline();
    let head = view.head;
    let on_input = dispatch.reform(|e: InputEvent| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        Action::SeekTimeline(value.parse().unwrap_or(0))
    });
    // Keys are handled here, not by the browser, so every step is exactly one event and Home/End
    // behave the same everywhere.
    let on_key = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            let action = match e.key().as_str() {
                "ArrowLeft" | "ArrowDown" => Action::StepTimeline(-1),
                "ArrowRight" | "ArrowUp" => Action::StepTimeline(1),
                "PageDown" => Action::StepTimeline(-10),
                "PageUp" => Action::StepTimeline(10),
                "Home" => Action::SeekTimeline(0),
                "End" => Action::SeekTimeline(head),
                _ => return,
            };
            e.prevent_default();
            dispatch.emit(action);
        })
    };
    let to_now = dispatch.reform(move |_: MouseEvent| Action::SeekTimeline(head));
    html! {
        <section class="panel timeline" aria-labelledby="timeline-label">
            <div class="timeline-head">
                <label id="timeline-label" for="timeline">{ "Timeline" }</label>
                <output for="timeline" class="position">{ view.label() }</output>
                if view.live {
                    <span class="badge live">{ "live" }</span>
                } else {
                    <button type="button" class="secondary" onclick={to_now}>{ "Back to now" }</button>
                }
            </div>
            <input id="timeline" type="range" min="0" max={head.to_string()} step="1"
                value={view.position.to_string()} aria-valuetext={view.label()}
                oninput={on_input} onkeydown={on_key} disabled={head == 0} />
            <p class="hint">{ "Arrow keys step one event; Home and End jump to the start and to now." }</p>
        </section>
    }
}
