//! One component per part of the page; each takes the shared playground and the key of what it shows.

mod branches;
mod chart;
mod copy_test;
mod domains;
mod event_log;
mod generator;
mod inspector;
mod lessons;
mod metrics;
mod queries;
mod sagas;
mod schemas;
mod streaming;
mod timeline;
mod topology;
mod transfer;

pub use branches::Branches;
pub use copy_test::CopyAsTest;
pub use domains::DomainTabs;
pub use event_log::EventLog;
pub use generator::GeneratorPanel;
pub use inspector::Inspector;
pub use lessons::{LessonBar, Lessons};
pub use metrics::Metrics;
pub use queries::Queries;
pub use sagas::Sagas;
pub use schemas::Schemas;
pub use streaming::{keep_playing, Streaming};
pub use timeline::Timeline;
pub use topology::Topology;
pub use transfer::{import_file, TransferPanel};
