//! `wasmtp-server.wasm` in the real `wasmtime run`, spoken to over TCP on loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;

use wasmtp_tests::Environment;

/// Reads one reply line, CRLF included.
fn read_line(reader: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).expect("read a reply line");
    line
}

#[test]
fn greets_with_220_and_answers_quit_with_221_then_closes() {
    // RFC 5321 §4.3.1 (greeting) and §4.1.1.10 (QUIT: 221, then close).
    let environment = Environment::from_env();
    let server = environment.start_server(&["--hostname", "mx.wasmtp.test"]);
    let mut stream = server.connect();
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));

    assert_eq!(
        read_line(&mut reader),
        "220 mx.wasmtp.test ESMTP wasmtp\r\n"
    );
    stream.write_all(b"QUIT\r\n").expect("send QUIT");
    assert_eq!(
        read_line(&mut reader),
        "221 2.0.0 mx.wasmtp.test closing connection\r\n"
    );
    let mut rest = Vec::new();
    reader
        .read_to_end(&mut rest)
        .expect("read until the server closes");
    assert!(rest.is_empty(), "nothing may follow 221: {rest:?}");
}

#[test]
fn unimplemented_command_gets_502_and_the_session_goes_on() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let mut stream = server.connect();
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    assert!(read_line(&mut reader).starts_with("220 localhost "));

    stream
        .write_all(b"VRFY postmaster\r\nQUIT\r\n")
        .expect("send two commands");
    assert_eq!(
        read_line(&mut reader),
        "502 5.5.1 Command not implemented\r\n"
    );
    assert!(read_line(&mut reader).starts_with("221 "));
}

#[test]
fn a_silent_client_does_not_hold_up_another() {
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let silent = server.connect();
    let mut silent_reader = BufReader::new(silent.try_clone().expect("clone the stream"));
    assert!(read_line(&mut silent_reader).starts_with("220 "));

    // The first client says nothing more; the second is served all the same.
    let mut second = server.connect();
    let mut reader = BufReader::new(second.try_clone().expect("clone the stream"));
    assert!(read_line(&mut reader).starts_with("220 "));
    second.write_all(b"QUIT\r\n").expect("send QUIT");
    assert!(read_line(&mut reader).starts_with("221 "));
}

#[test]
fn python_smtplib_connects_and_quits() {
    // A real SMTP client: smtplib reads the greeting and sends QUIT.
    let environment = Environment::from_env();
    let server = environment.start_server(&[]);
    let script = format!(
        "import smtplib\n\
         client = smtplib.SMTP('{}', {}, timeout=10)\n\
         print(client.quit())",
        server.address.ip(),
        server.address.port()
    );
    let output = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("run python3");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.starts_with("(221, b'2.0.0 localhost closing connection')"),
        "{printed}"
    );
}

#[test]
fn bad_flag_stops_the_start_with_a_message_naming_it() {
    let environment = Environment::from_env();
    let output = Command::new(&environment.wasmtime)
        .args(["run", "-S", "inherit-network"])
        .arg(environment.artifact("wasmtp-server.wasm"))
        .arg("--lisen")
        .output()
        .expect("run wasmtime");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown flag \"--lisen\""));
}

#[test]
fn hostname_that_would_inject_a_reply_line_is_refused() {
    let environment = Environment::from_env();
    let output = Command::new(&environment.wasmtime)
        .args(["run", "-S", "inherit-network"])
        .arg(environment.artifact("wasmtp-server.wasm"))
        .args(["--hostname", "evil\r\n250 ok"])
        .output()
        .expect("run wasmtime");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--hostname"));
}
