//! # wasmtp-core
//!
//! The SMTP protocol of wasmtp, written once: replies, their explanations and the
//! receiving session. It is sans-I/O — no sockets, files, clocks or randomness — so the
//! same code runs natively, as a WASI component in wasmtime and in a browser tab.
//!
//! A host drives a [`server::ServerSession`]: bytes and the time go in, events come out,
//! and the host answers the decisions (here: accept everything and keep the message).
//!
//! ```
//! use wasmtp_core::server::{ConnectionInfo, Decision, Event, ServerConfig, ServerSession};
//! use wasmtp_core::time::UnixTime;
//!
//! let now = UnixTime::from_millis(1_795_860_000_000);
//! let config = ServerConfig::new("mx.example").unwrap();
//! let mut session = ServerSession::new(config, ConnectionInfo::default(), now);
//! session.receive(
//!     b"EHLO client.example\r\nMAIL FROM:<a@client.example>\r\n\
//!       RCPT TO:<b@mx.example>\r\nDATA\r\nHello\r\n.\r\nQUIT\r\n",
//!     now,
//! );
//! let (mut replies, mut message) = (Vec::new(), Vec::new());
//! while let Some(event) = session.next() {
//!     match event {
//!         Event::Output(bytes) => replies.extend(bytes),
//!         Event::MessageData(bytes) => message.extend(bytes),
//!         Event::Mail { .. } | Event::Rcpt { .. } | Event::MessageEnd(_) => {
//!             session.decide(Decision::Accept).unwrap()
//!         }
//!         Event::Close => break,
//!         _ => {}
//!     }
//! }
//! let replies = String::from_utf8(replies).unwrap();
//! assert!(replies.ends_with("250 2.0.0 OK: queued as .1\r\n221 2.0.0 mx.example closing connection\r\n"));
//! assert!(message.starts_with(b"Received: from client.example"));
//! assert!(message.ends_with(b"\r\nHello\r\n"));
//! ```
#![forbid(unsafe_code)]
// Input paths must not panic: no indexing that can go out of bounds (tests may).
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod auth;
pub mod client;
pub mod compose;
pub mod dialogue;
pub mod ehlo;
pub mod envelope;
pub mod explain;
pub mod i18n;
pub mod queue;
pub mod reply;
pub mod route;
pub mod server;
#[cfg(feature = "sim")]
pub mod sim;
pub mod syntax;
pub mod time;

#[cfg(feature = "test-support")]
pub mod test_support;
