//! The payments' rules, as given / when / then scenarios, and the seeded issuer.
#![cfg(not(target_arch = "wasm32"))]

use playground::domain::bank::Money;
use playground::domain::payments::{
    Issuer, Payment, PaymentCommand as Cmd, PaymentError, PaymentEvent as Ev, PaymentStatus,
};
use playground::kernel::testing::given;
use playground::kernel::StreamId;

fn order() -> StreamId {
    StreamId::new("order-1")
}

fn cents(n: i64) -> Money {
    Money::from_cents(n)
}

fn authorize(declined: bool) -> Cmd {
    Cmd::Authorize {
        order: order(),
        amount: cents(900),
        declined,
    }
}

fn authorized() -> Ev {
    Ev::PaymentAuthorized {
        order: order(),
        amount: cents(900),
    }
}

#[test]
fn an_authorisation_holds_the_amount_or_the_issuer_declines_it() {
    let p = given::<Payment>([])
        .when(authorize(false))
        .then([authorized()]);
    assert_eq!((p.status, p.held), (PaymentStatus::Authorized, cents(900)));
    let p = given::<Payment>([])
        .when(authorize(true))
        .then([Ev::PaymentDeclined {
            order: order(),
            amount: cents(900),
        }]);
    assert_eq!((p.status, p.held), (PaymentStatus::Declined, cents(0)));
    given::<Payment>([])
        .when(Cmd::Authorize {
            order: order(),
            amount: cents(0),
            declined: false,
        })
        .then_err(PaymentError::NotPositive(cents(0)));
}

#[test]
fn authorising_twice_charges_twice_as_a_real_gateway_would() {
    let p = given::<Payment>([authorized()])
        .when(authorize(false))
        .then([authorized()]);
    assert_eq!((p.held, p.authorizations), (cents(1_800), 2));
}

#[test]
fn a_capture_takes_what_is_held_and_a_refund_gives_it_back() {
    let p = given::<Payment>([authorized()])
        .when(Cmd::Capture)
        .then([Ev::PaymentCaptured { amount: cents(900) }]);
    assert_eq!((p.held, p.net()), (cents(0), cents(900)));
    given::<Payment>([])
        .when(Cmd::Capture)
        .then_err(PaymentError::NothingToCapture);
    let captured = [authorized(), Ev::PaymentCaptured { amount: cents(900) }];
    let p = given::<Payment>(captured.clone())
        .when(Cmd::Refund)
        .then([Ev::PaymentRefunded { amount: cents(900) }]);
    assert_eq!((p.status, p.net()), (PaymentStatus::Refunded, cents(0)));
    given::<Payment>([authorized()])
        .when(Cmd::Refund)
        .then_err(PaymentError::NothingToRefund);
    given::<Payment>(captured)
        .when(Cmd::Void)
        .then_err(PaymentError::UseRefund);
}

#[test]
fn a_void_gives_up_what_is_held_and_closes_the_payment() {
    let p = given::<Payment>([authorized()])
        .when(Cmd::Void)
        .then([Ev::PaymentVoided { amount: cents(900) }]);
    assert_eq!((p.status, p.held), (PaymentStatus::Voided, cents(0)));
    // A void before any authorisation closes the payment: a late authorisation is refused.
    let voided = [Ev::PaymentVoided { amount: cents(0) }];
    given::<Payment>([]).when(Cmd::Void).then(voided.clone());
    given::<Payment>(voided.clone())
        .when(authorize(false))
        .then_err(PaymentError::Voided);
    given::<Payment>(voided)
        .when(Cmd::Void)
        .then_err(PaymentError::AlreadyVoided);
}

#[test]
fn the_issuer_declines_a_seeded_share_the_same_orders_for_the_same_seed() {
    let orders: Vec<StreamId> = (1..=2_000).map(|n| StreamId::of("order", n)).collect();
    let declined =
        |issuer: Issuer| -> Vec<bool> { orders.iter().map(|o| issuer.declines(o)).collect() };
    let a = Issuer {
        seed: 7,
        decline_rate: 25,
    };
    let share = declined(a).iter().filter(|&&d| d).count();
    assert!((400..=600).contains(&share), "about 25% declined: {share}");
    assert_eq!(
        declined(a),
        declined(a),
        "the same seed declines the same orders"
    );
    assert_ne!(declined(a), declined(Issuer { seed: 8, ..a }));
    assert!(declined(Issuer {
        decline_rate: 0,
        ..a
    })
    .iter()
    .all(|d| !d));
    assert!(declined(Issuer {
        decline_rate: 100,
        ..a
    })
    .iter()
    .all(|&d| d));
}
