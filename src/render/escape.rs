//! Escaping, once per target. Getting it wrong is how prompts break: zsh wants colour sequences inside
//! `%{ %}` and `%` doubled; bash wants `\[ \]` and `\`, `$` and backquote protected from its prompt
//! expansion; tmux takes no ANSI at all but `#[fg=…]`, with `#` doubled; fish and the Claude Code
//! status line take raw ANSI; `plain` is text only.

use super::clean::clean;
use super::style::{Level, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Zsh,
    Bash,
    Fish,
    Tmux,
    Plain,
    /// Raw ANSI (the Claude Code status line).
    Ansi,
}

impl Target {
    /// The targets `prompt --shell` takes.
    pub const SHELLS: [(&'static str, Target); 6] = [
        ("zsh", Target::Zsh),
        ("bash", Target::Bash),
        ("fish", Target::Fish),
        ("tmux", Target::Tmux),
        ("plain", Target::Plain),
        // For a prompt program that escapes for its shell itself (starship's custom modules).
        ("ansi", Target::Ansi),
    ];

    pub fn from_name(name: &str) -> Option<Target> {
        Target::SHELLS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }
}

/// Escapes text for the target's prompt expansion.
pub fn escape_text(s: &str, t: Target) -> String {
    match t {
        Target::Zsh => s.replace('%', "%%"),
        // Bash decodes backslashes first, then (promptvars) expands `$`, backquote and `\` once more.
        Target::Bash => s.replace('\\', r"\\\\").replace('$', r"\\$").replace('`', r"\\`"),
        Target::Tmux => s.replace('#', "##"),
        Target::Fish | Target::Plain | Target::Ansi => s.to_owned(),
    }
}

/// Wraps escaped text in the target's colour syntax.
///
/// A tmux status bar has a colour of its own (black on green by default, light on dark in most
/// themes), so a foreground colour alone can vanish into it: there the OK state keeps the bar's own
/// colours, and amber and red bring their own background.
pub fn paint(escaped: &str, lvl: Level, t: Target, style: &Style) -> String {
    let c = &style.colors;
    let color = match lvl {
        Level::Ok => &c.ok,
        Level::Warn => &c.warn,
        Level::Danger => &c.danger,
        Level::Neutral => return escaped.to_owned(),
    };
    if !style.color {
        return escaped.to_owned();
    }
    let on = format!("\x1b[{}m", color.sgr);
    let off = "\x1b[0m";
    match (t, lvl) {
        (Target::Zsh, _) => format!("%{{{on}%}}{escaped}%{{{off}%}}"),
        (Target::Bash, _) => format!("\\[{on}\\]{escaped}\\[{off}\\]"),
        (Target::Tmux, Level::Warn) => format!("#[fg=black,bg={}]{escaped}#[default]", color.tmux),
        (Target::Tmux, Level::Danger) => format!("#[fg=white,bg={},bold]{escaped}#[default]", color.tmux),
        (Target::Tmux, _) | (Target::Plain, _) => escaped.to_owned(),
        (Target::Fish | Target::Ansi, _) => format!("{on}{escaped}{off}"),
    }
}

/// A message for `tmux display-message`, shown literally. tmux runs the text through strftime (`%`)
/// and then expands it as a format, where `#()` runs a command and `#{}`/`#[]` read the server's
/// state; and an argument ending in `;` ends the command there (`\;` stands for a plain `;`).
pub fn tmux_message(s: &str) -> String {
    let mut out = clean(s).replace('#', "##").replace('%', "%%");
    if out.ends_with(';') {
        out.insert(out.len() - 1, '\\');
    }
    out
}

/// The body of a desktop notification (`notify-send`): servers read a subset of HTML there, so a
/// `<`, `>` or `&` from outside would be markup.
pub fn desktop_body(s: &str) -> String {
    clean(s).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text inside an AppleScript string literal (`osascript -e 'display notification "…"'`).
pub fn applescript(s: &str) -> String {
    clean(s).replace('\\', "\\\\").replace('"', "\\\"")
}

/// Text inside an OSC escape (terminal notifications): a BEL or ESC, or a C1 string terminator,
/// would end the escape early and let the rest reach the terminal as commands; `clean` replaces them.
pub fn osc_text(s: &str) -> String {
    clean(s).into_owned()
}

/// Text inside a PowerShell single-quoted string: a quote is doubled, the typographic ones too (PowerShell
/// takes them for quotes).
pub fn powershell_text(s: &str) -> String {
    let mut out = String::new();
    for c in clean(s).chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
            out.push(c);
        }
        out.push(c);
    }
    out
}

