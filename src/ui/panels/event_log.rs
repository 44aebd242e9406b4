//! The "Event log": every event of every domain, oldest first, or those the filter keeps (by event
//! type, stream or category, and event time), drawing only the rows in view.

use crate::app::{Action, LogAction, LogRow, SchemaAction};
use crate::format::{group, whole};
use crate::kernel::Position;
use crate::ui::app::PanelProps;
use crate::ui::virtual_list::{window, MAX_CONTENT_PX};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Height of one row in CSS pixels (kept in step with `.log-row` in the stylesheet).
const ROW_PX: f64 = 36.0;
fn row_html(row: LogRow, top_px: f64, len: u64, index: u64, dispatch: &Callback<Action>) -> Html {
    let position = row.position;
    let onclick = dispatch.reform(move |_: MouseEvent| Action::Inspect(position));
    let tone = row
        .tone
        .map_or_else(|| "tone-none".to_owned(), |t| format!("tone-{}", t % 8));
    html! {
        <li key={position.to_string()} class={classes!("log-row", row.future.then_some("future"), row.inspected.then_some("inspected"))}
            style={format!("top:{}px", whole(top_px))} aria-setsize={len.to_string()} aria-posinset={(index + 1).to_string()}>
            <button type="button" class="log-entry" aria-pressed={row.inspected.to_string()} {onclick}>
                <span class="pos">{ format!("#{}", group(row.position)) }</span>
                <span class="type" title={row.event_type.clone()}>{ row.event_type }</span>
                <span class="schema" title={format!("stored in schema v{}", row.schema_version)}>{ format!("v{}", row.schema_version) }</span>
                // The category as a coloured chip, then the rest of the stream's name: "account-1".
                // Cut-off text can be read in full on hover (and in Event details).
                <span class="stream" title={format!("{} v{}", row.stream, row.version)}>
                    <span class={classes!("cat", tone)}>{ row.category.clone() }</span>
                    { row.stream.strip_prefix(row.category.as_str()).unwrap_or(&row.stream).to_owned() }
                    { format!(" v{}", row.version) }
                </span>
                <time>{ row.time }</time>
                <span class="payload" title={row.payload.clone()}>{ row.payload }</span>
                if row.future {
                    <span class="badge future">{ "in the future" }</span>
                }
            </button>
        </li>
    }
}

/// Where the list is scrolled, as last seen.
#[derive(Clone, Copy, PartialEq)]
struct Scroll {
    top: f64,
    viewport: f64,
    /// The user is at the bottom: keep showing the newest event as events arrive.
    at_bottom: bool,
}

