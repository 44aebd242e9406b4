//! The saga side of the playground: the saga's settings (validated against the settings table), the
//! selected saga, and the view models of the "Sagas" region — the instances table, the selected
//! saga's steps, its process manager's state as of the timeline, and the causation graph.

use super::settings::{Setting, SettingValue, SAGA_STYLES};
use super::Playground;
use crate::format::{count, group, tenths};
use crate::kernel::Position;
use crate::process::graph::{command_graph, saga_graph, Graph, NodeKind};
use crate::process::{
    fulfilment_of, Fulfilment, FulfilmentEvent, FulfilmentModule, Handler, Outcome, SagaInstance,
    SagaSettings, SagaStatus, SagaStyle, Sagas, Step,
};
use crate::view::StateView;

/// What the saga controls do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SagaAction {
    /// A number or choice setting's field changed to this text.
    Set(Setting, String),
    /// A checkbox setting was ticked or unticked.
    Toggle(Setting, bool),
    /// Select the saga of this order (`order-3`), as a row of "Saga instances" does.
    Select(String),
    /// Typing in "Saga of order".
    EditFind(String),
    /// "Show saga": select the saga of the order typed in "Saga of order".
    Find,
}

/// What the Sagas region holds besides the sagas: the selected saga and the typed order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SagaSide {
    /// The selected saga (an index into the instances).
    pub selected: Option<u32>,
    /// What is typed in "Saga of order".
    pub find: String,
    /// The causation graph follows the selected saga (else the event shown in "Event details").
    pub graph_follows_saga: bool,
}

/// Applies a saga action to `sagas` and `side`. `Ok(Some(text))` is news.
pub fn handle(
    action: SagaAction,
    sagas: &mut Sagas,
    side: &mut SagaSide,
) -> Result<Option<String>, String> {
    let mut settings = sagas.settings();
    match action {
        SagaAction::Set(setting, text) => {
            let def = setting.def();
            match setting {
                Setting::SagaStyle => {
                    settings.style = [SagaStyle::Orchestration, SagaStyle::Choreography]
                        [def.parse_choice(&text)?];
                }
                Setting::DeclineRate => settings.decline_rate = def.parse_number(&text)? as u8,
                Setting::ShippingDelay => {
                    settings.shipping_delay = def.parse_number(&text)? as u32;
                }
                Setting::SagaTimeout => settings.timeout = def.parse_number(&text)? as u32,
                other => {
                    return Err(format!(
                        "{} is not a setting of the sagas.",
                        other.def().label
                    ))
                }
            }
            sagas.set_settings(settings);
            Ok(match setting {
                Setting::SagaStyle => Some(format!(
                    "Orders placed from now on run as {}; sagas already started keep their style.",
                    settings.style.to_string().to_ascii_lowercase()
                )),
                _ => None,
            })
        }
        SagaAction::Toggle(Setting::IdempotentHandlers, on) => {
            settings.idempotent = on;
            sagas.set_settings(settings);
            Ok(None)
        }
        SagaAction::Toggle(other, _) => Err(format!("{} is not a checkbox.", other.def().label)),
        SagaAction::Select(order) => {
            side.selected = Some(find(sagas, &order)?);
            side.graph_follows_saga = true;
            Ok(None)
        }
        SagaAction::EditFind(text) => {
            side.find = text;
            Ok(None)
        }
        SagaAction::Find => {
            side.selected = Some(find(sagas, &side.find)?);
            side.graph_follows_saga = true;
            Ok(None)
        }
    }
}

/// The saga of the order typed as `text`; refused, saying what is accepted.
fn find(sagas: &Sagas, text: &str) -> Result<u32, String> {
    let wanted = crate::domain::parse_stream_id(text, "order")?;
    sagas
        .tracker()
        .index_of(&wanted)
        .ok_or_else(|| format!("{wanted} has no saga: only placed orders have one."))
}

