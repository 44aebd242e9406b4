//! The "Topology" region: the source topic, the stream processors and their derived topics drawn
//! as SVG from the core's topology, their settings, and the records of the derived topic chosen
//! (only the rows in view are drawn).

use crate::app::settings::{Setting, PROCESSING};
use crate::app::TopologyView;
use crate::format::{count, group, tenths};
use crate::kernel::Position;
use crate::sim::Tick;
use crate::ui::app::PanelProps;
use crate::ui::virtual_list::window;
use crate::ui::widgets::{setting_html, use_scroll_top};
use yew::prelude::*;

const NODE_W: f64 = 210.0;
const NODE_H: f64 = 62.0;
const COLUMN_X: [f64; 3] = [10.0, 300.0, 590.0];
const ROW_Y: f64 = 80.0;
const ROW_PX: f64 = 28.0;
const VIEWPORT_PX: f64 = 252.0;

fn node_y(row: usize) -> f64 {
    10.0 + row as f64 * ROW_Y
}

/// The topology as SVG.
fn graph_html(view: &TopologyView) -> Html {
    let edges = view.edges.iter().filter_map(|&(from, to)| {
        let (a, b) = (view.nodes.get(from)?, view.nodes.get(to)?);
        let x1 = COLUMN_X[a.column] + NODE_W;
        let y1 = node_y(a.row) + NODE_H / 2.0;
        let x2 = COLUMN_X[b.column] - 6.0;
        let y2 = node_y(b.row) + NODE_H / 2.0;
        Some(html! {
            <line class="topology-edge" x1={tenths(x1)} y1={tenths(y1)} x2={tenths(x2)} y2={tenths(y2)} marker-end="url(#topology-arrow)" />
        })
    });
    let nodes = view.nodes.iter().map(|n| {
        let x = COLUMN_X[n.column];
        let y = node_y(n.row);
        html! {
            <g class={classes!("topology-node", n.kind)}>
                <rect x={tenths(x)} y={tenths(y)} width={tenths(NODE_W)} height={tenths(NODE_H)} rx="6" />
                <text class="node-name" x={tenths(x + 10.0)} y={tenths(y + 20.0)}>{ n.name.clone() }</text>
                for (i, line) in n.lines.iter().enumerate() {
                    <text class="node-line" x={tenths(x + 10.0)} y={tenths(y + 38.0 + i as f64 * 16.0)}>{ line.clone() }</text>
                }
            </g>
        }
    });
    html! {
        <svg class="topology" viewBox="0 0 810 240" role="img" aria-label={view.summary.clone()}>
            <defs>
                <marker id="topology-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
            </defs>
            { for edges }
            { for nodes }
        </svg>
    }
}

/// The Topology region.
#[component]
pub fn Topology(props: &PanelProps<(u64, u64, Position, Tick)>) -> Html {
    let dispatch = &props.shared.dispatch;
    let (scroll_top, onscroll) = use_scroll_top();
    let p = props.shared.playground.borrow();
    let processing = p.processing();
    let view = processing.topology(p.store());
    let settings: Html = PROCESSING
        .iter()
        .chain(&[Setting::DerivedTopic])
        .map(|&s| setting_html(s, processing.value(s), &[], dispatch))
        .collect();
    let len = processing.shown_records().len() as u64;
    let w = window(len, f64::from(*scroll_top.borrow()), VIEWPORT_PX, ROW_PX);
    let before = w.first_top_px.max(0.0);
    let shown = processing.shown_lines(w.first as usize..w.end as usize);
    let after = (w.content_px - before - shown.len() as f64 * ROW_PX).max(0.0);
    let topic = processing.shown().name();
    html! {
        <section class="panel topology-panel" id="topology" role="region" aria-labelledby="topology-heading">
            <h2 id="topology-heading">{ "Topology" }</h2>
            <p class="intro-text">
                { "Stream processors consume the same topic and publish derived topics, under the broker's faults: " }
                <strong>{ "Enrich" }</strong>{ " joins each placed order with the customers table it folds from the customers' events (segment: business for an .org address, personal otherwise, unknown when the customer is not in the table yet), " }
                <strong>{ "Filter" }</strong>{ " keeps the orders above the high-value threshold, and " }
                <strong>{ "Aggregate" }</strong>{ " publishes a customer's summary every so many orders. With duplicates and no idempotency, the derived topics show them." }
            </p>
            { graph_html(&view) }
            <div class="settings-grid">{ settings }</div>
            <p class="hint">{ format!("{}: {}", topic, count(len, "record")) }</p>
            if len == 0 {
                <p class="empty">{ "No records yet: place orders, then Step, Play or Drain." }</p>
            } else {
                <div class="derived-scroller" tabindex="0" {onscroll}>
                    <ol class="derived-records" aria-label={format!("Records of {topic}")} style={format!("padding-top:{}px;padding-bottom:{}px", tenths(before), tenths(after))}>
                        for (i, (source, line)) in shown.iter().enumerate() {
                            <li key={(w.first + i as u64).to_string()}>
                                <span class="offset">{ format!("offset {}", group(w.first + i as u64)) }</span>
                                { format!(" {line} (from #{source})") }
                            </li>
                        }
                    </ol>
                </div>
            }
        </section>
    }
}
