//! Widgets that draw the core's view models: any domain's command panel and state region, tables,
//! read-model views, and a setting from the settings table. Each label is the control's accessible
//! name; hints are linked with `aria-describedby`.

use crate::app::settings::{Kind, Setting, SettingValue};
use crate::app::Action;
use crate::view::{
    ButtonView, Control, FormView, ListView, ModelView, Row, Section, StateView, TableView,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of a domain's command panel.
#[derive(Properties, PartialEq)]
pub struct FormProps {
    /// The domain's key (prefix of every element id).
    pub domain: &'static str,
    /// The panel.
    pub form: FormView,
    /// Where inputs go.
    pub dispatch: Callback<Action>,
}

/// A domain's command panel, drawn from its [`FormView`].
#[component]
pub fn Form(props: &FormProps) -> Html {
    props
        .form
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| section_html(props.domain, i, section, &props.dispatch))
        .collect()
}

fn element_id(domain: &str, control: &str) -> String {
    format!("{domain}-{control}")
}

fn section_html(
    domain: &'static str,
    index: usize,
    section: &Section,
    dispatch: &Callback<Action>,
) -> Html {
    let heading_id = format!("{domain}-section-{index}");
    let body = html! {
        <>
            if let Some(heading) = &section.heading {
                <h3 id={heading_id.clone()}>{ heading.clone() }</h3>
            }
            if let Some(intro) = &section.intro {
                <p class="hint intro-line">{ intro.clone() }</p>
            }
            for row in section.rows.iter() {
                { row_html(domain, row, dispatch) }
            }
            if let Some(table) = &section.table {
                { table_html(table, Some("catalogue")) }
            }
            if let Some(hint) = &section.hint {
                <p class="hint">{ hint.clone() }</p>
            }
        </>
    };
    if section.region && section.heading.is_some() {
        html! {
            <section class="form-section boxed" role="region" aria-labelledby={heading_id}>{ body }</section>
        }
    } else {
        html! { <div class="form-section">{ body }</div> }
    }
}

fn row_html(domain: &'static str, row: &Row, dispatch: &Callback<Action>) -> Html {
    let controls: Html = row
        .controls
        .iter()
        .map(|c| control_html(domain, c, row.submit.as_deref(), dispatch))
        .collect();
    // Hints go under the row, so the row's fields and buttons stay aligned; each stays linked to its
    // field by id.
    let hints: Vec<(String, String)> = row
        .controls
        .iter()
        .filter_map(|c| match c {
            Control::Text(field) => field.hint.as_ref().map(|hint| {
                (
                    format!("{}-hint", element_id(domain, &field.id)),
                    format!("{}: {hint}", field.label),
                )
            }),
            _ => None,
        })
        .collect();
    let hints = (!hints.is_empty()).then(|| {
        html! {
            <p class="row-hints">
                for (id, text) in hints {
                    <small id={id}>{ text }</small>
                }
            </p>
        }
    });
    match &row.submit {
        Some(button) => {
            let button = button.clone();
            let onsubmit = dispatch.reform(move |e: SubmitEvent| {
                e.prevent_default();
                Action::press(domain, &button)
            });
            html! { <><form class="row" {onsubmit}>{ controls }</form>{ for hints }</> }
        }
        None => html! { <><div class="row">{ controls }</div>{ for hints }</> },
    }
}

fn button_html(
    domain: &'static str,
    button: &ButtonView,
    submit: Option<&str>,
    dispatch: &Callback<Action>,
) -> Html {
    let is_submit = submit == Some(button.id.as_str());
    let id = button.id.clone();
    let onclick =
        (!is_submit).then(|| dispatch.reform(move |_: MouseEvent| Action::press(domain, &id)));
    html! {
        <button type={if is_submit { "submit" } else { "button" }}
            class={classes!(button.secondary.then_some("secondary"))}
            disabled={button.disabled} {onclick}>
            { button.label.clone() }
        </button>
    }
}

