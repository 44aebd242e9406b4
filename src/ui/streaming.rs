//! The "Online vs batch" section: settings, run controls, partitions and the dead-letter queue, the
//! two projections side by side, their differences with reasons, and a chart.

use super::app::Shared;
use super::chart::Chart;
use crate::app::{group, Action, Setting, StreamAction};
use crate::domain::bank::Money;
use crate::kernel::StreamId;
use crate::projection::{BankReadModels, LatePolicy};
use crate::sim::{show_account, show_total, show_window, CommitPolicy, Idempotency, Total};
use chrono::DateTime;
use std::time::Duration;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::{spawn_local, time::sleep};
use yew::prelude::*;

/// Props: the shared playground.
#[derive(Properties, PartialEq)]
pub struct StreamingProps {
    /// The playground and its dispatcher.
    pub shared: Shared,
}

fn set(dispatch: &Callback<Action>, setting: Setting) -> Callback<Event> {
    dispatch.reform(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlInputElement>().value();
        Action::Stream(StreamAction::Set(setting, value))
    })
}

fn set_select(dispatch: &Callback<Action>, setting: Setting) -> Callback<Event> {
    dispatch.reform(move |e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        Action::Stream(StreamAction::Set(setting, value))
    })
}

fn set_check(dispatch: &Callback<Action>, setting: Setting) -> Callback<Event> {
    dispatch.reform(move |e: Event| {
        let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
        Action::Stream(StreamAction::Set(setting, checked.to_string()))
    })
}

/// A labelled text field for a numeric setting; the hint says what is accepted.
fn number_field(
    id: &'static str,
    label: &'static str,
    value: String,
    hint: &'static str,
    onchange: Callback<Event>,
) -> Html {
    let hint_id = format!("{id}-hint");
    html! {
        <div class="field setting">
            <label for={id}>{ label }</label>
            <input id={id} type="text" inputmode="numeric" autocomplete="off" maxlength="24"
                value={value} aria-describedby={hint_id.clone()} {onchange} />
            <small id={hint_id}>{ hint }</small>
        </div>
    }
}

fn press(dispatch: &Callback<Action>, action: StreamAction) -> Callback<MouseEvent> {
    dispatch.reform(move |_: MouseEvent| Action::Stream(action.clone()))
}

fn day(start: i64) -> String {
    DateTime::from_timestamp(start, 0)
        .unwrap_or_default()
        .format("%b %d %H:%M")
        .to_string()
}

/// One projection's panel; online and batch share this layout. `selected` is the account chosen in the
/// command panel, whose balance row is shown.
fn projection_panel(
    id: &'static str,
    title: &'static str,
    subtitle: String,
    models: &BankReadModels,
    selected: Option<&StreamId>,
) -> Html {
    let heading = format!("{id}-heading");
    let leaders = models.balances.leaderboard(5);
    let windows: Vec<_> = models.windows.windows().iter().rev().take(7).collect();
    let watermark = models
        .windows
        .watermark()
        .map_or_else(|| "none yet".to_owned(), day);
    html! {
        <section class="panel projection" role="region" aria-labelledby={heading.clone()}>
            <h3 id={heading}>{ title }</h3>
            <p class="hint">{ subtitle }</p>
            <dl class="totals">
                for total in [Total::AccountsOpen, Total::TotalDeposits, Total::TotalBalance] {
                    <div>
                        <dt>{ crate::sim::RowKey::Total(total).to_string() }</dt>
                        <dd>{ show_total(models, total) }</dd>
                    </div>
                }
                <div>
                    <dt>{ "Accounts with a balance row" }</dt>
                    <dd>{ group(models.balances.rows().len() as u64) }</dd>
                </div>
                if let Some(stream) = selected {
                    <div class="wide">
                        <dt>{ format!("Balance row of {stream} (the selected account)") }</dt>
                        <dd>{ show_account(models.balances.get(stream)) }</dd>
                    </div>
                }
            </dl>
            <h4>{ "Top accounts by balance" }</h4>
            if leaders.is_empty() {
                <p class="empty">{ "No accounts yet." }</p>
            } else {
                <ol class="leaders" aria-label={format!("{title}: top accounts by balance")}>
                    for (stream, cents) in leaders {
                        <li>{ format!("{stream}: {}", Money::from_cents(cents)) }</li>
                    }
                </ol>
            }
            <h4>{ "Deposits per window (event time)" }</h4>
            <p class="hint">{ format!("Watermark: {watermark}") }</p>
            if windows.is_empty() {
                <p class="empty">{ "No deposits yet." }</p>
            } else {
                <ul class="windows" aria-label={format!("{title}: deposits per window")}>
                    for (start, row) in windows {
                        <li>{ format!("{}: {}", day(*start), show_window(Some(row))) }</li>
                    }
                </ul>
            }
        </section>
    }
}

