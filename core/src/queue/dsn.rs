//! Delivery status notifications: the report a sender gets back when mail to some of
//! its recipients failed, is delayed, or (when asked) was delivered.
//!
//! The format is RFC 3464 inside a `multipart/report` (RFC 6522): a human-readable part,
//! a `message/delivery-status` part with one block per recipient, and the original
//! message or its headers. Which recipients are reported follows their `NOTIFY`
//! (RFC 3461 §4.1), how much of the message comes back follows `RET` (§4.3), and no
//! report is ever made for a message with the null reverse path (RFC 5321 §4.5.5, so
//! bounces cannot loop). With SMTPUTF8 addresses the report is the internationalised
//! form of RFC 6533 (`message/global-delivery-status`).

use core::fmt::Write as _;

use memchr::memmem;

use crate::envelope::Recipient;
use crate::reply::{Reply, ReplyClass};
use crate::syntax::parameters::xtext_encode;
use crate::syntax::{ForwardPath, MailParameters, Mailbox, Notify, Ret, ReversePath};
use crate::time::UnixTime;

/// A returned message larger than this comes back as its headers only (RFC 3461 §4.3
/// lets the reporting MTA truncate; Postfix's `bounce_size_limit` is the same figure).
pub const RETURNED_CONTENT_LIMIT: usize = 50_000;

/// The `Action` of a recipient's report (RFC 3464 §2.3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Could not be delivered and will not be tried again.
    Failed,
    /// Not delivered yet; still being tried.
    Delayed,
    /// Delivered to the recipient's mailbox.
    Delivered,
    /// Handed to a host that does not report DSNs itself (no further notice will come).
    Relayed,
}

impl Action {
    fn keyword(self) -> &'static str {
        match self {
            Self::Failed => "failed",
            Self::Delayed => "delayed",
            Self::Delivered => "delivered",
            Self::Relayed => "relayed",
        }
    }

    /// Whether the recipient's `NOTIFY` asks for this report. Without `NOTIFY` the
    /// reporting MTA acts as if `NOTIFY=FAILURE,DELAY` were given (RFC 3461 §4.1).
    fn is_wanted(self, notify: Option<Notify>) -> bool {
        match notify {
            Some(Notify::Never) => false,
            None => matches!(self, Self::Failed | Self::Delayed),
            Some(Notify::On {
                success,
                failure,
                delay,
            }) => match self {
                Self::Failed => failure,
                Self::Delayed => delay,
                Self::Delivered | Self::Relayed => success,
            },
        }
    }
}

/// What happened to one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecipientReport {
    pub recipient: Recipient,
    pub action: Action,
    /// The reply that decided it, from the remote host or this one.
    pub reply: Reply,
    /// The host that gave the reply, when another MTA gave it.
    pub remote_mta: Option<String>,
    pub last_attempt: UnixTime,
    /// For [`Action::Delayed`]: when trying stops.
    pub will_retry_until: Option<UnixTime>,
}

impl RecipientReport {
    /// `Status` (RFC 3464 §2.3.4): the reply's enhanced code when its class agrees with
    /// the action, else the generic code of the action's class. A recipient that failed
    /// after only temporary errors ran out of time: `5.4.7` (RFC 3463 §3.5).
    fn status(&self) -> String {
        let class = match self.action {
            Action::Failed => 5,
            Action::Delayed => 4,
            Action::Delivered | Action::Relayed => 2,
        };
        if self.action == Action::Failed
            && self.reply.code().class() != ReplyClass::PermanentNegative
        {
            return "5.4.7".to_owned();
        }
        match self.reply.enhanced() {
            Some(enhanced) if enhanced.class() == class => enhanced.to_string(),
            _ => format!("{class}.0.0"),
        }
    }
}

/// Everything a report is made from.
#[derive(Clone, Debug)]
pub struct Report<'a> {
    /// This host's name, for `Reporting-MTA` and the report's `From`.
    pub reporting_mta: &'a str,
    /// The queue id of the original message, for the report's `Message-ID`.
    pub queue_id: &'a str,
    pub reverse_path: &'a ReversePath,
    pub parameters: &'a MailParameters,
    pub arrival: UnixTime,
    pub now: UnixTime,
    pub recipients: &'a [RecipientReport],
    /// The original message as received (headers and body, CRLF line endings).
    pub message: &'a [u8],
}

/// A report ready to send: from the null reverse path to `recipient`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dsn {
    /// The original sender.
    pub recipient: ForwardPath,
    /// The report message, CRLF line endings.
    pub content: Vec<u8>,
    /// The content has 8-bit octets: send it with `BODY=8BITMIME`.
    pub eight_bit: bool,
    /// An address is not ASCII: send it with `SMTPUTF8`.
    pub smtputf8: bool,
}

