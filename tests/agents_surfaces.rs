//! GitHub Copilot CLI, OpenCode, Gemini CLI and Kimi Code on every surface, from their real files:
//! the prompt, `status` and `status --json`, the Claude Code status line beside Claude, and `doctor`.
//! (Their figures are checked against the independent count in tests/agents.rs.)
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::*;

/// Each tool: its name, its letter, where its folder goes under a home, the repository's real
/// files, and a moment ten minutes after its newest call.
const TOOLS: [(&str, &str, &str, &str, &str); 4] = [
    ("copilot", "P", ".copilot", "agents/copilot", "2026-07-05T04:10:00Z"),
    ("opencode", "O", ".local/share/opencode", "agents/opencode", "2026-01-23T21:36:00Z"),
    ("gemini", "G", ".gemini", "agents/gemini", "2026-01-15T21:00:00Z"),
    ("kimi", "K", ".kimi-code", "agents/kimi-code", "2026-08-01T21:25:00Z"),
];

fn with(tool_folder: &str, fixture: &str) -> Sandbox {
    let s = Sandbox::claude_fixture();
    copy_tree(&fixtures().join(fixture), &s.home().join(tool_folder));
    s
}

#[test]
fn each_tool_shows_on_every_surface() {
    for (tool, letter, folder, fixture, now) in TOOLS {
        let s = with(folder, fixture);
        // The prompt: the tool's window, alone (Claude's fixture is months away), so unlettered.
        let o = s.cmd().args(["--now", now, "--color", "never", "prompt", "--shell", "plain"]).output().unwrap();
        assert_quiet(&o);
        let seg = stdout(&o);
        assert!(seg.contains('↻') && (seg.contains('$') || seg.contains("req")), "{tool}: {seg:?}");
        // status --json: the tool's week holds its calls, and no other tool has any.
        let v = s.status(now);
        for (other, ..) in TOOLS {
            let n = v[other]["week"]["entries"].as_u64().unwrap_or(0);
            // OpenCode's and Gemini CLI's real sessions share a week.
            if other == tool {
                assert!(n > 0, "{tool}: {}", v[other]);
            } else if !(tool == "gemini" && other == "opencode") {
                assert_eq!(n, 0, "{tool} at {now}: {other} {}", v[other]);
            }
        }
        // status in words names the tool.
        let text = stdout(&s.cmd().args(["--now", now, "status"]).output().unwrap());
        let title = match tool {
            "copilot" => "Copilot CLI",
            "opencode" => "OpenCode",
            "gemini" => "Gemini CLI",
            _ => "Kimi Code",
        };
        assert!(text.lines().any(|l| l == title) && text.contains("calls"), "{tool}: {text}");

        // doctor: the tool's folder, found, and what was read of it.
        let doc = stdout(&s.cmd().arg("doctor").output().unwrap());
        let root = s.home().join(folder);
        assert!(
            doc.lines().any(|l| l.contains(tool) && l.contains("found") && l.contains(&*root.to_string_lossy())),
            "{tool}: {doc}"
        );
        // The Claude Code status line: the tool beside Claude, by its letter.
        let p = payload(&s, None);
        let o =
            output_with_input(s.cmd().args(["--now", now, "--color", "never", "statusline"]), p.to_string().as_bytes());
        assert_quiet(&o);
        let line = stdout(&o);
        // Lettered, its window's name after the letter where it is not the 5 hours (`Pmo`).
        assert!(line.contains(&format!("· {letter}")), "{tool}: {line:?}");
    }
}

#[test]
fn opencodes_folder_moved_the_way_ccusage_is_told() {
    // `OPENCODE_DATA_DIR` (ccusage's setting; OpenCode has none): the folder is found there.
    let s = Sandbox::empty();
    let elsewhere = s.home().join("elsewhere/opencode");
    copy_tree(&fixtures().join("agents/opencode"), &elsewhere);
    let o = s
        .cmd()
        .env("OPENCODE_DATA_DIR", &elsewhere)
        .args(["--providers", "opencode", "--now", "2026-12-31T00:00:00Z", "report", "--by", "session", "--json"])
        .output()
        .unwrap();
    let v = json_of(&o);
    assert_eq!(v["session"].as_array().map(Vec::len), Some(2), "{v}");
}

#[test]
fn status_in_words_shows_the_tools_the_settings_name_in_their_order() {
    let s = with(".gemini", "agents/gemini");
    let now = "2026-01-15T21:00:00Z";
    let titles = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--now", now];
        all.extend_from_slice(args);
        all.push("status");
        let text = stdout(&s.cmd().args(&all).output().unwrap());
        text.lines().filter(|l| ["Claude Code", "Gemini CLI"].contains(l)).map(str::to_owned).collect()
    };
    assert_eq!(titles(&[]), ["Claude Code", "Gemini CLI"]);
    assert_eq!(titles(&["--providers", "gemini,claude"]), ["Gemini CLI", "Claude Code"]);
    assert_eq!(titles(&["--providers", "claude"]), ["Claude Code"]);
    // `--json` keeps every tool's object: its shape is what scripts read.
    let v = json_of(&s.cmd().args(["--now", now, "--providers", "claude", "status", "--json"]).output().unwrap());
    assert!(v["gemini"]["week"]["entries"].as_u64().unwrap() > 0, "{}", v["gemini"]);
}

