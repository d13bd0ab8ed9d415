//! The receiving side of SMTP as a sans-I/O state machine.
//!
//! The host owns the socket: it passes every byte it reads to
//! [`ServerSession::receive`], then calls [`ServerSession::next`] until it returns
//! `None`, writing each [`Event::Output`] to the peer and closing the connection on
//! [`Event::Close`]. The session never blocks, reads a clock or touches the network, so
//! the same code serves a socket in wasmtime, a tab in a browser and a simulated link.
//!
//! This is the walking skeleton of the session: it greets, frames command lines and
//! answers `QUIT`; every other command is answered `502 5.5.1`.

use std::collections::VecDeque;

use crate::reply::{Reply, ReplyError};

/// Longest command line, CRLF included (RFC 5321 §4.5.3.1.4).
pub const MAX_COMMAND_LINE: usize = 512;

/// What a server session is configured with.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    greeting: Reply,
    closing: Reply,
}

impl ServerConfig {
    /// A configuration for a server that calls itself `hostname` in its greeting and
    /// closing replies (RFC 5321 §4.3.1). The name must be valid reply text.
    pub fn new(hostname: &str) -> Result<Self, ReplyError> {
        Ok(Self {
            greeting: Reply::service_ready(hostname)?,
            closing: Reply::closing(hostname)?,
        })
    }
}

/// What the session asks of its host.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "an ignored event leaves the peer waiting for a reply"]
pub enum Event {
    /// Bytes to send to the client, in order.
    Output(Vec<u8>),
    /// The session is over: close the connection after sending all output.
    Close,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    /// Collecting a command line.
    Line,
    /// The current line passed [`MAX_COMMAND_LINE`]; skip to its CRLF, then reply 500.
    DiscardingLongLine,
    /// QUIT was answered; further input is ignored.
    Closed,
}

/// One SMTP session on the receiving side.
#[derive(Debug)]
pub struct ServerSession {
    config: ServerConfig,
    input: Vec<u8>,
    events: VecDeque<Event>,
    framing: Framing,
}

impl ServerSession {
    /// Starts a session; its first event is the `220` greeting.
    pub fn new(config: ServerConfig) -> Self {
        let greeting = Event::Output(config.greeting.to_bytes());
        Self {
            config,
            input: Vec::new(),
            events: VecDeque::from([greeting]),
            framing: Framing::Line,
        }
    }

    /// Feeds bytes read from the client. They are processed by [`Self::next`].
    pub fn receive(&mut self, bytes: &[u8]) {
        if self.framing != Framing::Closed {
            self.input.extend_from_slice(bytes);
        }
    }

    /// The next thing for the host to do, or `None` when the session needs more input
    /// (or is closed and has nothing left to say).
    ///
    /// Not an `Iterator`: `None` means "feed me more bytes", not "exhausted".
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Event> {
        while self.events.is_empty() && self.frame_one_line() {}
        self.events.pop_front()
    }

    /// Takes one complete line off the input and handles it. Returns whether it made
    /// progress, so [`Self::next`] can stop when only a partial line is left.
    fn frame_one_line(&mut self) -> bool {
        if self.framing == Framing::Closed {
            return false;
        }
        // Only CRLF ends a line (RFC 5321 §2.3.8); a bare LF is an ordinary byte here.
        let Some(end) = self.input.windows(2).position(|pair| pair == b"\r\n") else {
            if self.input.len() >= MAX_COMMAND_LINE {
                // Keep a trailing CR: it may be the first half of the line's CRLF.
                let keep_cr = self.input.last() == Some(&b'\r');
                self.input.clear();
                if keep_cr {
                    self.input.push(b'\r');
                }
                self.framing = Framing::DiscardingLongLine;
            }
            return false;
        };
        let line: Vec<u8> = self.input.drain(..end + 2).take(end).collect();
        if self.framing == Framing::DiscardingLongLine || line.len() + 2 > MAX_COMMAND_LINE {
            self.framing = Framing::Line;
            self.reply(&Reply::line_too_long());
        } else {
            self.handle_command(&line);
        }
        true
    }