/// The value of a saga setting, as the UI shows it.
pub fn value(settings: &SagaSettings, setting: Setting) -> SettingValue {
    match setting {
        Setting::SagaStyle => SettingValue::Choice(
            SAGA_STYLES[usize::from(settings.style == SagaStyle::Choreography)].code,
        ),
        Setting::DeclineRate => SettingValue::Number(u64::from(settings.decline_rate)),
        Setting::ShippingDelay => SettingValue::Number(u64::from(settings.shipping_delay)),
        Setting::SagaTimeout => SettingValue::Number(u64::from(settings.timeout)),
        Setting::IdempotentHandlers => SettingValue::Flag(settings.idempotent),
        other => SettingValue::Number(other.def().default),
    }
}

/// One row of the "Saga instances" table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaRow {
    /// The saga's index.
    pub index: u32,
    /// The order.
    pub order: String,
    /// "Orchestration" or "Choreography".
    pub style: String,
    /// Where it is.
    pub status: SagaStatus,
    /// The step it waits on, or "—".
    pub step: String,
    /// The tick it started at.
    pub started: String,
    /// The tick it ended at, or "—".
    pub ended: String,
    /// The selected saga?
    pub selected: bool,
    /// Reserved or charged more than once.
    pub hit: bool,
}

/// How a line of "Saga steps" is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepMark {
    /// Done, confirmed by an event.
    Done,
    /// Sent, and waited on now.
    Current,
    /// Not sent yet.
    Remaining,
    /// Undoes an earlier step.
    Compensation,
    /// Answered with a failure (out of stock, declined): compensation follows.
    Failed,
    /// The service refused it.
    Refused,
    /// An answer that came too late: recorded and ignored.
    Late,
}

impl StepMark {
    /// The word the list shows for the mark.
    pub fn word(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Current => "current",
            Self::Remaining => "remaining",
            Self::Compensation => "compensation",
            Self::Failed => "failed",
            Self::Refused => "refused",
            Self::Late => "late answer",
        }
    }
}

/// One line of "Saga steps".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLine {
    /// How it is marked.
    pub mark: StepMark,
    /// The step (or the late answer).
    pub step: String,
    /// What happened: the event that confirmed it, the refusal, the wait.
    pub detail: String,
}

/// The selected saga, as the panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SagaDetail {
    /// "order-3 · Orchestration · Completed".
    pub title: String,
    /// Its steps: done, current, remaining, compensation, late answers.
    pub steps: Vec<StepLine>,
    /// For orchestration: the process manager's state as of the timeline position.
    pub process: Option<StateView>,
}

/// One node of the causation graph, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNodeView {
    /// Left edge, in SVG units.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// The node's text: "#12 StockReserved · stock-warehouse" or "Reserve stock".
    pub label: String,
    /// A second, quieter part: the command's outcome, who sent it.
    pub detail: String,
    /// "event", "command", "origin" or "timer".
    pub kind: &'static str,
    /// The domain colour (`None`: none).
    pub tone: Option<usize>,
    /// After the timeline cursor.
    pub greyed: bool,
    /// A compensation (or caused by one).
    pub compensation: bool,
    /// The event a click selects.
    pub selects: Option<Position>,
    /// The event shown in "Event details".
    pub selected: bool,
}

/// An edge of the causation graph, from a node to one it caused.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdgeView {
    /// The SVG path.
    pub path: String,
    /// A compensation edge.
    pub compensation: bool,
    /// Leads to a node after the timeline cursor.
    pub greyed: bool,
}

/// The causation graph, ready to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GraphView {
    /// What it shows: "order-3's saga (selected event #12)".
    pub caption: String,
    /// The nodes, one per row.
    pub nodes: Vec<GraphNodeView>,
    /// The edges.
    pub edges: Vec<GraphEdgeView>,
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// More nodes than drawn.
    pub truncated: bool,
}

/// Height of a graph row and the indentation per level, in SVG units.
pub const GRAPH_ROW: f64 = 30.0;
const GRAPH_INDENT: f64 = 22.0;
const GRAPH_NODE_WIDTH: f64 = 820.0;

fn who(handler: Handler) -> &'static str {
    match handler {
        Handler::Orchestrator => "the process manager",
        Handler::Inventory => "the inventory service",
        Handler::Payments => "the payments service",
        Handler::Shipping => "the shipping service",
        Handler::Orders => "the orders service",
    }
}

