//! Per-instance instantiation in-process: `InstancePre::instantiate` (with a fresh
//! `Store`) of the library and server components, with wasmtime's default on-demand
//! allocator and with the pooling allocator, as an embedder serving one instance per
//! request or connection would. Reads the components from `WASMTP_DIST` (`cargo xtask
//! bench` sets it).
//!
//! `WASMTP_DIST=dist cargo bench -p wasmtp-tests --bench instantiate`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use wasmtime::component::{Component, InstancePre, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};
use wasmtp_tests::WasiHost as Host;

fn engine(pooling: bool) -> Engine {
    let mut config = Config::new();
    if pooling {
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(
            PoolingAllocationConfig::default(),
        ));
    }
    Engine::new(&config).expect("an engine")
}

fn prepared(engine: &Engine, artifact: &str) -> InstancePre<Host> {
    let dist = PathBuf::from(std::env::var_os("WASMTP_DIST").unwrap_or_else(|| "dist".into()));
    let component = Component::from_file(engine, dist.join(artifact))
        .unwrap_or_else(|error| panic!("load {artifact} from {}: {error}", dist.display()));
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("link WASI");
    linker.instantiate_pre(&component).expect("pre-instantiate")
}

fn instantiation(c: &mut Criterion) {
    let mut group = c.benchmark_group("instantiation");
    for artifact in ["wasmtp.wasm", "wasmtp-server.wasm"] {
        for (allocator, pooling) in [("on-demand", false), ("pooling", true)] {
            let engine = engine(pooling);
            let pre = prepared(&engine, artifact);
            group.bench_function(format!("{artifact} {allocator}"), |b| {
                b.iter(|| {
                    let mut store = Store::new(&engine, Host::default());
                    black_box(pre.instantiate(&mut store).expect("instantiate"));
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, instantiation);
criterion_main!(benches);
