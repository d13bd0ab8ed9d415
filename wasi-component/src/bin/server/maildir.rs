//! Local delivery into Maildir (the format of qmail, read by Dovecot and mutt):
//! `<root>/<domain>/<local-part>/{tmp,new,cur}`. A message is written into `tmp`, synced,
//! renamed into `new` and the directory synced; only then is it delivered.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use wasmtp_core::syntax::{ForwardPath, Host, ReversePath};

/// Distinguishes files written in the same millisecond by this instance.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// Where mailboxes live.
#[derive(Clone, Debug)]
pub struct Maildirs {
    root: PathBuf,
    /// The name files are tagged with, and the domain of a bare `<Postmaster>`.
    hostname: String,
}

/// A message being received, spooled to a file as it streams in.
#[derive(Debug)]
pub struct Incoming {
    path: PathBuf,
    file: File,
}

impl Maildirs {
    /// Mailboxes below `root`, which must be writable.
    pub fn open(root: &str, hostname: &str) -> io::Result<Self> {
        let maildirs = Self {
            root: PathBuf::from(root),
            hostname: hostname.to_owned(),
        };
        fs::create_dir_all(maildirs.incoming_dir())?;
        // Messages a crash cut off were never acknowledged: drop them.
        for leftover in fs::read_dir(maildirs.incoming_dir())?.flatten() {
            let _ = fs::remove_file(leftover.path());
        }
        Ok(maildirs)
    }

    fn incoming_dir(&self) -> PathBuf {
        self.root.join(".incoming")
    }

    fn unique_name(&self) -> String {
        unique_name(&self.hostname)
    }

    /// Starts spooling a message.
    pub fn begin(&self) -> io::Result<Incoming> {
        let path = self.incoming_dir().join(self.unique_name());
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Incoming { path, file })
    }

    /// Delivers the message in `spooled` to each recipient's mailbox, starting with
    /// `Return-Path:` (RFC 5321 §4.4: the final delivery records the reverse path). The
    /// first copy is written and synced; the others are hard links to it where the
    /// filesystem allows, copies otherwise.
    pub fn deliver(
        &self,
        spooled: &Path,
        reverse_path: &ReversePath,
        recipients: &[&ForwardPath],
    ) -> io::Result<()> {
        let return_path = match reverse_path {
            ReversePath::Null => "Return-Path: <>\r\n".to_owned(),
            ReversePath::Mailbox(mailbox) => format!("Return-Path: <{mailbox}>\r\n"),
        };
        let mut first: Option<PathBuf> = None;
        for recipient in recipients {
            let mailbox = self.mailbox_dir(recipient);
            for sub in ["tmp", "new", "cur"] {
                fs::create_dir_all(mailbox.join(sub))?;
            }
            let name = self.unique_name();
            let tmp = mailbox.join("tmp").join(&name);
            let linked = first
                .as_ref()
                .is_some_and(|first| fs::hard_link(first, &tmp).is_ok());
            if !linked {
                let mut copy = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
                copy.write_all(return_path.as_bytes())?;
                io::copy(&mut File::open(spooled)?, &mut copy)?;
                copy.sync_all()?;
            }
            let delivered = mailbox.join("new").join(&name);
            fs::rename(&tmp, &delivered)?;
            sync_dir(&mailbox.join("new"));
            first.get_or_insert(delivered);
        }
        Ok(())
    }

    /// Delivers a message given as bytes (a DSN) to one mailbox.
    pub fn deliver_bytes(&self, content: &[u8], recipient: &ForwardPath) -> io::Result<()> {
        let mut incoming = self.begin()?;
        let result = incoming
            .write(content)
            .and_then(|()| self.deliver(&incoming.path, &ReversePath::Null, &[recipient]));
        self.discard(incoming);
        result
    }

    /// Drops a spooled message once it is delivered, queued or refused.
    pub fn discard(&self, incoming: Incoming) {
        let _ = fs::remove_file(incoming.path);
    }

    /// `<root>/<domain>/<local-part>`, with both made safe as single path components.
    fn mailbox_dir(&self, forward_path: &ForwardPath) -> PathBuf {
        let (local_part, domain) = match forward_path {
            ForwardPath::Postmaster => ("postmaster".to_owned(), self.hostname.clone()),
            ForwardPath::Mailbox(mailbox) => {
                let domain = match &mailbox.host {
                    Host::Domain(domain) => domain.as_str().to_owned(),
                    Host::Literal(literal) => literal.to_string(),
                };
                let local_part = if mailbox.is_postmaster() {
                    "postmaster".to_owned()
                } else {
                    mailbox.local_part.clone()
                };
                (local_part, domain)
            }
        };
        self.root
            .join(path_component(&domain.to_ascii_lowercase()))
            .join(path_component(&local_part))
    }
}

impl Incoming {
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)
    }

    /// The spooled file, complete once the message has ended.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A unique name per the Maildir convention: `<time>.<unique>.<host>`.
pub fn unique_name(hostname: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let random = wasip2::random::random::get_random_u64();
    format!(
        "{}.M{}Q{sequence}R{random:016x}.{}",
        now.as_secs(),
        now.subsec_micros(),
        hostname.replace(['/', ':'], "_")
    )
}

/// A name safe as one path component: letters, digits, `.`, `_`, `+`, `-` stay (but a
/// leading `.`), every other byte becomes `%XX`, so `../x` or `a/b` cannot leave the root.
fn path_component(name: &str) -> String {
    let mut safe = String::with_capacity(name.len());
    for (index, byte) in name.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'_' | b'+' | b'-')
            || (byte == b'.' && index > 0);
        if keep {
            safe.push(char::from(byte));
        } else {
            safe.push_str(&format!("%{byte:02X}"));
        }
    }
    safe
}

/// Syncs a directory so a rename into it survives a crash. WASI hosts may refuse to sync
/// a directory; the file itself is already synced then.
pub fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}
