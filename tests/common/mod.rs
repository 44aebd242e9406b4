//! Helpers for the native tests: drive the playground's domains through `Action`s, as the UI does,
//! and read what the panels show.
#![allow(dead_code)]

use playground::app::{
    Action, Playground, SaveWork, SchemaAction, StorageAction, Stored, StreamAction,
};
use playground::domain::{bank, customers, orders};
use playground::kernel::ManualClock;
use playground::view::{Control, FormView, StateView};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The keys of every domain with a tab (whose panel and state the page shows).
pub fn tab_keys(p: &Playground) -> Vec<&'static str> {
    p.modules()
        .iter()
        .filter(|m| m.has_tab())
        .map(|m| m.key())
        .collect()
}

/// A fresh playground of the built-in domains with a manual clock.
pub fn playground() -> Playground {
    Playground::new(Rc::new(ManualClock::starting_2026()), 3)
}

/// Types `value` into the bank's `control` (or chooses it).
pub fn bank_edit(p: &mut Playground, control: &str, value: &str) {
    p.dispatch(Action::edit(bank::KEY, control, value));
}

/// Presses the bank's `control`.
pub fn bank_press(p: &mut Playground, control: &str) {
    p.dispatch(Action::press(bank::KEY, control));
}

/// "Owner" + "Open account".
pub fn open(p: &mut Playground, owner: &str) {
    bank_edit(p, bank::controls::OWNER, owner);
    bank_press(p, bank::controls::OPEN);
}

/// "Amount" + "Deposit".
pub fn deposit(p: &mut Playground, amount: &str) {
    bank_edit(p, bank::controls::AMOUNT, amount);
    bank_press(p, bank::controls::DEPOSIT);
}

/// "Amount" + "Withdraw".
pub fn withdraw(p: &mut Playground, amount: &str) {
    bank_edit(p, bank::controls::AMOUNT, amount);
    bank_press(p, bank::controls::WITHDRAW);
}

/// Chooses an account in "Account".
pub fn select_account(p: &mut Playground, id: &str) {
    bank_edit(p, bank::controls::ACCOUNT, id);
}

/// "Name" + "Email" + "Register customer".
pub fn register(p: &mut Playground, name: &str, email: &str) {
    p.dispatch(Action::edit(
        customers::KEY,
        customers::controls::NAME,
        name,
    ));
    p.dispatch(Action::edit(
        customers::KEY,
        customers::controls::EMAIL,
        email,
    ));
    p.dispatch(Action::press(customers::KEY, customers::controls::REGISTER));
}

/// Presses a button of the customers panel.
pub fn customers_press(p: &mut Playground, control: &str) {
    p.dispatch(Action::press(customers::KEY, control));
}

/// Types into or chooses a control of the customers panel.
pub fn customers_edit(p: &mut Playground, control: &str, value: &str) {
    p.dispatch(Action::edit(customers::KEY, control, value));
}

/// Types into or chooses a control of the orders panel.
pub fn orders_edit(p: &mut Playground, control: &str, value: &str) {
    p.dispatch(Action::edit(orders::KEY, control, value));
}

/// Presses a button of the orders panel.
pub fn orders_press(p: &mut Playground, control: &str) {
    p.dispatch(Action::press(orders::KEY, control));
}

/// "Product" + "Quantity" + "Add item".
pub fn add_item(p: &mut Playground, sku: &str, quantity: &str) {
    orders_edit(p, orders::controls::PRODUCT, sku);
    orders_edit(p, orders::controls::QUANTITY, quantity);
    orders_press(p, orders::controls::ADD);
}

/// A field of a state view ("" when it has none).
pub fn field(view: &StateView, label: &str) -> String {
    view.fields
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.clone())
        .unwrap_or_default()
}

/// The "Account state" region as of the timeline.
pub fn account_state(p: &Playground) -> StateView {
    p.state_of(bank::KEY).expect("the bank is registered")
}

/// The selected account's balance as shown.
pub fn balance(p: &Playground) -> String {
    field(&account_state(p), "Balance")
}

/// The options of the select labelled `label` in `form`.
pub fn options(form: &FormView, label: &str) -> Vec<String> {
    form.sections
        .iter()
        .flat_map(|s| &s.rows)
        .flat_map(|r| &r.controls)
        .find_map(|c| match c {
            Control::Select(s) if s.label == label => {
                Some(s.options.iter().map(|o| o.label.clone()).collect())
            }
            _ => None,
        })
        .unwrap_or_default()
}

