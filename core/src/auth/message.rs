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

/// The domain of the message's author: the address of its one `From:` field (RFC 5322
/// §3.6.2), lower case, as DMARC (RFC 7489 §3.1) and a signer read it. A message with
/// no `From:`, two of them, or several authors has no one author domain (§6.6.1).
pub fn author_domain(fields: &[Field<'_>]) -> Result<String, String> {
    let mut from = fields
        .iter()
        .filter(|field| field.name.eq_ignore_ascii_case("From"));
    let (Some(field), None) = (from.next(), from.next()) else {
        return Err("the message does not have exactly one From: field".into());
    };
    let value = field
        .raw
        .iter()
        .position(|&byte| byte == b':')
        .and_then(|colon| field.raw.get(colon + 1..))
        .unwrap_or_default();
    let value = String::from_utf8_lossy(value);
    let address = address_of(&value).ok_or_else(|| {
        format!(
            "From: {} does not hold exactly one address",
            value.trim().chars().take(80).collect::<String>()
        )
    })?;
    let domain = address
        .rsplit_once('@')
        .map(|(_, domain)| domain.trim().trim_end_matches('.').to_ascii_lowercase())
        .filter(|domain| !domain.is_empty() && !domain.contains(['[', ' ', '@']))
        .ok_or_else(|| format!("From: <{address}> has no domain"))?;
    Ok(domain)
}

/// The one addr-spec of a `From:` value: comments dropped and quoted strings kept
/// whole, the part in angle brackets if there is one; `None` for a list or a group.
fn address_of(value: &str) -> Option<String> {
    let mut plain = String::with_capacity(value.len());
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    for c in value.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                plain.push(c);
            }
            continue;
        }
        match c {
            '\\' if quoted || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    plain.push(c);
                }
            }
            '"' if depth == 0 => {
                quoted = !quoted;
                plain.push(c);
            }
            '(' if !quoted => depth += 1,
            ')' if !quoted && depth > 0 => depth -= 1,
            // Outside quotes, a comma separates authors and a colon opens a group.
            ',' | ':' | ';' if !quoted && depth == 0 => return None,
            '\r' | '\n' => {}
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    // The angle brackets outside a quoted string, if any.
    let mut in_quotes = false;
    let mut open = None;
    for (at, c) in plain.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '<' if !in_quotes => open = Some(at),
            _ => {}
        }
    }
    let address = match open {
        Some(at) => {
            let inner = plain.get(at + 1..)?;
            inner.get(..inner.find('>')?)?.trim().to_owned()
        }
        None => plain.trim().to_owned(),
    };
    address.contains('@').then_some(address)
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

    fn author(from: &str) -> Result<String, String> {
        let message = format!("{from}Subject: x\r\n\r\nbody\r\n");
        author_domain(&split(message.as_bytes()).0)
    }

    #[test]
    fn the_author_domain_is_read_through_names_comments_and_quotes() {
        for (from, domain) in [
            ("From: joe@Football.Example.COM\r\n", "football.example.com"),
            (
                "From: Joe SixPack <joe@football.example.com>\r\n",
                "football.example.com",
            ),
            (
                "From: \"Joe, <the boss@evil.example>\" <joe@example.org>\r\n",
                "example.org",
            ),
            (
                "From: joe(at home, really)@example.org (Joe)\r\n",
                "example.org",
            ),
            ("From:\r\n\tJoe\r\n <joe@example.org.>\r\n", "example.org"),
        ] {
            assert_eq!(author(from).as_deref(), Ok(domain), "{from}");
        }
        for from in [
            "",
            "From: a@example.org\r\nFrom: b@example.net\r\n",
            "From: a@example.org, b@example.net\r\n",
            "From: team: a@example.org;\r\n",
            "From: nobody\r\n",
            "From: <a@[192.0.2.1]>\r\n",
        ] {
            assert!(author(from).is_err(), "{from}");
        }
    }

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
