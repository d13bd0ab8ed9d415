//! `wasmtp.wasm`: the library component. It exports the `wasmtp:smtp` WIT package
//! (`../wit/smtp.wit`) and implements it with `wasmtp-core`, so any component host —
//! wasmtime, jco in Node, wasmCloud, Spin — can call the SMTP core in any language.
//! Each interface has its module under `library/`; this file only wires them up.

// The bindings generator emits `unsafe` glue for the canonical ABI; our own code has none.
#![allow(unsafe_code)]

wit_bindgen::generate!({
    world: "library",
    path: "../wit",
});

// The interfaces, one module each, over `wasmtp-core`.
mod auth;
mod client;
mod convert;
mod explain;
mod route;
mod server;
mod sim;

/// The type every exported interface is implemented on.
struct Library;

export!(Library);