/// Every alert and output text of `form`.
pub fn notices(form: &FormView) -> Vec<String> {
    form.sections
        .iter()
        .flat_map(|s| &s.rows)
        .flat_map(|r| &r.controls)
        .filter_map(|c| match c {
            Control::Alert { text, .. } | Control::Output(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The panel of the domain with key `key`.
pub fn form_of(p: &mut Playground, key: &str) -> FormView {
    p.dispatch(Action::SelectTab(key.to_owned()));
    p.form()
}

/// Every stored row as a tuple of everything it holds.
pub type Row = (
    u64,
    String,
    u64,
    String,
    u16,
    Vec<u8>,
    i64,
    i64,
    String,
    String,
    String,
);

pub fn rows(p: &Playground) -> Vec<Row> {
    p.store()
        .read_all(1)
        .map(|e| {
            (
                e.position,
                e.stream_id.to_string(),
                e.stream_version,
                e.event_type().to_owned(),
                e.schema_version(),
                e.data.to_vec(),
                e.occurred_at_micros,
                e.recorded_at_micros,
                e.event_id.to_string(),
                e.correlation_id.to_string(),
                e.causation_id.to_string(),
            )
        })
        .collect()
}

/// A playground with every domain at work: accounts with deposits in two schema versions,
/// customers (one forgotten), an order through the saga, generated events.
pub fn busy() -> Playground {
    let mut p = playground();
    open(&mut p, "Ada");
    deposit(&mut p, "12.50");
    p.dispatch(Action::Schema(SchemaAction::DeployNext(
        "MoneyDeposited".to_owned(),
    )));
    deposit(&mut p, "3");
    register(&mut p, "Grace Hopper", "grace@example.com");
    register(&mut p, "Alan Turing", "alan@example.com");
    orders_press(&mut p, orders::controls::START);
    add_item(&mut p, "MUG-03", "2");
    orders_press(&mut p, orders::controls::PLACE);
    p.dispatch(Action::Stream(StreamAction::Drain));
    customers_edit(&mut p, customers::controls::CUSTOMER, "customer-1");
    customers_press(&mut p, customers::controls::FORGET);
    customers_press(&mut p, customers::controls::CONFIRM_FORGET);
    p.generate_all(300);
    assert_eq!(p.alert(), None);
    p
}

/// Every domain's state view, as text (to compare two pages).
pub fn states(p: &mut Playground) -> Vec<String> {
    tab_keys(p)
        .into_iter()
        .map(|key| format!("{:?}", p.state_of(key)))
        .collect()
}

/// Every row without its times (two pages whose clocks differ).
pub fn untimed(p: &Playground) -> Vec<Row> {
    rows(p)
        .into_iter()
        .map(|mut r| {
            (r.6, r.7) = (0, 0);
            r
        })
        .collect()
}

/// What a browser's IndexedDB would hold: the meta record and the batch records by number.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    pub meta: Option<Vec<u8>>,
    pub batches: BTreeMap<u64, Vec<u8>>,
}

impl Kept {
    /// Writes one save, as the page's transaction does.
    pub fn write(&mut self, work: &SaveWork) {
        if work.clear {
            self.batches.clear();
        }
        for (index, bytes) in &work.batches {
            self.batches.insert(*index, bytes.clone());
        }
        self.meta = Some(work.meta.clone());
    }

    pub fn stored(&self) -> Option<Stored> {
        let meta = self.meta.clone()?;
        Some(Stored {
            meta: bytes(meta),
            // In no particular order, as the page may hand them over.
            batches: self
                .batches
                .iter()
                .rev()
                .map(|(k, v)| (*k, bytes(v.clone())))
                .collect(),
        })
    }
}

pub fn bytes(v: Vec<u8>) -> playground::app::FileBytes {
    playground::app::FileBytes(Rc::from(v))
}

/// Saves until nothing is left, as the page's saver does; returns the saves written.
pub fn save_all(p: &mut Playground, kept: &mut Kept) -> Vec<SaveWork> {
    let mut works = Vec::new();
    while let Some(work) = p.save_work() {
        kept.write(&work);
        p.dispatch(Action::Storage(StorageAction::Saved(work.ticket)));
        works.push(work);
    }
    works
}

/// A new page (another seed, as a reload draws) that loads what was kept.
pub fn reload(kept: &Kept) -> Playground {
    let mut q = Playground::new(Rc::new(ManualClock::starting_2026()), 4242);
    q.dispatch(Action::Storage(StorageAction::Opening));
    q.dispatch(Action::Storage(StorageAction::Found(kept.stored())));
    while q.restore_progress().is_some() {
        q.dispatch(Action::Storage(StorageAction::RestoreChunk));
    }
    q
}

/// The page after a reload: everything saved, then restored into a new page.
pub fn reloaded(p: &mut Playground) -> Playground {
    let mut kept = Kept::default();
    save_all(p, &mut kept);
    reload(&kept)
}
