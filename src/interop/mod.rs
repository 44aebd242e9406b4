//! The playground and the world outside it: the log as CloudEvents (export and import), read with a
//! strict JSON reader of its own.

pub mod cloudevents;
pub mod json;
