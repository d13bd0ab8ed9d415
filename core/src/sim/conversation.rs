//! One SMTP connection in the simulated network: a real `ClientSession` and a real
//! `ServerSession` exchange bytes in flights, each flight taking the link's latency,
//! and every command, reply and piece of data becomes a step.

use crate::client::{ClientSession, Event as ClientEvent, Outcome, SessionFailure};
use crate::code;
use crate::explain::{Answering, Key, Topic};
use crate::reply::build;
use crate::server::driver::{self, Policy};
use crate::server::{Credentials, Decision, Envelope, ServerSession, TlsSummary};
use crate::syntax::reply::parse_reply;
use crate::syntax::{Command, ForwardPath, RcptParameters, Verb};

use super::answers::ReplyContext;
use super::engine::Engine;
use super::link::Link;
use super::policy::HostPolicy;
use super::recorder::Draft;
use super::trace::{Phrase, StepKind};

/// The most flights one connection may take (a guard against a session that never ends).
const MAX_FLIGHTS: usize = 1000;

impl Engine {
    /// Runs `client` against `server` until the client is done, as the host `link.server`
    /// decides. `message` is streamed when the client asks for it.
    pub(super) fn converse(
        &mut self,
        link: &Link,
        mut client: ClientSession,
        mut server: ServerSession,
        message: &[u8],
    ) -> Outcome {
        self.reply_context = ReplyContext::default();
        let mut received = Vec::new();
        let mut round_trips: u64 = 0;
        for _ in 0..MAX_FLIGHTS {
            let (to_client, closed) =
                self.server_turn(link, &mut server, Some(&mut client), &mut received);
            client.receive(&to_client, self.trace.now());
            if closed && to_client.is_empty() {
                client.connection_closed();
            }
            // The client's turn.
            let mut to_server = Vec::new();
            let mut data_from = None;
            while let Some(event) = client.next() {
                match event {
                    ClientEvent::Output(bytes) => to_server.extend(bytes),
                    ClientEvent::SendMessage => {
                        data_from.get_or_insert(to_server.len());
                        client.message_data(message);
                        client.message_end();
                    }
                    // The handshake runs when the server's side asks for it.
                    ClientEvent::StartTls => {}
                    // One message per connection: the simulator never keeps one open.
                    ClientEvent::Close | ClientEvent::Ready => {}
                    ClientEvent::Done(outcome) => {
                        if !to_server.is_empty() {
                            self.trace.clock_ms += link.latency_ms;
                            self.commands(link, &to_server, data_from);
                        }
                        let phrase = Phrase::new(
                            "step-connection-closed",
                            [("round_trips", round_trips.into())],
                        );
                        self.trace.note(
                            &link.client,
                            &link.server,
                            phrase,
                            Some(Key::Topic(Topic::RoundTrips)),
                        );
                        return outcome;
                    }
                }
            }
            if to_server.is_empty() {
                if closed {
                    client.connection_closed();
                } else if round_trips == 0 && to_client.is_empty() {
                    self.wait_for_greeting(link, &mut server);
                }
                continue;
            }
            self.trace.round_trips += 1;
            round_trips += 1;
            self.trace.clock_ms += link.latency_ms;
            self.commands(link, &to_server, data_from);
            server.receive(&to_server, self.trace.now());
        }
        // Never reached by a working session; the guard keeps a broken one finite.
        let reply = build(code!(421), (4, 4), "simulated connection abandoned");
        Outcome {
            recipients: Vec::new(),
            failure: Some(SessionFailure::Connection(reply.to_string())),
        }
    }

    /// The server holds its greeting back and the client, as it must, waits for it
    /// (RFC 5321 §3.1): time passes until the server greets.
    fn wait_for_greeting(&mut self, link: &Link, server: &mut ServerSession) {
        let Some(deadline) = server.poll_timeout() else {
            return;
        };
        let waited = deadline.since(self.trace.now());
        let phrase = Phrase::new(
            "step-greeting-delay",
            [
                ("server", link.server.as_str().into()),
                ("seconds", waited.as_secs().into()),
            ],
        );
        self.trace.note(
            &link.server,
            &link.client,
            phrase,
            Some(Key::Topic(Topic::Pregreet)),
        );
        self.trace.clock_ms += u64::try_from(waited.as_millis()).unwrap_or(u64::MAX);
        server.handle_timeout(self.trace.now());
    }

