//! The engine on the real Claude Code fixture, against figures counted independently of runway.
//!
//! The expected numbers below are the output of `tests/oracle/claude_count.py`, a deliberately naive
//! Python reader written from docs/counting.md; `oracle_script_gives_these_figures` re-runs it so the
//! two cannot drift apart.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::*;
use serde_json::{Value, json};

const NOW: &str = "2026-02-12T21:30:00Z";
/// Five minutes into the last block, against a $10 limit: the present rate, $0.304619 a minute (the
/// oracle's `rate` at 21:05), fills the other $8.464757 in 27.8 minutes: a red warning.
const WARN: [&str; 4] = ["--limit-cost", "10", "--now", "2026-02-12T21:05:00Z"];
const WARN_SEG: &str = "5h ~15% ⚠ 28m";

/// (entries, input, output, cache_creation, cache_read, total, cost_usd)
type Fig = (u64, u64, u64, u64, u64, u64, f64);

const LAST_BLOCK: Fig = (20, 24, 1971, 91746, 1824871, 1918612, 1.535243);
const WEEK: Fig = (465, 3009, 108166, 1230431, 43567228, 44908834, 34.003789);
/// The largest completed block before NOW: 2026-02-11T20:00Z.
const LARGEST: (u64, f64) = (31932674, 23.890094);

fn check(v: &Value, f: Fig, what: &str) {
    let t = &v["tokens"];
    let got = (
        v["entries"].as_u64().unwrap(),
        t["input"].as_u64().unwrap(),
        t["output"].as_u64().unwrap(),
        t["cache_creation"].as_u64().unwrap(),
        t["cache_read"].as_u64().unwrap(),
        t["total"].as_u64().unwrap(),
    );
    assert_eq!(got, (f.0, f.1, f.2, f.3, f.4, f.5), "{what} tokens");
    let cost = v["cost_usd"].as_f64().unwrap();
    assert!((cost - f.6).abs() < 1e-6, "{what} cost {cost} != {}", f.6);
}

#[test]
fn block_and_week_equal_an_independent_count() {
    let s = Sandbox::claude_fixture();
    let v = s.status(NOW);
    let b = &v["claude"]["block"];
    check(b, LAST_BLOCK, "block");
    assert_eq!(b["start"], "2026-02-12T21:00:00Z");
    assert_eq!(b["end"], "2026-02-13T02:00:00Z");
    assert_eq!(b["active"], true);
    check(&v["claude"]["week"], WEEK, "week");
    // Two finished blocks of ten calls or more (the largest $23.890094) are too few to learn a limit
    // from: no share, the block's cost instead.
    let l = &v["claude"]["limit"];
    assert_eq!(l["source"], "none");
    assert_eq!((&l["tokens"], &l["cost_usd"], &l["used_percent"]), (&Value::Null, &Value::Null, &Value::Null));
    assert_eq!(v["claude"]["unpriced_models"], json!([]));
    assert_eq!(v["now"], NOW);
}

#[test]
fn burn_and_projection_by_hand() {
    let s = Sandbox::claude_fixture();
    let mut args = vec!["status", "--json"];
    args.extend_from_slice(&WARN[2..]);
    let b = &json_of(&s.run(&args))["claude"]["block"];
    // The oracle's present rate at 21:05: 371,163.61 tokens and $0.304619 a minute ($18.277135 an
    // hour). 295 minutes remain to the 02:00 end: 1,918,612 + 371,163.61 x 295 = 111,411,877 tokens,
    // $1.535243 + 0.304619 x 295 = $91.397826 if that rate held.
    assert!((b["burn"]["tokens_per_minute"].as_f64().unwrap() - 371163.61).abs() < 0.01, "{b}");
    assert!((b["burn"]["cost_per_hour"].as_f64().unwrap() - 18.277135).abs() < 1e-5, "{b}");
    assert!((b["projection"]["tokens"].as_f64().unwrap() - 111_411_877.0).abs() <= 1.0, "{b}");
    assert!((b["projection"]["cost_usd"].as_f64().unwrap() - 91.397826).abs() < 1e-5, "{b}");
}

#[test]
fn entries_after_now_do_not_exist_yet() {
    let s = Sandbox::claude_fixture();
    // At 18:00 on the 12th: block 16:00Z holds 30 calls so far; the week 343.
    let v = s.status("2026-02-12T18:00:00Z");
    let b = &v["claude"]["block"];
    assert_eq!((b["entries"].as_u64(), b["tokens"]["total"].as_u64()), (Some(30), Some(1798058)));
    assert!((b["cost_usd"].as_f64().unwrap() - 1.548944).abs() < 1e-6);
    check(&v["claude"]["week"], (343, 2863, 84768, 812728, 32830373, 33730732, 25.439038), "week at 18:00");
    // At 21:00 on the 11th only the first block exists and it is still running: no limit to learn.
    let v = s.status("2026-02-11T21:00:00Z");
    assert_eq!(v["claude"]["block"]["entries"], 58);
    assert_eq!(v["claude"]["limit"]["source"], "none");
    assert_eq!(v["claude"]["limit"]["used_percent"], Value::Null);
}

