//! Command parsing on a realistic mixed corpus, head to head with Stalwart's
//! `smtp-proto` in the same run. Both read the line with its CRLF.
//!
//! `cargo bench -p wasmtp-core --bench parse`

// Benchmarks run natively; on wasm targets (checked by clippy) this is an empty program.
#[cfg(target_family = "wasm")]
fn main() {}

#[cfg(not(target_family = "wasm"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_family = "wasm"))]
mod native {
    use criterion::{Criterion, Throughput, criterion_group};
    use std::hint::black_box;
    use wasmtp_core::syntax::{Command, split_line};

    /// What a busy MX hears: greetings, envelopes with ESMTP parameters, data commands.
    const CORPUS: &[&str] = &[
        "EHLO mail-oi1-f182.google.com\r\n",
        "MAIL FROM:<bounces+12345-abcd-user=example.org@em1234.mailer.example.com> SIZE=48213 BODY=8BITMIME\r\n",
        "RCPT TO:<alice@example.org>\r\n",
        "RCPT TO:<bob.smith@example.org> NOTIFY=FAILURE,DELAY ORCPT=rfc822;bob.smith@example.org\r\n",
        "RCPT TO:<Postmaster>\r\n",
        "DATA\r\n",
        "RSET\r\n",
        "MAIL FROM:<> SIZE=2048\r\n",
        "RCPT TO:<\"john doe\"@[192.0.2.17]>\r\n",
        "NOOP\r\n",
        "HELO client.example.net\r\n",
        "AUTH PLAIN AHVzZXJAZXhhbXBsZS5vcmcAc2VjcmV0\r\n",
        "BDAT 65536 LAST\r\n",
        "VRFY postmaster\r\n",
        "QUIT\r\n",
    ];

    fn parse_commands(c: &mut Criterion) {
        let bytes: usize = CORPUS.iter().map(|line| line.len()).sum();
        let mut group = c.benchmark_group("command parsing");
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("wasmtp-core", |b| {
            b.iter(|| {
                for line in CORPUS {
                    if let Some((command, _)) = split_line(black_box(line.as_bytes())) {
                        let _ = black_box(Command::parse(command));
                    }
                }
            })
        });
        group.bench_function("smtp-proto", |b| {
            b.iter(|| {
                for line in CORPUS {
                    let _ = black_box(smtp_proto::Request::parse(
                        &mut black_box(line.as_bytes()).iter(),
                    ));
                }
            })
        });
        group.finish();
    }

    criterion_group!(benches, parse_commands);
}
