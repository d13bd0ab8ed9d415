//! Message content as it streams in after DATA (RFC 5321 §4.1.1.4, §4.5.2) or in BDAT
//! chunks (RFC 3030): dot-unstuffing, the end of data, and the checks that decide the
//! message's fate once it is complete.
//!
//! The decoder keeps no more than a few bytes of state between reads, so a message of any
//! size, even one long line, passes through in bounded memory.

use super::config::BareLineEndings;
use crate::code;
use crate::reply::Reply;
use crate::reply::build;

/// How the content is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiting {
    /// DATA: lines are dot-stuffed and the message ends at CRLF "." CRLF.
    DotTerminated,
    /// BDAT: exact byte counts; text is still checked line by line.
    Chunked,
    /// BDAT with BODY=BINARYMIME: any bytes, only the size is checked.
    Binary,
}

/// Where in a line the decoder stands between reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Position {
    /// At the first byte of a line.
    LineStart,
    /// After a "." that began a line (DATA only).
    Dot,
    /// After "." CR at the start of a line: LF now ends the message.
    DotCr,
    /// Inside a line.
    InLine,
}

/// What was wrong with the content, found while it streamed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Problems {
    too_large: bool,
    bare_lf: bool,
    bare_cr: bool,
    nul: bool,
    long_line: bool,
}

/// Decodes one message's content.
#[derive(Debug)]
pub struct ContentDecoder {
    delimiting: Delimiting,
    bare_line_endings: BareLineEndings,
    position: Position,
    /// A CR was the last byte of the line so far; the next byte decides if it ends it.
    pending_cr: bool,
    line_length: usize,
    max_line: usize,
    size: u64,
    max_size: u64,
    problems: Problems,
    /// See [`super::config::Quirks::vulnerable_to_smuggling`].
    lf_ends_lines: bool,
}

impl ContentDecoder {
    pub fn new(
        delimiting: Delimiting,
        bare_line_endings: BareLineEndings,
        max_line: usize,
        max_size: u64,
    ) -> Self {
        Self {
            delimiting,
            bare_line_endings,
            position: Position::LineStart,
            pending_cr: false,
            line_length: 0,
            max_line,
            size: 0,
            max_size,
            problems: Problems::default(),
            lf_ends_lines: false,
        }
    }

    /// Lets a bare LF end a line, and `<LF>.<LF>` the data: the smuggling hole, for
    /// demonstrations only.
    pub fn vulnerable_to_smuggling(mut self, vulnerable: bool) -> Self {
        self.lf_ends_lines = vulnerable;
        self
    }

    /// Octets of content so far (after unstuffing), counting any past the size limit.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Decodes `input`, appending content to `out`. Returns how many bytes it used and
    /// whether the end of data (CRLF.CRLF) was among them; bytes after the end are left
    /// for the command framer.
    pub fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> (usize, bool) {
        let mut used = 0;
        while let Some(&byte) = input.get(used) {
            match self.position {
                Position::LineStart
                    if byte == b'.' && self.delimiting == Delimiting::DotTerminated =>
                {
                    self.position = Position::Dot;
                    used += 1;
                }
                Position::Dot if byte == b'\r' => {
                    self.position = Position::DotCr;
                    used += 1;
                }
                Position::Dot if byte == b'\n' && self.lf_ends_lines => {
                    return (used + 1, true);
                }
                Position::DotCr if byte == b'\n' => {
                    // CRLF "." CRLF: the CRLF before the dot belongs to the message (§4.1.1.4).
                    return (used + 1, true);
                }
                Position::DotCr => {
                    // ".\r" then something else: a stuffed line whose dot is dropped,
                    // holding a CR not followed by LF.
                    self.position = Position::InLine;
                    self.line_length = 2;
                    self.pending_cr = true;
                }
                Position::Dot => {
                    // A leading dot with more on the line: the sender's stuffing (§4.5.2).
                    self.position = Position::InLine;
                    self.line_length = 1;
                }
                Position::LineStart | Position::InLine => {
                    let rest = input.get(used..).unwrap_or_default();
                    let clean = self.take_clean_lines(rest, out);
                    if clean > 0 {
                        used += clean;
                        continue;
                    }
                    self.position = Position::InLine;
                    used += self.take_line_bytes(rest, out);
                }
            }
        }
        (used, false)
    }

