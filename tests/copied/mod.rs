//! Tests written by the playground's "Copy as test" (see `tests/copy_as_test.rs`).

mod account_1_deposit;
mod account_1_open_account;
mod account_1_withdraw_is_refused;
mod customer_1_change_name_is_refused;
mod customer_1_register;
mod fulfilment_order_1_answers_order_cancelled;
mod fulfilment_order_1_answers_order_completed;
mod fulfilment_order_1_answers_order_placed;
mod fulfilment_order_1_answers_payment_declined;
mod order_1_add_item;
mod order_1_cancel_order_is_refused;
mod order_1_complete;
mod payment_order_1_authorize;
mod payment_order_1_capture;
mod payment_order_1_void_is_refused;
mod shipment_order_1_deliver_is_refused;
mod shipment_order_1_schedule;
mod stock_warehouse_release;
mod stock_warehouse_reserve;
mod stock_warehouse_restock;