/// A window whose calls name a model no table prices (Kimi Code 2.1.0's run against a stand-in model)
/// says so in words, with its tokens.
#[test]
fn a_window_of_unpriced_calls_says_so() {
    let s = with(".kimi-code", "agents-runs/kimi-code-2.1.0/.kimi-code");
    let text =
        stdout(&s.cmd().args(["--now", "2026-12-06T09:00:00Z", "--providers", "kimi", "status"]).output().unwrap());
    assert!(text.contains("tokens so far, some from models without a price"), "{text}");
}

/// Copilot's month resets on the first of the next month: `status` names the day, not only the hour.
#[test]
fn the_months_reset_names_its_day() {
    let s = with(".copilot", "agents/copilot");
    let text =
        stdout(&s.cmd().args(["--now", "2026-07-05T04:10:00Z", "--providers", "copilot", "status"]).output().unwrap());
    assert!(text.contains("(2026-08-01 00:00 UTC)"), "{text}");
}

/// A model with no price is never shown at `$0.00` under `status`'s windows, as if it were free (the
/// report's table says `unpriced` already).
#[test]
fn status_never_prices_an_unpriced_model_at_nothing() {
    let s = with(".copilot", "agents/copilot");
    let args = ["--now", "2026-07-05T05:00:00Z", "--providers", "copilot", "--color", "never", "status"];
    let text = stdout(&s.cmd().args(args).output().unwrap());
    assert!(text.contains("gpt-5.3-codex-spark 0% · unpriced · 4 calls"), "{text}");
    assert!(!text.contains("spark 0% · $0.00"), "{text}");
}

/// Two of the fixture's Copilot sessions never wrote a shutdown (their input side never came, last
/// calls on 24 and 25 June): the report says its rows are short of it, for a range that holds them.
#[test]
fn the_report_says_which_copilot_sessions_have_no_end() {
    let s = with(".copilot", "agents/copilot");
    let report = |since: &str| {
        let args = ["--now", "2026-07-05T04:10:00Z", "--providers", "copilot", "report", "--since", since];
        stdout(&s.cmd().args(args).output().unwrap())
    };
    let note = "2 Copilot CLI sessions of this range have no end written";
    assert!(report("2026-06-01").contains(note), "{}", report("2026-06-01"));
    assert!(!report("2026-07-01").contains("no end written"), "{}", report("2026-07-01"));
    // By session, a chunk of sessions at a time (as over many files): the same.
    let args = ["--now", "2026-07-05T04:10:00Z", "--providers", "copilot", "report", "--by", "session"];
    let text = stdout(&s.cmd().env("RUNWAY_REPORT_CHUNK", "2").args(args).output().unwrap());
    assert!(text.contains(note), "{text}");
    // In JSON, beside ccusage's keys, per tool that has any; by block too, and a chunk at a time.
    let json = |since: &str, by: &str, chunk: &str| {
        let args = ["--now", "2026-07-05T04:10:00Z", "--providers", "copilot", "report", "--json", "--since", since];
        json_of(&s.cmd().env("RUNWAY_REPORT_CHUNK", chunk).args(args).args(["--by", by]).output().unwrap())["runway"]
            ["openSessions"]
            .clone()
    };
    for (by, chunk) in [("day", ""), ("block", ""), ("session", "2")] {
        assert_eq!(json("2026-06-01", by, chunk), serde_json::json!({ "copilot": 2 }), "{by}");
        assert_eq!(json("2026-07-01", by, chunk), serde_json::json!({}), "{by}");
    }
}

/// A tool's variable set one folder too deep (`GEMINI_CLI_HOME` is the home the CLI puts `.gemini`
/// in, not `.gemini` itself): `doctor` shows the root missing, named twice, and asks about the variable.
#[test]
fn doctor_asks_about_a_variable_one_folder_too_deep() {
    let s = with(".gemini", "agents/gemini");
    let o = s.cmd().env("GEMINI_CLI_HOME", s.home().join(".gemini")).arg("doctor").output().unwrap();
    let doc = stdout(&o);
    let at = doc.lines().position(|l| l.contains("gemini") && l.contains("missing") && l.contains(".gemini/.gemini"));
    let next = at.and_then(|i| doc.lines().nth(i + 1)).unwrap_or_else(|| panic!("{doc}"));
    assert!(next.contains("named twice") && next.contains("GEMINI_CLI_HOME"), "{doc}");
    // Set right, no such line.
    let right = stdout(&s.cmd().env("GEMINI_CLI_HOME", s.home()).arg("doctor").output().unwrap());
    assert!(!right.contains("named twice"), "{right}");
}

