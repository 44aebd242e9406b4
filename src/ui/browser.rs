//! What the browser supplies to the core: time, entropy, and a visible report if anything panics.

use crate::kernel::Clock;
use chrono::{DateTime, Utc};

/// The page's clock (`Date.now()`, millisecond resolution).
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }

    fn now_micros(&self) -> i64 {
        (js_sys::Date::now() as i64).saturating_mul(1_000)
    }
}

/// A seed for the id generator from the page's randomness and the time.
pub fn random_seed() -> u64 {
    let random = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    random ^ (js_sys::Date::now() as u64).rotate_left(32)
}

/// A panic in WASM stops the app: say so on the page instead of leaving it silently frozen.
pub fn install_panic_banner() {
    std::panic::set_hook(Box::new(|info| {
        show_panic_banner(&format!(
            "Something went wrong inside the playground and it stopped: {info}. Reload the page to start again."
        ));
    }));
}

/// Puts `message` in an alert banner at the top of the page (and in the console). Uses only the DOM,
/// never Yew, since Yew may be the thing that stopped.
pub fn show_panic_banner(message: &str) {
    web_sys::console::error_1(&message.into());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_class_name("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(message));
    if let Some(body) = document.body() {
        let _ = body.prepend_with_node_1(&banner);
    }
}
