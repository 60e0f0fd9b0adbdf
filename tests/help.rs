//! Help, shell completions and the manual page, all made from the one command-line definition: each
//! command's help lists its own options before the settings every command shares; the completions
//! complete in real bash and fish, and load in zsh; the page reads in `man`.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::host::{have, sandboxed};
use common::*;

const COMMANDS: [&str; 11] =
    ["prompt", "status", "doctor", "init", "statusline", "config", "catch-up", "report", "demo", "completions", "man"];

#[test]
fn each_commands_help_puts_its_own_options_first() {
    let s = Sandbox::empty();
    for sub in COMMANDS {
        let help = stdout(&s.run(&[sub, "--help"]));
        let settings = help.find("\nSettings").unwrap_or_else(|| panic!("{sub}: no settings heading\n{help}"));
        let own = help.find("\nOptions:").unwrap();
        assert!(own < settings, "{sub}: {help}");
        // The settings are under their heading, and only there.
        assert!(
            help[settings..].contains("--limit-cost <USD>") && !help[..settings].contains("--limit-cost"),
            "{help}"
        );
        // Every argument says what it is: no line of the help is a bare flag or argument.
        for line in help.lines().filter(|l| l.starts_with("  ")) {
            let words = line.split_whitespace().count();
            assert!(words > 2 || line.trim_start().starts_with("runway"), "{sub}: undescribed: {line:?}");
        }
    }
    let init = stdout(&s.run(&["init", "--help"]));
    assert!(init.contains("<host>  zsh, bash, fish or powershell"), "{init}");
}

#[test]
fn an_init_flag_of_the_other_kind_of_host_is_refused() {
    // `init zsh --write` wrote no rc file and exited 0 as if it had; `init claude --print-only`
    // printed the setting as always. Each is said, with init's usage, and nothing is printed.
    let s = Sandbox::empty();
    for (args, said) in [
        (&["init", "zsh", "--write"][..], "--write is for `init claude`"),
        (&["init", "bash", "--remove"], "--remove is for `init claude`"),
        (&["init", "fish", "--write", "--keep"], "--write is for `init claude`"),
        (&["init", "claude", "--print-only"], "--print-only is for a shell's script"),
    ] {
        let o = s.run(args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty() && err.contains(said) && err.contains("runway init"), "{args:?}: {err}");
    }
    assert!(s.run(&["init", "zsh", "--print-only"]).status.success());
}

fn shell_exe(shell: &str) -> String {
    let o = std::process::Command::new("sh").args(["-c", &format!("command -v {shell}")]).output().unwrap();
    String::from_utf8_lossy(&o.stdout).trim().to_owned()
}

#[test]
fn completions_complete_in_real_shells() {
    let s = Sandbox::empty();
    let dir = s.dir.path();
    // PowerShell's: made too (no PowerShell here to run them).
    let ps = stdout(&s.run(&["completions", "powershell"]));
    assert!(ps.contains("Register-ArgumentCompleter") && ps.contains("'runway'"), "{ps}");
    for shell in ["bash", "fish", "zsh"] {
        let o = s.run(&["completions", shell]);
        assert!(o.status.success() && !o.stdout.is_empty(), "{shell}");
        std::fs::write(dir.join(format!("c.{shell}")), &o.stdout).unwrap();
    }
    if have("bash") {
        let script = format!(
            "source {}/c.bash\n\
             complete_words() {{ COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; COMP_POINT=${{#COMP_LINE}};\n\
             _runway runway \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"; }}\n\
             complete_words runway sta; echo --; complete_words runway report --by ''; echo --; complete_words runway report --sin",
            dir.display()
        );
        let o = sandboxed(dir, &shell_exe("bash")).args(["--norc", "--noprofile", "-c", &script]).output().unwrap();
        assert!(o.stderr.is_empty(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = stdout(&o);
        let parts: Vec<&str> = out.split("--\n").collect();
        assert!(parts[0].lines().any(|l| l == "status") && parts[0].lines().any(|l| l == "statusline"), "{out}");
        assert_eq!(
            parts[1].lines().collect::<Vec<_>>(),
            ["day", "week", "month", "session", "project", "model", "block", "device", "tool"]
        );
        assert!(parts[2].contains("--since"), "{out}");
    }
    if have("fish") {
        let script = format!(
            "source {}/c.fish; complete -C 'runway sta'; echo ==; complete -C 'runway report --by '; echo ==; \
             complete -C 'runway --limit-c'; echo ==; complete -C 'runway init z'; echo ==; complete -C 'runway completions '",
            dir.display()
        );
        let o = sandboxed(dir, &shell_exe("fish")).args(["--no-config", "-c", &script]).output().unwrap();
        let out = stdout(&o);
        let parts: Vec<&str> = out.split("==\n").collect();
        assert!(parts[0].starts_with("status\t") && parts[0].contains("statusline\t"), "{out}");
        let by: Vec<&str> = parts[1].lines().map(|l| l.split('\t').next().unwrap()).collect();
        assert!(
            ["day", "week", "month", "session", "project", "model", "block"].iter().all(|b| by.contains(b)),
            "{out}"
        );
        assert!(parts[2].contains("--limit-cost"), "{out}");
        // A subcommand's positional values, which clap_complete leaves out of fish's.
        assert_eq!(parts[3].trim(), "zsh", "{out}");
        let shells: Vec<&str> = parts[4].lines().collect();
        assert_eq!(shells, ["bash", "fish", "powershell", "zsh"], "{out}");
    }
    if have("zsh") {
        let script = format!(
            "autoload -Uz compinit && compinit -u -d {0}/zcompdump && source {0}/c.zsh && print -r -- ${{+functions[_runway]}}",
            dir.display()
        );
        let o = sandboxed(dir, &shell_exe("zsh")).args(["-f", "-c", &script]).output().unwrap();
        assert!(o.stderr.is_empty(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(stdout(&o).trim(), "1");
    }
}

#[test]
fn the_manual_page_reads_in_man() {
    let s = Sandbox::empty();
    let page = stdout(&s.run(&["man"]));
    assert!(page.starts_with(".ie") && page.contains(".TH runway 1"), "{page}");
    assert!(page.is_ascii(), "a page any locale reads");
    for sub in COMMANDS {
        assert!(page.contains(&format!(".SH \"RUNWAY {}\"", sub.to_uppercase())), "{sub}");
    }
    if !have("groff") {
        return;
    }
    let file = s.dir.path().join("runway.1");
    std::fs::write(&file, &page).unwrap();
    let o = sandboxed(s.dir.path(), &shell_exe("groff"))
        .env("LANG", "C.UTF-8")
        .args(["-man", "-Tutf8", "-ww"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(o.status.success() && o.stderr.is_empty(), "{}", String::from_utf8_lossy(&o.stderr));
    // Without grotty's overstriking (a character, a backspace, the character again: bold), and with
    // its hyphens and minus signs as typed.
    let mut text = String::new();
    for c in stdout(&o).chars() {
        match c {
            '\x08' => {
                text.pop();
            }
            '\u{2010}' | '\u{2212}' => text.push('-'),
            c => text.push(c),
        }
    }
    assert!(text.contains("--limit-cost") && text.contains("RUNWAY REPORT"), "{text}");
}
