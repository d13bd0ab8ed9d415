//! The simulator in the browser: mounts the app over the page's first view.

fn main() {
    wasmtp_web::start();
}
