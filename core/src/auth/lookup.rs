//! The question-and-answer loop of a check that needs DNS. A check is written as an
//! `async` function that awaits its answers ([`Asker::ask`]); [`Lookup`] drives it one
//! question at a time, so the host answers however it likes — at once from a zone, or
//! later from a resolver — and no runtime, thread or clock is involved. Recursion
//! (SPF's `include:` and `redirect=`) stays plain code instead of a hand-unrolled
//! state machine.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::route::{Answer, RecordKind};

/// A DNS question of a check: any name as it goes on the wire (lower case, no trailing
/// dot; SPF asks for names like `_spf.example.com`), and the record type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Query {
    pub name: String,
    pub kind: RecordKind,
}

/// `example.org TXT?`, as a trace shows a question.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}?", self.name, self.kind.name())
    }
}

/// Where the check and its driver meet: the open question, then its answer.
#[derive(Debug, Default)]
enum Exchange {
    #[default]
    Idle,
    Asking(Query),
    Answered(Answer),
}

/// The check's side: asks a question and waits for the answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Asker(Rc<RefCell<Exchange>>);

impl Asker {
    pub(crate) async fn ask(&self, query: Query) -> Answer {
        *self.0.borrow_mut() = Exchange::Asking(query);
        Answered(self).await
    }
}

/// Ready once the driver has put an answer in.
struct Answered<'a>(&'a Asker);

impl Future for Answered<'_> {
    type Output = Answer;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Answer> {
        let mut exchange = self.0.0.borrow_mut();
        match std::mem::take(&mut *exchange) {
            Exchange::Answered(answer) => Poll::Ready(answer),
            waiting => {
                *exchange = waiting;
                Poll::Pending
            }
        }
    }
}

/// A check under way: the question it waits on, or its outcome.
pub struct Lookup<T> {
    check: Pin<Box<dyn Future<Output = T>>>,
    asker: Asker,
    outcome: Option<T>,
}

impl<T> fmt::Debug for Lookup<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lookup")
            .field("question", &self.question())
            .field("done", &self.outcome.is_some())
            .finish()
    }
}

impl<T> Lookup<T> {
    /// Starts `check`, which asks through `asker`, up to its first question.
    pub(crate) fn start(asker: Asker, check: impl Future<Output = T> + 'static) -> Self {
        let mut lookup = Self {
            check: Box::pin(check),
            asker,
            outcome: None,
        };
        lookup.resume();
        lookup
    }

    fn resume(&mut self) {
        if let Poll::Ready(outcome) = self
            .check
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            self.outcome = Some(outcome);
        }
    }

    /// The question to answer next with [`Lookup::answer`]; `None` once done.
    pub fn question(&self) -> Option<Query> {
        match (&self.outcome, &*self.asker.0.borrow()) {
            (None, Exchange::Asking(query)) => Some(query.clone()),
            _ => None,
        }
    }

    /// The answer to the last [`Lookup::question`].
    pub fn answer(&mut self, answer: Answer) {
        if self.question().is_some() {
            *self.asker.0.borrow_mut() = Exchange::Answered(answer);
            self.resume();
        }
    }

    /// The outcome, once no question is left.
    pub fn outcome(&self) -> Option<&T> {
        self.outcome.as_ref()
    }

    /// Answers every question with `resolve` and returns the outcome.
    pub fn run(mut self, mut resolve: impl FnMut(&Query) -> Answer) -> T {
        loop {
            if let Some(outcome) = self.outcome.take() {
                return outcome;
            }
            match self.question() {
                Some(query) => self.answer(resolve(&query)),
                // A check only waits on its own questions; if it ever stopped without
                // one, it would never finish: answer it a failure until it does.
                None => self.answer_stalled(),
            }
        }
    }

    /// [`Lookup::run`] with a resolver that answers asynchronously (DNS over UDP,
    /// DNS over HTTPS).
    pub async fn run_async<F: Future<Output = Answer>>(
        mut self,
        mut resolve: impl FnMut(Query) -> F,
    ) -> T {
        loop {
            if let Some(outcome) = self.outcome.take() {
                return outcome;
            }
            match self.question() {
                Some(query) => {
                    let answer = resolve(query).await;
                    self.answer(answer);
                }
                None => self.answer_stalled(),
            }
        }
    }

    fn answer_stalled(&mut self) {
        *self.asker.0.borrow_mut() = Exchange::Answered(Answer::Failure);
        self.resume();
    }
}