impl Report<'_> {
    /// The report, or `None` when there is nobody to send it to (the null reverse path)
    /// or no recipient's `NOTIFY` asks for it.
    pub fn build(&self) -> Option<Dsn> {
        let ReversePath::Mailbox(sender) = self.reverse_path else {
            return None;
        };
        let reported: Vec<&RecipientReport> = self
            .recipients
            .iter()
            .filter(|report| report.action.is_wanted(report.recipient.parameters.notify))
            .collect();
        if reported.is_empty() {
            return None;
        }
        let smtputf8 = !sender.is_ascii()
            || reported
                .iter()
                .any(|report| !report.recipient.forward_path.is_ascii());
        let returned = self.returned_content(&reported);
        let mut out = String::new();
        self.headers(&mut out, sender, &reported);
        let boundary = boundary(self.queue_id, returned.content);
        let _ = write!(
            out,
            "MIME-Version: 1.0\r\n\
             Content-Type: multipart/report; report-type=delivery-status;\r\n\
             \tboundary=\"{boundary}\"\r\n\
             \r\n\
             This is a delivery status notification in MIME format (RFC 3464).\r\n\
             \r\n\
             --{boundary}\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\
             Content-Transfer-Encoding: 8bit\r\n\
             \r\n"
        );
        self.human_readable(&mut out, &reported, returned.truncated);
        let status_type = if smtputf8 {
            "message/global-delivery-status"
        } else {
            "message/delivery-status"
        };
        let _ = write!(
            out,
            "\r\n--{boundary}\r\nContent-Type: {status_type}\r\n\r\n"
        );
        self.delivery_status(&mut out, &reported);
        let returned_type = match (returned.headers_only, smtputf8) {
            (true, false) => "text/rfc822-headers",
            (true, true) => "message/global-headers",
            (false, false) => "message/rfc822",
            (false, true) => "message/global",
        };
        let _ = write!(out, "\r\n--{boundary}\r\nContent-Type: {returned_type}\r\n");
        if !returned.content.is_ascii() {
            out.push_str("Content-Transfer-Encoding: 8bit\r\n");
        }
        out.push_str("\r\n");
        let mut content = out.into_bytes();
        content.extend_from_slice(returned.content);
        if !returned.content.ends_with(b"\r\n") {
            content.extend_from_slice(b"\r\n");
        }
        content.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        Some(Dsn {
            recipient: ForwardPath::Mailbox(sender.clone()),
            eight_bit: !content.is_ascii(),
            content,
            smtputf8,
        })
    }

    fn headers(&self, out: &mut String, sender: &Mailbox, reported: &[&RecipientReport]) {
        let subject = if reported.iter().any(|r| r.action == Action::Failed) {
            "Undelivered Mail Returned to Sender"
        } else if reported.iter().any(|r| r.action == Action::Delayed) {
            "Delayed Mail (still being retried)"
        } else {
            "Successful Mail Delivery Report"
        };
        let _ = write!(
            out,
            "From: Mail Delivery System <MAILER-DAEMON@{mta}>\r\n\
             To: <{sender}>\r\n\
             Subject: {subject}\r\n\
             Date: {date}\r\n\
             Message-ID: <{id}.dsn.{millis}@{mta}>\r\n\
             Auto-Submitted: auto-replied\r\n",
            mta = self.reporting_mta,
            date = self.now.rfc5322(),
            id = self.queue_id,
            millis = self.now.as_millis(),
        );
    }

    fn human_readable(&self, out: &mut String, reported: &[&RecipientReport], truncated: bool) {
        let _ = write!(
            out,
            "This is the mail system at host {}.\r\n\r\n",
            self.reporting_mta
        );
        for report in reported {
            let what = match report.action {
                Action::Failed => "could not be delivered, and will not be tried again",
                Action::Delayed => "has not been delivered yet; delivery is still being tried",
                Action::Delivered => "was delivered",
                Action::Relayed => "was passed to a host that will not report on its delivery",
            };
            let _ = write!(
                out,
                "Your message to {} {what}.\r\n",
                report.recipient.forward_path
            );
            if let Some(until) = report.will_retry_until {
                let _ = write!(out, "Delivery will be tried until {}.\r\n", until.rfc5322());
            }
            let by = report
                .remote_mta
                .as_deref()
                .map_or_else(String::new, |host| format!(" by {host}"));
            let _ = write!(out, "Reply given{by}: {}\r\n\r\n", one_line(&report.reply));
        }
        if truncated {
            let _ = write!(
                out,
                "The message was larger than {RETURNED_CONTENT_LIMIT} octets; only its headers \
                 are returned.\r\n"
            );
        }
    }

    /// The `message/delivery-status` body: per-message fields, then a block per
    /// recipient (RFC 3464 §2.2, §2.3).
    fn delivery_status(&self, out: &mut String, reported: &[&RecipientReport]) {
        let _ = write!(out, "Reporting-MTA: dns; {}\r\n", self.reporting_mta);
        if let Some(envid) = &self.parameters.envid {
            let _ = write!(out, "Original-Envelope-Id: {}\r\n", xtext_encode(envid));
        }
        let _ = write!(out, "Arrival-Date: {}\r\n", self.arrival.rfc5322());
        for report in reported {
            out.push_str("\r\n");
            if let Some(original) = &report.recipient.parameters.orcpt {
                let _ = write!(
                    out,
                    "Original-Recipient: {}; {}\r\n",
                    original.address_type, original.address
                );
            }
            let _ = write!(
                out,
                "Final-Recipient: {}\r\n\
                 Action: {}\r\n\
                 Status: {}\r\n",
                typed_address(&report.recipient.forward_path),
                report.action.keyword(),
                report.status(),
            );
            if let Some(host) = &report.remote_mta {
                let _ = write!(out, "Remote-MTA: dns; {host}\r\n");
            }
            let _ = write!(
                out,
                "Diagnostic-Code: smtp; {}\r\n\
                 Last-Attempt-Date: {}\r\n",
                one_line(&report.reply),
                report.last_attempt.rfc5322()
            );
            if let Some(until) = report.will_retry_until {
                let _ = write!(out, "Will-Retry-Until: {}\r\n", until.rfc5322());
            }
        }
    }

    /// RFC 3461 §4.3: `RET=FULL` (or no `RET`) returns the whole message with a failure;
    /// otherwise, and for reports of delay or success, only the headers.
    fn returned_content(&self, reported: &[&RecipientReport]) -> Returned<'_> {
        let has_failure = reported.iter().any(|r| r.action == Action::Failed);
        let wants_full = has_failure && self.parameters.ret != Some(Ret::Headers);
        let truncated = wants_full && self.message.len() > RETURNED_CONTENT_LIMIT;
        if wants_full && !truncated {
            Returned {
                content: self.message,
                headers_only: false,
                truncated,
            }
        } else {
            Returned {
                content: header_section(self.message),
                headers_only: true,
                truncated,
            }
        }
    }
}

