//! The root component: owns the playground, re-renders after every action, and hands each panel
//! only the key of what it shows, so a Play tick re-renders the online-vs-batch section and nothing
//! else.

use super::browser::{random_seed, BrowserClock};
use super::panels::{
    import_file, Branches, DomainTabs, EventLog, GeneratorPanel, Inspector, Metrics, Queries,
    Sagas, Schemas, Streaming, Timeline, Topology, TransferPanel,
};
use super::share::{listen_for_links, open_from_address, opening_messages};
use super::storage::{keep, DATABASE};
use super::widgets::progress_row;
use crate::app::{Action, Playground, StorageAction};
use crate::format::{count, group};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The shared playground and a way to act on it, handed to every panel. Two handles are equal when
/// they point at the same playground: what decides whether a panel re-renders is its own key.
#[derive(Clone)]
pub struct Shared {
    /// The state (read it while rendering; never hold the borrow across a dispatch).
    pub playground: Rc<RefCell<Playground>>,
    /// Applies an action and re-renders.
    pub dispatch: Callback<Action>,
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.playground, &other.playground)
    }
}

/// Props of every panel: the shared playground, and the key of what the panel shows.
#[derive(Properties, PartialEq, Clone)]
pub struct PanelProps<K: PartialEq + Clone + 'static> {
    /// The playground and its dispatcher.
    pub shared: Shared,
    /// Changes exactly when what the panel shows may have changed.
    pub key_of: K,
}

/// Props of the app: where it keeps the playground between visits.
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The IndexedDB database (`None`: nothing is kept).
    #[prop_or_else(|| Some(AttrValue::from(DATABASE)))]
    pub storage: Option<AttrValue>,
    /// Opens the share link in the page's address (tests that mount several apps in one page turn
    /// it off for all but one, so that no other takes the link).
    #[prop_or(true)]
    pub links: bool,
}

impl Default for AppProps {
    fn default() -> Self {
        Self {
            storage: Some(AttrValue::from(DATABASE)),
            links: true,
        }
    }
}

/// The whole playground page, with a fresh playground (the browser's clock, a random seed) that
/// what the browser kept then replaces.
#[component]
pub fn App(props: &AppProps) -> Html {
    let playground = use_mut_ref(|| Playground::new(Rc::new(BrowserClock), random_seed()));
    html! { <Page {playground} storage={props.storage.clone()} links={props.links} /> }
}

/// Props of the page: the playground it shows.
#[derive(Properties, Clone)]
pub struct PageProps {
    /// The state the page draws and acts on.
    pub playground: Rc<RefCell<Playground>>,
    /// Where it is kept between visits (`None`: nowhere).
    #[prop_or_default]
    pub storage: Option<AttrValue>,
    /// Opens the share link in the page's address, and every one pasted into it later.
    #[prop_or(true)]
    pub links: bool,
}

impl PartialEq for PageProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.playground, &other.playground)
            && self.storage == other.storage
            && self.links == other.links
    }
}

