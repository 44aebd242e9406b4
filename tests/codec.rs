//! The stored form is postcard's wire format, byte for byte: what the kernel's codec writes, the
//! postcard crate writes too, and what postcard writes, the codec reads back.
#![cfg(not(target_arch = "wasm32"))]

use playground::domain::bank::{AccountEvent, Channel, Currency, Money, OwnerName};
use playground::domain::customers::CustomerEvent;
use playground::domain::orders::{OrderEvent, Quantity, Sku};
use playground::kernel::codec::{Decode, Encode};
use playground::kernel::{DomainEvent, StreamId};
use playground::privacy::Sealed;
use proptest::prelude::*;

fn ours<T: Encode + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.encode(&mut out);
    out
}

fn read<T: Decode>(bytes: &[u8]) -> Option<T> {
    let mut input = bytes;
    let value = T::decode(&mut input)?;
    input.is_empty().then_some(value)
}

#[test]
fn domain_events_are_encoded_as_postcard_encodes_their_fields() {
    let check = |event: &dyn Fn(&mut Vec<u8>), expected: Vec<u8>| {
        let mut out = Vec::new();
        event(&mut out);
        assert_eq!(out, expected);
    };
    let deposit = AccountEvent::MoneyDeposited {
        amount: Money::from_cents(12_345),
        currency: Currency::EUR,
        channel: Channel::Online,
    };
    check(
        &|o| deposit.encode(o),
        postcard::to_allocvec(&(12_345i64, "EUR", "online")).expect("postcard"),
    );
    // Each older version is what that version's code wrote: its own fields only.
    check(
        &|o| deposit.encode_as(1, o),
        postcard::to_allocvec(&12_345i64).expect("postcard"),
    );
    check(
        &|o| deposit.encode_as(2, o),
        postcard::to_allocvec(&(12_345i64, "EUR")).expect("postcard"),
    );
    let opened = AccountEvent::AccountOpened {
        owner: OwnerName::parse("Ada").expect("name"),
    };
    check(
        &|o| opened.encode(o),
        postcard::to_allocvec("Ada").expect("postcard"),
    );
    // Personal data is stored sealed: length-prefixed bytes, as postcard writes a byte sequence.
    let registered = CustomerEvent::CustomerRegistered {
        name: Sealed::from_bytes(b"sealed name"),
        email: Sealed::from_bytes(b"sealed email"),
    };
    check(
        &|o| registered.encode(o),
        postcard::to_allocvec(&(b"sealed name".to_vec(), b"sealed email".to_vec()))
            .expect("postcard"),
    );
    let added = OrderEvent::ItemAdded {
        sku: Sku::new("TEA-01").expect("sku"),
        quantity: Quantity::new(3).expect("quantity"),
        unit_price: Money::from_cents(450),
        line_total: Money::from_cents(1_350),
    };
    check(
        &|o| added.encode(o),
        postcard::to_allocvec(&("TEA-01", 3u8, 450i64, 1_350i64)).expect("postcard"),
    );
    check(
        &|o| added.encode_as(1, o),
        postcard::to_allocvec(&("TEA-01", 3u8, 450i64)).expect("postcard"),
    );
    let started = OrderEvent::CartStarted {
        customer: StreamId::new("customer-7"),
    };
    check(
        &|o| started.encode(o),
        postcard::to_allocvec("customer-7").expect("postcard"),
    );
}

#[test]
fn malformed_bytes_are_refused() {
    assert_eq!(read::<u64>(&[0x80]), None, "an unfinished varint");
    assert_eq!(
        read::<u64>(&[0xff; 11]),
        None,
        "a varint longer than ten bytes"
    );
    assert_eq!(
        read::<String>(&[5, b'a']),
        None,
        "a string longer than the data"
    );
    assert_eq!(read::<String>(&[2, 0xff, 0xfe]), None, "not UTF-8");
    assert_eq!(
        read::<u16>(&postcard::to_allocvec(&70_000u32).expect("postcard")),
        None,
        "too big for a u16"
    );
    assert_eq!(
        read::<Sku>(&postcard::to_allocvec("no spaces!").expect("postcard")),
        None
    );
    assert_eq!(read::<Quantity>(&[100]), None, "quantities are 1 to 99");
}

proptest! {
    #[test]
    fn integers_strings_and_tuples_match_postcard(u in any::<u64>(), i in any::<i64>(), s in ".{0,40}", b in any::<u8>(), h in any::<u16>()) {
        prop_assert_eq!(ours(&u), postcard::to_allocvec(&u).expect("postcard"));
        prop_assert_eq!(ours(&i), postcard::to_allocvec(&i).expect("postcard"));
        prop_assert_eq!(ours(s.as_str()), postcard::to_allocvec(s.as_str()).expect("postcard"));
        prop_assert_eq!(ours(&b), postcard::to_allocvec(&b).expect("postcard"));
        prop_assert_eq!(ours(&h), postcard::to_allocvec(&h).expect("postcard"));
        let tuple = (s.clone(), i, u);
        let bytes = postcard::to_allocvec(&tuple).expect("postcard");
        prop_assert_eq!(read::<(String, i64, u64)>(&bytes), Some(tuple));
    }
}

#[test]
fn sequences_and_flags_are_encoded_as_postcard_encodes_them() {
    use playground::domain::inventory::StockEvent;
    let lines = vec![
        (Sku::new("TEA-01").expect("sku"), 2u32),
        (Sku::new("KET-06").expect("sku"), 300u32),
    ];
    let reserved = StockEvent::StockReserved {
        order: StreamId::new("order-7"),
        lines,
    };
    let mut out = Vec::new();
    reserved.encode(&mut out);
    assert_eq!(
        out,
        postcard::to_allocvec(&("order-7", vec![("TEA-01", 2u32), ("KET-06", 300u32)]))
            .expect("postcard")
    );
    assert_eq!(
        StockEvent::decode(reserved.type_index(), 1, &out).expect("decodes"),
        reserved
    );
    for flag in [false, true] {
        assert_eq!(ours(&flag), postcard::to_allocvec(&flag).expect("postcard"));
        assert_eq!(read::<bool>(&ours(&flag)), Some(flag));
    }
    assert_eq!(read::<bool>(&[2]), None, "only 0 and 1 are flags");
    assert_eq!(
        read::<Vec<u32>>(&[200, 1]),
        None,
        "a length beyond the data is refused"
    );
}
