//! A read model of named totals, folded by a domain's own function: all that a domain whose read
//! side is a few counters and sums needs (units reserved, money captured, shipments scheduled).

use super::{ChartSeries, DomainReadModels, ReadModelSettings, RowId};
use crate::format::{cents, group_signed};
use crate::kernel::RecordedEvent;
use crate::view::ModelView;

/// Adds one event's contribution to the totals, in the order of the series.
pub type TotalsFold = fn(&RecordedEvent<'_>, &mut [i64]);

/// Named totals (each one a chart series too), folded by a domain's function.
#[derive(Debug, Clone)]
pub struct Totals {
    series: &'static [ChartSeries],
    values: Vec<i64>,
    fold: TotalsFold,
    accepts: fn(&RecordedEvent<'_>) -> bool,
}

impl Totals {
    /// Zeroed totals of `series`, folded by `fold`, for the events `accepts` takes.
    pub fn new(
        series: &'static [ChartSeries],
        fold: TotalsFold,
        accepts: fn(&RecordedEvent<'_>) -> bool,
    ) -> Self {
        Self {
            series,
            values: vec![0; series.len()],
            fold,
            accepts,
        }
    }

    /// Each total's label and value as shown (money in units, counts grouped).
    pub fn shown(&self) -> Vec<(String, String)> {
        self.series
            .iter()
            .zip(&self.values)
            .map(|(s, &v)| (s.label.to_owned(), Self::show(s, v)))
            .collect()
    }

    /// The view of a domain whose read models are `models`, if they are these totals of `series`:
    /// every total under `heading`.
    pub fn view(
        models: &dyn DomainReadModels,
        series: &'static [ChartSeries],
        heading: &str,
    ) -> Option<ModelView> {
        let totals = super::same_kind::<Self>(models).filter(|t| t.series == series)?;
        Some(ModelView {
            heading: heading.to_owned(),
            totals: totals.shown(),
            lists: Vec::new(),
        })
    }

    fn show(series: &ChartSeries, value: i64) -> String {
        if series.money {
            cents(value)
        } else {
            group_signed(value)
        }
    }
}

impl DomainReadModels for Totals {
    fn apply(&mut self, event: &RecordedEvent<'_>) {
        (self.fold)(event, &mut self.values);
    }

    fn accepts(&self, event: &RecordedEvent<'_>) -> bool {
        (self.accepts)(event)
    }

    fn fresh(&self, _settings: &ReadModelSettings) -> Box<dyn DomainReadModels> {
        Box::new(Self::new(self.series, self.fold, self.accepts))
    }

    fn differing_rows(&self, other: &dyn DomainReadModels) -> Vec<RowId> {
        let Some(other) = super::same_kind::<Self>(other) else {
            return Vec::new();
        };
        super::differing_totals(
            self.series
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
            RowId::Total(name) => self
                .series
                .iter()
                .zip(&self.values)
                .find(|(s, _)| s.label == *name)
                .map_or_else(|| "—".to_owned(), |(s, &v)| Self::show(s, v)),
            _ => "—".to_owned(),
        }
    }

    fn touched_rows(&self, event: &RecordedEvent<'_>, out: &mut Vec<RowId>) {
        let mut change = vec![0; self.series.len()];
        (self.fold)(event, &mut change);
        out.extend(
            self.series
                .iter()
                .zip(&change)
                .filter(|(_, &c)| c != 0)
                .map(|(s, _)| RowId::Total(s.label)),
        );
    }

    fn chart_series(&self) -> &'static [ChartSeries] {
        self.series
    }

    fn chart_values(&self, out: &mut Vec<i64>) {
        out.extend_from_slice(&self.values);
    }
}
