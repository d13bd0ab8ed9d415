//! Message content on its way out: dot-stuffing for DATA (RFC 5321 §4.5.2) and line
//! endings made CRLF, so the client never sends a bare CR or LF (the other half of the
//! smuggling defence).

use crate::server::BareLineEndings;

/// A bare CR or LF in content whose policy is to refuse it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BareLineEnding;

/// Encodes content for DATA (stuffed) or BDAT (not stuffed), across pieces.
#[derive(Debug)]
pub struct Encoder {
    stuffing: bool,
    policy: BareLineEndings,
    at_line_start: bool,
    pending_cr: bool,
}

impl Encoder {
    pub fn new(stuffing: bool, policy: BareLineEndings) -> Self {
        Self {
            stuffing,
            policy,
            at_line_start: true,
            pending_cr: false,
        }
    }

    /// Appends `content`, encoded, to `out`.
    pub fn encode(&mut self, content: &[u8], out: &mut Vec<u8>) -> Result<(), BareLineEnding> {
        out.reserve(content.len() + content.len() / 64);
        for &byte in content {
            match byte {
                b'\n' => {
                    if !self.pending_cr && self.policy == BareLineEndings::Reject {
                        return Err(BareLineEnding);
                    }
                    self.pending_cr = false;
                    out.extend_from_slice(b"\r\n");
                    self.at_line_start = true;
                }
                _ => {
                    self.end_bare_cr(out)?;
                    if byte == b'\r' {
                        self.pending_cr = true;
                        continue;
                    }
                    if self.at_line_start && self.stuffing && byte == b'.' {
                        out.push(b'.');
                    }
                    out.push(byte);
                    self.at_line_start = false;
                }
            }
        }
        Ok(())
    }

    /// A CR not followed by LF: made a line end, or refused.
    fn end_bare_cr(&mut self, out: &mut Vec<u8>) -> Result<(), BareLineEnding> {
        if std::mem::take(&mut self.pending_cr) {
            if self.policy == BareLineEndings::Reject {
                return Err(BareLineEnding);
            }
            out.extend_from_slice(b"\r\n");
            self.at_line_start = true;
        }
        Ok(())
    }

    /// Ends the content: a last line without CRLF gets one, since DATA's end marker
    /// must start a line (§4.1.1.4).
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), BareLineEnding> {
        if self.pending_cr {
            self.pending_cr = false;
            out.extend_from_slice(b"\r\n");
            self.at_line_start = true;
        }
        if !self.at_line_start && self.stuffing {
            out.extend_from_slice(b"\r\n");
            self.at_line_start = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stuffed(content: &[u8]) -> Vec<u8> {
        let mut encoder = Encoder::new(true, BareLineEndings::Normalize);
        let mut out = Vec::new();
        encoder.encode(content, &mut out).unwrap();
        encoder.finish(&mut out).unwrap();
        out
    }

    #[test]
    fn leading_dots_are_doubled_on_every_line() {
        assert_eq!(
            stuffed(b".a\r\nb\r\n..c\r\n.\r\n"),
            b"..a\r\nb\r\n...c\r\n..\r\n"
        );
    }

    #[test]
    fn bare_line_endings_become_crlf_and_the_last_line_is_ended() {
        assert_eq!(stuffed(b"a\nb\rc\r\n.d"), b"a\r\nb\r\nc\r\n..d\r\n");
    }

    #[test]
    fn a_crlf_split_across_pieces_is_one_line_end() {
        let mut encoder = Encoder::new(true, BareLineEndings::Reject);
        let mut out = Vec::new();
        encoder.encode(b"a\r", &mut out).unwrap();
        encoder.encode(b"\n.b", &mut out).unwrap();
        assert_eq!(out, b"a\r\n..b");
    }

    #[test]
    fn reject_policy_refuses_bare_endings() {
        let mut encoder = Encoder::new(true, BareLineEndings::Reject);
        assert_eq!(
            encoder.encode(b"a\nb", &mut Vec::new()),
            Err(BareLineEnding)
        );
        let mut encoder = Encoder::new(true, BareLineEndings::Reject);
        assert_eq!(
            encoder.encode(b"a\rb", &mut Vec::new()),
            Err(BareLineEnding)
        );
    }
}
