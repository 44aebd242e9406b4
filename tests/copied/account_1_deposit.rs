//! Copied from the Event Sourcing & CQRS Playground:
//! account-1's Deposit as of position 2.

use playground::domain::bank::{
    Account, AccountCommand, AccountEvent, Channel, Currency, Money, OwnerName,
};
use playground::kernel::testing::given;

#[test]
fn account_1_deposit() {
    given::<Account>([AccountEvent::AccountOpened {
        owner: OwnerName::parse("Ada Lovelace").expect("a valid owner name"),
    }])
    .when(AccountCommand::Deposit {
        amount: Money::from_cents(1250),
        channel: Channel::Unknown,
    })
    .then([AccountEvent::MoneyDeposited {
        amount: Money::from_cents(1250),
        currency: Currency::EUR,
        channel: Channel::Unknown,
    }]);
}
