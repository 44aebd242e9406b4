//! A share link's envelope: a scenario's bytes, compressed (raw DEFLATE) and written in the URL-safe
//! base64 alphabet behind a format number, as the fragment `share=<format>.<scenario>`.
//!
//! Nothing in a link is trusted: its length, its alphabet, its format number and its compressed
//! stream are each checked, and unpacking stops at [`MAX_UNPACKED`] bytes, so a hostile link can
//! neither run the page out of memory nor be half-read. What the scenario's bytes mean is the app's
//! business (`app::share`).

use crate::format::group;
use base64::Engine;

/// The fragment's prefix.
pub const PREFIX: &str = "share=";
/// The longest fragment opened (a scenario of a thousand commands takes a few tens of thousands).
pub const MAX_LINK_CHARS: usize = 200_000;
/// The most bytes a link unpacks to.
pub const MAX_UNPACKED: usize = 2 << 20;

/// Why a link cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The fragment is not a share link at all.
    #[error("This is not a share link of the playground: a share link's address ends in “#share=” and the scenario.")]
    NotALink,
    /// Longer than any link the playground makes.
    #[error("This share link is too long ({} characters; a share link holds at most {}), so it was not opened.", group(*.chars as u64), group(MAX_LINK_CHARS as u64))]
    TooLong {
        /// Its length.
        chars: usize,
    },
    /// No format number before the scenario.
    #[error("This share link has no format number (it should begin “share=1.”): it may have been cut or edited. Copy the whole link again.")]
    NoFormat,
    /// Made by a version of the playground that writes another format.
    #[error("This share link was made by {} version of the playground (format {found}; this one opens format {}), so it cannot be opened here.", if .found < .opens { "an older" } else { "a newer" }, .opens)]
    OtherFormat {
        /// The format the link says it is in.
        found: u64,
        /// The one this code opens.
        opens: u64,
    },
    /// A character outside the link alphabet.
    #[error("This share link is damaged: character {} (“{}”) is not one a link is written with (letters, digits, “-” and “_”). Copy the whole link again.", group(*.at as u64), .found.escape_debug())]
    BadCharacter {
        /// Its place in the scenario, from 1.
        at: usize,
        /// The character.
        found: char,
    },
    /// The compressed scenario is cut short or damaged.
    #[error("This share link is cut short or damaged: its scenario cannot be unpacked. Copy the whole link again.")]
    Damaged,
    /// The scenario unpacks to more than [`MAX_UNPACKED`] bytes.
    #[error("This share link unpacks to more than {} bytes, more than any scenario holds, so it was not opened.", group(MAX_UNPACKED as u64))]
    TooBig,
    /// The scenario's contents are not what a scenario holds.
    #[error("This share link is damaged: {what}. Copy the whole link again.")]
    Unreadable {
        /// What could not be read.
        what: String,
    },
}

/// The fragment (without `#`) holding `bytes` in `format`.
pub fn pack(format: u64, bytes: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(bytes, 10);
    let mut link = format!("{PREFIX}{format}.");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(packed, &mut link);
    link
}

/// True when `fragment` (without `#`) is meant as a share link, sound or not.
pub fn is_share_link(fragment: &str) -> bool {
    fragment.starts_with(PREFIX)
}

/// The bytes a fragment (without `#`) holds, if it is a sound link in `format`.
pub fn unpack(fragment: &str, format: u64) -> Result<Vec<u8>, LinkError> {
    let chars = fragment.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(LinkError::TooLong { chars });
    }
    let body = fragment.strip_prefix(PREFIX).ok_or(LinkError::NotALink)?;
    let (number, scenario) = body.split_once('.').ok_or(LinkError::NoFormat)?;
    if number.is_empty() || number.len() > 9 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::NoFormat);
    }
    let found: u64 = number.parse().map_err(|_| LinkError::NoFormat)?;
    if found != format {
        return Err(LinkError::OtherFormat {
            found,
            opens: format,
        });
    }
    if let Some((at, found)) = scenario
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(LinkError::BadCharacter { at: at + 1, found });
    }
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(scenario)
        .map_err(|_| LinkError::Damaged)?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_UNPACKED).map_err(|e| {
        match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooBig,
            _ => LinkError::Damaged,
        }
    })
}
