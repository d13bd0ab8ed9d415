//! Keeps the host able to answer "is this socket ready?" when hundreds are.
//!
//! wasmtime runs the whole guest inside one tokio task, and tokio gives a task a budget
//! of 128 readiness checks per turn. `wasi:io/poll` spends one on every ready pollable it
//! finds, so with 128 or more ready sockets the budget is gone before the guest looks at
//! any of them: every later `pollable.ready` and `check-write` answers "not yet", the
//! guest polls again, and the server spins at 100 % CPU without progress (measured: of
//! 200 simultaneous transactions, 18 finished in 60 s). A fresh zero-length timer yields
//! to tokio once when it is first waited on (wasmtime's `Deadline::Past`), which starts a
//! new turn with a full budget; doing that at the start of each turn of a busy task
//! costs one host call and lets it make progress however many sockets are ready.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs `task`, refilling the host's budget before each time it is polled. Every task
/// that does socket I/O runs this way: sessions and the relay queue.
pub fn refilled<F: Future>(task: F) -> Refilled<F> {
    Refilled(Box::pin(task))
}

/// See [`refilled`].
pub struct Refilled<F>(Pin<Box<F>>);

impl<F: Future> Future for Refilled<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        wasip2::clocks::monotonic_clock::subscribe_duration(0).block();
        self.0.as_mut().poll(cx)
    }
}
