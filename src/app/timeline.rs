//! The timeline cursor: following the head live, or parked at a past position.

use crate::kernel::Position;

/// Where the timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineCursor {
    /// Follows the newest event as the log grows.
    Live,
    /// Parked after the first `p` events, for `p` below the head.
    At(Position),
}

impl TimelineCursor {
    /// The cursor for a requested position: clamped to the log, and `Live` at the head.
    pub fn seek(position: Position, head: Position) -> Self {
        if position >= head {
            Self::Live
        } else {
            Self::At(position)
        }
    }

    /// The position shown, given the log's head.
    pub fn position(self, head: Position) -> Position {
        match self {
            Self::Live => head,
            Self::At(p) => p.min(head),
        }
    }

    /// True when following the head.
    pub fn is_live(self) -> bool {
        self == Self::Live
    }
}
