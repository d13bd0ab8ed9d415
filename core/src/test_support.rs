//! Support for tests and fuzz targets outside this crate (feature `test-support`): a host
//! that replays bytes into a server session and records everything it did.

use crate::server::driver::{self, Policy};
use crate::server::{
    ConnectionInfo, Credentials, Decision, Envelope, Event, ServerConfig, ServerSession,
};
use crate::syntax::{ForwardPath, MailParameters, RcptParameters, ReversePath};
use crate::time::UnixTime;

const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);

/// Everything a session said and asked. Outputs are joined, because their batching
/// depends on how the input arrived while their bytes must not; message content is
/// joined per message for the same reason.
#[derive(Debug, PartialEq, Eq)]
pub struct Transcript {
    pub output: Vec<u8>,
    pub events: Vec<Event>,
}

/// Feeds `chunks` one after another to a server session with AUTH, small limits and a
/// host that accepts everything except the recipient local part `no`.
pub fn replay(chunks: &[&[u8]]) -> Transcript {
    let mut config = ServerConfig::new("mx.example").unwrap_or_else(|_| unreachable!());
    config.extensions.auth_mechanisms = vec!["PLAIN".into(), "LOGIN".into()];
    config.quirks.auth_without_tls = true;
    config.limits.message_size = 300;
    let mut session = ServerSession::new(config, ConnectionInfo::default(), T0);
    let mut transcript = Transcript {
        output: Vec::new(),
        events: Vec::new(),
    };
    let mut message = Vec::new();
    driver::drain(&mut session, &mut transcript, &mut message);
    for chunk in chunks {
        session.receive(chunk, T0);
        driver::drain(&mut session, &mut transcript, &mut message);
    }
    transcript
}

/// The replaying host: everything recorded, the recipient `no` refused.
impl Policy for Transcript {
    fn output(&mut self, bytes: Vec<u8>) {
        self.output.extend(bytes);
    }

    fn mail(&mut self, reverse_path: &ReversePath, parameters: &MailParameters) -> Decision {
        self.events.push(Event::Mail {
            reverse_path: reverse_path.clone(),
            parameters: parameters.clone(),
        });
        Decision::Accept
    }

    fn rcpt(&mut self, forward_path: &ForwardPath, parameters: &RcptParameters) -> Decision {
        self.events.push(Event::Rcpt {
            forward_path: forward_path.clone(),
            parameters: parameters.clone(),
        });
        match forward_path {
            ForwardPath::Mailbox(mailbox) if mailbox.local_part == "no" => Decision::Reject,
            _ => Decision::Accept,
        }
    }

    fn authenticate(&mut self, credentials: &Credentials) -> Decision {
        self.events.push(Event::Authenticate(credentials.clone()));
        Decision::Accept
    }

    fn message(&mut self, envelope: Envelope, content: Vec<u8>) -> Decision {
        self.events.push(Event::MessageData(content));
        self.events.push(Event::MessageEnd(envelope));
        Decision::Accept
    }

    fn aborted(&mut self, partial: Vec<u8>) {
        self.events.push(Event::MessageData(partial));
        self.events.push(Event::MessageAborted);
    }

    fn close(&mut self) {
        self.events.push(Event::Close);
    }

    fn start_tls(&mut self, _: &mut ServerSession) {
        self.events.push(Event::StartTls);
    }
}

/// RFC 8463 Appendix A: one message of football.example.com, signed with Ed25519
/// (selector `brisbane`) and with RSA (selector `test`), and the two key records; for
/// the DKIM tests here and end to end.
pub mod rfc8463 {
    pub const BODY: &str = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n";
    pub const HEADER: &str = "From: Joe SixPack <joe@football.example.com>\r\n\
        To: Suzie Q <suzie@shopping.example.net>\r\n\
        Subject: Is dinner ready?\r\n\
        Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n\
        Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n";
    pub const ED25519_SIGNATURE: &str = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n \
        d=football.example.com; i=@football.example.com;\r\n \
        q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n \
        subject : date : message-id : from : subject : date;\r\n \
        bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n \
        b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n \
        Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\r\n";
    pub const RSA_SIGNATURE: &str = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n \
        d=football.example.com; i=@football.example.com;\r\n \
        q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n \
        date : message-id : from : subject : date;\r\n \
        bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n \
        b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\r\n \
        DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\r\n \
        dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=\r\n";
    pub const ED25519_KEY: &str =
        "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    pub const RSA_KEY: &str = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";
    /// The Ed25519 secret key (RFC 8032 §7.1, test 1), base64.
    pub const ED25519_SECRET: &str = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    /// The same key as a PKCS #8 PEM file, as signers read keys.
    pub const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
        MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n\
        -----END PRIVATE KEY-----\n";
    /// The RSA secret key, PKCS #1 PEM.
    pub const RSA_SECRET: &str = "-----BEGIN RSA PRIVATE KEY-----\n\
MIICXQIBAAKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi\n\
Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqM\n\
KrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\n\
AoGAH0cxOhFZDgzXWhDhnAJDw5s4roOXN4OhjiXa8W7Y3rhX3FJqmJSPuC8N9vQm\n\
6SVbaLAE4SG5mLMueHlh4KXffEpuLEiNp9Ss3O4YfLiQpbRqE7Tm5SxKjvvQoZZe\n\
zHorimOaChRL2it47iuWxzxSiRMv4c+j70GiWdxXnxe4UoECQQDzJB/0U58W7RZy\n\
6enGVj2kWF732CoWFZWzi1FicudrBFoy63QwcowpoCazKtvZGMNlPWnC7x/6o8Gc\n\
uSe0ga2xAkEA8C7PipPm1/1fTRQvj1o/dDmZp243044ZNyxjg+/OPN0oWCbXIGxy\n\
WvmZbXriOWoSALJTjExEgraHEgnXssuk7QJBALl5ICsYMu6hMxO73gnfNayNgPxd\n\
WFV6Z7ULnKyV7HSVYF0hgYOHjeYe9gaMtiJYoo0zGN+L3AAtNP9huqkWlzECQE1a\n\
licIeVlo1e+qJ6Mgqr0Q7Aa7falZ448ccbSFYEPD6oFxiOl9Y9se9iYHZKKfIcst\n\
o7DUw1/hz2Ck4N5JrgUCQQCyKveNvjzkkd8HjYs0SwM0fPjK16//5qDZ2UiDGnOe\n\
uEzxBDAr518Z8VFbR41in3W4Y3yCDgQlLlcETrS+zYcL\n\
-----END RSA PRIVATE KEY-----\n";

    /// The message with both signatures, as it is sent.
    pub fn signed() -> String {
        format!("{ED25519_SIGNATURE}{RSA_SIGNATURE}{HEADER}\r\n{BODY}")
    }

    /// The signatures' `t=`: the time they are checked at.
    pub const TIMESTAMP: u64 = 1_528_637_909;

    /// The DNS of the example: the two keys' TXT records; every other name is NXDOMAIN.
    pub fn answer(name: &str) -> crate::route::Answer {
        use crate::route::{Answer, Record};
        let key = match name {
            "brisbane._domainkey.football.example.com" => ED25519_KEY,
            "test._domainkey.football.example.com" => RSA_KEY,
            _ => return Answer::NxDomain,
        };
        Answer::Records(vec![Record::Txt(key.as_bytes().to_vec())])
    }
}
