//! # wasmtp-core
//!
//! The SMTP protocol of wasmtp, written once: replies, their explanations and the
//! receiving session. It is sans-I/O — no sockets, files, clocks or randomness — so the
//! same code runs natively, as a WASI component in wasmtime and in a browser tab.
//!
//! ```
//! use wasmtp_core::server::{Event, ServerConfig, ServerSession};
//!
//! let mut session = ServerSession::new(ServerConfig::new("mx.example").unwrap());
//! session.receive(b"QUIT\r\n");
//! let mut transcript = Vec::new();
//! while let Some(event) = session.next() {
//!     match event {
//!         Event::Output(bytes) => transcript.extend(bytes),
//!         Event::Close => break,
//!     }
//! }
//! assert_eq!(
//!     transcript,
//!     b"220 mx.example ESMTP wasmtp\r\n221 2.0.0 mx.example closing connection\r\n"
//! );
//! ```
#![forbid(unsafe_code)]
// Input paths must not panic: no indexing that can go out of bounds (tests may).
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod explain;
pub mod reply;
pub mod server;
pub mod syntax;
