//! The customers' rules, as given / when / then scenarios, every rejected input, the email
//! reservations, and the race of registrations for one address (a property).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use playground::domain::customers::{
    controls, Customer, CustomerCommand as Cmd, CustomerError, CustomerEvent as Ev, CustomerName,
    CustomerService, Email, EmailError, EmailReservation, NameError, RegistrationError,
    ReservationCommand, ReservationError, ReservationEvent,
};
use playground::kernel::testing::given;
use playground::kernel::{CommandMeta, EventStore, IdGenerator, ManualClock, StreamId};
use playground::privacy::{Keys, Sealed};
use proptest::prelude::*;

fn name(text: &str) -> CustomerName {
    CustomerName::parse(text).expect("a valid test name")
}

fn email(text: &str) -> Email {
    Email::parse(text).expect("a valid test email")
}

/// A sealed value as the aggregate sees it: bytes it keeps and never reads.
fn sealed(text: &str) -> Sealed {
    Sealed::from_bytes(text.as_bytes())
}

fn registered() -> Ev {
    Ev::CustomerRegistered {
        name: sealed("Ada Lovelace"),
        email: sealed("ada@example.com"),
    }
}

#[test]
fn registering_records_name_and_email_and_makes_the_customer_active() {
    let state = given::<Customer>([])
        .when(Cmd::Register {
            name: sealed("Ada Lovelace"),
            email: sealed("ada@example.com"),
        })
        .then([registered()]);
    assert_eq!(
        state.status,
        playground::domain::customers::CustomerStatus::Active
    );
    assert_eq!(state.email, Some(sealed("ada@example.com")));
}

#[test]
fn registering_twice_is_refused() {
    given::<Customer>([registered()])
        .when(Cmd::Register {
            name: sealed("Ada"),
            email: sealed("ada@example.org"),
        })
        .then_err(CustomerError::AlreadyRegistered);
}

#[test]
fn names_and_emails_change_as_sealed_values() {
    let state = given::<Customer>([registered()])
        .when(Cmd::ChangeName {
            name: sealed("Ada King"),
        })
        .then([Ev::CustomerNameChanged {
            name: sealed("Ada King"),
        }]);
    assert_eq!(state.name, Some(sealed("Ada King")));
    given::<Customer>([registered()])
        .when(Cmd::ChangeEmail {
            email: sealed("countess@example.org"),
        })
        .then([Ev::CustomerEmailChanged {
            email: sealed("countess@example.org"),
        }]);
}

fn service() -> (EventStore, CustomerService, CommandMeta) {
    let mut store = EventStore::new(ManualClock::starting_2026());
    let service = CustomerService::new(&mut store, 100, Keys::new(3));
    (
        store,
        service,
        CommandMeta::new(IdGenerator::seeded(1).next_uuid()),
    )
}

/// The aggregate cannot read names or emails; the service, which holds the keys, refuses a change
/// to what the customer already has.
#[test]
fn names_and_emails_change_only_to_something_different() {
    let (mut store, mut service, mut meta) = service();
    let ada = StreamId::new("customer-1");
    service
        .register(
            &mut store,
            &ada,
            name("Ada Lovelace"),
            email("ada@example.com"),
            &mut meta,
        )
        .expect("registers");
    assert_eq!(
        service.change_name(&mut store, &ada, &name("Ada Lovelace"), &mut meta),
        Err(RegistrationError::Customer(CustomerError::SameName(
            "Ada Lovelace".into()
        )))
    );
    // Compared ignoring case.
    assert_eq!(
        service.change_email(&mut store, &ada, email("ADA@Example.COM"), &mut meta),
        Err(RegistrationError::Customer(CustomerError::SameEmail(
            "ADA@Example.COM".into()
        )))
    );
    assert_eq!(store.head(), 2, "nothing written");
    assert!(service
        .change_name(&mut store, &ada, &name("Ada King"), &mut meta)
        .is_ok());
    let state = service.customers.load(&store, &ada).state;
    let opened = state.name.map(|n| service.keys.open(&ada, "name", &n));
    assert_eq!(opened, Some(Ok("Ada King".to_owned())));
}

