//! A plain-text message (RFC 5322) from its parts: the simulator's scenarios and the
//! edge's send endpoint write their messages with it.

use crate::time::UnixTime;

/// The parts of a plain-text message.
#[derive(Clone, Debug)]
pub struct TextMessage<'a> {
    /// The author's mailbox, `local@domain`.
    pub from: &'a str,
    /// The recipients' mailboxes, as they go in `To:`.
    pub to: &'a [String],
    /// Unstructured text. UTF-8 is written as is (RFC 6532), so it needs SMTPUTF8 on
    /// the way, as the simulator's lesson on it shows.
    pub subject: &'a str,
    pub date: UnixTime,
    /// Without angle brackets: `unique@domain`.
    pub message_id: &'a str,
    /// Lines end in LF or CR LF; they are written with CR LF.
    pub body: &'a str,
}

/// Whether `text` can go in a header field: no control characters, so no CR or LF that
/// would end the field and start one of the sender's choosing (header injection).
pub fn is_header_safe(text: &str) -> bool {
    !text.chars().any(char::is_control)
}

impl TextMessage<'_> {
    /// The message with CR LF line endings; `None` when a header part is not
    /// [`is_header_safe`].
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        let header_parts = [self.from, self.subject, self.message_id]
            .into_iter()
            .chain(self.to.iter().map(String::as_str));
        if !header_parts.into_iter().all(is_header_safe) {
            return None;
        }
        let to: Vec<String> = self.to.iter().map(|to| format!("<{to}>")).collect();
        let mut text = format!(
            "From: <{}>\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{}>\r\nMIME-Version: 1.0\r\n",
            self.from,
            to.join(", "),
            self.subject,
            self.date.rfc5322(),
            self.message_id,
        );
        if !self.body.is_ascii() || !self.subject.is_ascii() {
            text.push_str(
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n",
            );
        }
        text.push_str("\r\n");
        for line in self.body.lines() {
            text.push_str(line);
            text.push_str("\r\n");
        }
        Some(text.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message<'a>(subject: &'a str, to: &'a [String]) -> TextMessage<'a> {
        TextMessage {
            from: "alice@example.org",
            to,
            subject,
            date: UnixTime::from_millis(0),
            message_id: "1@example.org",
            body: "line one\nline two\r\n.dot\n",
        }
    }

    #[test]
    fn writes_the_header_fields_and_crlf_lines() {
        let to = ["bob@example.net".to_owned(), "carol@example.net".to_owned()];
        let bytes = message("Hi", &to).to_bytes().expect("a message");
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.starts_with(
            "From: <alice@example.org>\r\nTo: <bob@example.net>, <carol@example.net>\r\nSubject: Hi\r\nDate: Thu, 01 Jan 1970 00:00:00 +0000\r\nMessage-ID: <1@example.org>\r\nMIME-Version: 1.0\r\n\r\n"
        ), "{text}");
        assert!(
            text.ends_with("\r\n\r\nline one\r\nline two\r\n.dot\r\n"),
            "{text}"
        );
    }

    #[test]
    fn utf8_gets_its_content_type() {
        let to = ["bob@example.net".to_owned()];
        let text =
            String::from_utf8(message("Grüße", &to).to_bytes().expect("a message")).expect("UTF-8");
        assert!(text.contains("Content-Type: text/plain; charset=utf-8\r\n"));
    }

    #[test]
    fn a_line_break_in_a_header_part_is_refused() {
        let to = ["bob@example.net".to_owned()];
        assert_eq!(message("Hi\r\nBcc: eve@example.com", &to).to_bytes(), None);
        let injected = ["bob@example.net>\r\nBcc: <eve@example.com".to_owned()];
        assert_eq!(message("Hi", &injected).to_bytes(), None);
    }
}
