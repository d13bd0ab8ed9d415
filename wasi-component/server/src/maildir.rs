//! Local delivery into Maildir (the format of qmail, read by Dovecot and mutt):
//! `<root>/<domain>/<local-part>/{tmp,new,cur}`. A message is written into `tmp`, synced,
//! renamed into `new` and the directory synced; only then is it delivered.

use std::borrow::Cow;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
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

/// Octets a spool file is written and read in at a time: a large message costs one host
/// call per chunk instead of one per network read.
const SPOOL_CHUNK: usize = 128 * 1024;

/// Where in a mailbox a message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    Inbox,
    /// The Maildir++ folder `.Junk` (as Dovecot names it), for mail a DMARC policy
    /// asks to quarantine.
    Junk,
}

impl std::fmt::Display for Folder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Folder::Inbox => "inbox",
            Folder::Junk => "junk",
        })
    }
}

/// A message being received, spooled to a file as it streams in.
#[derive(Debug)]
pub struct Incoming {
    path: PathBuf,
    file: BufWriter<File>,
    /// Octets written so far.
    size: u64,
}

/// A whole received message: in memory when small (no spool file, so a typical message
/// costs one file written and synced), else in its spool file.
#[derive(Debug)]
pub enum Content {
    Memory(Vec<u8>),
    Spooled(Incoming),
}

impl Content {
    /// Its size in octets.
    pub fn len(&self) -> u64 {
        match self {
            Self::Memory(bytes) => bytes.len() as u64,
            Self::Spooled(incoming) => incoming.size,
        }
    }

    /// Up to `limit` octets from its start.
    pub fn head(&self, limit: usize) -> io::Result<Cow<'_, [u8]>> {
        match self {
            Self::Memory(bytes) => Ok(Cow::Borrowed(bytes.get(..limit).unwrap_or(bytes))),
            Self::Spooled(incoming) => {
                let mut head = Vec::new();
                File::open(&incoming.path)?
                    .take(limit as u64)
                    .read_to_end(&mut head)?;
                Ok(Cow::Owned(head))
            }
        }
    }

    /// Writes all of it to `out`.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Self::Memory(bytes) => out.write_all(bytes),
            Self::Spooled(incoming) => {
                let file = File::open(&incoming.path)?;
                io::copy(&mut BufReader::with_capacity(SPOOL_CHUNK, file), out).map(drop)
            }
        }
    }

    /// Removes its spool file, once it is delivered, queued or refused.
    pub fn discard(self) {
        if let Self::Spooled(incoming) = self {
            incoming.discard();
        }
    }
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
        Ok(Incoming {
            path,
            file: BufWriter::with_capacity(SPOOL_CHUNK, file),
            size: 0,
        })
    }

    /// Delivers `content` to `folder` of each recipient's mailbox, starting with
    /// `Return-Path:` (RFC 5321 §4.4: the final delivery records the reverse path),
    /// then `trace` (the
    /// `Authentication-Results:` field, or nothing). The first copy is written and
    /// synced; the others are hard links to it where the filesystem allows, copies
    /// otherwise.
    pub fn deliver(
        &self,
        content: &Content,
        reverse_path: &ReversePath,
        trace: &str,
        recipients: &[&ForwardPath],
        folder: Folder,
    ) -> io::Result<()> {
        let return_path = match reverse_path {
            ReversePath::Null => "Return-Path: <>\r\n".to_owned(),
            ReversePath::Mailbox(mailbox) => format!("Return-Path: <{mailbox}>\r\n"),
        };
        let mut first: Option<PathBuf> = None;
        for recipient in recipients {
            let mailbox = match folder {
                Folder::Inbox => self.mailbox_dir(recipient),
                Folder::Junk => self.mailbox_dir(recipient).join(".Junk"),
            };
            let name = self.unique_name();
            let tmp = mailbox.join("tmp").join(&name);
            let linked = first
                .as_ref()
                .is_some_and(|first| fs::hard_link(first, &tmp).is_ok());
            if !linked {
                let mut copy = create_in_mailbox(&mailbox, &tmp)?;
                copy.write_all(return_path.as_bytes())?;
                copy.write_all(trace.as_bytes())?;
                content.write_to(&mut copy)?;
                copy.sync_all()?;
            }
            let delivered = mailbox.join("new").join(&name);
            fs::rename(&tmp, &delivered)?;
            sync_dir(&mailbox.join("new"));
            first.get_or_insert(delivered);
        }
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
        self.file.write_all(bytes)?;
        self.size += bytes.len() as u64;
        Ok(())
    }

    /// The whole message, once it has ended.
    pub fn finish(mut self) -> io::Result<Content> {
        match self.file.flush() {
            Ok(()) => Ok(Content::Spooled(self)),
            Err(error) => {
                self.discard();
                Err(error)
            }
        }
    }

    /// Drops the spool file.
    pub fn discard(self) {
        let _ = fs::remove_file(self.path);
    }
}

/// Creates the file `tmp` of a new message in `mailbox`, creating the mailbox's `tmp`,
/// `new` and `cur` only when that fails: one host call per message in the common case
/// instead of a walk over three directories.
fn create_in_mailbox(mailbox: &Path, tmp: &Path) -> io::Result<File> {
    let create = || OpenOptions::new().write(true).create_new(true).open(tmp);
    match create() {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            for sub in ["tmp", "new", "cur"] {
                fs::create_dir_all(mailbox.join(sub))?;
            }
            create()
        }
        result => result,
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
