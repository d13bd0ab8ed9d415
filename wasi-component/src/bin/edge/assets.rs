//! The web app's files, embedded by `build.rs`.

/// One file of the static site.
#[derive(Debug)]
pub struct Asset {
    /// URL path, e.g. `/index.html`.
    pub path: &'static str,
    /// Media type sent as `content-type`.
    pub content_type: &'static str,
    /// The file's bytes.
    pub body: &'static [u8],
}

static ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// The file served at `path`; `/` is the app's `index.html`.
pub fn find(path: &str) -> Option<&'static Asset> {
    let path = if path == "/" { "/index.html" } else { path };
    ASSETS.iter().find(|asset| asset.path == path)
}