    /// Sends `flights` as they are, one after each server reply: an attacker's script
    /// or an old tool, not a `ClientSession` (which would never send bare LFs).
    pub(super) fn converse_raw(
        &mut self,
        link: &Link,
        mut server: ServerSession,
        flights: &[Vec<u8>],
    ) {
        self.reply_context = ReplyContext::default();
        let mut received = Vec::new();
        let mut flights = flights.iter();
        let mut greeted = false;
        loop {
            let (to_client, closed) = self.server_turn(link, &mut server, None, &mut received);
            let Some(flight) = flights.next().filter(|_| !closed) else {
                return;
            };
            greeted |= !to_client.is_empty();
            if !greeted {
                let phrase = Phrase::new(
                    "step-talks-first",
                    [
                        ("server", link.server.as_str().into()),
                        ("client", link.client.as_str().into()),
                    ],
                );
                self.trace.note(
                    &link.server,
                    &link.client,
                    phrase,
                    Some(Key::Topic(Topic::Pregreet)),
                );
            }
            self.trace.round_trips += 1;
            self.trace.clock_ms += link.latency_ms;
            self.raw_commands(link, flight);
            server.receive(flight, self.trace.now());
        }
    }

    /// The server's turn: its events handled as the host decides, its output recorded
    /// and returned, and whether it closed the connection.
    fn server_turn(
        &mut self,
        link: &Link,
        server: &mut ServerSession,
        client: Option<&mut ClientSession>,
        received: &mut Vec<u8>,
    ) -> (Vec<u8>, bool) {
        let mut host = ServerHost {
            engine: self,
            link,
            client,
            to_client: Vec::new(),
            closed: false,
        };
        driver::drain(server, &mut host, received);
        let (to_client, closed) = (host.to_client, host.closed);
        if !to_client.is_empty() {
            self.trace.clock_ms += link.latency_ms + link.reply_delay_ms;
            self.replies(link, &to_client);
        }
        (to_client, closed)
    }

    /// A raw flight: command lines as commands, anything after DATA's line as data.
    fn raw_commands(&mut self, link: &Link, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        // Commands, one step each (several when a script pipelines or injects them);
        // anything else is message data, one step.
        let is_commands = text.ends_with("\r\n")
            && text
                .trim_end_matches("\r\n")
                .split("\r\n")
                .all(|line| Command::parse(line.as_bytes()).is_ok());
        if is_commands {
            self.commands(link, bytes, None);
        } else {
            self.reply_context
                .sent(Answering::EndOfData, self.trace.len());
            self.trace.step(Draft {
                kind: StepKind::Data,
                from: &link.client,
                to: &link.server,
                text: text.into_owned().into(),
                explain: Some(Key::Command(Verb::Data)),
                snapshot: None,
            });
        }
    }

    /// One step per command line; the message (from `data_from`) is one step.
    fn commands(&mut self, link: &Link, bytes: &[u8], data_from: Option<usize>) {
        let (commands, data) = match data_from.and_then(|at| bytes.split_at_checked(at)) {
            Some((commands, data)) => (commands, Some(data)),
            None => (bytes, None),
        };
        for line in lines(commands) {
            let verb = Command::parse(line.trim_end_matches("\r\n").as_bytes())
                .ok()
                .map(|command| command.verb());
            // A line that is no command still gets a reply (500).
            let answering = verb.map_or(Answering::Command(Verb::Noop), Answering::Command);
            self.reply_context.sent(answering, self.trace.len());
            let key = verb.map(Key::Command);
            self.trace.step(Draft {
                kind: StepKind::Command,
                from: &link.client,
                to: &link.server,
                text: line.into(),
                explain: key,
                snapshot: None,
            });
        }
        if let Some(data) = data.filter(|data| !data.is_empty()) {
            let text = String::from_utf8_lossy(data).into_owned();
            let key = if text.starts_with("BDAT ") {
                for _ in 0..chunks(data) {
                    self.reply_context
                        .sent(Answering::Command(Verb::Bdat), self.trace.len());
                }
                Verb::Bdat
            } else {
                self.reply_context
                    .sent(Answering::EndOfData, self.trace.len());
                Verb::Data
            };
            self.trace.step(Draft {
                kind: StepKind::Data,
                from: &link.client,
                to: &link.server,
                text: text.into(),
                explain: Some(Key::Command(key)),
                snapshot: None,
            });
        }
    }

