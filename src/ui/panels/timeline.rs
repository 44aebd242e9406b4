//! The "Timeline" slider: scrub through history, one event per step.

use crate::app::Action;
use crate::kernel::Position;
use crate::ui::app::PanelProps;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A range input over positions 0…N with its label and a "Back to now" shortcut.
#[component]
pub fn Timeline(props: &PanelProps<(Position, Position)>) -> Html {
    let dispatch = &props.shared.dispatch;
    let view = props.shared.playground.borrow().timeline();
    let head = view.head;
    let on_input = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            // A range input only ever holds a number; anything else is ignored, never a jump to 0.
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(position) = value.parse() {
                dispatch.emit(Action::SeekTimeline(position));
            }
        })
    };
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
