//! What the page knows about each saga, whichever its style: the order, its status, the step it
//! waits on, when it started and ended, the commands sent for it and the events of its
//! correlation. Built from the log as events are appended (and from the runtime's journal), so it
//! sees a choreography — which has no coordinator to ask — as well as an orchestration.

use super::fulfilment::FulfilmentEvent;
use super::message::{answer_of, reasons, Answer, Step};
use super::runtime::SagaStyle;
use crate::domain::orders::OrderEvent;
use crate::kernel::{FastMap, Position, RecordedEvent, StreamId};
use crate::readmodel::{ChartSeries, DomainReadModels, ReadModelSettings, RowId};
use crate::sim::Tick;
use std::fmt;
use uuid::Uuid;

/// Where a saga is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SagaStatus {
    /// Still going (forward, or undoing what it did).
    Running,
    /// The order is completed.
    Completed,
    /// A step failed (or the customer cancelled): what was done is undone, the order cancelled.
    Compensated,
    /// No shipment was scheduled in time: undone and cancelled.
    TimedOut,
}

impl fmt::Display for SagaStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Running => "Running",
            Self::Completed => "Completed",
            Self::Compensated => "Compensated",
            Self::TimedOut => "Timed out",
        })
    }
}

/// The streams a saga writes to besides the order's, named once when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaStreams {
    /// `order-1`.
    pub order: StreamId,
    /// `payment-order-1`.
    pub payment: StreamId,
    /// `shipment-order-1`.
    pub shipment: StreamId,
    /// `fulfilment-order-1`.
    pub fulfilment: StreamId,
}

impl SagaStreams {
    /// The streams of `order`.
    pub fn of(order: &StreamId) -> Self {
        Self {
            order: order.clone(),
            payment: crate::domain::payments::payment_of(order),
            shipment: crate::domain::shipping::shipment_of(order),
            fulfilment: super::fulfilment::fulfilment_of(order),
        }
    }
}

/// One saga.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SagaInstance {
    /// The order it fulfils.
    pub order: StreamId,
    /// The order's payment, shipment and process manager streams (shared: every reaction of the
    /// saga takes them without copying four names).
    pub streams: std::rc::Rc<SagaStreams>,
    /// The style it runs in.
    pub style: SagaStyle,
    /// Where it is.
    pub status: SagaStatus,
    /// The step it waits on (none once ended).
    pub awaiting: Option<Step>,
    /// Undoing what it did.
    pub compensating: bool,
    /// The tick it started at.
    pub started: Tick,
    /// The tick it ended at.
    pub ended: Option<Tick>,
    /// The correlation id every event and command of the saga carries.
    pub correlation: Uuid,
    /// The position of its `OrderPlaced`.
    pub placed_at: Position,
    /// The journal entry of the last command sent for it (each entry links to the one before).
    pub last_command: Option<u32>,
    /// `StockReserved` events for the order (more than one: reserved twice).
    pub reservations: u32,
    /// `PaymentAuthorized` events for the order (more than one: charged twice).
    pub authorizations: u32,
    /// The timeout of the timer still to fire, in ticks.
    timer: Option<u32>,
}

impl SagaInstance {
    /// Reserved or charged more than once (a handler that is not idempotent met a duplicate).
    pub fn hit_by_duplicates(&self) -> bool {
        self.reservations > 1 || self.authorizations > 1
    }
}

/// Every saga, by order and by correlation.
#[derive(Debug, Clone, Default)]
pub struct Tracker {
    instances: Vec<SagaInstance>,
    by_order: FastMap<StreamId, u32>,
    by_correlation: FastMap<Uuid, u32>,
    armed: u64,
    counts: [u64; 4],
    /// Ticks from start to end, summed over the sagas that ended.
    durations: u64,
    /// The sagas reserved or charged more than once, in the order it happened.
    hit: Vec<u32>,
}

fn status_index(status: SagaStatus) -> usize {
    match status {
        SagaStatus::Running => 0,
        SagaStatus::Completed => 1,
        SagaStatus::Compensated => 2,
        SagaStatus::TimedOut => 3,
    }
}

impl Tracker {
    /// Number of sagas.
    pub fn len(&self) -> usize {
        self.instances.len()
    }

    /// True when no saga started.
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    /// Every saga, in the order they started.
    pub fn instances(&self) -> &[SagaInstance] {
        &self.instances
    }

    /// Saga `index`.
    pub fn get(&self, index: u32) -> Option<&SagaInstance> {
        self.instances.get(index as usize)
    }

    /// The saga of `order`.
    pub fn index_of(&self, order: &StreamId) -> Option<u32> {
        self.by_order.get(order).copied()
    }

    /// The saga `event` belongs to: an order's events by their stream (the customer may cancel an
    /// order outside its saga), every other event by its correlation.
    pub fn saga_of(&self, event: &RecordedEvent<'_>) -> Option<u32> {
        if event.is::<OrderEvent>() {
            self.by_order.get(event.stream_id).copied()
        } else {
            self.by_correlation.get(&event.correlation_id).copied()
        }
    }

