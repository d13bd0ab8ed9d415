//! The server side of SASL PLAIN (RFC 4616) and LOGIN in AUTH (RFC 4954): the exchange
//! of challenges and responses, decoded into credentials for the host to check.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::replies;
use crate::reply::Reply;
use crate::syntax::InitialResponse;

/// What the client proved it knows, for the host to check.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Credentials {
    /// `PLAIN` or `LOGIN`.
    pub mechanism: String,
    /// The identity to act as, if other than `username` (PLAIN's authzid).
    pub authorization_id: Option<String>,
    pub username: String,
    pub password: String,
}

impl core::fmt::Debug for Credentials {
    /// Never prints the password.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Credentials")
            .field("mechanism", &self.mechanism)
            .field("authorization_id", &self.authorization_id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// A response from the client.
#[derive(Debug)]
pub enum Response<'a> {
    /// AUTH had no initial response.
    None,
    /// AUTH's initial response.
    Initial(InitialResponse),
    /// A continuation line.
    Line(&'a [u8]),
}

/// What the exchange asks for next.
#[derive(Debug)]
pub enum AuthStep {
    /// Send this `334` challenge and wait for a line.
    Challenge(Reply),
    /// The exchange is complete.
    Done(Credentials),
    /// The exchange failed with this reply.
    Failed(Reply),
}

#[derive(Debug)]
enum Mechanism {
    Plain,
    /// LOGIN asks for the username, then the password.
    Login {
        username: Option<String>,
    },
}

/// One AUTH exchange in progress.
#[derive(Debug)]
pub struct AuthExchange {
    mechanism: Mechanism,
    username: String,
}

/// `VXNlcm5hbWU6` and `UGFzc3dvcmQ6` are "Username:" and "Password:" in base64.
const LOGIN_USERNAME: &str = "VXNlcm5hbWU6";
const LOGIN_PASSWORD: &str = "UGFzc3dvcmQ6";

impl AuthExchange {
    /// An exchange for a mechanism we implement (`PLAIN`, `LOGIN`).
    pub fn start(mechanism: &str) -> Option<Self> {
        let mechanism = match mechanism.to_ascii_uppercase().as_str() {
            "PLAIN" => Mechanism::Plain,
            "LOGIN" => Mechanism::Login { username: None },
            _ => return None,
        };
        Some(Self {
            mechanism,
            username: String::new(),
        })
    }

    /// The username the client gave (empty until it gave one).
    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn respond(&mut self, response: Response<'_>) -> AuthStep {
        let decoded = match response {
            Response::None => None,
            Response::Initial(InitialResponse::Empty) => Some(Vec::new()),
            Response::Initial(InitialResponse::Base64(text)) => match decode(text.as_bytes()) {
                Ok(bytes) => Some(bytes),
                Err(step) => return step,
            },
            Response::Line(line) => match decode(line) {
                Ok(bytes) => Some(bytes),
                Err(step) => return step,
            },
        };
        match (&mut self.mechanism, decoded) {
            // PLAIN with no initial response: an empty challenge (RFC 4954 §4).
            (Mechanism::Plain, None) => AuthStep::Challenge(replies::challenge("")),
            (Mechanism::Plain, Some(message)) => match plain_message(&message) {
                Some(credentials) => {
                    self.username = credentials.username.clone();
                    AuthStep::Done(credentials)
                }
                None => AuthStep::Failed(replies::bad_auth_response()),
            },
            (Mechanism::Login { .. }, None) => {
                AuthStep::Challenge(replies::challenge(LOGIN_USERNAME))
            }
            (Mechanism::Login { username }, Some(bytes)) => {
                let Ok(text) = String::from_utf8(bytes) else {
                    return AuthStep::Failed(replies::bad_auth_response());
                };
                match username.take() {
                    None => {
                        self.username = text.clone();
                        *username = Some(text);
                        AuthStep::Challenge(replies::challenge(LOGIN_PASSWORD))
                    }
                    Some(name) => AuthStep::Done(Credentials {
                        mechanism: "LOGIN".into(),
                        authorization_id: None,
                        username: name,
                        password: text,
                    }),
                }
            }
        }
    }
}

/// A continuation line: `*` cancels (RFC 4954 §4), anything else must be base64.
fn decode(line: &[u8]) -> Result<Vec<u8>, AuthStep> {
    if line == b"*" {
        return Err(AuthStep::Failed(replies::auth_cancelled()));
    }
    STANDARD
        .decode(line)
        .map_err(|_| AuthStep::Failed(replies::bad_auth_response()))
}

/// `message = [authzid] UTF8NUL authcid UTF8NUL passwd` (RFC 4616 §2).
fn plain_message(message: &[u8]) -> Option<Credentials> {
    let text = core::str::from_utf8(message).ok()?;
    let mut parts = text.split('\0');
    let (authzid, authcid, passwd) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || authcid.is_empty() || passwd.is_empty() {
        return None;
    }
    Some(Credentials {
        mechanism: "PLAIN".into(),
        authorization_id: (!authzid.is_empty()).then(|| authzid.to_owned()),
        username: authcid.to_owned(),
        password: passwd.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_initial_response_gives_credentials() {
        let mut exchange = AuthExchange::start("plain").unwrap();
        // "\0user\0pass"
        let step = exchange.respond(Response::Initial(InitialResponse::Base64(
            "AHVzZXIAcGFzcw==".into(),
        )));
        let AuthStep::Done(credentials) = step else {
            panic!("{step:?}")
        };
        assert_eq!(
            (credentials.username.as_str(), credentials.password.as_str()),
            ("user", "pass")
        );
        assert_eq!(credentials.authorization_id, None);
        assert!(!format!("{credentials:?}").contains("pass\""));
    }

    #[test]
    fn login_asks_for_username_then_password() {
        let mut exchange = AuthExchange::start("LOGIN").unwrap();
        assert!(matches!(
            exchange.respond(Response::None),
            AuthStep::Challenge(_)
        ));
        assert!(matches!(
            exchange.respond(Response::Line(b"dXNlcg==")),
            AuthStep::Challenge(_)
        ));
        let AuthStep::Done(credentials) = exchange.respond(Response::Line(b"cGFzcw==")) else {
            panic!("no credentials")
        };
        assert_eq!(
            (credentials.username.as_str(), credentials.password.as_str()),
            ("user", "pass")
        );
    }

    #[test]
    fn star_cancels_and_bad_base64_fails() {
        let mut exchange = AuthExchange::start("PLAIN").unwrap();
        let AuthStep::Failed(reply) = exchange.respond(Response::Line(b"*")) else {
            panic!()
        };
        assert_eq!(reply.code().value(), 501);
        let AuthStep::Failed(reply) = exchange.respond(Response::Line(b"!!!")) else {
            panic!()
        };
        assert_eq!(reply.code().value(), 501);
        assert!(AuthExchange::start("CRAM-MD5").is_none());
    }
}
