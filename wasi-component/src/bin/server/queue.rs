//! The relay queue, on disk under `<spool>/queue`: for each message `<id>.msg` (the
//! content, as received) and `<id>.json` (envelope and each recipient's state). Both are
//! written to a temporary name, synced and renamed before the client hears `250`; the
//! state file is replaced the same way after every attempt, so a crash at any moment
//! leaves either the old state or the new one, never half of one.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use wasmtp_core::envelope::Recipient;
use wasmtp_core::syntax::{MailParameters, ReversePath};
use wasmtp_core::time::UnixTime;

use crate::maildir::{Content, sync_dir, unique_name};

/// Where a recipient stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Delivered,
    Failed,
}

/// One recipient of a queued message.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QueuedRecipient {
    pub recipient: Recipient,
    pub status: Status,
    pub attempts: u32,
    pub next_attempt: UnixTime,
    /// The last reply, in wire form, and who gave it.
    pub last_reply: Option<String>,
    pub remote: Option<String>,
    /// Reported to the sender in a DSN.
    #[serde(default)]
    pub bounced: bool,
}

impl QueuedRecipient {
    /// A recipient to try at once.
    pub fn new(recipient: Recipient, now: UnixTime) -> Self {
        Self {
            recipient,
            status: Status::Pending,
            attempts: 0,
            next_attempt: now,
            last_reply: None,
            remote: None,
            bounced: false,
        }
    }
}

/// A queued message's envelope and state (`<id>.json`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub reverse_path: ReversePath,
    pub parameters: MailParameters,
    pub arrival: UnixTime,
    pub recipients: Vec<QueuedRecipient>,
}

impl Entry {
    pub fn is_finished(&self) -> bool {
        self.recipients
            .iter()
            .all(|entry| entry.status != Status::Pending)
    }

    /// The earliest attempt still due.
    pub fn next_attempt(&self) -> Option<UnixTime> {
        self.recipients
            .iter()
            .filter(|entry| entry.status == Status::Pending)
            .map(|entry| entry.next_attempt)
            .min()
    }
}

/// The queue folder.
#[derive(Clone, Debug)]
pub struct Queue {
    dir: PathBuf,
    hostname: String,
}

impl Queue {
    pub fn open(spool: &Path, hostname: &str) -> io::Result<Self> {
        let queue = Self {
            dir: spool.join("queue"),
            hostname: hostname.to_owned(),
        };
        fs::create_dir_all(&queue.dir)?;
        queue.remove_leftovers();
        Ok(queue)
    }

    /// Temporary files of writes a crash interrupted; a `.msg` without its `.json` was
    /// never acknowledged.
    fn remove_leftovers(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let orphan = name.ends_with(".msg") && !path.with_extension("json").exists();
            if name.ends_with(".tmp") || orphan {
                let _ = fs::remove_file(&path);
            }
        }
    }

    /// Queues a copy of `content` for `entry`; durable when this returns.
    pub fn add(&self, content: &Content, entry: &Entry) -> io::Result<()> {
        let message = self.dir.join(format!("{}.msg", entry.id));
        let tmp = self.dir.join(format!("{}.msg.tmp", entry.id));
        {
            let mut copy = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            content.write_to(&mut copy)?;
            copy.sync_all()?;
        }
        fs::rename(&tmp, &message)?;
        self.save(entry)
    }

    /// Replaces the state file of `entry`.
    pub fn save(&self, entry: &Entry) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(entry).map_err(io::Error::other)?;
        let tmp = self.dir.join(format!("{}.json.tmp", entry.id));
        {
            let mut file = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)?;
            file.write_all(&json)?;
            file.sync_all()?;
        }
        fs::rename(&tmp, self.dir.join(format!("{}.json", entry.id)))?;
        sync_dir(&self.dir);
        Ok(())
    }

    /// Every queued entry, oldest id first; unreadable state files are skipped (and
    /// reported by the caller's log).
    pub fn entries(&self) -> Vec<Result<Entry, String>> {
        let Ok(listing) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = listing
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let text =
                    fs::read(&path).map_err(|error| format!("{}: {error}", path.display()))?;
                serde_json::from_slice(&text)
                    .map_err(|error| format!("{}: {error}", path.display()))
            })
            .collect()
    }

    pub fn content_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.msg"))
    }

    /// Removes a finished entry.
    pub fn remove(&self, id: &str) {
        let _ = fs::remove_file(self.dir.join(format!("{id}.json")));
        let _ = fs::remove_file(self.content_path(id));
        sync_dir(&self.dir);
    }

    /// A new queue id, unique like a Maildir name, safe as a file name.
    pub fn new_id(&self) -> String {
        unique_name(&self.hostname).replace('.', "-")
    }
}
