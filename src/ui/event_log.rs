//! The "Event log": every event, oldest first, drawing only the rows in view.

use super::app::Shared;
use crate::app::{group, Action, LogRow};
use crate::kernel::Position;
use web_sys::Element;
use yew::prelude::*;

/// Height of one row in CSS pixels (kept in step with `.log-row` in the stylesheet).
const ROW_PX: f64 = 40.0;
/// Browsers cap an element's height (about 33 million pixels in Chromium); past this the scrollbar
/// maps proportionally onto the rows instead of one pixel per pixel.
const MAX_CONTENT_PX: f64 = 8_000_000.0;
/// Rows drawn above and below the visible ones, so fast scrolling shows no gaps.
const OVERSCAN: u64 = 6;

/// Props: the shared playground.
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// The playground and its dispatcher.
    pub shared: Shared,
}

/// Which rows to draw for a scroll offset, and where.
struct Window {
    content_px: f64,
    first: Position,
    last: Position,
    /// Pixels from the content's top to row `first`'s top.
    first_top_px: f64,
}

fn window(head: Position, scroll_top: f64, viewport_px: f64) -> Window {
    let natural = head as f64 * ROW_PX;
    let content_px = natural.min(MAX_CONTENT_PX);
    let scrollable = (content_px - viewport_px).max(1.0);
    let natural_scrollable = (natural - viewport_px).max(1.0);
    let virtual_top = (scroll_top.clamp(0.0, scrollable) / scrollable) * natural_scrollable;
    let virtual_top = if natural <= MAX_CONTENT_PX {
        scroll_top.max(0.0)
    } else {
        virtual_top
    };
    let first_index = ((virtual_top / ROW_PX).floor() as u64).saturating_sub(OVERSCAN);
    let visible = (viewport_px / ROW_PX).ceil() as u64 + 2 * OVERSCAN;
    let first = (first_index + 1).min(head.max(1));
    let last = (first + visible).min(head);
    let first_top_px = scroll_top + ((first - 1) as f64 * ROW_PX - virtual_top);
    Window {
        content_px,
        first,
        last,
        first_top_px,
    }
}

fn row_html(row: LogRow, top_px: f64, head: Position, dispatch: &Callback<Action>) -> Html {
    let position = row.position;
    let onclick = dispatch.reform(move |_: MouseEvent| Action::Inspect(position));
    html! {
        <li key={position.to_string()} class={classes!("log-row", row.future.then_some("future"), row.inspected.then_some("inspected"))}
            style={format!("top:{top_px}px")} aria-setsize={head.to_string()} aria-posinset={position.to_string()}>
            <button type="button" class="log-entry" aria-pressed={row.inspected.to_string()} {onclick}>
                <span class="pos">{ format!("#{}", row.position) }</span>
                <span class="type">{ row.event_type }</span>
                <span class="stream">{ row.stream }</span>
                <span class="ver">{ format!("v{}", row.version) }</span>
                <time>{ row.time }</time>
                <span class="payload">{ row.payload }</span>
                if row.future {
                    { " " }
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

/// The virtualized list of events.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let scroller = use_node_ref();
    let scroll = use_state(|| Scroll {
        top: 0.0,
        viewport: 360.0,
        at_bottom: true,
    });
    let last_position = use_mut_ref(|| 0u64);
    let p = props.shared.playground.borrow();
    let head = p.head();
    let position = p.position();
    let live = p.cursor().is_live();
    let follow_head = live && scroll.at_bottom;
    let viewport = scroll.viewport.max(ROW_PX);
    let content_px = (head as f64 * ROW_PX).min(MAX_CONTENT_PX);
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
            (head, position, follow_head),
            move |&(head, position, follow_head)| {
                let Some(el) = scroller.cast::<Element>() else {
                    return;
                };
                let viewport = f64::from(el.client_height());
                let max_scroll = (f64::from(el.scroll_height()) - viewport).max(0.0);
                let moved =
                    std::mem::replace(&mut *last_position.borrow_mut(), position) != position;
                if follow_head {
                    el.set_scroll_top(max_scroll as i32);
                } else if moved && head > 0 {
                    // Time travel: bring the cursor's row into view.
                    let fraction = position.saturating_sub(1) as f64 / head as f64;
                    let row_top = fraction * f64::from(el.scroll_height());
                    let current = f64::from(el.scroll_top());
                    if row_top < current || row_top + ROW_PX > current + viewport {
                        el.set_scroll_top((row_top - viewport / 2.0).clamp(0.0, max_scroll) as i32);
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
    let w = window(head, top, viewport);
    let rows = if head == 0 {
        Vec::new()
    } else {
        p.log_rows(w.first..w.last + 1)
    };
    let dispatch = &props.shared.dispatch;
    let items: Html = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| row_html(row, w.first_top_px + i as f64 * ROW_PX, head, dispatch))
        .collect();

    html! {
        <section class="panel log-panel" aria-labelledby="log-heading">
            <div class="log-head">
                <h2 id="log-heading">{ "Event log" }</h2>
                <span class="count">{ format!("{} events", group(head)) }</span>
            </div>
            // Not a live region: scrolling swaps rows in and out, which would be read out as news. New
            // events are announced once, by the status line ("Deposited 12.50 into account-1 …").
            <div class="log-scroller" role="log" aria-labelledby="log-heading" aria-live="off"
                tabindex="0" ref={scroller} {onscroll}>
                if head == 0 {
                    <p class="empty">{ "No events yet. Open an account to append the first one." }</p>
                } else {
                    <ol class="log-list" aria-label="Events" style={format!("height:{}px", w.content_px)}>
                        { items }
                    </ol>
                }
            </div>
        </section>
    }
}
