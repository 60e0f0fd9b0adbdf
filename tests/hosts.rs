//! The surfaces in their real hosts: zsh, bash and fish started interactively in a terminal (a tmux
//! pane) with an rc file that evaluates `runway init` twice, and a tmux server whose status bar is
//! drawn by a real client and read back. Nothing is mocked: the screen is what a person would see.
//!
//! A missing host skips its test with a note, unless RUNWAY_REQUIRE_HOSTS=1 (set by .ci/run, which
//! installs them), where it fails.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::host::*;
use common::*;

const NOW: &str = HOST_NOW;

#[test]
fn zsh_right_prompt() {
    if !have("zsh") || !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let zdot = s.dir.path().join("zdot");
    std::fs::create_dir_all(&zdot).unwrap();
    let init = init_line("zsh", "");
    std::fs::write(zdot.join(".zshrc"), format!("PROMPT='%# '\nRPROMPT='[mine]'\n{init}\n{init}\n")).unwrap();
    let mut env = env_of(&s);
    env.push(("ZDOTDIR", zdot.display().to_string()));
    let t = Tmux::start(s.dir.path(), "zsh", &env, "zsh -i", 100, 20);
    let screen = t.wait("the segment in RPROMPT", |sc| sc.contains(SEG));
    let line = screen.lines().find(|l| l.contains(SEG)).unwrap();
    assert!(line.trim_end().ends_with(&format!("{SEG} [mine]")), "segment first, the user's RPROMPT kept: {line:?}");
    assert_eq!(line.matches("5h ").count(), 1, "installed once: {line:?}");
    // $? is what the command left, not what the hook did.
    t.type_line("false");
    t.type_line("echo rc=$?");
    t.wait("rc=1", |sc| sc.contains("rc=1"));
    // The expanded prompt: colour sequences, no stray %{ %} or doubled %.
    t.type_line("print -rP -- \"$RPROMPT\" | cat -v; print -l $precmd_functions | grep -c _runway");
    let sc = t.wait("the expanded prompt and the hook count", |sc| {
        sc.contains("^[[31m5h ~15% ")
            && sc.lines().any(|l| l.trim().chars().all(|c| c.is_ascii_digit()) && !l.trim().is_empty())
    });
    assert!(!sc.contains("%{") && !sc.contains("%%"), "{sc}");
    assert!(sc.contains("28m^[[0m [mine]"), "{sc}");
    assert!(sc.lines().any(|l| l.trim() == "1"), "the hook is registered once: {sc}");
}

#[test]
fn bash_prompt_string_and_array_forms() {
    if !have("bash") || !have("tmux") {
        return;
    }
    for (form, pc) in [("string", "PROMPT_COMMAND='history -a; '"), ("array", "PROMPT_COMMAND=('history -a')")] {
        let s = Sandbox::claude_fixture();
        let rc = s.dir.path().join("bashrc");
        let init = init_line("bash", "");
        std::fs::write(&rc, format!("PS1='mine> '\n{pc}\n{init}\n{init}\n")).unwrap();
        let t = Tmux::start(
            s.dir.path(),
            "bash",
            &env_of(&s),
            &format!("bash --noprofile --rcfile {} -i", rc.display()),
            100,
            20,
        );
        let screen = t.wait("the segment in PS1", |sc| sc.contains(SEG));
        let line = screen.lines().find(|l| l.contains(SEG)).unwrap();
        assert!(line.starts_with(&format!("{SEG} mine>")), "{form}: segment then the user's PS1: {line:?}");
        t.type_line("false");
        t.type_line("echo rc=$?");
        t.wait("rc=1", |sc| sc.contains("rc=1"));
        // ${PS1@P}: bash's own expansion turns \[ \] into \001 \002 around the colours.
        t.type_line("printf '%s' \"${PS1@P}\" | cat -v; echo; declare -p PROMPT_COMMAND");
        let sc = t.wait("the expanded prompt and PROMPT_COMMAND", |sc| {
            sc.contains("^A^[[31m^B5h ~15% ") && sc.contains("PROMPT_COMMAND=")
        });
        assert!(sc.contains("28m^A^[[0m^B mine>"), "{form}: {sc}");
        assert!(!sc.contains("\\[") && !sc.contains("\\]"), "{form}: {sc}");
        assert_eq!(sc.matches("_runway_hook").count(), 1, "{form}: installed once: {sc}");
        assert!(sc.contains("history -a"), "{form}: the user's command is kept: {sc}");
    }
}

