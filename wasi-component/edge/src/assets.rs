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
    /// The same, gzipped, when that is smaller.
    pub gzip: Option<&'static [u8]>,
    /// A strong entity tag, quoted, from a hash of the bytes (RFC 9110 §8.8.3).
    pub etag: &'static str,
}

impl Asset {
    /// `cargo xtask build` names the app's files with a content hash (`name-0123456789abcdef.js`,
    /// `name-0123456789abcdef_bg.wasm`), so they never change under their name and may be
    /// cached for good; `index.html` may change.
    pub fn is_immutable(&self) -> bool {
        self.path.split('-').skip(1).any(|part| {
            let (hash, rest) = part.split_at(part.len().min(16));
            hash.len() == 16
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
                && (rest.is_empty() || rest.starts_with(['.', '_']))
        })
    }
}

static ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));

/// The file served at `path`; `/` is the app's `index.html`.
pub fn find(path: &str) -> Option<&'static Asset> {
    let path = if path == "/" { "/index.html" } else { path };
    ASSETS.iter().find(|asset| asset.path == path)
}
