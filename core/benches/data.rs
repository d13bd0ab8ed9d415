//! DATA framing through the server session (end-of-data search, dot-unstuffing, content
//! checks) beside a plain memchr scan-and-copy of the same bytes: the practical limit.
//!
//! `cargo bench -p wasmtp-core --bench data`

// Benchmarks run natively; on wasm targets (checked by clippy) this is an empty program.
#[cfg(target_family = "wasm")]
fn main() {}

#[cfg(not(target_family = "wasm"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_family = "wasm"))]
mod native {
    use criterion::{Criterion, Throughput, criterion_group};
    use std::hint::black_box;
    use wasmtp_core::server::{ConnectionInfo, Decision, Event, ServerConfig, ServerSession};
    use wasmtp_core::time::UnixTime;

    const T0: UnixTime = UnixTime::from_millis(1_795_860_000_000);
    const READ_SIZE: usize = 64 * 1024;

    /// A 1 MiB message of 76-character lines, one in twenty starting with a stuffed dot.
    fn message() -> Vec<u8> {
        let mut body = Vec::with_capacity(1 << 20);
        let mut n = 0;
        while body.len() < (1 << 20) {
            if n % 20 == 0 {
                body.extend_from_slice(b"..");
            }
            body.extend_from_slice(&[b'a' + (n % 26) as u8; 74]);
            body.extend_from_slice(b"\r\n");
            n += 1;
        }
        body.extend_from_slice(b".\r\n");
        body
    }

    /// A session in DATA, ready for the message.
    fn session_in_data() -> ServerSession {
        let mut config = ServerConfig::new("mx.example").unwrap_or_else(|_| unreachable!());
        config.limits.message_size = 64 << 20;
        let mut session = ServerSession::new(config, ConnectionInfo::default(), T0);
        session.receive(
            b"EHLO c.example\r\nMAIL FROM:<a@c.example>\r\nRCPT TO:<b@mx.example>\r\nDATA\r\n",
            T0,
        );
        while let Some(event) = session.next() {
            if matches!(event, Event::Mail { .. } | Event::Rcpt { .. }) {
                session
                    .decide(Decision::Accept)
                    .unwrap_or_else(|_| unreachable!());
            }
        }
        session
    }

    fn data_framing(c: &mut Criterion) {
        let message = message();
        let mut group = c.benchmark_group("DATA framing");
        group.throughput(Throughput::Bytes(message.len() as u64));
        group.bench_function("wasmtp-core session", |b| {
            b.iter_batched(
                session_in_data,
                |mut session| {
                    let mut stored = 0;
                    for chunk in message.chunks(READ_SIZE) {
                        session.receive(chunk, T0);
                        while let Some(event) = session.next() {
                            match event {
                                Event::MessageData(bytes) => stored += bytes.len(),
                                Event::MessageEnd(_) => session
                                    .decide(Decision::Accept)
                                    .unwrap_or_else(|_| unreachable!()),
                                _ => {}
                            }
                        }
                    }
                    black_box(stored)
                },
                criterion::BatchSize::SmallInput,
            )
        });
        group.bench_function("memchr scan-and-copy baseline", |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(READ_SIZE);
                let mut stored = 0;
                for chunk in message.chunks(READ_SIZE) {
                    out.clear();
                    let end = memchr::memmem::find(chunk, b"\r\n.\r\n").unwrap_or(chunk.len());
                    out.extend_from_slice(&chunk[..end]);
                    stored += out.len();
                }
                black_box(stored)
            })
        });
        group.finish();
    }

    criterion_group!(benches, data_framing);
}
