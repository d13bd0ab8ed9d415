//! Where the project keeps what xtask installs; every other module asks here.

use std::ffi::OsString;
use std::path::Path;

/// The project-local folder for tools, relative to the workspace root.
pub const TOOLS_DIR: &str = ".tools";

/// `PATH` with the project's tools first, for every command xtask runs.
pub fn search_path(root: &Path) -> OsString {
    let dir = root.join(TOOLS_DIR);
    let mut paths = vec![
        dir.join("bin"),
        dir.join("cargo/bin"),
        dir.join("node/node_modules/.bin"),
    ];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).unwrap_or_default()
}
