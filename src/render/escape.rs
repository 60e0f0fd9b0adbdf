//! Escaping, once per target. Getting it wrong is how prompts break: zsh wants colour sequences inside
//! `%{ %}` and `%` doubled; bash wants `\[ \]` and `\`, `$` and backquote protected from its prompt
//! expansion; tmux takes no ANSI at all but `#[fg=…]`, with `#` doubled; fish and the Claude Code
//! status line take raw ANSI; `plain` is text only.

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

#[cfg(test)]
mod tests {
    use super::*;

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
