//! The "Online vs batch" section: settings (drawn from the settings tables), run controls,
//! partitions and the dead-letter queue, every domain's read models online and in batch side by side,
//! their differences with reasons, and a chart.

use super::chart::Chart;
use crate::app::settings::{Setting, BROKER, CONSUMER, RUN, WINDOWS};
use crate::app::{Action, Convergence, DeadLetterView, StreamAction};
use crate::format::{count, group};
use crate::kernel::Position;
use crate::sim::Tick;
use crate::ui::app::{PanelProps, Shared};
use crate::ui::widgets::{model_html, setting_html};
use crate::view::ModelView;
use std::time::Duration;
use yew::platform::{spawn_local, time::sleep};
use yew::prelude::*;

fn press(dispatch: &Callback<Action>, action: StreamAction) -> Callback<MouseEvent> {
    dispatch.reform(move |_: MouseEvent| Action::Stream(action.clone()))
}

/// One side's read models (online or batch) with every domain's view.
fn projection_panel(
    id: &'static str,
    title: &'static str,
    subtitle: String,
    views: Vec<ModelView>,
) -> Html {
    let heading = format!("{id}-heading");
    html! {
        <section class="panel projection" role="region" aria-labelledby={heading.clone()}>
            <h3 id={heading}>{ title }</h3>
            <p class="hint">{ subtitle }</p>
            for view in views.iter() {
                { model_html(view, title) }
            }
        </section>
    }
}

/// The dead-letter queue: each entry's event, consumer, attempts and failure, with Retry and Skip;
/// Retry all and Skip all; what the order-preserving queue holds back; the outage, if one is chosen.
fn dead_letter_queue(
    shown: &[DeadLetterView],
    total: usize,
    held: usize,
    outage: Option<String>,
    dispatch: &Callback<Action>,
) -> Html {
    html! {
        <section class="dlq-panel" role="region" aria-label="Dead-letter queue">
            <div class="dlq-head">
                <h4>{ format!("Dead-letter queue ({})", group(total as u64)) }</h4>
                <button type="button" onclick={press(dispatch, StreamAction::RetryAll)} disabled={total == 0}>{ "Retry all" }</button>
                <button type="button" class="secondary" onclick={press(dispatch, StreamAction::SkipAll)} disabled={total == 0}>{ "Skip all" }</button>
            </div>
            if let Some(outage) = outage {
                <p class="hint outage" role="status">{ outage }</p>
            }
            if held > 0 {
                <p class="hint">{ format!("{} held back behind dead-lettered events of their streams.", count(held as u64, "event")) }</p>
            }
            <p class="hint">{ "Retry sends an event back through its consumer (idempotency and failures apply); Skip gives up on it for good. After an outage, Retry all converges when the queue preserves each stream's order and the windows allow the lateness: otherwise Differences says what the retries changed." }</p>
            if total == 0 {
                <p class="empty">{ "Empty." }</p>
            } else {
                <ul class="dlq" aria-label="Dead-letter queue" tabindex="0">
                    for d in shown.iter() {
                        <li key={d.position}>
                            <span class="dlq-event">
                                <strong>{ format!("#{} {}", d.position, d.event_type) }</strong>
                                { format!(" ({}) · consumer {} · {} · parked at tick {}", d.stream, d.consumer, count(u64::from(d.attempts), "attempt"), group(d.tick)) }
                                <span class="failure">{ d.failure.to_string() }</span>
                                if d.held > 0 {
                                    <span class="held">{ format!("{} held behind it", count(d.held as u64, "event")) }</span>
                                }
                            </span>
                            <span class="dlq-actions">
                                <button type="button" onclick={press(dispatch, StreamAction::RetryDeadLetter(d.position))}>{ format!("Retry #{}", d.position) }</button>
                                <button type="button" class="secondary" onclick={press(dispatch, StreamAction::SkipDeadLetter(d.position))}>{ format!("Skip #{}", d.position) }</button>
                            </span>
                        </li>
                    }
                </ul>
                if total > shown.len() {
                    <p class="hint">{ format!("… and {} more (in log order; Retry all and Skip all act on every one).", group((total - shown.len()) as u64)) }</p>
                }
            }
        </section>
    }
}

