//! The built-in domains' values as Rust, and each aggregate's commands read back from their events.

use super::code::{rust_string, to_rust_enum, Code, ToRust};
use super::Testable;
use crate::domain::bank::{
    Account, AccountCommand, AccountError, AccountEvent, Channel, Currency, Money, OwnerName,
};
use crate::domain::customers::{
    Customer, CustomerCommand, CustomerError, CustomerEvent, CustomerStatus,
};
use crate::domain::inventory::{StockCommand, StockError, StockEvent, Warehouse};
use crate::domain::orders::{
    product, Order, OrderCommand, OrderError, OrderEvent, OrderStatus, Product, Quantity, Sku,
};
use crate::domain::payments::{Payment, PaymentCommand, PaymentError, PaymentEvent};
use crate::domain::shipping::{
    Shipment, ShipmentCommand, ShipmentError, ShipmentEvent, ShipmentStatus,
};
use crate::kernel::StreamId;
use crate::privacy::Sealed;
use crate::process::{Answer, FulfilmentEvent, Step};

const BANK: &str = "playground::domain::bank";
const CUSTOMERS: &str = "playground::domain::customers";
const ORDERS: &str = "playground::domain::orders";
const INVENTORY: &str = "playground::domain::inventory";
const PAYMENTS: &str = "playground::domain::payments";
const SHIPPING: &str = "playground::domain::shipping";

impl ToRust for StreamId {
    fn to_rust(&self, code: &mut Code) {
        code.import("playground::kernel", "StreamId");
        code.write("StreamId::new(");
        code.write(&rust_string(self.as_str()));
        code.write(")");
    }
}

impl ToRust for Money {
    fn to_rust(&self, code: &mut Code) {
        code.import(BANK, "Money");
        code.write(&format!("Money::from_cents({})", self.cents()));
    }
}

impl ToRust for Currency {
    fn to_rust(&self, code: &mut Code) {
        code.import(BANK, "Currency");
        if *self == Currency::EUR {
            code.write("Currency::EUR");
        } else {
            let call = format!("from_code({})", rust_string(self.code()));
            code.checked((BANK, "Currency"), &call, "a currency code");
        }
    }
}

impl ToRust for OwnerName {
    fn to_rust(&self, code: &mut Code) {
        let call = format!("parse({})", rust_string(self.as_str()));
        code.checked((BANK, "OwnerName"), &call, "a valid owner name");
    }
}

impl ToRust for Sealed {
    fn to_rust(&self, code: &mut Code) {
        code.import("playground::privacy", "Sealed");
        code.write("Sealed::from_bytes(&");
        code.numbers(self.as_bytes());
        code.write(")");
    }
}

impl ToRust for Sku {
    fn to_rust(&self, code: &mut Code) {
        let call = format!("new({})", rust_string(self.as_str()));
        code.checked((ORDERS, "Sku"), &call, "a valid SKU");
    }
}

impl ToRust for Quantity {
    fn to_rust(&self, code: &mut Code) {
        let call = format!("new({})", self.get());
        code.checked((ORDERS, "Quantity"), &call, "a quantity from 1 to 99");
    }
}

impl ToRust for Product {
    fn to_rust(&self, code: &mut Code) {
        code.import(ORDERS, "product");
        code.write(&format!(
            "product({}).expect(\"a product of the catalogue\")",
            rust_string(self.sku)
        ));
    }
}

to_rust_enum!(Channel in "playground::domain::bank" { Teller, Atm, Online, Unknown });

to_rust_enum!(AccountCommand in "playground::domain::bank" {
    OpenAccount { owner }, Deposit { amount, channel }, Withdraw { amount }, CloseAccount,
});

to_rust_enum!(AccountEvent in "playground::domain::bank" {
    AccountOpened { owner }, MoneyDeposited { amount, currency, channel },
    MoneyWithdrawn { amount }, AccountClosed,
});

to_rust_enum!(AccountError in "playground::domain::bank" {
    AlreadyOpened, NotOpened, Closed, InsufficientFunds { balance, requested },
    BalanceNotZero { balance }, BalanceOverflow,
});

impl Testable for Account {
    const MODULE: &'static str = BANK;
    const NAME: &'static str = "Account";

    fn command_of(_: &Self, events: &[AccountEvent]) -> Option<AccountCommand> {
        Some(match events {
            [AccountEvent::AccountOpened { owner }] => AccountCommand::OpenAccount {
                owner: owner.clone(),
            },
            [AccountEvent::MoneyDeposited {
                amount, channel, ..
            }] => AccountCommand::Deposit {
                amount: *amount,
                channel: *channel,
            },
            [AccountEvent::MoneyWithdrawn { amount }] => {
                AccountCommand::Withdraw { amount: *amount }
            }
            [AccountEvent::AccountClosed] => AccountCommand::CloseAccount,
            _ => return None,
        })
    }
}

