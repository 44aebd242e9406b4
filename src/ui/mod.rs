//! The browser shell: Yew components that draw the playground's view models and dispatch its actions.
//!
//! Everything a user can do is an [`crate::app::Action`] handled by the pure reducer; this layer only
//! renders, listens to DOM events, and supplies what the core may not touch itself (the clock, the
//! entropy for ids, the panic banner).

mod app;
mod browser;
mod chart;
mod command_panel;
mod event_log;
mod generator_panel;
mod inspector;
mod state_panel;
mod streaming;
mod timeline;

pub use app::App;
pub use browser::show_panic_banner;

/// Installs the panic banner and mounts the app into `<body>`.
pub fn start() {
    browser::install_panic_banner();
    yew::Renderer::<App>::new().render();
}
