//! Helpers shared by the integration tests: an isolated home, cache and history for the real binary.
#![allow(dead_code)]

pub mod agents;
pub mod codex;
pub mod devices;
pub mod host;
mod rollout;
pub mod statusline;
pub mod syncthing;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

pub use rollout::*;

pub const BIN: &str = env!("CARGO_BIN_EXE_runway");

/// A prompt stops reading 40 ms after it starts. A debug build on a busy runner can take longer
/// over a fixture, so tests about figures lift the clock (tests about the budget lower the bytes).
pub const PROMPT_MS: (&str, &str) = ("RUNWAY_PROMPT_MS", "60000");

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies a directory tree (the fixtures are never modified in place).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
            let mut perm = std::fs::metadata(&dest).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            std::fs::set_permissions(&dest, perm).unwrap();
        }
    }
}

/// A home directory with its own cache, Claude config dir and Codex home.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn empty() -> Sandbox {
        let s = Sandbox { dir: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(s.home()).unwrap();
        s
    }

    /// With the real Claude Code fixture as its history.
    pub fn claude_fixture() -> Sandbox {
        let s = Sandbox::empty();
        copy_tree(&fixtures().join("claude-real/projects"), &s.projects());
        s
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
    pub fn claude_dir(&self) -> PathBuf {
        self.dir.path().join("claude")
    }
    pub fn projects(&self) -> PathBuf {
        self.claude_dir().join("projects")
    }
    pub fn codex_home(&self) -> PathBuf {
        self.dir.path().join("codex")
    }
    pub fn cache(&self) -> PathBuf {
        self.dir.path().join("cache")
    }
    /// The one session file the fixture's last block is written to.
    pub fn session(&self, id: &str) -> PathBuf {
        self.projects().join("-home-USER-projects-spotter").join(format!("{id}.jsonl"))
    }

    pub fn cmd(&self) -> Command {
        self.cmd_with_cache(&self.cache())
    }

    /// The cache's directory for this sandbox's roots (after a first run).
    pub fn db(&self) -> PathBuf {
        std::fs::read_dir(self.cache())
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with("db-"))
            .unwrap()
            .path()
    }

    pub fn cmd_with_cache(&self, cache: &Path) -> Command {
        let mut c = Command::new(BIN);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            // A UTF-8 locale, as a person's terminal has (without one, runway draws ASCII glyphs).
            .env("LANG", "C.UTF-8")
            .env("HOME", self.home())
            .env("RUNWAY_CACHE_DIR", cache)
            .env("CLAUDE_CONFIG_DIR", self.claude_dir())
            .env("CODEX_HOME", self.codex_home())
            .env(PROMPT_MS.0, PROMPT_MS.1)
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// `status --json` through this sandbox's cache.
    pub fn status(&self, now: &str) -> Value {
        json_of(&self.cmd().args(["--now", now, "status", "--json"]).output().unwrap())
    }

    /// `status --json` from an empty cache: a fresh full read of the same files.
    pub fn fresh_status(&self, now: &str) -> Value {
        let fresh = tempfile::tempdir().unwrap();
        json_of(&self.cmd_with_cache(fresh.path()).args(["--now", now, "status", "--json"]).output().unwrap())
    }

    pub fn prompt(&self, now: &str, shell: &str) -> Output {
        self.run(&["--now", now, "prompt", "--shell", shell])
    }

    /// A zsh prompt's segment, asserting the run was successful and quiet.
    pub fn quiet_prompt(&self, now: &str) -> String {
        let o = self.prompt(now, "zsh");
        assert_quiet(&o);
        stdout(&o)
    }

    /// Asserts what this sandbox's cache reads equals a fresh full read of the same files.
    pub fn assert_same_as_fresh(&self, now: &str) {
        assert_eq!(figures(&self.status(now)), figures(&self.fresh_status(now)), "incremental and fresh reads differ");
    }
}

