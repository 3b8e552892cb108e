//! What the harvester keeps between runs (`--state DIR`): one file per RPDE feed,
//! named by a hash of its first URL, holding the feed's [`Snapshot`] (its next page
//! and every record) and when its last full read began. Each file is written whole
//! to a temporary name and renamed over the old, so a run killed at any moment
//! leaves either the old state or the new, never half of one.

use activity_map_core::feed::rpde::Snapshot;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One feed's saved state.
#[derive(Debug, Serialize, Deserialize)]
pub struct Saved {
    /// The feed's first page (the file name is only its hash).
    pub first: String,
    /// When the full read the records come from began, in seconds since 1970.
    pub full_read_began: u64,
    pub harvest: Snapshot,
}

/// The state folder; `None` keeps nothing (every run reads every feed whole).
pub struct State {
    dir: Option<PathBuf>,
}

impl State {
    pub fn new(dir: Option<PathBuf>) -> std::io::Result<State> {
        if let Some(d) = &dir {
            std::fs::create_dir_all(d)?;
        }
        Ok(State { dir })
    }

    fn path(&self, first: &str) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        Some(dir.join(format!("rpde-{:016x}.json", fnv1a(first.as_bytes()))))
    }

    /// Whether a feed starting at `first` was read by an earlier run.
    pub fn has(&self, first: &str) -> bool {
        self.path(first).is_some_and(|p| p.exists())
    }

    /// The saved state of the feed starting at `first`. A file that cannot be read
    /// (or belongs to another URL) is reported and ignored: the feed is read whole.
    pub fn load(&self, first: &str) -> Result<Option<Saved>, String> {
        let Some(path) = self.path(first) else {
            return Ok(None);
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let saved: Saved = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not a harvest state ({e})", path.display()))?;
        Ok((saved.first == first).then_some(saved))
    }

    /// Save the state of one feed, atomically.
    pub fn save(&self, saved: &Saved) -> std::io::Result<()> {
        let Some(path) = self.path(&saved.first) else {
            return Ok(());
        };
        let bytes = serde_json::to_vec(saved).map_err(std::io::Error::from)?;
        write_atomic(&path, &bytes)
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder, flushed to
/// disk before it is renamed over the old file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// FNV-1a, 64 bits: a stable file name for a URL (std's hashers may change between
/// Rust releases, which would orphan every state file).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