    /// The fast path: copies whole clean lines (ending in CRLF, without bare CR, bare LF
    /// or NUL, within the length limit) in one run, up to a line that starts with a dot.
    /// Returns how many bytes it took; anything else is left to [`Self::take_line_bytes`].
    fn take_clean_lines(&mut self, input: &[u8], out: &mut Vec<u8>) -> usize {
        if self.pending_cr || self.delimiting == Delimiting::Binary {
            return 0;
        }
        let mut end = 0;
        let mut line_length = self.line_length;
        while let Some(rest) = input.get(end..) {
            let Some(offset) = memchr::memchr3(b'\r', b'\n', 0, rest) else {
                break;
            };
            let clean_end = rest.get(offset..offset + 2) == Some(b"\r\n");
            if !clean_end || line_length + offset + 2 > self.max_line {
                break;
            }
            end += offset + 2;
            line_length = 0;
            if self.delimiting == Delimiting::DotTerminated && input.get(end) == Some(&b'.') {
                break;
            }
        }
        if end > 0 {
            self.line_length = 0;
            self.position = Position::LineStart;
            self.emit(input.get(..end).unwrap_or_default(), out);
        }
        end
    }

    /// Consumes bytes of the current line up to and including its CRLF (or all of
    /// `input`), copying plain runs in bulk. Returns how many bytes it used.
    fn take_line_bytes(&mut self, input: &[u8], out: &mut Vec<u8>) -> usize {
        let mut used = 0;
        while let Some(rest) = input.get(used..).filter(|rest| !rest.is_empty()) {
            let binary = self.delimiting == Delimiting::Binary;
            let special = if binary {
                None
            } else {
                memchr::memchr3(b'\r', b'\n', 0, rest)
            };
            let plain = special.unwrap_or(rest.len());
            if plain > 0 {
                self.flush_pending_cr(out);
                self.count_line_octets(plain);
                self.emit(rest.get(..plain).unwrap_or_default(), out);
                used += plain;
                continue;
            }
            used += 1;
            self.count_line_octets(1);
            match rest.first() {
                Some(b'\r') => {
                    self.flush_pending_cr(out);
                    self.pending_cr = true;
                }
                Some(b'\n') if self.pending_cr => {
                    self.pending_cr = false;
                    self.emit(b"\r\n", out);
                    self.line_length = 0;
                    self.position = Position::LineStart;
                    return used;
                }
                Some(b'\n') if self.lf_ends_lines => {
                    self.emit(b"\r\n", out);
                    self.line_length = 0;
                    self.position = Position::LineStart;
                    return used;
                }
                Some(b'\n') => {
                    self.problems.bare_lf = true;
                    // Normalised to CRLF, but never a line start: a bare LF must not open
                    // a way to end the data early (the smuggling defence).
                    let replacement: &[u8] = match self.bare_line_endings {
                        BareLineEndings::Reject => b"\n",
                        BareLineEndings::Normalize => b"\r\n",
                    };
                    self.emit(replacement, out);
                }
                _ => {
                    self.flush_pending_cr(out);
                    self.problems.nul = true;
                    self.emit(&[0], out);
                }
            }
        }
        used
    }

    /// A CR that turned out not to start CRLF is a bare CR.
    fn flush_pending_cr(&mut self, out: &mut Vec<u8>) {
        if std::mem::take(&mut self.pending_cr) {
            self.problems.bare_cr = true;
            let replacement: &[u8] = match self.bare_line_endings {
                BareLineEndings::Reject => b"\r",
                BareLineEndings::Normalize => b"\r\n",
            };
            self.emit(replacement, out);
        }
    }

    /// Counts octets of the current line as sent (a stuffing dot included).
    fn count_line_octets(&mut self, octets: usize) {
        self.line_length = self.line_length.saturating_add(octets);
        if self.line_length > self.max_line && self.delimiting != Delimiting::Binary {
            self.problems.long_line = true;
        }
    }

    fn emit(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        self.size = self.size.saturating_add(bytes.len() as u64);
        if self.size > self.max_size {
            // Keep reading to stay in sync, but keep nothing (§4.5.3.1.10).
            self.problems.too_large = true;
            return;
        }
        out.extend_from_slice(bytes);
    }

