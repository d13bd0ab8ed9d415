//! Prints the app's first view in each of its languages, as `<div class="first-view"
//! lang="…">` elements, for `cargo xtask build` to put into the page (whose script
//! keeps the reader's language): `cargo run -p wasmtp-web --features prerender --bin
//! prerender`.

use wasmtp_core::i18n::Language;

fn main() {
    for language in Language::ALL {
        print!(
            r#"<div class="first-view" lang="{}">{}</div>"#,
            language.code(),
            wasmtp_web::first_view(language)
        );
    }
}
