//! The warehouse's rules, as given / when / then scenarios: reservations of every line or none,
//! rejections that say what was asked and what is left, releases and restocks.
#![cfg(not(target_arch = "wasm32"))]

use playground::domain::inventory::{
    StockCommand as Cmd, StockError, StockEvent as Ev, Warehouse, STARTING_STOCK,
};
use playground::domain::orders::Sku;
use playground::kernel::testing::given;
use playground::kernel::StreamId;

fn sku(code: &str) -> Sku {
    Sku::new(code).expect("sku")
}

fn order() -> StreamId {
    StreamId::new("order-1")
}

fn reserved(lines: Vec<(Sku, u32)>) -> Ev {
    Ev::StockReserved {
        order: order(),
        lines,
    }
}

#[test]
fn the_warehouse_opens_with_little_honey_and_very_few_kettles() {
    let w = Warehouse::default();
    let kettle = w.level(&sku("KET-06")).expect("kettle");
    assert_eq!(kettle.available, STARTING_STOCK[5]);
    assert!(kettle.available < 10, "some products have little stock");
    assert!(w.level(&sku("TEA-01")).expect("tea").available >= 100_000);
    assert!(w.levels.iter().all(|l| l.reserved == 0));
}

#[test]
fn a_reservation_holds_every_line_of_the_order() {
    let lines = vec![(sku("TEA-01"), 2), (sku("KET-06"), 1)];
    let w = given::<Warehouse>([])
        .when(Cmd::Reserve {
            order: order(),
            lines: lines.clone(),
        })
        .then([reserved(lines)]);
    let kettle = w.level(&sku("KET-06")).expect("kettle");
    assert_eq!(
        (kettle.available, kettle.reserved),
        (STARTING_STOCK[5] - 1, 1)
    );
}

#[test]
fn a_short_product_rejects_the_whole_reservation_saying_what_was_asked_and_what_is_left() {
    let w = given::<Warehouse>([])
        .when(Cmd::Reserve {
            order: order(),
            lines: vec![(sku("TEA-01"), 2), (sku("KET-06"), 9)],
        })
        .then([Ev::StockReservationRejected {
            order: order(),
            sku: sku("KET-06"),
            asked: 9,
            left: 8,
        }]);
    assert_eq!(w, Warehouse::default(), "nothing is held, not even the tea");
}

#[test]
fn a_release_gives_back_what_the_order_holds_and_no_more() {
    let lines = vec![(sku("HON-05"), 3)];
    let w = given::<Warehouse>([reserved(lines.clone())])
        .when(Cmd::Release {
            order: order(),
            lines: lines.clone(),
        })
        .then([Ev::StockReleased {
            order: order(),
            lines: lines.clone(),
        }]);
    assert_eq!(w, Warehouse::default());
    given::<Warehouse>([])
        .when(Cmd::Release {
            order: order(),
            lines: Vec::new(),
        })
        .then_err(StockError::NothingReserved("order-1".into()));
    given::<Warehouse>([reserved(vec![(sku("HON-05"), 1)])])
        .when(Cmd::Release {
            order: order(),
            lines,
        })
        .then_err(StockError::ReleaseExceeds {
            sku: "HON-05".into(),
            asked: 3,
            reserved: 1,
        });
}

#[test]
fn a_restock_adds_between_one_and_a_million() {
    let w = given::<Warehouse>([])
        .when(Cmd::Restock {
            sku: sku("KET-06"),
            quantity: 12,
        })
        .then([Ev::Restocked {
            sku: sku("KET-06"),
            quantity: 12,
        }]);
    assert_eq!(w.level(&sku("KET-06")).expect("kettle").available, 20);
    for quantity in [0, 1_000_001] {
        given::<Warehouse>([])
            .when(Cmd::Restock {
                sku: sku("KET-06"),
                quantity,
            })
            .then_err(StockError::RestockOutOfRange(u64::from(quantity)));
    }
    given::<Warehouse>([])
        .when(Cmd::Restock {
            sku: sku("NOPE-1"),
            quantity: 1,
        })
        .then_err(StockError::UnknownProduct("NOPE-1".into()));
}

#[test]
fn an_empty_or_unknown_reservation_is_refused() {
    given::<Warehouse>([])
        .when(Cmd::Reserve {
            order: order(),
            lines: Vec::new(),
        })
        .then_err(StockError::NothingToReserve("order-1".into()));
    given::<Warehouse>([])
        .when(Cmd::Reserve {
            order: order(),
            lines: vec![(sku("XYZ-9"), 1)],
        })
        .then_err(StockError::UnknownProduct("XYZ-9".into()));
}
