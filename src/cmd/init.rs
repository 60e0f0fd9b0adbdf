//! `runway init zsh|bash|fish|powershell`: the shell integrations, real files in `shell/` embedded here with the
//! absolute path of this binary, and the settings given to `init`, put in. (`init claude` is
//! `init_claude`.)

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::emit;
use crate::cli::Host;

const ZSH: &str = include_str!("../../shell/runway.zsh");
const BASH: &str = include_str!("../../shell/runway.bash");
const FISH: &str = include_str!("../../shell/runway.fish");
const ZSH_ONLY: &str = include_str!("../../shell/runway_segment.zsh");
const BASH_ONLY: &str = include_str!("../../shell/runway_segment.bash");
const FISH_ONLY: &str = include_str!("../../shell/runway_segment.fish");
const POWERSHELL: &str = include_str!("../../shell/runway.ps1");

pub fn run(host: Host, print_only: bool, args: &[String]) -> io::Result<ExitCode> {
    let bin = exe();
    if !named(&bin) {
        return Ok(ExitCode::from(2));
    }
    emit(&script(host, print_only, &bin, args)).map(|_| ExitCode::SUCCESS)
}

/// Whether a hook can name the binary: a path that is not text (bytes that are not UTF-8) would be
/// written with `�` in it, and the hook's check for the binary would fail at every prompt, silently.
pub fn named(bin: &Path) -> bool {
    if bin.to_str().is_some() {
        return true;
    }
    eprintln!(
        "runway: its own path, {}, is not text a shell script can hold; install it in a folder whose name is",
        bin.to_string_lossy()
    );
    false
}

/// This binary's absolute path, so that a changed PATH cannot break the prompt.
pub fn exe() -> PathBuf {
    std::env::current_exe().and_then(std::fs::canonicalize).map(plain).unwrap_or_else(|_| PathBuf::from("runway"))
}

/// A path without the `\\?\` prefix Windows' canonical paths carry, which shells do not take.
fn plain(p: PathBuf) -> PathBuf {
    match p.to_str() {
        Some(s) if s.starts_with(r"\\?\UNC\") => PathBuf::from(format!(r"\\{}", &s[8..])),
        Some(s) if s.starts_with(r"\\?\") => PathBuf::from(&s[4..]),
        _ => p,
    }
}

/// Quotes a word for sh-like shells (and for Claude Code's command, which runs through a shell).
pub fn sh_quote(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+:@%=,".contains(&b)) {
        return s.to_owned();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A PowerShell string: single quotes take everything literally but a quote, written twice; a
/// character past ASCII, or a control character, as `[char]0x…` added on, so that the script is
/// ASCII: PowerShell decodes `runway init powershell | Out-String` in the console's code page, where
/// a path under a user folder named `café` read `cafÃ©`, and the segment never came.
fn ps_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii() && !c.is_ascii_control();
    if s.chars().all(plain) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    // A string first, so that `+` joins strings (one UTF-16 unit a `[char]`).
    let (mut parts, mut run) = (Vec::new(), String::from("'"));
    for u in s.encode_utf16() {
        match char::from_u32(u32::from(u)).filter(|&c| plain(c)) {
            Some('\'') => run += "''",
            Some(c) => run.push(c),
            None => {
                if parts.is_empty() || run.len() > 1 {
                    parts.push(run + "'");
                }
                parts.push(format!("[char]0x{u:04x}"));
                run = String::from("'");
            }
        }
    }
    if run.len() > 1 {
        parts.push(run + "'");
    }
    format!("({})", parts.join(" + "))
}

fn fish_quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', r"\\").replace('\'', r"\'"))
}

