//! The bank account: open, deposit, withdraw, close. Money is integer cents.

mod account;
mod money;
mod owner;

pub use account::{Account, AccountCommand, AccountError, AccountEvent, AccountStatus};
pub use money::{AmountError, Money, MAX_AMOUNT};
pub use owner::{OwnerName, OwnerNameError, MAX_OWNER_CHARS};
