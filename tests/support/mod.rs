//! Browser test helpers: mount the real app, find elements by role and accessible name, act as a user.
#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement,
    KeyboardEvent, KeyboardEventInit,
};

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Mounts a fresh `App` into a node of its own, with the app's real stylesheet, and returns that
/// node. The app keeps its playground in an IndexedDB database of its own (named at random), so that
/// tests do not see each other's work.
pub async fn mount() -> Element {
    let name = format!("es-playground-test-{}", js_sys::Math::random());
    mount_kept(&name).await
}

/// Mounts an `App` that keeps its playground in IndexedDB database `name`, and waits until it has
/// loaded what that database holds.
pub async fn mount_kept(name: &str) -> Element {
    mount_app(name, false).await
}

/// Mounts a fresh `App` that opens the share link in the page's address (the others leave it be,
/// so that an app of another test never takes it).
pub async fn mount_opening_links() -> Element {
    let name = format!("es-playground-test-{}", js_sys::Math::random());
    mount_app(&name, true).await
}

async fn mount_app(name: &str, links: bool) -> Element {
    if document().get_element_by_id("app-style").is_none() {
        let style = document().create_element("style").expect("style");
        style.set_id("app-style");
        style.set_text_content(Some(include_str!("../../static/style.css")));
        document()
            .head()
            .expect("head")
            .append_child(&style)
            .expect("append");
    }
    let root = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    yew::Renderer::<playground::ui::App>::with_root_and_props(
        root.clone(),
        playground::ui::AppProps {
            storage: Some(name.to_owned().into()),
            links,
        },
    )
    .render();
    yew::scheduler::flush().await;
    let loaded = wait_until(20, || {
        root.query_selector("#kept-summary")
            .ok()
            .flatten()
            .map(|s| s.text_content().unwrap_or_default())
            .is_some_and(|t| !t.starts_with("Reading") && !t.starts_with("Restoring"))
    })
    .await;
    assert!(loaded, "the app loaded what database {name} keeps");
    yew::scheduler::flush().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// What a user reads: the rendered text (`innerText`), whitespace collapsed. The page shows one
/// section at a time; an element of another section is read as it renders there (the slots that
/// hide it are shown for the reading, then hidden again).
fn text(el: &Element) -> String {
    let mut hidden = Vec::new();
    let mut at = el.closest("[hidden]").ok().flatten();
    while let Some(slot) = at {
        let _ = slot.remove_attribute("hidden");
        at = slot
            .parent_element()
            .and_then(|p| p.closest("[hidden]").ok().flatten());
        hidden.push(slot);
    }
    // And the sections inside it (reading the whole page reads every section).
    for slot in all(
        el,
        "[data-sections][hidden], .layout[hidden], .column[hidden]",
    ) {
        let _ = slot.remove_attribute("hidden");
        hidden.push(slot);
    }
    let raw = match el.dyn_ref::<HtmlElement>() {
        Some(html) => html.inner_text(),
        None => el.text_content().unwrap_or_default(),
    };
    for slot in hidden {
        let _ = slot.set_attribute("hidden", "");
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The accessible name: aria-labelledby, aria-label, a `<label for>`, or (buttons) the text.
pub fn accessible_name(root: &Element, el: &Element) -> String {
    if let Some(ids) = el.get_attribute("aria-labelledby") {
        return ids
            .split_whitespace()
            .filter_map(|id| document().get_element_by_id(id))
            .map(|l| text(&l))
            .collect::<Vec<_>>()
            .join(" ");
    }
    if let Some(label) = el.get_attribute("aria-label") {
        return label;
    }
    if !el.id().is_empty() {
        if let Some(label) = all(root, &format!("label[for='{}']", el.id())).first() {
            return text(label);
        }
    }
    text(el)
}

/// Every element matching `selector` whose accessible name is `name`.
pub fn all_named(root: &Element, selector: &str, name: &str) -> Vec<Element> {
    all(root, selector)
        .into_iter()
        .filter(|el| accessible_name(root, el) == name)
        .collect()
}

/// The one element matching `selector` whose accessible name is `name`.
#[track_caller]
pub fn by_name(root: &Element, selector: &str, name: &str) -> Element {
    let found = all_named(root, selector, name);
    assert_eq!(
        found.len(),
        1,
        "expected one {selector} named {name:?}, found {}",
        found.len()
    );
    found.into_iter().next().expect("one")
}

#[track_caller]
pub fn button(root: &Element, name: &str) -> HtmlElement {
    by_name(root, "button", name).unchecked_into()
}

#[track_caller]
pub fn textbox(root: &Element, name: &str) -> HtmlInputElement {
    by_name(root, "input[type=text]", name).unchecked_into()
}

#[track_caller]
pub fn slider(root: &Element, name: &str) -> HtmlInputElement {
    by_name(root, "input[type=range]", name).unchecked_into()
}

#[track_caller]
pub fn select(root: &Element, name: &str) -> HtmlSelectElement {
    by_name(root, "select", name).unchecked_into()
}

#[track_caller]
pub fn tab(root: &Element, name: &str) -> HtmlElement {
    by_name(root, "[role=tab]", name).unchecked_into()
}

/// The table whose caption is `name`.
#[track_caller]
pub fn table(root: &Element, name: &str) -> Element {
    let found: Vec<Element> = all(root, "table")
        .into_iter()
        .filter(|t| {
            t.query_selector("caption")
                .ok()
                .flatten()
                .is_some_and(|c| text(&c) == name)
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one table named {name:?}, found {}",
        found.len()
    );
    found.into_iter().next().expect("one")
}

/// The body rows of a table, each as its cells' texts.
/// Each body row's cells, its row header first.
pub fn table_rows_with_headers(table: &Element) -> Vec<Vec<String>> {
    all(table, "tbody tr")
        .iter()
        .map(|tr| all(tr, "th, td").iter().map(text).collect())
        .collect()
}

pub fn table_rows(table: &Element) -> Vec<Vec<String>> {
    all(table, "tbody tr")
        .iter()
        .map(|tr| all(tr, "td").iter().map(text).collect())
        .collect()
}

#[track_caller]
pub fn region(root: &Element, name: &str) -> Element {
    by_name(root, "[role=region]", name)
}

#[track_caller]
pub fn log(root: &Element, name: &str) -> Element {
    by_name(root, "[role=log]", name)
}

/// Texts of the alerts currently shown.
pub fn alerts(root: &Element) -> Vec<String> {
    all(root, "[role=alert]").iter().map(text).collect()
}

/// The list items of an element (rendered rows).
pub fn items(el: &Element) -> Vec<String> {
    all(el, "li").iter().map(text).collect()
}

pub fn text_of(el: &Element) -> String {
    text(el)
}

fn bubbling(kind: &str) -> Event {
    let init = EventInit::new();
    init.set_bubbles(true);
    Event::new_with_event_init_dict(kind, &init).expect("event")
}

/// Types `value` into a text field as a user would (sets it and fires `input`).
pub async fn type_into(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    input.dispatch_event(&bubbling("input")).expect("dispatch");
    yew::scheduler::flush().await;
}

/// Moves a range input to `value` (fires `input`).
pub async fn slide_to(input: &HtmlInputElement, value: u64) {
    input.set_value(&value.to_string());
    input.dispatch_event(&bubbling("input")).expect("dispatch");
    yew::scheduler::flush().await;
}

pub async fn choose(select: &HtmlSelectElement, value: &str) {
    select.set_value(value);
    select
        .dispatch_event(&bubbling("change"))
        .expect("dispatch");
    yew::scheduler::flush().await;
}

pub async fn click(el: &HtmlElement) {
    el.click();
    yew::scheduler::flush().await;
}

pub async fn press(el: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("key");
    el.dispatch_event(&event).expect("dispatch");
    yew::scheduler::flush().await;
}

/// Waits (yielding to the browser) until `done()` holds, for at most `seconds`.
pub async fn wait_until(seconds: u64, mut done: impl FnMut() -> bool) -> bool {
    let start = js_sys::Date::now();
    while !done() {
        if js_sys::Date::now() - start > seconds as f64 * 1000.0 {
            return false;
        }
        yew::platform::time::sleep(std::time::Duration::from_millis(20)).await;
        yew::scheduler::flush().await;
    }
    true
}

/// Scrolls an element to `top` pixels and fires `scroll`, as a user's scrolling would.
pub async fn scroll_to(el: &Element, top: i32) {
    el.set_scroll_top(top);
    el.dispatch_event(&bubbling("scroll")).expect("dispatch");
    yew::scheduler::flush().await;
}

/// Types `value` into a field and commits it (fires `change`, as leaving the field does).
pub async fn change_to(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    input.dispatch_event(&bubbling("input")).expect("dispatch");
    input.dispatch_event(&bubbling("change")).expect("dispatch");
    yew::scheduler::flush().await;
}

/// Clicks any element (an SVG node has no `click()`): a bubbling click event.
pub async fn click_element(el: &Element) {
    el.dispatch_event(&bubbling("click")).expect("dispatch");
    yew::scheduler::flush().await;
}

#[track_caller]
pub fn checkbox(root: &Element, name: &str) -> HtmlInputElement {
    let found: Vec<Element> = all(root, "input[type=checkbox]")
        .into_iter()
        .filter(|el| {
            el.closest("label")
                .ok()
                .flatten()
                .is_some_and(|label| text(&label) == name)
        })
        .collect();
    assert_eq!(found.len(), 1, "expected one checkbox named {name:?}");
    found.into_iter().next().expect("one").unchecked_into()
}

/// Generates `count` events through the "Sample data" panel and waits for the run to finish.
pub async fn generate(root: &Element, count: &str) {
    type_into(&textbox(root, "Events to generate"), count).await;
    click(&button(root, "Generate")).await;
    let finished = wait_until(120, || text(root).contains("Generated ")).await;
    assert!(finished, "generation did not finish");
}

/// Chooses a file called `name` holding `text` in a file input (as a user picking it does).
pub async fn choose_file(input: &HtmlInputElement, name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let file = web_sys::File::new_with_str_sequence(&parts, name).expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a data transfer");
    transfer.items().add_with_file(&file).expect("added");
    input.set_files(transfer.files().as_ref());
    input.dispatch_event(&bubbling("change")).expect("dispatch");
    yew::scheduler::flush().await;
}

/// Opens a section by its link in the "Sections" navigation, as a user would, and waits until it
/// shows.
pub async fn open_section(root: &Element, title: &str) {
    let nav = by_name(root, "nav", "Sections");
    let link = by_name(&nav, "a", title);
    click(wasm_bindgen::JsCast::unchecked_ref::<HtmlElement>(&link)).await;
    let heading = || {
        root.query_selector("#section-heading")
            .ok()
            .flatten()
            .map(|h| text(&h))
    };
    assert!(
        wait_until(5, || heading().as_deref() == Some(title)).await,
        "the section {title} opens"
    );
}
