//! The playground's entry point: in the browser it mounts the app; natively it explains how to run it.
#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
fn main() {
    playground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "The playground runs in the browser: `make serve` builds it with trunk and serves it."
    );
}
