//! What each line of an EHLO reply offers (RFC 5321 §4.1.1.1 and the extension that
//! defines each keyword). Keys are `keyword:<KEYWORD>`, e.g. `keyword:PIPELINING`.

use super::Explanation;

/// Every EHLO keyword wasmtp speaks, with what it means.
pub(super) const KEYWORDS: &[(&str, Explanation)] = &[
    (
        "PIPELINING",
        Explanation {
            summary: "The client may send several commands (MAIL, every RCPT, DATA) without waiting for each reply, saving round trips.",
            reference: "RFC 2920 §3",
        },
    ),
    (
        "SIZE",
        Explanation {
            summary: "The largest message the server takes, in octets. A client declares its message's size in MAIL, and a message that is too large is refused before it is sent.",
            reference: "RFC 1870 §4",
        },
    ),
    (
        "8BITMIME",
        Explanation {
            summary: "The message may hold octets above 127 (accented letters in UTF-8, say) when MAIL says BODY=8BITMIME.",
            reference: "RFC 6152 §2",
        },
    ),
    (
        "SMTPUTF8",
        Explanation {
            summary: "Addresses and header fields may be written in UTF-8, like jösé@example.org, when MAIL says SMTPUTF8.",
            reference: "RFC 6531 §3.1",
        },
    ),
    (
        "ENHANCEDSTATUSCODES",
        Explanation {
            summary: "Each reply carries a second, finer code such as 5.1.1 (no such mailbox) after its three digits.",
            reference: "RFC 2034 §3",
        },
    ),
    (
        "CHUNKING",
        Explanation {
            summary: "The message may be sent in counted chunks with BDAT instead of DATA: no dot to end it and no dot-stuffing.",
            reference: "RFC 3030 §2",
        },
    ),
    (
        "BINARYMIME",
        Explanation {
            summary: "With BDAT, the message may hold any octets at all, with no line length limit (BODY=BINARYMIME).",
            reference: "RFC 3030 §3",
        },
    ),
    (
        "DSN",
        Explanation {
            summary: "Delivery status notifications: the client may ask for a report on success, failure or delay (NOTIFY), how much of the message a bounce returns (RET) and an id for the reports (ENVID).",
            reference: "RFC 3461 §4",
        },
    ),
    (
        "STARTTLS",
        Explanation {
            summary: "The client may turn this connection into an encrypted one with the STARTTLS command.",
            reference: "RFC 3207 §4",
        },
    ),
    (
        "REQUIRETLS",
        Explanation {
            summary: "The client may ask that the message travel only over TLS on every hop after this one (MAIL … REQUIRETLS).",
            reference: "RFC 8689 §4",
        },
    ),
    (
        "AUTH",
        Explanation {
            summary: "The client may log in with one of the SASL mechanisms listed (PLAIN, LOGIN) before sending mail.",
            reference: "RFC 4954 §3",
        },
    ),
    (
        "LIMITS",
        Explanation {
            summary: "The server's limits said up front, such as RCPTMAX: the most recipients it takes in one transaction, so the client can split a large list.",
            reference: "RFC 9422 §3",
        },
    ),
];

/// What the EHLO keyword `keyword` (any case) offers.
pub fn keyword(keyword: &str) -> Option<(&'static str, Explanation)> {
    KEYWORDS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(keyword))
        .copied()
}