    /// Saga `index`'s order.
    pub fn order_of(&self, index: u32) -> Option<StreamId> {
        self.get(index).map(|s| s.order.clone())
    }

    /// How many sagas have each status.
    pub fn count(&self, status: SagaStatus) -> u64 {
        self.counts[status_index(status)]
    }

    /// Ticks from start to end, summed over every saga that ended (its mean: divide by those ended).
    pub fn total_duration(&self) -> u64 {
        self.durations
    }

    /// Sagas still running whose timer has not fired.
    pub fn armed(&self) -> u64 {
        self.armed
    }

    /// Saga `index`'s timer is set to `ticks`.
    pub fn arm(&mut self, index: u32, ticks: u32) {
        if let Some(saga) = self.instances.get_mut(index as usize) {
            if saga.timer.replace(ticks).is_none() {
                self.armed += 1;
            }
        }
    }

    /// Saga `index`'s timer fires: its timeout, if the saga was still waiting for it.
    pub fn disarm(&mut self, index: u32) -> Option<u32> {
        let ticks = self.instances.get_mut(index as usize)?.timer.take()?;
        self.armed -= 1;
        Some(ticks)
    }

    /// A command was sent for saga `index` (journal entry `entry`); returns the entry of the one
    /// sent before it.
    pub fn sent(&mut self, index: u32, entry: u32) -> Option<u32> {
        let saga = self.instances.get_mut(index as usize)?;
        saga.last_command.replace(entry)
    }

    fn end(&mut self, index: u32, status: SagaStatus, tick: Tick) {
        let Some(saga) = self.instances.get_mut(index as usize) else {
            return;
        };
        if saga.status != SagaStatus::Running {
            return;
        }
        self.counts[status_index(SagaStatus::Running)] -= 1;
        self.counts[status_index(status)] += 1;
        saga.status = status;
        saga.ended = Some(tick);
        self.durations += tick.saturating_sub(saga.started);
        saga.awaiting = None;
        if saga.timer.take().is_some() {
            self.armed -= 1;
        }
    }

    /// Takes in one appended event; returns the index of the saga a placed order started.
    pub fn observe(
        &mut self,
        event: &RecordedEvent<'_>,
        tick: Tick,
        style: SagaStyle,
    ) -> Option<u32> {
        if let Some(kind) = event.type_index::<FulfilmentEvent>() {
            // CompensationStarted or SagaTimedOut: the process manager is undoing.
            if kind == 2 || kind == 3 {
                if let Some(&index) = self.by_correlation.get(&event.correlation_id) {
                    let saga = &mut self.instances[index as usize];
                    if saga.status == SagaStatus::Running {
                        saga.compensating = true;
                        saga.awaiting = Some(Step::CancelOrder);
                    }
                }
            }
            return None;
        }
        let answer = answer_of(event)?;
        if let Answer::OrderPlaced { .. } = answer {
            let order = event.stream_id.clone();
            if self.by_order.contains_key(&order) {
                return None;
            }
            let index = self.instances.len() as u32;
            self.by_order.insert(order.clone(), index);
            self.by_correlation.insert(event.correlation_id, index);
            self.instances.push(SagaInstance {
                streams: std::rc::Rc::new(SagaStreams::of(&order)),
                order,
                style,
                status: SagaStatus::Running,
                awaiting: Some(Step::ReserveStock),
                compensating: false,
                started: tick,
                ended: None,
                correlation: event.correlation_id,
                placed_at: event.position,
                last_command: None,
                reservations: 0,
                authorizations: 0,
                timer: None,
            });
            self.counts[status_index(SagaStatus::Running)] += 1;
            return Some(index);
        }
        let index = self.saga_of(event)?;
        let saga = &mut self.instances[index as usize];
        let was_hit = saga.hit_by_duplicates();
        let forward = saga.status == SagaStatus::Running && !saga.compensating;
        let next = |step| forward.then_some(step);
        match answer {
            Answer::StockReserved => {
                saga.reservations += 1;
                if let Some(step) = next(Step::AuthorizePayment) {
                    saga.awaiting = Some(step);
                }
            }
            Answer::PaymentAuthorized => {
                saga.authorizations += 1;
                if let Some(step) = next(Step::ScheduleShipment) {
                    saga.awaiting = Some(step);
                }
            }
            Answer::ShipmentScheduled => {
                if let Some(step) = next(Step::CapturePayment) {
                    saga.awaiting = Some(step);
                }
            }
            Answer::PaymentCaptured => {
                if let Some(step) = next(Step::CompleteOrder) {
                    saga.awaiting = Some(step);
                }
            }
            Answer::StockRejected { .. } | Answer::PaymentDeclined
                if saga.status == SagaStatus::Running =>
            {
                saga.compensating = true;
                saga.awaiting = Some(Step::CancelOrder);
            }
            Answer::OrderCompleted => self.end(index, SagaStatus::Completed, tick),
            Answer::OrderCancelled { reason } => {
                let status = if reason.starts_with(reasons::TIMED_OUT) {
                    SagaStatus::TimedOut
                } else {
                    SagaStatus::Compensated
                };
                self.end(index, status, tick);
            }
            _ => {}
        }
        if !was_hit && self.instances[index as usize].hit_by_duplicates() {
            self.hit.push(index);
        }
        None
    }

