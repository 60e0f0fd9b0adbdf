//! The Windows binary under Wine beside the Linux one, and the histories both read: the harness of
//! `tests/windows.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use crate::common::*;
use serde_json::Value;

/// Wine with its own prefix, and the Windows binary beside the shim.
pub struct Wine {
    pub prefix: PathBuf,
    pub exe: PathBuf,
}

pub fn target_dir() -> PathBuf {
    // target/debug/runway → target
    Path::new(BIN).parent().and_then(Path::parent).unwrap().to_path_buf()
}

pub fn missing(what: &str) -> Option<Wine> {
    assert!(std::env::var_os("RUNWAY_REQUIRE_WINDOWS").is_none(), "{what} is required here but missing");
    eprintln!(
        "windows: skipped: {what} is missing (`cargo build --release --target x86_64-pc-windows-gnu`, wine, mingw)"
    );
    None
}

pub fn found(cmd: &str) -> bool {
    Command::new(cmd).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

pub fn setup() -> Option<Wine> {
    let built = std::env::var_os("RUNWAY_WINDOWS_EXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("x86_64-pc-windows-gnu/release/runway.exe"));
    if !built.is_file() {
        return missing(&format!("the Windows binary ({})", built.display()));
    }
    if !found("wine") {
        return missing("wine");
    }
    if !found("x86_64-w64-mingw32-gcc") {
        return missing("x86_64-w64-mingw32-gcc");
    }
    let root = target_dir().join("wine");
    let bin = root.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let exe = bin.join("runway.exe");
    std::fs::copy(&built, &exe).unwrap();
    let shim = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/windows/bcryptprimitives.c");
    let st = Command::new("x86_64-w64-mingw32-gcc")
        .args(["-O2", "-shared", "-o"])
        .arg(bin.join("bcryptprimitives.dll"))
        .arg(&shim)
        .arg("-ladvapi32")
        .status()
        .unwrap();
    assert!(st.success(), "the shim did not build");
    let w = Wine { prefix: root.join("prefix"), exe };
    // One server kept up between runs (and 60 s after the last), so each run starts in milliseconds;
    // the first run makes the prefix. The server (this one, or the one that run starts) must not hold
    // an output of this process's: whoever reads it would wait for the server to end.
    std::fs::create_dir_all(&w.prefix).unwrap();
    let _ = w.base("wineserver").arg("-p60").stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    // Making the prefix under load failed once in twenty loaded suites, with nothing said: three tries.
    let tries: Vec<Output> = (0..3)
        .map(|_| w.cmd(&[], &["--version"]).stderr(Stdio::null()).output().unwrap())
        .take_while(|o| !stdout(o).starts_with("runway "))
        .collect();
    assert!(tries.len() < 3, "runway.exe --version under Wine, three times: {tries:?}");
    Some(w)
}

pub fn wine() -> Option<&'static Wine> {
    static W: OnceLock<Option<Wine>> = OnceLock::new();
    W.get_or_init(setup).as_ref()
}

/// A Linux path as the Windows binary names it under Wine (Wine's Z: drive is /).
pub fn win(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

impl Wine {
    pub fn base(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        // A home of Wine's own: making a prefix writes menus and desktop files there.
        let home = self.prefix.with_file_name("home");
        let _ = std::fs::create_dir_all(&home);
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "winemenubuilder.exe=d")
            .stdin(Stdio::null());
        c
    }

    /// `runway.exe args` with `env` (its paths already Windows').
    pub fn cmd(&self, env: &[(&str, String)], args: &[&str]) -> Command {
        let mut c = self.base("wine");
        c.arg(&self.exe).args(args).env("LANG", "C.UTF-8").env(PROMPT_MS.0, PROMPT_MS.1);
        c.envs(env.iter().map(|(k, v)| (*k, v)));
        c
    }

    pub fn run(&self, env: &[(&str, String)], args: &[&str]) -> Output {
        once_more_if_wine_failed(env, args, || output_within(&mut self.cmd(env, args), 120))
    }

    /// Wine's own user profile (`%USERPROFILE%`), as a Linux path.
    pub fn profile(&self) -> PathBuf {
        let users = self.prefix.join("drive_c/users");
        std::fs::read_dir(&users)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().is_some_and(|n| n != "Public") && p.join("AppData").is_dir())
            .unwrap()
    }
}