/// The whole online-vs-batch section.
#[component]
pub fn Streaming(props: &StreamingProps) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let store = p.bank().store();
    let s = p.streaming();
    let config = s.config();
    let windows = s.window_settings();
    let pipeline = s.pipeline();
    let differences = s.differences(store);
    let status = s.status(store);
    let playing = s.is_playing();
    let (batch_at, batch_tick) = s.batch_run();

    let on_play = {
        let shared = props.shared.clone();
        Callback::from(move |_: MouseEvent| {
            shared.dispatch.emit(Action::Stream(StreamAction::Play));
            let shared = shared.clone();
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
                { "The same read models are built two ways: " }
                <strong>{ "online" }</strong>
                { ", event by event as a simulated broker delivers them (late, reordered, twice, or not at all, as you choose), and " }
                <strong>{ "batch" }</strong>
                { ", by folding the whole log from the start. Below, every row where they differ is listed with the reason." }
            </p>

            <div class="panel settings" role="group" aria-labelledby="settings-heading">
                <h3 id="settings-heading">{ "Broker settings" }</h3>
                <div class="settings-grid">
                    { number_field("partitions", "Partitions", config.partitions.to_string(), "1–16; by account id; applies at replay", set(dispatch, Setting::Partitions)) }
                    { number_field("consumers", "Consumers", config.consumers.to_string(), "1–8 in the group", set(dispatch, Setting::Consumers)) }
                    <div class="field setting">
                        <label for="assignment">{ "Assignment" }</label>
                        <select id="assignment" onchange={set_select(dispatch, Setting::Assignment)}>
                            <option value="range" selected={config.assignment == crate::sim::Assignment::Range}>{ "Range" }</option>
                            <option value="round-robin" selected={config.assignment == crate::sim::Assignment::RoundRobin}>{ "Round-robin" }</option>
                        </select>
                    </div>
                    { number_field("batch-size", "Batch size", config.batch_size.to_string(), "records per poll", set(dispatch, Setting::BatchSize)) }
                    { number_field("delay", "Delay", config.delay_ticks.to_string(), "ticks before delivery", set(dispatch, Setting::Delay)) }
                    { number_field("reorder", "Reorder window", config.reorder_window.to_string(), "up to this many extra ticks", set(dispatch, Setting::ReorderWindow)) }
                    { number_field("duplicates", "Duplicate rate", config.duplicate_rate.to_string(), "% delivered twice", set(dispatch, Setting::DuplicateRate)) }
                    { number_field("failures", "Failure rate", config.failure_rate.to_string(), "% of attempts that fail", set(dispatch, Setting::FailureRate)) }
                    { number_field("retries", "Retries", config.max_retries.to_string(), "then the dead-letter queue", set(dispatch, Setting::Retries)) }
                    { number_field("crashes", "Crash rate", config.crash_rate.to_string(), "% per consumer per tick; down 3 ticks", set(dispatch, Setting::CrashRate)) }
                    <div class="field setting">
                        <label for="commit-policy">{ "Commit policy" }</label>
                        <select id="commit-policy" aria-describedby="commit-hint" onchange={set_select(dispatch, Setting::CommitPolicy)}>
                            <option value="after" selected={config.commit_policy == CommitPolicy::AfterProcessing}>{ "After processing (at-least-once)" }</option>
                            <option value="before" selected={config.commit_policy == CommitPolicy::BeforeProcessing}>{ "Before processing (at-most-once)" }</option>
                        </select>
                        <small id="commit-hint">{ "after: a crash duplicates; before: a crash loses" }</small>
                    </div>
                    { number_field("seed", "Seed", config.seed.to_string(), "same seed, same run; applies at replay", set(dispatch, Setting::Seed)) }
                    { number_field("window-size", "Window size", (windows.size_seconds / 3_600).to_string(), "hours of event time", set(dispatch, Setting::WindowHours)) }
                    { number_field("lateness", "Allowed lateness", (windows.allowed_lateness_seconds / 3_600).to_string(), "hours", set(dispatch, Setting::LatenessHours)) }
                    <div class="field setting">
                        <label for="late-policy">{ "Late events" }</label>
                        <select id="late-policy" onchange={set_select(dispatch, Setting::LatePolicy)}>
                            <option value="count" selected={windows.late == LatePolicy::CountSeparately}>{ "Count separately" }</option>
                            <option value="drop" selected={windows.late == LatePolicy::Drop}>{ "Drop" }</option>
                        </select>
                    </div>
                    { number_field("batch-every", "Batch every", s.batch_every().to_string(), "ticks; 0 = only on Run batch", set(dispatch, Setting::BatchEvery)) }
                    { number_field("speed", "Speed", s.speed().to_string(), "ticks per second while playing", set(dispatch, Setting::Speed)) }
                </div>
                <div class="checks">
                    <div>
                        <label class="check">
                            <input id="idempotent" type="checkbox" checked={config.idempotency != Idempotency::Off}
                                aria-describedby="idempotent-hint" onchange={set_check(dispatch, Setting::Idempotent)} />
                            { "Idempotent consumer" }
                        </label>
                        <small class="hint" id="idempotent-hint">{ match s.idempotency_key() {
                            Idempotency::ByStreamVersion => "remembers each account's last applied version and skips anything not newer (cheap, but also skips a new event that arrives after a later one)",
                            _ => "remembers the id of every event it applied and skips a repeat (checked before handling)",
                        } }</small>
                    </div>
                    <div class="field setting">
                        <label for="idempotency-key">{ "Remember" }</label>
                        <select id="idempotency-key" onchange={set_select(dispatch, Setting::IdempotencyKey)}>
                            <option value="event-id" selected={s.idempotency_key() != Idempotency::ByStreamVersion}>{ "Every applied event id" }</option>
                            <option value="stream-version" selected={s.idempotency_key() == Idempotency::ByStreamVersion}>{ "Last version per account" }</option>
                        </select>
                    </div>
                    <div>
                        <label class="check">
                            <input id="broken-producer" type="checkbox" checked={config.reorder_within_partition}
                                aria-describedby="broken-hint" onchange={set_check(dispatch, Setting::BrokenProducer)} />
                            { "Broken producer" }
                        </label>
                        <small class="hint" id="broken-hint">{ "also shuffles a partition's records in runs of the reorder window: one account's events arrive out of order" }</small>
                    </div>
                </div>
            </div>

            <div class="run-controls" role="group" aria-label="Run">
                <button type="button" onclick={on_play} disabled={playing}>{ "Play" }</button>
                <button type="button" onclick={press(dispatch, StreamAction::Pause)} disabled={!playing}>{ "Pause" }</button>
                <button type="button" onclick={press(dispatch, StreamAction::Step)}>{ "Step" }</button>
                <button type="button" onclick={press(dispatch, StreamAction::Drain)}>{ "Drain" }</button>
                <button type="button" onclick={press(dispatch, StreamAction::RunBatch)}>{ "Run batch" }</button>
                <button type="button" class="secondary" onclick={press(dispatch, StreamAction::Replay)}>{ "Replay from start" }</button>
                <p class={classes!("convergence", (status == "Converged").then_some("converged"))} role="status">{ status }</p>
            </div>

            <div class="stream-grid">
                <section class="panel" role="region" aria-labelledby="partitions-heading">
                    <h3 id="partitions-heading">{ "Partitions and consumers" }</h3>
                    <table>
                        <caption>{ format!("Topic with {} partitions, {} assignment", pipeline.partitions().len(), match pipeline.config().assignment { crate::sim::Assignment::Range => "range", crate::sim::Assignment::RoundRobin => "round-robin" }) }</caption>
                        <thead><tr><th scope="col">{ "Partition" }</th><th scope="col">{ "Log end" }</th><th scope="col">{ "Committed" }</th><th scope="col">{ "Lag" }</th><th scope="col">{ "Consumer" }</th></tr></thead>
                        <tbody>
                            for part in pipeline.partitions() {
                                <tr>
                                    <td>{ part.partition }</td>
                                    <td>{ group(part.end_offset) }</td>
                                    <td>{ group(part.committed) }</td>
                                    <td class={classes!((part.lag > 0).then_some("lagging"))}>{ group(part.lag) }</td>
                                    <td>{ part.owner.map_or_else(|| "none (all down)".to_owned(), |c| format!("consumer {}", c + 1)) }</td>
                                </tr>
                            }
                        </tbody>
                    </table>
                    <ul class="consumers" aria-label="Consumers">
                        for (i, down) in pipeline.consumers().into_iter().enumerate() {
                            <li>{ match down {
                                None => format!("Consumer {}: up", i + 1),
                                Some(t) => format!("Consumer {}: crashed, restarts at tick {}", i + 1, group(t)),
                            } }</li>
                        }
                    </ul>
                    <h4>{ format!("Dead-letter queue ({})", pipeline.dead_letters().len()) }</h4>
                    if pipeline.dead_letters().is_empty() {
                        <p class="empty">{ "Empty." }</p>
                    } else {
                        <ul class="dlq" aria-label="Dead-letter queue">
                            for letter in pipeline.dead_letters().iter().rev().take(50) {
                                <li>{ format!("#{} (partition {}, offset {}) at tick {}: {}", letter.record.position, letter.record.partition, letter.record.offset, letter.tick, letter.error) }</li>
                            }
                        </ul>
                    }
                </section>
                <Chart shared={props.shared.clone()} />
            </div>

            <div class="side-by-side">
                { projection_panel("online", "Online projection", online_subtitle, pipeline.projection(), p.selected()) }
                { projection_panel("batch", "Batch projection", batch_subtitle, s.batch(), p.selected()) }
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
                    <ul class="differences" aria-label="Differing rows">
                        for d in differences.iter() {
                            <li key={d.key.to_string()}>
                                <strong>{ d.key.to_string() }</strong>
                                { format!(" — online {}, batch {}. ", d.online, d.batch) }
                                <span class="reasons">{ d.reasons.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ") }</span>
                            </li>
                        }
                    </ul>
                }
            </section>
        </section>
    }
}
