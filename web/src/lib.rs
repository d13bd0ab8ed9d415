//! The wasmtp teaching simulator: the real SMTP engine of `wasmtp-core`, running in the
//! browser: lessons that play whole deliveries step by step, a sandbox to change the
//! world, a terminal to talk SMTP to a server yourself, and a reference.

mod app;
mod i18n;
mod lessons;
mod route;
mod share;
mod state;
mod views;

/// The id of the page element the app lives in. `cargo xtask build` fills it with the
/// first view rendered ahead of time (see [`first_view`]), so that a learner sees the
/// journey and the lessons, links that already work, before the engine has loaded; the
/// app replaces it when it starts.
const ROOT: &str = "app";

/// Starts the app in the page.
pub fn start() {
    let root = gloo_utils::document().get_element_by_id(ROOT);
    match root {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}

/// The first view (the journey and the lesson list, nothing played yet) as HTML in
/// `language`, for `cargo xtask build` to put into the page.
#[cfg(feature = "prerender")]
pub fn first_view(language: wasmtp_core::i18n::Language) -> String {
    let renderer =
        yew::LocalServerRenderer::<app::FirstView>::with_props(app::FirstViewProps { language })
            .hydratable(false);
    futures::executor::block_on(renderer.render())
}
