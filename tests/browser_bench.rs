//! The benchmark workload in headless Chromium (run by `make bench`, in a release build): prints
//! figures, asserts nothing about time.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

fn memory_bytes() -> Option<u64> {
    let memory = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()?;
    let buffer = memory.buffer().dyn_into::<js_sys::ArrayBuffer>().ok()?;
    Some(buffer.byte_length() as u64)
}

// `make bench` runs each test in a page of its own (wasm memory never shrinks, so a second workload
// in the same page would reuse what the first freed and under-report its own memory).

#[wasm_bindgen_test]
fn bench_bank_append_seek_and_memory() {
    let figures = playground::bench::run(1_000_000, 1_000, 2_000, &mut now_ms, &mut memory_bytes);
    for line in figures.report("wasm/chromium").lines() {
        console_log!("{line}");
    }
}

#[wasm_bindgen_test]
fn bench_mixed_workload() {
    let mixed = playground::bench::run_mixed(1_000_000, &mut now_ms, &mut memory_bytes);
    for line in mixed.report("wasm/chromium").lines() {
        console_log!("{line}");
    }
}

#[wasm_bindgen_test]
fn bench_schema_versions() {
    let figures = playground::bench::run_schemas(1_000_000, &mut now_ms);
    console_log!("{}", figures.report("wasm/chromium"));
}

#[wasm_bindgen_test]
fn bench_decrypting_the_visible_rows() {
    let figures = playground::bench::run_privacy(1_000_000, &mut now_ms);
    console_log!("{}", figures.report("wasm/chromium"));
}

#[wasm_bindgen_test]
fn bench_cloudevents_export_and_import() {
    let figures = playground::bench::run_transfer(1_000_000, &mut now_ms);
    console_log!("{}", figures.report("wasm/chromium"));
}

#[wasm_bindgen_test]
fn bench_browser_storage_save_and_restore() {
    let figures = playground::bench::run_restore(1_000_000, &mut now_ms);
    console_log!("{}", figures.report("wasm/chromium"));
}

#[wasm_bindgen_test]
fn bench_share_link_of_a_million_events() {
    let figures = playground::bench::run_share(1_000_000, &mut now_ms);
    console_log!("{}", figures.report("wasm/chromium"));
}

#[wasm_bindgen_test]
fn bench_sagas_orchestration() {
    let figures = playground::bench::run_sagas(100_000, "orchestration", 5, &mut now_ms);
    console_log!("{}", figures.report("wasm/chromium"));
}

#[wasm_bindgen_test]
fn bench_sagas_choreography() {
    let figures = playground::bench::run_sagas(100_000, "choreography", 5, &mut now_ms);
    console_log!("{}", figures.report("wasm/chromium"));
}

mod support;

fn summary(mut samples: Vec<f64>) -> String {
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    let worst = samples[samples.len() - 1];
    format!(
        "median {median:.2} ms, worst {worst:.2} ms over {} updates",
        samples.len()
    )
}

/// Generates 1,000,000 events through the real page, then times view updates as a user causes them:
/// moving the timeline (the whole view time-travels) and scrolling the event log.
#[wasm_bindgen_test]
async fn bench_view_updates_with_a_million_events() {
    use support::*;
    let root = mount().await;
    type_into(&textbox(&root, "Events to generate"), "1000000").await;
    let start = now_ms();
    click(&button(&root, "Generate")).await;
    let finished = wait_until(600, || {
        text_of(&root).contains("Generated 1,000,000 events")
    })
    .await;
    assert!(finished, "generation did not finish");
    console_log!(
        "[wasm/chromium] generating 1,000,000 events through the page (chunks of 20,000, redrawn about five times a second): {:.0} ms",
        now_ms() - start
    );
    // Select an account with a long history so time travel has real work to do.
    choose(&select(&root, "Account"), "account-7").await;

    let timeline = slider(&root, "Timeline");
    let mut rng = playground::kernel::SeededRng::new(7);
    let mut seeks = Vec::new();
    for _ in 0..30 {
        let target = 1 + rng.below(1_000_000);
        let t0 = now_ms();
        slide_to(&timeline, target).await;
        seeks.push(now_ms() - t0);
    }
    console_log!(
        "[wasm/chromium] timeline move with 1,000,000 events (input event to rendered DOM): {}",
        summary(seeks)
    );

    let log = log(&root, "Event log");
    let range = log.scroll_height() - log.client_height();
    let mut scrolls = Vec::new();
    for _ in 0..30 {
        let top = rng.below(range.max(1) as u64) as i32;
        let t0 = now_ms();
        scroll_to(&log, top).await;
        scrolls.push(now_ms() - t0);
    }
    console_log!("[wasm/chromium] event log scroll with 1,000,000 events (scroll event to rendered rows): {}", summary(scrolls));

    // A tick redraws the online-vs-batch section, the Topology and the Metrics regions.
    region(&root, "Metrics").scroll_into_view();
    let step = button(&root, "Step");
    let mut ticks = Vec::new();
    for _ in 0..20 {
        let t0 = now_ms();
        click(&step).await;
        ticks.push(now_ms() - t0);
    }
    console_log!(
        "[wasm/chromium] one tick with 1,000,000 events, Metrics and Topology on screen (click to rendered DOM, every section a tick updates): {}",
        summary(ticks)
    );
    region(&root, "Topology").scroll_into_view();
    let derived = select(&root, "Derived topic");
    let mut redraws = Vec::new();
    for i in 0..20 {
        let topic = ["high-value-orders", "customer-activity", "order-enriched"][i % 3];
        let t0 = now_ms();
        choose(&derived, topic).await;
        redraws.push(now_ms() - t0);
    }
    console_log!(
        "[wasm/chromium] topology redraw with 1,000,000 events (choosing a derived topic to rendered DOM): {}",
        summary(redraws)
    );
}

