//! The bank account's rules, as given / when / then scenarios, and every rejected input.
#![cfg(not(target_arch = "wasm32"))]

use playground::domain::bank::{
    Account, AccountCommand as Cmd, AccountError, AccountEvent as Ev, AmountError, Channel,
    Currency, Money, OwnerName, OwnerNameError,
};
use playground::kernel::testing::given;
use playground::kernel::{DecodeError, DomainEvent};

fn owner(name: &str) -> OwnerName {
    OwnerName::parse(name).expect("a valid test name")
}

fn cents(c: i64) -> Money {
    Money::from_cents(c)
}

fn opened() -> Ev {
    Ev::AccountOpened {
        owner: owner("Ada"),
    }
}

#[test]
fn opening_a_new_account_records_its_owner() {
    let state = given::<Account>([])
        .when(Cmd::OpenAccount {
            owner: owner("Ada"),
        })
        .then([opened()]);
    assert_eq!(state.owner.as_ref().map(OwnerName::as_str), Some("Ada"));
}

#[test]
fn opening_twice_is_refused() {
    given::<Account>([opened()])
        .when(Cmd::OpenAccount {
            owner: owner("Bob"),
        })
        .then_err(AccountError::AlreadyOpened);
}

#[test]
fn reopening_a_closed_account_is_refused() {
    given::<Account>([opened(), Ev::AccountClosed])
        .when(Cmd::OpenAccount {
            owner: owner("Ada"),
        })
        .then_err(AccountError::Closed);
}

#[test]
fn deposits_and_withdrawals_move_the_balance() {
    let state = given::<Account>([
        opened(),
        Ev::MoneyDeposited {
            amount: cents(10_000),
            currency: Currency::EUR,
            channel: Channel::Online,
        },
    ])
    .when(Cmd::Withdraw {
        amount: cents(3_000),
    })
    .then([Ev::MoneyWithdrawn {
        amount: cents(3_000),
    }]);
    assert_eq!(state.balance.to_string(), "70.00");
}

#[test]
fn deposit_is_recorded() {
    given::<Account>([opened()])
        .when(Cmd::Deposit {
            amount: cents(1_250),
            channel: Channel::Online,
        })
        .then([Ev::MoneyDeposited {
            amount: cents(1_250),
            currency: Currency::EUR,
            channel: Channel::Online,
        }]);
}

#[test]
fn withdrawing_the_whole_balance_is_allowed() {
    let state = given::<Account>([
        opened(),
        Ev::MoneyDeposited {
            amount: cents(500),
            currency: Currency::EUR,
            channel: Channel::Online,
        },
    ])
    .when(Cmd::Withdraw { amount: cents(500) })
    .then([Ev::MoneyWithdrawn { amount: cents(500) }]);
    assert_eq!(state.balance, Money::ZERO);
}

#[test]
fn withdrawing_more_than_the_balance_states_balance_and_request() {
    let when = given::<Account>([
        opened(),
        Ev::MoneyDeposited {
            amount: cents(7_000),
            currency: Currency::EUR,
            channel: Channel::Online,
        },
    ])
    .when(Cmd::Withdraw {
        amount: cents(10_000),
    });
    when.then_err(AccountError::InsufficientFunds {
        balance: cents(7_000),
        requested: cents(10_000),
    });
    let message = AccountError::InsufficientFunds {
        balance: cents(7_000),
        requested: cents(10_000),
    }
    .to_string();
    assert_eq!(
        message,
        "Insufficient funds: the balance is 70.00 but 100.00 was requested."
    );
}

#[test]
fn commands_on_an_unopened_account_are_refused() {
    for command in [
        Cmd::Deposit {
            amount: cents(1),
            channel: Channel::Online,
        },
        Cmd::Withdraw { amount: cents(1) },
        Cmd::CloseAccount,
    ] {
        given::<Account>([])
            .when(command)
            .then_err(AccountError::NotOpened);
    }
}

#[test]
fn commands_on_a_closed_account_are_refused() {
    for command in [
        Cmd::Deposit {
            amount: cents(1),
            channel: Channel::Online,
        },
        Cmd::Withdraw { amount: cents(1) },
        Cmd::CloseAccount,
    ] {
        given::<Account>([opened(), Ev::AccountClosed])
            .when(command)
            .then_err(AccountError::Closed);
    }
}

#[test]
fn closing_requires_a_zero_balance() {
    given::<Account>([
        opened(),
        Ev::MoneyDeposited {
            amount: cents(1),
            currency: Currency::EUR,
            channel: Channel::Online,
        },
    ])
    .when(Cmd::CloseAccount)
    .then_err(AccountError::BalanceNotZero { balance: cents(1) });
    let state = given::<Account>([
        opened(),
        Ev::MoneyDeposited {
            amount: cents(1),
            currency: Currency::EUR,
            channel: Channel::Online,
        },
        Ev::MoneyWithdrawn { amount: cents(1) },
    ])
    .when(Cmd::CloseAccount)
    .then([Ev::AccountClosed]);
    assert_eq!(state.status.to_string(), "Closed");
}

#[test]
fn a_deposit_that_would_overflow_the_balance_is_refused() {
    given::<Account>([
        opened(),
        Ev::MoneyDeposited {
            amount: cents(i64::MAX - 5),
            currency: Currency::EUR,
            channel: Channel::Online,
        },
    ])
    .when(Cmd::Deposit {
        amount: cents(10),
        channel: Channel::Online,
    })
    .then_err(AccountError::BalanceOverflow);
}

