//! The simulator: every built-in scenario, parsed from JSON and played to its end
//! (real sessions, routing, queue, DSNs, POP3), natively.
//!
//! `cargo bench -p wasmtp-core --bench sim`

// Benchmarks run natively; on wasm targets (checked by clippy) this is an empty program.
#[cfg(target_family = "wasm")]
fn main() {}

#[cfg(not(target_family = "wasm"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_family = "wasm"))]
mod native {
    use criterion::{Criterion, criterion_group};
    use std::hint::black_box;
    use wasmtp_core::sim::{BUILT_IN, Scenario, run};

    fn all_scenarios(c: &mut Criterion) {
        let mut group = c.benchmark_group("simulator");
        group.bench_function("all built-in scenarios", |b| {
            b.iter(|| {
                let mut steps = 0;
                for (_, json) in BUILT_IN {
                    if let Ok(trace) = Scenario::from_json(json).and_then(|scenario| run(&scenario))
                    {
                        steps += trace.steps.len();
                    }
                }
                black_box(steps)
            })
        });
        group.finish();
    }

    criterion_group!(benches, all_scenarios);
}
