//! One line per event on stderr: `event key=value …`, or a JSON object per line with
//! `--log-format json`, for log shippers.

use std::fmt::Write as _;

/// Writes events in the configured format.
#[derive(Clone, Copy, Debug)]
pub struct Log {
    json: bool,
}

impl Log {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// Logs `event` with its fields; values are quoted when they need it.
    pub fn event(&self, event: &str, fields: &[(&str, &dyn std::fmt::Display)]) {
        let mut line = String::new();
        if self.json {
            let _ = write!(line, "{{\"event\":{}", json_string(event));
            for (key, value) in fields {
                let _ = write!(
                    line,
                    ",{}:{}",
                    json_string(key),
                    json_string(&value.to_string())
                );
            }
            line.push('}');
        } else {
            line.push_str(event);
            for (key, value) in fields {
                let value = value.to_string();
                if value.is_empty()
                    || value.contains([' ', '"', '='])
                    || value.contains(char::is_control)
                {
                    let _ = write!(line, " {key}={:?}", value);
                } else {
                    let _ = write!(line, " {key}={value}");
                }
            }
        }
        eprintln!("{line}");
    }
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
