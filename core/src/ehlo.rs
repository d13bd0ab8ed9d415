//! The EHLO vocabulary, in one place: what a server offers, written into its EHLO
//! reply by the server session and read back by the client session (RFC 5321
//! §4.1.1.1, and the extensions that define each keyword).

use crate::reply::Reply;

/// The extensions a server offers (or advertised), keyword by keyword.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub pipelining: bool,
    /// SIZE with its limit; `Some(0)` is a SIZE without a fixed limit (RFC 1870 §4).
    pub size: Option<u64>,
    pub eight_bit_mime: bool,
    pub smtputf8: bool,
    pub enhanced_status_codes: bool,
    pub chunking: bool,
    pub binary_mime: bool,
    pub dsn: bool,
    pub starttls: bool,
    pub requiretls: bool,
    /// SASL mechanisms of AUTH, upper-cased.
    pub auth: Vec<String>,
    /// `LIMITS RCPTMAX=n`: recipients per transaction (RFC 9422 §4.2).
    pub rcpt_max: Option<usize>,
}

impl Capabilities {
    /// The EHLO reply's lines after the greeting, one `ehlo-keyword *( SP ehlo-param )`
    /// each, in the order servers customarily list them.
    pub fn keywords(&self) -> Vec<String> {
        let mut keywords = Vec::new();
        let mut offer = |on: bool, keyword: &dyn Fn() -> String| {
            if on {
                keywords.push(keyword());
            }
        };
        offer(self.pipelining, &|| "PIPELINING".into());
        if let Some(limit) = self.size {
            offer(true, &|| format!("SIZE {limit}"));
        }
        offer(self.eight_bit_mime, &|| "8BITMIME".into());
        offer(self.smtputf8, &|| "SMTPUTF8".into());
        offer(self.enhanced_status_codes, &|| "ENHANCEDSTATUSCODES".into());
        offer(self.chunking, &|| "CHUNKING".into());
        offer(self.binary_mime, &|| "BINARYMIME".into());
        offer(self.dsn, &|| "DSN".into());
        if let Some(max) = self.rcpt_max {
            offer(max > 0, &|| format!("LIMITS RCPTMAX={max}"));
        }
        offer(self.starttls, &|| "STARTTLS".into());
        offer(self.requiretls, &|| "REQUIRETLS".into());
        offer(!self.auth.is_empty(), &|| {
            format!("AUTH {}", self.auth.join(" "))
        });
        keywords
    }

    /// Reads the keywords of an EHLO reply: every line after the first is
    /// `ehlo-keyword *( SP ehlo-param )`, keywords case-insensitive. Unknown keywords are
    /// ignored; a final line with empty text (as `smtp-sink` sends) is fine.
    pub fn from_ehlo(reply: &Reply) -> Self {
        let mut capabilities = Self::default();
        for line in reply.lines().iter().skip(1) {
            let mut words = line.split(' ');
            let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
            match keyword.as_str() {
                "PIPELINING" => capabilities.pipelining = true,
                "SIZE" => {
                    capabilities.size = Some(
                        words
                            .next()
                            .and_then(|value| value.parse().ok())
                            .unwrap_or(0),
                    );
                }
                "8BITMIME" => capabilities.eight_bit_mime = true,
                "SMTPUTF8" => capabilities.smtputf8 = true,
                "ENHANCEDSTATUSCODES" => capabilities.enhanced_status_codes = true,
                "CHUNKING" => capabilities.chunking = true,
                "BINARYMIME" => capabilities.binary_mime = true,
                "DSN" => capabilities.dsn = true,
                "STARTTLS" => capabilities.starttls = true,
                "REQUIRETLS" => capabilities.requiretls = true,
                "AUTH" => capabilities.auth = words.map(str::to_ascii_uppercase).collect(),
                "LIMITS" => {
                    capabilities.rcpt_max = words
                        .filter_map(|limit| limit.split_once('='))
                        .find(|(name, _)| name.eq_ignore_ascii_case("RCPTMAX"))
                        .and_then(|(_, value)| value.parse().ok())
                        .filter(|&max| max > 0);
                }
                _ => {}
            }
        }
        capabilities
    }

    /// The largest message the server takes, if it said (`SIZE 0` sets no limit).
    pub fn size_limit(&self) -> Option<u64> {
        self.size.filter(|&limit| limit > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::reply::parse_reply;

    fn capabilities(reply: &[u8]) -> Capabilities {
        let (reply, _) = parse_reply(reply).unwrap().unwrap();
        Capabilities::from_ehlo(&reply)
    }

    #[test]
    fn keywords_and_their_parameters_are_read() {
        let offered = capabilities(
            b"250-mx.example hi\r\n250-pipelining\r\n250-SIZE 1000\r\n250-AUTH plain LOGIN\r\n250-LIMITS MAILMAX=5 RCPTMAX=20\r\n250 CHUNKING\r\n",
        );
        assert!(offered.pipelining && offered.chunking);
        assert_eq!(offered.size_limit(), Some(1000));
        assert_eq!(offered.auth, ["PLAIN", "LOGIN"]);
        assert_eq!(offered.rcpt_max, Some(20));
        assert!(!offered.starttls);
    }

    #[test]
    fn size_without_a_value_sets_no_limit_and_an_empty_last_line_is_fine() {
        let offered = capabilities(b"250-sink\r\n250-SIZE\r\n250 \r\n");
        assert_eq!(offered.size, Some(0));
        assert_eq!(offered.size_limit(), None);
    }
}