/// Where each tool's history is, for one home: the variable each tool reads and the folder in it.
pub struct History {
    pub dir: tempfile::TempDir,
}

pub const TOOLS: [(&str, &str); 6] = [
    ("CLAUDE_CONFIG_DIR", "claude"),
    ("CODEX_HOME", "codex"),
    ("COPILOT_HOME", "copilot"),
    ("GEMINI_CLI_HOME", "gemini-home"),
    ("KIMI_CODE_HOME", "kimi"),
    ("XDG_DATA_HOME", "data"),
];

impl History {
    pub fn new() -> History {
        let h = History { dir: tempfile::tempdir().unwrap() };
        for (_, d) in TOOLS {
            std::fs::create_dir_all(h.dir.path().join(d)).unwrap();
        }
        std::fs::write(h.path("config.toml"), "").unwrap();
        h
    }
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    pub fn with(self, from: &Path, to: &str) -> History {
        copy_tree(from, &self.path(to));
        self
    }
    /// The variables for the Linux binary, or (`windows`) for the Windows one, with a cache.
    pub fn env(&self, cache: &Path, windows: bool) -> Vec<(&'static str, String)> {
        let name = |p: &Path| if windows { win(p) } else { p.display().to_string() };
        let mut v: Vec<_> = TOOLS.iter().map(|(k, d)| (*k, name(&self.path(d)))).collect();
        v.push(("RUNWAY_CACHE_DIR", name(cache)));
        v.push(("HOME", name(&self.path("home"))));
        v.push(("USERPROFILE", name(&self.path("home"))));
        // A config of its own: Wine's profile is shared, and one test writes a config there.
        v.push(("RUNWAY_CONFIG", name(&self.path("config.toml"))));
        // No catch-up left running after a run (under Wine it would hold the run's stderr open, see
        // `a_prompts_output_ends_before_the_catch_up_it_started`), except where a test wants one.
        v.push(("RUNWAY_NO_HELPER", "1".into()));
        v
    }

    /// `env`, with the catch-up started as usual.
    pub fn env_with_helper(&self, cache: &Path) -> Vec<(&'static str, String)> {
        let mut v = self.env(cache, true);
        v.retain(|(k, _)| *k != "RUNWAY_NO_HELPER");
        v
    }
}

pub fn claude() -> History {
    History::new().with(&fixtures().join("claude-real/projects"), "claude/projects")
}

pub fn codex() -> History {
    History::new().with(&fixtures().join("codex-real/sessions"), "codex/sessions")
}

/// Each of the other agents' fixtures, as (name, history).
pub fn agents() -> Vec<(String, History)> {
    let f = fixtures();
    let (a, r) = (f.join("agents"), f.join("agents-runs"));
    let sets = [
        ("copilot", a.join("copilot"), "copilot"),
        ("copilot-1.0.64", r.join("copilot-1.0.64/.copilot"), "copilot"),
        ("copilot-1.0.66", r.join("copilot-1.0.66/.copilot"), "copilot"),
        ("copilot-1.0.102", r.join("copilot-1.0.102/.copilot"), "copilot"),
        ("opencode", a.join("opencode"), "data/opencode"),
        ("opencode-1.2.1", r.join("opencode-1.2.1/.local/share/opencode"), "data/opencode"),
        ("opencode-1.18.33", r.join("opencode-1.18.33/.local/share/opencode"), "data/opencode"),
        ("gemini", a.join("gemini"), "gemini-home/.gemini"),
        ("gemini-extra", f.join("agents-extra/gemini"), "gemini-home/.gemini"),
        ("gemini-0.61.0", r.join("gemini-0.61.0/.gemini"), "gemini-home/.gemini"),
        ("kimi", a.join("kimi-code"), "kimi"),
        ("kimi-code-2.1.0", r.join("kimi-code-2.1.0/.kimi-code"), "kimi"),
    ];
    sets.into_iter().map(|(n, from, to)| (n.to_owned(), History::new().with(&from, to))).collect()
}

/// The Linux binary over the same history.
pub fn linux(env: &[(&str, String)], args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("LANG", "C.UTF-8")
        .env(PROMPT_MS.0, PROMPT_MS.1)
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .args(args);
    piped(c, stdin)
}

