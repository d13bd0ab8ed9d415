//! The `Authentication-Results:` header field (RFC 8601): what this server found when it
//! checked a message, for the mail reader and the filters after it.

/// `Authentication-Results: <authserv-id>;` and each result on a folded line of its
/// own, or `none` when nothing was checked (§2.2).
pub fn field(authserv_id: &str, resinfos: &[String]) -> String {
    let mut field = format!("Authentication-Results: {authserv_id}");
    if resinfos.is_empty() {
        field.push_str("; none");
    }
    for resinfo in resinfos {
        field.push_str(";\r\n\t");
        field.push_str(resinfo);
    }
    field.push_str("\r\n");
    field
}

/// `text` as the inside of a comment (RFC 5322 §3.2.2): parentheses and backslashes
/// quoted, control characters dropped.
pub fn comment(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !c.is_control()) {
        if matches!(c, '(' | ')' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_fold_one_per_line_and_nothing_is_none() {
        assert_eq!(
            field(
                "mx.example.net",
                &["spf=pass (x) smtp.mailfrom=a@example.com".to_owned()]
            ),
            "Authentication-Results: mx.example.net;\r\n\tspf=pass (x) smtp.mailfrom=a@example.com\r\n"
        );
        assert_eq!(
            field("mx.example.net", &[]),
            "Authentication-Results: mx.example.net; none\r\n"
        );
        assert_eq!(comment("a (b) \\ c\r\n"), "a \\(b\\) \\\\ c");
    }
}
