//! How `MoneyDeposited` evolved, and the two upcasters that read its older versions.
//!
//! - v1 `{amount}`: the first bank knew one currency and did not say which.
//! - v2 `{amount, currency}`: a second currency was planned, so each deposit says its own. Every v1
//!   deposit was in euros, so [`add_currency`] fills in "EUR": nothing is lost.
//! - v3 `{amount, currency, channel}`: the bank wants to know where money comes in (teller, ATM,
//!   online). Nobody recorded that before, so [`add_channel`] can only say "unknown": the one field
//!   an upcaster cannot recover.
//!
//! Upcasters are pure functions from one version's payload to the next's; the event enum's decoder
//! chains them, so every reader sees only v3.

use super::money::Money;
use crate::kernel::codec::{read_str, Decode, Encode};
use crate::kernel::{field, Field, Kind, Upcaster, Version};
use std::fmt;

/// A currency as its ISO 4217 code. The bank holds euros only; the code is kept because v2 made it
/// part of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The euro.
    pub const EUR: Currency = Currency(*b"EUR");

    /// The code, e.g. "EUR".
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The currency of a three-letter upper-case code.
    pub fn from_code(code: &str) -> Option<Self> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(u8::is_ascii_uppercase)
            .then_some(Self(bytes))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Encode for Currency {
    fn encode(&self, out: &mut Vec<u8>) {
        self.code().encode(out);
    }
}

impl Decode for Currency {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        Self::from_code(read_str(input)?)
    }
}

/// Where a deposit came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Channel {
    /// At a branch's counter.
    Teller,
    /// At a cash machine.
    Atm,
    /// Through online banking.
    #[default]
    Online,
    /// Not recorded: a deposit written before v3.
    Unknown,
}

impl Channel {
    /// The channels a user can choose, in the order the form offers them.
    pub const CHOSEN: [Channel; 3] = [Channel::Online, Channel::Teller, Channel::Atm];

    /// The stored (and form) code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Teller => "teller",
            Self::Atm => "atm",
            Self::Online => "online",
            Self::Unknown => "unknown",
        }
    }

    /// The label a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Teller => "Teller",
            Self::Atm => "ATM",
            Self::Online => "Online",
            Self::Unknown => "Unknown (written before v3)",
        }
    }

    /// The channel with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Teller, Self::Atm, Self::Online, Self::Unknown]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Encode for Channel {
    fn encode(&self, out: &mut Vec<u8>) {
        self.code().encode(out);
    }
}

impl Decode for Channel {
    #[inline(always)]
    fn decode(input: &mut &[u8]) -> Option<Self> {
        Self::from_code(read_str(input)?)
    }
}

/// `MoneyDeposited` v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepositedV1 {
    /// How much.
    pub amount: Money,
}

/// `MoneyDeposited` v2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepositedV2 {
    /// How much.
    pub amount: Money,
    /// In which currency.
    pub currency: Currency,
}

/// `MoneyDeposited` v3 (what the code holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DepositedV3 {
    /// How much.
    pub amount: Money,
    /// In which currency.
    pub currency: Currency,
    /// Where it came in.
    pub channel: Channel,
}

/// v1 → v2: every deposit before v2 was in euros.
pub fn add_currency(v1: DepositedV1) -> DepositedV2 {
    DepositedV2 {
        amount: v1.amount,
        currency: Currency::EUR,
    }
}

/// v2 → v3: nobody recorded the channel before v3.
pub fn add_channel(v2: DepositedV2) -> DepositedV3 {
    DepositedV3 {
        amount: v2.amount,
        currency: v2.currency,
        channel: Channel::Unknown,
    }
}

/// The fields of v1.
pub const V1: &[Field] = &[field("amount", Kind::Money)];

/// Versions 2 and 3, with their upcasters.
pub const LATER: &[Version] = &[
    Version {
        fields: &[field("amount", Kind::Money), field("currency", Kind::Text)],
        upcaster: Upcaster {
            name: "add_currency: currency = \"EUR\" (every deposit before v2 was in euros)",
            lossy: None,
        },
    },
    Version {
        fields: &[
            field("amount", Kind::Money),
            field("currency", Kind::Text),
            field("channel", Kind::Text),
        ],
        upcaster: Upcaster {
            name: "add_channel: channel = \"unknown\" (not recorded before v3)",
            lossy: Some("channel: where a deposit written before v3 came in was never recorded"),
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_a_v1_deposit_when_upcast_then_it_is_in_euros_through_an_unknown_channel() {
        let v1 = DepositedV1 {
            amount: Money::from_cents(1_250),
        };
        let v2 = add_currency(v1);
        assert_eq!(v2.currency, Currency::EUR);
        assert_eq!(v2.amount, v1.amount);
        let v3 = add_channel(v2);
        assert_eq!(
            v3,
            DepositedV3 {
                amount: Money::from_cents(1_250),
                currency: Currency::EUR,
                channel: Channel::Unknown,
            }
        );
    }

    #[test]
    fn given_a_v2_deposit_in_another_currency_when_upcast_then_its_currency_is_kept() {
        let chf = Currency::from_code("CHF").expect("a code");
        let v3 = add_channel(DepositedV2 {
            amount: Money::from_cents(5),
            currency: chf,
        });
        assert_eq!((v3.currency, v3.channel), (chf, Channel::Unknown));
    }

    #[test]
    fn codes_round_trip_and_strangers_are_refused() {
        for c in [
            Channel::Teller,
            Channel::Atm,
            Channel::Online,
            Channel::Unknown,
        ] {
            assert_eq!(Channel::from_code(c.code()), Some(c));
        }
        assert_eq!(Channel::from_code("pigeon"), None);
        assert_eq!(Currency::from_code("eur"), None);
        assert_eq!(Currency::from_code("EURO"), None);
    }
}