    fn handle_command(&mut self, line: &[u8]) {
        // quit = "QUIT" CRLF (RFC 5321 §4.1.1.10); verbs are case-insensitive (§2.4).
        if line.eq_ignore_ascii_case(b"QUIT") {
            let closing = self.config.closing.to_bytes();
            self.events.push_back(Event::Output(closing));
            self.events.push_back(Event::Close);
            self.framing = Framing::Closed;
            self.input.clear();
        } else {
            self.reply(&Reply::command_not_implemented());
        }
    }

    fn reply(&mut self, reply: &Reply) {
        self.events.push_back(Event::Output(reply.to_bytes()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> ServerSession {
        ServerSession::new(ServerConfig::new("mx.example").unwrap())
    }

    /// Feeds `input` and collects everything the session says until it needs more.
    fn exchange(session: &mut ServerSession, input: &[u8]) -> Vec<Event> {
        session.receive(input);
        std::iter::from_fn(|| session.next()).collect()
    }

    fn output(text: &str) -> Event {
        Event::Output(text.as_bytes().to_vec())
    }

    #[test]
    fn session_opens_with_220_greeting() {
        let mut session = session();
        assert_eq!(
            exchange(&mut session, b""),
            [output("220 mx.example ESMTP wasmtp\r\n")]
        );
    }

    #[test]
    fn quit_is_answered_221_and_closes() {
        // RFC 5321 §4.1.1.10: the receiver MUST send 221 and then close.
        let mut session = session();
        let _greeting = exchange(&mut session, b"");
        assert_eq!(
            exchange(&mut session, b"quit\r\nNOOP\r\n"),
            [
                output("221 2.0.0 mx.example closing connection\r\n"),
                Event::Close
            ]
        );
        assert_eq!(exchange(&mut session, b"NOOP\r\n"), []);
    }

    #[test]
    fn command_split_across_reads_is_framed_once_complete() {
        let mut session = session();
        let _greeting = exchange(&mut session, b"");
        assert_eq!(exchange(&mut session, b"QU"), []);
        assert_eq!(exchange(&mut session, b"IT\r"), []);
        assert_eq!(exchange(&mut session, b"\n").len(), 2);
    }

    #[test]
    fn bare_lf_does_not_end_a_command() {
        // RFC 5321 §2.3.8: lines end with CRLF only.
        let mut session = session();
        let _greeting = exchange(&mut session, b"");
        assert_eq!(exchange(&mut session, b"QUIT\n"), []);
        assert_eq!(
            exchange(&mut session, b"\r\n"),
            [output("502 5.5.1 Command not implemented\r\n")]
        );
    }

    #[test]
    fn overlong_line_is_500_and_session_continues() {
        // RFC 5321 §4.5.3.1.4: 512 octets including CRLF.
        let mut session = session();
        let _greeting = exchange(&mut session, b"");
        let long = vec![b'A'; 2000];
        assert_eq!(exchange(&mut session, &long), []);
        assert_eq!(
            exchange(&mut session, b"A\r\nQUIT\r\n"),
            [
                output("500 5.5.2 Line too long\r\n"),
                output("221 2.0.0 mx.example closing connection\r\n"),
                Event::Close
            ]
        );
    }

    #[test]
    fn longest_allowed_line_is_a_command() {
        let mut session = session();
        let _greeting = exchange(&mut session, b"");
        let mut line = vec![b'X'; MAX_COMMAND_LINE - 2];
        line.extend_from_slice(b"\r\n");
        assert_eq!(
            exchange(&mut session, &line),
            [output("502 5.5.1 Command not implemented\r\n")]
        );
    }

    #[test]
    fn crlf_split_at_the_discard_boundary_still_ends_the_line() {
        let mut session = session();
        let _greeting = exchange(&mut session, b"");
        let mut long = vec![b'A'; MAX_COMMAND_LINE - 1];
        long.push(b'\r');
        assert_eq!(exchange(&mut session, &long), []);
        assert_eq!(
            exchange(&mut session, b"\n"),
            [output("500 5.5.2 Line too long\r\n")]
        );
    }
}