fn control_html(
    domain: &'static str,
    control: &Control,
    submit: Option<&str>,
    dispatch: &Callback<Action>,
) -> Html {
    match control {
        Control::Text(field) => {
            let id = element_id(domain, &field.id);
            let hint_id = format!("{id}-hint");
            let control = field.id.clone();
            let oninput = dispatch.reform(move |e: InputEvent| {
                Action::edit(
                    domain,
                    &control,
                    e.target_unchecked_into::<HtmlInputElement>().value(),
                )
            });
            html! {
                <div class={classes!("field", field.narrow.then_some("narrow"))}>
                    <label for={id.clone()}>{ field.label.clone() }</label>
                    <input id={id} type="text" autocomplete="off" maxlength="300"
                        inputmode={field.numeric.then_some("decimal")}
                        placeholder={field.placeholder.clone()} value={field.value.clone()}
                        aria-describedby={field.hint.as_ref().map(|_| hint_id)} {oninput} />
                </div>
            }
        }
        Control::Select(select) => {
            let id = element_id(domain, &select.id);
            let control = select.id.clone();
            let onchange = dispatch.reform(move |e: Event| {
                Action::edit(
                    domain,
                    &control,
                    e.target_unchecked_into::<HtmlSelectElement>().value(),
                )
            });
            html! {
                <div class="field">
                    <label for={id.clone()}>{ select.label.clone() }</label>
                    <select id={id} {onchange} disabled={select.options.is_empty()}>
                        if select.options.is_empty() {
                            <option value="" selected=true>{ select.empty.clone() }</option>
                        }
                        for option in select.options.iter() {
                            <option value={option.value.clone()} selected={option.value == select.selected}>
                                { option.label.clone() }
                            </option>
                        }
                    </select>
                </div>
            }
        }
        Control::Button(button) => button_html(domain, button, submit, dispatch),
        Control::Output(text) => html! { <p class="output">{ text.clone() }</p> },
        Control::Alert { text, button } => html! {
            <div class="alert inline" role="alert">
                <span>{ text.clone() }</span>
                if let Some(button) = button {
                    { button_html(domain, button, None, dispatch) }
                }
            </div>
        },
    }
}

/// A table with its caption (its accessible name).
pub fn table_html(table: &TableView, class: Option<&'static str>) -> Html {
    html! {
        <table class={classes!("data", class)}>
            <caption>{ table.name.clone() }</caption>
            <thead>
                <tr>
                    for column in table.columns.iter() {
                        <th scope="col">{ column.clone() }</th>
                    }
                </tr>
            </thead>
            <tbody>
                for row in table.rows.iter() {
                    <tr>
                        for cell in row.iter() {
                            <td>{ cell.clone() }</td>
                        }
                    </tr>
                }
            </tbody>
        </table>
    }
}

/// Props of a state region.
#[derive(Properties, PartialEq)]
pub struct StateProps {
    /// What to show.
    pub view: StateView,
    /// "position 3 of 7".
    pub position: String,
    /// Following the head?
    pub live: bool,
    /// Controls drawn at the region's foot ("Copy as test").
    #[prop_or_default]
    pub children: Html,
}

/// A state region ("Account state", "Customer state", …) as of the timeline.
#[component]
pub fn StateRegion(props: &StateProps) -> Html {
    let view = &props.view;
    let heading = format!(
        "state-{}",
        view.region.to_ascii_lowercase().replace(' ', "-")
    );
    let body = match &view.subject {
        None => html! { <p class="empty">{ view.empty.clone() }</p> },
        Some(subject) => html! {
            <>
                <p class="as-of">
                    { format!("{subject} as of {}", props.position) }
                    if !props.live { { " " } <span class="badge past">{ "time travelling" }</span> }
                </p>
                <dl class="state">
                    for field in view.fields.iter() {
                        <div class={classes!("state-field", field.changed.then_some("changed"))}>
                            <dt>{ field.label.clone() }</dt>
                            <dd>
                                { field.value.clone() }
                                if field.changed {
                                    { " " }
                                    <span class="badge">{ "changed" }</span>
                                }
                            </dd>
                        </div>
                    }
                </dl>
                if let Some(table) = &view.table {
                    { table_html(table, Some("lines")) }
                }
                <p class="rebuilt">
                    { view.rebuilt.map_or_else(|| view.empty.clone(), |r| r.describe()) }
                </p>
            </>
        },
    };
    html! {
        <section class="panel" role="region" aria-labelledby={heading.clone()}>
            <h2 id={heading}>{ view.region.clone() }</h2>
            { body }
            { props.children.clone() }
        </section>
    }
}

fn list_html(list: &ListView, owner: &str) -> Html {
    let name = format!("{owner}: {}", list.heading.to_ascii_lowercase());
    html! {
        <>
            <h4>{ list.heading.clone() }</h4>
            if let Some(hint) = &list.hint {
                <p class="hint">{ hint.clone() }</p>
            }
            if list.items.is_empty() {
                <p class="empty">{ list.empty.clone() }</p>
            } else if list.ordered {
                <ol class="model-list" aria-label={name}>
                    for item in list.items.iter() { <li>{ item.clone() }</li> }
                </ol>
            } else {
                <ul class="model-list" aria-label={name}>
                    for item in list.items.iter() { <li>{ item.clone() }</li> }
                </ul>
            }
        </>
    }
}

