//! The causation graph of a saga (or of any event's command): the whole correlation as a tree by
//! causation — the command, the events it produced, the commands they caused, and so on — laid out
//! for drawing as an indented tree (one node per row, each indented under its cause).

use super::message::Step;
use super::runtime::{Handler, Outcome, Sagas, SentCommand};
use crate::kernel::{EventStore, Position};
use crate::process::FulfilmentEvent;

/// The most nodes a graph draws.
pub const MAX_NODES: usize = 200;

/// What a node stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// An event of the log.
    Event {
        /// Its position.
        position: Position,
        /// Its type.
        event_type: String,
        /// Its stream.
        stream: String,
    },
    /// A command a saga handler sent.
    Command {
        /// The step it carries out.
        step: Step,
        /// Who sent it.
        by: Handler,
        /// How it ended, in a few words.
        outcome: String,
    },
    /// The command a person (or the load generator) gave that started the chain.
    Origin,
    /// The saga's timer.
    Timer,
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// The node it hangs under (`None` for the root).
    pub parent: Option<usize>,
    /// Its depth (the root is 0).
    pub depth: usize,
    /// It undoes an earlier step (a compensation), or is caused by one.
    pub compensation: bool,
    /// The event a click on it selects: its own, or the first its command produced.
    pub selects: Option<Position>,
    /// The position from which it exists (later than the timeline cursor: greyed).
    pub at: Position,
    /// The stream category whose domain colours it.
    pub category: String,
}

/// A tree of nodes, root first, each node after its parent and its children in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Graph {
    /// The nodes in drawing order.
    pub nodes: Vec<Node>,
    /// More nodes were found than [`MAX_NODES`].
    pub truncated: bool,
}

/// The stream category a step's command goes to.
fn category_of(step: Step) -> &'static str {
    match step {
        Step::ReserveStock | Step::ReleaseStock => "stock",
        Step::AuthorizePayment | Step::CapturePayment | Step::VoidPayment => "payment",
        Step::ScheduleShipment => "shipment",
        Step::Decide => "fulfilment",
        Step::CompleteOrder
        | Step::MarkReserved
        | Step::MarkPaid
        | Step::MarkShipping
        | Step::CancelOrder => "order",
    }
}

fn outcome_text(store: &EventStore, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Done { first, last } => {
            let names: Vec<String> = (*first..=*last)
                .filter_map(|p| store.get(p).map(|e| e.event_type().to_owned()))
                .collect();
            format!("→ {}", names.join(", "))
        }
        Outcome::Repeat => "a repeat: nothing appended".to_owned(),
        Outcome::Refused(why) => format!("refused: {why}"),
        Outcome::Booked { due } => format!("the carrier answers at tick {due}"),
    }
}

struct Builder<'a> {
    store: &'a EventStore,
    nodes: Vec<Node>,
    children: Vec<Vec<usize>>,
}

impl<'a> Builder<'a> {
    fn add(&mut self, kind: NodeKind, parent: Option<usize>, compensation: bool) -> usize {
        let (selects, at, category) = match &kind {
            NodeKind::Event {
                position, stream, ..
            } => (
                Some(*position),
                *position,
                stream.split('-').next().unwrap_or_default().to_owned(),
            ),
            _ => (None, 0, String::new()),
        };
        let depth = parent.map_or(0, |p| self.nodes[p].depth + 1);
        let compensation = compensation || parent.is_some_and(|p| self.nodes[p].compensation);
        self.nodes.push(Node {
            kind,
            parent,
            depth,
            compensation,
            selects,
            at,
            category,
        });
        self.children.push(Vec::new());
        let index = self.nodes.len() - 1;
        if let Some(p) = parent {
            self.children[p].push(index);
        }
        index
    }

    fn event(&mut self, position: Position, parent: Option<usize>) -> Option<usize> {
        let event = self.store.get(position)?;
        let kind = NodeKind::Event {
            position,
            event_type: event.event_type().to_owned(),
            stream: event.stream_id.to_string(),
        };
        Some(self.add(kind, parent, false))
    }

    fn command(&mut self, sent: &SentCommand, parent: usize) -> usize {
        let kind = NodeKind::Command {
            step: sent.step,
            by: sent.by,
            outcome: outcome_text(self.store, &sent.outcome),
        };
        let index = self.add(kind, Some(parent), sent.step.is_compensation());
        let parent_at = self.nodes[parent].at;
        let node = &mut self.nodes[index];
        node.category = category_of(sent.step).to_owned();
        node.at = sent.cause.max(parent_at);
        if let Outcome::Done { first, .. } = sent.outcome {
            node.selects = Some(first);
        }
        index
    }

