//! The "Metrics" and "Alerts" regions: every metric as a number and a sparkline over the last
//! ticks, the event types appended, and the alerts that hold with their editable thresholds.

use crate::app::settings::ALERTS;
use crate::app::{Setting, Severity};
use crate::format::{count, group};
use crate::kernel::Position;
use crate::sim::Tick;
use crate::ui::app::PanelProps;
use crate::ui::widgets::setting_html;
use yew::prelude::*;

const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 28.0;
/// The sparklines' viewBox, written out: formatting the floats would bring in the standard
/// library's float printing (9 KB of wasm).
const VIEW_BOX: &str = "0 0 120 28";
/// The most event types listed (the rest are summed).
const TYPES_SHOWN: usize = 12;

/// The dashboard.
#[component]
pub fn Metrics(props: &PanelProps<(u64, u64, u64, Position, Tick)>) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let views = p.metric_views(WIDTH, HEIGHT);
    let alerts = p.metrics().alerts().to_vec();
    let types = p.event_type_counts();
    let total: u64 = types.iter().map(|(_, n)| n).sum();
    let rest: u64 = types.iter().skip(TYPES_SHOWN).map(|(_, n)| n).sum();
    let thresholds: Html = ALERTS
        .iter()
        .map(|&s: &Setting| setting_html(s, p.threshold_value(s), &[], dispatch))
        .collect();
    let share = |n: u64| n as f64 * 100.0 / total.max(1) as f64;

    html! {
        <div class="metrics-section">
            <section class="panel" id="metrics" role="region" aria-labelledby="metrics-heading">
                <h2 id="metrics-heading">{ "Metrics" }</h2>
                <p class="hint">{ format!("Counted every tick over the broker's consumer groups, the sagas and the store; each line shows the last {} ticks.", crate::app::metrics::KEPT - 1) }</p>
                <ul class="metric-grid" aria-label="Metric values">
                    for m in views.iter() {
                        <li class="metric" key={m.label.clone()}>
                            <span class="metric-label">{ m.label.clone() }</span>
                            <span class="metric-value">{ m.value.clone() }</span>
                            <svg class="sparkline" viewBox={VIEW_BOX} preserveAspectRatio="none" role="img"
                                aria-label={format!("{} over the last ticks, up to {}", m.label, group(m.max))}>
                                if !m.points.is_empty() {
                                    <polyline points={m.points.clone()} />
                                }
                            </svg>
                        </li>
                    }
                </ul>
                <table class="event-types">
                    <caption>{ format!("Event types: {}", count(total, "event")) }</caption>
                    <thead><tr><th scope="col">{ "Type" }</th><th scope="col">{ "Events" }</th><th scope="col">{ "Share" }</th></tr></thead>
                    <tbody>
                        for (name, n) in types.iter().take(TYPES_SHOWN) {
                            <tr key={name.clone()}>
                                <td>{ name.clone() }</td>
                                <td>{ group(*n) }</td>
                                <td><span class="bar" style={format!("width: {}%", crate::format::tenths(share(*n)))}></span>{ format!("{}%", crate::format::tenths(share(*n))) }</td>
                            </tr>
                        }
                        if rest > 0 {
                            <tr>
                                <td>{ format!("{} more types", types.len() - TYPES_SHOWN) }</td>
                                <td>{ group(rest) }</td>
                                <td>{ format!("{}%", crate::format::tenths(share(rest))) }</td>
                            </tr>
                        }
                    </tbody>
                </table>
            </section>
            <section class="panel" role="region" aria-labelledby="alerts-heading">
                <h3 id="alerts-heading">{ "Alerts" }</h3>
                <div class="settings-grid">{ thresholds }</div>
                if alerts.is_empty() {
                    <p class="empty">{ "No alert holds." }</p>
                } else {
                    <ul class="alerts" aria-label="Active alerts">
                        for a in alerts.iter() {
                            <li class={classes!("alert-line", severity_class(a.kind.severity()))}>
                                <strong>{ a.kind.severity().to_string() }</strong>
                                { format!(": {} (since tick {}).", a, group(a.since)) }
                            </li>
                        }
                    </ul>
                }
            </section>
        </div>
    }
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Critical => "critical",
    }
}
