//! Commands (RFC 5321 §4.1.1 and the extensions).

use super::Explanation;
use crate::syntax::Verb;

/// What a command asks of the server.
pub fn command(verb: Verb) -> Explanation {
    let (summary, reference) = match verb {
        Verb::Ehlo => (
            "The client greets the server with its own name and asks which extensions (ESMTP) the server offers; it also resets any transaction.",
            "RFC 5321 §4.1.1.1",
        ),
        Verb::Helo => (
            "The original greeting, without extensions: the client names itself and the server answers with plain SMTP.",
            "RFC 5321 §4.1.1.1",
        ),
        Verb::Mail => (
            "Starts a mail transaction and gives the reverse path: where reports about this message (bounces) go. <> means none, as in a bounce itself.",
            "RFC 5321 §4.1.1.2",
        ),
        Verb::Rcpt => (
            "Names one recipient of the message. The server answers for each recipient on its own; a message can have many.",
            "RFC 5321 §4.1.1.3",
        ),
        Verb::Data => (
            "Asks to send the message. After 354 the client sends header and body, ending with a line holding a single dot; lines starting with a dot get one more.",
            "RFC 5321 §4.1.1.4",
        ),
        Verb::Bdat => (
            "Sends a chunk of the message with its exact size in octets, so no dot-stuffing or end marker is needed; LAST marks the final chunk.",
            "RFC 3030 §2",
        ),
        Verb::Rset => (
            "Abandons the current mail transaction: sender, recipients and data are forgotten, the connection stays.",
            "RFC 5321 §4.1.1.5",
        ),
        Verb::Vrfy => (
            "Asks whether a user or mailbox exists. Most servers decline to say (252), since the answer helps spammers harvest addresses.",
            "RFC 5321 §4.1.1.6",
        ),
        Verb::Expn => (
            "Asks the server to expand a mailing list into its members; almost always refused for privacy.",
            "RFC 5321 §4.1.1.7",
        ),
        Verb::Help => (
            "Asks for help text meant for a human at a terminal.",
            "RFC 5321 §4.1.1.8",
        ),
        Verb::Noop => (
            "Does nothing but get a 250 reply: a keep-alive and a check that the server still answers.",
            "RFC 5321 §4.1.1.9",
        ),
        Verb::Quit => (
            "Ends the session: the server answers 221 and closes the connection.",
            "RFC 5321 §4.1.1.10",
        ),
        Verb::StartTls => (
            "Upgrades the connection to TLS. After the server's 220 both sides run the TLS handshake and start over with EHLO; anything sent before is forgotten.",
            "RFC 3207 §4",
        ),
        Verb::Auth => (
            "Authenticates the client with a SASL mechanism such as PLAIN or LOGIN, usually so a user may send mail to other domains.",
            "RFC 4954 §4",
        ),
    };
    Explanation { summary, reference }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_an_explanation_with_a_reference() {
        for verb in Verb::ALL {
            let explanation = command(verb);
            assert!(explanation.reference.starts_with("RFC "), "{verb:?}");
            assert!(explanation.summary.len() > 20, "{verb:?}");
        }
    }
}
