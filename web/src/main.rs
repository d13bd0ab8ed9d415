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

fn main() {
    yew::Renderer::<app::App>::new().render();
}
