//! README stays true to the binary: its settings table is the one `runway config --markdown` prints.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

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
            // The status the line leaves is the first prompt's `$?` (a theme shows it as a failure).
            let check = match shell {
                "fish" => {
                    format!("{line}\nset st $status\nfunctions -q {defined}; and echo defined $st; or echo none $st")
                }
                "zsh" => format!("{line}\nst=$?\n(( $+functions[{defined}] )) && echo defined $st || echo none $st"),
                _ => format!("{line}\nst=$?\ndeclare -F {defined} >/dev/null && echo defined $st || echo none $st"),
            };
            let args: &[&str] = match shell {
                "zsh" => &["-f", "-c"],
                "bash" => &["--norc", "--noprofile", "-c"],
                _ => &["--no-config", "-c"],
            };
            for (dir, want) in [(&without, "none 0"), (&with, "defined 0")] {
                let o = sandboxed(s.dir.path(), &exe).env("PATH", dir).args(args).arg(&check).output().unwrap();
                let err = String::from_utf8_lossy(&o.stderr);
                assert!(err.is_empty(), "{shell}: `{line}` with PATH={}: {err}", dir.display());
                assert_eq!(common::stdout(&o).trim(), want, "{shell}: `{line}` with PATH={}", dir.display());
            }
        }
    }
}

#[test]
fn each_scripts_own_words_give_readmes_line() {
    // What `runway init` prints opens with how to load it: the same guarded line README gives.
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let s = common::Sandbox::empty();
    for shell in ["zsh", "bash", "fish"] {
        let script = common::stdout(&s.run(&["init", shell]));
        let head: String = script.lines().take_while(|l| l.starts_with('#')).collect::<Vec<_>>().join("\n");
        let readme_line = rc_lines(&readme, shell).into_iter().find(|l| !l.contains("--print-only")).unwrap();
        assert!(head.contains(readme_line.trim()), "{shell}: {head}\nREADME: {readme_line}");
        // Made with settings, its line gives them back: copied, it loads the same script.
        let with = common::stdout(&s.run(&["init", shell, "--limit-cost", "40"]));
        let head: String = with.lines().take_while(|l| l.starts_with('#')).collect::<Vec<_>>().join("\n");
        assert!(head.contains(&format!("runway init {shell} ")) && head.contains("--limit-cost=40"), "{shell}: {head}");
    }
}

fn repo() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn readme_is_a_users_page_of_what_works_today() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(lines <= 300, "README is {lines} lines: design notes go to docs/");
    // Every tool docs/providers.md describes, by name.
    let providers = std::fs::read_to_string(repo().join("docs/providers.md")).unwrap();
    let tools: Vec<&str> = providers.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    assert_eq!(tools.len(), 6, "{tools:?}");
    let words = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    for t in tools {
        assert!(words.contains(t), "README does not name {t}");
    }
    // What report --json's outputTokens holds.
    let para = readme.split("\n\n").find(|p| p.contains("outputTokens")).expect("outputTokens explained");
    assert!(para.contains("reasoning") && para.contains("reasoningTokens"), "{para}");
    // Routes that need a release are said to come with it, not offered as working.
    for route in ["cargo install --locked runway-gauge", "packaging/homebrew", "release.yml"] {
        for p in readme.split("\n\n").filter(|p| p.contains(route)) {
            assert!(p.contains("first release"), "{route} offered as if it worked today: {p}");
        }
    }
    assert!(!readme.contains("@plugin '<this repository>'"), "a placeholder is no install line");
}

/// The paths a page names in backquotes or links, that look like the repository's own.
fn cited_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split(['`', '(', ')', '[', ']', ' ', '\n', ',']) {
        let p = part.trim_end_matches(['.', ':', ';']);
        let ours = ["docs/", "src/", "tests/", "benches/", "packaging/", ".github/", "shell/", "tmux/", "synth/"];
        if ours.iter().any(|o| p.starts_with(o)) && !p.contains(['*', '<', '…']) && p.len() > 5 {
            out.push(p.to_owned());
        }
    }
    out
}

#[test]
fn every_page_cites_files_the_repository_has() {
    let mut pages = vec![repo().join("README.md")];
    pages.extend(std::fs::read_dir(repo().join("docs")).unwrap().flatten().map(|e| e.path()));
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        let base = page.parent().unwrap();
        for p in cited_paths(&text) {
            let here =
                if p.starts_with("docs/") || page.ends_with("README.md") { repo().join(&p) } else { base.join(&p) };
            assert!(
                here.exists() || repo().join(&p).exists(),
                "{} cites {p}, which is not in the repository",
                page.display()
            );
        }
        // Links between the pages: `(name.md)` beside them.
        for link in text.split("](").skip(1).filter_map(|l| l.split(')').next()).filter(|l| l.ends_with(".md")) {
            assert!(base.join(link).exists(), "{} links {link}", page.display());
        }
    }
    // No source comment cites notes the repository does not have.
    let mut stack = vec![repo().join("src"), repo().join("tests"), repo().join("benches"), repo().join("synth")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                if !path.ends_with("fixtures") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|x| x == "rs" || x == "py" || x == "sh") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                // (Spelled in two parts here, so that this check does not find itself.)
                let (notes, named) = (concat!("formats", ".md"), concat!("format", " notes"));
                // A comment's words, its lines joined.
                let flat = text.split_whitespace().filter(|w| !w.starts_with("//") && *w != "#").collect::<Vec<_>>();
                let flat = flat.join(" ");
                assert!(!flat.contains(notes) && !flat.contains(named), "{}", path.display());
                for p in cited_paths(&text).into_iter().filter(|p| p.starts_with("docs/") && p.ends_with(".md")) {
                    assert!(repo().join(&p).exists(), "{} cites {p}", path.display());
                }
            }
        }
    }
}
