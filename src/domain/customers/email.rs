//! Email addresses, as typed by a user, and their normalised form for comparison.

use crate::format::shorten;
use crate::kernel::codec::{Decode, Encode};
use std::fmt;

/// Longest accepted address, in characters.
pub const MAX_EMAIL_CHARS: usize = 254;

const ACCEPTED: &str = "Enter an address such as ada@example.com: one @, a dot in the domain, no spaces, at most 254 characters.";

/// A validated email address: trimmed, exactly one `@` with something before it, a domain with a dot
/// (not at its start or end), no spaces or control characters, at most 254 characters. Kept as typed;
/// compared (and reserved) in lower case. Checked where data enters the store (a command, an import);
/// events read back from the store are trusted as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(Box<str>);

/// Why an address was refused. Each message says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing but spaces.
    #[error("The email is empty. {ACCEPTED}")]
    Empty,
    /// Over the limit.
    #[error("The email is {0} characters long. {ACCEPTED}")]
    TooLong(usize),
    /// A space, tab or other invisible character inside.
    #[error("“{0}” contains a space or an invisible character. {ACCEPTED}")]
    Space(String),
    /// No `@`, or more than one.
    #[error("“{address}” has {ats} @ signs; an address has exactly one. {ACCEPTED}")]
    At {
        /// The address (shortened).
        address: String,
        /// How many `@` it has.
        ats: usize,
    },
    /// Nothing before the `@`.
    #[error("“{0}” has nothing before the @. {ACCEPTED}")]
    NoLocalPart(String),
    /// The domain has no dot, or one at its start or end.
    #[error("The domain of “{0}” needs a dot between its parts, as in example.com. {ACCEPTED}")]
    Domain(String),
}

impl Email {
    /// Validates a typed address; surrounding whitespace is removed first.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(EmailError::Empty);
        }
        let chars = text.chars().count();
        if chars > MAX_EMAIL_CHARS {
            return Err(EmailError::TooLong(chars));
        }
        let shown = || shorten(text);
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::Space(shown()));
        }
        let ats = text.matches('@').count();
        if ats != 1 {
            return Err(EmailError::At {
                address: shown(),
                ats,
            });
        }
        let (local, domain) = text.split_once('@').unwrap_or_default();
        if local.is_empty() {
            return Err(EmailError::NoLocalPart(shown()));
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(EmailError::Domain(shown()));
        }
        Ok(Self(text.into()))
    }

    /// The address as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address with its ASCII letters in lower case: what uniqueness is decided on (as mail
    /// systems compare addresses in practice).
    pub fn normalised(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// Whether two addresses are the same once normalised.
    pub fn same_as(&self, other: &Email) -> bool {
        self.normalised() == other.normalised()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0.into()
    }
}

impl Encode for Email {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
}

/// Read back as written: checked where it entered the store.
impl Decode for Email {
    fn decode(input: &mut &[u8]) -> Option<Self> {
        Box::<str>::decode(input).map(Self)
    }
}
