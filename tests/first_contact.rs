//! What a new user meets on day one, in real shells and terminals: an existing PROMPT_COMMAND, a C
//! locale, two tools in a narrow bar, colour only on a terminal, a removed binary, an 80-column
//! terminal (tmux's first contact is first_contact_tmux.rs).
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;

use common::host::*;
use common::*;

#[test]
fn an_existing_prompt_command_keeps_working() {
    if !have("bash") || !have("tmux") {
        return;
    }
    // Ended by a newline, and ended by a comment: joined with `;` the first was a syntax error at every
    // prompt and the second swallowed the hook.
    for pc in ["PROMPT_COMMAND=$'history -a\\n'", "PROMPT_COMMAND='history -a # note'", "PROMPT_COMMAND='true;'"] {
        let s = Sandbox::claude_fixture();
        let rc = s.dir.path().join("bashrc");
        std::fs::write(&rc, format!("PS1='mine> '\n{pc}\n{}\n", init_line("bash", ""))).unwrap();
        let t = Tmux::start(
            s.dir.path(),
            "pc",
            &env_of(&s),
            &format!("bash --noprofile --rcfile {} -i", rc.display()),
            100,
            12,
        );
        t.wait("the segment in PS1", |sc| sc.contains(&format!("{SEG} mine>")));
        t.type_line("echo one");
        let sc = t.wait("a second prompt", |sc| sc.matches(&format!("{SEG} mine>")).count() >= 2);
        assert!(!sc.contains("syntax error") && !sc.contains("command not found"), "{pc}: {sc}");
    }
}

#[test]
fn a_c_locale_gets_ascii_glyphs_and_an_intact_command_line() {
    if !have("zsh") || !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let zdot = s.dir.path().join("zdot");
    std::fs::create_dir_all(&zdot).unwrap();
    std::fs::write(zdot.join(".zshrc"), format!("PROMPT='%# '\n{}\n", init_line("zsh", ""))).unwrap();
    let mut env = env_of(&s);
    env.retain(|(k, _)| *k != "LANG" && *k != "LC_ALL");
    env.push(("LANG", "C".to_owned()));
    env.push(("ZDOTDIR", zdot.display().to_string()));
    let t = Tmux::start(s.dir.path(), "zsh-c", &env, "zsh -i", 80, 10);
    t.wait("an ASCII segment", |sc| sc.contains("5h ~15% !28m"));
    // Typed but not run: zsh must know the prompt's width to draw it where it belongs.
    t.run(&["send-keys", "-t", "t", "-l", "echo typed-and-intact"]);
    let sc = t.wait("the typed command", |sc| sc.contains("echo typed-and-intact"));
    let line = sc.lines().find(|l| l.contains("echo typed-and-intact")).unwrap();
    let typed = line.trim_start_matches(['%', '#']);
    assert!(typed.starts_with(" echo typed-and-intact") && line.trim_end().ends_with("5h ~15% !28m"), "{line:?}");
}

#[test]
fn both_providers_fit_in_28_columns() {
    if !have("zsh") || !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    two_tools_warning(&s);
    let plain = stdout(&s.run(&["--color", "never", "--limit-cost", "10", "--now", HOST_NOW, "prompt"]));
    assert!(plain.matches('⚠').count() == 2, "{plain}");
    assert!(plain.chars().count() <= 28, "{plain:?} is {} columns", plain.chars().count());
    // In zsh at 80 columns, in a directory deep enough that the old 61-column segment did not fit
    // beside it, the right prompt shows, whole.
    let deep = s.home().join("src/project-name/with/nested");
    std::fs::create_dir_all(&deep).unwrap();
    let zdot = s.dir.path().join("zdot");
    std::fs::create_dir_all(&zdot).unwrap();
    std::fs::write(zdot.join(".zshrc"), format!("PROMPT='%~ %# '\ncd {}\n{}\n", deep.display(), init_line("zsh", "")))
        .unwrap();
    let mut env = env_of(&s);
    env.push(("ZDOTDIR", zdot.display().to_string()));
    let t = Tmux::start(s.dir.path(), "zsh-80", &env, "zsh -i", 80, 10);
    let sc = t.wait("the whole segment at 80 columns", |sc| sc.contains(&plain));
    let line = sc.lines().find(|l| l.contains(&plain)).unwrap();
    assert!(line.contains("with/nested ") && line.chars().count() <= 80, "{line:?}");
    // In tmux's default 40 columns of status-right, with the clock after it.
    let t = Tmux::start(s.dir.path(), "tmux-40", &env_of(&s), "sh", 110, 10);
    t.run(&["set", "-g", "status-right", "#{runway} 12:34"]);
    t.run(&["set", "-g", "@runway-bin", BIN]);
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("runway.tmux");
    assert!(t.cmd().args(["run-shell", &plugin.display().to_string()]).status().unwrap().success());
    let outer = Tmux::start(
        s.dir.path(),
        "tmux-40-client",
        &env_of(&s),
        &format!("tmux -S {} attach -t t", t.sock.display()),
        110,
        12,
    );
    outer.wait("the segment and the clock", |sc| sc.contains(&format!("{plain} 12:34")));
}