#[test]
fn oracle_script_gives_these_figures() {
    let projects = fixtures().join("claude-real/projects");
    let Some(v) = oracle("claude_count.py", &[projects.as_os_str(), NOW.as_ref()]) else { return };
    let last = &v["blocks"][2];
    let tok = |o: &Value| {
        (
            o["entries"].as_u64().unwrap(),
            o["input"].as_u64().unwrap(),
            o["output"].as_u64().unwrap(),
            o["cache_creation"].as_u64().unwrap(),
            o["cache_read"].as_u64().unwrap(),
            o["total"].as_u64().unwrap(),
            o["cost_usd"].as_f64().unwrap(),
        )
    };
    assert_eq!(tok(last), LAST_BLOCK);
    assert_eq!(v["rate"]["cost_per_minute"], 0.024849868, "the present rate at 21:30");
    assert_eq!(tok(&v["week"]), WEEK);
    assert_eq!((v["blocks"][0]["total"].as_u64().unwrap(), v["blocks"][0]["cost_usd"].as_f64().unwrap()), LARGEST);
}

#[test]
fn segment_for_each_target() {
    let s = Sandbox::claude_fixture();
    let body = WARN_SEG;
    let cases = [
        ("zsh", format!("%{{\x1b[31m%}}{}%{{\x1b[0m%}}", body.replace('%', "%%"))),
        ("bash", format!("\\[\x1b[31m\\]{body}\\[\x1b[0m\\]")),
        ("fish", format!("\x1b[31m{body}\x1b[0m")),
        // tmux: a background of its own, readable on any status bar.
        ("tmux", format!("#[fg=white,bg=red,bold]{body}#[default]")),
        ("plain", body.to_owned()),
    ];
    for (shell, want) in cases {
        let mut args = WARN.to_vec();
        args.extend(["prompt", "--shell", shell]);
        let o = s.run(&args);
        assert_quiet(&o);
        assert_eq!(stdout(&o), want, "{shell}");
    }
}

#[test]
fn colour_and_glyph_switches() {
    let s = Sandbox::claude_fixture();
    let run = |env: Option<&str>, extra: &[&str]| {
        let mut c = s.cmd();
        if let Some(v) = env {
            c.env("NO_COLOR", v);
        }
        stdout(&c.args(WARN).args(extra).output().unwrap())
    };
    assert_eq!(run(Some("1"), &["prompt", "--shell", "zsh"]), "5h ~15%% ⚠ 28m");
    assert!(run(Some(""), &["prompt", "--shell", "fish"]).starts_with('\x1b'), "an empty NO_COLOR does not count");
    assert!(
        run(Some("1"), &["--color", "always", "prompt", "--shell", "fish"]).starts_with('\x1b'),
        "--color always wins"
    );
    assert_eq!(run(None, &["--color", "never", "--ascii", "prompt", "--shell", "bash"]), "5h ~15% !28m");
    // The long form, in ASCII: a readable reset.
    let long = ["--color", "never", "--ascii", "--set", "format={label} {mark}{used} {reset} {warning}", "prompt"];
    assert_eq!(run(None, &long), "5h ~15% T-4h55m !28m");
}

#[test]
fn configured_limits() {
    let s = Sandbox::claude_fixture();
    // $1.535243 of $10 is 15%; at 21:30, 26 minutes after the last call, work has stopped: no warning
    // (the oracle's present rate, $0.024850 a minute, would take 340.6 minutes anyway).
    let o = s.run(&["--color", "never", "--limit-cost", "10", "--now", NOW, "prompt"]);
    assert_eq!(stdout(&o), "5h ~15% ↻4h30m");
    let o = s.cmd().env("RUNWAY_LIMIT_COST", "10").args(["--color", "never", "--now", NOW, "prompt"]).output().unwrap();
    assert_eq!(stdout(&o), "5h ~15% ↻4h30m");
    let v = json_of(&s.run(&["--limit-cost", "10", "--now", NOW, "status", "--json"]));
    assert_eq!(v["claude"]["limit"]["source"], "configured");
    assert!((v["claude"]["limit"]["minutes_to_empty"].as_f64().unwrap() - 340.64).abs() < 0.01);
    // 1,918,612 of 1e9 tokens is 0.19%: green, no warning (in tmux, the bar's own colours).
    let o = s.run(&["--limit-tokens", "1000000000", "--now", NOW, "prompt", "--shell", "tmux"]);
    assert_eq!(stdout(&o), "5h ~0% ↻4h30m");
    let o = s.run(&["--limit-tokens", "1000000000", "--now", NOW, "prompt", "--shell", "fish"]);
    assert_eq!(stdout(&o), "\x1b[32m5h ~0% ↻4h30m\x1b[0m");
    // Thresholds move the colour: 0.77% of $200 is amber from 0.5%.
    let o = s.run(&["--limit-cost", "200", "--warn-at", "0.5", "--now", NOW, "prompt", "--shell", "tmux"]);
    assert_eq!(stdout(&o), "#[fg=black,bg=yellow]5h ~1% ↻4h30m#[default]");
}

