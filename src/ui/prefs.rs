//! What the page remembers apart from the playground: the theme, the lesson progress and whether
//! single-key shortcuts are on, in the browser's `localStorage`. Every read value is untrusted: the
//! core parses it, and a value it refuses is replaced.

/// The theme chosen.
pub const THEME: &str = "es-playground-theme";
/// The lesson progress ([`crate::lessons::Course::encode`]).
pub const LESSONS: &str = "es-playground-lessons";
/// "Single-key shortcuts" ("on" or "off").
pub const SHORTCUTS: &str = "es-playground-shortcuts";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value kept under `key`, if the browser keeps one (and lets the page read it).
pub fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Keeps `value` under `key`; a browser that refuses (private mode, full) only forgets it.
pub fn write(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Puts the theme on the page (`<html data-theme="…">`).
pub fn apply_theme(theme: crate::app::Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.code());
    }
}