    /// The sagas reserved or charged more than once, in the order it happened.
    pub fn hit_by_duplicates(&self) -> &[u32] {
        &self.hit
    }
}

/// The sagas' counts as a read model, so the online-vs-batch chart can follow them over ticks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SagaCounts {
    /// Per order stream number: 1 while its saga runs, 2 once it ended.
    orders: Vec<u8>,
    values: [i64; 4],
}

const RUNNING: &str = "Sagas running";
const COMPLETED: &str = "Sagas completed";
const COMPENSATED: &str = "Sagas compensated";
const TIMED_OUT: &str = "Sagas timed out";

const SERIES: &[ChartSeries] = &[
    ChartSeries {
        code: "sagas-running",
        label: RUNNING,
        money: false,
    },
    ChartSeries {
        code: "sagas-completed",
        label: COMPLETED,
        money: false,
    },
    ChartSeries {
        code: "sagas-compensated",
        label: COMPENSATED,
        money: false,
    },
    ChartSeries {
        code: "sagas-timed-out",
        label: TIMED_OUT,
        money: false,
    },
];

impl SagaCounts {
    fn state_mut(&mut self, number: u32) -> &mut u8 {
        let i = number as usize;
        if i >= self.orders.len() {
            self.orders.resize(i + 1, 0);
        }
        &mut self.orders[i]
    }
}

impl DomainReadModels for SagaCounts {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        let Some(kind) = event.type_index::<OrderEvent>() else {
            return;
        };
        if ![
            OrderEvent::PLACED,
            OrderEvent::CANCELLED,
            OrderEvent::COMPLETED,
        ]
        .contains(&kind)
        {
            return;
        }
        let state = *self.state_mut(event.stream_number);
        match event.decode::<OrderEvent>() {
            Some(OrderEvent::OrderPlaced { .. }) if state == 0 => {
                *self.state_mut(event.stream_number) = 1;
                self.values[0] += 1;
            }
            Some(OrderEvent::OrderCompleted) if state == 1 => {
                *self.state_mut(event.stream_number) = 2;
                self.values[0] -= 1;
                self.values[1] += 1;
            }
            Some(OrderEvent::OrderCancelled { reason }) if state == 1 => {
                *self.state_mut(event.stream_number) = 2;
                self.values[0] -= 1;
                if reason.starts_with(reasons::TIMED_OUT) {
                    self.values[3] += 1;
                } else {
                    self.values[2] += 1;
                }
            }
            _ => {}
        }
    }

    fn accepts(&self, event: &RecordedEvent<'_>) -> bool {
        event.is::<OrderEvent>()
    }

    fn fresh(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Self::default())
    }

    fn differing_rows(&self, other: &dyn DomainReadModels) -> Vec<RowId> {
        let Some(other) = crate::readmodel::same_kind::<Self>(other) else {
            return Vec::new();
        };
        crate::readmodel::differing_totals(
            SERIES
                .iter()
                .zip(self.values.iter().zip(&other.values))
                .map(|(s, (a, b))| (s.label, a, b)),
        )
    }

    fn row_label(&self, row: &RowId) -> String {
        match row {
            RowId::Total(name) => (*name).to_owned(),
            _ => String::new(),
        }
    }

    fn show_row(&self, row: &RowId) -> String {
        match row {
            RowId::Total(name) => SERIES
                .iter()
                .position(|s| s.label == *name)
                .map_or_else(|| "—".to_owned(), |i| self.values[i].to_string()),
            _ => "—".to_owned(),
        }
    }

    fn touched_rows(&self, event: &RecordedEvent<'_>, out: &mut Vec<RowId>) {
        match event.decode::<OrderEvent>() {
            Some(OrderEvent::OrderPlaced { .. }) => out.push(RowId::Total(RUNNING)),
            Some(OrderEvent::OrderCompleted) => {
                out.extend([RowId::Total(RUNNING), RowId::Total(COMPLETED)])
            }
            Some(OrderEvent::OrderCancelled { .. }) => out.extend([
                RowId::Total(RUNNING),
                RowId::Total(COMPENSATED),
                RowId::Total(TIMED_OUT),
            ]),
            _ => {}
        }
    }

    fn order_sensitive(&self, _row: &RowId) -> bool {
        // A cancellation counts only after its order was placed.
        true
    }

    fn chart_series(&self) -> &'static [ChartSeries] {
        SERIES
    }

    fn chart_values(&self, out: &mut Vec<i64>) {
        out.extend_from_slice(&self.values);
    }
}
