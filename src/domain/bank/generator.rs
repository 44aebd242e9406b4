//! The bank's part of the load generator: opens accounts of its own, then moves money, and now and
//! then empties and closes an account. It knows every balance it gave, so each command is valid.

use super::account::AccountCommand;
use super::deposit::Channel;
use super::money::Money;
use super::owner::OwnerName;
use crate::domain::names::NAMES;
use crate::kernel::{SeededRng, StreamId};

/// Roughly one new account per this many of the bank's events.
const EVENTS_PER_ACCOUNT: u64 = 100;

/// An open account the generator knows, with the balance it has given it.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    pub(crate) stream: StreamId,
    pub(crate) balance: i64,
}

/// What the generator wants to do next.
pub(crate) enum Step {
    /// Open a new account for this owner.
    Open(OwnerName),
    /// Run this command on the known account at this index.
    Act(usize, AccountCommand),
}

/// The bank generator's memory of one run.
#[derive(Debug, Clone, Default)]
pub(crate) struct BankGenerator {
    pub(crate) open: Vec<Known>,
    accounts_wanted: u64,
}

impl BankGenerator {
    /// A run in which the bank will write about `events` events.
    pub(crate) fn start(&mut self, events: u64) {
        self.open.clear();
        self.accounts_wanted = (events / EVENTS_PER_ACCOUNT).clamp(1, 2_000);
    }

    /// The next command: opens accounts until there are enough, then moves money, and now and then
    /// empties and closes an account. `opened_so_far` numbers the owner.
    pub(crate) fn next_step(&mut self, rng: &mut SeededRng, opened_so_far: usize) -> Step {
        let few = (self.open.len() as u64) < self.accounts_wanted;
        if self.open.is_empty() || (few && rng.below(4) == 0) {
            let name = NAMES[rng.below(NAMES.len() as u64) as usize];
            let owner = OwnerName::parse(&format!("{name} {}", opened_so_far + 1))
                .unwrap_or_else(|_| unreachable!("generated names are valid"));
            return Step::Open(owner);
        }
        let index = rng.below(self.open.len() as u64) as usize;
        let balance = self.open[index].balance;
        let roll = rng.below(1_000);
        let cents = 100 + rng.below(50_000) as i64;
        let command = if roll < 2 && balance == 0 {
            AccountCommand::CloseAccount
        } else if roll < 5 && balance > 0 {
            AccountCommand::Withdraw {
                amount: Money::from_cents(balance),
            }
        } else if roll < 400 && balance >= cents {
            AccountCommand::Withdraw {
                amount: Money::from_cents(cents),
            }
        } else {
            // The channel follows from the amount: no draw of its own, so the generated log is
            // the same whichever versions are deployed.
            AccountCommand::Deposit {
                amount: Money::from_cents(cents),
                channel: Channel::CHOSEN[(cents % 3) as usize],
            }
        };
        Step::Act(index, command)
    }
}
