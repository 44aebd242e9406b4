//! The root component: owns the playground, re-renders after every action, and hands each panel
//! only the key of what it shows, so a Play tick re-renders the online-vs-batch section and nothing
//! else.

use super::browser::{random_seed, BrowserClock};
use super::panels::{
    import_file, Branches, DomainTabs, EventLog, GeneratorPanel, Inspector, LessonBar, Lessons,
    Metrics, Queries, Sagas, Schemas, Streaming, Timeline, Topology, TransferPanel,
};
use super::prefs;
use super::sections::{
    address_fragment, focus, go_to, section_in_address, typed_in_a_control, Listener, SectionsNav,
    Shortcuts, ThemeSelect, HEADING,
};
use super::share::{listen_for_links, open_from_address, opening_messages, replay};
use super::storage::{keep, DATABASE};
use super::widgets::progress_row;
use crate::app::{Action, Panel, Playground, Section, StorageAction, Theme};
use crate::format::{count, group};
use crate::lessons::{Course, LessonAction};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The shared playground and a way to act on it, handed to every panel. Two handles are equal when
/// they point at the same playground: what decides whether a panel re-renders is its own key.
#[derive(Clone)]
pub struct Shared {
    /// The state (read it while rendering; never hold the borrow across a dispatch).
    pub playground: Rc<RefCell<Playground>>,
    /// Applies an action and re-renders.
    pub dispatch: Callback<Action>,
    /// The student's course (read it while rendering).
    pub course: Rc<RefCell<Course>>,
    /// Applies a control of the Lessons region and re-renders.
    pub learn: Callback<LessonAction>,
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
    // Apps that keep nothing (the tests mount several) remember no theme or progress either.
    let remembers = props.storage.is_some();
    let force_update = use_force_update();
    let course = use_mut_ref(Course::new);
    let course_notice = use_state(|| None::<String>);
    let dispatch = {
        let playground = playground.clone();
        let course = course.clone();
        let force_update = force_update.clone();
        use_callback((), move |action: Action, ()| {
            playground.borrow_mut().dispatch(action);
            let changed = course.borrow_mut().observe(&playground.borrow());
            if changed && remembers {
                prefs::write(prefs::LESSONS, &course.borrow().encode());
            }
            force_update.force_update();
        })
    };
    let learn = {
        let playground = playground.clone();
        let course = course.clone();
        let dispatch = dispatch.clone();
        let force_update = force_update.clone();
        use_callback((), move |action: LessonAction, ()| {
            let started = matches!(action, LessonAction::Start);
            let opens = course
                .borrow_mut()
                .dispatch(action, &playground.borrow())
                .ok()
                .flatten();
            if remembers {
                prefs::write(prefs::LESSONS, &course.borrow().encode());
            }
            match opens {
                Some(open) => {
                    dispatch.emit(open);
                    replay(Shared {
                        playground: playground.clone(),
                        dispatch: dispatch.clone(),
                        course: course.clone(),
                        learn: Callback::noop(),
                    });
                }
                None => force_update.force_update(),
            }
            if started {
                // The scenario opens on the page the lesson works in.
                let section = course.borrow().selected().section;
                go_to(section);
            }
        })
    };
    let shared = Shared {
        playground: playground.clone(),
        dispatch: dispatch.clone(),
        course: course.clone(),
        learn,
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
    // The lesson progress this browser kept.
    {
        let course = course.clone();
        let notice = course_notice.clone();
        let force_update = force_update.clone();
        use_effect_with((), move |_| {
            if let Some(kept) = remembers.then(|| prefs::read(prefs::LESSONS)).flatten() {
                match Course::decode(&kept) {
                    Ok(read) => *course.borrow_mut() = read,
                    Err(e) => notice.set(Some(format!(
                        "The lesson progress this browser kept could not be read ({e}), so the course starts afresh."
                    ))),
                }
                force_update.force_update();
            }
        });
    }
    // The section: in the address, so the back button and a reload keep it.
    let section = use_state(|| section_in_address().unwrap_or_default());
    {
        let section = section.clone();
        use_effect_with((), move |_| {
            let listening = Listener::on_window("hashchange", move |_| {
                let fragment = address_fragment();
                if crate::interop::link::is_share_link(&fragment) {
                    return;
                }
                section.set(Section::from_fragment(&fragment).unwrap_or_default());
            });
            move || drop(listening)
        });
    }
    {
        let shared = shared.clone();
        let first = use_mut_ref(|| true);
        use_effect_with(*section, move |section| {
            if let Some(tab) = section.domain_tab() {
                let on_tab = shared
                    .playground
                    .borrow()
                    .tabs()
                    .iter()
                    .any(|t| t.selected && t.key == tab);
                if !on_tab {
                    shared.dispatch.emit(Action::SelectTab(tab.to_owned()));
                }
            }
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                focus(HEADING);
            }
        });
    }
    // The theme, remembered.
    let theme = use_state(|| {
        remembers
            .then(|| prefs::read(prefs::THEME))
            .flatten()
            .and_then(|t| Theme::from_code(&t))
            .unwrap_or_default()
    });
    use_effect_with(*theme, move |theme| {
        prefs::apply_theme(*theme);
        if remembers {
            prefs::write(prefs::THEME, theme.code());
        }
    });
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |t: Theme| theme.set(t))
    };
    // The keyboard shortcuts.
    let shortcuts_open = use_state(|| false);
    let single_keys =
        use_state(|| !(remembers && prefs::read(prefs::SHORTCUTS).as_deref() == Some("off")));
    {
        let open = shortcuts_open.clone();
        use_effect_with((*single_keys, *shortcuts_open), move |&(keys, is_open)| {
            let listening = Listener::on_window("keydown", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if typed_in_a_control(e) {
                    return;
                }
                match e.key().as_str() {
                    "?" => {
                        e.prevent_default();
                        open.set(!is_open);
                    }
                    "Escape" if is_open => open.set(false),
                    key if keys => {
                        if let Some(section) = Section::for_key(key) {
                            e.prevent_default();
                            go_to(section);
                        }
                    }
                    _ => {}
                }
            });
            move || drop(listening)
        });
    }
    use_effect_with(*shortcuts_open, |&open| {
        if open {
            focus("shortcuts-heading");
        }
    });
    let on_enable = {
        let single_keys = single_keys.clone();
        Callback::from(move |on: bool| {
            if remembers {
                prefs::write(prefs::SHORTCUTS, if on { "on" } else { "off" });
            }
            single_keys.set(on);
        })
    };
    let on_close = {
        let open = shortcuts_open.clone();
        Callback::from(move |()| open.set(false))
    };
    let show_shortcuts = {
        let open = shortcuts_open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
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
    let lessons_key = shared.course.borrow().revision();
    drop(p);
    let current = *section;
    let hides = |panel: Panel| !current.shows(panel);
    let left = [Panel::Domains, Panel::Generator, Panel::Transfer]
        .iter()
        .any(|&panel| current.shows(panel));
    let right = [Panel::Branches, Panel::EventLog, Panel::Inspector]
        .iter()
        .any(|&panel| current.shows(panel));
    let course_notice_text = (*course_notice).clone();
    let hide_course_notice = {
        let notice = course_notice.clone();
        Callback::from(move |_: MouseEvent| notice.set(None))
    };
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
                    <div class="page-tools">
                        <ThemeSelect theme={*theme} on_choose={on_theme} />
                        <button type="button" class="secondary" aria-keyshortcuts="?" onclick={show_shortcuts}>{ "Keyboard shortcuts" }</button>
                    </div>
                </div>
                <SectionsNav current={current} />
            </header>
            if *shortcuts_open {
                <Shortcuts enabled={*single_keys} {on_enable} {on_close} />
            }
            <div class="messages">
                if let Some(notice) = notice {
                    <div class="alert storage-notice" role="alert" aria-labelledby="storage-notice-text">
                        <span id="storage-notice-text">{ notice }</span>
                        <button type="button" class="secondary" onclick={hide_notice}>{ "Hide this message" }</button>
                    </div>
                }
                if let Some(notice) = course_notice_text {
                    <div class="alert" role="alert">
                        <span>{ notice }</span>
                        <button type="button" class="secondary" onclick={hide_course_notice}>{ "Dismiss" }</button>
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
            <div class="timeline-bar">
                <Timeline shared={shared.clone()} key_of={(head, position)} />
            </div>
            <LessonBar shared={shared.clone()} section={current} key_of={lessons_key} />
            <main aria-labelledby={HEADING}>
                <div class="section-head">
                    <h2 id={HEADING} tabindex="-1">{ current.title() }</h2>
                    <p>{ current.summary() }</p>
                </div>
                // Sagas is the one section that shows its own region and the layout's Event details:
                // the region comes first.
                <div hidden={hides(Panel::Sagas)} data-sections={Panel::Sagas.sections()}><Sagas shared={shared.clone()} key_of={sagas_key} /></div>
                <div class={classes!("layout", (!(left && right)).then_some("single"))} hidden={!(left || right)}>
                    <div class="column" hidden={!left}>
                        <div hidden={hides(Panel::Domains)} data-sections={Panel::Domains.sections()}><DomainTabs shared={shared.clone()} key_of={domains_key} /></div>
                        <div hidden={hides(Panel::Generator)} data-sections={Panel::Generator.sections()}><GeneratorPanel shared={shared.clone()} key_of={generator_key} /></div>
                        <div hidden={hides(Panel::Transfer)} data-sections={Panel::Transfer.sections()}><TransferPanel shared={shared.clone()} key_of={transfer_key} /></div>
                    </div>
                    <div class="column wide" hidden={!right}>
                        <div hidden={hides(Panel::Branches)} data-sections={Panel::Branches.sections()}><Branches shared={shared.clone()} key_of={branches_key} /></div>
                        <div hidden={hides(Panel::EventLog)} data-sections={Panel::EventLog.sections()}><EventLog shared={shared.clone()} key_of={log_key} /></div>
                        <div hidden={hides(Panel::Inspector)} data-sections={Panel::Inspector.sections()}><Inspector shared={shared.clone()} key_of={inspector_key} /></div>
                    </div>
                </div>
                <div hidden={hides(Panel::Queries)} data-sections={Panel::Queries.sections()}><Queries shared={shared.clone()} key_of={queries_key} /></div>
                <div hidden={hides(Panel::Streaming)} data-sections={Panel::Streaming.sections()}><Streaming shared={shared.clone()} key_of={streaming_key} /></div>
                <div hidden={hides(Panel::Topology)} data-sections={Panel::Topology.sections()}><Topology shared={shared.clone()} key_of={topology_key} /></div>
                <div hidden={hides(Panel::Metrics)} data-sections={Panel::Metrics.sections()}><Metrics shared={shared.clone()} key_of={metrics_key} /></div>
                <div hidden={hides(Panel::Schemas)} data-sections={Panel::Schemas.sections()}><Schemas shared={shared.clone()} key_of={schemas_key} /></div>
                <div hidden={hides(Panel::Lessons)} data-sections={Panel::Lessons.sections()}><Lessons shared={shared} key_of={lessons_key} /></div>
            </main>
        </div>
    }
}
