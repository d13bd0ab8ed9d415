//! Properties that hold for every input: round trips of the grammar, no panic on any
//! bytes, and chunking invariance of the server session (the same conversation split at
//! any points gives the same replies, messages and decisions).

// proptest needs threads and an OS RNG; these run natively (`cargo xtask test`).
#![cfg(not(target_family = "wasm"))]
// Test code: a failed unwrap is how a test reports a broken expectation.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use wasmtp_core::reply::{EnhancedCode, Reply, ReplyCode};
use wasmtp_core::syntax::reply::parse_reply;
use wasmtp_core::syntax::{
    AddressLiteral, Body, Command, Domain, ForwardPath, Host, InitialResponse, MailParameters,
    Mailbox, Notify, RcptParameters, Ret, ReversePath,
};
use wasmtp_core::test_support::replay;

fn domain() -> impl Strategy<Value = Domain> {
    proptest::collection::vec("[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", 1..4)
        .prop_filter_map("a domain", |labels| Domain::parse(&labels.join(".")))
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        domain().prop_map(Host::Domain),
        any::<[u8; 4]>().prop_map(|octets| Host::Literal(AddressLiteral::Ipv4(octets.into()))),
        any::<[u16; 8]>().prop_map(|groups| Host::Literal(AddressLiteral::Ipv6(groups.into()))),
    ]
}

fn mailbox() -> impl Strategy<Value = Mailbox> {
    // Dot-strings and arbitrary printable text (which renders as a Quoted-string).
    let local_part = prop_oneof![
        "[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]{1,10}(\\.[a-z0-9]{1,5}){0,2}",
        "[ -~]{0,20}"
    ];
    (local_part, host()).prop_map(|(local_part, host)| Mailbox { local_part, host })
}

fn xtext_value() -> impl Strategy<Value = String> {
    "[ -~]{1,30}"
}

fn mail_parameters() -> impl Strategy<Value = MailParameters> {
    (
        proptest::option::of(any::<u64>()),
        proptest::option::of(prop_oneof![
            Just(Body::SevenBit),
            Just(Body::EightBitMime),
            Just(Body::BinaryMime)
        ]),
        any::<bool>(),
        proptest::option::of(prop_oneof![Just(Ret::Full), Just(Ret::Headers)]),
        proptest::option::of(xtext_value()),
        proptest::option::of(prop_oneof![
            Just(ReversePath::Null),
            mailbox().prop_map(ReversePath::Mailbox)
        ]),
        any::<bool>(),
    )
        .prop_map(
            |(size, body, smtputf8, ret, envid, auth, requiretls)| MailParameters {
                size,
                body,
                smtputf8,
                ret,
                envid,
                auth: auth.map(Box::new),
                requiretls,
            },
        )
}

fn rcpt_parameters() -> impl Strategy<Value = RcptParameters> {
    let notify = prop_oneof![
        Just(Notify::Never),
        (any::<bool>(), any::<bool>(), any::<bool>())
            .prop_filter("at least one", |(s, f, d)| *s || *f || *d)
            .prop_map(|(success, failure, delay)| Notify::On {
                success,
                failure,
                delay
            }),
    ];
    let orcpt = (
        prop_oneof![Just("rfc822".to_owned()), Just("utf-8".to_owned())],
        "[ -~\u{e4}\u{4e2d}]{1,20}",
    )
        .prop_map(
            |(address_type, address)| wasmtp_core::syntax::OriginalRecipient {
                address_type,
                address,
            },
        );
    (proptest::option::of(notify), proptest::option::of(orcpt))
        .prop_map(|(notify, orcpt)| RcptParameters { notify, orcpt })
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        host().prop_map(Command::Ehlo),
        domain().prop_map(Command::Helo),
        (
            prop_oneof![
                Just(ReversePath::Null),
                mailbox().prop_map(ReversePath::Mailbox)
            ],
            mail_parameters()
        )
            .prop_map(|(reverse_path, parameters)| Command::Mail {
                reverse_path,
                parameters
            }),
        (
            prop_oneof![
                Just(ForwardPath::Postmaster),
                mailbox().prop_map(ForwardPath::Mailbox)
            ],
            rcpt_parameters()
        )
            .prop_map(|(forward_path, parameters)| Command::Rcpt {
                forward_path,
                parameters
            }),
        Just(Command::Data),
        Just(Command::Rset),
        Just(Command::Quit),
        Just(Command::StartTls),
        "[ -~]{0,20}".prop_map(Command::Vrfy),
        "[ -~]{0,20}".prop_map(Command::Expn),
        proptest::option::of("[ -~]{0,20}").prop_map(Command::Help),
        proptest::option::of("[ -~]{0,20}").prop_map(Command::Noop),
        (any::<u64>(), any::<bool>()).prop_map(|(size, last)| Command::Bdat { size, last }),
        (
            "[A-Z0-9_-]{1,20}",
            proptest::option::of(prop_oneof![
                Just(InitialResponse::Empty),
                proptest::collection::vec(any::<u8>(), 1..30).prop_map(|bytes| {
                    use base64::Engine as _;
                    InitialResponse::Base64(base64::engine::general_purpose::STANDARD.encode(bytes))
                }),
            ])
        )
            .prop_map(|(mechanism, initial_response)| Command::Auth {
                mechanism,
                initial_response
            }),
    ]
}

