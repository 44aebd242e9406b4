//! The real app in headless Chromium, driven through DOM events as a user would.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn open_deposit_withdraw(root: &web_sys::Element) {
    type_into(&textbox(root, "Owner"), "Ada Lovelace").await;
    click(&button(root, "Open account")).await;
    type_into(&textbox(root, "Amount"), "100").await;
    click(&button(root, "Deposit")).await;
    type_into(&textbox(root, "Amount"), "30").await;
    click(&button(root, "Withdraw")).await;
}

fn balance(root: &web_sys::Element) -> String {
    text_of(&region(root, "Account state"))
}

#[wasm_bindgen_test]
async fn open_deposit_withdraw_shows_three_events_and_the_balance() {
    let root = mount().await;
    open_deposit_withdraw(&root).await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    let rows = items(&log(&root, "Event log"));
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[0].contains("AccountOpened") && rows[0].contains("#1") && rows[0].contains("v1"));
    assert!(rows[1].contains("MoneyDeposited") && rows[1].contains("amount: 100.00"));
    assert!(rows[2].contains("MoneyWithdrawn") && rows[2].contains("#3") && rows[2].contains("v3"));
    let state = balance(&root);
    assert!(state.contains("Balance 70.00 changed"), "{state}");
    assert!(state.contains("Owner Ada Lovelace"), "{state}");
    assert!(state.contains("Version v3"), "{state}");
    assert!(state.contains("replayed 3 events"), "{state}");
    assert_eq!(select(&root, "Account").value(), "account-1");
}

#[wasm_bindgen_test]
async fn a_bad_amount_shows_an_alert_and_appends_nothing() {
    let root = mount().await;
    open_deposit_withdraw(&root).await;
    type_into(&textbox(&root, "Amount"), "12.345").await;
    click(&button(&root, "Deposit")).await;
    let shown = alerts(&root);
    assert_eq!(shown.len(), 1);
    assert!(shown[0].contains("more than two decimals"), "{shown:?}");
    assert_eq!(items(&log(&root, "Event log")).len(), 3);
    assert!(balance(&root).contains("Balance 70.00"));

    type_into(&textbox(&root, "Amount"), "500").await;
    click(&button(&root, "Withdraw")).await;
    assert!(alerts(&root)[0]
        .contains("Insufficient funds: the balance is 70.00 but 500.00 was requested."));
    assert_eq!(items(&log(&root, "Event log")).len(), 3);
}

#[wasm_bindgen_test]
async fn moving_the_timeline_back_shows_the_earlier_balance_and_forward_returns_to_now() {
    let root = mount().await;
    open_deposit_withdraw(&root).await;
    let timeline = slider(&root, "Timeline");
    assert_eq!(timeline.value(), "3");
    assert!(text_of(&root).contains("position 3 of 3"));

    slide_to(&timeline, 2).await;
    assert!(
        balance(&root).contains("Balance 100.00"),
        "{}",
        balance(&root)
    );
    assert!(text_of(&root).contains("position 2 of 3"));
    let rows = items(&log(&root, "Event log"));
    assert!(rows[2].contains("in the future") && !rows[1].contains("in the future"));

    press(&timeline, "ArrowLeft").await;
    assert!(balance(&root).contains("Balance 0.00"));
    press(&timeline, "Home").await;
    assert!(balance(&root).contains("Status Not opened"));
    press(&timeline, "ArrowRight").await;
    assert!(text_of(&root).contains("position 1 of 3"));

    press(&timeline, "End").await;
    assert!(balance(&root).contains("Balance 70.00"));
    assert!(text_of(&root).contains("position 3 of 3"));
    assert_eq!(slider(&root, "Timeline").value(), "3");
}

#[wasm_bindgen_test]
async fn picking_an_event_shows_its_whole_envelope() {
    let root = mount().await;
    open_deposit_withdraw(&root).await;
    let entry = by_name(
        &root,
        "[role=log] li button",
        &items(&log(&root, "Event log"))[1],
    );
    click(&wasm_bindgen::JsCast::unchecked_into(entry)).await;
    let details = text_of(&region(&root, "Event details"));
    for expected in [
        "Event type MoneyDeposited",
        "Stream version v2",
        "Global position #2",
        "Schema version 1",
        "Correlation id",
        "Causation id",
        "Occurred at",
        "Recorded at",
    ] {
        assert!(
            details.contains(expected),
            "{expected} missing from {details}"
        );
    }
}

#[wasm_bindgen_test]
async fn owner_names_render_as_text_not_html() {
    let root = mount().await;
    type_into(&textbox(&root, "Owner"), "<img src=x onerror=alert(1)>").await;
    click(&button(&root, "Open account")).await;
    assert!(root.query_selector("img").expect("selector").is_none());
    assert!(balance(&root).contains("<img src=x onerror=alert(1)>"));
}

#[wasm_bindgen_test]
async fn the_log_renders_only_the_rows_in_view() {
    let root = mount().await;
    type_into(&textbox(&root, "Owner"), "Many").await;
    click(&button(&root, "Open account")).await;
    type_into(&textbox(&root, "Amount"), "1").await;
    let deposit = button(&root, "Deposit");
    for _ in 0..298 {
        deposit.click();
    }
    yew::scheduler::flush().await;
    assert!(text_of(&root).contains("299 events"));
    let rendered = items(&log(&root, "Event log"));
    assert!(rendered.len() < 40, "{} rows rendered", rendered.len());
    assert!(
        rendered.last().is_some_and(|r| r.contains("#299")),
        "the newest row is in view: {rendered:?}"
    );
    assert!(
        balance(&root).contains("rebuilt from snapshot v200 + 99 events"),
        "{}",
        balance(&root)
    );
}