/// A script as `powershell.exe -EncodedCommand` takes it (base64 of its UTF-16LE), so that no command
/// line quoting stands between it and PowerShell.
pub fn powershell_encoded(script: &str) -> String {
    use base64::Engine;
    let bytes: Vec<u8> = script.encode_utf16().flat_map(u16::to_le_bytes).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_text_is_literal() {
        let hostile = "#(touch x)#{pane_current_path}#[fg=red]%F <b>&</b> \"q\" \\ \x07\x1b]0;t";
        assert_eq!(
            tmux_message(hostile),
            "##(touch x)##{pane_current_path}##[fg=red]%%F <b>&</b> \"q\" \\ \u{FFFD}\u{FFFD}]0;t"
        );
        assert_eq!(tmux_message("a;"), "a\\;", "a trailing `;` would end tmux's command");
        assert_eq!(tmux_message("a\\;"), "a\\\\;");
        assert_eq!(desktop_body(hostile).matches('<').count(), 0);
        assert!(desktop_body("<b>&</b>").starts_with("&lt;b&gt;&amp;&lt;/b&gt;"));
        assert_eq!(applescript(r#"a"b\c"#), r#"a\"b\\c"#);
        assert!(!osc_text(hostile).contains(['\x07', '\x1b']));
        assert_eq!(powershell_text("it's \u{2019}x\u{2019} $(rm)"), "it''s \u{2019}\u{2019}x\u{2019}\u{2019} $(rm)");
        // UTF-16LE, then base64: "a" is 61 00, "ab" is 61 00 62 00.
        assert_eq!(powershell_encoded("a"), "YQA=");
        assert_eq!(powershell_encoded("ab"), "YQBiAA==");
        assert_eq!(powershell_encoded("abc"), "YQBiAGMA");
    }

    #[test]
    fn escaping_per_target() {
        let s = "5h ~62% #1 $2 \\ `x`";
        assert_eq!(escape_text(s, Target::Zsh), "5h ~62%% #1 $2 \\ `x`");
        assert_eq!(escape_text(s, Target::Tmux), "5h ~62% ##1 $2 \\ `x`");
        assert_eq!(escape_text(s, Target::Bash), r"5h ~62% #1 \\$2 \\\\ \\`x\\`");
        assert_eq!(escape_text(s, Target::Plain), s);
    }

    #[test]
    fn colours_per_target() {
        let st = Style::default();
        assert_eq!(paint("a", Level::Ok, Target::Zsh, &st), "%{\x1b[32m%}a%{\x1b[0m%}");
        assert_eq!(paint("a", Level::Warn, Target::Bash, &st), "\\[\x1b[33m\\]a\\[\x1b[0m\\]");
        assert_eq!(paint("a", Level::Danger, Target::Tmux, &st), "#[fg=white,bg=red,bold]a#[default]");
        assert_eq!(paint("a", Level::Warn, Target::Tmux, &st), "#[fg=black,bg=yellow]a#[default]");
        assert_eq!(paint("a", Level::Ok, Target::Tmux, &st), "a", "the bar's own colours");
        assert_eq!(paint("a", Level::Ok, Target::Fish, &st), "\x1b[32ma\x1b[0m");
        assert_eq!(paint("a", Level::Ok, Target::Plain, &st), "a");
        let mono = Style { color: false, ..Style::default() };
        assert_eq!(paint("a", Level::Danger, Target::Zsh, &mono), "a");
    }
}
