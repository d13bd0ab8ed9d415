//! The library component's interfaces, one module each, over `wasmtp-core`.

mod client;
mod convert;
mod explain;
mod route;
mod server;
mod sim;
