//! The "Sagas" region: the saga's settings, a virtualized table of every saga instance, the
//! selected saga's steps and its process manager as of the timeline; and the "Causation graph"
//! region, drawn as SVG from the core's layout.

use crate::app::settings::SAGA;
use crate::app::{
    Action, GraphView, Playground, SagaAction, SagaRow, StepMark, TestTarget, GRAPH_ROW,
};
use crate::format::{count, group, tenths};
use crate::kernel::Position;
use crate::process::SagaStatus;
use crate::sim::Tick;
use crate::ui::app::{PanelProps, Shared};
use crate::ui::panels::CopyAsTest;
use crate::ui::virtual_list::window;
use crate::ui::widgets::{setting_html, use_scroll_top, StateRegion};
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

/// Height of one row of "Saga instances" (kept in step with `.saga-table tbody tr`).
const ROW_PX: f64 = 34.0;
/// Height of the table's scroller (kept in step with `.saga-scroller`).
const VIEWPORT_PX: f64 = 340.0;

fn status_class(status: SagaStatus) -> &'static str {
    match status {
        SagaStatus::Running => "running",
        SagaStatus::Completed => "completed",
        SagaStatus::Compensated => "compensated",
        SagaStatus::TimedOut => "timed-out",
    }
}

fn mark_class(mark: StepMark) -> &'static str {
    match mark {
        StepMark::Done => "done",
        StepMark::Current => "current",
        StepMark::Remaining => "remaining",
        StepMark::Compensation => "compensation",
        StepMark::Failed => "failed",
        StepMark::Refused => "refused",
        StepMark::Late => "late",
    }
}

fn row_html(row: SagaRow, aria_index: u64, dispatch: &Callback<Action>) -> Html {
    let order = row.order.clone();
    let onclick =
        dispatch.reform(move |_: MouseEvent| Action::Saga(SagaAction::Select(order.clone())));
    html! {
        <tr key={row.index.to_string()} class={classes!(row.selected.then_some("selected"))}
            aria-rowindex={aria_index.to_string()} aria-selected={row.selected.to_string()}>
            <td>
                <button type="button" class="link" aria-pressed={row.selected.to_string()} {onclick}>{ row.order }</button>
                if row.hit { { " " } <span class="badge warn" title="reserved or charged more than once">{ "×2" }</span> }
            </td>
            <td>{ row.style }</td>
            <td><span class={classes!("status-chip", status_class(row.status))}>{ row.status.to_string() }</span></td>
            <td>{ row.step }</td>
            <td class="num">{ row.started }</td>
            <td class="num">{ row.ended }</td>
        </tr>
    }
}

fn spacer(height: f64) -> Html {
    if height <= 0.0 {
        return Html::default();
    }
    html! {
        <tr class="spacer" aria-hidden="true" style={format!("height:{}px", tenths(height))}><td colspan="6"></td></tr>
    }
}

/// "Saga instances": only the rows in view are drawn.
fn table_html(p: &Playground, scroll_top: i32, dispatch: &Callback<Action>) -> Html {
    let len = p.sagas().tracker().len() as u64;
    if len == 0 {
        return html! { <p class="empty">{ "No sagas yet." }</p> };
    }
    let w = window(len, f64::from(scroll_top), VIEWPORT_PX, ROW_PX);
    let rows = p.saga_rows(w.first as usize, (w.end - w.first) as usize);
    let before = w.first_top_px.max(0.0);
    let after = (w.content_px - before - (w.end - w.first) as f64 * ROW_PX).max(0.0);
    html! {
        <table class="saga-table" aria-label="Saga instances" aria-rowcount={(len + 1).to_string()}>
            <thead>
                <tr aria-rowindex="1">
                    <th scope="col">{ "Order" }</th>
                    <th scope="col">{ "Style" }</th>
                    <th scope="col">{ "Status" }</th>
                    <th scope="col">{ "Current step" }</th>
                    <th scope="col">{ "Started" }</th>
                    <th scope="col">{ "Ended" }</th>
                </tr>
            </thead>
            <tbody>
                { spacer(before) }
                for (i, row) in rows.into_iter().enumerate() {
                    { row_html(row, w.first + i as u64 + 2, dispatch) }
                }
                { spacer(after) }
            </tbody>
        </table>
    }
}

/// The selected saga: its steps and its process manager.
fn detail_html(p: &Playground, shared: &Shared) -> Html {
    let Some(d) = p.saga_detail() else {
        return html! { <p class="empty">{ "Select a saga in the table to see its steps." }</p> };
    };
    let position = format!("position {} of {}", group(p.position()), group(p.head()));
    html! {
        <>
            <h3>{ d.title }</h3>
            <ol class="saga-steps" aria-label="Saga steps">
                for line in d.steps.into_iter() {
                    <li class={classes!("step", mark_class(line.mark))}>
                        <span class={classes!("step-mark", mark_class(line.mark))}>{ line.mark.word() }</span>
                        <span class="step-name">{ line.step }</span>
                        <span class="step-detail">{ line.detail }</span>
                    </li>
                }
            </ol>
            if let Some(view) = d.process {
                <StateRegion view={view} position={position} live={p.cursor().is_live()}>
                    <CopyAsTest shared={shared.clone()}
                        key_of={(TestTarget::ProcessManager, p.revisions().sagas)} />
                </StateRegion>
            }
        </>
    }
}