#[test]
fn status_is_in_colour_on_a_terminal_only() {
    if !have("tmux") {
        return;
    }
    // On a real terminal (a tmux pane), status colours the share; through a pipe it does not, unless
    // asked with --color always. The pace is said in words.
    let s = Sandbox::claude_fixture();
    let piped = s.run(&["--now", HOST_NOW, "--limit-cost", "10", "status"]);
    assert!(!stdout(&piped).contains('\x1b'), "{}", stdout(&piped));
    assert!(
        stdout(&piped).contains("runway warns once that is 45m away") || stdout(&piped).contains("before the reset")
    );
    let forced = s.run(&["--now", HOST_NOW, "--limit-cost", "10", "--color", "always", "status"]);
    assert!(stdout(&forced).contains("\x1b[31m"), "{}", stdout(&forced));
    let t = Tmux::start(s.dir.path(), "status-tty", &env_of(&s), &format!("{BIN} status; sleep 30"), 150, 20);
    t.wait("status drawn", |sc| sc.contains("5 hours"));
    let coloured = t.run(&["capture-pane", "-e", "-p", "-t", "t"]);
    let line = coloured.lines().find(|l| l.contains("5 hours")).unwrap();
    assert!(line.contains("\x1b[31m"), "{line:?}");
}

#[test]
fn a_long_first_read_is_said_on_a_terminal_only() {
    if !have("tmux") {
        return;
    }
    // A first read of 64 MiB or more takes seconds: status says what it is doing, once, on a
    // terminal (the knob lowers the 64 MiB to below this history's 9); through a pipe, nothing.
    const SAID: &str = "runway: reading 9 MiB of transcripts into the cache (once: later runs read only what is new)…";
    let piped = Sandbox::claude_fixture();
    let o = piped.cmd().env("RUNWAY_LONG_READ_BYTES", "1").arg("status").output().unwrap();
    assert!(o.status.success() && o.stderr.is_empty(), "{o:?}");
    let s = Sandbox::claude_fixture();
    let mut env = env_of(&s);
    env.push(("RUNWAY_LONG_READ_BYTES", "1".into()));
    let t = Tmux::start(s.dir.path(), "long-read", &env, &format!("{BIN} status; {BIN} status; sleep 30"), 150, 60);
    let sc = t.wait("two statuses drawn", |sc| sc.matches("5 hours").count() == 2);
    assert_eq!(sc.matches(SAID).count(), 1, "{sc}");
    assert!(sc.find(SAID) < sc.find("5 hours"), "{sc}");
}

