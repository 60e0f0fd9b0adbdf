//! The files and folders of the cache: each one's name, the largest size runway writes it at, and
//! what its checksum is seeded with.

use std::path::PathBuf;

/// A file (or folder) of the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item<'a> {
    /// The log, and the one it rotated out.
    Log,
    OldLog,
    /// What a prompt found wrong with its settings, for `doctor`.
    Problems,
    /// The prompt cache of the session the status line last drew.
    PromptCache,
    /// The readings of a service's own file (`.claude.json`, Claude Desktop's history), by a hash of
    /// its path (and a replay's copy apart). Its file keeps the name it had when `.claude.json` was
    /// the only one, `claude-json-<hash>`: a cache made before reads its copy again.
    KeptReadings(u64),
    /// The status line's readings: one file per history root (by a hash of the root), the readings
    /// waiting to be folded into it, their lock and folder.
    Readings(u64),
    ReadingsPending(u64, &'a str),
    ReadingsPendingDir,
    ReadingsLock,
    ReadingsDir,
    /// Where earlier versions kept every root's readings at once: removed.
    OldReadings,
    /// Which notices were given: one file per channel and notice.
    Notice(&'a str, u64),
    NoticesDir,
    /// The cache of one set of roots (by a hash of the set), and its files.
    Db(u64),
    State(u64),
    Base(u64, u64),
    Cold(u64, u64),
    Lock(u64),
    /// The roots a `Db` folder is for, so that one whose roots are all gone can be removed.
    Roots(u64),
    /// What one percent of each window cost, as the forecast last learned it (see `store::memo`).
    Calibration(u64),
    /// This device's id for the sync folder, and the other devices' files as last read from it.
    DeviceId,
    Devices,
    /// The other devices' use taken together, per tool and hour (what a prompt reads; see
    /// `sync::elsewhere`).
    Elsewhere,
    /// When this device last looked whether its sync file needed writing (see `publish`).
    Published,
}

impl Item<'_> {
    /// Where it lives under the cache directory.
    pub(super) fn rel(&self) -> PathBuf {
        let db = |d: &u64| PathBuf::from(format!("db-{d:016x}"));
        match self {
            Item::Log => "runway.log".into(),
            Item::OldLog => "runway.log.1".into(),
            Item::Problems => "problems".into(),
            Item::PromptCache => "prompt-cache".into(),
            Item::KeptReadings(h) => format!("claude-json-{h:016x}").into(),
            Item::Readings(h) => format!("readings/{h:016x}").into(),
            Item::ReadingsPending(h, tag) => format!("readings/pending/{h:016x}.{tag}").into(),
            Item::ReadingsPendingDir => "readings/pending".into(),
            Item::ReadingsLock => "readings.lock".into(),
            Item::ReadingsDir => "readings".into(),
            Item::OldReadings => "readings.json".into(),
            Item::Notice(channel, h) => format!("notices/{channel}-{h:016x}").into(),
            Item::NoticesDir => "notices".into(),
            Item::Db(d) => db(d),
            Item::State(d) => db(d).join("state"),
            Item::Base(d, g) => db(d).join(format!("base-{g:016x}")),
            Item::Cold(d, g) => db(d).join(format!("cold-{g:016x}")),
            Item::Lock(d) => db(d).join("lock"),
            Item::Roots(d) => db(d).join("roots"),
            Item::Calibration(d) => db(d).join("calibration"),
            Item::DeviceId => "device-id".into(),
            Item::Devices => "devices".into(),
            Item::Elsewhere => "elsewhere".into(),
            Item::Published => "published".into(),
        }
    }

    /// The largest file of this kind runway writes, with room to spare: anything larger is not its
    /// own, and is not read.
    pub(super) fn max(&self) -> u64 {
        match self {
            Item::Log | Item::OldLog => 4 << 20,
            Item::Problems | Item::ReadingsPending(..) | Item::Roots(_) => 1 << 20,
            Item::PromptCache | Item::Notice(..) | Item::Calibration(_) | Item::DeviceId | Item::Published => 4 << 10,
            Item::Devices | Item::Elsewhere => 8 << 20,
            Item::KeptReadings(_) => 1 << 20,
            Item::Readings(_) => 4 << 20,
            Item::State(_) | Item::Base(..) | Item::Cold(..) => 4 << 30,
            _ => 0,
        }
    }

    /// What a checksum of it is seeded with.
    pub(super) fn domain(&self) -> &'static str {
        match self {
            Item::Readings(_) | Item::ReadingsPending(..) => "readings",
            Item::KeptReadings(_) => "kept-readings",
            Item::PromptCache => "prompt-cache",
            Item::Problems => "problems",
            Item::Roots(_) => "roots",
            Item::Calibration(_) => "calibration",
            Item::DeviceId => "device-id",
            // (Their layout is in their domain: an older runway's copy fails its check, and is made
            // again.)
            Item::Devices => "devices-recheck",
            Item::Elsewhere => "elsewhere-recheck",
            Item::Published => "published",
            _ => "cache",
        }
    }

    pub(super) fn is_dir(&self) -> bool {
        matches!(self, Item::ReadingsDir | Item::ReadingsPendingDir | Item::NoticesDir | Item::Db(_))
    }
}
