//! What the simulator's steps that are not commands or replies mean: routing, queueing,
//! retrying, bouncing. Keys are `topic:<name>`.

use super::Explanation;

/// What a step that is not a command or a reply is about. Its key is `topic:<name>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    Submit,
    Connect,
    ConnectRefused,
    ConnectTimeout,
    Tls,
    DnsMx,
    DnsSrv,
    DnsAddress,
    DnsAnswer,
    Route,
    NoRoute,
    Queue,
    Retry,
    Deliver,
    Relay,
    Bounce,
    Greylisting,
    RoundTrips,
    Uucp,
    Smuggling,
    /// A server that holds its greeting back to catch clients that talk first.
    Pregreet,
    /// The glossary: the roles of RFC 5598, and envelope against header.
    Mua,
    Msa,
    Mta,
    Mda,
    Envelope,
    Pop3,
    Pop3User,
    Pop3Pass,
    Pop3Stat,
    Pop3Retr,
    Pop3Dele,
    Pop3Quit,
    Pop3Reply,
}

impl Topic {
    /// Every topic.
    pub const ALL: [Self; 34] = [
        Self::Submit,
        Self::Connect,
        Self::ConnectRefused,
        Self::ConnectTimeout,
        Self::Tls,
        Self::DnsMx,
        Self::DnsSrv,
        Self::DnsAddress,
        Self::DnsAnswer,
        Self::Route,
        Self::NoRoute,
        Self::Queue,
        Self::Retry,
        Self::Deliver,
        Self::Relay,
        Self::Bounce,
        Self::Greylisting,
        Self::RoundTrips,
        Self::Uucp,
        Self::Smuggling,
        Self::Pregreet,
        Self::Mua,
        Self::Msa,
        Self::Mta,
        Self::Mda,
        Self::Envelope,
        Self::Pop3,
        Self::Pop3User,
        Self::Pop3Pass,
        Self::Pop3Stat,
        Self::Pop3Retr,
        Self::Pop3Dele,
        Self::Pop3Quit,
        Self::Pop3Reply,
    ];

    /// The name in its key, e.g. `connect-refused`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Connect => "connect",
            Self::ConnectRefused => "connect-refused",
            Self::ConnectTimeout => "connect-timeout",
            Self::Tls => "tls",
            Self::DnsMx => "dns-mx",
            Self::DnsSrv => "dns-srv",
            Self::DnsAddress => "dns-address",
            Self::DnsAnswer => "dns-answer",
            Self::Route => "route",
            Self::NoRoute => "no-route",
            Self::Queue => "queue",
            Self::Retry => "retry",
            Self::Deliver => "deliver",
            Self::Relay => "relay",
            Self::Bounce => "bounce",
            Self::Greylisting => "greylisting",
            Self::RoundTrips => "round-trips",
            Self::Uucp => "uucp",
            Self::Smuggling => "smuggling",
            Self::Pregreet => "pregreet",
            Self::Mua => "mua",
            Self::Msa => "msa",
            Self::Mta => "mta",
            Self::Mda => "mda",
            Self::Envelope => "envelope",
            Self::Pop3 => "pop3",
            Self::Pop3User => "pop3-user",
            Self::Pop3Pass => "pop3-pass",
            Self::Pop3Stat => "pop3-stat",
            Self::Pop3Retr => "pop3-retr",
            Self::Pop3Dele => "pop3-dele",
            Self::Pop3Quit => "pop3-quit",
            Self::Pop3Reply => "pop3-reply",
        }
    }

    /// The topic a POP3 command's step is about (RFC 1939 §5–§6), if it has one.
    pub fn of_pop3_command(verb: &str) -> Option<Self> {
        let topic = match verb.to_ascii_uppercase().as_str() {
            "USER" => Self::Pop3User,
            "PASS" => Self::Pop3Pass,
            "STAT" => Self::Pop3Stat,
            "RETR" => Self::Pop3Retr,
            "DELE" => Self::Pop3Dele,
            "QUIT" => Self::Pop3Quit,
            _ => return None,
        };
        Some(topic)
    }

    /// What it means.
    pub fn explanation(self) -> Explanation {
        TOPICS
            .iter()
            .find(|(topic, _)| *topic == self)
            .map_or(MISSING, |(_, explanation)| *explanation)
    }
}

/// Never shown: every topic has its entry (a test checks).
pub(super) const MISSING: Explanation = Explanation {
    summary: "",
    reference: "",
};

