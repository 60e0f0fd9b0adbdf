//! Two runway "devices" on one machine: each its own home, history and cache, one sync folder (a
//! plain folder, a git clone, or a Syncthing folder) each.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::{Sandbox, copy_tree, fixtures, json_of};

pub struct Device {
    pub s: Sandbox,
    pub sync: PathBuf,
    pub name: &'static str,
}

impl Device {
    /// Device A: the real Claude Code fixture.
    pub fn claude(sync: &Path) -> Device {
        Device { s: Sandbox::claude_fixture(), sync: sync.to_path_buf(), name: "laptop" }
    }

    /// Device B: the real Codex CLI fixture.
    pub fn codex(sync: &Path) -> Device {
        let s = Sandbox::empty();
        copy_tree(&fixtures().join("codex-real"), &s.codex_home());
        Device { s, sync: sync.to_path_buf(), name: "desk" }
    }

    pub fn cmd(&self) -> Command {
        let mut c = self.s.cmd();
        // The fixtures are in the past: a device writes its file for `--now` (a test knob), and no
        // helper writes it again as of the real clock meanwhile.
        c.env("RUNWAY_SYNC_DIR", &self.sync).env("RUNWAY_DEVICE_NAME", self.name);
        c.env("RUNWAY_PUBLISH_REPLAYS", "1").env("RUNWAY_NO_HELPER", "1");
        // Each name a machine of its own, as the devices stand for (they share this one).
        c.env("RUNWAY_MACHINE_MARK", format!("machine of {}", self.name));
        c
    }

    pub fn status(&self, now: &str) -> Value {
        json_of(&self.cmd().args(["--now", now, "status", "--json"]).output().unwrap())
    }

    /// Puts this device's file two minutes back, so that it is due to be written again (at most
    /// once a minute); returns the time it was given.
    pub fn age_file(&self) -> std::time::SystemTime {
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(120);
        std::fs::File::options().append(true).open(self.file()).unwrap().set_modified(old).unwrap();
        old
    }

    /// This device's file in its sync folder (after a command wrote it).
    pub fn file(&self) -> PathBuf {
        let dir = self.sync.join("runway");
        std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                let id = std::fs::read_to_string(self.s.cache().join("device-id")).unwrap_or_default();
                let id = id.lines().last().unwrap_or("").split(' ').next().unwrap_or("").to_owned();
                !id.is_empty() && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&id))
            })
            .expect("this device's file")
    }

    /// The status line on this device, at `now`, reporting the 5 hours 23.4% (resetting at 23:10 on
    /// the fixture's day) and the week 41.2%.
    pub fn reading(&self, now: &str) {
        self.reading_of(now, 23.4);
    }

    /// `reading`, the 5 hours at `five` percent.
    pub fn reading_of(&self, now: &str, five: f64) {
        let p = super::payload(
            &self.s,
            Some(serde_json::json!({
                "five_hour": { "used_percentage": five, "resets_at": 1_770_937_800 },
                "seven_day": { "used_percentage": 41.2, "resets_at": 1_771_232_400 }
            })),
        );
        let o = super::output_with_input(self.cmd().args(["--now", now, "statusline"]), p.to_string().as_bytes());
        assert!(o.status.success());
    }

    pub fn prompt(&self, now: &str) -> String {
        super::stdout(&self.cmd().args(["--now", now, "--color", "never", "prompt"]).output().unwrap())
    }

    pub fn report(&self, by: &str) -> Value {
        json_of(&self.cmd().args(["report", "--by", by, "--json"]).output().unwrap())
    }
}
