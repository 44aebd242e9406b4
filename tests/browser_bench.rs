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

#[wasm_bindgen_test]
fn bench_append_seek_and_memory() {
    let figures = playground::bench::run(1_000_000, 1_000, 2_000, &mut now_ms, &mut memory_bytes);
    for line in figures.report("wasm/chromium").lines() {
        console_log!("{line}");
    }
}
