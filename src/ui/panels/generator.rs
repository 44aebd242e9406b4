//! The "Sample data" panel: generate many events across every domain in chunks, with a progress
//! bar, keeping the page responsive (see [`run_in_slices`]).

use crate::app::settings::Setting;
use crate::app::{Action, GenerateAction};
use crate::ui::app::PanelProps;
use crate::ui::slices::run_in_slices;
use crate::ui::widgets::progress_row;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The count field, "Generate", and the progress of a run.
#[component]
pub fn GeneratorPanel(props: &PanelProps<(u64, Option<u64>, u64)>) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let running = p.generator().cloned();
    let count = Setting::GenerateCount.def();
    let late = Setting::LateShare.def();

    let on_count = dispatch.reform(|e: InputEvent| {
        Action::Generate(GenerateAction::EditCount(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let on_late = dispatch.reform(|e: InputEvent| {
        Action::Generate(GenerateAction::EditLateShare(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let on_start = {
        let shared = props.shared.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            shared
                .dispatch
                .emit(Action::Generate(GenerateAction::Start));
            run_in_slices(
                shared.clone(),
                |p| p.generator().is_some(),
                Action::Generate(GenerateAction::Chunk),
                |_| {},
            );
        })
    };
    let on_stop = dispatch.reform(|_: MouseEvent| Action::Generate(GenerateAction::Stop));

    html! {
        <section class="panel" aria-labelledby="generate-heading">
            <h2 id="generate-heading">{ "Sample data" }</h2>
            <form class="row" onsubmit={on_start}>
                <div class="field">
                    <label for={count.id}>{ count.label }</label>
                    <input id={count.id} type="text" inputmode="numeric" autocomplete="off" maxlength="40"
                        aria-describedby="generate-hint"
                        value={p.generate_input().to_owned()} oninput={on_count} disabled={running.is_some()} />
                </div>
                <div class="field narrow">
                    <label for={late.id}>{ late.label }</label>
                    <input id={late.id} type="text" inputmode="numeric" autocomplete="off" maxlength="8"
                        aria-describedby="generate-hint" value={p.late_share_input().to_owned()}
                        oninput={on_late} disabled={running.is_some()} />
                </div>
                <button type="submit" disabled={running.is_some()}>{ "Generate" }</button>
            </form>
            if let Some(run) = running {
                { progress_row(
                    "generate-progress",
                    run.to_string(),
                    (run.done(), run.target()),
                    html! { <button type="button" class="secondary" onclick={on_stop}>{ "Stop generating" }</button> },
                ) }
            }
            <p class="hint" id="generate-hint">{ "A realistic mix across every domain — accounts with deposits and withdrawals, customers who register and change their details, carts that are filled, placed or cancelled — sent through the same command handlers as yours, valid by construction; up to 1,000,000 events. Event times cover the past week; the late share (a percentage) happened 1–36 hours before the events around them." }</p>
        </section>
    }
}
