//! ASCII mode's last step, once per surface: with `--ascii`, or a locale that is not UTF-8, every byte
//! runway prints is ASCII. A shell in the C locale counts each byte of `·` as a column and draws the
//! command line over the prompt; a terminal without UTF-8 shows mojibake. runway's own glyphs and
//! punctuation have ASCII forms; any other character (a project or model name from outside) becomes
//! `?`. JSON keeps every character, as a `\u` escape.

use std::borrow::Cow;

/// The ASCII form of a character runway itself writes, if it has one.
fn spelled(c: char) -> Option<&'static str> {
    Some(match c {
        '·' => "|",
        '…' => "...",
        '↻' => "T-",
        '⚠' => "!",
        '✕' => "X!",
        '≈' => "~=",
        'µ' => "u",
        '—' | '–' | '−' => "-",
        '→' => "->",
        '×' => "x",
        _ => return None,
    })
}

/// `s` with every character outside ASCII spelled in ASCII, or `?`.
pub fn fold(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_ascii() => out.push(c),
            c => out.push_str(spelled(c).unwrap_or("?")),
        }
    }
    Cow::Owned(out)
}

/// JSON text with every character outside ASCII as a `\u` escape (a UTF-16 pair beyond the BMP): the
/// same document, byte for byte ASCII. Outside strings JSON has no such characters to escape.
pub fn json(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out += &format!("\\u{u:04x}");
            }
        }
    }
    Cow::Owned(out)
}

/// TOML text (`runway config`) the same way: a basic string takes `\uXXXX` and `\UXXXXXXXX`.
pub fn toml(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c as u32 {
            _ if c.is_ascii() => out.push(c),
            n @ ..=0xFFFF => out += &format!("\\u{n:04X}"),
            n => out += &format!("\\U{n:08X}"),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_ascii() {
        assert!(matches!(fold("5h 62% T-1h"), Cow::Borrowed(_)));
        assert_eq!(fold("C ~41% ↻2h · X ≈4% ⚠ 3m ✕"), "C ~41% T-2h | X ~=4% ! 3m X!");
        assert_eq!(fold("…oject 12µs café 日本 \u{FFFD}"), "...oject 12us caf? ?? ?");
        assert_eq!(json(r#"{"p":"café 😀"}"#), r#"{"p":"caf\u00e9 \ud83d\ude00"}"#);
        let back: serde_json::Value = serde_json::from_str(&json(r#"{"p":"café 😀"}"#)).unwrap();
        assert_eq!(back["p"], "café 😀", "the same document");
        assert_eq!(toml("glyph_reset = \"↻\""), "glyph_reset = \"\\u21BB\"");
        let t: toml::Table = toml::from_str(&toml("g = \"↻😀\"")).unwrap();
        assert_eq!(t["g"].as_str(), Some("↻😀"));
    }
}
