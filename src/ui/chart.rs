//! An SVG chart of one value over ticks, online vs batch, drawn from the core's chart lines.

use super::app::Shared;
use crate::app::{group, Action, ChartValue, Setting, StreamAction};
use crate::domain::bank::Money;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 200.0;

/// Props: the shared playground.
#[derive(Properties, PartialEq)]
pub struct ChartProps {
    /// The playground and its dispatcher.
    pub shared: Shared,
}

/// The chart panel with its value picker.
#[component]
pub fn Chart(props: &ChartProps) -> Html {
    let p = props.shared.playground.borrow();
    let s = p.streaming();
    let value = s.chart_value();
    let lines = s.chart_lines(WIDTH, HEIGHT);
    let show = |v: i64| {
        if value.is_money() {
            Money::from_cents(v).to_string()
        } else {
            group(v.max(0) as u64)
        }
    };
    let on_value = props.shared.dispatch.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Action::Stream(StreamAction::Set(Setting::ChartValue, v))
    });
    let description = format!(
        "{} over ticks {} to {}, online and batch; from {} to {}.",
        value.label(),
        group(lines.first_tick),
        group(lines.last_tick),
        show(lines.min),
        show(lines.max)
    );
    html! {
        <section class="panel chart" role="region" aria-labelledby="chart-heading">
            <h3 id="chart-heading">{ "Online vs batch over time" }</h3>
            <div class="field setting">
                <label for="chart-value">{ "Chart value" }</label>
                <select id="chart-value" onchange={on_value}>
                    for option in [ChartValue::TotalBalance, ChartValue::TotalDeposits, ChartValue::AccountsOpen] {
                        <option value={option.code()} selected={option == value}>{ option.label() }</option>
                    }
                </select>
            </div>
            <svg viewBox={format!("-100 -10 {} {}", WIDTH + 110.0, HEIGHT + 40.0)} role="img" aria-label={description}>
                <line class="axis" x1="0" y1={HEIGHT.to_string()} x2={WIDTH.to_string()} y2={HEIGHT.to_string()} />
                <line class="axis" x1="0" y1="0" x2="0" y2={HEIGHT.to_string()} />
                <text class="tick-label" x="-6" y="4" text-anchor="end">{ show(lines.max) }</text>
                <text class="tick-label" x="-6" y={HEIGHT.to_string()} text-anchor="end">{ show(lines.min) }</text>
                <text class="tick-label" x="0" y={(HEIGHT + 18.0).to_string()}>{ format!("tick {}", group(lines.first_tick)) }</text>
                <text class="tick-label" x={WIDTH.to_string()} y={(HEIGHT + 18.0).to_string()} text-anchor="end">{ format!("tick {}", group(lines.last_tick)) }</text>
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
