//! The account owner's name, as typed by a user.

use crate::kernel::codec::{Decode, Encode};
use std::fmt;

/// Longest accepted owner name, in characters.
pub const MAX_OWNER_CHARS: usize = 60;

/// A validated owner name: trimmed, 1–60 characters, no control characters. Checked where data enters
/// the store (a command; an import validates too); events read back from it are trusted as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnerName(Box<str>);

/// Why an owner name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OwnerNameError {
    /// Nothing but spaces.
    #[error("The owner's name is empty. Enter a name of 1 to 60 characters.")]
    Empty,
    /// Over the limit.
    #[error("The owner's name is {0} characters long. Enter a name of 1 to 60 characters.")]
    TooLong(usize),
    /// Tabs, newlines and other invisible control characters.
    #[error("The owner's name contains a control character (such as a tab or line break). Enter a name of 1 to 60 ordinary characters.")]
    ControlCharacter,
}

impl OwnerName {
    /// Validates a typed name; surrounding whitespace is removed first.
    pub fn parse(input: &str) -> Result<Self, OwnerNameError> {
        let name = input.trim();
        if name.is_empty() {
            return Err(OwnerNameError::Empty);
        }
        let chars = name.chars().count();
        if chars > MAX_OWNER_CHARS {
            return Err(OwnerNameError::TooLong(chars));
        }
        if name.chars().any(char::is_control) {
            return Err(OwnerNameError::ControlCharacter);
        }
        Ok(Self(name.into()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OwnerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Encode for OwnerName {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
}

/// Read back as written: checked where it entered the store.
impl Decode for OwnerName {
    fn decode(input: &mut &[u8]) -> Option<Self> {
        Box::<str>::decode(input).map(Self)
    }
}
