//! Text from outside (model names, paths, display names from transcripts and payloads) cleaned once
//! before it reaches a terminal, tmux or a prompt: a control character could end a line, move the
//! cursor or recolour what follows, and a bidirectional override could make a name read backwards.

use std::borrow::Cow;

use crate::ground::text::unsafe_char;

/// `s`, unless it holds a control or invisible character: a glyph or separator goes into every
/// prompt as it is, and an escape there would clear the screen or recolour the line, and throw off
/// the width the shell counts.
pub fn printable(s: &str) -> Result<&str, String> {
    match s.chars().find(|c| unsafe_char(*c)) {
        Some(c) => Err(format!(
            "holds U+{:04X}, a control or invisible character a terminal would act on (not shown)",
            c as u32
        )),
        None => Ok(s),
    }
}

/// A session's short name, as every surface shows it: its first eight characters (a byte cut inside
/// a character printed the whole name), cleaned (a name is a file's, or a payload's).
pub fn short_id(s: &str) -> String {
    clean(&s.chars().take(8).collect::<String>()).into_owned()
}

/// A device's id as two devices of one name (`vm`, `localhost`) are told apart by: its first six
/// characters, cleaned (an id is another machine's text).
pub fn device_digits(id: &str) -> String {
    clean(&id.chars().take(6).collect::<String>()).into_owned()
}

/// `s` with every control and invisible format character replaced by `�`.
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
    fn a_short_id_is_eight_characters_cleaned() {
        assert_eq!(short_id("4d5611e5-241a-462a"), "4d5611e5");
        assert_eq!(short_id("abcdefgé\u{1b}[2J.jsonl"), "abcdefgé", "cut by characters");
        assert_eq!(short_id("\u{1b}]0;t\u{7}xyz"), "\u{FFFD}]0;t\u{FFFD}xy");
    }

    #[test]
    fn controls_and_bidi_are_replaced() {
        assert!(matches!(clean("Opus 4.6"), Cow::Borrowed("Opus 4.6")));
        assert_eq!(clean("Opus\n4.6"), "Opus\u{FFFD}4.6");
        assert_eq!(clean("a\x1b[31mb"), "a\u{FFFD}[31mb");
        assert_eq!(clean("x\u{202E}gnp.exe"), "x\u{FFFD}gnp.exe");
        assert_eq!(clean("tab\there\u{9b}"), "tab\u{FFFD}here\u{FFFD}");
        assert_eq!(clean("↻ ⚠ ≈ · 日本"), "↻ ⚠ ≈ · 日本");
        assert_eq!(
            clean("a\u{2028}b\u{200B}c\u{FEFF}d\u{AD}e\u{E0041}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}"
        );
        assert_eq!(clean("👩\u{200D}💻"), "👩\u{200D}💻");
    }

    #[test]
    fn colours_kept_other_escapes_not() {
        assert_eq!(clean_keep_colour("\x1b[1;32mok\x1b[0m"), "\x1b[1;32mok\x1b[0m");
        assert_eq!(clean_keep_colour("a\x1b]0;title\x07b"), "a\u{FFFD}]0;title\u{FFFD}b");
        assert_eq!(clean_keep_colour("x\x1b[2J\u{202E}y"), "x\u{FFFD}[2J\u{FFFD}y");
    }
}
