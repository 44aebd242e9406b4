//! Money as integer cents, and the parser for amounts typed by a user.

use crate::format::shorten;
use crate::kernel::codec::{Decode, Encode};
use std::fmt;

/// An amount of money in cents. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// The largest amount one deposit or withdrawal may move: 1,000,000.00.
pub const MAX_AMOUNT: Money = Money(100_000_000);

const ACCEPTED: &str = "Enter a positive amount with at most two decimals, up to 1,000,000.00 (for example 12, 12.5 or 12.34).";

/// Why a typed amount was refused. Each message says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Nothing was typed.
    #[error("The amount is empty. {ACCEPTED}")]
    Empty,
    /// Not digits with an optional decimal point.
    #[error("“{0}” is not a number. {ACCEPTED}")]
    NotANumber(String),
    /// Below zero.
    #[error("“{0}” is negative. {ACCEPTED}")]
    Negative(String),
    /// Exactly zero.
    #[error("The amount must be more than zero. {ACCEPTED}")]
    Zero,
    /// Fractions of a cent.
    #[error("“{0}” has more than two decimals; the smallest unit is one cent. {ACCEPTED}")]
    TooManyDecimals(String),
    /// Above [`MAX_AMOUNT`].
    #[error("“{0}” is above the maximum of 1,000,000.00. {ACCEPTED}")]
    TooLarge(String),
}

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// An amount of `cents`.
    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Parses an amount as a person types it: `12`, `12.5`, `12.34` (surrounding spaces ignored).
    /// Accepts only positive amounts up to [`MAX_AMOUNT`] with at most two decimals.
    pub fn parse_amount(input: &str) -> Result<Money, AmountError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        let shown = || shorten(text);
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, text),
        };
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (unsigned, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let fraction_ok = fraction.is_none_or(digits);
        if !digits(whole) || !fraction_ok {
            return Err(AmountError::NotANumber(shown()));
        }
        if negative {
            return Err(AmountError::Negative(shown()));
        }
        let fraction = fraction.unwrap_or("");
        if fraction.len() > 2 {
            return Err(AmountError::TooManyDecimals(shown()));
        }
        let whole = whole.trim_start_matches('0');
        // More than 7 integer digits is above the maximum whatever the value.
        if whole.len() > 7 {
            return Err(AmountError::TooLarge(shown()));
        }
        let units: i64 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .map_err(|_| AmountError::NotANumber(shown()))?
        };
        let cents_part: i64 = match fraction.len() {
            0 => 0,
            1 => i64::from(fraction.as_bytes()[0] - b'0') * 10,
            _ => fraction
                .parse()
                .map_err(|_| AmountError::NotANumber(shown()))?,
        };
        let cents = units * 100 + cents_part;
        if cents == 0 {
            return Err(AmountError::Zero);
        }
        if cents > MAX_AMOUNT.0 {
            return Err(AmountError::TooLarge(shown()));
        }
        Ok(Money(cents))
    }
}

impl fmt::Display for Money {
    /// `1234567` cents shows as `12,345.67`; negative amounts get a leading minus sign (`−60.00`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::format::cents(self.0))
    }
}

impl Encode for Money {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
    }
}

impl Decode for Money {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        i64::decode(input).map(Money)
    }
}
