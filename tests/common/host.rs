//! Real hosts for the tests: a private tmux server whose panes are real terminals, and the environment
//! of a person whose Claude Code history is the fixture.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{BIN, Rollout, Sandbox, limit_window, rate_limits};

/// The clock the host tests fix: five minutes into the fixture's last block, where against a $10
/// limit the segment is red with a warning (see tests/engine.rs).
pub const HOST_NOW: &str = "2026-02-12T21:05:00Z";
/// What the fixture shows then: 15%, and the limit in 28 minutes at the present rate.
pub const SEG: &str = "5h ~15% ⚠ 28m";

/// Whether `tool` is installed. A missing one skips the test that asked, with a line the test runner
/// shows (see `skipped`), or fails it where hosts are required (RUNWAY_REQUIRE_HOSTS, set by .ci/run).
pub fn have(tool: &str) -> bool {
    let found =
        Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("RUNWAY_REQUIRE_HOSTS").is_none(), "{tool} is required here but missing");
        skipped(&format!("{tool} is not installed (.ci/run installs it)"));
    }
    found
}

/// Says that the running test skipped its work, on a line `cargo test` shows: the harness captures what
/// `eprintln!` prints in a test that passes, but not what is written to the stderr handle itself.
pub fn skipped(why: &str) {
    use std::io::Write;
    let name = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(std::io::stderr(), "SKIPPED {name}: {why}");
}

/// HOME and the XDG directories of a shell a test starts: inside `dir`, never the real home (fish
/// creates its config and data directories even with --no-config).
pub fn home_env(dir: &Path) -> Vec<(&'static str, String)> {
    let home = dir.join("home");
    let at = |p: &str| home.join(p).display().to_string();
    vec![
        ("HOME", home.display().to_string()),
        ("XDG_CONFIG_HOME", at(".config")),
        ("XDG_DATA_HOME", at(".local/share")),
        ("XDG_STATE_HOME", at(".local/state")),
        ("XDG_CACHE_HOME", at(".cache")),
    ]
}

/// A shell (or any program) a test runs outside tmux: an empty environment but PATH, with its home
/// inside `dir` (see `home_env`); the caller adds the rest.
pub fn sandboxed(dir: &Path, program: &str) -> Command {
    let mut c = Command::new(program);
    c.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default());
    c.envs(home_env(dir));
    c
}

/// A private tmux server; its panes are real terminals.
pub struct Tmux {
    pub sock: PathBuf,
}

impl Tmux {
    pub fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S").arg(&self.sock).arg("-f").arg("/dev/null");
        c
    }

    /// Starts a server whose global environment is `env` (tmux jobs and panes inherit it), running
    /// `program` in a `cols` x `rows` window.
    pub fn start(dir: &Path, name: &str, env: &[(&str, String)], program: &str, cols: u16, rows: u16) -> Tmux {
        Tmux::start_with(dir, name, env, Path::new("/dev/null"), program, (cols, rows))
    }

    /// `start`, the server reading `conf` as its ~/.tmux.conf.
    pub fn start_with(
        dir: &Path,
        name: &str,
        env: &[(&str, String)],
        conf: &Path,
        program: &str,
        (cols, rows): (u16, u16),
    ) -> Tmux {
        let t = Tmux { sock: dir.join(format!("{name}.sock")) };
        let mut c = Command::new("tmux");
        c.arg("-S").arg(&t.sock).arg("-f").arg(conf);
        c.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default()).env("TERM", "xterm-256color");
        // The server, its jobs and its panes start in the sandbox, never in the repository, and their
        // home is the sandbox's unless `env` names another.
        c.current_dir(dir);
        c.envs(home_env(dir));
        for (k, v) in env {
            c.env(k, v);
        }
        let st = c
            .args(["new-session", "-d", "-s", "t", "-x", &cols.to_string(), "-y", &rows.to_string(), program])
            .status()
            .unwrap();
        assert!(st.success(), "tmux did not start");
        t
    }

    pub fn run(&self, args: &[&str]) -> String {
        let o = self.cmd().args(args).output().unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn type_line(&self, text: &str) {
        self.run(&["send-keys", "-t", "t", "-l", text]);
        self.run(&["send-keys", "-t", "t", "Enter"]);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    /// Waits until the screen satisfies `ok`, and returns it.
    pub fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}; screen:\n{s}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

/// The environment of a person with the fixture as their Claude Code history, and the clock fixed.
pub fn env_of(s: &Sandbox) -> Vec<(&'static str, String)> {
    vec![
        ("HOME", s.home().display().to_string()),
        ("RUNWAY_CACHE_DIR", s.cache().display().to_string()),
        ("CLAUDE_CONFIG_DIR", s.claude_dir().display().to_string()),
        ("CODEX_HOME", s.codex_home().display().to_string()),
        ("RUNWAY_NOW", HOST_NOW.to_owned()),
        ("RUNWAY_LIMIT_COST", "10".to_owned()),
        ("LANG", "C.UTF-8".to_owned()),
        ("LC_ALL", "C.UTF-8".to_owned()),
        (super::PROMPT_MS.0, super::PROMPT_MS.1.to_owned()),
    ]
}

pub fn init_line(shell: &str, extra: &str) -> String {
    format!("eval \"$('{BIN}' init {shell}{extra})\"")
}

impl Tmux {
    /// Polls `get` until `ok` holds (a value, not the screen), and returns it.
    pub fn wait_for(&self, get: impl Fn() -> String, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let v = get();
            if ok(&v) {
                return v;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out; last: {v}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Codex beside the fixture: a snapshot with every call, 8 points a call ($0.80): 8% at 20:30, 16%
/// at 21:00, then $0.80 a minute, 48% at 21:04, and at that rate the other 52% go in under half an
/// hour. At HOST_NOW (with a $10 limit) both providers warn.
pub fn two_tools_warning(s: &Sandbox) {
    let call = [8_000, 0, 1_000, 0, 9_000];
    let mut total = [0u64; 5];
    let mut r = Rollout::new("2026-02-12T20:29:00Z", "s1", None).turn("2026-02-12T20:29:01Z", "gpt-5.5");
    for (ts, limits) in
        [("20:30", 8.0), ("21:00", 16.0), ("21:01", 24.0), ("21:02", 32.0), ("21:03", 40.0), ("21:04", 48.0)]
    {
        total = std::array::from_fn(|i| total[i] + call[i]);
        let rl = Some(rate_limits(Some(limit_window(limits, 300, Some(1_770_945_000), None)), None));
        r = r.count(&format!("2026-02-12T{ts}:00Z"), Some((total, Some(call))), rl);
    }
    r.write(&s.codex_home(), "s1");
}