#[test]
fn without_a_limit_the_block_cost_is_shown() {
    let s = Sandbox::claude_fixture();
    // The first block at 21:00 on the 11th: 58 calls, $5.07762 so far, resets 01:00.
    let o = s.run(&["--now", "2026-02-11T21:00:00Z", "prompt", "--shell", "zsh"]);
    assert_quiet(&o);
    // In the ok colour: nothing says it is near a limit.
    assert_eq!(stdout(&o), "%{\x1b[32m%}5h $5.08 ↻4h00m%{\x1b[0m%}");
}

#[test]
fn no_active_window_prints_nothing() {
    let s = Sandbox::claude_fixture();
    let o = s.prompt("2026-02-13T02:00:00Z", "zsh");
    assert_quiet(&o);
    assert_eq!(stdout(&o), "");
    let v = s.status("2026-02-13T02:00:00Z");
    assert_eq!(v["claude"]["block"]["active"], false);
    assert_eq!(v["claude"]["block"]["projection"], Value::Null);
    // `limit` has every field it has while a window runs (scripts read them at any moment): the
    // rate's among them, nothing burning.
    let keys = |v: &Value| v["claude"]["limit"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), keys(&s.status(common::host::HOST_NOW)));
    let l = &v["claude"]["limit"];
    assert_eq!((&l["percent_per_hour"], &l["rate_floor"], &l["over"]), (&Value::Null, &json!(false), &json!(false)));
}

#[test]
fn human_status_and_doctor() {
    let s = Sandbox::claude_fixture();
    let o = s.run(&["--now", NOW, "status"]);
    let text = stdout(&o);
    assert!(text.contains("20 calls · 1.92M tokens · $1.54"), "{text}");
    // The last 7 days by the gauge's name for them (it was `week` beside a gauge's `7 days`).
    assert!(text.contains("\n  7 days    465 calls · 44.91M tokens · $34.00"), "{text}");
    assert!(
        text.contains(
            "$1.54 so far; no limit known yet (2 finished 5-hour blocks of ten calls or more; 10 such blocks are needed"
        ),
        "{text}"
    );
    let o = s.run(&["doctor"]);
    let text = stdout(&o);
    assert!(text.contains("claude   9 files"), "{text}");
    assert!(text.contains("claude   9 files, 9.1 MiB read, nothing malformed, oversized or unreadable"), "{text}");
    // Each tool's lines fit 80 columns, wrapped under their text.
    let tools = text.split("\ntracked\n").nth(1).unwrap().split("\ncache\n").next().unwrap();
    assert!(tools.lines().all(|l| l.chars().count() <= 80), "{tools}");
    assert!(text.contains(&s.cache().display().to_string()), "{text}");
    // What was read since the last compaction, counted in words: one record, then two.
    let file = s.session("8463c716-a2ea-4c14-9efa-87158ebd9f20");
    for (n, said) in [("X", "pending   1 record since"), ("Y", "pending   2 records since")] {
        let text = std::fs::read_to_string(&file).unwrap();
        let line = text.lines().rfind(|l| l.contains("\"usage\"")).unwrap();
        append(&file, format!("{}\n", line.replace("\"id\":\"msg_", &format!("\"id\":\"msg_{n}"))).as_bytes());
        let doctor = stdout(&s.run(&["doctor"]));
        assert!(doctor.contains(said), "{doctor}");
    }
}