/// The page over a given playground (the benchmarks mount one with a hundred thousand sagas).
#[component]
pub fn Page(props: &PageProps) -> Html {
    let playground = props.playground.clone();
    let force_update = use_force_update();
    let dispatch = {
        let playground = playground.clone();
        use_callback((), move |action: Action, ()| {
            playground.borrow_mut().dispatch(action);
            force_update.force_update();
        })
    };
    let shared = Shared {
        playground: playground.clone(),
        dispatch: dispatch.clone(),
    };
    {
        let shared = shared.clone();
        let storage = props.storage.clone();
        let links = props.links;
        use_effect_with((), move |_| {
            // A share link is opened once what the browser kept is loaded (it asks before
            // replacing it).
            let listening = links.then(|| listen_for_links(shared.clone())).flatten();
            let loaded: fn(&Shared) = if links { open_from_address } else { |_| {} };
            match storage {
                Some(name) => keep(shared, name.to_string(), loaded),
                None => loaded(&shared),
            }
            move || drop(listening)
        });
    }
    let p = playground.borrow();
    let r = p.revisions();
    let (head, position) = (p.head(), p.position());
    let tick = p.streaming().pipeline().tick();
    let alert = p.alert().map(str::to_owned);
    let notice = p.storage_notice().map(ToString::to_string);
    let restoring = p.restore_progress();
    let status = p.status().map(str::to_owned);
    // While a generation run appends, the command panel (with thousands of accounts in a select)
    // is redrawn when the run ends, not after every chunk.
    let generating = p.generator().is_some();
    let domains_key = (
        r.domains,
        if generating { u64::MAX } else { head },
        position,
    );
    // Forgetting a customer appends nothing, yet changes what every view of their data shows.
    let forgotten = p.keys().forgotten_count() as u64;
    let log_key = (r.log + forgotten, head, position, p.inspected());
    let inspector_key = (p.inspected(), head + forgotten, tick);
    let generator_key = (r.generator, p.generator().map(|g| g.done()), head);
    let queries_key = (r.queries + forgotten, head, p.queries().position());
    let streaming_key = (r.streaming, r.domains, head, tick);
    let sagas_key = (r.sagas, head, position, tick, p.inspected());
    let metrics_key = (r.metrics, r.streaming, head, position, tick);
    let topology_key = (r.processing + forgotten, head, position, tick);
    let schemas_key = (r.schemas, head);
    let transfer_key = (r.transfer, head, p.export_progress(), p.import_progress());
    let branches_key = (
        r.domains,
        r.queries,
        head,
        position,
        p.branch_name().to_owned(),
    );
    drop(p);
    let dismiss = dispatch.reform(|_: MouseEvent| Action::DismissAlert);
    let hide_notice =
        dispatch.reform(|_: MouseEvent| Action::Storage(StorageAction::DismissNotice));
    // A file dropped anywhere on the page is imported.
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = {
        let shared = shared.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                import_file(shared.clone(), file);
            }
        })
    };

    html! {
        <div class="page" ondragover={on_drag_over} ondrop={on_drop}>
            <header class="intro">
                <div class="title-row">
                    <h1>{ "Event Sourcing Playground" }</h1>
                    <nav aria-label="Sections">
                        <a href="#event-store">{ "Event store" }</a>
                        <a href="#branches">{ "Branches" }</a>
                        <a href="#queries">{ "Queries" }</a>
                        <a href="#online-vs-batch">{ "Online vs batch" }</a>
                        <a href="#topology">{ "Topology" }</a>
                        <a href="#metrics">{ "Metrics" }</a>
                        <a href="#sagas">{ "Sagas" }</a>
                        <a href="#schema-versions">{ "Schema versions" }</a>
                    </nav>
                </div>
                <p>
                    { "Bank accounts, customers, orders, inventory, payments and shipping write to " }
                    <strong>{ "one append-only log" }</strong>
                    { ": each accepted command becomes an event, and every state is its events added up. Drag the " }
                    <strong>{ "Timeline" }</strong>
                    { " to see every aggregate as it was after any event." }
                </p>
            </header>
            <div class="messages">
                if let Some(notice) = notice {
                    <div class="alert storage-notice" role="alert" aria-labelledby="storage-notice-text">
                        <span id="storage-notice-text">{ notice }</span>
                        <button type="button" class="secondary" onclick={hide_notice}>{ "Hide this message" }</button>
                    </div>
                }
                if let Some(progress) = restoring {
                    <div class="restoring">
                        { progress_row(
                            "restore-progress",
                            format!("Restoring from this browser: {} of {}", group(progress.done), count(progress.total, "event")),
                            (progress.done, progress.total),
                            Html::default(),
                        ) }
                    </div>
                }
                { opening_messages(&shared) }
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
                    <DomainTabs shared={shared.clone()} key_of={domains_key} />
                    <GeneratorPanel shared={shared.clone()} key_of={generator_key} />
                    <TransferPanel shared={shared.clone()} key_of={transfer_key} />
                </div>
                <div class="column wide">
                    <Timeline shared={shared.clone()} key_of={(head, position)} />
                    <Branches shared={shared.clone()} key_of={branches_key} />
                    <EventLog shared={shared.clone()} key_of={log_key} />
                    <Inspector shared={shared.clone()} key_of={inspector_key} />
                </div>
            </main>
            <Queries shared={shared.clone()} key_of={queries_key} />
            <Streaming shared={shared.clone()} key_of={streaming_key} />
            <Topology shared={shared.clone()} key_of={topology_key} />
            <Metrics shared={shared.clone()} key_of={metrics_key} />
            <Sagas shared={shared.clone()} key_of={sagas_key} />
            <Schemas shared={shared} key_of={schemas_key} />
        </div>
    }
}