#[test]
fn fish_right_prompt_wraps_the_users() {
    if !have("fish") || !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let conf = s.dir.path().join("xdg/fish");
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(
        conf.join("config.fish"),
        format!(
            "set -g fish_greeting ''\nfunction fish_prompt; echo -n '> '; end\nfunction fish_right_prompt; echo -n \"[mine $status]\"; end\n'{BIN}' init fish | source\n'{BIN}' init fish | source\n"
        ),
    )
    .unwrap();
    let mut env = env_of(&s);
    env.push(("XDG_CONFIG_HOME", s.dir.path().join("xdg").display().to_string()));
    env.push(("XDG_DATA_HOME", s.dir.path().join("data").display().to_string()));
    let t = Tmux::start(s.dir.path(), "fish", &env, "fish", 100, 20);
    let screen = t.wait("the segment in the right prompt", |sc| sc.contains(SEG));
    let line = screen.lines().find(|l| l.contains(SEG)).unwrap();
    assert!(line.trim_end().ends_with(&format!("{SEG} [mine 0]")), "{line:?}");
    assert_eq!(line.matches("5h ").count(), 1, "wrapped once: {line:?}");
    t.type_line("false");
    // The user's right prompt still sees the status of the command, and so does the next command.
    t.wait("the status in the user's right prompt", |sc| sc.contains("[mine 1]"));
    t.type_line("false; echo rc=$status");
    t.wait("rc=1", |sc| sc.contains("rc=1"));
    t.type_line("fish_right_prompt | cat -v; echo");
    t.wait("raw ANSI in fish", |sc| sc.contains("^[[31m5h ~15% "));
}