to_rust_enum!(CustomerStatus in "playground::domain::customers" {
    NotRegistered, Active, Deactivated,
});

to_rust_enum!(CustomerCommand in "playground::domain::customers" {
    Register { name, email }, ChangeName { name }, ChangeEmail { email }, Deactivate,
});

to_rust_enum!(CustomerEvent in "playground::domain::customers" {
    CustomerRegistered { name, email }, CustomerNameChanged { name },
    CustomerEmailChanged { email }, CustomerDeactivated,
});

to_rust_enum!(CustomerError in "playground::domain::customers" {
    AlreadyRegistered, NotRegistered, Deactivated, SameName(name), Forgotten, SameEmail(email),
});

impl Testable for Customer {
    const MODULE: &'static str = CUSTOMERS;
    const NAME: &'static str = "Customer";

    fn command_of(_: &Self, events: &[CustomerEvent]) -> Option<CustomerCommand> {
        Some(match events {
            [CustomerEvent::CustomerRegistered { name, email }] => CustomerCommand::Register {
                name: name.clone(),
                email: email.clone(),
            },
            [CustomerEvent::CustomerNameChanged { name }] => {
                CustomerCommand::ChangeName { name: name.clone() }
            }
            [CustomerEvent::CustomerEmailChanged { email }] => CustomerCommand::ChangeEmail {
                email: email.clone(),
            },
            [CustomerEvent::CustomerDeactivated] => CustomerCommand::Deactivate,
            _ => return None,
        })
    }
}

to_rust_enum!(OrderStatus in "playground::domain::orders" {
    NotStarted, Cart, Placed, Reserved, Paid, Shipping, Completed, Cancelled,
});

to_rust_enum!(OrderCommand in "playground::domain::orders" {
    StartCart { customer, customer_status }, AddItem { product, quantity }, RemoveItem { sku },
    PlaceOrder, CancelOrder { reason }, MarkReserved, MarkPaid, MarkShipping, Complete,
});

to_rust_enum!(OrderEvent in "playground::domain::orders" {
    CartStarted { customer }, ItemAdded { sku, quantity, unit_price, line_total },
    ItemRemoved { sku }, OrderPlaced { total }, OrderCancelled { reason }, OrderReserved,
    OrderPaid, OrderShipping, OrderCompleted,
});

to_rust_enum!(OrderError in "playground::domain::orders" {
    AlreadyStarted, UnknownCustomer(customer), CustomerDeactivated(customer), NotStarted,
    AlreadyPlaced, Cancelled, AlreadyCancelled, TooLateToCancel(status), NotPlaced,
    AlreadyPast(status), NotShipping(status), Completed, EmptyCart, NotInCart(sku),
    TooMany { sku, total },
});

impl Testable for Order {
    const MODULE: &'static str = ORDERS;
    const NAME: &'static str = "Order";

    fn command_of(_: &Self, events: &[OrderEvent]) -> Option<OrderCommand> {
        Some(match events {
            [OrderEvent::CartStarted { customer }] => OrderCommand::StartCart {
                customer: customer.clone(),
                customer_status: CustomerStatus::Active,
            },
            [OrderEvent::ItemAdded {
                sku,
                quantity,
                unit_price,
                ..
            }] => {
                // The price is the catalogue's: an item added at another price was not added here.
                let product = product(sku.as_str()).filter(|p| p.price() == *unit_price)?;
                OrderCommand::AddItem {
                    product,
                    quantity: *quantity,
                }
            }
            [OrderEvent::ItemRemoved { sku }] => OrderCommand::RemoveItem { sku: *sku },
            [OrderEvent::OrderPlaced { .. }] => OrderCommand::PlaceOrder,
            [OrderEvent::OrderCancelled { reason }] => OrderCommand::CancelOrder {
                reason: reason.clone(),
            },
            [OrderEvent::OrderReserved] => OrderCommand::MarkReserved,
            [OrderEvent::OrderPaid] => OrderCommand::MarkPaid,
            [OrderEvent::OrderShipping] => OrderCommand::MarkShipping,
            [OrderEvent::OrderCompleted] => OrderCommand::Complete,
            _ => return None,
        })
    }
}

to_rust_enum!(StockCommand in "playground::domain::inventory" {
    Reserve { order, lines }, Release { order, lines }, Restock { sku, quantity },
});

to_rust_enum!(StockEvent in "playground::domain::inventory" {
    StockReserved { order, lines }, StockReservationRejected { order, sku, asked, left },
    StockReleased { order, lines }, Restocked { sku, quantity },
});

to_rust_enum!(StockError in "playground::domain::inventory" {
    UnknownProduct(sku), NothingToReserve(order), NothingReserved(order),
    ReleaseExceeds { sku, asked, reserved }, RestockOutOfRange(quantity),
    TooMuchStock { sku, level },
});

