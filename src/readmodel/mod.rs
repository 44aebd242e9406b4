//! Read models: the query side of CQRS. Each is a pure fold of events, written once and run three
//! ways — online (fed by the simulated broker, in whatever order and multiplicity a consumer
//! delivers), batch (a fold over the log from position 1, in log order), and for queries (a
//! checkpointed subscription that trails the log by a chosen lag).
//!
//! A read model does not know which way it is being run. Each domain contributes its own read models
//! as a [`DomainReadModels`]; [`ReadModels`] folds every domain's together, and is what the pipeline,
//! the batch runner, the differences, the chart and the query side work with — none of them names a
//! domain type. Nothing here reads a clock or the browser.

mod rows;
mod totals;
mod windows;

pub use rows::StreamRows;
pub use totals::{Totals, TotalsFold};
pub use windows::{EventTimeWindows, LatePolicy, WindowRow, WindowSettings, Windows};

use crate::kernel::{EventStore, Position, RecordedEvent};
use std::any::Any;
use std::fmt;

/// A read model built by folding events.
pub trait Projection {
    /// Whether [`Self::wants`] picks events (a consumer subscribed to some event types only); when
    /// false the relay publishes every event without reading it.
    const PICKS: bool = false;

    /// Folds one event in. Must not fail: a projection that cannot use an event ignores it.
    fn apply(&mut self, event: &RecordedEvent<'_>);

    /// Whether the projection's consumer is subscribed to events of `schema` (asked only when
    /// [`Self::PICKS`]).
    fn wants(&self, _schema: crate::kernel::SchemaId) -> bool {
        true
    }
}

/// Every domain's read models are a projection too (so one domain's can be run on their own).
impl<T: DomainReadModels> Projection for T {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        DomainReadModels::apply(self, event);
    }
}

/// Runs `projection` as a batch job: folds the log's events at positions `1..=up_to`, in log order.
pub fn run_batch<P: Projection>(mut projection: P, store: &EventStore, up_to: Position) -> P {
    store.for_each_in(1, up_to, |event| projection.apply(event));
    projection
}

/// What the read models are built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadModelSettings {
    /// Event-time windows (size, lateness, late policy, partitions).
    pub windows: WindowSettings,
}

/// One row of a read model that online and batch can be compared on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowId {
    /// A named total (e.g. "Total balance").
    Total(&'static str),
    /// The row of one stream (an account, a customer, an order), by the store's stream number.
    Stream(u32),
    /// An event-time window, by start (seconds since the Unix epoch).
    Window(i64),
}

/// A row that counted more late events online than in batch: the watermark judged them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateDifference {
    /// How many more online.
    pub events: u64,
    /// Dropped rather than counted separately.
    pub dropped: bool,
}

/// A value the online-vs-batch chart can follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSeries {
    /// The "Chart value" select's value.
    pub code: &'static str,
    /// The legend.
    pub label: &'static str,
    /// Money (stored in cents, shown in units).
    pub money: bool,
}

/// What every read model gets for free from being `Clone`: a boxed copy and a way to downcast.
pub trait ReadModelBox {
    /// A copy.
    fn clone_box(&self) -> Box<dyn DomainReadModels>;

    /// For downcasting to the domain's own type (its views and queries).
    fn as_any(&self) -> &dyn Any;
}

impl<T: DomainReadModels + Clone + 'static> ReadModelBox for T {
    fn clone_box(&self) -> Box<dyn DomainReadModels> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One domain's read models, behind a trait object so the generic layers can run, compare and chart
