//! Local delivery into Maildir (the format of qmail, read by Dovecot and mutt):
//! `<root>/<domain>/<local-part>/{tmp,new,cur}`. A message is written into `tmp`, synced,
//! renamed into `new` and the directory synced; only then is it delivered.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use wasmtp_core::server::Envelope;
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
        Ok(maildirs)
    }

    fn incoming_dir(&self) -> PathBuf {
        self.root.join(".incoming")
    }

    /// A unique name per the Maildir convention: `<time>.<unique>.<host>`.
    fn unique_name(&self) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let sequence = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let random = wasip2::random::random::get_random_u64();
        format!(
            "{}.M{}Q{sequence}R{random:016x}.{}",
            now.as_secs(),
            now.subsec_micros(),
            self.hostname.replace(['/', ':'], "_")
        )
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

    /// Delivers a spooled message to every recipient's mailbox, each copy starting with
    /// `Return-Path:` (RFC 5321 §4.4: the final delivery records the reverse path).
    pub fn deliver(&self, incoming: Incoming, envelope: &Envelope) -> io::Result<()> {
        let Incoming { path, mut file } = incoming;
        file.flush()?;
        drop(file);
        let return_path = match &envelope.reverse_path {
            ReversePath::Null => "Return-Path: <>\r\n".to_owned(),
            ReversePath::Mailbox(mailbox) => format!("Return-Path: <{mailbox}>\r\n"),
        };
        let result = envelope.recipients.iter().try_for_each(|recipient| {
            let mailbox = self.mailbox_dir(&recipient.forward_path);
            self.deliver_copy(&path, &mailbox, return_path.as_bytes())
        });
        let _ = fs::remove_file(&path);
        result
    }

    /// Drops a spooled message the session refused.
    pub fn discard(&self, incoming: Incoming) {
        let _ = fs::remove_file(incoming.path);
    }

    fn deliver_copy(&self, spooled: &Path, mailbox: &Path, prefix: &[u8]) -> io::Result<()> {
        for sub in ["tmp", "new", "cur"] {
            fs::create_dir_all(mailbox.join(sub))?;
        }
        let name = self.unique_name();
        let tmp = mailbox.join("tmp").join(&name);
        let mut copy = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        copy.write_all(prefix)?;
        io::copy(&mut File::open(spooled)?, &mut copy)?;
        copy.sync_all()?;
        drop(copy);
        fs::rename(&tmp, mailbox.join("new").join(&name))?;
        sync_dir(&mailbox.join("new"));
        Ok(())
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
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}
