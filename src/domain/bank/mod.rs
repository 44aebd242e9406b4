//! The bank: accounts that open, take deposits and withdrawals, and close. Money is integer cents.
//! Also two clerks racing on one account, to show optimistic concurrency.

mod account;
mod balances;
mod clerks;
pub mod deposit;
mod generator;
mod module;
mod money;
mod owner;
mod read_models;
mod totals;

pub use account::{Account, AccountCommand, AccountError, AccountEvent, AccountStatus};
pub use balances::{AccountBalances, AccountSummary};
pub use clerks::{Clerk, ClerkLoad, ClerkNotice, Clerks, ExpectedMode};
pub use deposit::{Channel, Currency};
pub use module::{controls, module, BankModule, KEY};
pub use money::{AmountError, Money, MAX_AMOUNT};
pub use owner::{OwnerName, OwnerNameError, MAX_OWNER_CHARS};
pub use read_models::{
    show_account, show_window, window_label, BankReadModels, ACCOUNTS_OPEN, TOTAL_BALANCE,
    TOTAL_DEPOSITS,
};
pub use totals::BankTotals;