#[test]
fn no_history_anywhere() {
    let s = Sandbox::empty();
    let o = s.prompt(NOW, "zsh");
    assert_quiet(&o);
    assert_eq!(stdout(&o), "");
    let o = s.run(&["status"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        text.contains("no history of Claude Code, Codex CLI") && text.contains(&s.projects().display().to_string()),
        "{text}"
    );
    assert!(text.contains("runway demo"), "an empty home points to the demo: {text}");
    // doctor says it too, and has no evidence rows for tools whose services report no window.
    let doctor = stdout(&s.run(&["doctor"]));
    assert!(doctor.contains("no tool's history is here yet") && doctor.contains("runway demo"), "{doctor}");
    assert!(doctor.contains("  codex    no readings") && !doctor.contains("gemini   no readings"), "{doctor}");
    // Without HOME (and without the two variables) runway says it cannot know where to look.
    let o = s
        .cmd()
        .env_remove("HOME")
        .env_remove("CLAUDE_CONFIG_DIR")
        .env_remove("CODEX_HOME")
        .arg("status")
        .output()
        .unwrap();
    assert!(stdout(&o).contains("HOME is not set"), "{}", stdout(&o));
    // A relative one is none (it would put a cache in every folder visited), and said so.
    let o = s.cmd().env("HOME", "home").env_remove("CLAUDE_CONFIG_DIR").env_remove("CODEX_HOME").arg("doctor").output();
    let doctor = stdout(&o.unwrap());
    assert!(doctor.contains("none: HOME is relative (home), so not used, nor any of"), "{doctor}");
    let v = s.status(NOW);
    assert_eq!(v["claude"]["block"], Value::Null);
    assert_eq!(v["claude"]["week"]["entries"], 0);
}

#[test]
fn default_roots_are_both_config_dirs() {
    let s = Sandbox::empty();
    let xdg = s.home().join(".config/claude/projects/p");
    let dot = s.home().join(".claude/projects/q");
    let one = |dir: &std::path::Path, id: &str, ts: &str| {
        std::fs::create_dir_all(dir).unwrap();
        let line = format!(
            r#"{{"type":"assistant","sessionId":"s","requestId":"req_{id}","timestamp":"{ts}","message":{{"id":"msg_{id}","model":"claude-haiku-4-5-20251001","usage":{{"input_tokens":1000000,"output_tokens":0}}}}}}"#
        );
        std::fs::write(dir.join(format!("{id}.jsonl")), format!("{line}\n")).unwrap();
    };
    one(&xdg, "a", "2026-02-12T21:00:00Z");
    one(&dot, "b", "2026-02-12T21:10:00Z");
    let mut c = s.cmd();
    c.env_remove("CLAUDE_CONFIG_DIR").args(["--now", NOW, "status", "--json"]);
    let v = json_of(&c.output().unwrap());
    // Two calls of 1M Haiku input tokens at $1/MTok.
    assert_eq!(v["claude"]["week"]["entries"], 2);
    assert_eq!(v["claude"]["week"]["cost_usd"], 2.0);
    // A comma-separated CLAUDE_CONFIG_DIR, one entry given as its projects/ dir.
    let list =
        format!("{}, {}", s.home().join(".config/claude").display(), s.home().join(".claude/projects").display());
    let v = json_of(&s.cmd().env("CLAUDE_CONFIG_DIR", list).args(["--now", NOW, "status", "--json"]).output().unwrap());
    assert_eq!(v["claude"]["week"]["entries"], 2);
}

#[test]
fn a_dollar_limit_for_one_tool_leaves_the_others_alone() {
    // `limit_cost` chosen for a Claude plan gave Codex, whose dollars buy another plan's quota, a
    // share made up from it: `claude=40` is Claude's alone, `40,codex=20` 40 for all but Codex.
    let s = Sandbox::empty();
    copy_tree(&fixtures().join("codex-real"), &s.codex_home());
    let prompt = |limit: &str| {
        let o = s.run(&["--now", "2026-05-11T12:00:00Z", "--limit-cost", limit, "--color", "never", "prompt"]);
        assert_quiet(&o);
        stdout(&o)
    };
    assert_eq!(prompt("40"), "5h ~21% ↻1h00m", "every tool's");
    assert_eq!(prompt("claude=40"), "5h $8.37 ↻1h00m", "Claude's alone: Codex shows its cost");
    assert_eq!(prompt("40,codex=20"), "5h ~42% ↻1h00m", "Codex's own");
    // In the config file, as TOML writes names and values: a table, inline or as a section.
    let file = s.dir.path().join("config.toml");
    for text in ["limit_cost = { claude = 40, codex = 20 }\n", "color = 'never'\n[limit_cost]\ncodex = 20\n"] {
        std::fs::write(&file, text).unwrap();
        let o = s
            .cmd()
            .env("RUNWAY_CONFIG", &file)
            .args(["--now", "2026-05-11T12:00:00Z", "--color", "never", "prompt"])
            .output()
            .unwrap();
        assert_quiet(&o);
        assert_eq!(stdout(&o), "5h ~42% ↻1h00m", "{text}");
    }
}