/// them without knowing the domain.
pub trait DomainReadModels: ReadModelBox {
    /// Folds one event in (ignoring the events of other domains).
    fn apply(&mut self, event: &RecordedEvent<'_>);

    /// Whether events of `event`'s schema concern these read models at all. Asked once per schema;
    /// the composite then hands each event only to the read models that want it. By default,
    /// every event.
    fn accepts(&self, _event: &RecordedEvent<'_>) -> bool {
        true
    }

    /// Empty read models of the same domain, built with `settings`.
    fn fresh(&self, settings: &ReadModelSettings) -> Box<dyn DomainReadModels>;

    /// The rows whose values differ from `other`'s (read models of the same domain).
    fn differing_rows(&self, other: &dyn DomainReadModels) -> Vec<RowId>;

    /// The row's name, e.g. "account-3" or "Total balance".
    fn row_label(&self, row: &RowId) -> String;

    /// The row's value as shown, e.g. "70.00 (3 transactions)"; "—" when absent.
    fn show_row(&self, row: &RowId) -> String;

    /// The rows `event` contributes to (pushed onto `out`), for explaining differences.
    fn touched_rows(&self, event: &RecordedEvent<'_>, out: &mut Vec<RowId>);

    /// Whether the row's value depends on the order its events arrive in (last-write-wins fields,
    /// watermarks), so that arriving out of order is a reason for it to differ.
    fn order_sensitive(&self, _row: &RowId) -> bool {
        false
    }

    /// How many more events of the row the watermark judged late online than in `batch`.
    fn late_difference(
        &self,
        _batch: &dyn DomainReadModels,
        _row: &RowId,
    ) -> Option<LateDifference> {
        None
    }

    /// The values the chart can follow.
    fn chart_series(&self) -> &'static [ChartSeries] {
        &[]
    }

    /// The current values of [`Self::chart_series`], in the same order.
    fn chart_values(&self, _out: &mut Vec<i64>) {}
}

/// The read models of every domain, folded together.
pub struct ReadModels {
    domains: Vec<Box<dyn DomainReadModels>>,
    /// For each schema id seen, which domains accept its events (a bit per domain; the top bit
    /// means "not asked yet").
    routes: Vec<u64>,
}

/// A schema whose accepting domains have not been asked yet.
const UNROUTED: u64 = 1 << 63;

/// Lists how many domains' read models it holds (the read models themselves have no `Debug`: it
/// would keep every one's formatting code in the bundle through their vtables).
impl fmt::Debug for ReadModels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadModels")
            .field("domains", &self.domains.len())
            .finish_non_exhaustive()
    }
}

impl Clone for ReadModels {
    fn clone(&self) -> Self {
        Self {
            domains: self.domains.iter().map(|d| d.clone_box()).collect(),
            routes: self.routes.clone(),
        }
    }
}

impl PartialEq for ReadModels {
    fn eq(&self, other: &Self) -> bool {
        self.domains.len() == other.domains.len()
            && self
                .domains
                .iter()
                .zip(&other.domains)
                .all(|(a, b)| a.differing_rows(b.as_ref()).is_empty())
    }
}

impl ReadModels {
    /// Read models made of these domains' (in registration order; at most 63).
    pub fn new(mut domains: Vec<Box<dyn DomainReadModels>>) -> Self {
        domains.truncate(63);
        Self {
            domains,
            routes: Vec::new(),
        }
    }

    /// Empty read models of the same domains, built with `settings`.
    pub fn fresh(&self, settings: &ReadModelSettings) -> Self {
        Self {
            domains: self.domains.iter().map(|d| d.fresh(settings)).collect(),
            routes: self.routes.clone(),
        }
    }

    /// Each domain's read models, in registration order.
    pub fn domains(&self) -> &[Box<dyn DomainReadModels>] {
        &self.domains
    }

    /// The read models of domain `index`.
    pub fn domain(&self, index: usize) -> Option<&dyn DomainReadModels> {
        self.domains.get(index).map(|d| d.as_ref())
    }

    /// The read models of type `T` (the first domain whose read models are a `T`).
    pub fn find<T: 'static>(&self) -> Option<&T> {
        self.domains
            .iter()
            .find_map(|d| d.as_any().downcast_ref::<T>())
    }

    /// Every chartable series, in order.
    pub fn chart_series(&self) -> Vec<ChartSeries> {
        self.domains
            .iter()
            .flat_map(|d| d.chart_series().iter().copied())
            .collect()
    }

    /// The current value of every series of [`Self::chart_series`].
    pub fn chart_values(&self) -> Vec<i64> {
        let mut out = Vec::new();
        for d in &self.domains {
            d.chart_values(&mut out);
        }
        out
    }
}

impl Projection for ReadModels {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        let schema = event.schema_id.index();
        if schema >= self.routes.len() {
            self.routes.resize(schema + 1, UNROUTED);
        }
        if self.routes[schema] == UNROUTED {
            self.routes[schema] = self
                .domains
                .iter()
                .enumerate()
                .filter(|(_, d)| d.accepts(event))
                .fold(0, |mask, (i, _)| mask | 1 << i);
        }
        let mut mask = self.routes[schema];
        while mask != 0 {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if let Some(domain) = self.domains.get_mut(i) {
                domain.apply(event);
            }
        }
    }
}

/// The totals — (name, one side's value, the other side's) — whose values differ, as
/// [`RowId::Total`]s, in the order given: the first part of [`DomainReadModels::differing_rows`].
pub fn differing_totals<T: PartialEq>(
    totals: impl IntoIterator<Item = (&'static str, T, T)>,
) -> Vec<RowId> {
    totals
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, _, _)| RowId::Total(name))
        .collect()
}

/// Downcasts `other` to the same concrete type as the caller, for [`DomainReadModels`] impls.
pub fn same_kind<T: 'static>(other: &dyn DomainReadModels) -> Option<&T> {
    other.as_any().downcast_ref::<T>()
}
