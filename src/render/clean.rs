//! Text from outside (model names, paths, display names from transcripts and payloads) cleaned once
//! before it reaches a terminal, tmux or a prompt: a control character could end a line, move the
//! cursor or recolour what follows, and a bidirectional override could make a name read backwards.

use std::borrow::Cow;

fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control and bidirectional-control character replaced by `�`.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(unsafe_char) {
        Cow::Owned(s.chars().map(|c| if unsafe_char(c) { '\u{FFFD}' } else { c }).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Like `clean`, but colour sequences (`ESC [ digits ; … m`) are kept: for another status-line tool's
/// line, shown as that tool coloured it.
pub fn clean_keep_colour(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b' {
            let tail = &rest[1..];
            let params =
                tail.strip_prefix('[').map(|t| t.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count());
            if let Some(n) = params.filter(|&n| tail.as_bytes().get(1 + n) == Some(&b'm')) {
                out.push_str(&rest[..n + 3]);
                rest = &rest[n + 3..];
                continue;
            }
        }
        out.push(if unsafe_char(c) { '\u{FFFD}' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_replaced() {
        assert!(matches!(clean("Opus 4.6"), Cow::Borrowed("Opus 4.6")));
        assert_eq!(clean("Opus\n4.6"), "Opus\u{FFFD}4.6");
        assert_eq!(clean("a\x1b[31mb"), "a\u{FFFD}[31mb");
        assert_eq!(clean("x\u{202E}gnp.exe"), "x\u{FFFD}gnp.exe");
        assert_eq!(clean("tab\there\u{9b}"), "tab\u{FFFD}here\u{FFFD}");
        assert_eq!(clean("↻ ⚠ ≈ · 日本"), "↻ ⚠ ≈ · 日本");
    }

    #[test]
    fn colours_kept_other_escapes_not() {
        assert_eq!(clean_keep_colour("\x1b[1;32mok\x1b[0m"), "\x1b[1;32mok\x1b[0m");
        assert_eq!(clean_keep_colour("a\x1b]0;title\x07b"), "a\u{FFFD}]0;title\u{FFFD}b");
        assert_eq!(clean_keep_colour("x\x1b[2J\u{202E}y"), "x\u{FFFD}[2J\u{FFFD}y");
    }
}
