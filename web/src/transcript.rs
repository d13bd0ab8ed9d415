//! A transcript of a real session: the core's `ServerSession` answers a scripted client,
//! and every line is kept with its explanation.

use wasmtp_core::explain::{self, Explanation};
use wasmtp_core::reply::{ReplyClass, ReplyCode};
use wasmtp_core::server::{ConnectionInfo, Decision, Event, ServerConfig, ServerSession};
use wasmtp_core::time::UnixTime;

/// The demonstration's clock: a fixed moment, so the transcript is the same every time.
const DEMO_TIME: UnixTime = UnixTime::from_millis(1_795_860_000_000);

/// Which side of the connection sent a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaker {
    Client,
    Server,
}

/// One line on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub speaker: Speaker,
    /// The line without its CRLF.
    pub text: String,
    /// For a server reply: what its code means.
    pub explanation: Option<Explanation>,
    /// For a server reply: whether it reports a failure (4yz or 5yz).
    pub failure: bool,
}

/// Plays the client's `commands` (message lines included) against a fresh server session
/// named `server_name` that accepts every sender, recipient and message, and records
/// both sides line by line until the server closes or the commands run out.
pub fn play(server_name: &str, commands: &[&str]) -> Vec<Line> {
    let Ok(config) = ServerConfig::new(server_name) else {
        return Vec::new();
    };
    let connection = ConnectionInfo {
        session_id: "demo".into(),
        ..ConnectionInfo::default()
    };
    let mut session = ServerSession::new(config, connection, DEMO_TIME);
    let mut lines = Vec::new();
    let mut commands = commands.iter();
    loop {
        let mut closed = false;
        while let Some(event) = session.next() {
            match event {
                Event::Output(bytes) => record_replies(&bytes, &mut lines),
                Event::Close => closed = true,
                Event::Mail { .. }
                | Event::Rcpt { .. }
                | Event::Authenticate(_)
                | Event::MessageEnd(_) => session.decide(Decision::Accept),
                Event::MessageData(_) | Event::MessageAborted | Event::StartTls => {}
            }
        }
        let Some(command) = commands.next().filter(|_| !closed) else {
            return lines;
        };
        lines.push(Line {
            speaker: Speaker::Client,
            text: (*command).to_owned(),
            explanation: None,
            failure: false,
        });
        session.receive(format!("{command}\r\n").as_bytes(), DEMO_TIME);
    }
}

fn record_replies(bytes: &[u8], lines: &mut Vec<Line>) {
    for line in bytes
        .split(|&byte| byte == b'\n')
        .filter(|line| !line.is_empty())
    {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let code = ReplyCode::of_reply_line(line);
        lines.push(Line {
            speaker: Speaker::Server,
            text: String::from_utf8_lossy(line).into_owned(),
            // A multi-line reply is explained once, on its last line (RFC 5321 §4.2.1).
            explanation: code
                .filter(|_| line.get(3) != Some(&b'-'))
                .map(explain::reply_code),
            failure: code.is_some_and(|code| {
                matches!(
                    code.class(),
                    ReplyClass::TransientNegative | ReplyClass::PermanentNegative
                )
            }),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_alternates_greeting_commands_and_replies() {
        let lines = play("mx.example", &["QUIT"]);
        let speakers: Vec<Speaker> = lines.iter().map(|line| line.speaker).collect();
        assert_eq!(
            speakers,
            [Speaker::Server, Speaker::Client, Speaker::Server]
        );
        assert_eq!(lines[0].text, "220 mx.example ESMTP wasmtp");
        assert_eq!(lines[2].text, "221 mx.example closing connection");
        assert_eq!(
            lines[2]
                .explanation
                .map(|explanation| explanation.reference),
            Some("RFC 5321 §4.1.1.10")
        );
    }

    #[test]
    fn a_multi_line_reply_is_explained_once() {
        let lines = play("mx.example", &["EHLO c.example"]);
        let explained = lines
            .iter()
            .filter(|line| line.explanation.is_some())
            .count();
        assert_eq!(explained, 2, "the greeting and the EHLO reply");
    }

    #[test]
    fn commands_after_quit_are_not_sent() {
        let lines = play("mx.example", &["QUIT", "NOOP"]);
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn failure_replies_are_marked() {
        let lines = play("mx.example", &["RCPT TO:<b@mx.example>"]);
        assert!(lines[2].failure);
        assert!(!lines[0].failure);
    }

    #[test]
    fn message_lines_get_no_reply_until_the_end_of_data() {
        let lines = play(
            "mx.example",
            &[
                "EHLO c.example",
                "MAIL FROM:<a@c.example>",
                "RCPT TO:<b@mx.example>",
                "DATA",
                "Hi",
                ".",
                "QUIT",
            ],
        );
        let texts: Vec<&str> = lines.iter().map(|line| line.text.as_str()).collect();
        let hi = texts.iter().position(|text| *text == "Hi").unwrap();
        assert_eq!(texts[hi + 1], ".");
        assert!(texts[hi + 2].starts_with("250 2.0.0 OK: queued as demo.1"));
    }
}
