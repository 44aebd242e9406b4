//! Share links in the browser: the page's address with the scenario as its fragment, copied to the
//! clipboard; a link the page is opened with (or one pasted into the address bar of an open page)
//! is handed to the reducer, which checks and replays it.

use crate::app::{Action, ShareAction};
use crate::interop::link::is_share_link;
use crate::ui::app::Shared;
use crate::ui::slices::run_in_slices;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;

/// The page's own address, without a fragment.
fn page_address() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    format!("{origin}{path}{query}")
}

/// The whole link of a scenario's fragment.
pub fn address_of(fragment: &str) -> String {
    format!("{}#{fragment}", page_address())
}

/// Copies `text` to the clipboard; `Err` says why it could not.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let navigator = web_sys::window()
        .map(|w| w.navigator())
        .ok_or("no window")?;
    // Only secure pages (https, localhost) have a clipboard to write to.
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return Err("this page has no clipboard access".to_owned());
    }
    JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "the browser refused".to_owned())
        })
}

/// "Copy share link": makes the link, then copies it.
pub fn copy_link(shared: Shared) {
    shared.dispatch.emit(Action::Share(ShareAction::Copy));
    let link = shared.playground.borrow().share_view().link;
    let Some(fragment) = link else {
        return;
    };
    spawn_local(async move {
        let copied = copy_text(&address_of(&fragment)).await;
        shared
            .dispatch
            .emit(Action::Share(ShareAction::Copied(copied.err())));
    });
}

/// Replays the scenario being opened, slice by slice.
pub fn replay(shared: Shared) {
    if shared.playground.borrow().opening_link() {
        run_in_slices(
            shared,
            |p| p.opening_link(),
            Action::Share(ShareAction::OpenChunk),
            |shared| {
                // A scenario shared while the broker played goes on playing.
                if shared.playground.borrow().streaming().is_playing() {
                    crate::ui::panels::keep_playing(shared.clone());
                }
            },
        );
    }
}

/// Opens the share link in the page's address, if there is one, and takes it out of the address
/// (a reload then shows what the browser kept, not the link again).
pub fn open_from_address(shared: &Shared) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let fragment = crate::ui::sections::address_fragment();
    if !is_share_link(&fragment) {
        return;
    }
    if let Ok(history) = window.history() {
        // Failing to tidy the address changes nothing else.
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&page_address()));
    }
    shared
        .dispatch
        .emit(Action::Share(ShareAction::Open(fragment)));
    replay(shared.clone());
}

/// Opens every share link pasted into the address bar while the page is open; the returned guard
/// stops listening when dropped.
pub fn listen_for_links(shared: Shared) -> Option<impl Drop> {
    crate::ui::sections::Listener::on_window("hashchange", move |_| open_from_address(&shared))
}

/// " and the 2 what-if branches", when a page that holds branches would lose them.
pub fn and_branches(branches: u64) -> String {
    match branches {
        0 => String::new(),
        1 => " and the what-if branch".to_owned(),
        n => format!(" and the {n} what-if branches"),
    }
}

/// The page's messages about a link being opened: its confirmation, or its progress.
pub fn opening_messages(shared: &Shared) -> yew::Html {
    use crate::format::{count, group};
    use crate::ui::widgets::progress_row;
    use yew::prelude::*;
    let p = shared.playground.borrow();
    let confirm = p.share_view().confirm;
    let branches = p.branches_view().names.len() as u64 - 1;
    let progress = p.open_progress();
    drop(p);
    // A lesson's scenario opens through the same replay, and says it is the lesson's.
    let course = shared.course.borrow();
    let lesson = course
        .waiting()
        .then(|| course.active().map(|i| course.lessons()[i].title))
        .flatten();
    drop(course);
    let what = lesson.map_or_else(
        || "the shared scenario".to_owned(),
        |title| format!("the scenario of the lesson “{title}”"),
    );
    let on_open = {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| {
            shared
                .dispatch
                .emit(Action::Share(ShareAction::ConfirmOpen));
            replay(shared.clone());
        })
    };
    let on_cancel = shared
        .dispatch
        .reform(|_: MouseEvent| Action::Share(ShareAction::CancelOpen));
    html! {
        <>
            if let Some(replaces) = confirm {
                <div class="confirm" role="group" aria-labelledby="open-question">
                    <p id="open-question">
                        { format!(
                            "Open {what}{}? It replaces the {}{} on this page, and what this browser kept of them. Export events first to keep a copy.",
                            if lesson.is_some() { "" } else { " of this link" },
                            count(replaces, "event"),
                            and_branches(branches)
                        ) }
                    </p>
                    <div class="row">
                        <button type="button" onclick={on_open}>{ "Open the scenario" }</button>
                        <button type="button" class="secondary" onclick={on_cancel}>{ "Don't open it" }</button>
                    </div>
                </div>
            }
            if let Some(progress) = progress {
                <div class="restoring">
                    { progress_row(
                        "open-progress",
                        format!("Opening {what}: {} of {} steps replayed", group(progress.done), group(progress.total)),
                        (progress.done, progress.total),
                        Html::default(),
                    ) }
                </div>
            }
        </>
    }
}
