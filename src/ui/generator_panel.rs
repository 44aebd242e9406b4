//! The "Sample data" panel: generate many events in chunks, with a progress bar, keeping the page
//! responsive (the browser gets control back between chunks).

use super::app::Shared;
use crate::app::Action;
use std::time::Duration;
use web_sys::HtmlInputElement;
use yew::platform::{spawn_local, time::sleep};
use yew::prelude::*;

/// Props: the shared playground.
#[derive(Properties, PartialEq)]
pub struct GeneratorPanelProps {
    /// The playground and its dispatcher.
    pub shared: Shared,
}

/// The count field, "Generate", and the progress of a run.
#[component]
pub fn GeneratorPanel(props: &GeneratorPanelProps) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let running = p.generator().cloned();

    let on_count = dispatch.reform(|e: InputEvent| {
        Action::EditGenerateCount(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    let on_late = dispatch.reform(|e: InputEvent| {
        Action::EditLateShare(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    let on_start = {
        let shared = props.shared.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            shared.dispatch.emit(Action::StartGenerating);
            let shared = shared.clone();
            spawn_local(async move {
                loop {
                    // Yield to the browser so it can paint the progress and handle input.
                    sleep(Duration::ZERO).await;
                    if shared.playground.borrow().generator().is_none() {
                        break;
                    }
                    shared.dispatch.emit(Action::GenerateChunk);
                }
            });
        })
    };
    let on_stop = dispatch.reform(|_: MouseEvent| Action::StopGenerating);

    html! {
        <section class="panel" aria-labelledby="generate-heading">
            <h2 id="generate-heading">{ "Sample data" }</h2>
            <form class="row" onsubmit={on_start}>
                <div class="field">
                    <label for="generate-count">{ "Events to generate" }</label>
                    <input id="generate-count" type="text" inputmode="numeric" autocomplete="off" maxlength="40"
                        value={p.generate_input().to_owned()} oninput={on_count} disabled={running.is_some()} />
                </div>
                <div class="field narrow">
                    <label for="late-share">{ "Late share" }</label>
                    <input id="late-share" type="text" inputmode="numeric" autocomplete="off" maxlength="8"
                        aria-describedby="late-share-hint" value={p.late_share_input().to_owned()}
                        oninput={on_late} disabled={running.is_some()} />
                </div>
                <button type="submit" disabled={running.is_some()}>{ "Generate" }</button>
            </form>
            if let Some(run) = running {
                <div class="progress-row">
                    <label for="generate-progress">{ run.to_string() }</label>
                    <progress id="generate-progress" max={run.target().to_string()} value={run.done().to_string()}></progress>
                    <button type="button" class="secondary" onclick={on_stop}>{ "Stop generating" }</button>
                </div>
            }
            <p class="hint" id="late-share-hint">{ "Random but valid deposits, withdrawals, openings and closings across many accounts (about one account per 100 events), sent through the same command handler as yours; up to 1,000,000. Their event times cover the past week; the late share (a percentage) happened 1–36 hours before the events around them." }</p>
        </section>
    }
}