/// Runs `c` to its end; a run still going after `secs` is killed and fails the test (a hang is the
/// failure these tests look for, and it must not hang the suite).
pub fn output_within(c: &mut Command, secs: u64) -> Output {
    use std::io::Read;
    let mut child = c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() };
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {secs} s: {c:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Runs `c` with `input` on its standard input (a status line's payload), to its end.
pub fn output_with_input(c: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // (A command may stop reading before the end: what it does then is what the test looks at.)
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

/// Makes a FIFO at `p`.
pub fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().unwrap();
    assert!(st.success(), "mkfifo {}", p.display());
}

/// The effective user id of the tests (whoever owns a file they just made).
pub fn my_uid(dir: &Path) -> u32 {
    use std::os::unix::fs::MetadataExt;
    let p = dir.join(".uid-probe");
    std::fs::write(&p, "").unwrap();
    let uid = std::fs::metadata(&p).unwrap().uid();
    std::fs::remove_file(p).unwrap();
    uid
}

pub fn json_of(o: &Output) -> Value {
    assert!(o.status.success(), "status failed: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

/// The figures that must agree between two reads (everything but `now`).
pub fn figures(v: &Value) -> Value {
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove("now");
    v
}

/// Asserts a prompt-mode run printed `expect` (or anything, for `None`), exited 0 and said nothing on stderr.
pub fn assert_quiet(o: &Output) {
    assert!(o.status.success(), "exit {:?}", o.status);
    assert!(o.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// `text` without its colour sequences (`ESC [ … m`): what a person reads.
pub fn uncoloured(text: &str) -> String {
    let mut out = String::new();
    let mut esc = false;
    for c in text.chars() {
        match (esc, c) {
            (false, '\x1b') => esc = true,
            (true, 'm') => esc = false,
            (true, _) => {}
            (false, c) => out.push(c),
        }
    }
    out
}

pub fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(bytes).unwrap();
}

/// Runs an independent count (`tests/oracle/NAME`) with python3. `None` when python3 is missing, which
/// is an error where hosts are required (RUNWAY_REQUIRE_HOSTS, set by .ci/run).
pub fn oracle(name: &str, args: &[&std::ffi::OsStr]) -> Option<Value> {
    let script = fixtures().join("../oracle").join(name);
    let Ok(out) = Command::new("python3").arg(script).args(args).output() else {
        assert!(std::env::var_os("RUNWAY_REQUIRE_HOSTS").is_none(), "python3 is required here but missing");
        host::skipped("python3 not found: the pinned figures stand on their own");
        return None;
    };
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    Some(serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name} printed no JSON: {e}")))
}

/// A status-line payload shaped like Claude Code's (its documentation of 2.1.x; docs/counting.md, the
/// services' own figures) for the fixture's last session.
pub fn payload(s: &Sandbox, rate_limits: Option<Value>) -> Value {
    let mut v = json!({
        "session_id": "8463c716-a2ea-4c14-9efa-87158ebd9f20",
        "transcript_path": s.session("8463c716-a2ea-4c14-9efa-87158ebd9f20"),
        "cwd": "/home/USER/projects/spotter",
        "model": { "id": "claude-opus-4-6", "display_name": "Opus 4.6" },
        "workspace": { "current_dir": "/home/USER/projects/spotter", "project_dir": "/home/USER/projects/spotter", "added_dirs": [] },
        "version": "2.1.120",
        "output_style": { "name": "default" },
        "cost": { "total_cost_usd": 1.84, "total_duration_ms": 905000, "total_api_duration_ms": 211000, "total_lines_added": 120, "total_lines_removed": 8 },
        "context_window": {
            "total_input_tokens": 64200, "total_output_tokens": 380, "context_window_size": 200000,
            "used_percentage": 32, "remaining_percentage": 68,
            "current_usage": { "input_tokens": 4, "output_tokens": 380, "cache_creation_input_tokens": 1200, "cache_read_input_tokens": 62996 }
        },
        "exceeds_200k_tokens": false,
        "fast_mode": false,
        "effort": { "level": "high" },
        "thinking": { "enabled": true }
    });
    if let Some(r) = rate_limits {
        v["rate_limits"] = r;
    }
    v
}

/// The fixture with every `from` model renamed `to`, in place (same files, same lines).
pub fn renamed(pairs: &[(&str, &str)]) -> Sandbox {
    let s = Sandbox::claude_fixture();
    for dir in std::fs::read_dir(s.projects()).unwrap().flatten() {
        for f in std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|f| f.path().extension().is_some_and(|e| e == "jsonl"))
        {
            let mut text = std::fs::read_to_string(f.path()).unwrap();
            for (from, to) in pairs {
                text = text.replace(&format!("\"model\":\"{from}\""), &format!("\"model\":\"{to}\""));
            }
            std::fs::write(f.path(), text).unwrap();
        }
    }
    s
}

/// `ms` as RFC 3339 in UTC, to the second (what `--now` takes).
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