/// The script for a shell; `print_only` defines `runway_segment` and installs no hook. `args` are
/// settings given to `init` (`--warn-at=50`), passed on to every prompt.
pub fn script(host: Host, print_only: bool, bin: &Path, args: &[String]) -> String {
    let path = bin.to_string_lossy();
    let (text, quote): (&str, fn(&str) -> String) = match (host, print_only) {
        (Host::Zsh, false) => (ZSH, sh_quote),
        (Host::Zsh, true) => (ZSH_ONLY, sh_quote),
        (Host::Bash, false) => (BASH, sh_quote),
        (Host::Bash, true) => (BASH_ONLY, sh_quote),
        (Host::Fish, false) => (FISH, fish_quote),
        (Host::Fish, true) => (FISH_ONLY, fish_quote),
        // A prompt function is all PowerShell has: it both hooks and prints.
        (Host::PowerShell, _) => (POWERSHELL, ps_quote),
        (Host::Claude, _) => return String::new(),
    };
    let extra: String = args.iter().map(|a| format!(" {}", quote(a))).collect();
    text.replace("::RUNWAY::", &quote(&path)).replace(" ::ARGS::", &extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_windows_paths_lose_their_prefix() {
        assert_eq!(plain(r"\\?\C:\Program Files\runway.exe".into()), Path::new(r"C:\Program Files\runway.exe"));
        assert_eq!(plain(r"\\?\UNC\srv\share\runway.exe".into()), Path::new(r"\\srv\share\runway.exe"));
        assert_eq!(plain("/usr/bin/runway".into()), Path::new("/usr/bin/runway"));
    }

    #[test]
    fn powershell_takes_the_binary_and_settings_literally() {
        let s = script(
            Host::PowerShell,
            false,
            Path::new(r"C:\Users\O'Neil\bin\runway.exe"),
            &["--set=format={used}".into()],
        );
        assert!(
            s.contains(
                r"& 'C:\Users\O''Neil\bin\runway.exe' prompt --shell ansi --notices '--set=format={used}' 2>$null"
            ),
            "{s}"
        );
        assert!(s.contains(r"Test-Path -LiteralPath 'C:\Users\O''Neil\bin\runway.exe' -PathType Leaf"), "{s}");
        assert!(!s.contains("::RUNWAY::") && !s.contains("::ARGS::"), "every placeholder filled: {s}");
        // Past ASCII, the script stays ASCII whatever code page reads it: `[char]`s added on.
        let bin = Path::new("C:\\Users\\caf\u{e9}\\runway.exe");
        let s = script(Host::PowerShell, false, bin, &["--set=glyph_over=\u{2715}'".into()]);
        assert!(s.is_ascii(), "{s}");
        let bin = r"('C:\Users\caf' + [char]0x00e9 + '\runway.exe')";
        assert!(s.contains(&format!("Test-Path -LiteralPath {bin} -PathType Leaf")), "{s}");
        let call = format!("& {bin} prompt --shell ansi --notices ('--set=glyph_over=' + [char]0x2715 + '''') 2>$null");
        assert!(s.contains(&call), "{s}");
        assert_eq!(ps_quote("\u{e9}t\u{e9}"), "('' + [char]0x00e9 + 't' + [char]0x00e9)");
        assert_eq!(ps_quote("\u{1f600}"), "('' + [char]0xd83d + [char]0xde00)", "past the BMP, two units");
    }

    #[test]
    fn quoting() {
        assert_eq!(sh_quote("/usr/bin/runway"), "/usr/bin/runway");
        assert_eq!(sh_quote("/a b/it's"), r"'/a b/it'\''s'");
        assert_eq!(fish_quote(r"/a b/it's\x"), r"'/a b/it\'s\\x'");
    }

    #[test]
    fn scripts_name_the_binary_and_pass_settings_on() {
        let bin = Path::new("/opt/my tools/runway");
        for host in [Host::Zsh, Host::Bash, Host::Fish] {
            for only in [false, true] {
                let s = script(host, only, bin, &["--warn-at=50".into(), "--set=format={label} {used}".into()]);
                assert!(!s.contains("::RUNWAY::") && !s.contains("::ARGS::"), "{host:?} {only}");
                assert!(s.contains("my tools/runway"), "{host:?}");
                let passed = match host {
                    Host::Fish => " '--warn-at=50' '--set=format={label} {used}'",
                    _ => " --warn-at=50 '--set=format={label} {used}'",
                };
                assert!(s.contains(passed), "{s}");
            }
        }
    }
}