#[test]
fn a_removed_binary_breaks_no_shell() {
    // Each init script names the binary by its path; once that is gone (uninstalled, moved), a new
    // shell that still loads the script and every prompt it draws say nothing and keep `$?`.
    let s = Sandbox::claude_fixture();
    let bin = s.dir.path().join("bin/runway");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    std::fs::copy(BIN, &bin).unwrap();
    let mut scripts = Vec::new();
    for (shell, hook) in [("zsh", "_runway_precmd"), ("bash", "_runway_hook"), ("fish", "fish_right_prompt")] {
        for only in [false, true] {
            let mut c = Command::new(&bin);
            c.args(["init", shell]).args(only.then_some("--print-only"));
            c.envs(s.cmd().get_envs().filter_map(|(k, v)| Some((k, v?))));
            // The copy just written may still be open for writing in a child another test thread
            // forked meanwhile (it closes at that child's exec): "text file busy", for a moment.
            let mut tries = 0;
            let o = loop {
                match c.output() {
                    Err(e) if e.raw_os_error() == Some(26) && tries < 100 => {
                        tries += 1;
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    r => break r.unwrap(),
                }
            };
            let file = s.dir.path().join(format!("init-{shell}-{only}"));
            std::fs::write(&file, &o.stdout).unwrap();
            scripts.push((shell, if only { "runway_segment" } else { hook }, file));
        }
    }
    std::fs::remove_file(&bin).unwrap();
    for (shell, call, file) in scripts {
        if !have(shell) {
            continue;
        }
        let body = match shell {
            "fish" => format!("source {}; false; {call}; echo \"status $status\"", file.display()),
            _ => format!("source {}; false; {call}; echo \"status $?\"", file.display()),
        };
        let args: &[&str] = match shell {
            "zsh" => &["-f", "-c"],
            "bash" => &["--norc", "--noprofile", "-c"],
            _ => &["--no-config", "-c"],
        };
        let o = sandboxed(s.dir.path(), shell).args(args).arg(&body).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.is_empty(), "{shell} {call}: {err}");
        // A hook hands back the status it found; the segment function prints nothing.
        let want = if call == "runway_segment" { "status 0\n" } else { "status 1\n" };
        assert_eq!(stdout(&o).trim_start(), want, "{shell} {call}");
    }
}

/// The widest line of `text`, in columns (colour sequences take none).
fn widest(text: &str) -> usize {
    text.lines().map(|l| uncoloured(l).chars().count()).max().unwrap_or(0)
}

#[test]
fn status_demo_and_report_fit_the_width_they_are_given() {
    let s = Sandbox::claude_fixture();
    let limits = rate_limits(Some(limit_window(41.0, 300, Some(1_770_940_800), None)), None);
    Rollout::new("2026-02-12T20:29:00Z", "s1", None)
        .turn("2026-02-12T20:29:01Z", "gpt-5.5")
        .count("2026-02-12T21:00:00Z", Some(([9_000, 0, 1_000, 0, 10_000], None)), Some(limits))
        .write(&s.codex_home(), "s1");
    let mut runs: Vec<Vec<&str>> = vec![vec!["status"], vec!["demo"]];
    for by in ["day", "week", "month", "session", "project", "model", "block"] {
        runs.push(vec!["report", "--by", by]);
    }
    for args in &runs {
        // Without a width (a pipe, no COLUMNS) lines stay whole; the status of this history is wide.
        let whole = stdout(&s.cmd().args(["--now", HOST_NOW]).args(args).output().unwrap());
        for cols in [80, 60] {
            let o = s.cmd().env("COLUMNS", cols.to_string()).args(["--now", HOST_NOW]).args(args).output().unwrap();
            let text = stdout(&o);
            assert!(widest(&text) <= cols, "{args:?} at {cols} columns is {} wide:\n{text}", widest(&text));
            if args[0] == "status" {
                assert!(widest(&whole) > 80, "{whole}");
                // Every word is still there.
                let words = |t: &str| t.split_whitespace().filter(|w| *w != "·").count();
                assert_eq!(words(&text), words(&whole), "{text}");
            }
        }
    }
}

#[test]
fn status_fits_a_narrow_terminal() {
    if !have("tmux") {
        return;
    }
    // A real terminal of 70 columns and no COLUMNS: runway asks the terminal. Lines the terminal had
    // to wrap itself come back joined (-J), wider than the pane.
    let s = Sandbox::claude_fixture();
    let mut env = env_of(&s);
    env.retain(|(k, _)| *k != "RUNWAY_LIMIT_COST");
    let t = Tmux::start(s.dir.path(), "narrow", &env, &format!("{BIN} status; sleep 30"), 70, 40);
    t.wait("status drawn", |sc| sc.contains("(times in"));
    let joined = t.run(&["capture-pane", "-p", "-J", "-t", "t"]);
    assert!(widest(&joined) <= 70, "{joined}");
}
