//! What a new user of tmux meets on day one, in a real server: TPM's way of loading a plugin, a
//! missing binary, tmux's default status bar, a typo in the plugin's options, a status-right that
//! held something else (the shells' first contact is first_contact.rs).
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;

use common::host::*;
use common::*;

/// A plugin directory as TPM clones it: the repository's root `*.tmux` file and `tmux/`.
fn plugin_clone(dir: &Path) -> std::path::PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let plugin = dir.join("plugins/runway");
    copy_tree(&root.join("tmux"), &plugin.join("tmux"));
    std::fs::copy(root.join("runway.tmux"), plugin.join("runway.tmux")).unwrap();
    for f in ["runway.tmux", "tmux/runway.tmux"] {
        let mut p = std::fs::metadata(plugin.join(f)).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o755);
        std::fs::set_permissions(plugin.join(f), p).unwrap();
    }
    plugin
}

/// TPM's rule (scripts/source_plugins.sh): every `*.tmux` file at the plugin's root, run as an
/// executable, inside the server.
fn tpm_load(t: &Tmux, plugin: &Path) {
    for e in std::fs::read_dir(plugin).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "tmux") {
            let o = t.cmd().args(["run-shell", &e.path().display().to_string()]).output().unwrap();
            assert!(o.status.success(), "{o:?}");
        }
    }
}

/// PATH without runway on it.
fn bare_path(s: &Sandbox) -> String {
    let bin = s.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["sh", "bash", "sed", "dirname", "tmux", "cat", "env"] {
        if let Ok(o) = Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output() {
            let p = String::from_utf8_lossy(&o.stdout).trim().to_owned();
            if !p.is_empty() {
                let _ = std::os::unix::fs::symlink(p, bin.join(tool));
            }
        }
    }
    bin.display().to_string()
}

#[test]
fn tpm_finds_the_plugin_and_the_binary_in_cargo_bin() {
    if !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let plugin = plugin_clone(s.dir.path());
    // Installed with cargo install: ~/.cargo/bin/runway, and not on tmux's PATH.
    let cargo_bin = s.home().join(".cargo/bin");
    std::fs::create_dir_all(&cargo_bin).unwrap();
    std::os::unix::fs::symlink(BIN, cargo_bin.join("runway")).unwrap();
    let mut env = env_of(&s);
    env.push(("PATH", bare_path(&s)));
    let t = Tmux::start(s.dir.path(), "tpm", &env, "sh", 100, 10);
    t.run(&["set", "-g", "status-right", "#{runway}"]);
    t.run(&["set", "-g", "status-interval", "1"]);
    t.run(&["set", "-g", "status-left-length", "40"]);
    tpm_load(&t, &plugin);
    let right = t.run(&["show", "-gv", "status-right"]);
    assert!(right.contains(".cargo/bin/runway' prompt --shell tmux"), "{right}");
    // Set after the plugin loaded: replaced all the same.
    t.run(&["set", "-g", "status-left", "[#{runway}] "]);
    let left = t.wait_for(|| t.run(&["show", "-gv", "status-left"]), |l| l.contains("prompt --shell tmux"));
    assert!(!left.contains("#{runway}"), "{left}");
    let outer = Tmux::start(
        s.dir.path(),
        "tpm-client",
        &env_of(&s),
        &format!("tmux -S {} attach -t t", t.sock.display()),
        110,
        12,
    );
    outer.wait("the segment on both sides of the bar", |sc| sc.matches(SEG).count() == 2);
}

#[test]
fn a_runway_set_after_the_plugin_in_tmux_conf_is_replaced() {
    if !have("tmux") {
        return;
    }
    // The README's order, and a theme's line after it: tmux runs no hook for its config file's own
    // commands, so the line after the plugin's kept `#{runway}` and the bar drew `[] ` for good. The
    // plugin and the binary in folders with a space, a `#S` and a `#[` in their names: the hooks'
    // command was split there by /bin/sh, and read as a format by tmux; `##[` reached the shell as
    // it was (the line loading the plugin writes its path as the plugin does).
    let s = Sandbox::claude_fixture();
    let odd = s.dir.path().join("my #S #[x] plugins");
    let plugin = plugin_clone(&odd);
    std::os::unix::fs::symlink(BIN, odd.join("runway")).unwrap();
    let conf = s.dir.path().join("tmux.conf");
    let lines = [
        "set -g status-right 'A #{runway} %H:%M'".to_owned(),
        format!("set -g @runway-bin '{}'", odd.join("runway").display()),
        format!("run-shell \"'{}'\"", hashes_doubled(&plugin.join("runway.tmux").display().to_string())),
        "set -g status-left '[#{runway}] '".to_owned(),
        "set -g status-interval 1".to_owned(),
    ];
    std::fs::write(&conf, lines.join("\n") + "\n").unwrap();
    let t = Tmux::start_with(s.dir.path(), "conf", &env_of(&s), &conf, "sh", (100, 10));
    for side in ["status-right", "status-left"] {
        let v = t.wait_for(|| t.run(&["show", "-gv", side]), |v| v.contains("prompt --shell tmux"));
        assert!(!v.contains("#{runway}"), "{side}: {v}");
    }
    let outer = Tmux::start(
        s.dir.path(),
        "conf-client",
        &env_of(&s),
        &format!("tmux -S {} attach -t t", t.sock.display()),
        110,
        12,
    );
    outer.wait("the segment on both sides of the bar", |sc| sc.matches(SEG).count() == 2);
}

