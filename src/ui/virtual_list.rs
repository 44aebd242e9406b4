//! Which rows of a long list to draw: a fixed row height, a few rows of overscan, and past about
//! eight million pixels a scrollbar that maps proportionally onto the rows (browsers cap an
//! element's height at about 33 million pixels).

/// Browsers cap an element's height (about 33 million pixels in Chromium); past this the scrollbar
/// maps proportionally onto the rows instead of one pixel per pixel.
pub const MAX_CONTENT_PX: f64 = 8_000_000.0;
/// Rows drawn above and below the visible ones, so fast scrolling shows no gaps.
const OVERSCAN: u64 = 6;

/// Which rows to draw for a scroll offset, and where (rows are 0-based indices into the list).
#[derive(Clone, Copy, PartialEq)]
pub struct Window {
    /// Height of the scrolled content.
    pub content_px: f64,
    /// The first row drawn.
    pub first: u64,
    /// One past the last row drawn.
    pub end: u64,
    /// Pixels from the content's top to row `first`'s top.
    pub first_top_px: f64,
}

/// The rows of a list of `len` rows of `row_px` each to draw, scrolled to `scroll_top` in a
/// viewport `viewport_px` high.
pub fn window(len: u64, scroll_top: f64, viewport_px: f64, row_px: f64) -> Window {
    let natural = len as f64 * row_px;
    let content_px = natural.min(MAX_CONTENT_PX);
    let scrollable = (content_px - viewport_px).max(1.0);
    let natural_scrollable = (natural - viewport_px).max(1.0);
    let virtual_top = if natural <= MAX_CONTENT_PX {
        scroll_top.max(0.0)
    } else {
        // `max`/`min` rather than `f64::clamp`, whose panic message formats floats: that alone
        // would bring float formatting (12 KB) into the bundle.
        (scroll_top.max(0.0).min(scrollable) / scrollable) * natural_scrollable
    };
    let first = ((virtual_top / row_px).floor() as u64)
        .saturating_sub(OVERSCAN)
        .min(len.saturating_sub(1));
    let visible = (viewport_px / row_px).ceil() as u64 + 2 * OVERSCAN;
    let end = (first + visible).min(len);
    let first_top_px = scroll_top + (first as f64 * row_px - virtual_top);
    Window {
        content_px,
        first,
        end,
        first_top_px,
    }
}