/// One domain's read models, as the online and batch panels show them.
pub fn model_html(view: &ModelView, owner: &str) -> Html {
    html! {
        <div class="model">
            <h4 class="model-heading">{ view.heading.clone() }</h4>
            <dl class="totals">
                for (label, value) in view.totals.iter() {
                    <div class={classes!(crate::format::mentions(label, "(the selected").then_some("wide"))}>
                        <dt>{ label.clone() }</dt>
                        <dd>{ value.clone() }</dd>
                    </div>
                }
            </dl>
            for list in view.lists.iter() {
                { list_html(list, owner) }
            }
        </div>
    }
}

/// A setting drawn from the settings table: a text field, a select or a checkbox, with its hint.
/// `value` is its current value; a change is dispatched as the setting's action
/// ([`Setting::set_action`], or [`Setting::toggle_action`] for a checkbox).
pub fn setting_html(
    setting: Setting,
    value: SettingValue,
    series: &[(String, String)],
    dispatch: &Callback<Action>,
) -> Html {
    let def = setting.def();
    let id = def.id;
    let hint_id = format!("{id}-hint");
    match (def.kind, value) {
        (Kind::Flag, SettingValue::Flag(on)) => {
            let onchange = dispatch.reform(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                setting.toggle_action(on)
            });
            html! {
                <div class="check-field">
                    <label class="check">
                        <input id={id} type="checkbox" checked={on} aria-describedby={hint_id.clone()} {onchange} />
                        { def.label }
                    </label>
                    <small class="hint" id={hint_id}>{ def.hint }</small>
                </div>
            }
        }
        (Kind::Choice(_) | Kind::Series, value) => {
            let chosen = match value {
                SettingValue::Choice(code) => code,
                _ => "",
            };
            // A fixed list of choices, or the chart's series (which depend on the domains).
            let (class, options): (_, Vec<(&str, &str)>) = match def.kind {
                Kind::Choice(choices) => (
                    "field setting choice",
                    choices.iter().map(|c| (c.code, c.label)).collect(),
                ),
                _ => (
                    "field setting",
                    series
                        .iter()
                        .map(|(c, l)| (c.as_str(), l.as_str()))
                        .collect(),
                ),
            };
            let has_hint = !def.hint.is_empty();
            let onchange = dispatch.reform(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                setting.set_action(v)
            });
            html! {
                <div class={class}>
                    <label for={id}>{ def.label }</label>
                    <select id={id} aria-describedby={has_hint.then(|| hint_id.clone())} {onchange}>
                        for (code, label) in options {
                            <option value={code.to_owned()} selected={code == chosen}>{ label.to_owned() }</option>
                        }
                    </select>
                    if has_hint {
                        <small id={hint_id}>{ def.hint }</small>
                    }
                </div>
            }
        }
        (_, value) => {
            let shown = match value {
                SettingValue::Number(n) => n.to_string(),
                SettingValue::Choice(c) => c.to_owned(),
                SettingValue::Flag(f) => f.to_string(),
            };
            let onchange = dispatch.reform(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlInputElement>().value();
                setting.set_action(v)
            });
            number_field(id, def.label, shown, def.hint, onchange)
        }
    }
}

/// Labels longer than this many characters take two columns of the settings grid.
const LONG_LABEL: usize = 18;

/// A labelled text field for a number; the hint says what is accepted.
pub fn number_field(
    id: &'static str,
    label: &'static str,
    value: String,
    hint: &'static str,
    onchange: Callback<Event>,
) -> Html {
    let hint_id = format!("{id}-hint");
    // A long label gets two columns of the settings grid rather than being cut short.
    let wide = (label.chars().count() > LONG_LABEL).then_some("wide");
    html! {
        <div class={classes!("field", "setting", wide)}>
            <label for={id}>{ label }</label>
            <input id={id} type="text" inputmode="numeric" autocomplete="off" maxlength="24"
                value={value} aria-describedby={hint_id.clone()} {onchange} />
            <small id={hint_id}>{ hint }</small>
        </div>
    }
}

/// A virtualized list's scroll position, kept out of state (so a render that sets it draws once, at
/// the right rows), and the scroll handler that stores a new position and redraws.
#[hook]
pub fn use_scroll_top() -> (std::rc::Rc<std::cell::RefCell<i32>>, Callback<Event>) {
    let scroll_top = use_mut_ref(|| 0i32);
    let redraw = use_force_update();
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::Element = e.target_unchecked_into();
            let top = el.scroll_top();
            if top != *scroll_top.borrow() {
                *scroll_top.borrow_mut() = top;
                redraw.force_update();
            }
        })
    };
    (scroll_top, onscroll)
}

/// A labelled progress bar (`done` of `total`), with `after` drawn beside it (a Stop button).
pub fn progress_row(
    id: &'static str,
    label: String,
    (done, total): (u64, u64),
    after: Html,
) -> Html {
    html! {
        <div class="progress-row">
            <label for={id}>{ label }</label>
            <progress {id} max={total.max(1).to_string()} value={done.to_string()}></progress>
            { after }
        </div>
    }
}
