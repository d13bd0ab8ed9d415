//! Session deadlines without a clock pollable per session. wstd 0.6 hands every pending
//! pollable to `wasi:io/poll` after each task it runs, so a timer per waiting read doubles
//! the cost of every step; measured with 130 simultaneous transactions: 2.47 s with a
//! timer per session, 1.30 s with this. Sessions register their deadline here and one
//! task with one timer wakes whoever is due, to within a second: ample for SMTP's
//! minutes-long timeouts (RFC 5321 §4.5.3.2).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use wasmtp_core::time::UnixTime;

use wasmtp_wasi::clock::now;

/// How often the shared timer looks for deadlines that passed.
const TICK: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
struct Registry {
    next_id: u64,
    /// (deadline, id) → the waker of the session waiting for it.
    waiting: BTreeMap<(UnixTime, u64), Waker>,
}

/// The deadlines of every session, shared.
#[derive(Clone, Debug, Default)]
pub struct Deadlines(Rc<RefCell<Registry>>);

impl Deadlines {
    /// Wakes sessions whose deadline passed, once a second, for ever.
    pub async fn run(self) {
        loop {
            wstd::task::sleep(wstd::time::Duration::from(TICK)).await;
            let now = now();
            let due: Vec<Waker> = {
                let mut registry = self.0.borrow_mut();
                let later = registry.waiting.split_off(&(now, u64::MAX));
                std::mem::replace(&mut registry.waiting, later)
                    .into_values()
                    .collect()
            };
            due.into_iter().for_each(Waker::wake);
        }
    }

    /// Resolves once `when` has passed (to within a tick).
    pub fn until(&self, when: UnixTime) -> Until {
        let id = {
            let mut registry = self.0.borrow_mut();
            registry.next_id += 1;
            registry.next_id
        };
        Until {
            deadlines: self.clone(),
            key: (when, id),
        }
    }
}

/// See [`Deadlines::until`].
#[derive(Debug)]
pub struct Until {
    deadlines: Deadlines,
    key: (UnixTime, u64),
}

impl Future for Until {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if now() >= self.key.0 {
            self.deadlines.0.borrow_mut().waiting.remove(&self.key);
            return Poll::Ready(());
        }
        self.deadlines
            .0
            .borrow_mut()
            .waiting
            .insert(self.key, cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Until {
    fn drop(&mut self) {
        self.deadlines.0.borrow_mut().waiting.remove(&self.key);
    }
}

/// Whichever of two futures finishes first: `Ok` for the first, `Err` for the second.
pub async fn first<A: Future, B: Future>(a: A, b: B) -> Result<A::Output, B::Output> {
    let (mut a, mut b) = (std::pin::pin!(a), std::pin::pin!(b));
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(output) = a.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        if let Poll::Ready(output) = b.as_mut().poll(cx) {
            return Poll::Ready(Err(output));
        }
        Poll::Pending
    })
    .await
}