#[test]
fn print_only_defines_a_function_and_no_hook() {
    if !have("zsh") || !have("bash") || !have("fish") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let env = env_of(&s);
    let run = |shell: &str, script: String| {
        let mut c = sandboxed(s.dir.path(), shell);
        for (k, v) in &env {
            c.env(k, v);
        }
        let o = c.arg("-c").arg(script).output().unwrap();
        assert!(o.status.success(), "{shell}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let z = run(
        "zsh",
        format!(
            "{}; print -r -- \"$(runway_segment)\"; print -r -- ${{#precmd_functions}}",
            init_line("zsh", " --print-only")
        ),
    );
    assert!(z.contains(&format!("%{{\x1b[31m%}}{}", SEG.replace('%', "%%"))), "{z:?}");
    assert!(z.trim_end().ends_with('0'), "no hook: {z:?}");
    let b = run(
        "bash",
        format!("{}; runway_segment; echo; echo \"pc=${{PROMPT_COMMAND-}}\"", init_line("bash", " --print-only")),
    );
    assert!(b.contains(SEG) && b.contains("pc=\n"), "{b:?}");
    let f = run(
        "fish",
        format!(
            "'{BIN}' init fish --print-only | source; runway_segment; functions -q _runway_user_right_prompt; or echo no-wrap"
        ),
    );
    assert!(f.contains(SEG) && f.contains("no-wrap"), "{f:?}");
}

#[test]
fn init_scripts_are_strict_mode_clean() {
    // Like zoxide: evaluating the scripts under -e -u prints nothing and fails nothing.
    let home = tempfile::tempdir().unwrap();
    for (shell, args) in [
        ("bash", vec!["--noprofile", "--norc", "-e", "-u", "-o", "pipefail", "-c"]),
        ("zsh", vec!["-e", "-u", "--no-rcs", "-c"]),
    ] {
        if !have(shell) {
            continue;
        }
        for extra in ["", " --print-only"] {
            let o = sandboxed(home.path(), shell).args(&args).arg(init_line(shell, extra)).output().unwrap();
            assert!(o.status.success() && o.stdout.is_empty() && o.stderr.is_empty(), "{shell}{extra}: {o:?}");
        }
    }
    // bash's hook too, with a PS1 changed around it (its kept prompts are arrays).
    if have("bash") {
        let hook = "PS1='x> '; _runway_hook; PS1=\"(v) $PS1\"; _runway_hook; PS1='y> '; _runway_hook";
        let script = format!("{}\n{}\n{hook}", init_line("bash", ""), init_line("bash", ""));
        let o = sandboxed(home.path(), "bash")
            .args(["--noprofile", "--norc", "-e", "-u", "-c"])
            .arg(script)
            .output()
            .unwrap();
        assert!(o.status.success() && o.stdout.is_empty() && o.stderr.is_empty(), "bash's hook: {o:?}");
    }
    if have("fish") {
        for extra in ["", " --print-only"] {
            let o = sandboxed(home.path(), "fish")
                .args(["--no-config", "-c"])
                .arg(format!("'{BIN}' init fish{extra} | source"))
                .output()
                .unwrap();
            assert!(o.status.success() && o.stdout.is_empty() && o.stderr.is_empty(), "fish{extra}: {o:?}");
        }
    }
}

#[test]
fn tmux_status_bar_through_the_plugin() {
    if !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tmux/runway.tmux");
    // The server the person uses: #{runway} in status-right, loaded through runway.tmux.
    let inner = Tmux::start(s.dir.path(), "inner", &env_of(&s), "sh", 110, 10);
    inner.run(&["set", "-g", "status-right", "[#{runway}] #{runway}"]);
    inner.run(&["set", "-g", "status-interval", "1"]);
    inner.run(&["set", "-g", "status-right-length", "100"]);
    inner.run(&["set", "-g", "@runway-bin", BIN]);
    let out = Command::new("tmux")
        .arg("-S")
        .arg(&inner.sock)
        .args(["run-shell", &plugin.display().to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let right = inner.run(&["show", "-gv", "status-right"]);
    assert_eq!(right.matches("prompt --shell tmux").count(), 2, "every #{{runway}} replaced: {right}");
    // A real client draws that status bar inside a pane of a second server, which we read back.
    let outer = client_of(&s, &inner);
    let screen = outer.wait("the segment in the status bar", |sc| sc.contains(&format!("[{SEG}] {SEG}")));
    let bar = screen.lines().find(|l| l.contains(SEG)).unwrap();
    assert!(!bar.contains("#[") && !bar.contains("##") && !bar.contains('\x1b'), "{bar:?}");
    // Drawn white on red, bold, on tmux's default black-on-green bar: the colours came through tmux's
    // own styles, and the bar's come back after the segment.
    let coloured = outer.run(&["capture-pane", "-e", "-p", "-t", "t"]);
    let colored_line = coloured.lines().find(|l| l.contains("5h ~15%")).unwrap();
    assert!(colored_line.contains("\x1b[1m\x1b[37m\x1b[41m5h ~15%"), "{colored_line:?}");
    assert!(colored_line.contains("\x1b[0m\x1b[30m\x1b[42m]"), "{colored_line:?}");
}

/// A real client of `inner`'s session, in a pane of a second server whose screen is read back.
fn client_of(s: &Sandbox, inner: &Tmux) -> Tmux {
    Tmux::start(s.dir.path(), "outer", &env_of(s), &format!("tmux -S {} attach -t t", inner.sock.display()), 120, 12)
}

#[test]
fn tmux_plugin_takes_any_path_and_a_colour_in_its_arguments() {
    if !have("tmux") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let plugin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tmux/runway.tmux");
    // `&` was the matched text to bash 5.2's ${//} (status-right grew at every set-option), `%` went
    // through strftime and `#F` was the window's flags: the colour became `*F8800`.
    let dir = s.dir.path().join("R&D 100% #F");
    std::fs::create_dir_all(&dir).unwrap();
    let bin = dir.join("runway");
    std::fs::copy(BIN, &bin).unwrap();
    let inner = Tmux::start(s.dir.path(), "inner", &env_of(&s), "sh", 110, 10);
    inner.run(&["set", "-g", "status-right", "[#{runway}]"]);
    inner.run(&["set", "-g", "status-interval", "1"]);
    inner.run(&["set", "-g", "@runway-bin", &bin.display().to_string()]);
    inner.run(&["set", "-g", "@runway-args", "--set color_warn=#FF8800"]);
    let mut run = Command::new("tmux");
    run.arg("-S").arg(&inner.sock).args(["run-shell", &plugin.display().to_string()]);
    assert!(run.output().unwrap().status.success());
    let right = inner.run(&["show", "-gv", "status-right"]);
    for i in 2..5 {
        inner.run(&["set", "-g", "status-interval", &i.to_string()]);
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(inner.run(&["show", "-gv", "status-right"]), right, "the same after more set-options");
    let outer = client_of(&s, &inner);
    let screen = outer.wait("the segment in the status bar", |sc| sc.contains(&format!("[{SEG}]")));
    assert!(!screen.contains("doctor"), "{screen}");
}

#[test]
fn tmux_mode_never_reads_stdin() {
    let s = Sandbox::claude_fixture();
    // A pipe that is never closed, as tmux hands its jobs: the segment must still come back at once.
    let mut child = s
        .cmd()
        .args(["--now", NOW, "--limit-cost", "10", "prompt", "--shell", "tmux"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let keep_open = child.stdin.take();
    let start = Instant::now();
    let mut seg = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut seg).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(start.elapsed() < Duration::from_secs(10));
    drop(keep_open);
    assert_eq!(seg, format!("#[fg=white,bg=red,bold]{SEG}#[default]"));
}

/// A virtualenv's `activate` puts `(v) ` in front of the PS1 it finds, which holds the segment, and
/// `deactivate` puts back the PS1 it kept then: one segment either way, as fresh as the prompt (a copy
/// kept in the base would show beside it, never to change again).
#[test]
fn a_virtualenv_around_the_prompt_leaves_one_segment() {
    if !have("bash") || !have("tmux") || !have("python3") {
        return;
    }
    let s = Sandbox::claude_fixture();
    let venv = s.dir.path().join("v");
    let venv2 = s.dir.path().join("v2");
    let make = |at: &Path| Command::new("python3").args(["-m", "venv", "--without-pip"]).arg(at).status();
    if !(make(&venv).is_ok_and(|st| st.success()) && make(&venv2).is_ok_and(|st| st.success())) {
        assert!(std::env::var_os("RUNWAY_REQUIRE_HOSTS").is_none(), "python3's venv is required here but missing");
        return skipped("python3 -m venv is not installed (.ci/run installs python3-venv)");
    }
    let rc = s.dir.path().join("bashrc");
    // Without colour, a shorter segment can be a part of a longer one, as the text alone.
    std::fs::write(&rc, format!("PS1='mine> '\nexport RUNWAY_COLOR=never\n{}\n", init_line("bash", ""))).unwrap();
    let command = format!("bash --noprofile --rcfile {} -i", rc.display());
    let t = Tmux::start(s.dir.path(), "venv", &env_of(&s), &command, 100, 20);
    t.wait("the segment in PS1", |sc| sc.contains(&format!("{SEG} mine>")));
    t.type_line(&format!("source {}/bin/activate", venv.display()));
    t.wait("the virtualenv's name after the segment", |sc| sc.contains(&format!("{SEG} (v) mine>")));
    // The segment changes while the virtualenv is on (to a part of the old one): what `deactivate`
    // puts back holds the old one, whole.
    t.type_line("export RUNWAY_FORMAT='{label} {mark}{used}'; clear");
    t.wait("the new segment", |sc| sc.trim_end().ends_with("5h ~15% (v) mine>"));
    t.type_line("deactivate; clear");
    let sc = t.wait("the prompt put back", |sc| sc.trim_end().ends_with("5h ~15% mine>"));
    assert!(sc.matches("5h ").count() == 1 && !sc.contains("28m"), "{sc}");
    // Something edited after the segment, the segment still in front (`${PS1//"(v) "/}`).
    t.type_line("PS1=\"(w) $PS1\"; clear");
    t.wait("another prefix", |sc| sc.trim_end().ends_with("5h ~15% (w) mine>"));
    t.type_line("PS1=${PS1//\"(w) \"/}; clear");
    let sc = t.wait("the prefix taken out", |sc| sc.trim_end().ends_with("5h ~15% mine>"));
    assert_eq!(sc.matches("5h ").count(), 1, "{sc}");
    // From one virtualenv to another: `activate` puts back the PS1 the first kept (its segment then)
    // and puts `(v2) ` in front of it.
    t.type_line(&format!("unset RUNWAY_FORMAT; source {}/bin/activate; clear", venv.display()));
    t.wait("the first virtualenv", |sc| sc.trim_end().ends_with(&format!("{SEG} (v) mine>")));
    t.type_line("export RUNWAY_FORMAT='{label} {mark}{used}'; clear");
    t.wait("the segment changed", |sc| sc.trim_end().ends_with("5h ~15% (v) mine>"));
    t.type_line(&format!("source {}/bin/activate; clear", venv2.display()));
    let sc = t.wait("the second virtualenv", |sc| sc.trim_end().ends_with("5h ~15% (v2) mine>"));
    assert_eq!(sc.matches("5h ").count(), 1, "{sc}");
}

#[test]
fn dollars_and_percents_survive_prompt_expansion() {
    // Without a learned limit the segment shows the block's cost: a `$` that bash's and zsh's prompt
    // expansion must leave alone.
    if !have("tmux") {
        return;
    }
    let early = "2026-02-11T21:00:00Z";
    let want = "5h $5.08 ↻4h00m";
    let s = Sandbox::claude_fixture();
    let mut env = env_of(&s);
    env.retain(|(k, _)| *k != "RUNWAY_NOW" && *k != "RUNWAY_LIMIT_COST");
    env.push(("RUNWAY_NOW", early.to_owned()));
    // With promptvars off, bash expands nothing after the backslashes: the `$` must not show as `\$`.
    for (name, shopt) in [("bash-dollar", ""), ("bash-novars", "shopt -u promptvars\n")] {
        if !have("bash") {
            break;
        }
        let rc = s.dir.path().join(format!("{name}.rc"));
        std::fs::write(&rc, format!("PS1='mine> '\n{shopt}{}\n", init_line("bash", ""))).unwrap();
        let command = format!("bash --noprofile --rcfile {} -i", rc.display());
        let t = Tmux::start(s.dir.path(), name, &env, &command, 100, 10);
        t.wait(&format!("a literal $ in PS1 ({name})"), |sc| sc.contains(&format!("{want} mine>")));
    }
    if have("zsh") {
        let zdot = s.dir.path().join("zdot");
        std::fs::create_dir_all(&zdot).unwrap();
        std::fs::write(zdot.join(".zshrc"), format!("PROMPT='%# '\n{}\n", init_line("zsh", ""))).unwrap();
        let mut env = env.clone();
        env.push(("ZDOTDIR", zdot.display().to_string()));
        let t = Tmux::start(s.dir.path(), "zsh-dollar", &env, "zsh -i", 100, 10);
        t.wait("a literal $ in RPROMPT", |sc| sc.lines().any(|l| l.trim_end().ends_with(want)));
    }
}

#[test]
fn a_missing_host_is_a_skip_the_runner_shows() {
    // This test binary again, for one host test, on a PATH where fish is missing: the skip is a line in
    // what `cargo test` prints, and a failure where hosts are required.
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let sh = Command::new("sh").args(["-c", "command -v sh"]).output().unwrap();
    std::os::unix::fs::symlink(String::from_utf8_lossy(&sh.stdout).trim(), bin.join("sh")).unwrap();
    let run = |require: bool| {
        let mut c = Command::new(std::env::current_exe().unwrap());
        c.args(["fish_right_prompt_wraps_the_users", "--exact"])
            .env("PATH", &bin)
            .env_remove("RUNWAY_REQUIRE_HOSTS")
            .env_remove("RUST_TEST_THREADS");
        if require {
            c.env("RUNWAY_REQUIRE_HOSTS", "1");
        }
        let o = c.output().unwrap();
        (o.status.success(), format!("{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr)))
    };
    let (ok, out) = run(false);
    assert!(ok, "{out}");
    assert!(out.contains("SKIPPED fish_right_prompt_wraps_the_users: fish is not installed"), "{out}");
    let (ok, out) = run(true);
    assert!(!ok && out.contains("fish is required here but missing"), "{out}");
}

#[test]
fn a_shell_a_test_starts_keeps_to_its_sandbox() {
    // fish writes its config and data directories even with --no-config: into the sandbox's home.
    if !have("fish") {
        return;
    }
    let s = Sandbox::empty();
    let o = sandboxed(s.dir.path(), "fish").args(["--no-config", "-c", "echo $HOME"]).output().unwrap();
    assert_eq!(stdout(&o).trim(), s.home().display().to_string());
    assert!(s.home().join(".local/share/fish").is_dir() || s.home().join(".config/fish").is_dir());
}