#[test]
fn a_gemini_session_caught_mid_write_leaves_every_prompt_its_figures() {
    // Gemini CLI rewrites a session whole; a run that finds it cut short (mid-write, or left so)
    // keeps what the file last said whole, and every prompt shows it, Claude's window beside it too
    // (it blanked every tool's segment while it was cut). The session was last written two days
    // ago, so only a walk (catch-up by hand) finds the cut; from then on it is among the files a
    // prompt looks at: the next prompt reads it whole again, and equals a fresh read.
    let (_, _, folder, fixture, now) = TOOLS[2];
    let s = with(folder, fixture);
    let chats = s.home().join(".gemini/tmp/7e8989f71805c3147f6be9b7a71de2a156f8face69f9380beeeb8a777414f21c/chats");
    let path = chats.join("session-2026-01-15T20-51-f7633853.json");
    let whole = std::fs::read(&path).unwrap();
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    std::fs::File::options().append(true).open(&path).unwrap().set_modified(two_days_ago).unwrap();
    let prompt = |now: &str| {
        let o = s
            .cmd()
            .args(["--timings", "--now", now, "--color", "never", "prompt", "--shell", "plain"])
            .output()
            .unwrap();
        assert!(o.status.success());
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        let read = err.split("read-bytes ").nth(1).and_then(|r| r.split(',').next()).unwrap_or_else(|| panic!("{err}"));
        (stdout(&o), read.trim().parse::<usize>().unwrap())
    };
    s.cmd().arg("catch-up").output().unwrap();
    let (gemini, claude) = (prompt(now).0, prompt("2026-02-12T21:30:00Z").0);
    assert!(gemini.contains('$') && claude.contains('$'), "{gemini:?} {claude:?}");
    std::fs::write(&path, &whole[..20_000]).unwrap();
    s.cmd().arg("catch-up").output().unwrap();
    for _ in 0..2 {
        assert_eq!((prompt(now).0, prompt("2026-02-12T21:30:00Z").0), (gemini.clone(), claude.clone()));
    }
    // Cut again, and a prompt without the room to read it (a budget of 1000 bytes; a real one is
    // 16 MiB, a long session's file more) leaves it to the helper: what it said before stands
    // meanwhile, and the helper, finding it cut, keeps it (it kept nothing).
    std::fs::write(&path, &whole[..30_000]).unwrap();
    let small =
        s.cmd().env("RUNWAY_PROMPT_BYTES", "1000").env("RUNWAY_NO_HELPER", "1").args(["--now", now, "prompt"]).output();
    assert_eq!(stdout(&small.unwrap()), "", "the totals wait for the document");
    s.cmd().args(["catch-up", "--left"]).output().unwrap();
    assert_eq!(prompt(now).0, gemini);
    std::fs::write(&path, &whole).unwrap();
    assert_eq!(prompt(now), (gemini, whole.len()));
    let fresh = tempfile::tempdir().unwrap();
    let args = ["--now", now, "--providers", "gemini", "report", "--by", "session", "--json"];
    let (a, b) = (
        json_of(&s.cmd().args(args).output().unwrap()),
        json_of(&s.cmd_with_cache(fresh.path()).args(args).output().unwrap()),
    );
    assert_eq!(a, b);
}

#[test]
fn a_gemini_session_grown_past_what_is_read_whole_keeps_what_it_said() {
    // A document is read in one piece, at most 64 MiB: one grown past it is counted as oversized, and
    // what it said before stands (every call it had was lost). Grown here by trailing spaces, which
    // leave it the same JSON.
    let (_, _, folder, fixture, now) = TOOLS[2];
    let s = with(folder, fixture);
    let chats = s.home().join(".gemini/tmp/7e8989f71805c3147f6be9b7a71de2a156f8face69f9380beeeb8a777414f21c/chats");
    let path = chats.join("session-2026-01-15T20-51-f7633853.json");
    let args = ["--now", now, "--providers", "gemini", "report", "--by", "session", "--json"];
    let before = json_of(&s.cmd().args(args).output().unwrap());
    assert!(before["session"].as_array().is_some_and(|r| !r.is_empty()), "{before}");
    let prompt = || {
        let o = s.cmd().env("RUNWAY_NO_HELPER", "1").args(["--now", now, "--color", "never", "prompt"]).output();
        stdout(&o.unwrap())
    };
    let shown = prompt();
    assert!(shown.contains('$'), "{shown}");
    let mut grown = std::fs::read(&path).unwrap();
    // Grown, then written again (a space more): read at each change, each time too large. A prompt
    // sees that from its size (it left it to the helper, and was blank after each change).
    for more in [(64 << 20) + 1, 1] {
        grown.resize(grown.len() + more, b' ');
        std::fs::write(&path, &grown).unwrap();
        assert_eq!(prompt(), shown);
        assert_eq!(json_of(&s.cmd().args(args).output().unwrap()), before);
    }
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(doctor.contains(" 1 oversized line,") || doctor.contains(" 1 oversized line\n"), "counted once: {doctor}");
}