/// The handlers' consumer groups on the broker, with what each still has to consume.
fn groups_html(p: &Playground) -> Html {
    let groups = p.saga_groups();
    if groups.is_empty() {
        return Html::default();
    }
    html! {
        <p class="hint saga-groups">{ format!("Consumer groups: {}.", groups.join(" · ")) }</p>
    }
}

/// What the page says about orders a handler that is not idempotent hit twice.
fn hits_html(p: &Playground) -> Html {
    let (hits, hit) = p.duplicate_hits(12);
    if hits == 0 {
        return if p.sagas().settings().idempotent {
            Html::default()
        } else {
            html! { <p class="hint">{ "Handlers are not idempotent: a duplicated delivery (Duplicate rate above) sends its commands again with new ids." }</p> }
        };
    }
    let mut shown = hit.join(", ");
    if hits > hit.len() {
        shown.push_str(", …");
    }
    html! {
        <p class="alert-line">
            { format!("Handlers are not idempotent: {} reserved or charged more than once — {shown}.", count(hits as u64, "order")) }
        </p>
    }
}

/// What the Sagas region shows changes exactly when this does.
type SagasKey = (u64, Position, Position, Tick, Option<Position>);

/// The selected saga's steps and process manager: a component of its own, so that scrolling the
/// table (which re-renders the region) does not rebuild them.
#[component]
fn SagaDetail(props: &PanelProps<SagasKey>) -> Html {
    let p = props.shared.playground.borrow();
    detail_html(&p, &props.shared)
}

/// The "Causation graph" region, likewise apart from the table's scrolling.
#[component]
fn CausationGraph(props: &PanelProps<SagasKey>) -> Html {
    let p = props.shared.playground.borrow();
    graph_html(&p.causation_graph(), &props.shared.dispatch)
}

