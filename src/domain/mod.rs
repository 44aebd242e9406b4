//! The domains of the playground. Each is pure: an aggregate, its commands, events and rules.

pub mod bank;
