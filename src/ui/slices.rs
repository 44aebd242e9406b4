//! Long work in slices: a generation run, an export or an import goes on chunk by chunk, and the
//! browser gets control back (to paint the progress and take input, such as "Stop") after each slice
//! of about [`SLICE_MS`] milliseconds.

use crate::app::{Action, Playground};
use crate::ui::app::Shared;
use std::time::Duration;
use yew::platform::{spawn_local, time::sleep};

/// How long one slice goes on before the page is redrawn: about five redraws a second, enough for
/// a smooth progress bar and a prompt Stop, while redrawing a page of a million events (and the
/// browser's pause between tasks) takes little from the run.
pub const SLICE_MS: f64 = 200.0;

/// Sends `chunk` while `running` says the work goes on, yielding to the browser after each slice;
/// then calls `done`.
pub fn run_in_slices(
    shared: Shared,
    running: fn(&Playground) -> bool,
    chunk: Action,
    done: impl FnOnce(&Shared) + 'static,
) {
    spawn_local(async move {
        run_chunks(&shared, running, &chunk).await;
        done(&shared);
    });
}

/// Sends `chunk` while `running` says the work goes on, yielding to the browser after each slice.
pub async fn run_chunks(shared: &Shared, running: fn(&Playground) -> bool, chunk: &Action) {
    loop {
        // Yield to the browser so it can paint the progress and handle input.
        sleep(Duration::ZERO).await;
        // Chunks until the slice is used up; the page renders once, after the slice.
        let slice_start = js_sys::Date::now();
        loop {
            if !running(&shared.playground.borrow()) {
                return;
            }
            shared.dispatch.emit(chunk.clone());
            if js_sys::Date::now() - slice_start >= SLICE_MS {
                break;
            }
        }
    }
}
