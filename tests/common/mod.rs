//! Helpers shared by the integration tests: an isolated home, cache and history for the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_runway");

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

    pub fn cmd_with_cache(&self, cache: &Path) -> Command {
        let mut c = Command::new(BIN);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("RUNWAY_CACHE_DIR", cache)
            .env("CLAUDE_CONFIG_DIR", self.claude_dir())
            .env("CODEX_HOME", self.codex_home())
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

pub fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(bytes).unwrap();
}