#[test]
fn a_forgotten_customer_accepts_nothing_and_their_address_is_free_again() {
    let (mut store, mut service, mut meta) = service();
    let ada = StreamId::new("customer-1");
    service
        .register(
            &mut store,
            &ada,
            name("Ada"),
            email("ada@example.com"),
            &mut meta,
        )
        .expect("registers");
    service.forget(&store, &ada).expect("forgets");
    assert_eq!(store.head(), 2, "forgetting appends nothing");
    assert_eq!(
        service.forget(&store, &ada),
        Err(RegistrationError::Customer(CustomerError::Forgotten))
    );
    assert_eq!(
        service.change_name(&mut store, &ada, &name("Ada K"), &mut meta),
        Err(RegistrationError::Customer(CustomerError::Forgotten))
    );
    assert_eq!(
        service.execute(&mut store, &ada, &Cmd::Deactivate, &mut meta),
        Err(RegistrationError::Customer(CustomerError::Forgotten))
    );
    // Someone else takes the address over: released from the forgotten holder, then reserved.
    let bob = StreamId::new("customer-2");
    let written = service
        .register(
            &mut store,
            &bob,
            name("Bob"),
            email("ADA@example.com"),
            &mut meta,
        )
        .expect("the address is free");
    assert_eq!(written, 3..=5);
    let reservation = service.reservation_of(&email("ada@example.com"));
    assert_eq!(
        service.reservations.load(&store, &reservation).state.holder,
        Some(bob)
    );
    let never = StreamId::new("customer-9");
    assert_eq!(
        service.forget(&store, &never),
        Err(RegistrationError::Customer(CustomerError::NotRegistered))
    );
}

#[test]
fn only_a_registered_active_customer_accepts_commands() {
    for command in [
        Cmd::ChangeName { name: sealed("X") },
        Cmd::ChangeEmail {
            email: sealed("x@example.com"),
        },
        Cmd::Deactivate,
    ] {
        given::<Customer>([])
            .when(command.clone())
            .then_err(CustomerError::NotRegistered);
        given::<Customer>([registered(), Ev::CustomerDeactivated])
            .when(command)
            .then_err(CustomerError::Deactivated);
    }
    given::<Customer>([registered()])
        .when(Cmd::Deactivate)
        .then([Ev::CustomerDeactivated]);
    given::<Customer>([registered(), Ev::CustomerDeactivated])
        .when(Cmd::Register {
            name: sealed("Ada"),
            email: sealed("ada@example.com"),
        })
        .then_err(CustomerError::Deactivated);
}

#[track_caller]
fn check_name(input: &str, expected: Result<&str, NameError>) {
    assert_eq!(
        CustomerName::parse(input)
            .as_ref()
            .map(CustomerName::as_str),
        expected.as_ref().map(|s| *s),
        "{input:?}"
    );
}

#[test]
fn names_are_trimmed_and_1_to_60_characters() {
    check_name("  Grace Hopper ", Ok("Grace Hopper"));
    check_name(&"é".repeat(60), Ok(&"é".repeat(60)));
    check_name("", Err(NameError::Empty));
    check_name(" \t ", Err(NameError::Empty));
    check_name(&"a".repeat(61), Err(NameError::TooLong(61)));
    check_name("Grace\nHopper", Err(NameError::ControlCharacter));
    for error in [
        NameError::Empty,
        NameError::TooLong(61),
        NameError::ControlCharacter,
    ] {
        assert!(error.to_string().contains("1 to 60 characters"), "{error}");
    }
}

#[track_caller]
fn check_email(input: &str, expected: Result<&str, EmailError>) {
    assert_eq!(
        Email::parse(input).as_ref().map(Email::as_str),
        expected.as_ref().map(|s| *s),
        "{input:?}"
    );
}

