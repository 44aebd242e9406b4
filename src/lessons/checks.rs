//! What lessons' steps check and do: the playground's state read as a student sees it, and the
//! actions of the page's controls.

use crate::app::{Action, Convergence, Playground, QueryAction, Setting, StreamAction};
use crate::domain::bank::{self, BankModule, ClerkNotice};
use crate::process::SagaStatus;
use crate::sim::Reason;
use crate::view::Rebuilt;

/// Events of type `name` in the log.
pub fn events_of(p: &Playground, name: &str) -> u64 {
    p.event_type_counts()
        .into_iter()
        .find(|(t, _)| t == name)
        .map_or(0, |(_, n)| n)
}

/// A field of the selected aggregate's state as of the timeline, on the tab shown.
pub fn state_field(p: &Playground, label: &str) -> Option<String> {
    let view = p.state_view()?;
    view.fields
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.clone())
}

/// How the selected aggregate's state shown was rebuilt.
pub fn rebuilt(p: &Playground) -> Option<Rebuilt> {
    p.state_view()?.rebuilt
}

/// The timeline is on an earlier event than the head.
pub fn in_the_past(p: &Playground) -> bool {
    p.position() < p.head()
}

/// The clerks' last notice.
pub fn clerk_notice(p: &Playground) -> Option<&ClerkNotice> {
    p.module::<BankModule>()?.clerks().notice.as_ref()
}

/// Whether both clerks have loaded the account.
pub fn both_clerks_loaded(p: &Playground) -> bool {
    p.module::<BankModule>()
        .is_some_and(|b| b.clerks().clerks.iter().all(|c| c.loaded.is_some()))
}

/// Whether a reason online and batch differ for matches.
pub fn differs_because(p: &Playground, reason: fn(&Reason) -> bool) -> bool {
    p.streaming()
        .differences(p.store())
        .iter()
        .any(|d| d.reasons.iter().any(reason))
}

/// Whether online and batch agree, drained.
pub fn converged(p: &Playground) -> bool {
    p.streaming().convergence(p.store()) == Convergence::Converged
}

/// Sagas with this status.
pub fn sagas(p: &Playground, status: SagaStatus) -> u64 {
    p.sagas().tracker().count(status)
}

/// Typing into (or choosing in) a control of the bank's panel.
pub fn bank(control: &str, value: &str) -> Action {
    Action::edit(bank::KEY, control, value)
}

/// Pressing a button of the bank's panel.
pub fn bank_press(control: &str) -> Action {
    Action::press(bank::KEY, control)
}

/// "Amount" and "Deposit" (or "Withdraw").
pub fn money(button: &str, amount: &str) -> Vec<Action> {
    vec![
        Action::SelectTab(bank::KEY.to_owned()),
        bank(bank::controls::AMOUNT, amount),
        bank_press(button),
    ]
}

/// "Owner" and "Open account".
pub fn open_account(owner: &str) -> Vec<Action> {
    vec![
        Action::SelectTab(bank::KEY.to_owned()),
        bank(bank::controls::OWNER, owner),
        bank_press(bank::controls::OPEN),
    ]
}

/// Ada's account, opened, then each (button, amount) pressed in turn: most lessons' starting log.
pub fn adas_account(moves: &[(&str, &str)]) -> Vec<Action> {
    let mut actions = open_account("Ada");
    for (button, amount) in moves {
        actions.extend(money(button, amount));
    }
    actions
}

/// A field of the online-vs-batch settings.
pub fn set(setting: Setting, value: &str) -> Action {
    setting.set_action(value.to_owned())
}

/// A checkbox of the settings.
pub fn tick(setting: Setting, on: bool) -> Action {
    setting.toggle_action(on)
}

/// "Drain".
pub fn drain() -> Action {
    Action::Stream(StreamAction::Drain)
}

/// "Replay from start" then "Drain".
pub fn replay_and_drain() -> Vec<Action> {
    vec![Action::Stream(StreamAction::Replay), drain()]
}

/// Choose a query, type its parameter and run it.
pub fn query(id: &str, parameter: &str) -> Vec<Action> {
    vec![
        Action::Query(QueryAction::Choose(id.to_owned())),
        Action::Query(QueryAction::EditParameter(parameter.to_owned())),
        Action::Query(QueryAction::Run),
    ]
}

/// "Name", "Email" and "Register customer" in the Customers tab.
pub fn register(name: &str, email: &str) -> Vec<Action> {
    use crate::domain::customers::{controls, KEY};
    vec![
        Action::SelectTab(KEY.to_owned()),
        Action::edit(KEY, controls::NAME, name),
        Action::edit(KEY, controls::EMAIL, email),
        Action::press(KEY, controls::REGISTER),
    ]
}

/// "Start cart", a product and quantity with "Add item", and "Place order" in the Orders tab.
pub fn place_order(product: &str, quantity: &str) -> Vec<Action> {
    use crate::domain::orders::{controls, KEY};
    vec![
        Action::SelectTab(KEY.to_owned()),
        Action::press(KEY, controls::START),
        Action::edit(KEY, controls::PRODUCT, product),
        Action::edit(KEY, controls::QUANTITY, quantity),
        Action::press(KEY, controls::ADD),
        Action::press(KEY, controls::PLACE),
    ]
}

/// Sagas of this style.
pub fn sagas_in(p: &Playground, style: crate::process::SagaStyle, status: SagaStatus) -> usize {
    p.sagas()
        .tracker()
        .instances()
        .iter()
        .filter(|s| s.style == style && s.status == status)
        .count()
}

/// Whether a deposits-per-window row differs online and in batch.
pub fn window_rows_differ(p: &Playground) -> bool {
    p.streaming()
        .differences(p.store())
        .iter()
        .any(|d| matches!(d.key.id, crate::readmodel::RowId::Window(_)))
}

/// The type of the event the inspector shows, if any.
pub fn inspected_type(p: &Playground) -> Option<String> {
    let at = p.inspected()?;
    let event = p.store().read_all(at).next()?;
    (event.position == at).then(|| event.event_type().to_owned())
}