fn reply() -> impl Strategy<Value = Reply> {
    (
        200u16..=559,
        any::<bool>(),
        0u16..=7,
        0u16..=30,
        proptest::collection::vec("[A-Za-z][ -~]{0,40}", 1..5),
    )
        .prop_filter_map("a reply", |(code, enhanced, subject, detail, lines)| {
            let code = ReplyCode::new(code)?;
            let class = (code.value() / 100) as u8;
            let enhanced = if enhanced && class != 3 {
                EnhancedCode::new(class, subject, detail)
            } else {
                None
            };
            Reply::new(code, enhanced, lines).ok()
        })
}

/// Lines of plausible SMTP, including edge cases, to build conversations from.
fn conversation() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just(&b"EHLO c.example\r\n"[..]),
        Just(&b"HELO c.example\r\n"[..]),
        Just(&b"MAIL FROM:<a@c.example>\r\n"[..]),
        Just(&b"MAIL FROM:<a@c.example> SIZE=100 BODY=8BITMIME\r\n"[..]),
        Just(&b"RCPT TO:<b@mx.example>\r\n"[..]),
        Just(&b"RCPT TO:<no@mx.example>\r\n"[..]),
        Just(&b"DATA\r\n"[..]),
        Just(&b"Subject: x\r\n\r\n..dotted\r\n.\r\n"[..]),
        Just(&b"bare\nlf\r\n.\r\n"[..]),
        Just(&b"BDAT 7\r\nabc\r\n.\r\n"[..]),
        Just(&b"BDAT 3 LAST\r\nxyz"[..]),
        Just(&b"RSET\r\n"[..]),
        Just(&b"NOOP\r\n"[..]),
        Just(&b"VRFY x\r\n"[..]),
        Just(&b"AUTH PLAIN\r\n"[..]),
        Just(&b"AHVzZXIAcGFzcw==\r\n"[..]),
        Just(&b"AUTH LOGIN\r\n"[..]),
        Just(&b"*\r\n"[..]),
        Just(&b"STARTTLS\r\n"[..]),
        Just(&b"QUIT\r\n"[..]),
    ];
    let piece = prop_oneof![
        4 => line.prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 0..40),
        1 => Just(vec![b'x'; 600]),
    ];
    proptest::collection::vec(piece, 0..25).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_command_renders_to_a_line_that_parses_back_equal(command in command()) {
        let line = command.to_string();
        prop_assert_eq!(Command::parse(line.as_bytes()), Ok(command), "{}", line);
    }

    #[test]
    fn every_reply_renders_to_bytes_that_parse_back_equal(reply in reply()) {
        let bytes = reply.to_bytes();
        let parsed = parse_reply(&bytes);
        prop_assert_eq!(parsed, Ok(Some((reply, bytes.len()))));
    }

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Command::parse(&bytes);
        let _ = parse_reply(&bytes);
    }

    #[test]
    fn session_output_does_not_depend_on_how_input_is_split(
        input in conversation(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let whole = replay(&[&input]);
        let mut points: Vec<usize> = cuts.iter().map(|cut| cut.index(input.len() + 1)).collect();
        points.sort_unstable();
        points.dedup();
        let mut chunks = Vec::new();
        let mut start = 0;
        for point in points {
            chunks.push(&input[start..point]);
            start = point;
        }
        chunks.push(&input[start..]);
        let split = replay(&chunks);
        prop_assert_eq!(split, whole);
    }

    #[test]
    fn session_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = replay(&[&bytes]);
    }
}

fn capabilities() -> impl Strategy<Value = wasmtp_core::ehlo::Capabilities> {
    (
        proptest::array::uniform10(any::<bool>()),
        proptest::option::of(any::<u64>()),
        proptest::option::of(1..=100_000usize),
        proptest::collection::vec("[A-Z][A-Z0-9_-]{0,19}", 0..4),
    )
        .prop_map(|(flags, size, rcpt_max, auth)| {
            let [
                pipelining,
                eight_bit_mime,
                smtputf8,
                enhanced,
                chunking,
                binary,
                dsn,
                starttls,
                requiretls,
                _,
            ] = flags;
            wasmtp_core::ehlo::Capabilities {
                pipelining,
                size,
                eight_bit_mime,
                smtputf8,
                enhanced_status_codes: enhanced,
                chunking,
                binary_mime: binary,
                dsn,
                starttls,
                requiretls,
                auth,
                rcpt_max,
            }
        })
}

proptest! {
    /// What the server writes into its EHLO reply, the client reads back as it was
    /// (RFC 5321 §4.1.1.1): one vocabulary for both sides.
    #[test]
    fn ehlo_keywords_round_trip(offered in capabilities()) {
        let mut lines = vec!["mx.example greets client.example".to_owned()];
        lines.extend(offered.keywords());
        let reply = Reply::new(ReplyCode::OK, None, lines).unwrap();
        let (parsed, _) = parse_reply(&reply.to_bytes()).unwrap().unwrap();
        prop_assert_eq!(wasmtp_core::ehlo::Capabilities::from_ehlo(&parsed), offered);
    }
}