/// The whole online-vs-batch section.
/// Advances the broker at the "Speed" setting while the playground is playing (after "Play", or
/// after a shared scenario that was playing was opened).
pub fn keep_playing(shared: Shared) {
    spawn_local(async move {
        loop {
            let speed = u64::from(shared.playground.borrow().streaming().speed().max(1));
            let (ms, ticks) = if speed <= 10 {
                (1_000 / speed, 1)
            } else {
                (100, speed / 10)
            };
            sleep(Duration::from_millis(ms)).await;
            if !shared.playground.borrow().streaming().is_playing() {
                break;
            }
            shared
                .dispatch
                .emit(Action::Stream(StreamAction::Advance(ticks)));
        }
    });
}

#[component]
pub fn Streaming(props: &PanelProps<(u64, u64, Position, Tick)>) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let store = p.store();
    let s = p.streaming();
    let pipeline = s.pipeline();
    let retention = pipeline.config().retention > 0 && pipeline.queue_status().is_none();
    let differences = s.differences(store);
    let convergence = s.convergence(store);
    let playing = s.is_playing();
    let (batch_at, batch_tick) = s.batch_run();
    let series: Vec<(String, String)> = s
        .all_series()
        .iter()
        .map(|c| (c.code.to_owned(), c.label.to_owned()))
        .collect();
    let field = |setting: Setting| setting_html(setting, s.value(setting), &series, dispatch);

    let on_play = {
        let shared = props.shared.clone();
        Callback::from(move |_: MouseEvent| {
            shared.dispatch.emit(Action::Stream(StreamAction::Play));
            keep_playing(shared.clone());
        })
    };

    let batch_subtitle = match batch_tick {
        None => "Not run yet: press Run batch, or let the schedule run it.".to_owned(),
        Some(tick) => format!(
            "Last ran at tick {}, over positions 1–{}.",
            group(tick),
            group(batch_at)
        ),
    };
    let online_subtitle = format!(
        "Tick {}: fed by the consumer group, event by event.",
        group(pipeline.tick())
    );

    html! {
        <section class="streaming" id="online-vs-batch" aria-labelledby="streaming-heading">
            <h2 id="streaming-heading">{ "Online vs batch projections" }</h2>
            <p class="intro-text">
                { "Every domain's read models are built two ways: " }
                <strong>{ "online" }</strong>
                { ", event by event as a simulated broker delivers them (late, reordered, twice, or not at all, as you choose), and " }
                <strong>{ "batch" }</strong>
                { ", by folding the whole log from the start. Below, every row where they differ is listed with the reason." }
            </p>

            <div class="panel settings" role="group" aria-labelledby="settings-heading">
                <h3 id="settings-heading">{ "Broker settings" }</h3>
                <div class="settings-grid">
                    for setting in BROKER.iter().chain(WINDOWS).chain(RUN) {
                        { field(*setting) }
                    }
                </div>
                <div class="checks">
                    for setting in CONSUMER.iter() {
                        { field(*setting) }
                    }
                </div>
            </div>

            <div class="run-controls" role="group" aria-label="Run">
                <button type="button" onclick={on_play} disabled={playing}>{ "Play" }</button>
                <button type="button" onclick={press(dispatch, StreamAction::Pause)} disabled={!playing}>{ "Pause" }</button>
                <button type="button" onclick={press(dispatch, StreamAction::Step)}>{ "Step" }</button>
                <button type="button" onclick={press(dispatch, StreamAction::Drain)}>{ "Drain" }</button>
                <button type="button" onclick={press(dispatch, StreamAction::RunBatch)}>{ "Run batch" }</button>
                <button type="button" class="secondary" onclick={press(dispatch, StreamAction::Replay)}>{ "Replay from start" }</button>
                <p class={classes!("convergence", (convergence == Convergence::Converged).then_some("converged"))} role="status">{ convergence.to_string() }</p>
            </div>

            <div class="stream-grid">
                <section class="panel" role="region" aria-labelledby="partitions-heading">
                    <h3 id="partitions-heading">{ "Partitions and consumers" }</h3>
                    if let Some(q) = pipeline.queue_status() {
                        <table>
                            <caption>{ "Queue (RabbitMQ): consumers compete for its messages; an acknowledged message is gone" }</caption>
                            <thead><tr><th scope="col">{ "Messages" }</th><th scope="col">{ "Count" }</th></tr></thead>
                            <tbody>
                                <tr><td>{ "Ready (queue depth)" }</td><td class={classes!((q.ready > 0).then_some("lagging"))}>{ group(q.ready) }</td></tr>
                                <tr><td>{ "Held by consumers (unacknowledged)" }</td><td>{ group(q.held) }</td></tr>
                                <tr><td>{ match q.next_visible {
                                    Some(t) => format!("Unacknowledged after a crash (visible again from tick {})", group(t)),
                                    None => "Unacknowledged after a crash".to_owned(),
                                } }</td><td>{ group(q.unacked) }</td></tr>
                            </tbody>
                        </table>
                    } else {
                    <table>
                        <caption>{ format!("Topic with {} partitions, {} assignment", pipeline.partitions().len(), match pipeline.config().assignment { crate::sim::Assignment::Range => "range", crate::sim::Assignment::RoundRobin => "round-robin" }) }</caption>
                        <thead><tr><th scope="col">{ "Partition" }</th>
                            if retention { <th scope="col">{ "Log start" }</th> }
                            <th scope="col">{ "Log end" }</th><th scope="col">{ "Committed" }</th><th scope="col">{ "Lag" }</th><th scope="col">{ "Consumer" }</th></tr></thead>
                        <tbody>
                            for part in pipeline.partitions() {
                                <tr>
                                    <td>{ part.partition }</td>
                                    if retention { <td>{ group(part.start_offset) }</td> }
                                    <td>{ group(part.end_offset) }</td>
                                    <td>{ group(part.committed) }</td>
                                    <td class={classes!((part.lag > 0).then_some("lagging"))}>{ group(part.lag) }</td>
                                    <td>{ part.owner.map_or_else(|| "none (all down)".to_owned(), |c| format!("consumer {}", c + 1)) }</td>
                                </tr>
                            }
                        </tbody>
                    </table>
                    }
                    if retention {
                        <p class="hint">{ format!("The topic keeps the last {} of each partition; the event store keeps every event. A replay can only start from a partition's log start, and only a batch over the store sees everything: the event store, not the broker, is the source of truth.", count(pipeline.config().retention, "record")) }</p>
                    }
                    if let Some(lag) = pipeline.relay_paused() {
                        <p class="backpressure" role="status">{ format!("backpressure: relay paused at lag {}", group(lag)) }</p>
                    }
                    <ul class="consumers" aria-label="Consumers">
                        for ((i, down), held) in pipeline.consumers().into_iter().enumerate().zip(pipeline.in_flight()) {
                            <li>{ match down {
                                None if held > 0 => format!("Consumer {}: up, holding {}", i + 1, count(held as u64, "record")),
                                None => format!("Consumer {}: up", i + 1),
                                Some(t) => format!("Consumer {}: crashed, restarts at tick {}", i + 1, group(t)),
                            } }</li>
                        }
                    </ul>
                    { dead_letter_queue(&s.dead_letter_views(store), pipeline.dead_letter_count(), pipeline.held_count(), s.outage_status(), dispatch) }
                </section>
                <Chart shared={props.shared.clone()} key_of={props.key_of} />
            </div>

            <div class="side-by-side">
                { projection_panel("online", "Online projection", online_subtitle, p.model_views(pipeline.projection())) }
                { projection_panel("batch", "Batch projection", batch_subtitle, p.model_views(s.batch())) }
            </div>
            <p class="hint watermark-note">
                { "Windows follow the Beam/Flink model: the watermark is the latest event time seen minus the allowed lateness (kept per partition, as Flink does for Kafka, and shown as the lowest), and a deposit whose window ended before its partition's watermark is late — counted separately or dropped, as chosen above." }
            </p>

            <section class="panel" role="region" aria-labelledby="differences-heading">
                <h3 id="differences-heading">{ "Differences" }</h3>
                if differences.is_empty() {
                    <p class="empty">{ "None: every row is the same online and in batch." }</p>
                } else {
                    <p class="hint">{ format!("{} differing rows:", group(differences.len() as u64)) }</p>
                    <ul class="differences" aria-label="Differing rows" tabindex="0">
                        for d in differences.iter() {
                            <li key={format!("{}-{}", d.key.domain, d.label)}>
                                <strong>{ d.label.clone() }</strong>
                                { format!(" — online {}, batch {}. ", d.online, d.batch) }
                                <span class="reasons">{ d.reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ") }</span>
                            </li>
                        }
                    </ul>
                    if differences.len() > differences.as_slice().len() {
                        <p class="hint">{ format!("… and {} more.", group((differences.len() - differences.as_slice().len()) as u64)) }</p>
                    }
                }
            </section>
        </section>
    }
}
