//! A message's header section as its fields (RFC 5322 §2.2), for the checks that read
//! them and the fields a server removes.

/// A header field of the message: its name and the whole field as it came (folding and
/// CR LF included).
#[derive(Clone, Debug)]
pub struct Field<'a> {
    pub name: &'a str,
    pub raw: &'a [u8],
}

/// Splits a message (CR LF line ends) into its header fields and its body.
pub fn split(message: &[u8]) -> (Vec<Field<'_>>, &[u8]) {
    let mut fields: Vec<Field<'_>> = Vec::new();
    let mut rest = message;
    loop {
        if rest.starts_with(b"\r\n") || rest.is_empty() {
            return (fields, rest.get(2..).unwrap_or_default());
        }
        // A field runs to a CR LF not followed by white space (a fold).
        let mut end = 0;
        let length = loop {
            match rest
                .get(end..)
                .and_then(|tail| tail.windows(2).position(|pair| pair == b"\r\n"))
            {
                Some(at) => {
                    end += at + 2;
                    if !matches!(rest.get(end), Some(b' ' | b'\t')) {
                        break end;
                    }
                }
                None => break rest.len(),
            }
        };
        let (raw, after) = rest.split_at(length);
        let name = raw
            .iter()
            .position(|&byte| byte == b':')
            .and_then(|colon| raw.get(..colon))
            .and_then(|name| std::str::from_utf8(name).ok())
            .map(str::trim)
            .unwrap_or_default();
        fields.push(Field { name, raw });
        rest = after;
    }
}

/// The message without the `Authentication-Results:` fields that claim to come from
/// `authserv_id` (RFC 8601 §5: a receiving server removes such fields before adding
/// its own, so that a sender cannot forge this server's verdicts); `None` when there
/// are none.
pub fn without_results_claiming(message: &[u8], authserv_id: &str) -> Option<Vec<u8>> {
    let (fields, body) = split(message);
    let claims = |field: &Field<'_>| {
        field.name.eq_ignore_ascii_case("Authentication-Results")
            && field
                .raw
                .get(
                    field
                        .raw
                        .iter()
                        .position(|&byte| byte == b':')
                        .map_or(0, |colon| colon + 1)..,
                )
                .and_then(|value| std::str::from_utf8(value).ok())
                .and_then(|value| value.split(';').next())
                .map(|id| id.split_whitespace().next().unwrap_or_default())
                .is_some_and(|id| id.eq_ignore_ascii_case(authserv_id))
    };
    if !fields.iter().any(claims) {
        return None;
    }
    let mut kept = Vec::with_capacity(message.len());
    for field in fields.iter().filter(|field| !claims(field)) {
        kept.extend_from_slice(field.raw);
    }
    kept.extend_from_slice(b"\r\n");
    kept.extend_from_slice(body);
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_servers_claimed_results_are_removed() {
        let message = b"Received: from a\r\n\
            Authentication-Results: MX.example.org;\r\n\tspf=pass smtp.mailfrom=ceo@example.org\r\n\
            Authentication-Results: other.example; dkim=pass\r\n\
            Subject: hi\r\n\r\nAuthentication-Results: mx.example.org; in the body\r\n";
        assert_eq!(
            without_results_claiming(message, "mx.example.org").as_deref(),
            Some(
                &b"Received: from a\r\nAuthentication-Results: other.example; dkim=pass\r\n\
                   Subject: hi\r\n\r\nAuthentication-Results: mx.example.org; in the body\r\n"[..]
            )
        );
        assert_eq!(without_results_claiming(message, "elsewhere.example"), None);
    }
}
