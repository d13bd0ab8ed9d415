//! The wasmtp teaching simulator: the real SMTP engine of `wasmtp-core`, running in the
//! browser, shows what each side of a session says and why.

mod app;
mod components;
mod transcript;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
