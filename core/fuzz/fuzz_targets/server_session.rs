//! A server session fed arbitrary bytes never panics, and gives the same transcript
//! however the bytes are split. The first byte of the input chooses the split points.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmtp_core::test_support::replay;

fuzz_target!(|data: &[u8]| {
    let Some((&seed, input)) = data.split_first() else {
        return;
    };
    let whole = replay(&[input]);
    let step = usize::from(seed % 16) + 1;
    let chunks: Vec<&[u8]> = input.chunks(step).collect();
    assert_eq!(replay(&chunks), whole);
});
