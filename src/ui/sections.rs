//! The page's sections in the browser: the "Sections" navigation, the section in the address (so
//! the back button and a reload keep the place), the keyboard shortcuts and their list, and the
//! "Theme" select.

use crate::app::{Section, Theme};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The page's address fragment, without its `#` (empty when there is none).
pub fn address_fragment() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_owned()
}

/// The section named by the page's address, if it names one.
pub fn section_in_address() -> Option<Section> {
    Section::from_fragment(&address_fragment())
}

/// Goes to a section as a link to it would: a new history entry, so "Back" returns.
pub fn go_to(section: Section) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(section.slug());
    }
}

/// The id of the shown section's heading, where focus lands when a section opens.
pub const HEADING: &str = "section-heading";

/// Moves focus to the element with this id (a heading with `tabindex="-1"`), if it is there.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// A listener on a target, removed when dropped.
pub struct Listener {
    target: web_sys::EventTarget,
    kind: &'static str,
    closure: Closure<dyn Fn(web_sys::Event)>,
}

impl Listener {
    /// Calls `f` for every `kind` event on `target`; `None` when it cannot listen.
    pub fn new(
        target: web_sys::EventTarget,
        kind: &'static str,
        f: impl Fn(web_sys::Event) + 'static,
    ) -> Option<Self> {
        let closure = Closure::<dyn Fn(web_sys::Event)>::new(f);
        target
            .add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())
            .ok()?;
        Some(Self {
            target,
            kind,
            closure,
        })
    }

    /// The same on the window.
    pub fn on_window(kind: &'static str, f: impl Fn(web_sys::Event) + 'static) -> Option<Self> {
        Self::new(web_sys::window()?.into(), kind, f)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.closure.as_ref().unchecked_ref());
    }
}

/// Whether a key press belongs to a control (typing in a field, a select, a slider's arrows), so
/// that the page's shortcuts leave it alone.
pub fn typed_in_a_control(event: &web_sys::KeyboardEvent) -> bool {
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return true;
    }
    let Some(element) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    let tag = element.tag_name().to_ascii_lowercase();
    let editable = element
        .get_attribute("contenteditable")
        .is_some_and(|v| v != "false");
    match tag.as_str() {
        "textarea" | "select" => true,
        "input" => !matches!(
            element.get_attribute("type").as_deref(),
            Some("checkbox" | "radio" | "button" | "submit")
        ),
        _ => editable,
    }
}

/// Props of the navigation.
#[derive(Properties, PartialEq, Clone)]
pub struct NavProps {
    /// The section shown.
    pub current: Section,
}

/// The "Sections" navigation: a link per section, the shown one marked as the current page.
#[component]
pub fn SectionsNav(props: &NavProps) -> Html {
    let links: Html = Section::ALL
        .into_iter()
        .map(|s| {
            let current = s == props.current;
            html! {
                <a href={format!("#{}", s.slug())} aria-current={current.then_some("page")}
                    class={classes!(current.then_some("current"))}>{ s.title() }</a>
            }
        })
        .collect();
    html! { <nav class="sections" aria-label="Sections">{ links }</nav> }
}

/// Props of the theme select.
#[derive(Properties, PartialEq, Clone)]
pub struct ThemeProps {
    /// The theme on the page.
    pub theme: Theme,
    /// Called with the theme chosen.
    pub on_choose: Callback<Theme>,
}

/// The "Theme" select.
#[component]
pub fn ThemeSelect(props: &ThemeProps) -> Html {
    let on_change = {
        let choose = props.on_choose.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            if let Some(theme) = Theme::from_code(&value) {
                choose.emit(theme);
            }
        })
    };
    let options: Html = Theme::ALL
        .into_iter()
        .map(|t| html! { <option value={t.code()} selected={t == props.theme}>{ t.label() }</option> })
        .collect();
    html! {
        <div class="theme-field">
            <label for="theme">{ "Theme" }</label>
            <select id="theme" onchange={on_change}>{ options }</select>
        </div>
    }
}

/// Props of the shortcut list.
#[derive(Properties, PartialEq, Clone)]
pub struct ShortcutProps {
    /// Single-key shortcuts are on.
    pub enabled: bool,
    /// Turns them on or off.
    pub on_enable: Callback<bool>,
    /// Closes the list.
    pub on_close: Callback<()>,
}

/// The list of keyboard shortcuts ("?").
#[component]
pub fn Shortcuts(props: &ShortcutProps) -> Html {
    let rows: Html = Section::ALL
        .into_iter()
        .map(|s| {
            html! {
                <tr><td><kbd>{ s.shortcut().to_string() }</kbd></td><td>{ format!("Go to {}", s.title()) }</td></tr>
            }
        })
        .collect();
    let on_toggle = {
        let enable = props.on_enable.clone();
        Callback::from(move |e: Event| {
            let on = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .is_some_and(|i| i.checked());
            enable.emit(on);
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="shortcuts panel" role="dialog" aria-labelledby="shortcuts-heading">
            <h2 id="shortcuts-heading" tabindex="-1">{ "Keyboard shortcuts" }</h2>
            <table aria-labelledby="shortcuts-heading">
                <thead><tr><th scope="col">{ "Key" }</th><th scope="col">{ "Does" }</th></tr></thead>
                <tbody>
                    { rows }
                    <tr><td><kbd>{ "?" }</kbd></td><td>{ "Show or hide this list" }</td></tr>
                    <tr><td><kbd>{ "Esc" }</kbd></td><td>{ "Hide this list" }</td></tr>
                    <tr><td><kbd>{ "← →" }</kbd></td><td>{ "On the Timeline: one event back or forward (Home, End: the start, now)" }</td></tr>
                </tbody>
            </table>
            <label class="check">
                <input type="checkbox" checked={props.enabled} onchange={on_toggle} />
                { "Single-key shortcuts" }
            </label>
            <p class="hint">{ "Letters go to sections only while no field has focus; turn them off if they get in the way of a screen reader's keys." }</p>
            <div class="row">
                <button type="button" class="secondary" onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
