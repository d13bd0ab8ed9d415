//! Any line that parses as a command renders to a line that parses to the same command.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmtp_core::syntax::Command;

fuzz_target!(|line: &[u8]| {
    if let Ok(command) = Command::parse(line) {
        let rendered = command.to_string();
        assert_eq!(
            Command::parse(rendered.as_bytes()),
            Ok(command),
            "{rendered}"
        );
    }
});