/// Builds 100,000 orchestrated sagas (drained), plus three whose handlers are not idempotent and
/// meet duplicates (the biggest causation graphs), mounts the page on them, and times what a user
/// does in the Sagas region: finding and selecting a saga (its steps, its process manager and its
/// causation graph redrawn, the table scrolled to it), and scrolling the table.
#[wasm_bindgen_test]
async fn bench_sagas_view_and_causation_graph() {
    use playground::app::{Action, SagaAction, Setting, StreamAction};
    use playground::domain::orders as o;
    use std::cell::RefCell;
    use std::rc::Rc;
    use support::*;

    let (mut p, figures) =
        playground::bench::saga_playground(100_000, "orchestration", 5, &mut now_ms);
    console_log!("{}", figures.report("wasm/chromium"));
    p.dispatch(Action::Saga(SagaAction::Toggle(
        Setting::IdempotentHandlers,
        false,
    )));
    p.dispatch(Action::Stream(StreamAction::Set(
        Setting::DuplicateRate,
        "100".into(),
    )));
    for _ in 0..3 {
        p.dispatch(Action::press(o::KEY, o::controls::START));
        p.dispatch(Action::edit(o::KEY, o::controls::QUANTITY, "1"));
        p.dispatch(Action::press(o::KEY, o::controls::ADD));
        p.dispatch(Action::press(o::KEY, o::controls::PLACE));
    }
    p.dispatch(Action::Stream(StreamAction::Drain));
    let sagas = p.sagas().tracker().len();
    let playground = Rc::new(RefCell::new(p));
    let root = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let style = document().create_element("style").expect("style");
    style.set_text_content(Some(include_str!("../static/style.css")));
    document()
        .head()
        .expect("head")
        .append_child(&style)
        .expect("append");
    yew::Renderer::<playground::ui::Page>::with_root_and_props(
        root.clone(),
        playground::ui::PageProps {
            playground,
            storage: None,
            links: false,
        },
    )
    .render();
    yew::scheduler::flush().await;

    // Timed as a user sees it: with the Sagas region on screen.
    root.query_selector("#sagas")
        .ok()
        .flatten()
        .expect("the Sagas region")
        .scroll_into_view();
    let find = textbox(&root, "Saga of order");
    let show = button(&root, "Show saga");
    let mut rng = playground::kernel::SeededRng::new(11);
    let mut selects = Vec::new();
    for _ in 0..30 {
        let order = format!("order-{}", 1 + rng.below(100_000));
        type_into(&find, &order).await;
        let t0 = now_ms();
        click(&show).await;
        selects.push(now_ms() - t0);
    }
    console_log!(
        "[wasm/chromium] Sagas view with {sagas} instances, selecting a saga (steps, process manager, causation graph, table scrolled to it): {}",
        summary(selects)
    );

    let scroller = root
        .query_selector(".saga-scroller")
        .ok()
        .flatten()
        .expect("the table's scroller");
    let range = scroller.scroll_height() - scroller.client_height();
    let mut scrolls = Vec::new();
    for _ in 0..30 {
        let top = rng.below(range.max(1) as u64) as i32;
        let t0 = now_ms();
        scroll_to(&scroller, top).await;
        scrolls.push(now_ms() - t0);
    }
    console_log!(
        "[wasm/chromium] Sagas view with {sagas} instances, scrolling the Saga instances table: {}",
        summary(scrolls)
    );

    // The biggest graphs: the sagas charged over and over.
    let mut draws = Vec::new();
    let mut nodes = 0;
    for n in 0..3 {
        type_into(&find, &format!("order-{}", 100_001 + n)).await;
        let t0 = now_ms();
        click(&show).await;
        draws.push(now_ms() - t0);
        nodes = nodes.max(
            region(&root, "Causation graph")
                .query_selector_all("[role=button]")
                .map(|l| l.length())
                .unwrap_or(0),
        );
    }
    console_log!(
        "[wasm/chromium] causation graph of {nodes} nodes (a saga whose handlers met duplicates), selected and drawn: {}",
        summary(draws)
    );
}
