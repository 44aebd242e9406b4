//! "Copy as test": an aggregate's (or the process manager's) last command as of the timeline,
//! written as a given / when / then test in Rust against the project's own harnesses
//! ([`crate::kernel::testing`], [`crate::process::testing`]), so a class can paste it into `tests/`
//! and run it with `cargo test`.
//!
//! The log keeps events, not commands, so the command is read back from the events it produced
//! (each domain's [`Testable::command_of`]); a refused command appended nothing, so the repository
//! remembers the last one ([`crate::kernel::Refused`]). Every case can also be run here, typed
//! ([`Case::passes`]), which is how the tests hold every domain's reading-back to the aggregate's
//! own rules; the files in `tests/copied/` hold the writing of them to the compiler.

mod aggregate;
mod code;
mod domains;
mod process;

pub use aggregate::{aggregate_case, AggregateCase, Testable, MAX_GIVEN};

use crate::format::group;
use crate::kernel::{EventStore, Position, RecordedEvent, StreamId};
pub use code::{Code, Doc, Layout, ToRust};

/// The widest line a written test has: it shows whole beside the page's state regions (rustfmt
/// would allow 100).
pub const WIDTH: usize = 54;
pub use process::{process_case, ProcessCase};

/// A command taken from the log (or a decision of the process manager), ready to be written as a
/// test.
pub trait Case {
    /// Whether the harness's `then` holds: the aggregate (or process manager), given the case's
    /// events, still decides its command as the case says. What the native tests check of every
    /// case; the page never asks, so the browser's build leaves it out (6 KB of wasm).
    #[cfg(not(target_arch = "wasm32"))]
    fn passes(&self) -> bool;
    /// The case as a test file.
    fn render(&self) -> GeneratedTest;
}

/// A test ready to paste: a whole file of `tests/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedTest {
    /// The test function's name (`account_1_withdraw_is_refused`).
    pub name: String,
    /// What it tests, in a few words ("account-1's Withdraw, refused, as of position 7").
    pub summary: String,
    /// The file: its `use` lines and one `#[test]`.
    pub code: String,
}

/// `OpenAccount` → `open_account`; `account-1` → `account_1`.
fn snake_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}

/// The variant's name of a rendered value: `AccountCommand::Withdraw { … }` → `Withdraw`. (Bytes
/// are scanned by hand: a `str` pattern search brings its searcher into the bundle.)
fn variant_of(rendered: &str) -> &str {
    let bytes = rendered.as_bytes();
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let type_end = bytes.iter().position(|b| !word(b)).unwrap_or(bytes.len());
    let start = if bytes.get(type_end..type_end + 2) == Some(b"::") {
        type_end + 2
    } else {
        0
    };
    let len = bytes[start..]
        .iter()
        .position(|b| !word(b))
        .unwrap_or(bytes.len() - start);
    &rendered[start..start + len]
}

/// `stream`'s events as of `position`, and the index of the first one its last command wrote (the
/// events sharing the last one's causation id): an aggregate's or the process manager's. `Err` when
/// there are too many to read.
fn stream_as_of<'s>(
    store: &'s EventStore,
    stream: &StreamId,
    position: Position,
) -> Result<(Vec<RecordedEvent<'s>>, usize), String> {
    let version = store.stream_version_at(stream, position);
    if version > MAX_GIVEN {
        return Err(format!(
            "{stream} holds {} events as of position {}: a test given that many would be too long to read. Copy one of a stream with at most {MAX_GIVEN}, or move the timeline back.",
            group(version),
            group(position)
        ));
    }
    let events: Vec<RecordedEvent<'s>> = store
        .read_stream(stream, 1)
        .take(version as usize)
        .collect();
    let split = events.last().map_or(0, |last| {
        events
            .iter()
            .rposition(|e| e.causation_id != last.causation_id)
            .map_or(0, |i| i + 1)
    });
    Ok((events, split))
}

/// The file of a test: a comment saying where it came from (`summary`), its `use` lines, then the
/// test `name`, whose body is the lines of `body`, each at four spaces.
fn file(code: &Code, summary: &str, name: &str, body: &[Vec<Doc>]) -> String {
    let mut layout = Layout::new(WIDTH);
    layout.text("//! Copied from the Event Sourcing & CQRS Playground:\n//!");
    let mut column = 3;
    for word in summary.split(' ') {
        if column > 3 && column + 1 + word.len() > WIDTH {
            layout.text("\n//!");
            column = 3;
        }
        layout.text(" ");
        layout.text(word);
        column += 1 + word.len();
    }
    layout.text(".\n\n");
    layout.text(&code.use_lines(WIDTH));
    layout.text("\n#[test]\nfn ");
    layout.text(name);
    layout.text("() {\n");
    for line in body {
        layout.line(4, line);
    }
    layout.text("}\n");
    layout.finish()
}

/// `head` `args…` `tail` as one line's pieces (`.when(` the command `)`).
fn call(head: &str, mut args: Vec<Doc>, tail: &str) -> Vec<Doc> {
    args.insert(0, Doc::Text(head.to_owned()));
    args.push(Doc::Text(tail.to_owned()));
    args
}

/// `[a, b, …]` of `items`, one a line when broken.
fn list(code: &mut Code, items: &[&dyn ToRust]) -> Vec<Doc> {
    vec![Doc::Block {
        open: "[",
        items: items.iter().map(|i| code.render(*i)).collect(),
        close: "]",
        padded: false,
        packed: false,
    }]
}

/// Each of `items` as a value to write.
fn dyns<T: ToRust>(items: &[T]) -> Vec<&dyn ToRust> {
    items.iter().map(|i| i as &dyn ToRust).collect()
}

/// `docs` on one line.
fn flat(docs: &[Doc]) -> String {
    let mut out = String::new();
    code::flatten(docs, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_snake_case() {
        assert_eq!(snake_case("OpenAccount"), "open_account");
        assert_eq!(snake_case("account-1"), "account_1");
        assert_eq!(snake_case("fulfilment-order-12"), "fulfilment_order_12");
        assert_eq!(snake_case("StockReserved"), "stock_reserved");
    }

    #[test]
    fn the_variant_is_read_from_a_rendered_value() {
        assert_eq!(
            variant_of("AccountCommand::Withdraw { amount: x }"),
            "Withdraw"
        );
        assert_eq!(variant_of("Answer::StockReserved"), "StockReserved");
        assert_eq!(
            variant_of("OrderError::TooLateToCancel(OrderStatus::Paid)"),
            "TooLateToCancel"
        );
    }
}
