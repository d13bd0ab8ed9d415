//! # wasmtp-wasi
//!
//! What the WASI components of wasmtp share: the wall clock handed to the core, TLS
//! (rustls with ring) over `wasi:sockets`, and the loop that runs the core's
//! `ClientSession` over a TCP stream, and DKIM signing keys. The SMTP server's relay,
//! the edge's send endpoint and the library use it; the protocol itself stays in
//! `wasmtp-core`.

pub mod clock;
pub mod dkim_key;
pub mod net;
pub mod smtp_send;
pub mod tls;
