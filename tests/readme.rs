//! README stays true to the binary: its settings table is the one `runway config --markdown` prints.

mod common;

#[test]
fn settings_table_is_current() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let s = common::Sandbox::empty();
    let table = common::stdout(&s.run(&["config", "--markdown"]));
    assert!(readme.contains(&table), "README's settings table is stale; paste `runway config --markdown`:\n{table}");
}

/// The lines README gives to put in an rc file for `shell`: every line of a code block that runs
/// `runway init <shell>`.
fn rc_lines(readme: &str, shell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut code = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            code = !code;
        } else if code && line.contains(&format!("runway init {shell}")) && !line.trim_start().starts_with('#') {
            out.push(line.to_owned());
        }
    }
    out
}

#[test]
fn the_rc_lines_break_no_new_shell_once_runway_is_gone() {
    use common::host::{have, sandboxed};
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let s = common::Sandbox::empty();
    // A PATH with runway on it, and one without (a fresh shell after `cargo uninstall`).
    let with = s.dir.path().join("with");
    let without = s.dir.path().join("without");
    std::fs::create_dir_all(&with).unwrap();
    std::fs::create_dir_all(&without).unwrap();
    std::os::unix::fs::symlink(common::BIN, with.join("runway")).unwrap();
    for shell in ["zsh", "bash", "fish"] {
        if !have(shell) {
            continue;
        }
        let lines = rc_lines(&readme, shell);
        assert!(!lines.is_empty(), "README gives no rc line for {shell}");
        let path = std::process::Command::new("sh").args(["-c", &format!("command -v {shell}")]).output().unwrap();
        let exe = String::from_utf8_lossy(&path.stdout).trim().to_owned();
        for line in lines {
            let defined = match (shell, line.contains("--print-only")) {
                (_, true) => "runway_segment",
                ("zsh", _) => "_runway_precmd",
                ("bash", _) => "_runway_hook",
                _ => "_runway_fetch",
            };
            let check = match shell {
                "fish" => format!("{line}\nfunctions -q {defined}; and echo defined; or echo none"),
                "zsh" => format!("{line}\n(( $+functions[{defined}] )) && echo defined || echo none"),
                _ => format!("{line}\ndeclare -F {defined} >/dev/null && echo defined || echo none"),
            };
            let args: &[&str] = match shell {
                "zsh" => &["-f", "-c"],
                "bash" => &["--norc", "--noprofile", "-c"],
                _ => &["--no-config", "-c"],
            };
            for (dir, want) in [(&without, "none"), (&with, "defined")] {
                let o = sandboxed(s.dir.path(), &exe).env("PATH", dir).args(args).arg(&check).output().unwrap();
                let err = String::from_utf8_lossy(&o.stderr);
                assert!(err.is_empty(), "{shell}: `{line}` with PATH={}: {err}", dir.display());
                assert_eq!(common::stdout(&o).trim(), want, "{shell}: `{line}` with PATH={}", dir.display());
            }
        }
    }
}
