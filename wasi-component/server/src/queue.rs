//! The relay queue, on disk under `<spool>/queue`: for each message `<id>.msg` (the
//! content, as received) and `<id>.json` (the core's [`QueuedMessage`]: the envelope
//! and each recipient's record). Both are
//! written to a temporary name, synced and renamed before the client hears `250`; the
//! state file is replaced the same way after every attempt, so a crash at any moment
//! leaves either the old state or the new one, never half of one.
//!
//! What enters the queue leaves this server, so it is signed here (DKIM, when a key
//! for its author's domain is held): the signature is written above the content and
//! nothing it covers is touched afterwards.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use wasmtp_core::queue::QueuedMessage;
use wasmtp_wasi::clock::now;

use crate::maildir::{Content, sync_dir, unique_name};
use crate::signing::SigningKeys;

/// The queue folder.
#[derive(Clone, Debug)]
pub struct Queue {
    dir: PathBuf,
    hostname: String,
    keys: Rc<SigningKeys>,
}

/// Whether a queued message was signed: by which domain, or why not.
pub type Signed = Option<Result<String, String>>;

impl Queue {
    pub fn open(spool: &Path, hostname: &str, keys: SigningKeys) -> io::Result<Self> {
        let queue = Self {
            dir: spool.join("queue"),
            hostname: hostname.to_owned(),
            keys: Rc::new(keys),
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

    /// Queues a copy of `content` for `entry`, signed when a key applies (a signing
    /// failure queues it unsigned: mail is not lost for it); durable when this returns.
    pub fn add(&self, content: &Content, entry: &QueuedMessage) -> io::Result<Signed> {
        let message = self.dir.join(format!("{}.msg", entry.id));
        let tmp = self.dir.join(format!("{}.msg.tmp", entry.id));
        let signature = if self.keys.is_empty() {
            None
        } else {
            let whole = content.head(usize::try_from(content.len()).unwrap_or(usize::MAX))?;
            self.keys.sign(&whole, now().as_millis() / 1000)
        };
        {
            let mut copy = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
            if let Some(Ok((field, _))) = &signature {
                copy.write_all(field.as_bytes())?;
            }
            content.write_to(&mut copy)?;
            copy.sync_all()?;
        }
        fs::rename(&tmp, &message)?;
        self.save(entry)?;
        Ok(signature.map(|signed| signed.map(|(_, domain)| domain)))
    }

    /// Replaces the state file of `entry`.
    pub fn save(&self, entry: &QueuedMessage) -> io::Result<()> {
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
    pub fn entries(&self) -> Vec<Result<QueuedMessage, String>> {
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
                serde_json::from_slice(&text).map_err(|error| unreadable(&path, &text, &error))
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

/// Why a state file cannot be read. Files of wasmtp before the core's delivery records
/// (recipients with a `status` field) are named as such: this version leaves them and
/// their message untouched rather than guess at their state.
fn unreadable(path: &Path, text: &[u8], error: &serde_json::Error) -> String {
    let earlier = serde_json::from_slice::<serde_json::Value>(text)
        .ok()
        .and_then(|value| value.get("recipients")?.get(0)?.get("status").cloned())
        .is_some();
    if earlier {
        format!(
            "{}: written by an earlier wasmtp (recipients with `status`), not read by this \
             version; deliver it with the earlier version, or resubmit its .msg file",
            path.display()
        )
    } else {
        format!("{}: {error}", path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<QueuedMessage, String> {
        let path = Path::new("/spool/queue/q1.json");
        serde_json::from_str(text).map_err(|error| unreadable(path, text.as_bytes(), &error))
    }

    #[test]
    fn a_state_file_of_the_earlier_format_is_named_as_such() {
        let earlier = r#"{"id":"q1","reverse_path":"Null","parameters":{},"arrival":0,
            "recipients":[{"recipient":{},"status":"pending","attempts":0,"next_attempt":0,
            "last_reply":null,"remote":null}]}"#;
        let problem = read(earlier).expect_err("not this version's format");
        assert!(
            problem.contains("written by an earlier wasmtp"),
            "{problem}"
        );
        assert!(problem.starts_with("/spool/queue/q1.json: "), "{problem}");
        let broken = read("{").expect_err("not JSON");
        assert!(!broken.contains("earlier wasmtp"), "{broken}");
    }
}
