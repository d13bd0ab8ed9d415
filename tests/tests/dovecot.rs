//! The recipient reads the mail the standard way: `wasmtp-server.wasm` (in wasmtime)
//! stores a message from Python's smtplib, with SMTPUTF8 and 8BITMIME, and Dovecot
//! serves the same Maildir to Python's imaplib and poplib, byte for byte.

use wasmtp_tests::{Environment, run_python};

const BODY: &str = "Grüße aus Köln!\r\n.leading dot\r\nlast line\r\n";

#[test]
fn dovecot_serves_what_the_server_stored_over_imap_and_pop3() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let script = format!(
        r#"
import smtplib
message = "From: <jürgen@client.test>\r\nTo: <bob@wasmtp.test>\r\nSubject: Grüße\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + {BODY:?}
with smtplib.SMTP("{host}", {port}) as client:
    client.ehlo("client.test")
    refused = client.sendmail("jürgen@client.test", ["bob@wasmtp.test"], message.encode("utf-8"),
                              mail_options=["SMTPUTF8", "BODY=8BITMIME"])
    assert not refused, refused
"#,
        host = server.address.ip(),
        port = server.address.port(),
    );
    run_python(&script);
    let stored = server.mailbox("wasmtp.test", "bob");
    assert_eq!(stored.len(), 1);
    let stored = &stored[0];
    let text = String::from_utf8(stored.clone()).expect("UTF-8 content");
    assert!(
        text.starts_with("Return-Path: <jürgen@client.test>\r\n"),
        "{text}"
    );
    assert!(
        text.contains(" with UTF8SMTP id "),
        "RFC 6531 §3.7.3: {text}"
    );
    assert!(text.ends_with(BODY), "{text}");

    let dovecot = environment.start_dovecot(&server.spool.as_ref().expect("a spool").join("mail"));
    let script = format!(
        r#"
import imaplib, poplib, sys
imap = imaplib.IMAP4("{ip}", {imap})
imap.login("bob@wasmtp.test", "secret")
imap.select("INBOX")
kind, data = imap.fetch("1", "(RFC822)")
sys.stdout.buffer.write(data[0][1])
imap.logout()
sys.stdout.buffer.write(b"\n--POP3--\n")
pop = poplib.POP3("{ip}", {pop3})
pop.user("bob@wasmtp.test")
pop.pass_("secret")
count, size = pop.stat()
sys.stdout.buffer.write(b"%d %d\n" % (count, size))
sys.stdout.buffer.write(b"\r\n".join(pop.retr(1)[1]) + b"\r\n")
pop.quit()
"#,
        ip = dovecot.imap.ip(),
        imap = dovecot.imap.port(),
        pop3 = dovecot.pop3.port(),
    );
    let output = run_python(&script);
    let (imap, pop3) = split_once(&output, b"\n--POP3--\n");
    assert_eq!(
        imap,
        stored.as_slice(),
        "IMAP FETCH RFC822 returns the stored bytes"
    );
    let (stat, retrieved) = split_once(pop3, b"\n");
    assert_eq!(stat, format!("1 {}", stored.len()).as_bytes());
    assert_eq!(
        retrieved,
        stored.as_slice(),
        "POP3 RETR returns the stored bytes"
    );
}

fn split_once<'a>(bytes: &'a [u8], separator: &[u8]) -> (&'a [u8], &'a [u8]) {
    let at = bytes
        .windows(separator.len())
        .position(|window| window == separator)
        .expect("the separator");
    (&bytes[..at], &bytes[at + separator.len()..])
}