/// Every topic and what it means.
pub const TOPICS: &[(Topic, Explanation)] = &[
    (
        Topic::Submit,
        Explanation {
            summary: "A mail client hands a new message to its own server on the submission port (587), after logging in; that server then takes care of delivery.",
            reference: "RFC 6409 §3; RFC 8314 §3",
        },
    ),
    (
        Topic::Connect,
        Explanation {
            summary: "The sending host opens a TCP connection to port 25 of the receiving host; the receiver speaks first, with its greeting.",
            reference: "RFC 5321 §3.1",
        },
    ),
    (
        Topic::ConnectRefused,
        Explanation {
            summary: "Nobody accepts the connection. The sender does not give up: it tries the next host of the route, and later tries again.",
            reference: "RFC 5321 §5.1, §4.5.4.1",
        },
    ),
    (
        Topic::ConnectTimeout,
        Explanation {
            summary: "The host does not answer at all. After a timeout the sender treats it like a refused connection: next host, then retry later.",
            reference: "RFC 5321 §4.5.3.2, §5.1",
        },
    ),
    (
        Topic::Tls,
        Explanation {
            summary: "After STARTTLS and its 220 reply both sides run a TLS handshake; then the client starts over with EHLO, forgetting what it learned before (the simulator does not encrypt).",
            reference: "RFC 3207 §4.2",
        },
    ),
    (
        Topic::DnsMx,
        Explanation {
            summary: "To deliver to a domain, the sender asks DNS for the domain's MX records: the hosts that take mail for it, each with a preference (lower is tried first).",
            reference: "RFC 5321 §5.1",
        },
    ),
    (
        Topic::DnsSrv,
        Explanation {
            summary: "With SRV routing (an option some MTAs such as Exim offer) the sender first asks for _smtp._tcp SRV records: hosts with a priority, a weight and a port.",
            reference: "RFC 2782",
        },
    ),
    (
        Topic::DnsAddress,
        Explanation {
            summary: "Each mail host's name is turned into addresses with AAAA (IPv6) and A (IPv4) queries.",
            reference: "RFC 5321 §5.1",
        },
    ),
    (
        Topic::DnsAnswer,
        Explanation {
            summary: "The resolver's answer: records, 'no such name' (NXDOMAIN), 'no records of that type', or a failure, which only means 'try again later'.",
            reference: "RFC 1035 §4.1.1; RFC 5321 §5.1",
        },
    ),
    (
        Topic::Route,
        Explanation {
            summary: "The hosts to try, in order: MX records by preference, equal preferences in random order to spread the load; with no MX, the domain itself (implicit MX).",
            reference: "RFC 5321 §5.1",
        },
    ),
    (
        Topic::NoRoute,
        Explanation {
            summary: "No host can be tried: the domain does not exist, takes no mail (null MX), or its lookup failed. A failed lookup is temporary; the others are permanent.",
            reference: "RFC 5321 §5.1; RFC 7505 §3",
        },
    ),
    (
        Topic::Queue,
        Explanation {
            summary: "Once a server answers 250 to the end of the data it is responsible for the message: it keeps it in its queue until it is delivered or returned.",
            reference: "RFC 5321 §6.1",
        },
    ),
    (
        Topic::Retry,
        Explanation {
            summary: "A temporary failure (4yz, or no host reachable) leaves the recipient in the queue; it is tried again later, with growing waits, for a few days.",
            reference: "RFC 5321 §4.5.4.1",
        },
    ),
    (
        Topic::Deliver,
        Explanation {
            summary: "The final server puts the message in the recipient's mailbox, with Return-Path and Received header fields recording its way.",
            reference: "RFC 5321 §4.4",
        },
    ),
    (
        Topic::Relay,
        Explanation {
            summary: "A backup MX takes the message for a domain it does not hold and queues it, to pass it on to a more preferred host once that one is back.",
            reference: "RFC 5321 §3.6, §5.1",
        },
    ),
    (
        Topic::Bounce,
        Explanation {
            summary: "A recipient failed for good: the server that held the message sends a delivery status notification back to the sender, from the null reverse path <> so it can never bounce itself.",
            reference: "RFC 5321 §4.5.5, §6.1; RFC 3464",
        },
    ),
    (
        Topic::Greylisting,
        Explanation {
            summary: "A receiver may refuse mail from an unknown sender with a temporary 4yz the first time; real MTAs retry and are let in, many spam senders do not.",
            reference: "RFC 6647",
        },
    ),
    (
        Topic::RoundTrips,
        Explanation {
            summary: "Each time the client must wait for a reply before sending more costs a network round trip. With PIPELINING the client sends MAIL, every RCPT and DATA at once and reads the replies in order.",
            reference: "RFC 2920 §3",
        },
    ),
    (
        Topic::Pregreet,
        Explanation {
            summary: "A client must wait for the server's 220 greeting before it sends anything. Spam engines often do not: they send at once to save time. A server can hold its greeting back for a few seconds (Postfix's postscreen waits 6) and refuse with 554 whoever talks first; real mail clients and servers wait and never notice.",
            reference: "RFC 5321 §3.1",
        },
    ),
    (
        Topic::Mua,
        Explanation {
            summary: "MUA, mail user agent: the program a person reads and writes mail with (Thunderbird, a phone's mail app, a webmail page). It hands new mail to an MSA and fetches mail with POP3 or IMAP.",
            reference: "RFC 5598 §2.1",
        },
    ),
    (
        Topic::Msa,
        Explanation {
            summary: "MSA, message submission agent: the server that takes a user's new mail, after a login, usually on port 587 or 465, checks it and hands it on to an MTA.",
            reference: "RFC 5598 §4.3.1; RFC 6409",
        },
    ),
    (
        Topic::Mta,
        Explanation {
            summary: "MTA, message transfer agent: a mail server that relays mail from server to server over SMTP on port 25, finding the next one by the recipient domain's MX records.",
            reference: "RFC 5598 §4.3.2",
        },
    ),
    (
        Topic::Mda,
        Explanation {
            summary: "MDA, message delivery agent: the last step on the server, which puts a message into the recipient's mailbox (a Maildir, say), where the MUA will find it.",
            reference: "RFC 5598 §4.3.3",
        },
    ),
    (
        Topic::Envelope,
        Explanation {
            summary: "The envelope is what MAIL FROM and RCPT TO say: where the mail goes and where bounces return. The header (From:, To:, Subject:) is part of the message itself, and may say something else entirely, as Bcc and mailing lists show.",
            reference: "RFC 5321 §2.3.1; RFC 5598 §4.1",
        },
    ),
    (
        Topic::Uucp,
        Explanation {
            summary: "Before SMTP with DNS MX records, much mail travelled over UUCP: hosts dialled their neighbours a few times a day, and the sender wrote the whole route as a bang path (hostA!hostB!user). A broken hop meant a dead end.",
            reference: "RFC 976 §2; RFC 974 (MX routing)",
        },
    ),
    (
        Topic::Smuggling,
        Explanation {
            summary: "SMTP smuggling: if a server takes <LF>.<LF> as the end of the data, the rest of the 'message' is read as new commands, and a forged second message slips through. RFC 5321 lines end only in CRLF; a strict server refuses bare LFs.",
            reference: "RFC 5321 §2.3.8, §4.1.1.4",
        },
    ),
    (
        Topic::Pop3,
        Explanation {
            summary: "The recipient's mail client connects to its mailbox server with POP3 (port 110, or 995 with TLS) to download the messages; SMTP only carries mail between servers.",
            reference: "RFC 1939 §3",
        },
    ),
    (
        Topic::Pop3User,
        Explanation {
            summary: "USER names the maildrop; PASS follows with the password. Until both succeed the session is in the AUTHORIZATION state.",
            reference: "RFC 1939 §7",
        },
    ),
    (
        Topic::Pop3Pass,
        Explanation {
            summary: "PASS gives the password; on +OK the server locks the maildrop and the session enters the TRANSACTION state.",
            reference: "RFC 1939 §7",
        },
    ),
    (
        Topic::Pop3Stat,
        Explanation {
            summary: "STAT asks how many messages the maildrop holds and their total size in octets.",
            reference: "RFC 1939 §5",
        },
    ),
    (
        Topic::Pop3Retr,
        Explanation {
            summary: "RETR sends one message, whole, ending with a line holding only a dot; lines starting with a dot get an extra one, exactly as in SMTP's DATA.",
            reference: "RFC 1939 §5, §3",
        },
    ),
    (
        Topic::Pop3Dele,
        Explanation {
            summary: "DELE marks a message deleted; it is removed only when the session ends with QUIT.",
            reference: "RFC 1939 §5",
        },
    ),
    (
        Topic::Pop3Quit,
        Explanation {
            summary: "QUIT ends the session; in the TRANSACTION state the server now removes the messages marked deleted (the UPDATE state).",
            reference: "RFC 1939 §6",
        },
    ),
    (
        Topic::Pop3Reply,
        Explanation {
            summary: "POP3 replies start with +OK or -ERR; a multi-line reply ends with a line holding only a dot.",
            reference: "RFC 1939 §3",
        },
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_has_its_explanation_once() {
        for topic in Topic::ALL {
            let entries = TOPICS.iter().filter(|(known, _)| *known == topic).count();
            assert_eq!(entries, 1, "{}", topic.name());
            assert!(!topic.explanation().summary.is_empty());
        }
        assert_eq!(TOPICS.len(), Topic::ALL.len());
    }
}