#[wasm_bindgen_test]
async fn a_hundred_thousand_generated_events_scroll_with_only_the_visible_rows_rendered() {
    let root = mount().await;
    type_into(&textbox(&root, "Events to generate"), "100000").await;
    click(&button(&root, "Generate")).await;
    let finished = wait_until(120, || text_of(&root).contains("Generated 100,000 events")).await;
    assert!(finished, "generation did not finish: {}", text_of(&root));
    assert!(text_of(&root).contains("100,000 events"));
    assert!(text_of(&root).contains("position 100,000 of 100,000"));

    let log = log(&root, "Event log");
    let rows = items(&log);
    assert!(rows.len() < 40, "{} rows rendered", rows.len());
    assert!(
        rows.last().is_some_and(|r| r.starts_with("#100000 ")),
        "{rows:?}"
    );

    // Scroll to the middle: the rows around event 50,000 are drawn, and still only a screenful.
    let middle = (log.scroll_height() - log.client_height()) / 2;
    scroll_to(&log, middle).await;
    let rows = items(&log);
    assert!(rows.len() < 40, "{} rows rendered", rows.len());
    let positions: Vec<u64> = rows
        .iter()
        .filter_map(|r| {
            r.split_whitespace()
                .next()?
                .trim_start_matches('#')
                .parse()
                .ok()
        })
        .collect();
    assert!(
        positions.iter().any(|&p| (49_000..=51_000).contains(&p)),
        "{positions:?}"
    );

    // Time travel at this size still shows a state rebuilt from a snapshot.
    slide_to(&slider(&root, "Timeline"), 60_000).await;
    assert!(text_of(&root).contains("position 60,000 of 100,000"));
    let state = text_of(&region(&root, "Account state"));
    assert!(state.contains("as of position 60,000"), "{state}");
}

#[wasm_bindgen_test]
async fn a_bad_event_count_is_refused_with_a_message() {
    let root = mount().await;
    type_into(&textbox(&root, "Events to generate"), "2000000").await;
    click(&button(&root, "Generate")).await;
    let shown = alerts(&root);
    assert!(
        shown
            .iter()
            .any(|a| a.contains("whole number from 1 to 1,000,000")),
        "{shown:?}"
    );
    assert!(text_of(&root).contains("0 events"));
}

#[wasm_bindgen_test]
async fn a_panic_is_reported_in_a_visible_alert_banner() {
    playground::ui::show_panic_banner(
        "Something went wrong inside the playground and it stopped: test.",
    );
    let body = document().body().expect("body");
    let first = body.first_element_child().expect("banner first in body");
    assert_eq!(first.get_attribute("role").as_deref(), Some("alert"));
    assert!(text_of(&first).contains("Something went wrong inside the playground"));
    first.remove();
}

#[wasm_bindgen_test]
async fn duplicates_without_idempotency_differ_and_idempotent_replay_converges() {
    let root = mount().await;
    generate(&root, "2000").await;
    change_to(&textbox(&root, "Duplicate rate"), "30").await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    click(&button(&root, "Drain")).await;
    let differences = text_of(&region(&root, "Differences"));
    assert!(differences.contains("duplicate applied"), "{differences}");
    assert!(!text_of(&root).contains("Converged"));

    let idempotent = checkbox(&root, "Idempotent consumer");
    assert!(!idempotent.checked());
    click(&idempotent).await;
    assert!(checkbox(&root, "Idempotent consumer").checked());
    click(&button(&root, "Replay from start")).await;
    let online = text_of(&region(&root, "Online projection"));
    assert!(
        online.contains("Accounts open 0"),
        "online read models cleared: {online}"
    );
    click(&button(&root, "Drain")).await;
    assert!(
        text_of(&root).contains("Converged"),
        "{}",
        text_of(&region(&root, "Differences"))
    );
    assert!(text_of(&region(&root, "Differences")).contains("None"));
    let batch = text_of(&region(&root, "Batch projection"));
    let online = text_of(&region(&root, "Online projection"));
    let totals = |t: &str| {
        t.split("Top accounts")
            .next()
            .unwrap_or_default()
            .split("Accounts open")
            .nth(1)
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(totals(&online), totals(&batch));
}

#[wasm_bindgen_test]
async fn stepping_shows_lag_and_a_bad_setting_is_refused() {
    let root = mount().await;
    generate(&root, "500").await;
    change_to(&textbox(&root, "Delay"), "5").await;
    click(&button(&root, "Run batch")).await;
    assert!(text_of(&region(&root, "Batch projection")).contains("over positions 1–500"));
    click(&button(&root, "Step")).await;
    let partitions = text_of(&region(&root, "Partitions and consumers"));
    assert!(partitions.contains("Lag"), "{partitions}");
    assert!(text_of(&region(&root, "Differences")).contains("not yet delivered (lag"));

    change_to(&textbox(&root, "Partitions"), "99").await;
    let shown = alerts(&root);
    assert!(
        shown
            .iter()
            .any(|a| a.contains("Partitions must be a whole number from 1 to 16")),
        "{shown:?}"
    );
}