    /// The nodes in depth-first order (each after its parent, children in order).
    fn finish(self) -> Graph {
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<usize> = if self.nodes.is_empty() {
            Vec::new()
        } else {
            vec![0]
        };
        while let Some(n) = stack.pop() {
            order.push(n);
            stack.extend(self.children[n].iter().rev());
        }
        let mut new_index = vec![0; self.nodes.len()];
        for (i, &n) in order.iter().enumerate() {
            new_index[n] = i;
        }
        let truncated = order.len() > MAX_NODES;
        let nodes = order
            .into_iter()
            .take(MAX_NODES)
            .map(|n| {
                let mut node = self.nodes[n].clone();
                node.parent = node.parent.map(|p| new_index[p]);
                node
            })
            .collect();
        Graph { nodes, truncated }
    }
}

/// The causation graph of saga `index`: the user's command that placed the order, `OrderPlaced`,
/// and from there every decision, command and event of the saga by causation.
pub fn saga_graph(store: &EventStore, sagas: &Sagas, index: u32) -> Graph {
    let Some(saga) = sagas.tracker().get(index) else {
        return Graph::default();
    };
    let mut b = Builder {
        store,
        nodes: Vec::new(),
        children: Vec::new(),
    };
    let root = b.add(NodeKind::Origin, None, false);
    b.nodes[root].category = "order".to_owned();
    b.nodes[root].at = saga.placed_at;
    b.nodes[root].selects = Some(saga.placed_at);
    let Some(placed) = b.event(saga.placed_at, Some(root)) else {
        return b.finish();
    };
    // Which node each event of the saga hangs under, by position.
    let mut node_of: crate::kernel::FastMap<Position, usize> = Default::default();
    node_of.insert(saga.placed_at, placed);
    let mut timer: Option<usize> = None;
    let commands = sagas.commands_of(index);
    let entries = sagas.entries_of(index);
    // Decisions first resolve to the node of their last event, which their commands hang under.
    let mut decision_node: crate::kernel::FastMap<usize, usize> = Default::default();
    for (i, sent) in commands.iter().enumerate() {
        let cause = match sent.cause {
            0 => *timer.get_or_insert_with(|| b.add(NodeKind::Timer, Some(placed), true)),
            position => node_of.get(&position).copied().unwrap_or(placed),
        };
        if sent.step == Step::Decide {
            let mut last = cause;
            if let Outcome::Done { first, last: end } = sent.outcome {
                for p in first..=end {
                    let compensating = store
                        .get(p)
                        .and_then(|e| e.decode::<FulfilmentEvent>())
                        .is_some_and(|d| {
                            matches!(
                                d,
                                FulfilmentEvent::CompensationStarted { .. }
                                    | FulfilmentEvent::SagaTimedOut { .. }
                            )
                        });
                    if let Some(n) = b.event(p, Some(cause)) {
                        b.nodes[n].compensation |= compensating;
                        node_of.insert(p, n);
                        last = n;
                    }
                }
            }
            decision_node.insert(entries[i] as usize, last);
            continue;
        }
        let parent = sent
            .decided_by
            .and_then(|entry| decision_node.get(&(entry as usize)).copied())
            .unwrap_or(cause);
        let command = b.command(sent, parent);
        if let Outcome::Done { first, last } = sent.outcome {
            for p in first..=last {
                if let Some(n) = b.event(p, Some(command)) {
                    node_of.insert(p, n);
                }
            }
        }
    }
    b.finish()
}

/// The graph of one event outside any saga: the command that produced it and every event that
/// command appended (its neighbours with the same causation id).
pub fn command_graph(store: &EventStore, position: Position) -> Graph {
    let Some(event) = store.get(position) else {
        return Graph::default();
    };
    let causation = event.causation_id;
    let mut b = Builder {
        store,
        nodes: Vec::new(),
        children: Vec::new(),
    };
    let root = b.add(NodeKind::Origin, None, false);
    b.nodes[root].category = event.category().to_owned();
    b.nodes[root].at = position;
    b.nodes[root].selects = Some(position);
    let from = position.saturating_sub(16).max(1);
    let to = (position + 16).min(store.head());
    for p in from..=to {
        if store.get(p).is_some_and(|e| e.causation_id == causation) {
            b.event(p, Some(root));
        }
    }
    let first = b.nodes.get(1).and_then(|n| n.selects);
    b.nodes[root].at = first.unwrap_or(position);
    b.finish()
}
