//! The command panel: open accounts, pick one, move money, close it.

use super::app::Shared;
use crate::app::Action;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props: the shared playground.
#[derive(Properties, PartialEq)]
pub struct CommandPanelProps {
    /// The playground and its dispatcher.
    pub shared: Shared,
}

/// Text fields, the account select and the command buttons.
#[component]
pub fn CommandPanel(props: &CommandPanelProps) -> Html {
    let dispatch = &props.shared.dispatch;
    let p = props.shared.playground.borrow();
    let options = p.account_options();
    let selected = p.selected().map(|s| s.to_string());

    let on_owner = dispatch.reform(|e: InputEvent| {
        Action::EditOwner(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    let on_amount = dispatch.reform(|e: InputEvent| {
        Action::EditAmount(e.target_unchecked_into::<HtmlInputElement>().value())
    });
    let on_open = dispatch.reform(|e: SubmitEvent| {
        e.prevent_default();
        Action::OpenAccount
    });
    let on_select = dispatch.reform(|e: Event| {
        Action::SelectAccount(e.target_unchecked_into::<HtmlSelectElement>().value())
    });
    let on_amount_submit = dispatch.reform(|e: SubmitEvent| {
        e.prevent_default();
        Action::Deposit
    });
    let on_deposit = dispatch.reform(|_: MouseEvent| Action::Deposit);
    let on_withdraw = dispatch.reform(|_: MouseEvent| Action::Withdraw);
    let on_close = dispatch.reform(|_: MouseEvent| Action::CloseAccount);

    html! {
        <section class="panel" aria-labelledby="commands-heading">
            <h2 id="commands-heading">{ "Commands" }</h2>
            <form class="row" onsubmit={on_open}>
                <div class="field">
                    <label for="owner">{ "Owner" }</label>
                    <input id="owner" type="text" autocomplete="off" maxlength="200"
                        placeholder="e.g. Ada Lovelace" value={p.owner_input().to_owned()} oninput={on_owner} />
                </div>
                <button type="submit">{ "Open account" }</button>
            </form>
            <div class="row">
                <div class="field">
                    <label for="account">{ "Account" }</label>
                    <select id="account" onchange={on_select} disabled={options.is_empty()}>
                        if options.is_empty() {
                            <option value="" selected=true>{ "No accounts yet: open one above" }</option>
                        }
                        for option in options {
                            <option value={option.stream.to_string()} selected={selected.as_deref() == Some(option.stream.as_str())}>
                                { option.label.clone() }
                            </option>
                        }
                    </select>
                </div>
                <button type="button" class="secondary" onclick={on_close}>{ "Close account" }</button>
            </div>
            <form class="row" onsubmit={on_amount_submit}>
                <div class="field">
                    <label for="amount">{ "Amount" }</label>
                    <input id="amount" type="text" inputmode="decimal" autocomplete="off" maxlength="200"
                        placeholder="e.g. 12.34" aria-describedby="amount-hint"
                        value={p.amount_input().to_owned()} oninput={on_amount} />
                </div>
                <button type="button" onclick={on_deposit}>{ "Deposit" }</button>
                <button type="button" onclick={on_withdraw}>{ "Withdraw" }</button>
            </form>
            <p class="hint" id="amount-hint">{ "Amounts: up to 1,000,000.00 with at most two decimals, e.g. 12, 12.5 or 12.34. Press Enter in Amount to deposit." }</p>
        </section>
    }
}