/// The whole Sagas region, and the causation graph after it.
#[component]
pub fn Sagas(props: &PanelProps<SagasKey>) -> Html {
    let dispatch = &props.shared.dispatch;
    // The table's scroll position, as it last reported it or as it was set to show a saga. Kept
    // out of state so that showing a saga renders once, at the right rows; a scroll event that
    // reports a new position redraws.
    let (scroll_top, onscroll) = use_scroll_top();
    let shown = use_mut_ref(|| None::<u32>);
    let scroller = use_node_ref();
    let selected = props.shared.playground.borrow().selected_saga();
    // Bring a newly selected saga's row into view (a saga just placed, or one found by its order):
    // the rows are drawn for the new position now, and the element scrolled to it after rendering.
    let mut scroll_to = None;
    if *shown.borrow() != selected {
        *shown.borrow_mut() = selected;
        if let Some(index) = selected {
            let top = f64::from(index) * ROW_PX;
            let current = f64::from(*scroll_top.borrow());
            if top < current || top + 2.0 * ROW_PX > current + VIEWPORT_PX {
                let target = (top - VIEWPORT_PX / 2.0).max(0.0) as i32;
                *scroll_top.borrow_mut() = target;
                scroll_to = Some(target);
            }
        }
    }
    {
        let scroller = scroller.clone();
        use_effect(move || {
            if let (Some(target), Some(el)) = (scroll_to, scroller.cast::<Element>()) {
                el.set_scroll_top(target);
            }
        });
    }
    let p = props.shared.playground.borrow();
    let on_find = dispatch.reform(|e: InputEvent| {
        Action::Saga(SagaAction::EditFind(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let on_show = dispatch.reform(|e: SubmitEvent| {
        e.prevent_default();
        Action::Saga(SagaAction::Find)
    });
    let settings: Html = SAGA
        .iter()
        .map(|&setting| setting_html(setting, p.saga_value(setting), &[], dispatch))
        .collect();
    html! {
        <>
        <section class="panel sagas" id="sagas" role="region" aria-labelledby="sagas-heading">
            <h2 id="sagas-heading">{ "Sagas" }</h2>
            <p class="intro-text">
                { "A placed order starts the fulfilment saga: reserve stock, authorise the payment, schedule the shipment, capture the payment, complete the order — and when a step fails or no shipment is scheduled in time, undo what was done. Each handler is a consumer of the broker above, so its faults apply; the sagas move as it ticks (Step, Play or Drain). " }
                <strong>{ "Orchestration" }</strong>
                { " writes the flow down in one place, a process manager per order that knows the whole process, so a step is added there; " }
                <strong>{ "choreography" }</strong>
                { " writes it nowhere but in each service's reactions to the others' events: nobody knows the whole process, and a step is added by changing the services that react." }
            </p>
            <div class="settings-grid saga-settings">{ settings }</div>
            <p class="saga-summary" role="status">{ p.saga_summary() }</p>
            { groups_html(&p) }
            { hits_html(&p) }
            <form class="row saga-find" onsubmit={on_show}>
                <div class="field narrow">
                    <label for="saga-find">{ "Saga of order" }</label>
                    <input id="saga-find" type="text" autocomplete="off" maxlength="40" placeholder="order-1"
                        aria-describedby="saga-find-hint" value={p.saga_find_input().to_owned()} oninput={on_find} />
                </div>
                <button type="submit" class="secondary">{ "Show saga" }</button>
                <small class="hint" id="saga-find-hint">{ "Type an order id to select its saga; or pick a row, or an event in the log." }</small>
            </form>
            <div class="saga-columns">
                <div class="saga-scroller" tabindex="0" ref={scroller} {onscroll}>{ table_html(&p, *scroll_top.borrow(), dispatch) }</div>
                <div class="saga-detail">
                    <SagaDetail shared={props.shared.clone()} key_of={props.key_of} />
                </div>
            </div>
        </section>
        <CausationGraph shared={props.shared.clone()} key_of={props.key_of} />
        </>
    }
}

fn graph_html(graph: &GraphView, dispatch: &Callback<Action>) -> Html {
    let body = if graph.nodes.is_empty() {
        html! { <p class="empty">{ "Select an event in the log, or a saga in the table, to see its chain of cause and effect." }</p> }
    } else {
        let nodes: Html = graph
            .nodes
            .iter()
            .map(|node| {
                let tone = node
                    .tone
                    .map_or_else(|| "tone-none".to_owned(), |t| format!("tone-{}", t % 8));
                // The accessible name is the visible text.
                let name = format!("{} {}", node.label, node.detail);
                let selects = node.selects;
                let onclick = dispatch.reform(move |_: MouseEvent| {
                    selects.map_or(Action::CloseInspector, Action::Inspect)
                });
                let onkeydown = {
                    let dispatch = dispatch.clone();
                    Callback::from(move |e: KeyboardEvent| {
                        if e.key() == "Enter" || e.key() == " " {
                            e.prevent_default();
                            if let Some(p) = selects {
                                dispatch.emit(Action::Inspect(p));
                            }
                        }
                    })
                };
                let y = node.y + 3.0;
                html! {
                    <g class={classes!("node", node.kind, tone, node.greyed.then_some("greyed"), node.compensation.then_some("compensation"), node.selected.then_some("selected"))}
                        role="button" tabindex="0" aria-label={name.clone()} aria-pressed={node.selected.to_string()} {onclick} {onkeydown}
                        transform={format!("translate({} {})", tenths(node.x), tenths(y))}>
                        <title>{ name }</title>
                        <rect class="node-box" width="16" height={tenths(GRAPH_ROW - 8.0)} rx="4" />
                        <text x="24" y="16" class="node-label">{ node.label.clone() }{ " " }
                            <tspan class="node-detail" dx="4">{ node.detail.clone() }</tspan>
                        </text>
                    </g>
                }
            })
            .collect();
        let edges: Html = graph
            .edges
            .iter()
            .map(|edge| {
                html! {
                    <path class={classes!("edge", edge.compensation.then_some("compensation"), edge.greyed.then_some("greyed"))} d={edge.path.clone()} />
                }
            })
            .collect();
        html! {
            <div class="graph-scroller">
                <svg class="causation" width={tenths(graph.width.max(600.0))} height={tenths(graph.height)}
                    viewBox={format!("0 0 {} {}", tenths(graph.width.max(600.0)), tenths(graph.height))}
                    role="group" aria-label={format!("Causation graph of {}", graph.caption)}>
                    { edges }
                    { nodes }
                </svg>
            </div>
        }
    };
    html! {
        <section class="panel causation-panel" id="causation" role="region" aria-labelledby="causation-heading">
            <h2 id="causation-heading">{ "Causation graph" }</h2>
            <p class="hint">
                { if graph.nodes.is_empty() { String::new() } else { format!("The whole correlation of {}, as a tree by causation: each command, the events it produced, the commands they caused. ", graph.caption) } }
                { "Coloured by domain; greyed after the timeline position; " }
                <span class="legend-compensation">{ "compensation dashed in red" }</span>
                { ". Each node is a button that selects its event." }
            </p>
            if graph.truncated {
                <p class="hint">{ format!("Showing the first {} nodes.", graph.nodes.len()) }</p>
            }
            { body }
        </section>
    }
}