    /// At the end of the message: the reply that refuses it, or `None` if the content
    /// is acceptable and the host decides. (A CR at the end of a BDAT chunk may still be
    /// completed by the next chunk, so nothing is decided before this.)
    pub fn finish(mut self) -> Option<Reply> {
        let mut sink = Vec::new();
        self.flush_pending_cr(&mut sink);
        let problems = self.problems;
        let normalize = self.bare_line_endings == BareLineEndings::Normalize;
        let bare = |what: &str| {
            format!(
                "Message refused: bare {what} in message content; lines end with CRLF (RFC 5321 2.3.8)"
            )
        };
        let (code, enhanced, text) = if problems.too_large {
            (
                code!(552),
                (3, 4),
                "Message size exceeds fixed maximum message size".to_owned(),
            )
        } else if problems.nul {
            (
                code!(554),
                (6, 0),
                "Message refused: NUL in message content".to_owned(),
            )
        } else if problems.bare_lf && !normalize {
            (code!(554), (6, 0), bare("LF"))
        } else if problems.bare_cr && !normalize {
            (code!(554), (6, 0), bare("CR"))
        } else if problems.long_line {
            let text = format!(
                "Line too long: message text lines are limited to {} octets (RFC 5321 4.5.3.1.6)",
                self.max_line
            );
            (code!(500), (6, 0), text)
        } else {
            return None;
        };
        Some(build(code, enhanced, &text))
    }
}

