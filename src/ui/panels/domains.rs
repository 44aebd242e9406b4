//! The "Domains" tab list: one tab per registered domain, each with its command panel and its state
//! region, time-travelling with the timeline. Arrow keys, Home and End move between tabs.

use crate::app::{Action, TestTarget};
use crate::kernel::Position;
use crate::ui::app::PanelProps;
use crate::ui::panels::CopyAsTest;
use crate::ui::widgets::{Form, StateRegion};
use yew::prelude::*;

/// The selected domain's command panel: it does not depend on the timeline, so scrubbing does not
/// redraw it (with thousands of accounts in its select, that matters).
#[component]
fn Commands(props: &PanelProps<(u64, Position)>) -> Html {
    let p = props.shared.playground.borrow();
    let tabs = p.tabs();
    let Some(tab) = tabs.iter().find(|t| t.selected) else {
        return Html::default();
    };
    html! {
        <section class="panel commands" aria-labelledby="commands-heading">
            <h2 id="commands-heading">{ format!("{}: commands", tab.title) }</h2>
            <Form domain={tab.key} form={p.form()} dispatch={props.shared.dispatch.clone()} />
        </section>
    }
}

/// The selected domain's state region, as of the timeline.
#[component]
fn State(props: &PanelProps<(u64, Position, Position)>) -> Html {
    let p = props.shared.playground.borrow();
    let timeline = p.timeline();
    let copy_key = (TestTarget::Aggregate, p.revisions().domains);
    match p.state_view() {
        Some(view) => html! {
            <StateRegion view={view} position={timeline.label()} live={timeline.live}>
                <CopyAsTest shared={props.shared.clone()} key_of={copy_key} />
            </StateRegion>
        },
        None => Html::default(),
    }
}

/// The tabs and the selected domain's panel.
#[component]
pub fn DomainTabs(props: &PanelProps<(u64, u64, u64)>) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let tabs = p.tabs();
    let keys: Vec<&'static str> = tabs.iter().map(|t| t.key).collect();
    let selected = tabs.iter().find(|t| t.selected).map_or("", |t| t.key);
    let (revision, head, position) = props.key_of;
    let live_head = p.head();

    let on_key = {
        let dispatch = dispatch.clone();
        let keys = keys.clone();
        let current = keys.iter().position(|k| *k == selected).unwrap_or(0);
        Callback::from(move |e: KeyboardEvent| {
            let last = keys.len().saturating_sub(1);
            let next = match e.key().as_str() {
                "ArrowRight" => (current + 1) % keys.len().max(1),
                "ArrowLeft" => current.checked_sub(1).unwrap_or(last),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            e.prevent_default();
            dispatch.emit(Action::SelectTab(keys[next].to_owned()));
            if let Some(tab) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", keys[next])))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = tab.focus();
            }
        })
    };

    html! {
        <div class="domains">
            <div class="tablist" role="tablist" aria-label="Domains">
                for tab in tabs.iter() {
                    <button type="button" role="tab" id={format!("tab-{}", tab.key)}
                        class={classes!("tab", format!("tone-{}", tab.tone % 8))}
                        aria-selected={tab.selected.to_string()}
                        aria-controls={format!("panel-{}", tab.key)}
                        tabindex={if tab.selected { "0" } else { "-1" }}
                        onclick={{ let key = tab.key; dispatch.reform(move |_: MouseEvent| Action::SelectTab(key.to_owned())) }}
                        onkeydown={on_key.clone()}>
                        { tab.title }
                    </button>
                }
            </div>
            <div class="tabpanel" role="tabpanel" id={format!("panel-{selected}")}
                aria-labelledby={format!("tab-{selected}")}>
                <Commands shared={props.shared.clone()} key_of={(revision, head)} />
                <State shared={props.shared.clone()} key_of={(revision, live_head, position)} />
            </div>
        </div>
    }
}
