//! `runway demo`: a week of realistic history in a temporary directory, and runway shown on it the
//! way each host receives the segment.
//!
//! The history is embedded compactly (`demo.tsv`, one row per API call, made by the benchmark's
//! generator: `runway-synth --demo-table DIR`) and written out here as real-shaped Claude Code and
//! Codex CLI lines, with times moved so that the week ends now.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use super::emit;
use crate::config::Given;
use crate::ground::files::create_private_dir;
use crate::ground::hash::Hasher;
use crate::ground::provider::Provider;
use crate::ground::time::{rfc3339, wall_ms};
use crate::render::fit;
use crate::render::style::Style;

const TABLE: &str = include_str!("demo.tsv");

fn file_at(path: &Path, lines: &[String], last: i64) -> io::Result<()> {
    if let Some(d) = path.parent() {
        fs::create_dir_all(d)?;
    }
    let mut f = fs::File::create(path)?;
    f.write_all(lines.join("\n").as_bytes())?;
    f.write_all(b"\n")?;
    f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_millis(last.max(0) as u64))
}

/// A random-looking version-4 UUID made from `parts`, the same at every run: each session (and line)
/// of the demo has an id of its own, down to the 8 characters `status` shows.
fn uuid(parts: &[&str]) -> String {
    let half = |i: u64| {
        let mut h = Hasher::new("demo id");
        h.u64(i);
        for p in parts {
            h.part(p.as_bytes());
        }
        h.finish()
    };
    let (a, b) = (half(0), half(1));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// Writes the embedded history under `dir` (`claude/`, `codex/`), ending at `end`; returns the calls.
pub fn write_history(dir: &Path, end: i64) -> io::Result<usize> {
    let mut claude: std::collections::BTreeMap<(String, String), Vec<(i64, String)>> = Default::default();
    let mut codex: std::collections::BTreeMap<String, Vec<(i64, Vec<String>)>> = Default::default();
    let mut n = 0;
    for (i, row) in TABLE.lines().enumerate() {
        let c: Vec<&str> = row.split('\t').collect();
        let num = |k: usize| c.get(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        let ts = end - num(1) * 1000;
        let (project, session, model) = (c[2], c[3], c[4]);
        let (input, output, w5, w1, read) = (num(5), num(6), num(7), num(8), num(9));
        let t = rfc3339(ts);
        n += 1;
        if c[0] == "c" {
            let sid = uuid(&["claude session", project, session]);
            let line = format!(
                r#"{{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/home/you/src/project-{project}","sessionId":"{sid}","version":"2.1.39","gitBranch":"main","message":{{"model":"{model}","id":"msg_demo{i:06}","type":"message","role":"assistant","content":[{{"type":"text","text":"Done."}}],"stop_reason":"end_turn","stop_sequence":null,"usage":{{"input_tokens":{input},"cache_creation_input_tokens":{},"cache_read_input_tokens":{read},"cache_creation":{{"ephemeral_5m_input_tokens":{w5},"ephemeral_1h_input_tokens":{w1}}},"output_tokens":{output},"service_tier":"standard"}}}},"requestId":"req_demo{i:06}","type":"assistant","uuid":"{}","timestamp":"{t}"}}"#,
                w5 + w1,
                uuid(&["claude line", &i.to_string()])
            );
            claude.entry((project.to_owned(), sid)).or_default().push((ts, line));
        } else {
            let limits = format!(
                r#"{{"limit_id":"codex","primary":{{"used_percent":{},"window_minutes":300,"resets_at":{}}},"secondary":{{"used_percent":{},"window_minutes":10080,"resets_at":{}}},"credits":null,"plan_type":"plus"}}"#,
                c.get(10).unwrap_or(&"0"),
                end / 1000 + num(11),
                c.get(12).unwrap_or(&"0"),
                end / 1000 + num(13)
            );
            let usage = format!(
                r#"{{"input_tokens":{},"cached_input_tokens":{read},"output_tokens":{output},"reasoning_output_tokens":0,"total_tokens":{}}}"#,
                input + read,
                input + read + output
            );
            let turn = format!(
                r#"{{"timestamp":"{t}","type":"turn_context","payload":{{"cwd":"/home/you/src/project-1","approval_policy":"on-request","sandbox_policy":{{"type":"workspace-write"}},"model":"{model}","effort":"medium","summary":"auto"}}}}"#
            );
            let count = format!(
                r#"{{"timestamp":"{t}","type":"event_msg","payload":{{"type":"token_count","info":{{"total_token_usage":null,"last_token_usage":{usage},"model_context_window":258400}},"rate_limits":{limits}}}}}"#
            );
            codex.entry(session.to_owned()).or_default().push((ts, vec![turn, count]));
        }
    }
    for ((project, sid), calls) in &claude {
        let lines: Vec<String> = calls.iter().map(|(_, l)| l.clone()).collect();
        let path = dir.join(format!("claude/projects/-home-you-src-project-{project}/{sid}.jsonl"));
        file_at(&path, &lines, calls.last().map_or(0, |c| c.0))?;
    }
    for (session, calls) in &codex {
        let first = calls.first().map_or(end, |c| c.0);
        let day = jiff::Timestamp::from_millisecond(first).unwrap_or_default();
        let id = uuid(&["codex session", session]);
        let meta = format!(
            r#"{{"timestamp":"{}","type":"session_meta","payload":{{"id":"{id}","timestamp":"{}","cwd":"/home/you/src/project-1","originator":"codex_cli_rs","cli_version":"0.125.0","source":"cli","model_provider":"openai"}}}}"#,
            rfc3339(first),
            rfc3339(first)
        );
        let mut lines = vec![meta];
        lines.extend(calls.iter().flat_map(|(_, l)| l.iter().cloned()));
        let name = format!("rollout-{}-{id}.jsonl", day.strftime("%Y-%m-%dT%H-%M-%S"));
        let path = dir.join("codex/sessions").join(day.strftime("%Y/%m/%d").to_string()).join(name);
        file_at(&path, &lines, calls.last().map_or(0, |c| c.0))?;
    }
    Ok(n)
}

fn visible(s: &str) -> String {
    s.replace('\x1b', "\\e")
}

fn run_on(dir: &Path, g: &Given, columns: Option<usize>, args: &[&str]) -> io::Result<String> {
    let exe = std::env::current_exe()?;
    let mut c = Command::new(exe);
    // `status` fits the width this demo fits (its stdout is a pipe here).
    match columns {
        Some(n) => c.env("COLUMNS", n.to_string()),
        None => c.env_remove("COLUMNS"),
    };
    // The sample is the whole history: the person's own tools (Copilot's, OpenCode's, Gemini's and
    // Kimi's folders are found from the home), readings (`.claude.json`, Claude Desktop's), sync
    // folder and settings stay out. Their flags come through `--set` below.
    for name in Provider::ALL.iter().flat_map(|p| p.spec().env) {
        c.env_remove(name);
    }
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(|n| n.starts_with("RUNWAY_")) {
            c.env_remove(name);
        }
    }
    let home = dir.join("home");
    for name in ["HOME", "USERPROFILE"] {
        c.env(name, &home);
    }
    for name in ["XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "APPDATA", "LOCALAPPDATA"] {
        c.env_remove(name);
    }
    c.env("CLAUDE_CONFIG_DIR", dir.join("claude"))
        .env("CODEX_HOME", dir.join("codex"))
        .env("RUNWAY_CACHE_DIR", dir.join("cache"));
    for (key, v) in &g.flags {
        c.arg(format!("--set={key}={v}"));
    }
    for s in &g.sets {
        c.arg(format!("--set={s}"));
    }
    let out = c.args(args).output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn run(g: &Given, keep: bool, style: &Style, columns: Option<usize>) -> io::Result<ExitCode> {
    let dir: PathBuf = std::env::temp_dir().join(format!("runway-demo-{}", std::process::id()));
    create_private_dir(&dir)?;
    let calls = write_history(&dir, wall_ms())?;
    // runway's own lines, fitted like `status` fits its own.
    let own = |text: &str| fit::wrap(&style.text(text), columns, |_| 2);
    let mut o = own(&format!(
        "runway demo: a week of Claude Code and Codex CLI history ({calls} API calls, ending now) in {}\n\n",
        dir.display()
    ));
    o += &style.text(&run_on(&dir, g, columns, &["status"])?);
    let mut rest = String::from("\nThe segment as each host receives it (\\e is the escape character):\n");
    for shell in ["zsh", "bash", "fish", "tmux", "plain"] {
        let seg = run_on(&dir, g, columns, &["prompt", "--shell", shell])?;
        rest += &format!("  {shell:<6} {}\n", visible(&seg));
    }
    let seg = run_on(&dir, g, columns, &["prompt", "--shell", "fish"])?;
    rest += &format!("\nIn a terminal: {seg}\n");
    if keep {
        // One setting a line, so that a narrow terminal does not cut a path in two.
        rest += &format!(
            "\nKept. Try:\n  HOME={} \\\n  CLAUDE_CONFIG_DIR={} \\\n  CODEX_HOME={} \\\n  RUNWAY_CACHE_DIR={} \\\n  runway status --json\n",
            dir.join("home").display(),
            dir.join("claude").display(),
            dir.join("codex").display(),
            dir.join("cache").display()
        );
    } else {
        fs::remove_dir_all(&dir)?;
        rest += "\n(Removed again; `runway demo --keep` keeps it to explore.)\n";
    }
    o += &fit::wrap(&style.text(&rest), columns, |l| if l.starts_with("  ") { 9 } else { 2 });
    emit(&o).map(|_| ExitCode::SUCCESS)
}