/// A path as tmux's format expansion gives it back: each `#` doubled, but a run of them before `[`.
fn hashes_doubled(s: &str) -> String {
    let (mut out, mut run) = (String::new(), 0);
    for c in s.chars() {
        if c == '#' {
            run += 1;
            continue;
        }
        out += &"#".repeat(if c == '[' { run } else { 2 * run });
        run = 0;
        out.push(c);
    }
    out + &"#".repeat(2 * run)
}

#[test]
fn runway_args_naming_the_segment_itself_are_said_not_replaced_without_end() {
    if !have("tmux") {
        return;
    }
    // `#{runway}` inside @runway-args went into the segment, which was replaced again at every run
    // of the plugin, each run setting the option that runs it: hundreds of jobs within seconds.
    let s = Sandbox::claude_fixture();
    let plugin = plugin_clone(s.dir.path());
    let t = Tmux::start(s.dir.path(), "self", &env_of(&s), "sh", 100, 10);
    t.run(&["set", "-g", "@runway-bin", BIN]);
    t.run(&["set", "-g", "@runway-args", "--set format=#{runway}"]);
    t.run(&["set", "-g", "status-right", "#{runway}"]);
    tpm_load(&t, &plugin);
    let said = "#[fg=white,bg=red]runway: @runway-bin or @runway-args names the segment itself#[default]";
    // (Replaced without end, the option never reads as the hint: the wait fails.)
    t.wait_for(|| t.run(&["show", "-gv", "status-right"]), |r| r.trim() == said);
    // The same in the binary's path.
    let odd = s.dir.path().join("x#{runway}");
    std::fs::create_dir_all(&odd).unwrap();
    std::os::unix::fs::symlink(BIN, odd.join("runway")).unwrap();
    t.run(&["set", "-g", "@runway-args", ""]);
    t.run(&["set", "-g", "@runway-bin", odd.join("runway").to_str().unwrap()]);
    t.run(&["set", "-g", "status-left", "#{runway}"]);
    tpm_load(&t, &plugin);
    t.wait_for(|| t.run(&["show", "-gv", "status-left"]), |l| l.trim() == said);
}

#[test]
fn without_a_binary_the_bar_says_so() {
    if !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let plugin = plugin_clone(s.dir.path());
    let mut env = env_of(&s);
    env.push(("PATH", bare_path(&s)));
    let t = Tmux::start(s.dir.path(), "nobin", &env, "sh", 100, 10);
    // tmux's default length (40), with the clock after it: the hint fits, whole, and so does the clock.
    t.run(&["set", "-g", "status-right", "#{runway} 12:34"]);
    tpm_load(&t, &plugin);
    let outer = Tmux::start(
        s.dir.path(),
        "nobin-client",
        &env_of(&s),
        &format!("tmux -S {} attach -t t", t.sock.display()),
        110,
        12,
    );
    outer.wait("the message where the segment would be", |sc| sc.contains("runway not found: set @runway-bin 12:34"));
    assert_eq!(t.run(&["show", "-gv", "status-right-length"]).trim(), "40");
}

#[test]
fn readable_on_the_default_status_bar() {
    if !have("tmux") {
        return;
    }
    // tmux's default status style is black on green: the OK state keeps it (green on green would be
    // invisible); amber and red bring a background of their own. Read back from a real client.
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("runway.tmux");
    for (limit, now, text, pen) in [
        ("100", "2026-02-12T21:30:00Z", "5h ~2% ↻4h30m", Pen { fg: 30, bg: 42, bold: false }),
        ("2.05", "2026-02-12T21:30:00Z", "5h ~75% ↻4h30m", Pen { fg: 30, bg: 43, bold: false }),
        ("10", "2026-02-12T21:05:00Z", "5h ~15% ⚠ 28m", Pen { fg: 37, bg: 41, bold: true }),
    ] {
        let s = Sandbox::claude_fixture();
        let mut env = env_of(&s);
        env.retain(|(k, _)| *k != "RUNWAY_NOW" && *k != "RUNWAY_LIMIT_COST");
        env.push(("RUNWAY_NOW", now.to_owned()));
        env.push(("RUNWAY_LIMIT_COST", limit.to_owned()));
        let t = Tmux::start(s.dir.path(), "bar", &env, "sh", 100, 10);
        t.run(&["set", "-g", "status-right", "|#{runway}|"]);
        t.run(&["set", "-g", "status-interval", "1"]);
        t.run(&["set", "-g", "@runway-bin", BIN]);
        assert!(t.cmd().args(["run-shell", &plugin.display().to_string()]).status().unwrap().success());
        let outer = Tmux::start(
            s.dir.path(),
            "bar-client",
            &env,
            &format!("tmux -S {} attach -t t", t.sock.display()),
            110,
            12,
        );
        outer.wait(text, |sc| sc.contains(text));
        let coloured = outer.run(&["capture-pane", "-e", "-p", "-t", "t"]);
        let line = coloured.lines().find(|l| l.contains(text)).unwrap();
        assert_eq!(pen_at(line, text), pen, "{line:?}");
    }
}