#[test]
fn emails_have_one_at_a_dotted_domain_no_spaces_and_at_most_254_characters() {
    check_email("  ada@example.com ", Ok("ada@example.com"));
    check_email("Ada.L+tag@Sub.Example.org", Ok("Ada.L+tag@Sub.Example.org"));
    let long_ok = format!("{}@example.com", "a".repeat(242));
    check_email(&long_ok, Ok(&long_ok));
    check_email("", Err(EmailError::Empty));
    check_email(
        &format!("{}@example.com", "a".repeat(243)),
        Err(EmailError::TooLong(255)),
    );
    check_email(
        "ada lovelace@example.com",
        Err(EmailError::Space("ada lovelace@example.com".into())),
    );
    check_email(
        "ada.example.com",
        Err(EmailError::At {
            address: "ada.example.com".into(),
            ats: 0,
        }),
    );
    check_email(
        "ada@@example.com",
        Err(EmailError::At {
            address: "ada@@example.com".into(),
            ats: 2,
        }),
    );
    check_email(
        "@example.com",
        Err(EmailError::NoLocalPart("@example.com".into())),
    );
    check_email(
        "ada@localhost",
        Err(EmailError::Domain("ada@localhost".into())),
    );
    check_email(
        "ada@.example",
        Err(EmailError::Domain("ada@.example".into())),
    );
    check_email(
        "ada@example.",
        Err(EmailError::Domain("ada@example.".into())),
    );
    for bad in ["", "a b@c.d", "abc", "@c.d", "a@b", &"x".repeat(300)] {
        let error = Email::parse(bad).expect_err(bad).to_string();
        assert!(
            error.contains("Enter an address such as ada@example.com"),
            "{error}"
        );
    }
    assert_eq!(email("Ada@Example.COM").normalised(), "ada@example.com");
}

#[test]
fn a_reservation_belongs_to_one_customer_at_a_time() {
    let ada = StreamId::new("customer-1");
    let bob = StreamId::new("customer-2");
    given::<EmailReservation>([])
        .when(ReservationCommand::Reserve {
            customer: ada.clone(),
        })
        .then([ReservationEvent::EmailReserved {
            customer: ada.clone(),
        }]);
    let reserved = ReservationEvent::EmailReserved {
        customer: ada.clone(),
    };
    given::<EmailReservation>([reserved.clone()])
        .when(ReservationCommand::Reserve {
            customer: bob.clone(),
        })
        .then_err(ReservationError::Taken {
            holder: ada.clone(),
        });
    given::<EmailReservation>([reserved.clone()])
        .when(ReservationCommand::Reserve {
            customer: ada.clone(),
        })
        .then([]);
    given::<EmailReservation>([reserved.clone()])
        .when(ReservationCommand::Release {
            customer: bob.clone(),
        })
        .then_err(ReservationError::NotHolder {
            customer: bob.clone(),
        });
    let state = given::<EmailReservation>([reserved])
        .when(ReservationCommand::Release {
            customer: ada.clone(),
        })
        .then([ReservationEvent::EmailReleased { customer: ada }]);
    assert_eq!(state.holder, None);
}

#[test]
fn through_the_panel_a_taken_email_is_refused_and_changing_away_releases_it() {
    let mut p = playground();
    register(&mut p, "Ada Lovelace", "ada@example.com");
    assert_eq!(p.alert(), None);
    assert!(p.status().is_some_and(
        |s| s.starts_with("Registered customer-1: Ada Lovelace, ada@example.com (events #1–#2")
    ));
    register(&mut p, "Impostor", " ADA@example.COM ");
    assert_eq!(
        p.alert(),
        Some("Email already registered: ADA@example.COM belongs to customer-1. Each customer needs an address of their own.")
    );
    assert_eq!(
        p.head(),
        2,
        "nothing of the refused registration was written"
    );
    // Ada changes to a new address: reserve it, record the change, release the old one.
    customers_edit(&mut p, controls::EMAIL, "countess@example.org");
    customers_press(&mut p, controls::CHANGE_EMAIL);
    assert_eq!(p.alert(), None);
    assert_eq!(p.head(), 5);
    let types: Vec<String> = p
        .log_rows(2..5)
        .into_iter()
        .map(|r| format!("{} {}", r.event_type, r.stream))
        .collect();
    let index = |address: &str| format!("email-{}", p.keys().blind_index(address));
    assert_eq!(
        types,
        [
            format!("EmailReserved {}", index("countess@example.org")),
            "CustomerEmailChanged customer-1".to_owned(),
            format!("EmailReleased {}", index("ada@example.com")),
        ]
    );
    // Now the old address is free for someone else.
    register(&mut p, "Bob", "ada@example.com");
    assert_eq!(p.alert(), None);
    assert_eq!(p.head(), 7);
    let state = p.state_of("customers").expect("customers");
    assert_eq!(field(&state, "Name"), "Bob");
}

