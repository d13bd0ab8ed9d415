//! What explains each reply in a simulated conversation, in its place: what it answers
//! (a 250 to RCPT is not a 250 to MAIL), the topic behind a refusal the host decided,
//! its enhanced code and the EHLO keywords it offers.

use std::collections::VecDeque;

use crate::explain::{Answering, Key, Topic, has_answer, keyword};
use crate::reply::Reply;
use crate::syntax::Verb;

/// What the replies of the conversation under way answer, and why the host refused
/// what it refused: the context that explains each reply in its place.
#[derive(Debug)]
pub(super) struct ReplyContext {
    /// What each reply still to come answers, and the step that sent it (none for the
    /// greeting), in order: replies come in the order of the commands (RFC 2920 §3).
    answering: VecDeque<(Answering, Option<usize>)>,
    /// Refusals the host decided, with the topic that caused each.
    causes: Vec<(Reply, Topic)>,
}

impl Default for ReplyContext {
    /// A new connection: the first reply is the greeting.
    fn default() -> Self {
        Self {
            answering: VecDeque::from([(Answering::Greeting, None)]),
            causes: Vec::new(),
        }
    }
}

impl ReplyContext {
    /// After a TLS handshake: nothing is waiting for a reply.
    pub(super) fn connected_again() -> Self {
        Self {
            answering: VecDeque::new(),
            causes: Vec::new(),
        }
    }

    /// Step `step` sent something that `answering` says how to answer.
    pub(super) fn sent(&mut self, answering: Answering, step: usize) {
        self.answering.push_back((answering, Some(step)));
    }

    pub(super) fn caused(&mut self, reply: &Reply, topic: Topic) {
        self.causes.push((reply.clone(), topic));
    }

    /// What explains `reply`, most specific first: the topic behind it, its meaning as
    /// the answer it is, its enhanced code, the EHLO keywords it offers, its code; and
    /// the step it answers.
    pub(super) fn keys(&mut self, reply: &Reply) -> (Vec<Key>, Option<usize>) {
        let code = reply.code();
        let (answering, answered) = self.answering.pop_front().unzip();
        let mut keys = Vec::new();
        if let Some((_, topic)) = self.causes.iter().find(|(caused, _)| caused == reply) {
            keys.push(Key::Topic(*topic));
        }
        if let Some(answering) = answering.filter(|&to| has_answer(to, code.value())) {
            keys.push(Key::Answer(answering, code));
        }
        if let Some(enhanced) = reply.enhanced() {
            keys.push(Key::Enhanced(enhanced));
        }
        if answering == Some(Answering::Command(Verb::Ehlo)) {
            let offered = reply.lines().iter().skip(1).filter_map(|line| {
                let word = line.split(' ').next().unwrap_or_default();
                keyword(word).map(Key::Keyword)
            });
            keys.extend(offered);
        }
        keys.push(Key::Reply(code));
        (keys, answered.flatten())
    }
}