impl Playground {
    /// Rows `first..first + count` of "Saga instances" (in the order the sagas started).
    pub fn saga_rows(&self, first: usize, count: usize) -> Vec<SagaRow> {
        let instances = self.sagas().tracker().instances();
        let selected = self.selected_saga();
        instances
            .iter()
            .enumerate()
            .skip(first)
            .take(count)
            .map(|(i, s)| SagaRow {
                index: i as u32,
                order: s.order.to_string(),
                style: s.style.to_string(),
                status: s.status,
                step: s
                    .awaiting
                    .map_or_else(|| "—".to_owned(), |step| step.to_string()),
                started: group(s.started),
                ended: s.ended.map_or_else(|| "—".to_owned(), group),
                selected: selected == Some(i as u32),
                hit: s.hit_by_duplicates(),
            })
            .collect()
    }

    /// The orders a handler that is not idempotent reserved or charged more than once.
    pub fn orders_hit_by_duplicates(&self) -> Vec<String> {
        self.duplicate_hits(usize::MAX).1
    }

    /// How many orders a handler that is not idempotent reserved or charged more than once, and
    /// the first `limit` of them (kept as they happen: no scan of every saga per update).
    pub fn duplicate_hits(&self, limit: usize) -> (usize, Vec<String>) {
        let t = self.sagas().tracker();
        let hit = t.hit_by_duplicates();
        let first = hit
            .iter()
            .take(limit)
            .filter_map(|&i| t.get(i).map(|s| s.order.to_string()))
            .collect();
        (hit.len(), first)
    }

    /// The selected saga's steps and, for orchestration, its process manager as of the timeline.
    pub fn saga_detail(&self) -> Option<SagaDetail> {
        let index = self.selected_saga()?;
        let saga = self.sagas().tracker().get(index)?;
        let store = self.store();
        let mut steps = Vec::new();
        let mut sent = Vec::new();
        for command in self.sagas().commands_of(index) {
            if command.step == Step::Decide {
                continue;
            }
            sent.push(command.step);
            let by = who(command.by);
            let (mark, detail) = match &command.outcome {
                Outcome::Done { last, .. } => {
                    let answer = store
                        .get(*last)
                        .map_or_else(String::new, |e| e.event_type().to_owned());
                    let failed = answer == "PaymentDeclined" || answer == "StockReservationRejected";
                    (
                        if failed { StepMark::Failed } else { StepMark::Done },
                        format!(
                            "by {by}, tick {}: {} by #{} {answer}",
                            group(command.tick),
                            if failed { "answered" } else { "confirmed" },
                            group(*last)
                        ),
                    )
                }
                Outcome::Repeat => (
                    StepMark::Done,
                    format!("by {by}, tick {}: a repeat of a command already carried out — nothing appended", group(command.tick)),
                ),
                Outcome::Refused(why) if command.step.is_compensation() => (
                    StepMark::Compensation,
                    format!("by {by}, tick {}: nothing left to undo — {why}", group(command.tick)),
                ),
                Outcome::Refused(why) => {
                    // An answer to a saga already undone: the order refuses to move on.
                    let late = !command.step.is_compensation()
                        && saga.status != SagaStatus::Completed
                        && crate::format::mentions(why, "cancelled");
                    (
                        if late { StepMark::Late } else { StepMark::Refused },
                        if late {
                            format!("by {by}, tick {}: the answer came after the saga was undone — recorded and ignored ({why})", group(command.tick))
                        } else {
                            format!("by {by}, tick {}: refused — {why}", group(command.tick))
                        },
                    )
                }
                Outcome::Booked { due } => (
                    StepMark::Current,
                    format!("by {by}: booked with the carrier, who answers at tick {}", group(*due)),
                ),
            };
            let mark = if command.step.is_compensation() && mark == StepMark::Done {
                StepMark::Compensation
            } else {
                mark
            };
            steps.push(StepLine {
                mark,
                step: command.step.to_string(),
                detail,
            });
        }
        // Late answers the process manager recorded.
        let stream = fulfilment_of(&saga.order);
        for event in store.read_stream(&stream, 1) {
            if let Some(FulfilmentEvent::LateAnswerIgnored { answer }) =
                event.decode::<FulfilmentEvent>()
            {
                steps.push(StepLine {
                    mark: StepMark::Late,
                    step: answer,
                    detail: format!(
                        "#{}: came after the process had moved past it — recorded and ignored",
                        group(event.position)
                    ),
                });
            }
        }
        if saga.status == SagaStatus::Running {
            if let Some(step) = saga.awaiting {
                if !steps.iter().any(|l| l.mark == StepMark::Current) {
                    steps.push(StepLine {
                        mark: StepMark::Current,
                        step: step.to_string(),
                        detail: "waiting for its answer".to_owned(),
                    });
                }
            }
            if !saga.compensating {
                for step in Step::FORWARD {
                    if !sent.contains(&step) && saga.awaiting != Some(step) {
                        steps.push(StepLine {
                            mark: StepMark::Remaining,
                            step: step.to_string(),
                            detail: "not sent yet".to_owned(),
                        });
                    }
                }
            }
        }
        let process = (saga.style == SagaStyle::Orchestration)
            .then(|| self.process_state(saga))
            .flatten();
        Some(SagaDetail {
            title: format!("{} · {} · {}", saga.order, saga.style, saga.status),
            steps,
            process,
        })
    }