    /// One step per reply (a multi-line reply is one step), split by the reply
    /// grammar itself; what does not parse is one step, unexplained.
    fn replies(&mut self, link: &Link, bytes: &[u8]) {
        let mut rest = bytes;
        while !rest.is_empty() {
            let (used, (keys, answered)) = match parse_reply(rest) {
                Ok(Some((reply, used))) => (used, self.reply_context.keys(&reply)),
                Ok(None) | Err(_) => (rest.len(), (Vec::new(), None)),
            };
            let (text, after) = rest.split_at_checked(used).unwrap_or((rest, &[]));
            rest = after;
            let (first, more) = keys
                .split_first()
                .map_or((None, &[][..]), |(first, more)| (Some(*first), more));
            let draft = Draft {
                kind: StepKind::Reply,
                from: &link.server,
                to: &link.client,
                text: String::from_utf8_lossy(text).into_owned().into(),
                explain: first,
                snapshot: None,
            };
            self.trace.step_with(draft, more);
            self.trace.answered(answered);
        }
    }
}

/// Lines with their CRLF.
fn lines(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split_inclusive(|&byte| byte == b'\n')
        .map(|line| String::from_utf8_lossy(line).into_owned())
}

/// The world's host at the server end of a link, deciding as its behaviours say.
struct ServerHost<'a, 'c> {
    engine: &'a mut Engine,
    link: &'a Link,
    client: Option<&'c mut ClientSession>,
    to_client: Vec<u8>,
    closed: bool,
}

impl Policy for ServerHost<'_, '_> {
    fn output(&mut self, bytes: Vec<u8>) {
        self.to_client.extend(bytes);
    }

    fn rcpt(&mut self, forward_path: &ForwardPath, _: &RcptParameters) -> Decision {
        let engine = &mut *self.engine;
        let clock_ms = engine.trace.clock_ms;
        let (decision, cause) =
            engine
                .policy
                .rcpt(&engine.world, clock_ms, self.link, forward_path);
        if let (Decision::Reply(reply), Some(topic)) = (&decision, cause) {
            engine.reply_context.caused(reply, topic);
        }
        decision
    }

    fn authenticate(&mut self, credentials: &Credentials) -> Decision {
        HostPolicy::authenticate(&self.engine.world, self.link.server_host, credentials)
    }

    fn message(&mut self, envelope: Envelope, content: Vec<u8>) -> Decision {
        self.engine.message(self.link, envelope, content)
    }

    fn close(&mut self) {
        self.closed = true;
    }

    fn start_tls(&mut self, server: &mut ServerSession) {
        // Its 220 must reach the client before the handshake.
        let (engine, link) = (&mut *self.engine, self.link);
        let ready = std::mem::take(&mut self.to_client);
        engine.trace.clock_ms += link.latency_ms;
        engine.replies(link, &ready);
        // Whatever the client sent after STARTTLS in plaintext is dropped unanswered
        // (RFC 3207 §4.2): the replies that follow answer what it sends over TLS.
        engine.reply_context = ReplyContext::connected_again();
        engine.trace.clock_ms += 2 * link.latency_ms;
        // TLS 1.3's mandatory cipher suite (RFC 8446 §9.1), as a real pair would agree.
        let agreed = TlsSummary {
            version: "TLSv1.3".into(),
            cipher_suite: "TLS_AES_128_GCM_SHA256".into(),
        };
        let phrase = Phrase::new(
            "step-tls",
            [
                ("version", agreed.version.as_str().into()),
                ("cipher", agreed.cipher_suite.as_str().into()),
            ],
        );
        engine.trace.step(Draft {
            kind: StepKind::Tls,
            from: &link.client,
            to: &link.server,
            text: phrase.into(),
            explain: Some(Key::Topic(Topic::Tls)),
            snapshot: None,
        });
        if let Some(client) = self.client.as_deref_mut() {
            client.receive(&ready, engine.trace.now());
            client.tls_established(engine.trace.now());
        }
        server.tls_established(engine.trace.now(), Some(agreed));
    }
}

/// BDAT chunks in `data`: `BDAT <size>[ LAST]\r\n` and that many octets, each.
fn chunks(data: &[u8]) -> usize {
    let mut rest = data;
    let mut count = 0;
    while let Some(header_end) = rest.windows(2).position(|pair| pair == b"\r\n") {
        let header = String::from_utf8_lossy(rest.get(..header_end).unwrap_or_default());
        let Some(size) = header
            .strip_prefix("BDAT ")
            .and_then(|arguments| arguments.split(' ').next())
            .and_then(|size| size.parse::<usize>().ok())
        else {
            break;
        };
        count += 1;
        rest = rest.get(header_end + 2 + size..).unwrap_or_default();
    }
    count
}
