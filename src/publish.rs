//! This device's figures into the sync folder (see `sync`): each tool's calls by the hour over the
//! retention period and its own newest readings, written when due and changed. A prompt leaves it to
//! the background helper; other commands and the helper write it themselves.

use crate::app::App;
use crate::ground::cache::Item;
use crate::ground::evidence::Reading;
use crate::ground::files::read_bounded;
use crate::ground::log;
use crate::ground::provider::Provider;
use crate::sync::file::{self, DeviceFile, MAX_BYTES, RETENTION_MS, ToolUse};
use crate::sync::{due, fit, folder};

impl App {
    /// This device's figures for the sync folder: each tool's calls by the hour over the retention
    /// period, and its own newest readings (not those other devices gave: they write their own).
    pub fn device_file(&self) -> Option<DeviceFile> {
        let me = self.me.as_ref()?;
        let now = self.cfg.now;
        let from = now - RETENTION_MS;
        let mut tools = Vec::new();
        let mut projects: Vec<(String, u64, u64)> = Vec::new();
        let origins = self.origins();
        for &p in Provider::ALL {
            let ledger = self.ledger(p);
            let calls = ledger.entries_between(from, now);
            let mut own: Vec<Reading> = self.readings.of(p, &self.root_keys, now);
            own.extend(self.run.db.state.readings.iter().map(|o| o.value.clone()).filter(|r| r.provider == p));
            own.extend(self.on_disk.iter().map(|(r, _)| r.clone()).filter(|r| r.provider == p && r.anchored()));
            own.retain(|r| r.main() && r.observed_at <= now && r.resets_at > now);
            own.sort_by_key(|r| std::cmp::Reverse(r.observed_at));
            let mut readings: Vec<Reading> = Vec::new();
            for r in own {
                if !readings.iter().any(|o| o.window == r.window) {
                    readings.push(r);
                }
            }
            if calls.is_empty() && readings.is_empty() {
                continue;
            }
            if self.cfg.sync.as_ref().is_some_and(|s| s.projects) {
                for e in &calls {
                    let name = crate::render::words::project(&origins(e.file).project).to_owned();
                    match projects.iter_mut().find(|(n, _, _)| *n == name) {
                        Some(x) => {
                            x.1 += 1;
                            x.2 += u64::try_from(e.sums.cost).unwrap_or(u64::MAX);
                        }
                        None => projects.push((name, 1, u64::try_from(e.sums.cost).unwrap_or(u64::MAX))),
                    }
                }
            }
            let hours = crate::report::hours::by_hour(&calls, &|m| ledger.model_name(m).to_owned());
            tools.push(ToolUse { provider: p, hours, readings });
        }
        Some(DeviceFile {
            id: me.id.clone(),
            name: me.name.clone(),
            written_at: self.cfg.wall_ms,
            machine: me.machine,
            host: me.host,
            tools,
            projects,
        })
    }

    /// Writes this device's file into the sync folder when it is due (a minute since the last) and
    /// its figures changed; never fails a command: a folder that cannot be written is logged, and
    /// said to the caller (`status` and `report` say it on stderr). `None` when nothing was tried.
    pub fn publish(&self) -> Option<Result<(), String>> {
        let (Some(s), Some(me)) = (&self.cfg.sync, &self.me) else { return None };
        if !due::due(&s.dir, me, PUBLISH_MS) || (self.cfg.replay() && !self.cfg.knobs.publish_replays) {
            return None;
        }
        let mine = self.device_file()?;
        let (bytes, gave) = fit::encode_fitted(&mine);
        // A file that gave up detail to fit is compared as the others will read it, or it would
        // differ from the one written every time and be written again every minute.
        let mine = match gave {
            Some(what) => {
                log::warn(&format!("this device's file leaves out {what} to stay within {} KiB", MAX_BYTES >> 10));
                file::decode(&bytes, self.cfg.wall_ms).unwrap_or(mine)
            }
            None => mine,
        };
        let path = folder::own_file(&s.dir, me);
        let old = read_bounded(&path, MAX_BYTES).ok().and_then(|b| file::decode(&b, self.cfg.wall_ms).ok());
        // Looked at now, written or not: the prompts leave it be until the cache changes again.
        let _ = self.cfg.cache.write_checked(Item::Published, self.cfg.wall_ms.to_string().as_bytes());
        if old.is_some_and(|o| DeviceFile { written_at: mine.written_at, ..o } == mine) {
            return None;
        }
        Some(folder::write(&s.dir, me, &bytes).map_err(|e| {
            let why = format!("cannot write this device's file into {}: {e}", folder::folder(&s.dir).display());
            log::warn(&why);
            why
        }))
    }

    /// Whether a prompt should leave the publishing to the helper: the file is due, and the cache was
    /// written since the file was, and since the last look (an idle device's figures do not change,
    /// its file is not rewritten, and without the last look every prompt would start a helper to
    /// find that out again: 21 ms a prompt instead of 2 while idle).
    pub fn publish_due(&self) -> bool {
        if self.cfg.sync.is_none() || self.me.is_none() || self.cfg.replay() {
            return false;
        }
        let written = self.run.db.state.written_at;
        // When the file was written, as the folder's listing saw it at the start of this run (a
        // prompt with sync asks both questions every time).
        let mine = self.own_written;
        if !due::due_after(mine, PUBLISH_MS) || mine.is_some_and(|m| written <= m) {
            return false;
        }
        let looked = self.cfg.cache.read_checked(Item::Published).ok();
        let looked = looked.and_then(|b| String::from_utf8(b).ok()?.trim().parse::<i64>().ok());
        looked.is_none_or(|l| written > l)
    }
}

/// A device writes its file at most this often.
const PUBLISH_MS: i64 = 60_000;
