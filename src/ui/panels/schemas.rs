//! The "Schema versions" region: each evolving event type with the version written, how many events
//! each version holds, its upcasters and "Deploy next version"; then the schema registry, every event
//! type of every domain with its fields in each version.

use crate::app::{Action, Playground, SchemaAction, UpcastStep};
use crate::ui::app::PanelProps;
use yew::prelude::*;

/// An event type's upcasters in order, each named, the lossy ones saying what they cannot
/// recover (the Schema versions table and Event details list them alike).
pub fn upcast_steps_html(steps: Vec<UpcastStep>, label: Option<&'static str>) -> Html {
    html! {
        <ol class="upcast-steps" aria-label={label}>
            for step in steps {
                <li>
                    { format!("v{} → v{}: {}", step.from, step.to, step.name) }
                    if let Some(lossy) = step.lossy {
                        <span class="lossy">{ format!(" Lossy: {lossy}.") }</span>
                    }
                </li>
            }
        </ol>
    }
}

/// The region.
#[component]
pub fn Schemas(props: &PanelProps<(u64, u64)>) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let evolving = p.evolving_types();
    let registry = p.schema_registry();
    let rows: Html = evolving
        .into_iter()
        .map(|t| {
            let name = t.name.clone();
            let onclick = dispatch.reform(move |_: MouseEvent| {
                Action::Schema(SchemaAction::DeployNext(name.clone()))
            });
            let mix = Playground::stored_mix(&t);
            html! {
                <tr key={t.name.clone()}>
                    <th scope="row">{ t.name.clone() }</th>
                    <td>{ t.domain.clone() }</td>
                    <td>{ format!("v{} of v{}", t.written, t.latest) }</td>
                    <td>{ mix }</td>
                    <td>{ upcast_steps_html(t.upcasters, None) }</td>
                    <td>
                        <button type="button" class="secondary" disabled={!t.can_deploy} {onclick}>
                            { "Deploy next version" }
                            <span class="visually-hidden">{ format!(" of {}", t.name) }</span>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect();
    html! {
        <section class="panel schemas-panel" id="schema-versions" role="region" aria-labelledby="schemas-heading">
            <h2 id="schemas-heading">{ "Schema versions" }</h2>
            <p class="hint">{ "Events are never changed once stored, but the code that reads them is. Deploying a version changes only how new events are written; every event already in the log stays exactly as it was, and every reader (aggregates, snapshots, projections, sagas, processors, queries) sees the latest version through one upcasting step on read. Tick “Show events as stored” in the Event log to see the difference." }</p>
            <table class="evolving">
                <caption>{ "Evolving event types" }</caption>
                <thead><tr>
                    <th scope="col">{ "Event type" }</th>
                    <th scope="col">{ "Domain" }</th>
                    <th scope="col">{ "Written in" }</th>
                    <th scope="col">{ "Stored events by version" }</th>
                    <th scope="col">{ "Upcasters on read" }</th>
                    <th scope="col">{ "Deploy" }</th>
                </tr></thead>
                <tbody>{ rows }</tbody>
            </table>
            <h3 id="registry-heading">{ "Schema registry" }</h3>
            <p class="hint">{ "Every event type of every domain with its fields in each version, read from the type tables the domains' codecs use (a test walks every stored event through them)." }</p>
            <div class="registry-scroll" tabindex="0" role="region" aria-labelledby="registry-heading">
                <table class="registry" aria-labelledby="registry-heading">
                    <thead><tr>
                        <th scope="col">{ "Domain" }</th>
                        <th scope="col">{ "Event type" }</th>
                        <th scope="col">{ "Version" }</th>
                        <th scope="col">{ "Fields" }</th>
                        <th scope="col">{ "Upcast from the version before" }</th>
                    </tr></thead>
                    <tbody>
                        for t in registry {
                            for v in t.versions {
                                <tr key={format!("{}-{}", t.name, v.version)}>
                                    <td>{ t.domain.clone() }</td>
                                    <th scope="row">{ t.name.clone() }</th>
                                    <td>{ format!("v{}", v.version) }
                                        if v.written { <span class="badge">{ "written" }</span> }
                                    </td>
                                    <td class="fields">{
                                        if v.fields.is_empty() {
                                            "(no fields)".to_owned()
                                        } else {
                                            v.fields.iter().map(|(n, k)| format!("{n}: {k}")).collect::<Vec<_>>().join(", ")
                                        }
                                    }</td>
                                    <td>{ v.upcaster.unwrap_or_else(|| "—".to_owned()) }</td>
                                </tr>
                            }
                        }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
