//! Optimistic concurrency: what the writer believes the stream's version is (KurrentDB's semantics).

use std::fmt;

/// The condition an append places on the stream's current version.
///
/// Versions are 1-based: a stream with three events is at version 3; a stream with no events does not
/// exist, so `Exact(0)` means the same as `NoStream`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// Append whatever the stream's state.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream must exist (have at least one event).
    StreamExists,
    /// The stream must be at exactly this version.
    Exact(u64),
}

impl ExpectedVersion {
    /// Whether a stream currently at `actual` (`None` = no stream) satisfies this expectation.
    pub fn is_satisfied_by(self, actual: Option<u64>) -> bool {
        match self {
            Self::Any => true,
            Self::NoStream | Self::Exact(0) => actual.is_none(),
            Self::StreamExists => actual.is_some(),
            Self::Exact(v) => actual == Some(v),
        }
    }
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("any version"),
            Self::NoStream => f.write_str("no stream"),
            Self::StreamExists => f.write_str("an existing stream"),
            Self::Exact(v) => write!(f, "version {v}"),
        }
    }
}
