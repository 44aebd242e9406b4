//! The root component: owns the playground and re-renders after every action.

use super::browser::{random_seed, BrowserClock};
use super::command_panel::CommandPanel;
use super::event_log::EventLog;
use super::generator_panel::GeneratorPanel;
use super::inspector::Inspector;
use super::state_panel::StatePanel;
use super::streaming::Streaming;
use super::timeline::Timeline;
use crate::app::{Action, Playground};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The shared playground and a way to act on it, handed to every panel.
#[derive(Clone)]
pub struct Shared {
    /// The state (read it while rendering; never hold the borrow across a dispatch).
    pub playground: Rc<RefCell<Playground>>,
    /// Applies an action and re-renders.
    pub dispatch: Callback<Action>,
    /// Bumped on every action, so panels re-render exactly when something changed.
    pub revision: u64,
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.playground, &other.playground) && self.revision == other.revision
    }
}

/// The whole playground page.
#[component]
pub fn App() -> Html {
    let playground = use_mut_ref(|| Playground::new(Rc::new(BrowserClock), random_seed()));
    let revision = use_mut_ref(|| 0u64);
    let force_update = use_force_update();
    let dispatch = {
        let playground = playground.clone();
        let revision = revision.clone();
        use_callback((), move |action: Action, ()| {
            playground.borrow_mut().dispatch(action);
            *revision.borrow_mut() += 1;
            force_update.force_update();
        })
    };
    let shared = Shared {
        playground: playground.clone(),
        dispatch: dispatch.clone(),
        revision: *revision.borrow(),
    };
    let (alert, status): (Option<String>, Option<String>) = {
        let p = playground.borrow();
        (p.alert().map(str::to_owned), p.status().map(str::to_owned))
    };
    let dismiss = dispatch.reform(|_: MouseEvent| Action::DismissAlert);

    html! {
        <div class="page">
            <header class="intro">
                <div class="title-row">
                    <h1>{ "Event Sourcing Playground" }</h1>
                    <nav aria-label="Sections">
                        <a href="#event-store">{ "Event store" }</a>
                        <a href="#online-vs-batch">{ "Online vs batch" }</a>
                    </nav>
                </div>
                <p>
                    { "Each command is checked against an account's current state and, if accepted, recorded as an " }
                    <strong>{ "event" }</strong>
                    { " in the append-only log. An account's state is just its events added up: drag the " }
                    <strong>{ "Timeline" }</strong>
                    { " to see it as it was after any event." }
                </p>
            </header>
            <div class="messages">
                if let Some(alert) = alert {
                    <div class="alert" role="alert">
                        <span>{ alert }</span>
                        <button type="button" class="secondary" onclick={dismiss}>{ "Dismiss" }</button>
                    </div>
                }
                // Always present, so screen readers announce each change of its text.
                <p class={classes!("status", status.is_none().then_some("empty-status"))} role="status">
                    { status.unwrap_or_default() }
                </p>
            </div>
            <main class="layout" id="event-store">
                <div class="column">
                    <CommandPanel shared={shared.clone()} />
                    <StatePanel shared={shared.clone()} />
                    <GeneratorPanel shared={shared.clone()} />
                </div>
                <div class="column wide">
                    <Timeline shared={shared.clone()} />
                    <EventLog shared={shared.clone()} />
                    <Inspector shared={shared.clone()} />
                </div>
            </main>
            <Streaming shared={shared} />
        </div>
    }
}