pub fn windows(w: &Wine, env: &[(&str, String)], args: &[&str], stdin: Option<&[u8]>) -> Output {
    let o = once_more_if_wine_failed(env, args, || run_piped(&mut w.cmd(env, args), stdin));
    let log = cache_of(env).and_then(|c| std::fs::read_to_string(c.join("runway.log")).ok());
    assert!(o.status.success(), "{args:?}: {}: {} (log: {log:?})", o.status, String::from_utf8_lossy(&o.stderr));
    o
}

pub fn piped(mut c: Command, stdin: Option<&[u8]>) -> Output {
    let o = run_piped(&mut c, stdin);
    assert!(o.status.success(), "{c:?}: {}: {}", o.status, String::from_utf8_lossy(&o.stderr));
    o
}

fn run_piped(c: &mut Command, stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    c.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() }).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    if let Some(b) = stdin {
        child.stdin.take().unwrap().write_all(b).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// The cache directory `env` names, as a Linux path.
fn cache_of(env: &[(&str, String)]) -> Option<PathBuf> {
    let (_, v) = env.iter().find(|(k, _)| *k == "RUNWAY_CACHE_DIR")?;
    Some(PathBuf::from(v.strip_prefix("Z:").unwrap_or(v).replace('\\', "/")))
}

/// Runs `run`, and once more when a prompt's or the status line's run failed before runway's `main`
/// did anything: nothing on stderr, and no log in a cache that had none (those modes make their log
/// first thing, and write whatever befalls them there). A Wine run has ended so, non-zero with
/// nothing said, once in CI (a prompt) and once here making the prefix (in twenty loaded suites).
/// Other commands make no log unless they have something to say, so a crash of theirs could not be
/// told from Wine's: never run again, nor is any failure of runway's.
fn once_more_if_wine_failed(env: &[(&str, String)], args: &[&str], mut run: impl FnMut() -> Output) -> Output {
    let logs_first = args.iter().any(|a| *a == "prompt" || *a == "statusline");
    let log = cache_of(env).map(|c| c.join("runway.log"));
    let fresh = log.as_ref().is_some_and(|l| !l.exists());
    let o = run();
    if o.status.success() || !logs_first || !o.stderr.is_empty() || !fresh || log.is_some_and(|l| l.exists()) {
        return o;
    }
    // Written to the handle itself, so that a passing run shows it too (see `common::host::skipped`).
    use std::io::Write;
    let why =
        format!("windows: Wine's run of {args:?} ended {} before runway's main wrote anything; once more", o.status);
    let _ = writeln!(std::io::stderr(), "{why}");
    run()
}

/// The same command, by each binary over `h` with a cache of its own: (Linux, Windows).
pub fn both(w: &Wine, h: &History, args: &[&str]) -> (Output, Output) {
    let (lc, wc) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let l = linux(&h.env(lc.path(), false), args, None);
    let x = windows(w, &h.env(wc.path(), true), args, None);
    (l, x)
}

pub fn json(o: &Output) -> Value {
    json_of(o)
}

pub fn same_json(w: &Wine, h: &History, what: &str, args: &[&str]) -> Value {
    let (l, x) = both(w, h, args);
    let (l, x) = (json(&l), json(&x));
    assert_eq!(x, l, "{what}: {args:?}");
    l
}

pub fn status(now: &str) -> Vec<&str> {
    vec!["--timezone", "UTC", "--now", now, "status", "--json"]
}

pub fn day_report(now: &str) -> Vec<&str> {
    vec!["--timezone", "UTC", "--now", now, "report", "--by", "day", "--json"]
}

/// A report's total tokens (a comparison of empty reports would prove nothing).
pub fn total_tokens(v: &Value) -> u64 {
    v["totals"]["totalTokens"].as_u64().unwrap_or(0)
}

#[test]
fn a_cache_named_for_windows_is_found_on_linux() {
    let env = [("RUNWAY_CACHE_DIR", win(Path::new("/tmp/.tmpqMSGTt")))];
    assert_eq!(cache_of(&env), Some(PathBuf::from("/tmp/.tmpqMSGTt")));
}