    fn process_state(&self, saga: &SagaInstance) -> Option<StateView> {
        let module = self.module::<FulfilmentModule>()?;
        let stream = &saga.streams.fulfilment;
        let fields =
            |at: Option<&crate::kernel::StateAt<Fulfilment>>| -> Vec<(&'static str, String)> {
                let (pm, version) = at.map(|a| (a.state.clone(), a.version)).unwrap_or_default();
                let list = |steps: crate::process::StepSet| {
                    let names: Vec<String> = steps.iter().map(|s| s.to_string()).collect();
                    if names.is_empty() {
                        "—".to_owned()
                    } else {
                        names.join(", ")
                    }
                };
                vec![
                    ("Phase", pm.phase.to_string()),
                    ("Total", pm.total.to_string()),
                    ("Confirmed", list(pm.confirmed)),
                    ("Sent", list(pm.sent)),
                    (
                        "Undoing because",
                        pm.reason.unwrap_or_else(|| "—".to_owned()),
                    ),
                    ("Late answers", pm.late_answers.to_string()),
                    ("Version", format!("v{version}")),
                ]
            };
        let (mut view, _) = crate::domain::state_region(
            module.repository(),
            self.store(),
            (stream, self.position()),
            "Process manager state",
            fields,
        );
        view.empty = "the process manager had not started at this position".to_owned();
        Some(view)
    }

    /// The causation graph of the event shown in "Event details", or of the selected saga,
    /// whichever was chosen last.
    pub fn causation_graph(&self) -> GraphView {
        let store = self.store();
        let inspected = self.inspected();
        let shown = inspected.filter(|_| !self.saga_side.graph_follows_saga);
        let (graph, caption): (Graph, String) = match shown {
            Some(position) => {
                let saga = store
                    .get(position)
                    .and_then(|e| self.sagas().tracker().saga_of(&e));
                match saga {
                    Some(index) => (
                        saga_graph(store, self.sagas(), index),
                        format!(
                            "{}'s saga, from the selected event #{}",
                            self.sagas()
                                .tracker()
                                .order_of(index)
                                .map(|o| o.to_string())
                                .unwrap_or_default(),
                            group(position)
                        ),
                    ),
                    None => (
                        command_graph(store, position),
                        format!("the command of the selected event #{}", group(position)),
                    ),
                }
            }
            None => match self.selected_saga() {
                Some(index) => (
                    saga_graph(store, self.sagas(), index),
                    format!(
                        "{}'s saga",
                        self.sagas()
                            .tracker()
                            .order_of(index)
                            .map(|o| o.to_string())
                            .unwrap_or_default()
                    ),
                ),
                None => return GraphView::default(),
            },
        };
        self.lay_out(&graph, caption, inspected)
    }

