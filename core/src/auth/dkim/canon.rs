//! Canonicalisation (RFC 6376 §3.4): what a signature covers, made immune to the small
//! changes mail suffers on the way (`relaxed`) or to none (`simple`).

/// A canonicalisation algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Canon {
    Simple,
    Relaxed,
}

fn is_wsp(byte: u8) -> bool {
    byte == b' ' || byte == b'\t'
}

/// A header field (`name:value` with its folding and final CR LF) canonicalised
/// (§3.4.1, §3.4.2).
pub fn header(field: &[u8], canon: Canon) -> Vec<u8> {
    match canon {
        Canon::Simple => field.to_vec(),
        Canon::Relaxed => {
            let colon = field
                .iter()
                .position(|&byte| byte == b':')
                .unwrap_or(field.len());
            let (name, value) = field.split_at(colon);
            let mut out: Vec<u8> = name
                .iter()
                .filter(|byte| !is_wsp(**byte))
                .map(u8::to_ascii_lowercase)
                .collect();
            out.push(b':');
            // Unfold, turn each run of white space into one space, trim both ends.
            let mut pending_space = false;
            let mut started = false;
            for &byte in value.get(1..).unwrap_or_default() {
                match byte {
                    b'\r' | b'\n' => {}
                    byte if is_wsp(byte) => pending_space = started,
                    byte => {
                        if pending_space {
                            out.push(b' ');
                        }
                        pending_space = false;
                        started = true;
                        out.push(byte);
                    }
                }
            }
            out.extend_from_slice(b"\r\n");
            out
        }
    }
}

/// The body canonicalised (§3.4.3, §3.4.4): trailing empty lines dropped, one CR LF at
/// the end (`simple` makes an empty body one CR LF; `relaxed` leaves it empty), and
/// under `relaxed` white space at line ends dropped and runs of it made one space.
pub fn body(body: &[u8], canon: Canon) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (line, after) = match rest.windows(2).position(|pair| pair == b"\r\n") {
            Some(end) => {
                let (line, after) = rest.split_at(end);
                (line, after.get(2..).unwrap_or_default())
            }
            None => (rest, &[][..]),
        };
        lines.push(match canon {
            Canon::Simple => line.to_vec(),
            Canon::Relaxed => relaxed_line(line),
        });
        rest = after;
    }
    while lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    if lines.is_empty() {
        return match canon {
            Canon::Simple => b"\r\n".to_vec(),
            Canon::Relaxed => Vec::new(),
        };
    }
    let mut out = Vec::with_capacity(body.len() + 2);
    for line in lines {
        out.extend_from_slice(&line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn relaxed_line(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut pending_space = false;
    for &byte in line {
        if is_wsp(byte) {
            pending_space = true;
        } else {
            if pending_space {
                out.push(b' ');
            }
            pending_space = false;
            out.push(byte);
        }
    }
    out
}
