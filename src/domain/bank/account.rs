//! The bank account aggregate.

use super::deposit::{
    self, add_channel, add_currency, Channel, Currency, DepositedV1, DepositedV2,
};
use super::money::Money;
use super::owner::OwnerName;
use crate::kernel::{field, get, put, Aggregate, DecodeError, DomainEvent, EventType, Kind};
use std::fmt;

/// Where an account is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountStatus {
    /// No `AccountOpened` yet.
    #[default]
    NotOpened,
    /// Open for business.
    Open,
    /// Closed for good.
    Closed,
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotOpened => "Not opened",
            Self::Open => "Open",
            Self::Closed => "Closed",
        })
    }
}

/// What a user can ask an account to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountCommand {
    /// Open the account for an owner.
    OpenAccount {
        /// Who owns it.
        owner: OwnerName,
    },
    /// Put money in.
    Deposit {
        /// How much.
        amount: Money,
        /// Where it comes in.
        channel: Channel,
    },
    /// Take money out.
    Withdraw {
        /// How much.
        amount: Money,
    },
    /// Close the account (its balance must be zero).
    CloseAccount,
}

/// What an account records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountEvent {
    /// The account was opened.
    AccountOpened {
        /// Its owner.
        owner: OwnerName,
    },
    /// Money was paid in (schema v3; see [`deposit`] for v1 and v2).
    MoneyDeposited {
        /// How much.
        amount: Money,
        /// In which currency (v2 on; "EUR" before).
        currency: Currency,
        /// Where it came in (v3 on; unknown before).
        channel: Channel,
    },
    /// Money was paid out.
    MoneyWithdrawn {
        /// How much.
        amount: Money,
    },
    /// The account was closed.
    AccountClosed,
}

impl DomainEvent for AccountEvent {
    const TYPES: &'static [EventType] = &[
        EventType::v1("AccountOpened", &[field("owner", Kind::Text)]),
        EventType::evolving("MoneyDeposited", deposit::V1, deposit::LATER),
        EventType::v1("MoneyWithdrawn", &[field("amount", Kind::Money)]),
        EventType::v1("AccountClosed", &[]),
    ];

    fn type_index(&self) -> usize {
        match self {
            Self::AccountOpened { .. } => 0,
            Self::MoneyDeposited { .. } => 1,
            Self::MoneyWithdrawn { .. } => 2,
            Self::AccountClosed => 3,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::AccountOpened { owner } => put(out, owner),
            Self::MoneyDeposited {
                amount,
                currency,
                channel,
            } => put(out, &(amount, currency, channel)),
            Self::MoneyWithdrawn { amount } => put(out, amount),
            Self::AccountClosed => {}
        }
    }

    fn encode_as(&self, version: u16, out: &mut Vec<u8>) {
        match (self, version) {
            (Self::MoneyDeposited { amount, .. }, 1) => put(out, amount),
            (
                Self::MoneyDeposited {
                    amount, currency, ..
                },
                2,
            ) => put(out, &(amount, currency)),
            _ => self.encode(out),
        }
    }

    /// What `handle` never writes: an empty or overlong owner, an amount that is not positive or
    /// above the largest a command accepts.
    fn check(&self) -> Result<(), String> {
        match self {
            Self::AccountOpened { owner } => OwnerName::parse(owner.as_str())
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Self::MoneyDeposited { amount, .. } | Self::MoneyWithdrawn { amount } => {
                if (1..=super::money::MAX_AMOUNT.cents()).contains(&amount.cents()) {
                    Ok(())
                } else {
                    Err(format!(
                        "an amount must be from 1 to {} cents, not {}.",
                        super::money::MAX_AMOUNT.cents(),
                        amount.cents()
                    ))
                }
            }
            Self::AccountClosed => Ok(()),
        }
    }

    fn decode(index: usize, version: u16, data: &[u8]) -> Result<Self, DecodeError> {
        let name = Self::TYPES
            .get(index)
            .ok_or(DecodeError::UnknownType(index))?
            .name;
        Ok(match index {
            0 => Self::AccountOpened {
                owner: get(data, name, version)?,
            },
            1 => {
                let v3 = match version {
                    1 => add_channel(add_currency(DepositedV1 {
                        amount: get(data, name, version)?,
                    })),
                    2 => {
                        let (amount, currency) = get(data, name, version)?;
                        add_channel(DepositedV2 { amount, currency })
                    }
                    _ => {
                        let (amount, currency, channel) = get(data, name, version)?;
                        deposit::DepositedV3 {
                            amount,
                            currency,
                            channel,
                        }
                    }
                };
                Self::MoneyDeposited {
                    amount: v3.amount,
                    currency: v3.currency,
                    channel: v3.channel,
                }
            }
            2 => Self::MoneyWithdrawn {
                amount: get(data, name, version)?,
            },
            _ => {
                get::<()>(data, name, version)?;
                Self::AccountClosed
            }
        })
    }
}

