//! ASCII mode: with `LANG=C`, or with `--ascii` in a UTF-8 locale, every byte of every surface is
//! ASCII: the segment for each host, notices, `status` and `--json`, `report` by every grouping,
//! `doctor`, `config`, `demo`, the help, problems on stderr; and the status line with `--ascii`. A project
//! whose folder is not ASCII (from the transcripts) and a config value that is not either are in the
//! history, so text from outside is checked too.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use common::host::HOST_NOW;
use common::*;

fn sandbox() -> Sandbox {
    let s = Sandbox::claude_fixture();
    for dir in std::fs::read_dir(s.projects()).unwrap().flatten() {
        for f in std::fs::read_dir(dir.path()).unwrap().flatten().filter(|f| f.path().is_file()) {
            let text = std::fs::read_to_string(f.path()).unwrap();
            std::fs::write(f.path(), text.replace("/spotter-fum", "/spötter-fum")).unwrap();
        }
    }
    // Codex beside it, with the service's figures.
    let limits = rate_limits(
        Some(limit_window(41.0, 300, Some(1_770_940_800), None)),
        Some(limit_window(64.0, 10_080, Some(1_771_200_000), None)),
    );
    Rollout::new("2026-02-12T20:29:00Z", "s1", None)
        .turn("2026-02-12T20:29:01Z", "gpt-5.5")
        .count("2026-02-12T21:00:00Z", Some(([9_000, 0, 1_000, 0, 10_000], None)), Some(limits))
        .write(&s.codex_home(), "s1");
    std::fs::write(s.dir.path().join("config.toml"), "warn_at = \"ü\"\nglyph_estimate = \"~\"\n").unwrap();
    s
}

/// Every command line of every surface, settings first.
fn surfaces() -> Vec<Vec<&'static str>> {
    let mut all: Vec<Vec<&str>> =
        vec![vec!["status"], vec!["status", "--json"], vec!["doctor"], vec!["config"], vec!["demo"], vec!["--help"]];
    for by in ["day", "week", "month", "session", "project", "model", "block"] {
        all.push(vec!["report", "--by", by]);
        all.push(vec!["report", "--by", by, "--json"]);
    }
    for shell in ["zsh", "bash", "fish", "tmux", "plain", "ansi"] {
        all.push(vec!["prompt", "--shell", shell]);
        all.push(vec!["prompt", "--shell", shell, "--notices"]);
    }
    for sub in ["prompt", "status", "doctor", "init", "statusline", "config", "catch-up", "report", "demo"] {
        all.push(vec![sub, "--help"]);
    }
    all
}

fn run(s: &Sandbox, lang: &str, ascii: bool, config: bool, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut c = s.cmd();
    c.env("LANG", lang).env("RUNWAY_LIMIT_COST", "10").args(["--now", HOST_NOW]);
    if ascii {
        c.arg("--ascii");
    }
    if config {
        c.env("RUNWAY_CONFIG", s.dir.path().join("config.toml"));
    }
    let mut child = c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    std::thread::spawn(move || pipe.write_all(&input));
    child.wait_with_output().unwrap()
}

fn assert_ascii(what: &str, o: &Output) {
    for (name, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        if let Some(at) = bytes.iter().position(|b| !b.is_ascii()) {
            let text = String::from_utf8_lossy(bytes);
            let line = text[..text.len().min(at + 3)].lines().last().unwrap_or("").to_owned();
            panic!("{what}: a byte outside ASCII on {name}, in {line:?}\n{text}");
        }
    }
}

#[test]
fn every_byte_of_every_surface_is_ascii() {
    let s = sandbox();
    let payload = payload(&s, None).to_string();
    for (lang, ascii) in [("C", false), ("C.UTF-8", true)] {
        for args in surfaces() {
            // Once with the settings problem in the config file (it shows in doctor, config, on stderr).
            for config in [false, true] {
                let o = run(&s, lang, ascii, config, &args, None);
                assert_ascii(&format!("LANG={lang} ascii={ascii} config={config} {args:?}"), &o);
                if !config {
                    assert!(!o.stdout.is_empty(), "{args:?} printed nothing: {}", String::from_utf8_lossy(&o.stderr));
                }
            }
        }
        // Claude Code's terminal draws Unicode whatever the locale: the status line is ASCII when asked.
        if ascii {
            let o = run(&s, lang, ascii, false, &["statusline"], Some(payload.as_bytes()));
            assert_ascii("statusline --ascii", &o);
            assert!(stdout(&o).contains(" | "), "{}", stdout(&o));
        }
    }
    // Text from outside is spelled, not dropped; JSON keeps it whole.
    let status = stdout(&run(&s, "C", false, false, &["status"], None));
    assert!(status.contains("sp?tter-fum"), "{status}");
    let json = run(&s, "C", false, false, &["report", "--by", "project", "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v.to_string().contains("spötter-fum"), "{v}");
    // And in a UTF-8 locale without --ascii, the glyphs are back.
    let utf8 = stdout(&run(&s, "C.UTF-8", false, false, &["prompt"], None));
    assert!(utf8.contains('·') || utf8.contains('↻') || utf8.contains('⚠'), "{utf8}");
}
