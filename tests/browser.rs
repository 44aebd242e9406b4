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
        rows.last().is_some_and(|r| r.starts_with("#100,000 ")),
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
                .replace(',', "")
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
    // And the log scrolls to the cursor's row.
    let rows = items(&log);
    assert!(rows.iter().any(|r| r.starts_with("#60,000 ")), "{rows:?}");
    let fraction = f64::from(log.scroll_top()) / f64::from(log.scroll_height());
    assert!((0.55..0.65).contains(&fraction), "scrolled to {fraction}");
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

async fn register(root: &web_sys::Element, name: &str, email: &str) {
    type_into(&textbox(root, "Name"), name).await;
    type_into(&textbox(root, "Email"), email).await;
    click(&button(root, "Register customer")).await;
}

#[wasm_bindgen_test]
async fn a_customer_places_an_order_and_the_query_side_lists_it_with_its_total() {
    let root = mount().await;
    click(&tab(&root, "Customers")).await;
    assert_eq!(
        tab(&root, "Customers")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    register(&root, "Ada Lovelace", "ada@example.com").await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    let state = text_of(&region(&root, "Customer state"));
    assert!(
        state.contains("Email ada@example.com") && state.contains("Status Active"),
        "{state}"
    );
    let rows = items(&log(&root, "Event log"));
    // The reservation's stream is named by the address's blind index, never the address.
    assert!(
        rows[0].contains("EmailReserved")
            && rows[0].contains("email-")
            && !rows[0].contains("ada@"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("CustomerRegistered") && rows[1].contains("customer-1"),
        "{rows:?}"
    );

    click(&tab(&root, "Orders")).await;
    assert_eq!(select(&root, "Customer").value(), "customer-1");
    click(&button(&root, "Start cart")).await;
    choose(&select(&root, "Product"), "TEA-01").await;
    type_into(&textbox(&root, "Quantity"), "2").await;
    click(&button(&root, "Add item")).await;
    choose(&select(&root, "Product"), "KET-06").await;
    type_into(&textbox(&root, "Quantity"), "1").await;
    click(&button(&root, "Add item")).await;
    click(&button(&root, "Place order")).await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    let order = text_of(&region(&root, "Order state"));
    assert!(
        order.contains("Status Placed") && order.contains("Total 48.99"),
        "{order}"
    );
    assert_eq!(table_rows(&table(&root, "Order lines")).len(), 2);

    choose(&select(&root, "Query"), "orders-of-customer").await;
    type_into(&textbox(&root, "Query parameter"), "customer-1").await;
    click(&button(&root, "Run query")).await;
    let result = table_rows(&table(&root, "Query result"));
    assert_eq!(
        result,
        vec![vec![
            "order-1".to_owned(),
            "Placed".into(),
            "3".into(),
            "48.99".into()
        ]]
    );
    let queries = text_of(&region(&root, "Queries"));
    assert!(
        queries.contains("read model at #6, log at #6: up to date"),
        "{queries}"
    );
}

#[wasm_bindgen_test]
async fn a_duplicate_email_is_refused_and_nothing_is_written() {
    let root = mount().await;
    click(&tab(&root, "Customers")).await;
    register(&root, "Ada Lovelace", "ada@example.com").await;
    register(&root, "Ada Impostor", "  ADA@Example.com ").await;
    let shown = alerts(&root);
    assert!(
        shown
            .iter()
            .any(|a| a
                .starts_with("Email already registered: ADA@Example.com belongs to customer-1")),
        "{shown:?}"
    );
    assert_eq!(
        items(&log(&root, "Event log")).len(),
        2,
        "only the first registration"
    );
    register(&root, "Bob", "not-an-email").await;
    assert!(alerts(&root).iter().any(|a| a.contains("has 0 @ signs")));
}

#[wasm_bindgen_test]
async fn the_second_clerk_gets_a_concurrency_conflict_and_retry_decides_again() {
    let root = mount().await;
    type_into(&textbox(&root, "Owner"), "Ada").await;
    click(&button(&root, "Open account")).await;
    type_into(&textbox(&root, "Amount"), "100").await;
    click(&button(&root, "Deposit")).await;
    let concurrency = || region(&root, "Concurrency");
    assert_eq!(select(&root, "Expected version").value(), "exact");
    click(&button(&root, "Clerk A loads")).await;
    click(&button(&root, "Clerk B loads")).await;
    assert!(text_of(&concurrency()).contains("Clerk B has account-1 at v2: balance 100.00."));
    type_into(&textbox(&root, "Clerk A amount"), "60").await;
    click(&button(&root, "Clerk A withdraws")).await;
    type_into(&textbox(&root, "Clerk B amount"), "60").await;
    click(&button(&root, "Clerk B withdraws")).await;
    let conflict = alerts(&concurrency());
    assert_eq!(conflict.len(), 1, "{conflict:?}");
    assert!(
        conflict[0].starts_with("Concurrency conflict: Clerk B loaded v2 but the stream is at v3. In between: #3 MoneyWithdrawn (amount: 60.00)"),
        "{conflict:?}"
    );
    assert_eq!(
        items(&log(&root, "Event log")).len(),
        3,
        "the refused write appended nothing"
    );
    click(&button(&root, "Retry")).await;
    let after = alerts(&concurrency());
    assert!(
        after[0].contains("Insufficient funds: the balance is 40.00 but 60.00 was requested."),
        "{after:?}"
    );
    assert!(text_of(&region(&root, "Account state")).contains("Balance 40.00"));
}

#[wasm_bindgen_test]
async fn the_domain_tabs_work_by_keyboard() {
    let root = mount().await;
    let bank = tab(&root, "Bank accounts");
    assert_eq!(bank.get_attribute("aria-selected").as_deref(), Some("true"));
    press(&bank, "ArrowRight").await;
    assert_eq!(
        tab(&root, "Customers")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    assert!(text_of(&root).contains("Customer state"));
    press(&tab(&root, "Customers"), "End").await;
    assert_eq!(
        tab(&root, "Shipping")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    assert!(text_of(&root).contains("Shipment state"));
    press(&tab(&root, "Shipping"), "ArrowRight").await;
    assert_eq!(
        tab(&root, "Bank accounts")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    assert!(text_of(&root).contains("Account state"));
}

#[wasm_bindgen_test]
async fn the_log_filters_by_type_and_stream_and_says_how_many_match() {
    let root = mount().await;
    open_deposit_withdraw(&root).await;
    click(&tab(&root, "Customers")).await;
    register(&root, "Grace", "grace@example.com").await;
    choose(&select(&root, "Event type"), "MoneyDeposited").await;
    let rows = items(&log(&root, "Event log"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(text_of(&root).contains("1 of 5 events match"));
    choose(&select(&root, "Event type"), "").await;
    change_to(&textbox(&root, "Stream"), "customer-").await;
    let rows = items(&log(&root, "Event log"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("CustomerRegistered"));
    change_to(&textbox(&root, "Stream"), "account 1").await;
    assert!(alerts(&root).iter().any(|a| a.contains("without spaces")));
    click(&button(&root, "Clear filters")).await;
    assert_eq!(items(&log(&root, "Event log")).len(), 5);
}

/// Registers a customer and places an order of `product` through the Orders panel.
async fn place_an_order(root: &web_sys::Element, product: &str) {
    click(&tab(root, "Customers")).await;
    register(root, "Grace Hopper", "grace@example.com").await;
    click(&tab(root, "Orders")).await;
    click(&button(root, "Start cart")).await;
    choose(&select(root, "Product"), product).await;
    type_into(&textbox(root, "Quantity"), "2").await;
    click(&button(root, "Add item")).await;
    click(&button(root, "Place order")).await;
    assert_eq!(alerts(root), Vec::<String>::new());
}

/// The cells of the saga instances table's rows.
fn saga_rows(root: &web_sys::Element) -> Vec<Vec<String>> {
    table_rows(&by_name(root, "table", "Saga instances"))
        .into_iter()
        .filter(|cells| cells.len() == 6)
        .collect()
}

/// The lines of "Saga steps", each "mark step detail" (lower case: the mark is shown in capitals).
fn saga_steps(root: &web_sys::Element) -> Vec<String> {
    items(&by_name(root, "ol", "Saga steps"))
        .into_iter()
        .map(|line| line.to_lowercase())
        .collect()
}

#[wasm_bindgen_test]
async fn a_placed_order_drains_to_completed_and_its_steps_are_listed() {
    let root = mount().await;
    place_an_order(&root, "TEA-01").await;
    let rows = saga_rows(&root);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "order-1");
    assert_eq!(rows[0][1], "Orchestration");
    assert_eq!(rows[0][2], "Running");
    click(&button(&root, "Drain")).await;
    let rows = saga_rows(&root);
    assert_eq!(rows[0][2], "Completed", "{rows:?}");
    click(&button(&root, "order-1")).await;
    let steps = saga_steps(&root);
    for step in [
        "done reserve stock",
        "done authorise payment",
        "done schedule shipment",
        "done capture payment",
        "done complete order",
    ] {
        assert!(
            steps.iter().any(|s| s.starts_with(step)),
            "no {step:?} in {steps:?}"
        );
    }
    assert!(
        !steps.iter().any(|s| s.starts_with("remaining")),
        "{steps:?}"
    );
    let process = text_of(&region(&root, "Process manager state"));
    assert!(process.contains("Phase Completed"), "{process}");
    let order = text_of(&region(&root, "Order state"));
    assert!(order.contains("Status Completed"), "{order}");
}

#[wasm_bindgen_test]
async fn a_declined_payment_is_compensated_and_the_causation_graph_shows_the_chain() {
    let root = mount().await;
    change_to(&textbox(&root, "Payment decline rate"), "100").await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    place_an_order(&root, "KET-06").await;
    click(&button(&root, "Drain")).await;
    assert_eq!(saga_rows(&root)[0][2], "Compensated");
    click(&button(&root, "order-1")).await;
    let steps = saga_steps(&root);
    assert!(
        steps
            .iter()
            .any(|s| s.starts_with("failed authorise payment")),
        "{steps:?}"
    );
    for step in ["compensation release stock", "compensation cancel order"] {
        assert!(
            steps.iter().any(|s| s.starts_with(step)),
            "no {step:?} in {steps:?}"
        );
    }
    let graph = region(&root, "Causation graph");
    let nodes: Vec<String> = {
        let list = graph.query_selector_all("[role=button]").expect("nodes");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            .map(|n| n.get_attribute("aria-label").unwrap_or_default())
            .collect()
    };
    let position_of = |needle: &str| {
        nodes
            .iter()
            .position(|n| n.contains(needle))
            .unwrap_or_else(|| panic!("no node {needle:?} in {nodes:?}"))
    };
    // The chain, in causal order: the order placed, its stock reserved, the payment declined,
    // then the compensation.
    let chain = [
        position_of("Place order"),
        position_of("OrderPlaced"),
        position_of("StockReserved"),
        position_of("PaymentDeclined"),
        position_of("StockReleased"),
        position_of("OrderCancelled"),
    ];
    assert!(chain.windows(2).all(|w| w[0] < w[1]), "{nodes:?}");
    // A node is a button that selects its event.
    let declined = graph.query_selector_all("[role=button]").expect("nodes");
    let node: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(
        declined
            .item(chain[3] as u32)
            .expect("the PaymentDeclined node"),
    );
    click_element(&node).await;
    let details = text_of(&region(&root, "Event details"));
    assert!(details.contains("Event type PaymentDeclined"), "{details}");
}

#[wasm_bindgen_test]
async fn a_bad_saga_setting_is_refused_and_changes_nothing() {
    let root = mount().await;
    change_to(&textbox(&root, "Saga timeout"), "0").await;
    let alert = alerts(&root).join(" ");
    assert!(
        alert.contains("Saga timeout must be a whole number from 1 to 10,000"),
        "{alert}"
    );
    assert_eq!(textbox(&root, "Saga timeout").value(), "40");
}

#[wasm_bindgen_test]
async fn the_saga_instances_table_draws_only_the_rows_in_view_and_graph_nodes_work_by_keyboard() {
    let root = mount().await;
    generate(&root, "20000").await;
    let table = by_name(&root, "table", "Saga instances");
    let sagas: usize = table
        .get_attribute("aria-rowcount")
        .and_then(|n| n.parse().ok())
        .expect("a row count");
    assert!(sagas > 100, "the generated orders started sagas: {sagas}");
    let drawn = saga_rows(&root).len();
    assert!(
        drawn < 40,
        "only the rows in view are drawn: {drawn} of {sagas}"
    );
    // Scrolled to the end, the last saga is drawn.
    open_section(&root, "Sagas").await;
    let scroller = root
        .query_selector(".saga-scroller")
        .ok()
        .flatten()
        .expect("the table's scroller");
    scroll_to(&scroller, scroller.scroll_height()).await;
    let indices: Vec<usize> = {
        let list = table
            .query_selector_all("tbody tr[aria-rowindex]")
            .expect("rows");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            .filter_map(|r| r.get_attribute("aria-rowindex")?.parse().ok())
            .collect()
    };
    assert_eq!(
        indices.last(),
        Some(&sagas),
        "the last saga's row is drawn: {indices:?}"
    );
    let last = saga_rows(&root)
        .last()
        .map(|r| r[0].clone())
        .expect("a last row");
    // A graph node is a button: Enter on it selects its event.
    click(&button(&root, &last)).await;
    let graph = region(&root, "Causation graph");
    let node = graph
        .query_selector("[role=button][aria-label*=OrderPlaced]")
        .ok()
        .flatten()
        .expect("the OrderPlaced node");
    press(&node, "Enter").await;
    let details = text_of(&region(&root, "Event details"));
    assert!(details.contains("Event type OrderPlaced"), "{details}");
    // "Show saga" for the first saga, far above the rows in view, scrolls the table to it.
    let first = {
        let t = by_name(&root, "table", "Saga instances");
        scroll_to(&scroller, 0).await;
        let rows = saga_rows(&root);
        let name = rows.first().map(|r| r[0].clone()).expect("a first row");
        scroll_to(&scroller, scroller.scroll_height()).await;
        assert!(
            !saga_rows(&root).iter().any(|r| r[0] == name),
            "scrolled away from {name}: {:?}",
            t.get_attribute("aria-rowcount")
        );
        name
    };
    type_into(&textbox(&root, "Saga of order"), &first).await;
    click(&button(&root, "Show saga")).await;
    let selected = table
        .query_selector("tbody tr[aria-selected=true]")
        .ok()
        .flatten()
        .map(|r| text_of(&r))
        .unwrap_or_default();
    assert!(
        selected.contains(&first),
        "the selected saga's row is drawn: {selected:?}"
    );
    // And it is where the table is scrolled to: the first row, at the top.
    assert_eq!(
        scroller.scroll_top(),
        0,
        "the table scrolled back to the top"
    );
    root.remove();
    clear_hash();
}

#[wasm_bindgen_test]
async fn poison_events_are_cleared_by_skip_and_differences_name_them() {
    let root = mount().await;
    generate(&root, "2000").await;
    choose(&select(&root, "Failure mode"), "poison").await;
    change_to(&textbox(&root, "Failure rate"), "5").await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    click(&button(&root, "Drain")).await;
    let queue = region(&root, "Dead-letter queue");
    let entries = items(&by_name(&root, "ul", "Dead-letter queue"));
    assert!(!entries.is_empty());
    assert!(
        text_of(&queue).contains("poison event"),
        "{}",
        text_of(&queue)
    );
    assert!(text_of(&region(&root, "Differences")).contains("parked in the dead-letter queue"));

    // Retry cannot help a poison event: it is parked again.
    let first = entries[0]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let listed = |root: &web_sys::Element| {
        items(&by_name(root, "ul", "Dead-letter queue"))
            .iter()
            .any(|i| i.starts_with(&format!("{first} ")))
    };
    click(&button(&root, &format!("Retry {first}"))).await;
    click(&button(&root, "Drain")).await;
    assert!(listed(&root));

    click(&button(&root, &format!("Skip {first}"))).await;
    assert!(!listed(&root));
    click(&button(&root, "Skip all")).await;
    click(&button(&root, "Drain")).await;
    assert!(text_of(&region(&root, "Dead-letter queue")).contains("Empty."));
    let differences = text_of(&region(&root, "Differences"));
    assert!(
        differences.contains("skipped from the dead-letter queue"),
        "{differences}"
    );
    assert!(!differences.contains("parked in the dead-letter queue"));
}

#[wasm_bindgen_test]
async fn after_an_outage_retry_all_converges() {
    let root = mount().await;
    generate(&root, "2000").await;
    click(&checkbox(&root, "Order-preserving dead-letter queue")).await;
    change_to(&textbox(&root, "Allowed lateness"), "720").await;
    click(&button(&root, "Replay from start")).await;
    change_to(&textbox(&root, "Outage ticks"), "5").await;
    choose(&select(&root, "Failure mode"), "outage").await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    click(&button(&root, "Drain")).await;
    let queue = text_of(&region(&root, "Dead-letter queue"));
    assert!(
        queue.contains("outage: every attempt fails until tick"),
        "{queue}"
    );
    assert!(!text_of(&root).contains("Converged"));
    click(&button(&root, "Retry all")).await;
    click(&button(&root, "Drain")).await;
    assert!(text_of(&region(&root, "Dead-letter queue")).contains("Empty."));
    assert!(
        text_of(&root).contains("Converged"),
        "{}",
        text_of(&region(&root, "Differences"))
    );
}

#[wasm_bindgen_test]
async fn a_bad_failure_setting_is_refused_and_changes_nothing() {
    let root = mount().await;
    change_to(&textbox(&root, "Outage ticks"), "0").await;
    let shown = alerts(&root);
    assert!(
        shown
            .iter()
            .any(|a| a.contains("Outage ticks must be a whole number from 1 to 10,000")),
        "{shown:?}"
    );
    assert_eq!(select(&root, "Failure mode").value(), "random");
}

#[wasm_bindgen_test]
async fn the_metrics_follow_the_ticks_and_an_alert_holds_while_its_condition_does() {
    let root = mount().await;
    generate(&root, "3000").await;
    change_to(&textbox(&root, "Lag alert above"), "500").await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    assert!(text_of(&region(&root, "Alerts")).contains("No alert holds."));
    click(&button(&root, "Step")).await;
    let metrics = text_of(&region(&root, "Metrics"));
    assert!(metrics.contains("Records delivered per tick"), "{metrics}");
    assert!(metrics.contains("Consumer lag: read-models"), "{metrics}");
    assert!(metrics.contains("Event types: "), "{metrics}");
    let holding = items(&by_name(&root, "ul", "Active alerts"));
    assert!(
        holding
            .iter()
            .any(|a| a.starts_with("warning: consumer lag of read-models is")),
        "{holding:?}"
    );
    click(&button(&root, "Drain")).await;
    assert!(text_of(&region(&root, "Alerts")).contains("No alert holds."));

    change_to(&textbox(&root, "Error rate alert above"), "200").await;
    let shown = alerts(&root);
    assert!(
        shown
            .iter()
            .any(|a| a.contains("Error rate alert above must be a whole number from 0 to 100")),
        "{shown:?}"
    );
    assert_eq!(textbox(&root, "Error rate alert above").value(), "1");
}

#[wasm_bindgen_test]
async fn a_queue_refuses_replay_from_start_with_the_reason() {
    let root = mount().await;
    generate(&root, "1000").await;
    choose(&select(&root, "Broker model"), "queue").await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    let panel = text_of(&region(&root, "Partitions and consumers"));
    assert!(panel.contains("Ready (queue depth)"), "{panel}");
    click(&button(&root, "Step")).await;
    click(&button(&root, "Replay from start")).await;
    let shown = alerts(&root);
    assert!(
        shown
            .iter()
            .any(|a| a.contains("Replay from start needs a log: a queue keeps no history")),
        "{shown:?}"
    );
    assert!(text_of(&region(&root, "Online projection")).contains("Tick 1:"));
    click(&button(&root, "Drain")).await;
    assert!(text_of(&root).contains("Converged"));
}

#[wasm_bindgen_test]
async fn the_high_value_topic_lists_exactly_the_orders_above_the_threshold() {
    let root = mount().await;
    // order-1: 2 mugs, 16.00; order-2: 2 teas, 9.00 (placed by the same customer).
    place_an_order(&root, "MUG-03").await;
    click(&button(&root, "Start cart")).await;
    choose(&select(&root, "Product"), "TEA-01").await;
    type_into(&textbox(&root, "Quantity"), "2").await;
    click(&button(&root, "Add item")).await;
    click(&button(&root, "Place order")).await;
    change_to(&textbox(&root, "High-value threshold"), "10").await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    click(&button(&root, "Drain")).await;
    choose(&select(&root, "Derived topic"), "high-value-orders").await;
    let listed = items(&by_name(&root, "ol", "Records of high-value-orders"));
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert!(listed[0].contains("order-1 · 16.00"), "{listed:?}");
    choose(&select(&root, "Derived topic"), "order-enriched").await;
    let enriched = items(&by_name(&root, "ol", "Records of order-enriched"));
    assert_eq!(enriched.len(), 2, "{enriched:?}");
    assert!(
        enriched
            .iter()
            .all(|r| r.contains("Grace Hopper · personal")),
        "{enriched:?}"
    );
    let topology = text_of(&region(&root, "Topology"));
    assert!(topology.contains("high-value-orders"), "{topology}");

    change_to(&textbox(&root, "Summary every"), "0").await;
    let shown = alerts(&root);
    assert!(
        shown
            .iter()
            .any(|a| a.contains("Summary every must be a whole number from 1 to 1,000")),
        "{shown:?}"
    );
}

#[wasm_bindgen_test]
async fn a_deployed_version_is_written_from_then_on_and_the_log_shows_both_as_stored() {
    let root = mount().await;
    type_into(&textbox(&root, "Owner"), "Ada").await;
    click(&button(&root, "Open account")).await;
    type_into(&textbox(&root, "Amount"), "100").await;
    click(&button(&root, "Deposit")).await;
    let deploy = button(&root, "Deploy next version of MoneyDeposited");
    click(&deploy).await;
    click(&deploy).await;
    assert!(deploy.has_attribute("disabled"), "v3 is the latest");
    choose(&select(&root, "Channel"), "atm").await;
    type_into(&textbox(&root, "Amount"), "5").await;
    click(&button(&root, "Deposit")).await;
    assert_eq!(alerts(&root), Vec::<String>::new());

    let rows = items(&log(&root, "Event log"));
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows[1].contains("v1") && rows[1].contains("channel: unknown"),
        "{rows:?}"
    );
    assert!(
        rows[2].contains("v3") && rows[2].contains("channel: atm"),
        "{rows:?}"
    );
    let versions = text_of(&table(&root, "Evolving event types"));
    assert!(
        versions.contains("MoneyDeposited Bank accounts v3 of v3"),
        "{versions}"
    );

    let stored = checkbox(&root, "Show events as stored");
    click(&stored).await;
    let rows = items(&log(&root, "Event log"));
    assert!(rows[1].contains(r#"{"amount": 10000}"#), "{rows:?}");
    assert!(
        rows[2].contains(r#"{"amount": 500, "currency": "EUR", "channel": "atm"}"#),
        "{rows:?}"
    );

    let entry = by_name(&root, "[role=log] li button", &rows[1]);
    click(&wasm_bindgen::JsCast::unchecked_into(entry)).await;
    let details = region(&root, "Event details");
    let pre = |name: &str| text_of(&by_name(&details, "pre", name));
    // (Text as read with its whitespace collapsed.)
    assert_eq!(pre("Payload as stored"), r#"{ "amount": 10000 }"#);
    assert!(pre("Payload as upcast").contains("\"channel\": \"unknown\""));
    let steps = items(&by_name(&details, "ol", "Upcaster steps"));
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(steps[1].contains("v2 → v3: add_channel") && steps[1].contains("Lossy"));
}

#[wasm_bindgen_test]
async fn a_forgotten_customers_name_and_email_are_nowhere_on_the_page() {
    let root = mount().await;
    click(&tab(&root, "Customers")).await;
    register(&root, "Augusta Byron", "countess.augusta@example.org").await;
    click(&button(&root, "Forget customer")).await;
    let confirm = text_of(&root);
    assert!(confirm.contains("Forget customer-1 for good?"), "{confirm}");
    click(&button(&root, "Keep them")).await;
    assert!(text_of(&root).contains("Augusta Byron"));
    click(&button(&root, "Forget customer")).await;
    click(&button(&root, "Forget them for good")).await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    assert_eq!(
        items(&log(&root, "Event log")).len(),
        2,
        "no event added or removed"
    );
    let page = text_of(&root);
    for secret in ["Augusta", "Byron", "countess.augusta"] {
        assert!(!page.contains(secret), "{secret} is still on the page");
    }
    assert!(page.contains("[forgotten]"));
    let stored = checkbox(&root, "Show events as stored");
    click(&stored).await;
    let rows = items(&log(&root, "Event log"));
    assert!(rows[1].contains(r#"{"name": "enc:"#), "{rows:?}");
    assert!(!text_of(&root).contains("Augusta"));
}

#[wasm_bindgen_test]
async fn an_exported_log_imported_through_the_file_input_restores_the_page() {
    use playground::app::{Action, Playground};
    use std::rc::Rc;
    // What a teacher's page exported: an account with a deposit and a withdrawal.
    let mut theirs = Playground::new(
        Rc::new(playground::kernel::ManualClock::starting_2026()),
        11,
    );
    theirs.dispatch(Action::edit("bank", "owner", "Ada Lovelace"));
    theirs.dispatch(Action::press("bank", "open"));
    theirs.dispatch(Action::edit("bank", "amount", "100"));
    theirs.dispatch(Action::press("bank", "deposit"));
    theirs.dispatch(Action::edit("bank", "amount", "30"));
    theirs.dispatch(Action::press("bank", "withdraw"));
    assert_eq!((theirs.head(), theirs.alert()), (3, None));
    let file = theirs.export_all().text();

    let root = mount().await;
    let input: web_sys::HtmlInputElement =
        wasm_bindgen::JsCast::unchecked_into(by_name(&root, "input[type=file]", "Import events"));
    // A hostile file first: refused with what is wrong, nothing imported.
    choose_file(&input, "bad.json", "[{\"specversion\": \"2.0\"}]").await;
    assert!(
        wait_until(10, || !alerts(&root).is_empty()).await,
        "no message for a bad file"
    );
    let alert = alerts(&root).join(" ");
    assert!(
        alert.contains(
            "Nothing was imported: event 1 of the file, “specversion”: “2.0” is not supported"
        ),
        "{alert}"
    );
    assert_eq!(items(&log(&root, "Event log")).len(), 0);
    // The exported file: the page holds no events, so it is restored at once.
    choose_file(&input, "ada.json", &file).await;
    assert!(
        wait_until(10, || text_of(&root)
            .contains("Imported 3 events in 1 stream from “ada.json”"))
        .await,
        "{}",
        text_of(&root)
    );
    assert_eq!(alerts(&root), Vec::<String>::new());
    let rows = items(&log(&root, "Event log"));
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[2].contains("MoneyWithdrawn"), "{rows:?}");
    assert!(balance(&root).contains("70.00"), "{}", balance(&root));
}

fn kept_summary(root: &web_sys::Element) -> String {
    root.query_selector("#kept-summary")
        .ok()
        .flatten()
        .and_then(|s| s.text_content())
        .unwrap_or_default()
}

/// Waits until the Keep and share panel says `summary` (a save was confirmed by the browser).
async fn wait_for_summary(root: &web_sys::Element, summary: &str) {
    assert!(
        wait_until(10, || kept_summary(root) == summary).await,
        "{}",
        kept_summary(root)
    );
}

#[wasm_bindgen_test]
async fn a_playground_kept_in_indexeddb_is_intact_after_a_remount() {
    let name = format!("es-playground-remount-{}", js_sys::Math::random());
    let first = mount_kept(&name).await;
    open_deposit_withdraw(&first).await;
    click(&tab(&first, "Customers")).await;
    wait_for_summary(&first, "Saved in this browser: 3 events.").await;
    let rows = items(&log(&first, "Event log"));
    first.remove();

    // The page is mounted again over the same database: everything is back, nothing redone.
    let second = mount_kept(&name).await;
    assert!(
        text_of(&second).contains("Restored 3 events in 1 stream from this browser."),
        "{}",
        text_of(&second)
    );
    assert_eq!(alerts(&second), Vec::<String>::new());
    assert_eq!(items(&log(&second, "Event log")), rows);
    assert_eq!(
        tab(&second, "Customers")
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    click(&tab(&second, "Bank accounts")).await;
    assert!(balance(&second).contains("70.00"), "{}", balance(&second));
    assert_eq!(kept_summary(&second), "Saved in this browser: 3 events.");
    // It goes on working and saving.
    type_into(&textbox(&second, "Amount"), "5").await;
    click(&button(&second, "Deposit")).await;
    wait_for_summary(&second, "Saved in this browser: 4 events.").await;
    second.remove();
}

#[wasm_bindgen_test]
async fn a_corrupted_stored_record_gives_the_banner_and_a_working_page() {
    use playground::ui::storage;
    let name = format!("es-playground-corrupt-{}", js_sys::Math::random());
    let first = mount_kept(&name).await;
    open_deposit_withdraw(&first).await;
    wait_for_summary(&first, "Saved in this browser: 3 events.").await;
    first.remove();
    // A byte of the stored log changes behind the page's back.
    let db = storage::open(&name).await.expect("the database opens");
    let kept = storage::load(&db)
        .await
        .expect("it loads")
        .expect("it holds the log");
    let mut batch = kept.batches[0].1 .0.to_vec();
    let middle = batch.len() / 2;
    batch[middle] ^= 0x20;
    let work = playground::app::SaveWork {
        ticket: 0,
        clear: false,
        batches: vec![(0, batch)],
        meta: kept.meta.0.to_vec(),
    };
    storage::write(&db, &work).await.expect("written");
    db.close();

    let root = mount_kept(&name).await;
    let banner = alerts(&root).join(" ");
    assert!(
        banner.contains("What this browser kept is damaged: batch 1 of the log (events 1–3) does not match its checksum."),
        "{banner}"
    );
    assert!(banner.contains("Reset playground"), "{banner}");
    assert_eq!(items(&log(&root, "Event log")).len(), 0);
    assert!(
        kept_summary(&root).starts_with("Not saving"),
        "{}",
        kept_summary(&root)
    );
    // The page works in memory.
    type_into(&textbox(&root, "Owner"), "Grace").await;
    click(&button(&root, "Open account")).await;
    assert_eq!(items(&log(&root, "Event log")).len(), 1);
    // Reset asks first, then clears what was kept, and saving starts again.
    click(&button(&root, "Reset playground")).await;
    click(&button(&root, "Keep my work")).await;
    assert_eq!(items(&log(&root, "Event log")).len(), 1);
    click(&button(&root, "Reset playground")).await;
    click(&button(&root, "Clear and start over")).await;
    assert_eq!(items(&log(&root, "Event log")).len(), 0);
    assert_eq!(alerts(&root), Vec::<String>::new());
    type_into(&textbox(&root, "Owner"), "Grace").await;
    click(&button(&root, "Open account")).await;
    wait_for_summary(&root, "Saved in this browser: 1 event.").await;
    root.remove();
}

/// Puts `fragment` in the page's address without telling anyone (no hashchange), as opening a link
/// does before the app starts.
fn set_address_fragment(fragment: &str) {
    let window = web_sys::window().expect("a window");
    let path = window.location().pathname().expect("a path");
    window
        .history()
        .expect("a history")
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}#{fragment}")),
        )
        .expect("the address changes");
}

#[wasm_bindgen_test]
async fn a_share_link_opened_in_a_new_page_rebuilds_the_same_log() {
    let first = mount().await;
    open_deposit_withdraw(&first).await;
    click(&button(&first, "Copy share link")).await;
    let link = textbox(&first, "Share link").value();
    let rows = items(&log(&first, "Event log"));
    first.remove();
    let (_, fragment) = link.split_once('#').expect("the link has a fragment");
    assert!(fragment.starts_with("share=1."), "{link}");

    set_address_fragment(fragment);
    let second = mount_opening_links().await;
    let opened = wait_until(20, || {
        text_of(&second).contains("Opened a shared scenario: 3 actions")
    })
    .await;
    assert!(opened, "{}", text_of(&second));
    assert_eq!(items(&log(&second, "Event log")), rows);
    assert!(balance(&second).contains("70.00"), "{}", balance(&second));
    // The link was taken out of the address: a reload shows what the browser keeps.
    let hash = web_sys::window()
        .expect("a window")
        .location()
        .hash()
        .expect("a hash");
    assert_eq!(hash, "");
    second.remove();

    // A broken link: its reason, and a page that works.
    set_address_fragment("share=1.AAAA*AAAA");
    let third = mount_opening_links().await;
    let refused = wait_until(10, || {
        alerts(&third)
            .iter()
            .any(|a| a.contains("This share link is damaged: character 5 (“*”)"))
    })
    .await;
    assert!(refused, "{:?}", alerts(&third));
    assert_eq!(items(&log(&third, "Event log")).len(), 0);
    open_deposit_withdraw(&third).await;
    assert_eq!(items(&log(&third, "Event log")).len(), 3);
    third.remove();
}

#[wasm_bindgen_test]
async fn branch_here_forks_at_the_timeline_and_the_comparison_shows_both() {
    let root = mount().await;
    open_deposit_withdraw(&root).await;
    slide_to(&slider(&root, "Timeline"), 2).await;
    click(&button(&root, "Branch here")).await;
    assert_eq!(alerts(&root), Vec::<String>::new());
    assert_eq!(select(&root, "Branch").value(), "what-if 1");
    assert_eq!(items(&log(&root, "Event log")).len(), 2);
    type_into(&textbox(&root, "Amount"), "5").await;
    click(&button(&root, "Deposit")).await;
    let comparison = region(&root, "Branch comparison");
    let text = text_of(&comparison);
    assert!(
        text.contains("After that, main has 1 event and what-if 1 has 1 event."),
        "{text}"
    );
    let state = table(&comparison, "account-1 in main and in what-if 1");
    let balance_row = table_rows_with_headers(&state)
        .into_iter()
        .find(|r| r[0] == "Balance")
        .expect("a balance row");
    assert!(
        balance_row[1].starts_with("70.00") && balance_row[2].starts_with("105.00"),
        "{balance_row:?}"
    );
    assert_eq!(balance_row[3], "yes");
    // Main is as it was.
    choose(&select(&root, "Branch"), "main").await;
    assert_eq!(items(&log(&root, "Event log")).len(), 3);
    assert!(root
        .query_selector("[aria-label='Branch comparison']")
        .ok()
        .flatten()
        .is_none());
    root.remove();
}

/// The page's address fragment.
fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Takes the fragment out of the address, as the tests found it.
fn clear_hash() {
    let window = web_sys::window().expect("a window");
    let path = window.location().pathname().unwrap_or_default();
    let _ = window.history().expect("history").replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some(&path),
    );
}

fn shown_heading(root: &web_sys::Element) -> web_sys::Element {
    root.query_selector("#section-heading")
        .ok()
        .flatten()
        .expect("the section's heading")
}

#[wasm_bindgen_test]
async fn sections_are_links_with_the_address_shortcuts_and_the_back_button() {
    clear_hash();
    let root = mount().await;
    let nav = by_name(&root, "nav", "Sections");
    let names: Vec<String> = items_of_links(&nav);
    for name in [
        "Event store",
        "Queries",
        "Concurrency",
        "Online vs batch",
        "Messaging",
        "Sagas",
        "Schema evolution",
        "Branches",
        "Lessons",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    assert_eq!(text_of(&shown_heading(&root)), "Event store");
    // A link to a section: the address names it, its panels show, focus lands on its heading.
    let queries = by_name(&nav, "a", "Queries");
    click(wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(
        &queries,
    ))
    .await;
    assert!(wait_until(5, || text_of(&shown_heading(&root)) == "Queries").await);
    assert_eq!(hash(), "#queries");
    assert_eq!(
        queries.get_attribute("aria-current").as_deref(),
        Some("page")
    );
    assert!(
        !is_hidden(&region(&root, "Queries")),
        "the Queries region shows"
    );
    assert!(
        is_hidden(&log(&root, "Event log")),
        "the log belongs to other sections"
    );
    assert!(
        !is_hidden(&slider(&root, "Timeline")),
        "the timeline shows everywhere"
    );
    assert_eq!(
        document().active_element().map(|e| e.id()),
        Some("section-heading".to_owned())
    );
    // A shortcut key.
    press(&document().body().expect("a body"), "s").await;
    assert!(wait_until(5, || text_of(&shown_heading(&root)) == "Sagas").await);
    assert_eq!(hash(), "#sagas");
    // "?" lists the shortcuts.
    press(&document().body().expect("a body"), "?").await;
    let dialog = by_name(&root, "[role='dialog']", "Keyboard shortcuts");
    assert!(text_of(&dialog).contains("Go to Online vs batch"));
    press(&document().body().expect("a body"), "Escape").await;
    assert!(root
        .query_selector("[role='dialog']")
        .ok()
        .flatten()
        .is_none());
    // Typing in a field is not a shortcut.
    press(&textbox(&root, "Owner"), "q").await;
    assert_eq!(hash(), "#sagas");
    // Back returns to the previous section.
    web_sys::window()
        .expect("window")
        .history()
        .expect("history")
        .back()
        .expect("back");
    assert!(wait_until(5, || text_of(&shown_heading(&root)) == "Queries").await);
    root.remove();
    clear_hash();
}

fn items_of_links(nav: &web_sys::Element) -> Vec<String> {
    let links = nav.query_selector_all("a").expect("links");
    (0..links.length())
        .filter_map(|i| links.item(i))
        .filter_map(|n| n.text_content())
        .collect()
}

fn is_hidden(el: &web_sys::Element) -> bool {
    use wasm_bindgen::JsCast;
    el.dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|e| e.offset_parent().is_none())
}

#[wasm_bindgen_test]
async fn the_theme_select_themes_the_page_and_is_remembered() {
    let root = mount().await;
    let theme = select(&root, "Theme");
    assert_eq!(theme.value(), "light");
    choose(&theme, "dark").await;
    let html = document().document_element().expect("html");
    assert!(
        wait_until(5, || html.get_attribute("data-theme").as_deref()
            == Some("dark"))
        .await
    );
    let again = mount().await;
    assert_eq!(select(&again, "Theme").value(), "dark", "remembered");
    choose(&select(&again, "Theme"), "light").await;
    root.remove();
    again.remove();
}

#[wasm_bindgen_test]
async fn a_lesson_starts_its_scenario_and_ticks_each_step_as_the_playground_shows_it() {
    clear_hash();
    let root = mount().await;
    open_deposit_withdraw(&root).await;
    let lessons = region(&root, "Lessons");
    click_element(&by_name(
        &lessons,
        "button",
        "1. Events vs state 0 of 4 steps done",
    ))
    .await;
    click(&button(&root, "Start lesson")).await;
    // The page holds events: it asks first, naming the lesson.
    let question = text_of(
        &root
            .query_selector("#open-question")
            .ok()
            .flatten()
            .expect("a question"),
    );
    assert!(
        question.contains("the lesson “Events vs state”"),
        "{question}"
    );
    click(&button(&root, "Open the scenario")).await;
    assert!(
        wait_until(10, || items(&log(&root, "Event log")).is_empty()
            && text_of(&lessons).contains("In progress: 0 of 4 steps done"))
        .await,
        "{}",
        text_of(&lessons)
    );
    assert_eq!(hash(), "#event-store", "the lesson's section opens");
    let bar = by_name(&root, "aside", "Current lesson");
    assert!(
        text_of(&bar).contains("Events vs state: step 1 of 4."),
        "{}",
        text_of(&bar)
    );
    click_element(&by_name(&bar, "button", "Show hint")).await;
    assert!(text_of(&by_name(&root, "aside", "Current lesson")).contains("The Owner field"));
    // Doing what step 1 says ticks it; nothing else is ticked.
    type_into(&textbox(&root, "Owner"), "Ada").await;
    click(&button(&root, "Open account")).await;
    let steps = lessons.query_selector_all(".lesson-step").expect("steps");
    let class = |i: u32| {
        steps
            .item(i)
            .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            .map(|e| e.class_name())
            .unwrap_or_default()
    };
    assert!(class(0).contains("done"), "{}", class(0));
    assert!(class(1).contains("current"), "{}", class(1));
    assert!(text_of(&by_name(&root, "aside", "Current lesson")).contains("step 2 of 4"));
    assert!(text_of(&lessons).contains("1. Events vs state 1 of 4 steps done"));
    root.remove();
    clear_hash();
}

/// The code in "Generated test" within `area`, once the page shows one.
fn generated_test(area: &web_sys::Element) -> String {
    let found: web_sys::HtmlTextAreaElement =
        wasm_bindgen::JsCast::unchecked_into(by_name(area, "textarea", "Generated test"));
    found.value()
}

/// Presses "Copy as test" in `area` and waits until the browser answered the copy.
async fn copy_as_test(area: &web_sys::Element) -> String {
    click(&button(area, "Copy as test")).await;
    let note = || text_of(area);
    assert!(
        wait_until(5, || !note().contains("copying it to the clipboard")).await,
        "the clipboard answers"
    );
    generated_test(area)
}

#[wasm_bindgen_test]
async fn copy_as_test_writes_the_last_command_as_of_the_timeline_and_the_process_managers_decision()
{
    let root = mount().await;
    open_deposit_withdraw(&root).await;
    let account = region(&root, "Account state");
    let code = copy_as_test(&account).await;
    assert!(code.contains("fn account_1_withdraw() {"), "{code}");
    assert!(code.contains("given::<Account>(["), "{code}");
    assert!(
        code.contains(
            "    .when(AccountCommand::Withdraw {\n        amount: Money::from_cents(3000),\n    })\n"
        ),
        "{code}"
    );
    assert!(
        code.contains(
            "    .then([\n        AccountEvent::MoneyWithdrawn {\n            amount: Money::from_cents(3000),\n        },\n    ]);\n"
        ),
        "{code}"
    );
    // Laid out to show whole beside the state (no line wider than the layout's width).
    assert!(
        code.lines()
            .filter(|l| !l.starts_with("//!"))
            .all(|l| l.chars().count() <= playground::testgen::WIDTH),
        "{code}"
    );
    // Copied, or the browser said why not: either way the page says where the test goes.
    assert!(
        text_of(&account).contains("tests/account_1_withdraw.rs"),
        "{}",
        text_of(&account)
    );

    // As of the timeline: the deposit was the last command at position 2.
    slide_to(&slider(&root, "Timeline"), 2).await;
    let code = copy_as_test(&region(&root, "Account state")).await;
    assert!(code.contains("fn account_1_deposit() {"), "{code}");
    press(&slider(&root, "Timeline"), "End").await;

    // A refused command appends nothing, and is copied with its error.
    type_into(&textbox(&root, "Amount"), "500").await;
    click(&button(&root, "Withdraw")).await;
    assert_eq!(alerts(&root).len(), 1);
    let account = region(&root, "Account state");
    let code = copy_as_test(&account).await;
    assert!(
        code.contains("fn account_1_withdraw_is_refused() {"),
        "{code}"
    );
    assert!(
        code.contains(".then_err(AccountError::InsufficientFunds {"),
        "{code}"
    );
    click(&button(&account, "Hide test")).await;
    assert!(all_named(&root, "textarea", "Generated test").is_empty());

    // The process manager of an order's saga, in Sagas.
    place_an_order(&root, "TEA-01").await;
    click(&button(&root, "Drain")).await;
    open_section(&root, "Sagas").await;
    click(&button(&root, "order-1")).await;
    let process = region(&root, "Process manager state");
    let code = copy_as_test(&process).await;
    assert!(
        code.contains("fn fulfilment_order_1_answers_order_completed() {"),
        "{code}"
    );
    assert!(
        code.contains("use playground::process::testing::given;"),
        "{code}"
    );
    assert!(code.contains(".when(Answer::OrderCompleted)"), "{code}");
    assert_eq!(alerts(&root), Vec::<String>::new());
}