impl fmt::Display for AccountEvent {
    /// The payload in a few words, as the event log shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AccountOpened { owner } => write!(f, "owner: {owner}"),
            Self::MoneyDeposited {
                amount,
                currency,
                channel,
            } => write!(f, "amount: {amount} {currency}, channel: {channel}"),
            Self::MoneyWithdrawn { amount } => write!(f, "amount: {amount}"),
            Self::AccountClosed => f.write_str("(no data)"),
        }
    }
}

/// Why an account refused a command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Open on an account that exists.
    #[error("This account is already open; open a new account instead.")]
    AlreadyOpened,
    /// Anything but open on an account that was never opened.
    #[error("This account has not been opened yet; open it first.")]
    NotOpened,
    /// Anything on a closed account.
    #[error("This account is closed; it accepts no more commands.")]
    Closed,
    /// Withdrawing more than the balance.
    #[error("Insufficient funds: the balance is {balance} but {requested} was requested.")]
    InsufficientFunds {
        /// The balance at the time.
        balance: Money,
        /// The amount asked for.
        requested: Money,
    },
    /// Closing with money still in the account.
    #[error("The account still holds {balance}; withdraw it all before closing (the balance must be 0.00).")]
    BalanceNotZero {
        /// The remaining balance.
        balance: Money,
    },
    /// A deposit that the balance cannot represent.
    #[error("This deposit would take the balance beyond what an account can hold.")]
    BalanceOverflow,
}

/// A bank account's state: rebuilt from its events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// Where it is in its life.
    pub status: AccountStatus,
    /// Its owner (`None` before it is opened).
    pub owner: Option<OwnerName>,
    /// The money in it.
    pub balance: Money,
}

impl Account {
    fn require_open(&self) -> Result<(), AccountError> {
        match self.status {
            AccountStatus::NotOpened => Err(AccountError::NotOpened),
            AccountStatus::Closed => Err(AccountError::Closed),
            AccountStatus::Open => Ok(()),
        }
    }
}

impl Aggregate for Account {
    type Command = AccountCommand;
    type Event = AccountEvent;
    type Error = AccountError;

    fn handle(&self, command: &AccountCommand) -> Result<Vec<AccountEvent>, AccountError> {
        match command {
            AccountCommand::OpenAccount { owner } => match self.status {
                AccountStatus::NotOpened => Ok(vec![AccountEvent::AccountOpened {
                    owner: owner.clone(),
                }]),
                AccountStatus::Open => Err(AccountError::AlreadyOpened),
                AccountStatus::Closed => Err(AccountError::Closed),
            },
            AccountCommand::Deposit { amount, channel } => {
                self.require_open()?;
                self.balance
                    .checked_add(*amount)
                    .ok_or(AccountError::BalanceOverflow)?;
                Ok(vec![AccountEvent::MoneyDeposited {
                    amount: *amount,
                    currency: Currency::EUR,
                    channel: *channel,
                }])
            }
            AccountCommand::Withdraw { amount } => {
                self.require_open()?;
                if *amount > self.balance {
                    return Err(AccountError::InsufficientFunds {
                        balance: self.balance,
                        requested: *amount,
                    });
                }
                Ok(vec![AccountEvent::MoneyWithdrawn { amount: *amount }])
            }
            AccountCommand::CloseAccount => {
                self.require_open()?;
                if self.balance != Money::ZERO {
                    return Err(AccountError::BalanceNotZero {
                        balance: self.balance,
                    });
                }
                Ok(vec![AccountEvent::AccountClosed])
            }
        }
    }

    fn apply(&mut self, event: &AccountEvent) {
        match event {
            AccountEvent::AccountOpened { owner } => {
                self.status = AccountStatus::Open;
                self.owner = Some(owner.clone());
            }
            AccountEvent::MoneyDeposited { amount, .. } => {
                self.balance = self.balance.checked_add(*amount).unwrap_or(self.balance);
            }
            AccountEvent::MoneyWithdrawn { amount } => {
                self.balance = self.balance.checked_sub(*amount).unwrap_or(self.balance);
            }
            AccountEvent::AccountClosed => self.status = AccountStatus::Closed,
        }
    }
}
