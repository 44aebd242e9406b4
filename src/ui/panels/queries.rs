//! The "Queries" region: the query side of CQRS. Choose a query, type its parameter, run it against
//! read models that trail the log by the "Read model lag", and see how fresh the answer is.

use crate::app::settings::Setting;
use crate::app::{Action, QueryAction};
use crate::kernel::Position;
use crate::ui::app::PanelProps;
use crate::ui::widgets::table_html;
use crate::view::QueryAnswer;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The query controls, the answer and its freshness.
#[component]
pub fn Queries(props: &PanelProps<(u64, Position, Position)>) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let q = p.queries();
    let chosen = q.chosen().copied();
    let lag = Setting::ReadModelLag.def();

    let on_query = dispatch.reform(|e: Event| {
        Action::Query(QueryAction::Choose(
            e.target_unchecked_into::<HtmlSelectElement>().value(),
        ))
    });
    let on_parameter = dispatch.reform(|e: InputEvent| {
        Action::Query(QueryAction::EditParameter(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let on_run = dispatch.reform(|e: SubmitEvent| {
        e.prevent_default();
        Action::Query(QueryAction::Run)
    });
    let on_lag = dispatch.reform(|e: Event| {
        Action::Query(QueryAction::SetLag(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let on_wait = dispatch.reform(|e: Event| {
        Action::Query(QueryAction::WaitForLastWrite(
            e.target_unchecked_into::<HtmlInputElement>().checked(),
        ))
    });
    let catch_up = dispatch.reform(|_: MouseEvent| Action::Query(QueryAction::CatchUp));
    let answer = q.answer().cloned();

    html! {
        <section class="panel queries" id="queries" role="region" aria-labelledby="queries-heading">
            <h2 id="queries-heading">{ "Queries" }</h2>
            <p class="intro-text">
                { "The query side of CQRS: the same read models as online and batch below, fed by a subscription of their own. With a " }
                <strong>{ "read model lag" }</strong>
                { " of 0 they catch up after every command, like an inline projection; above 0 they trail the log like an async projection, and an answer can be stale — unless you wait for your last write." }
            </p>
            <form onsubmit={on_run}>
                <div class="row">
                    <div class="field">
                        <label for="query">{ "Query" }</label>
                        <select id="query" onchange={on_query}>
                            for (_, def) in q.catalog().iter() {
                                <option value={def.id} selected={chosen.is_some_and(|c| c.id == def.id)}>{ def.label }</option>
                            }
                        </select>
                    </div>
                    <div class="field">
                        <label for="query-parameter">{ "Query parameter" }</label>
                        <input id="query-parameter" type="text" autocomplete="off" maxlength="300"
                            placeholder={chosen.map_or("", |c| c.example)} aria-describedby="query-parameter-hint"
                            value={q.parameter().to_owned()} oninput={on_parameter} />
                    </div>
                    <button type="submit">{ "Run query" }</button>
                </div>
                <p class="row-hints">
                    <small id="query-parameter-hint">{ format!("Query parameter: {}", chosen.map_or("", |c| c.parameter)) }</small>
                </p>
            </form>
            <div class="row">
                <div class="field narrow">
                    <label for={lag.id}>{ lag.label }</label>
                    <input id={lag.id} type="text" inputmode="numeric" autocomplete="off" maxlength="24"
                        aria-describedby="read-model-lag-hint" value={q.lag().to_string()} onchange={on_lag} />
                </div>
                <button type="button" class="secondary" onclick={catch_up}>{ "Catch up" }</button>
                <label class="check wait">
                    <input id="wait-for-last-write" type="checkbox" checked={q.waits_for_last_write()} onchange={on_wait} />
                    { "Wait for my last write" }
                </label>
            </div>
            <p class="hint" id="read-model-lag-hint">{ "Read model lag: events the query side trails the log by, 0 to 1,000. Wait for my last write: before answering, catch up to the position of your last command (read-your-writes)." }</p>
            <p class={classes!("freshness", answer.as_ref().is_some_and(|a| a.at < p.head()).then_some("stale"))} role="status">
                { q.freshness(p.head()) }
            </p>
            { match answer {
                None => html! { <p class="empty">{ "Choose a query, type its parameter and press Run query." }</p> },
                Some(answered) => html! {
                    <div class="answer">
                        <p class="answer-of">{ format!("{} for “{}”:", answered.query, answered.parameter) }</p>
                        { match &answered.answer {
                            QueryAnswer::Table(table) => table_html(table, Some("result")),
                            QueryAnswer::NotFound(text) => html! { <p class="not-found">{ text.clone() }</p> },
                        } }
                    </div>
                },
            } }
        </section>
    }
}
