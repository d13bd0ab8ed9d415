//! The library component's `auth.check` in wasmtime, in-process: SPF, DKIM and DMARC of
//! the 5 KB messages the core's `auth` bench signs (RSA 2048 and Ed25519, read from
//! `target/bench-inputs/`), with the same zone in memory — the key record, nothing
//! else. `cargo xtask bench` sets it beside the core's native `auth/check` figures.
//!
//! `cargo bench -p wasmtp-core --bench auth && WASMTP_DIST=dist cargo bench -p wasmtp-tests --bench auth_wasmtime`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use wasmtime::component::{Component, Linker};
use wasmtime::{Engine, Store};
use wasmtp_tests::WasiHost as Host;

wasmtime::component::bindgen!({
    world: "library",
    path: "../wasi-component/wit",
});

use exports::wasmtp::smtp::auth::{Client, DkimResult};
use exports::wasmtp::smtp::route::{RecordData, Zone, ZoneRecord};

/// The signing time of the inputs, in milliseconds.
const NOW: u64 = 1_796_000_000_000;

fn check_in_wasmtime(c: &mut Criterion) {
    let dist = PathBuf::from(std::env::var_os("WASMTP_DIST").unwrap_or_else(|| "dist".into()));
    let engine = Engine::default();
    let component = Component::from_file(&engine, dist.join("wasmtp.wasm"))
        .unwrap_or_else(|error| panic!("load wasmtp.wasm from {}: {error}", dist.display()));
    let mut linker = Linker::new(&engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("link WASI");
    let mut store = Store::new(&engine, Host::default());
    let library = Library::instantiate(&mut store, &component, &linker).expect("instantiate");
    let auth = library.wasmtp_smtp_auth();
    let inputs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-inputs");
    let client = Client {
        ip: "192.0.2.10".into(),
        helo: "mail.example.com".into(),
        mail_from: "alice@example.com".into(),
        receiver: "mx.example.org".into(),
    };
    for (selector, name) in [("rsa", "rsa-sha256 (2048 bits)"), ("ed", "ed25519-sha256")] {
        let read = |extension: &str| {
            let path = inputs.join(format!("dkim-5k-{selector}.{extension}"));
            std::fs::read(&path).unwrap_or_else(|error| {
                panic!(
                    "{}: {error} (run the core's auth bench first)",
                    path.display()
                )
            })
        };
        let message = read("eml");
        let zone = Zone {
            records: vec![ZoneRecord {
                name: format!("{selector}._domainkey.example.com"),
                data: RecordData::Txt(String::from_utf8(read("txt")).expect("a UTF-8 record")),
            }],
            failing: Vec::new(),
        };
        let mut check = || {
            auth.call_check(&mut store, &message, &client, &zone, NOW, 0)
                .expect("call check")
                .expect("a report")
        };
        assert_eq!(check().dkim[0].result, DkimResult::Pass);
        c.bench_function(&format!("wasmtime/auth.check 5 KB, {name}"), |b| {
            b.iter(|| black_box(check()))
        });
    }
}

criterion_group!(benches, check_in_wasmtime);
criterion_main!(benches);
