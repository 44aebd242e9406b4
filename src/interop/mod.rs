//! The playground and the world outside it: the log as CloudEvents (export and import), read with a
//! strict JSON reader of its own, and the envelope of share links (compressed, URL-safe).

pub mod cloudevents;
pub mod json;
pub mod link;