/// One line per case: what is typed, and what it parses to in cents or which error it gives.
#[track_caller]
fn check_amount(input: &str, expected: Result<i64, AmountError>) {
    assert_eq!(
        Money::parse_amount(input).map(Money::cents),
        expected,
        "amount {input:?}"
    );
}

#[test]
fn amounts_accept_whole_and_up_to_two_decimals() {
    check_amount("12", Ok(1_200));
    check_amount("12.5", Ok(1_250));
    check_amount("12.34", Ok(1_234));
    check_amount("  7.05 ", Ok(705));
    check_amount("0.01", Ok(1));
    check_amount("007", Ok(700));
    check_amount("1000000", Ok(100_000_000));
    check_amount("1000000.00", Ok(100_000_000));
}

#[test]
fn amounts_reject_bad_input_with_a_reason() {
    use AmountError::*;
    check_amount("", Err(Empty));
    check_amount("   ", Err(Empty));
    check_amount("abc", Err(NotANumber("abc".into())));
    check_amount("12a", Err(NotANumber("12a".into())));
    check_amount("1,000", Err(NotANumber("1,000".into())));
    check_amount("1e5", Err(NotANumber("1e5".into())));
    check_amount("12.", Err(NotANumber("12.".into())));
    check_amount(".5", Err(NotANumber(".5".into())));
    check_amount("+5", Err(NotANumber("+5".into())));
    check_amount("1.2.3", Err(NotANumber("1.2.3".into())));
    check_amount("NaN", Err(NotANumber("NaN".into())));
    check_amount("-5", Err(Negative("-5".into())));
    check_amount("-0.5", Err(Negative("-0.5".into())));
    check_amount("0", Err(Zero));
    check_amount("0.00", Err(Zero));
    check_amount("1.234", Err(TooManyDecimals("1.234".into())));
    check_amount("1000000.01", Err(TooLarge("1000000.01".into())));
    check_amount(
        "99999999999999999999999",
        Err(TooLarge("99999999999999999999999".into())),
    );
}

#[test]
fn amount_messages_say_what_is_accepted() {
    for bad in ["", "abc", "-5", "0", "1.234", "2000000"] {
        let message = Money::parse_amount(bad).expect_err("refused").to_string();
        assert!(
            message.contains("positive amount with at most two decimals, up to 1,000,000.00"),
            "{bad:?} gave {message:?}"
        );
    }
}

#[test]
fn long_garbage_is_shortened_in_the_message() {
    let garbage = "x".repeat(500);
    let message = Money::parse_amount(&garbage)
        .expect_err("refused")
        .to_string();
    assert!(message.len() < 200, "{message}");
    assert!(message.contains('…'));
}

#[test]
fn money_is_shown_with_two_decimals_and_grouping() {
    assert_eq!(cents(7_000).to_string(), "70.00");
    assert_eq!(cents(5).to_string(), "0.05");
    assert_eq!(cents(123_456_789).to_string(), "1,234,567.89");
    // A true minus sign, as a balance that a stale write took below zero shows.
    assert_eq!(cents(-1_050).to_string(), "\u{2212}10.50");
}

#[track_caller]
fn check_owner(input: &str, expected: Result<&str, OwnerNameError>) {
    assert_eq!(
        OwnerName::parse(input).as_ref().map(OwnerName::as_str),
        expected.as_ref().map(|s| *s),
        "owner {input:?}"
    );
}

#[test]
fn owner_names_are_trimmed_and_limited_to_60_characters() {
    check_owner("  Ada Lovelace ", Ok("Ada Lovelace"));
    check_owner("<b>Eve</b>", Ok("<b>Eve</b>"));
    check_owner(&"é".repeat(60), Ok(&"é".repeat(60)));
    check_owner("", Err(OwnerNameError::Empty));
    check_owner("   ", Err(OwnerNameError::Empty));
    check_owner(&"a".repeat(61), Err(OwnerNameError::TooLong(61)));
    check_owner("Ada\nLovelace", Err(OwnerNameError::ControlCharacter));
    check_owner("Ada\tL", Err(OwnerNameError::ControlCharacter));
}

/// Every event survives its stored form unchanged, and the stored form is compact.
#[test]
fn events_round_trip_through_their_stored_form() {
    for event in [
        opened(),
        Ev::MoneyDeposited {
            amount: cents(12_345),
            currency: Currency::EUR,
            channel: Channel::Online,
        },
        Ev::MoneyWithdrawn { amount: cents(1) },
        Ev::AccountClosed,
    ] {
        let latest = Ev::TYPES[event.type_index()].latest();
        let mut data = Vec::new();
        event.encode(&mut data);
        assert!(
            data.len() <= 16,
            "{} takes {} bytes",
            event.event_type(),
            data.len()
        );
        assert_eq!(Ev::decode(event.type_index(), latest, &data), Ok(event));
    }
}

/// Data that is not an account event's stored form is refused when read, never turned into a state.
#[test]
fn malformed_stored_data_is_refused_when_read_back() {
    assert!(matches!(
        Ev::decode(3, 1, &[7]),
        Err(DecodeError::Malformed {
            type_name: "AccountClosed",
            ..
        })
    ));
    assert!(matches!(
        Ev::decode(1, 1, &[0xff]),
        Err(DecodeError::Malformed {
            type_name: "MoneyDeposited",
            ..
        })
    ));
    assert_eq!(Ev::decode(9, 1, &[]), Err(DecodeError::UnknownType(9)));
}