#[test]
fn through_the_panel_bad_input_and_missing_customers_are_refused() {
    let mut p = playground();
    customers_press(&mut p, controls::CHANGE_NAME);
    assert!(p
        .alert()
        .is_some_and(|a| a.contains("Register a customer first")));
    register(&mut p, "", "ada@example.com");
    assert!(p.alert().is_some_and(|a| a.contains("The name is empty")));
    register(&mut p, "Ada", "ada-at-example.com");
    assert!(p.alert().is_some_and(|a| a.contains("has 0 @ signs")));
    assert_eq!(p.head(), 0);
    register(&mut p, "Ada", "ada@example.com");
    customers_edit(&mut p, controls::CUSTOMER, "customer-9");
    assert!(p.alert().is_some_and(|a| a.contains("no customer called")));
    customers_press(&mut p, controls::DEACTIVATE);
    assert_eq!(p.alert(), None);
    customers_edit(&mut p, controls::NAME, "Ada K");
    customers_press(&mut p, controls::CHANGE_NAME);
    assert_eq!(
        p.alert(),
        Some("This customer is deactivated and accepts no more commands.")
    );
    assert_eq!(
        options(&form_of(&mut p, "customers"), "Customer"),
        ["customer-1 · Ada (deactivated)"]
    );
}

/// One racer: a customer id and the address as they typed it.
fn arb_racers() -> impl Strategy<Value = Vec<(u8, bool)>> {
    prop::collection::vec((0u8..4, any::<bool>()), 2..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Registrations of the same address race: all of them read the streams before any writes, then
    /// they commit in a random order (some reusing a customer id that another racer takes). Exactly
    /// one wins; every other is refused and leaves nothing behind: every reserved address belongs to
    /// exactly the customer who has it, and no customer exists without their reservation.
    #[test]
    fn racing_registrations_of_one_email_let_exactly_one_through(racers in arb_racers(), order in Just((0..8usize).collect::<Vec<_>>()).prop_shuffle()) {
        let mut store = EventStore::new(ManualClock::starting_2026());
        let mut service = CustomerService::new(&mut store, 100, Keys::new(5));
        let mut ids = IdGenerator::seeded(5);
        let spellings = ["ada@example.com", "ADA@example.com", " Ada@Example.Com ", "ada@EXAMPLE.com"];
        let prepared: Vec<_> = racers
            .iter()
            .enumerate()
            .map(|(i, &(spelling, collide))| {
                // A colliding racer wants the same customer id as the one before it.
                let customer = StreamId::of("customer", if collide && i > 0 { i } else { i + 1 });
                service.prepare_registration(&store, &customer, name("Racer"), email(spellings[usize::from(spelling)]))
            })
            .collect();
        prop_assert!(prepared.iter().all(Result::is_ok), "everyone saw a free address");
        let mut prepared: Vec<_> = prepared.into_iter().map(Option::Some).collect();
        let mut winners = 0;
        let count = prepared.len();
        for &i in order.iter().filter(|&&i| i < count) {
            let Some(Ok(registration)) = prepared[i].take() else { continue };
            let mut meta = CommandMeta::new(ids.next_uuid());
            match service.commit_registration(&mut store, registration, &mut meta) {
                Ok(_) => winners += 1,
                Err(RegistrationError::EmailAlreadyRegistered { .. }) => {}
                Err(other) => prop_assert!(false, "unexpected refusal: {other}"),
            }
        }
        prop_assert_eq!(winners, 1, "exactly one registration wins");
        // Nothing half-written: reservations and customers agree.
        let reservation = service.reservation_of(&email("ada@example.com"));
        let holder = service.reservations.load(&store, &reservation).state.holder;
        let customers: Vec<StreamId> = store
            .stream_ids()
            .filter(|s| s.category() == "customer")
            .cloned()
            .collect();
        prop_assert_eq!(customers.len(), 1, "one customer was registered: {:?}", customers);
        prop_assert_eq!(holder.as_ref(), customers.first());
        let registered = service.customers.load(&store, &customers[0]).state;
        let opened = registered.email.and_then(|e| service.keys.open(&customers[0], "email", &e).ok());
        prop_assert_eq!(opened.map(|e| e.trim().to_ascii_lowercase()), Some("ada@example.com".to_owned()));
    }
}