/// Every reply [`ContentDecoder::finish`] can give, for the test that all are explained.
#[cfg(test)]
pub fn every_verdict() -> Vec<Reply> {
    // Limits: lines of 3 octets, 8 octets in all.
    let cases: [&[u8]; 5] = [b"123456789", b"\0\r\n", b"\n\r\n", b"\r\r\n", b"xx\r\n"];
    cases
        .iter()
        .filter_map(|content| {
            let mut decoder =
                ContentDecoder::new(Delimiting::Chunked, BareLineEndings::Reject, 3, 8);
            let _ = decoder.decode(content, &mut Vec::new());
            decoder.finish()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `input` in one piece with default limits.
    fn decode(input: &[u8]) -> (Vec<u8>, usize, bool, Option<u16>) {
        decode_with(input, BareLineEndings::Reject, 1000, u64::MAX)
    }

    fn decode_with(
        input: &[u8],
        mode: BareLineEndings,
        max_line: usize,
        max_size: u64,
    ) -> (Vec<u8>, usize, bool, Option<u16>) {
        let mut decoder = ContentDecoder::new(Delimiting::DotTerminated, mode, max_line, max_size);
        let mut out = Vec::new();
        let (used, ended) = decoder.decode(input, &mut out);
        let verdict = decoder.finish().map(|reply| reply.code().value());
        (out, used, ended, verdict)
    }

    #[test]
    fn end_of_data_is_crlf_dot_crlf_and_the_crlf_before_it_is_content() {
        // RFC 5321 §4.1.1.4.
        let (out, used, ended, verdict) = decode(b"Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");
        assert!(ended);
        assert_eq!(out, b"Subject: x\r\n\r\nbody\r\n");
        assert_eq!(used, 23);
        assert_eq!(verdict, None);
    }

    #[test]
    fn empty_message_ends_at_the_first_line() {
        let (out, used, ended, _) = decode(b".\r\n");
        assert!(ended);
        assert!(out.is_empty());
        assert_eq!(used, 3);
    }

    #[test]
    fn leading_dots_are_unstuffed_on_every_line_including_the_first() {
        // RFC 5321 §4.5.2.
        let (out, _, ended, _) = decode(b"..first\r\n...\r\n..\r\n.\r\n");
        assert!(ended);
        assert_eq!(out, b".first\r\n..\r\n.\r\n");
    }

    #[test]
    fn bare_lf_dot_bare_lf_does_not_end_the_data_and_the_message_is_refused() {
        // The SMTP smuggling patterns: <LF>.<LF>, <CR><LF>.<LF>, <LF>.<CR><LF>.
        for smuggle in [
            &b"a\n.\nMAIL FROM:<x@y>\r\n"[..],
            b"a\r\n.\nRSET\r\n",
            b"a\n.\r\nRSET\r\n",
        ] {
            let mut input = smuggle.to_vec();
            input.extend_from_slice(b"tail\r\n.\r\n");
            let (out, used, ended, verdict) = decode(&input);
            assert!(ended, "{smuggle:?}");
            assert_eq!(used, input.len());
            assert!(out.ends_with(b"tail\r\n"));
            assert_eq!(verdict, Some(554), "{smuggle:?}");
        }
    }

    #[test]
    fn the_vulnerable_mode_ends_the_data_at_lf_dot_lf_and_leaves_the_rest_as_commands() {
        // What a smuggling-vulnerable server does (for the simulator's demonstration).
        let input = b"a\n.\nMAIL FROM:<x@y>\r\n";
        let mut decoder = ContentDecoder::new(
            Delimiting::DotTerminated,
            BareLineEndings::Reject,
            1000,
            u64::MAX,
        )
        .vulnerable_to_smuggling(true);
        let mut out = Vec::new();
        assert_eq!(decoder.decode(input, &mut out), (4, true));
        assert_eq!(out, b"a\r\n");
        assert_eq!(decoder.finish(), None);
    }

    #[test]
    fn bare_cr_and_nul_are_refused() {
        assert_eq!(decode(b"a\rb\r\n.\r\n").3, Some(554));
        assert_eq!(decode(b"a\0b\r\n.\r\n").3, Some(554));
        // ".\r" then not LF: the dot is stuffing and the CR is bare.
        let (out, _, ended, verdict) = decode(b".\rx\r\n.\r\n");
        assert!(ended);
        assert_eq!(out, b"\rx\r\n");
        assert_eq!(verdict, Some(554));
    }

    #[test]
    fn normalize_turns_bare_endings_into_crlf_but_not_into_an_end() {
        let (out, _, ended, verdict) = decode_with(
            b"a\nb\rc\n.\nd\r\n.\r\n",
            BareLineEndings::Normalize,
            1000,
            u64::MAX,
        );
        assert!(ended);
        assert_eq!(out, b"a\r\nb\r\nc\r\n.\r\nd\r\n");
        assert_eq!(verdict, None);
    }

    #[test]
    fn long_lines_and_large_messages_are_refused_after_the_end() {
        // RFC 5321 §4.5.3.1.6: 1000 octets including CRLF.
        let mut line = vec![b'a'; 998];
        line.extend_from_slice(b"\r\n.\r\n");
        assert_eq!(decode(&line).3, None);
        let mut long = vec![b'a'; 999];
        long.extend_from_slice(b"\r\n.\r\n");
        assert_eq!(decode(&long).3, Some(500));
        let (out, _, ended, verdict) =
            decode_with(b"12345\r\n.\r\n", BareLineEndings::Reject, 1000, 4);
        assert!(ended);
        assert!(out.len() <= 4);
        assert_eq!(verdict, Some(552));
    }

    #[test]
    fn any_split_of_the_input_gives_the_same_content() {
        let input = b"..a\r\nb\r\r\n.\rc\r\n\r\n.\r\nNEXT";
        let (whole, whole_used, _, whole_verdict) = decode(input);
        for split in 0..input.len() {
            let mut decoder = ContentDecoder::new(
                Delimiting::DotTerminated,
                BareLineEndings::Reject,
                1000,
                u64::MAX,
            );
            let mut out = Vec::new();
            let (first, ended) = decoder.decode(&input[..split], &mut out);
            assert_eq!(first, split.min(whole_used));
            let used = if ended {
                first
            } else {
                let (second, ended) = decoder.decode(&input[split..], &mut out);
                assert!(ended);
                first + second
            };
            assert_eq!(used, whole_used, "split at {split}");
            assert_eq!(out, whole, "split at {split}");
            assert_eq!(decoder.finish().map(|r| r.code().value()), whole_verdict);
        }
    }

    #[test]
    fn chunked_content_has_no_dot_handling() {
        let mut decoder =
            ContentDecoder::new(Delimiting::Chunked, BareLineEndings::Reject, 1000, u64::MAX);
        let mut out = Vec::new();
        let (used, ended) = decoder.decode(b".\r\n..x\r\n", &mut out);
        assert_eq!((used, ended), (8, false));
        assert_eq!(out, b".\r\n..x\r\n");
        assert_eq!(decoder.finish(), None);
    }
}