/// The filter controls above the list.
fn filters(p: &crate::app::Playground, dispatch: &Callback<Action>) -> Html {
    let filter = p.log_filter();
    let on_type = dispatch.reform(|e: Event| {
        Action::Log(LogAction::SetType(
            e.target_unchecked_into::<HtmlSelectElement>().value(),
        ))
    });
    let on_stream = dispatch.reform(|e: Event| {
        Action::Log(LogAction::SetStream(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    // Enter applies the stream filter at once (as leaving the field does).
    let on_stream_key = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                let value = e.target_unchecked_into::<HtmlInputElement>().value();
                dispatch.emit(Action::Log(LogAction::SetStream(value)));
            }
        })
    };
    let on_since = dispatch.reform(|e: Event| {
        Action::Log(LogAction::SetSince(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let clear = dispatch.reform(|_: MouseEvent| Action::Log(LogAction::Clear));
    let chosen = filter.type_name();
    html! {
        <div class="log-filters" role="group" aria-label="Filter the log">
            <div class="field">
                <label for="log-type">{ "Event type" }</label>
                <select id="log-type" onchange={on_type}>
                    <option value="" selected={chosen.is_empty()}>{ "All" }</option>
                    for module in p.modules().iter() {
                        <optgroup label={module.title()}>
                            for name in module.event_types() {
                                <option value={name} selected={name == chosen}>{ name }</option>
                            }
                        </optgroup>
                    }
                </select>
            </div>
            <div class="field">
                <label for="log-stream">{ "Stream" }</label>
                <input id="log-stream" type="text" autocomplete="off" maxlength="300"
                    placeholder="account-1 or order-" aria-describedby="log-filter-hint"
                    value={filter.stream_text().to_owned()} onchange={on_stream} onkeydown={on_stream_key} />
            </div>
            <div class="field">
                <label for="log-since">{ "Occurred since" }</label>
                <input id="log-since" type="datetime-local" step="1" aria-describedby="log-filter-hint"
                    value={filter.since_text().to_owned()} onchange={on_since} />
            </div>
            <div class="filter-foot">
                <p class="hint" id="log-filter-hint">{ "Stream: one stream (account-1) or every stream of a category (order-). Occurred since: event time, in UTC." }</p>
                <button type="button" class="secondary" onclick={clear} disabled={!filter.is_active()}>{ "Clear filters" }</button>
            </div>
        </div>
    }
}

/// The virtualized list of events, with its filter.
#[component]
pub fn EventLog(props: &PanelProps<(u64, Position, Position, Option<Position>)>) -> Html {
    let scroller = use_node_ref();
    let scroll = use_state(|| Scroll {
        top: 0.0,
        viewport: 360.0,
        at_bottom: true,
    });
    let last_position = use_mut_ref(|| 0u64);
    let p = props.shared.playground.borrow();
    let len = p.log_len();
    let head = p.head();
    let position = p.position();
    let cursor_index = p.log_index_of_cursor();
    let live = p.cursor().is_live();
    let follow_head = live && scroll.at_bottom;
    let viewport = scroll.viewport.max(ROW_PX);
    let content_px = (len as f64 * ROW_PX).min(MAX_CONTENT_PX);
    // While following the head the newest rows are drawn straight away; the effect below then moves
    // the scrollbar to match.
    let top = if follow_head {
        (content_px - viewport).max(0.0)
    } else {
        scroll.top
    };

    {
        let scroller = scroller.clone();
        let scroll = scroll.clone();
        use_effect_with(
            (len, position, follow_head),
            move |&(len, position, follow_head)| {
                let Some(el) = scroller.cast::<Element>() else {
                    return;
                };
                let viewport = f64::from(el.client_height());
                let max_scroll = (f64::from(el.scroll_height()) - viewport).max(0.0);
                let moved =
                    std::mem::replace(&mut *last_position.borrow_mut(), position) != position;
                if follow_head {
                    el.set_scroll_top(max_scroll as i32);
                } else if moved && len > 0 {
                    // Time travel: bring the cursor's row into view.
                    let fraction = cursor_index as f64 / len as f64;
                    let row_top = fraction * f64::from(el.scroll_height());
                    let current = f64::from(el.scroll_top());
                    if row_top < current || row_top + ROW_PX > current + viewport {
                        el.set_scroll_top(
                            (row_top - viewport / 2.0).max(0.0).min(max_scroll) as i32
                        );
                        scroll.set(Scroll {
                            top: f64::from(el.scroll_top()),
                            viewport,
                            at_bottom: false,
                        });
                    }
                }
            },
        );
    }

    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            let top = f64::from(el.scroll_top());
            let viewport = f64::from(el.client_height());
            let at_bottom = top + viewport >= f64::from(el.scroll_height()) - 2.0;
            let next = Scroll {
                top,
                viewport,
                at_bottom,
            };
            if next != *scroll {
                scroll.set(next);
            }
        })
    };
    let w = window(len, top, viewport, ROW_PX);
    let rows = if len == 0 {
        Vec::new()
    } else {
        p.log_rows(w.first..w.end)
    };
    let dispatch = &props.shared.dispatch;
    let items: Html = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let index = w.first + i as u64;
            row_html(
                row,
                w.first_top_px + i as f64 * ROW_PX,
                len,
                index,
                dispatch,
            )
        })
        .collect();
    let filtering = p.log_filter().is_active();
    let on_stored = dispatch.reform(|e: Event| {
        Action::Schema(SchemaAction::ShowStored(
            e.target_unchecked_into::<HtmlInputElement>().checked(),
        ))
    });

    html! {
        <section class="panel log-panel" aria-labelledby="log-heading">
            <div class="log-head">
                <h2 id="log-heading">{ "Event log" }</h2>
                <label class="check stored-switch">
                    <input id="log-stored" type="checkbox" checked={p.shows_stored()} onchange={on_stored} />
                    { "Show events as stored" }
                </label>
                <span class="count">{ p.log_count() }</span>
            </div>
            { filters(&p, dispatch) }
            // Not a live region: scrolling swaps rows in and out, which would be read out as news. New
            // events are announced once, by the status line ("Deposited 12.50 into account-1 …").
            <div class="log-scroller" role="log" aria-labelledby="log-heading" aria-live="off"
                tabindex="0" ref={scroller} {onscroll}>
                if len == 0 {
                    <p class="empty">{
                        if filtering && head > 0 { "No event matches the filter." } else { "No events yet. Open an account, register a customer or start a cart to append the first one." }
                    }</p>
                } else {
                    // The position column is as wide as the head's number ("#1,000,000" at most),
                    // leaving the rest to the payload.
                    <ol class="log-list" aria-label="Events"
                        style={format!("height:{}px;--pos-width:{}ch", whole(w.content_px), group(head).len() + 2)}>
                        { items }
                    </ol>
                }
            </div>
        </section>
    }
}