    fn lay_out(&self, graph: &Graph, caption: String, inspected: Option<Position>) -> GraphView {
        let cursor = self.position();
        let mut nodes = Vec::with_capacity(graph.nodes.len());
        let mut edges = Vec::new();
        let mut depth_max = 0;
        for (i, node) in graph.nodes.iter().enumerate() {
            depth_max = depth_max.max(node.depth);
            let x = node.depth as f64 * GRAPH_INDENT;
            let y = i as f64 * GRAPH_ROW;
            let greyed = node.at > cursor;
            let (label, detail, kind) = match &node.kind {
                NodeKind::Event {
                    position,
                    event_type,
                    stream,
                } => (
                    format!("#{} {event_type}", group(*position)),
                    stream.clone(),
                    "event",
                ),
                NodeKind::Command { step, by, outcome } => (
                    step.to_string(),
                    format!("{outcome} · sent by {}", who(*by)),
                    "command",
                ),
                NodeKind::Origin => (
                    if graph.nodes.len() > 1
                        && matches!(&graph.nodes[1].kind, NodeKind::Event { event_type, .. } if event_type == "OrderPlaced")
                    {
                        "Place order".to_owned()
                    } else {
                        "Command".to_owned()
                    },
                    "given on the page (or by the load generator)".to_owned(),
                    "origin",
                ),
                NodeKind::Timer => (
                    "Timeout".to_owned(),
                    "the saga's timer fired".to_owned(),
                    "timer",
                ),
            };
            if let Some(parent) = node.parent {
                let px = parent as f64;
                let (x0, y0) = (
                    graph.nodes[parent].depth as f64 * GRAPH_INDENT + 8.0,
                    px * GRAPH_ROW + GRAPH_ROW - 6.0,
                );
                let y1 = y + GRAPH_ROW / 2.0 - 2.0;
                edges.push(GraphEdgeView {
                    path: format!(
                        "M{} {} V{} H{}",
                        tenths(x0),
                        tenths(y0),
                        tenths(y1),
                        tenths(x)
                    ),
                    compensation: node.compensation,
                    greyed,
                });
            }
            nodes.push(GraphNodeView {
                x,
                y,
                label,
                detail,
                kind,
                tone: self.domain_of_category(&node.category),
                greyed,
                compensation: node.compensation,
                selects: node.selects,
                selected: inspected.is_some() && node.selects == inspected && kind == "event",
            });
        }
        GraphView {
            caption,
            width: depth_max as f64 * GRAPH_INDENT + GRAPH_NODE_WIDTH,
            height: nodes.len() as f64 * GRAPH_ROW,
            nodes,
            edges,
            truncated: graph.truncated,
        }
    }

    /// Each saga handler's consumer group in use, with what it still has to consume: "inventory-service
    /// — 12 in flight".
    pub fn saga_groups(&self) -> Vec<String> {
        let used = self.sagas().styles_used();
        self.sagas()
            .groups()
            .iter()
            .filter(|g| used.contains(&g.handler.style()))
            .map(|g| {
                let backlog = g.pipeline.backlog(self.store());
                let down = g
                    .pipeline
                    .consumers()
                    .iter()
                    .filter(|c| c.is_some())
                    .count();
                let mut text = format!("{} — {} in flight", g.handler.group(), group(backlog));
                if down > 0 {
                    text.push_str(&format!(", {} down", count(down as u64, "consumer")));
                }
                if g.pipeline.dead_letter_count() > 0 {
                    text.push_str(&format!(
                        ", {} dead-lettered",
                        count(g.pipeline.dead_letter_count() as u64, "event")
                    ));
                }
                text
            })
            .collect()
    }

    /// The sagas in a sentence: how many in each status.
    pub fn saga_summary(&self) -> String {
        let t = self.sagas().tracker();
        if t.is_empty() {
            return "No sagas yet: place an order, then Step, Play or Drain the broker below."
                .to_owned();
        }
        format!(
            "{}: {} running, {} completed, {} compensated, {} timed out.",
            count(t.len() as u64, "saga"),
            group(t.count(SagaStatus::Running)),
            group(t.count(SagaStatus::Completed)),
            group(t.count(SagaStatus::Compensated)),
            group(t.count(SagaStatus::TimedOut)),
        )
    }
}
