//! Who may authenticate: a passwd-file in the format Dovecot reads (`user:{SCHEME}hash`,
//! more `:`-separated fields ignored, `#` comments), so one file can serve this server's
//! AUTH and Dovecot's IMAP logins. Hashes are SHA512-CRYPT (`$6$`, salted, 5000 rounds by
//! default): what `doveadm pw -s SHA512-CRYPT` writes and what `--hash-password` prints.

use std::collections::HashMap;

use wasmtp_core::server::Credentials;

/// The scheme prefix of a SHA512-CRYPT hash in a Dovecot passwd-file.
const SCHEME: &str = "{SHA512-CRYPT}";

/// Checked against when the user does not exist, so an unknown name costs the same
/// time as a wrong password and does not reveal which users exist.
const DECOY: &str = "$6$aNeTHH7gx/QDOqxT$.KpvkB0ngEQbGSySD7nNN5UO0Zco5eyrCXyilq5R3L.6NSGOHreHJ5J243ROS1itsuxaiH5zVPzOGsT6uoUky1";

/// Users and their password hashes.
#[derive(Clone, Debug, Default)]
pub struct Users {
    hashes: HashMap<String, String>,
}

impl Users {
    /// Reads a passwd-file; a problem names its line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut hashes = HashMap::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split(':');
            let (Some(user), Some(password)) = (fields.next(), fields.next()) else {
                return Err(format!("line {number}: expected user:{{SHA512-CRYPT}}$6$…"));
            };
            if user.is_empty() {
                return Err(format!("line {number}: empty user name"));
            }
            let hash = password.strip_prefix(SCHEME).ok_or_else(|| {
                format!(
                    "line {number}: user {user}: only {SCHEME} hashes are supported \
                     (make one with `doveadm pw -s SHA512-CRYPT` or --hash-password)"
                )
            })?;
            if !hash.starts_with("$6$") {
                return Err(format!("line {number}: user {user}: not a $6$ hash"));
            }
            if hashes.insert(user.to_owned(), hash.to_owned()).is_some() {
                return Err(format!("line {number}: user {user} is listed twice"));
            }
        }
        Ok(Self { hashes })
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Whether the credentials of an AUTH exchange hold: the password is the user's,
    /// and the user acts as itself (PLAIN's authorization identity may name another;
    /// nobody may act as someone else here).
    pub fn verify(&self, credentials: &Credentials) -> bool {
        let as_itself = (credentials.authorization_id.as_ref())
            .is_none_or(|identity| *identity == credentials.username);
        let password_holds = match self.hashes.get(&credentials.username) {
            Some(hash) => sha_crypt::sha512_check(&credentials.password, hash).is_ok(),
            None => {
                let _ = sha_crypt::sha512_check(&credentials.password, DECOY);
                false
            }
        };
        as_itself && password_holds
    }
}

/// A passwd-file entry's password field for `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let params = sha_crypt::Sha512Params::new(sha_crypt::ROUNDS_DEFAULT)
        .map_err(|error| format!("{error:?}"))?;
    let hash = sha_crypt::sha512_simple(password, &params).map_err(|error| format!("{error:?}"))?;
    Ok(format!("{SCHEME}{hash}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `user` and `password` as an AUTH PLAIN exchange gives them.
    fn login(user: &str, password: &str) -> Credentials {
        Credentials {
            mechanism: "PLAIN".into(),
            authorization_id: None,
            username: user.into(),
            password: password.into(),
        }
    }

    #[test]
    fn reads_dovecot_hashes_and_refuses_others() {
        // Written by `doveadm pw -s SHA512-CRYPT -p secret` (Dovecot 2.3).
        let file = "# users\nalice:{SHA512-CRYPT}$6$dJokYomHBat/k6eU$NkMEXaq2AkzuUf7kVUA7egM8tQDOFe2Oa88vw3AW64T0W7LBWkdRaEfaMcRrACl2D0dImLuuVOtmJW8Zb5asQ1::::\n";
        let users = Users::parse(file).unwrap();
        assert!(users.verify(&login("alice", "secret")));
        assert!(!users.verify(&login("alice", "Secret")));
        assert!(!users.verify(&login("bob", "secret")));
        assert!(Users::parse("bob:{PLAIN}secret").is_err());
        assert!(Users::parse("bob").is_err());
    }

    #[test]
    fn hashes_round_trip() {
        let field = hash_password("correct horse").unwrap();
        let users = Users::parse(&format!("carol:{field}")).unwrap();
        assert!(users.verify(&login("carol", "correct horse")));
        assert!(!users.verify(&login("carol", "correct  horse")));
    }
}
