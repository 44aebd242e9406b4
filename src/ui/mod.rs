//! The browser shell: Yew components that draw the playground's view models and dispatch its actions.
//!
//! Everything a user can do is an [`crate::app::Action`] handled by the pure reducer; this layer only
//! renders, listens to DOM events, and supplies what the core may not touch itself (the clock, the
//! entropy for ids, the panic banner). Domains describe their panels as data ([`crate::view`]); the
//! widgets here draw any domain's panel, so a new domain needs no UI code.

mod app;
mod browser;
mod files;
mod panels;
mod prefs;
mod sections;
mod share;
mod slices;
pub mod storage;
mod virtual_list;
mod widgets;

pub use app::{App, AppProps, Page, PageProps};
pub use browser::show_panic_banner;

/// Installs the panic banner and mounts the app into `<body>`.
pub fn start() {
    browser::install_panic_banner();
    yew::Renderer::<App>::new().render();
}
