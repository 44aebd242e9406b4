//! Copied from the Event Sourcing & CQRS Playground:
//! account-1's OpenAccount as of position 1.

use playground::domain::bank::{Account, AccountCommand, AccountEvent, OwnerName};
use playground::kernel::testing::given;

#[test]
fn account_1_open_account() {
    given::<Account>([])
        .when(AccountCommand::OpenAccount {
            owner: OwnerName::parse("Ada Lovelace").expect("a valid owner name"),
        })
        .then([AccountEvent::AccountOpened {
            owner: OwnerName::parse("Ada Lovelace").expect("a valid owner name"),
        }]);
}
