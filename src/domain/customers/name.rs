//! A customer's name, as typed by a user.

use crate::kernel::codec::{Decode, Encode};
use std::fmt;

/// Longest accepted name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

const ACCEPTED: &str = "Enter a name of 1 to 60 characters.";

/// A validated customer name: trimmed, 1–60 characters, no control characters. Checked where data
/// enters the store; events read back from it are trusted as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomerName(Box<str>);

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing but spaces.
    #[error("The name is empty. {ACCEPTED}")]
    Empty,
    /// Over the limit.
    #[error("The name is {0} characters long. {ACCEPTED}")]
    TooLong(usize),
    /// Tabs, newlines and other invisible control characters.
    #[error("The name contains a control character (such as a tab or line break). {ACCEPTED}")]
    ControlCharacter,
}

impl CustomerName {
    /// Validates a typed name; surrounding whitespace is removed first.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        let chars = name.chars().count();
        if chars > MAX_NAME_CHARS {
            return Err(NameError::TooLong(chars));
        }
        if name.chars().any(char::is_control) {
            return Err(NameError::ControlCharacter);
        }
        Ok(Self(name.into()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CustomerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<CustomerName> for String {
    fn from(name: CustomerName) -> Self {
        name.0.into()
    }
}

impl Encode for CustomerName {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
}

/// Read back as written: checked where it entered the store.
impl Decode for CustomerName {
    fn decode(input: &mut &[u8]) -> Option<Self> {
        Box::<str>::decode(input).map(Self)
    }
}
