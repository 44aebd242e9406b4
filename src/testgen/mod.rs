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
pub use code::{Code, ToRust};
pub use process::{process_case, ProcessCase};

/// A command taken from the log (or a decision of the process manager), ready to be written as a
/// test.
pub trait Case {
    /// Whether the harness's `then` holds: the aggregate (or process manager), given the case's
    /// events, still decides its command as the case says.
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

/// The variant's name of a rendered value: `AccountCommand::Withdraw { … }` → `Withdraw`.
fn variant_of(rendered: &str) -> &str {
    let after = rendered.split_once("::").map_or(rendered, |(_, v)| v);
    let end = after
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(after.len());
    &after[..end]
}

/// The file of a test: a comment saying where it came from, its `use` lines, then the test.
fn file(code: &Code, header: &str, name: &str, body: &str) -> String {
    let mut out = format!("//! {header}\n\n");
    out.push_str(&code.use_lines());
    out.push_str("\n#[test]\nfn ");
    out.push_str(name);
    out.push_str("() {\n");
    out.push_str(body);
    out.push_str("}\n");
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
