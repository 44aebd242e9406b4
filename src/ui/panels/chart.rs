//! An SVG chart of one value over ticks, online vs batch, drawn from the core's chart lines.

use crate::app::settings::Setting;
use crate::domain::bank::Money;
use crate::format::group;
use crate::format::group_signed;
use crate::kernel::Position;
use crate::sim::Tick;
use crate::ui::app::PanelProps;
use crate::ui::widgets::setting_html;
use yew::prelude::*;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 200.0;
/// The same sizes as text, for SVG attributes.
const WIDTH_TEXT: &str = "600";
const HEIGHT_TEXT: &str = "200";
const BELOW_AXIS: &str = "218";

/// The chart panel with its value picker (any domain's series).
#[component]
pub fn Chart(props: &PanelProps<(u64, u64, Position, Tick)>) -> Html {
    let p = props.shared.playground.borrow();
    let s = p.streaming();
    let lines = s.chart_lines(WIDTH, HEIGHT);
    let money = lines.series.money;
    let show = |v: i64| {
        if money {
            Money::from_cents(v).to_string()
        } else {
            group_signed(v)
        }
    };
    let series: Vec<(String, String)> = s
        .all_series()
        .iter()
        .map(|c| (c.code.to_owned(), c.label.to_owned()))
        .collect();
    let picker = setting_html(
        Setting::ChartValue,
        s.value(Setting::ChartValue),
        &series,
        &props.shared.dispatch,
    );
    let description = format!(
        "{} over ticks {} to {}, online and batch; from {} to {}.",
        lines.series.label,
        group(lines.first_tick),
        group(lines.last_tick),
        show(lines.min),
        show(lines.max)
    );
    html! {
        <section class="panel chart" role="region" aria-labelledby="chart-heading">
            <h3 id="chart-heading">{ "Online vs batch over time" }</h3>
            { picker }
            <svg viewBox="-100 -10 710 240" role="img" aria-label={description}>
                <line class="axis" x1="0" y1={HEIGHT_TEXT} x2={WIDTH_TEXT} y2={HEIGHT_TEXT} />
                <line class="axis" x1="0" y1="0" x2="0" y2={HEIGHT_TEXT} />
                <text class="tick-label" x="-6" y="4" text-anchor="end">{ show(lines.max) }</text>
                <text class="tick-label" x="-6" y={HEIGHT_TEXT} text-anchor="end">{ show(lines.min) }</text>
                <text class="tick-label" x="0" y={BELOW_AXIS}>{ format!("tick {}", group(lines.first_tick)) }</text>
                <text class="tick-label" x={WIDTH_TEXT} y={BELOW_AXIS} text-anchor="end">{ format!("tick {}", group(lines.last_tick)) }</text>
                <polyline class="line batch" points={lines.batch} />
                <polyline class="line online" points={lines.online} />
            </svg>
            <p class="legend">
                <span class="key online">{ "Online" }</span>
                <span class="key batch">{ "Batch" }</span>
            </p>
        </section>
    }
}