#[derive(Debug, PartialEq, Clone, Copy)]
struct Pen {
    fg: u8,
    bg: u8,
    bold: bool,
}

/// The colours in effect where `text` starts, following the SGR sequences tmux drew before it (tmux sends
/// only what changes, so the bytes right before the text are not the whole story).
fn pen_at(line: &str, text: &str) -> Pen {
    let end = line.find(text).expect("text on the line");
    let mut pen = Pen { fg: 39, bg: 49, bold: false };
    for part in line[..end].split("\x1b[").skip(1) {
        let Some(codes) = part.split('m').next() else { continue };
        for code in codes.split(';').filter_map(|c| c.parse::<u8>().ok()) {
            match code {
                0 => pen = Pen { fg: 39, bg: 49, bold: false },
                1 => pen.bold = true,
                22 => pen.bold = false,
                30..=39 | 90..=97 => pen.fg = code,
                40..=49 | 100..=107 => pen.bg = code,
                _ => {}
            }
        }
    }
    pen
}

#[test]
fn a_typo_in_runway_args_shows_on_the_bar_and_in_doctor() {
    if !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let t = Tmux::start(s.dir.path(), "typo", &env_of(&s), "sh", 100, 10);
    t.run(&["set", "-g", "status-right", "#{runway} 12:34"]);
    t.run(&["set", "-g", "status-interval", "1"]);
    t.run(&["set", "-g", "@runway-bin", BIN]);
    t.run(&["set", "-g", "@runway-args", "--limt-cost 40"]);
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("runway.tmux");
    assert!(t.cmd().args(["run-shell", &plugin.display().to_string()]).status().unwrap().success());
    let outer = Tmux::start(
        s.dir.path(),
        "typo-client",
        &env_of(&s),
        &format!("tmux -S {} attach -t t", t.sock.display()),
        110,
        12,
    );
    outer.wait("the segment and the marker", |sc| sc.contains(" · runway: see doctor 12:34"));
    let doctor = stdout(&s.run(&["doctor"]));
    let first = doctor.lines().find(|l| l.starts_with("problem")).unwrap_or_default();
    assert!(first.contains("`--limt-cost` `40` left out") && first.contains("`--limit-cost`"), "{doctor}");
    assert!(first.contains("@runway-args"), "{doctor}");
}
#[test]
fn the_plugin_makes_room_for_what_status_right_held() {
    if !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    two_tools_warning(&s);
    let plain = stdout(&s.run(&["--color", "never", "--limit-cost", "10", "--now", HOST_NOW, "prompt"]));
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("runway.tmux");
    let marked = format!("{plain} · runway: see doctor");
    // (status-right, the length set before the plugin, the length after it, the arguments, what shows)
    for (i, (right, before, after, args, shown)) in [
        // The segment's 100 (four tools and the marker) and 18 columns more: past tmux's default 40,
        // raised to just what it needs.
        ("#{runway} | %d-%b-%y %H:%M", None, "118", "", &plain),
        // A length the person set higher stays.
        ("#{runway} | %d-%b-%y %H:%M", Some("120"), "120", "", &plain),
        // Room enough already: the length stays.
        ("#{runway} %H:%M", Some("106"), "106", "", &plain),
        // An argument runway does not know: the marker that says so shows whole after both tools.
        ("#{runway} %H:%M", None, "106", "--no-such-flag", &marked),
    ]
    .into_iter()
    .enumerate()
    {
        let t = Tmux::start(s.dir.path(), &format!("room{i}"), &env_of(&s), "sh", 120, 10);
        t.run(&["set", "-g", "status-right", right]);
        t.run(&["set", "-g", "status-interval", "1"]);
        t.run(&["set", "-g", "@runway-bin", BIN]);
        t.run(&["set", "-g", "@runway-args", args]);
        if let Some(n) = before {
            t.run(&["set", "-g", "status-right-length", n]);
        }
        assert!(t.cmd().args(["run-shell", &plugin.display().to_string()]).status().unwrap().success());
        assert_eq!(t.run(&["show", "-gv", "status-right-length"]).trim(), after, "{right}");
        let outer = Tmux::start(
            s.dir.path(),
            &format!("room{i}-client"),
            &env_of(&s),
            &format!("tmux -S {} attach -t t", t.sock.display()),
            130,
            12,
        );
        let date = t.run(&["display", "-p", "| %d-%b-%y"]);
        outer.wait("the whole segment and what followed it", |sc| {
            sc.contains(shown.as_str()) && (!right.contains("%d") || sc.contains(date.trim()))
        });
    }
}