impl Testable for Warehouse {
    const MODULE: &'static str = INVENTORY;
    const NAME: &'static str = "Warehouse";

    fn command_of(_: &Self, events: &[StockEvent]) -> Option<StockCommand> {
        Some(match events {
            [StockEvent::StockReserved { order, lines }] => StockCommand::Reserve {
                order: order.clone(),
                lines: lines.clone(),
            },
            // The order's other lines are not recorded; the short one alone is refused the same.
            [StockEvent::StockReservationRejected {
                order, sku, asked, ..
            }] => StockCommand::Reserve {
                order: order.clone(),
                lines: vec![(*sku, *asked)],
            },
            [StockEvent::StockReleased { order, lines }] => StockCommand::Release {
                order: order.clone(),
                lines: lines.clone(),
            },
            [StockEvent::Restocked { sku, quantity }] => StockCommand::Restock {
                sku: *sku,
                quantity: *quantity,
            },
            _ => return None,
        })
    }
}

to_rust_enum!(PaymentCommand in "playground::domain::payments" {
    Authorize { order, amount, declined }, Capture, Void, Refund,
});

to_rust_enum!(PaymentEvent in "playground::domain::payments" {
    PaymentAuthorized { order, amount }, PaymentDeclined { order, amount },
    PaymentCaptured { amount }, PaymentVoided { amount }, PaymentRefunded { amount },
});

to_rust_enum!(PaymentError in "playground::domain::payments" {
    NotPositive(amount), Voided, NothingToCapture, NothingToRefund, AlreadyVoided, UseRefund,
});

impl Testable for Payment {
    const MODULE: &'static str = PAYMENTS;
    const NAME: &'static str = "Payment";

    fn command_of(_: &Self, events: &[PaymentEvent]) -> Option<PaymentCommand> {
        Some(match events {
            [PaymentEvent::PaymentAuthorized { order, amount }] => PaymentCommand::Authorize {
                order: order.clone(),
                amount: *amount,
                declined: false,
            },
            [PaymentEvent::PaymentDeclined { order, amount }] => PaymentCommand::Authorize {
                order: order.clone(),
                amount: *amount,
                declined: true,
            },
            [PaymentEvent::PaymentCaptured { .. }] => PaymentCommand::Capture,
            [PaymentEvent::PaymentVoided { .. }] => PaymentCommand::Void,
            [PaymentEvent::PaymentRefunded { .. }] => PaymentCommand::Refund,
            _ => return None,
        })
    }
}

to_rust_enum!(ShipmentStatus in "playground::domain::shipping" {
    NotScheduled, Scheduled, Shipped, Delivered,
});

to_rust_enum!(ShipmentCommand in "playground::domain::shipping" {
    Schedule { order }, Ship, Deliver,
});

to_rust_enum!(ShipmentEvent in "playground::domain::shipping" {
    ShipmentScheduled { order }, ShipmentShipped, ShipmentDelivered,
});

to_rust_enum!(ShipmentError in "playground::domain::shipping" {
    AlreadyScheduled(status), NotScheduled, NotShipped, Already(status),
});

impl Testable for Shipment {
    const MODULE: &'static str = SHIPPING;
    const NAME: &'static str = "Shipment";

    fn command_of(_: &Self, events: &[ShipmentEvent]) -> Option<ShipmentCommand> {
        Some(match events {
            [ShipmentEvent::ShipmentScheduled { order }] => ShipmentCommand::Schedule {
                order: order.clone(),
            },
            [ShipmentEvent::ShipmentShipped] => ShipmentCommand::Ship,
            [ShipmentEvent::ShipmentDelivered] => ShipmentCommand::Deliver,
            _ => return None,
        })
    }
}

to_rust_enum!(Step in "playground::process" {
    ReserveStock, AuthorizePayment, ScheduleShipment, CapturePayment, CompleteOrder,
    MarkReserved, MarkPaid, MarkShipping, ReleaseStock, VoidPayment, CancelOrder, Decide,
});

to_rust_enum!(Answer in "playground::process" {
    OrderPlaced { total }, StockReserved, StockRejected { sku, asked, left }, StockReleased,
    PaymentAuthorized, PaymentDeclined, PaymentCaptured, PaymentVoided, PaymentRefunded,
    ShipmentScheduled, OrderReserved, OrderPaid, OrderShipping, OrderCompleted,
    OrderCancelled { reason }, TimedOut { ticks },
});

to_rust_enum!(FulfilmentEvent in "playground::process" {
    SagaStarted { total }, StepConfirmed { step, next }, CompensationStarted { reason, undo },
    SagaTimedOut { ticks, undo }, SagaEnded { completed }, LateAnswerIgnored { answer },
});
