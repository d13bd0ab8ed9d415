//! What the simulator's steps that are not commands or replies mean: routing, queueing,
//! retrying, bouncing, checking who sent a message. Keys are `topic:<name>`.

use super::Source;

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
    Imap,
    ImapLogin,
    ImapSelect,
    ImapFetch,
    ImapLogout,
    ImapResponse,
    /// Mail authentication: each check's DNS question, and each of its results.
    SpfRecord,
    SpfPass,
    SpfFail,
    SpfSoftfail,
    SpfNeutral,
    SpfNone,
    SpfError,
    DkimKey,
    DkimPass,
    DkimFail,
    DkimNone,
    DkimError,
    DmarcRecord,
    DmarcPass,
    DmarcFail,
    DmarcNone,
    DmarcError,
}

impl Topic {
    /// Every topic.
    pub const ALL: [Self; 57] = [
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
        Self::Imap,
        Self::ImapLogin,
        Self::ImapSelect,
        Self::ImapFetch,
        Self::ImapLogout,
        Self::ImapResponse,
        Self::SpfRecord,
        Self::SpfPass,
        Self::SpfFail,
        Self::SpfSoftfail,
        Self::SpfNeutral,
        Self::SpfNone,
        Self::SpfError,
        Self::DkimKey,
        Self::DkimPass,
        Self::DkimFail,
        Self::DkimNone,
        Self::DkimError,
        Self::DmarcRecord,
        Self::DmarcPass,
        Self::DmarcFail,
        Self::DmarcNone,
        Self::DmarcError,
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
            Self::Imap => "imap",
            Self::ImapLogin => "imap-login",
            Self::ImapSelect => "imap-select",
            Self::ImapFetch => "imap-fetch",
            Self::ImapLogout => "imap-logout",
            Self::ImapResponse => "imap-response",
            Self::SpfRecord => "spf-record",
            Self::SpfPass => "spf-pass",
            Self::SpfFail => "spf-fail",
            Self::SpfSoftfail => "spf-softfail",
            Self::SpfNeutral => "spf-neutral",
            Self::SpfNone => "spf-none",
            Self::SpfError => "spf-error",
            Self::DkimKey => "dkim-key",
            Self::DkimPass => "dkim-pass",
            Self::DkimFail => "dkim-fail",
            Self::DkimNone => "dkim-none",
            Self::DkimError => "dkim-error",
            Self::DmarcRecord => "dmarc-record",
            Self::DmarcPass => "dmarc-pass",
            Self::DmarcFail => "dmarc-fail",
            Self::DmarcNone => "dmarc-none",
            Self::DmarcError => "dmarc-error",
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

    /// The topic an IMAP command's step is about (RFC 9051 §6), if it has one.
    pub fn of_imap_command(name: &str) -> Option<Self> {
        let topic = match name.to_ascii_uppercase().as_str() {
            "LOGIN" => Self::ImapLogin,
            "SELECT" | "EXAMINE" => Self::ImapSelect,
            "FETCH" => Self::ImapFetch,
            "LOGOUT" => Self::ImapLogout,
            _ => return None,
        };
        Some(topic)
    }

    /// What it is about: `topic-<name>` in the catalog.
    pub(super) fn source(self) -> Source {
        let reference = TOPICS
            .iter()
            .find(|(topic, _)| *topic == self)
            .map_or("", |(_, reference)| *reference);
        Source::new(format!("topic-{}", self.name()), reference)
    }
}

/// Every topic and the document that defines it.
pub(super) const TOPICS: &[(Topic, &str)] = &[
    (Topic::Submit, "RFC 6409 §3; RFC 8314 §3"),
    (Topic::Connect, "RFC 5321 §3.1"),
    (Topic::ConnectRefused, "RFC 5321 §5.1, §4.5.4.1"),
    (Topic::ConnectTimeout, "RFC 5321 §4.5.3.2, §5.1"),
    (Topic::Tls, "RFC 3207 §4.2"),
    (Topic::DnsMx, "RFC 5321 §5.1"),
    (Topic::DnsSrv, "RFC 2782"),
    (Topic::DnsAddress, "RFC 5321 §5.1"),
    (Topic::DnsAnswer, "RFC 1035 §4.1.1; RFC 5321 §5.1"),
    (Topic::Route, "RFC 5321 §5.1"),
    (Topic::NoRoute, "RFC 5321 §5.1; RFC 7505 §3"),
    (Topic::Queue, "RFC 5321 §6.1"),
    (Topic::Retry, "RFC 5321 §4.5.4.1"),
    (Topic::Deliver, "RFC 5321 §4.4"),
    (Topic::Relay, "RFC 5321 §3.6, §5.1"),
    (Topic::Bounce, "RFC 5321 §4.5.5, §6.1; RFC 3464"),
    (Topic::Greylisting, "RFC 6647"),
    (Topic::RoundTrips, "RFC 2920 §3"),
    (Topic::Pregreet, "RFC 5321 §3.1"),
    (Topic::Mua, "RFC 5598 §2.1"),
    (Topic::Msa, "RFC 5598 §4.3.1; RFC 6409"),
    (Topic::Mta, "RFC 5598 §4.3.2"),
    (Topic::Mda, "RFC 5598 §4.3.3"),
    (Topic::Envelope, "RFC 5321 §2.3.1; RFC 5598 §4.1"),
    (Topic::Uucp, "RFC 976 §2; RFC 974 (MX routing)"),
    (Topic::Smuggling, "RFC 5321 §2.3.8, §4.1.1.4"),
    (Topic::Pop3, "RFC 1939 §3"),
    (Topic::Pop3User, "RFC 1939 §7"),
    (Topic::Pop3Pass, "RFC 1939 §7"),
    (Topic::Pop3Stat, "RFC 1939 §5"),
    (Topic::Pop3Retr, "RFC 1939 §5, §3"),
    (Topic::Pop3Dele, "RFC 1939 §5"),
    (Topic::Pop3Quit, "RFC 1939 §6"),
    (Topic::Pop3Reply, "RFC 1939 §3"),
    (Topic::Imap, "RFC 9051 §3; RFC 8314 §3.3"),
    (Topic::ImapLogin, "RFC 9051 §6.2.3"),
    (Topic::ImapSelect, "RFC 9051 §6.3.2"),
    (Topic::ImapFetch, "RFC 9051 §6.4.5, §4.3"),
    (Topic::ImapLogout, "RFC 9051 §6.1.3"),
    (Topic::ImapResponse, "RFC 9051 §2.2.2, §7.1"),
    (Topic::SpfRecord, "RFC 7208 §4.4, §4.6.4"),
    (Topic::SpfPass, "RFC 7208 §2.6.3"),
    (Topic::SpfFail, "RFC 7208 §2.6.4, §8.4"),
    (Topic::SpfSoftfail, "RFC 7208 §2.6.5, §8.5"),
    (Topic::SpfNeutral, "RFC 7208 §2.6.2"),
    (Topic::SpfNone, "RFC 7208 §2.6.1"),
    (Topic::SpfError, "RFC 7208 §2.6.6, §2.6.7"),
    (Topic::DkimKey, "RFC 6376 §3.6.2, §6.1.2"),
    (Topic::DkimPass, "RFC 6376 §6.1.3, §6.3"),
    (Topic::DkimFail, "RFC 6376 §6.1.3"),
    (Topic::DkimNone, "RFC 8601 §2.7.1"),
    (Topic::DkimError, "RFC 6376 §6.1.1, §6.1.2; RFC 8301 §3.1"),
    (Topic::DmarcRecord, "RFC 7489 §6.6.3, §3.2"),
    (Topic::DmarcPass, "RFC 7489 §3.1, §6.6.2"),
    (Topic::DmarcFail, "RFC 7489 §6.3, §6.6.2, §6.7"),
    (Topic::DmarcNone, "RFC 7489 §6.6.3"),
    (Topic::DmarcError, "RFC 7489 §6.6.1, §6.6.3"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_has_its_explanation_once() {
        for topic in Topic::ALL {
            let entries = TOPICS.iter().filter(|(known, _)| *known == topic).count();
            assert_eq!(entries, 1, "{}", topic.name());
            assert!(!topic.source().reference.is_empty());
        }
        assert_eq!(TOPICS.len(), Topic::ALL.len());
    }
}