/// The part of the original message that comes back.
struct Returned<'a> {
    content: &'a [u8],
    headers_only: bool,
    truncated: bool,
}

/// `rfc822; addr`, or `utf-8; addr` for an internationalised address (RFC 6533 §3).
fn typed_address(path: &ForwardPath) -> String {
    let address = match path {
        ForwardPath::Postmaster => "Postmaster".to_owned(),
        ForwardPath::Mailbox(mailbox) => mailbox.to_string(),
    };
    let kind = if path.is_ascii() { "rfc822" } else { "utf-8" };
    format!("{kind}; {address}")
}

/// A reply on one line, control characters replaced, cut to fit a header line.
fn one_line(reply: &Reply) -> String {
    let mut line = format!("{}", reply.code());
    if let Some(enhanced) = reply.enhanced() {
        let _ = write!(line, " {enhanced}");
    }
    for text in reply.lines() {
        line.push(' ');
        line.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    }
    if let Some((cut, _)) = line.char_indices().nth(MAX_DIAGNOSTIC_CHARS) {
        line.truncate(cut);
    }
    line
}

/// Room for a diagnostic within RFC 5322's 998-octet line limit.
const MAX_DIAGNOSTIC_CHARS: usize = 900;

/// The header section of a message, up to and including the empty line that ends it.
fn header_section(message: &[u8]) -> &[u8] {
    let end = if message.starts_with(b"\r\n") {
        Some(2)
    } else {
        memmem::find(message, b"\r\n\r\n").map(|at| at + 4)
    };
    end.and_then(|end| message.get(..end)).unwrap_or(message)
}

/// A MIME boundary that does not occur in the returned content (RFC 2046 §5.1.1).
fn boundary(queue_id: &str, content: &[u8]) -> String {
    let safe_id: String = queue_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(40)
        .collect();
    let mut attempt = 0u32;
    loop {
        let candidate = format!("=_wasmtp_dsn_{safe_id}_{attempt}");
        if memmem::find(content, candidate.as_bytes()).is_none() {
            return candidate;
        }
        attempt += 1;
    }
}

#[cfg(test)]
mod tests;
