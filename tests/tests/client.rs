//! The core's `ClientSession`, natively over real loopback sockets, sending to real
//! servers: aiosmtpd (Python) and `wasmtp-server.wasm` in wasmtime. Each received
//! message is compared byte for byte where the server keeps it.

use wasmtp_tests::{Environment, send_with_client_session};

/// Dot-leading lines exercise stuffing; the lone dot line must not end the data.
const MESSAGE: &[u8] =
    b"From: alice@client.test\r\nSubject: interop\r\n\r\n.one\r\n..two\r\n.\r\nend\r\n";

#[test]
fn client_session_delivers_to_aiosmtpd_byte_for_byte() {
    let environment = Environment::from_env();
    let store = environment.fresh_dir("aiosmtpd");
    let server = environment.start_aiosmtpd(&store);
    for (round, chunking) in [(1, false), (2, true)] {
        // aiosmtpd offers no CHUNKING, so the client falls back to DATA either way.
        let outcome = send_with_client_session(
            server.address,
            &["bob@example.test", "nobody@example.test"],
            MESSAGE,
            chunking,
        );
        assert_eq!(outcome.kinds(), ["delivered", "permanent"], "{outcome:?}");
        assert_eq!(outcome.failure, None);
        let stored = std::fs::read(store.join(format!("{round}.eml"))).expect("a stored message");
        assert_eq!(stored, MESSAGE);
        let recipients =
            std::fs::read_to_string(store.join(format!("{round}.rcpt"))).expect("recipients");
        assert_eq!(recipients, "bob@example.test");
    }
}

#[test]
fn client_session_delivers_to_wasmtp_server_with_data_and_with_bdat() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    for chunking in [false, true] {
        let outcome = send_with_client_session(
            server.address,
            &["bob@wasmtp.test", "carol@wasmtp.test", "eve@elsewhere.test"],
            MESSAGE,
            chunking,
        );
        // The server does not relay: elsewhere.test is refused with 554 5.7.1.
        assert_eq!(
            outcome.kinds(),
            ["delivered", "delivered", "permanent"],
            "{outcome:?}"
        );
    }
    for user in ["bob", "carol"] {
        let delivered = server.mailbox("wasmtp.test", user);
        assert_eq!(delivered.len(), 2, "{user}: one by DATA, one by BDAT");
        for message in delivered {
            assert!(
                message.ends_with(MESSAGE),
                "{}",
                String::from_utf8_lossy(&message)
            );
        }
    }
}
