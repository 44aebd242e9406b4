//! Copied from the Event Sourcing & CQRS Playground:
//! account-1's Withdraw, refused, as of position 2.

use playground::domain::bank::{
    Account, AccountCommand, AccountError, AccountEvent, Channel, Currency, Money, OwnerName,
};
use playground::kernel::testing::given;

#[test]
fn account_1_withdraw_is_refused() {
    given::<Account>([
        AccountEvent::AccountOpened {
            owner: OwnerName::parse("Ada Lovelace").expect("a valid owner name"),
        },
        AccountEvent::MoneyDeposited {
            amount: Money::from_cents(1250),
            currency: Currency::EUR,
            channel: Channel::Unknown,
        },
    ])
    .when(AccountCommand::Withdraw {
        amount: Money::from_cents(2000),
    })
    .then_err(AccountError::InsufficientFunds {
        balance: Money::from_cents(1250),
        requested: Money::from_cents(2000),
    });
}
