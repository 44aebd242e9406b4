//! "Copy as test": a button at the foot of the selected aggregate's state (Event store) and of the
//! selected saga's process manager (Sagas); it writes the test, shows it in "Generated test", and
//! copies it to the clipboard.

use crate::app::{Action, CopyTestAction, TestTarget};
use crate::ui::app::{PanelProps, Shared};
use crate::ui::share::copy_text;
use yew::platform::spawn_local;
use yew::prelude::*;

/// Writes the test, then copies it (the page says whether the browser let it).
fn copy(shared: Shared, target: TestTarget) {
    shared
        .dispatch
        .emit(Action::CopyTest(CopyTestAction::Copy(target)));
    // A refused copy keeps the test shown before, already copied or not: nothing new to copy.
    let written = shared
        .playground
        .borrow()
        .copied_test(target)
        .filter(|c| c.clipboard.is_none())
        .map(|c| c.test.code.clone());
    let Some(code) = written else {
        return;
    };
    spawn_local(async move {
        let copied = copy_text(&code).await;
        shared
            .dispatch
            .emit(Action::CopyTest(CopyTestAction::Copied(
                target,
                copied.err(),
            )));
    });
}

/// The button, what it wrote and the code. Its key is the target and the revision of the part of
/// the page it sits in.
#[component]
pub fn CopyAsTest(props: &PanelProps<(TestTarget, u64)>) -> Html {
    let (target, _) = props.key_of;
    let p = props.shared.playground.borrow();
    let copied = p.copied_test(target);
    let id = format!("copied-test-{}", target.code());
    let hint = format!("{id}-hint");
    let onclick = {
        let shared = props.shared.clone();
        Callback::from(move |_: MouseEvent| copy(shared.clone(), target))
    };
    let hide = props
        .shared
        .dispatch
        .reform(move |_: MouseEvent| Action::CopyTest(CopyTestAction::Hide(target)));
    html! {
        <div class="copy-test">
            <div class="row">
                <button type="button" class="secondary" aria-describedby={hint.clone()} {onclick}>{ "Copy as test" }</button>
                if copied.is_some() {
                    <button type="button" class="secondary" onclick={hide}>{ "Hide test" }</button>
                }
                <small class="hint" id={hint}>{ target.hint() }</small>
            </div>
            <p class="hint copy-note" role="status">{ copied.map(|c| c.note()).unwrap_or_default() }</p>
            if let Some(c) = copied {
                <label for={id.clone()}>{ "Generated test" }</label>
                // As tall as the test, up to 36 lines (then it scrolls).
                <textarea {id} class="code" readonly=true spellcheck="false" wrap="off"
                    rows={c.test.code.lines().count().clamp(4, 36).to_string()}
                    value={c.test.code.clone()} />
            }
        </div>
    }
}
