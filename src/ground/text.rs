//! Text from outside (a model's name, an allowance's name, a session id) kept to a sane width where it
//! enters: a 900 KB name in a transcript is stored, shown and sent as its first characters and `…`.

/// The widest name of each kind runway keeps, in characters; real ones are a tenth of it (room is left
/// for a name that is odd but meant, shown whole, as a hostile one must be to be seen for what it is).
pub const NAME: usize = 256;
/// A session id (a file's name, or a database's id for a session).
pub const SESSION: usize = 128;

/// `s` cut to `max` characters, `…` marking the cut.
pub fn cap(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some(_) => {
            let keep: String = s.chars().take(max.saturating_sub(1)).collect();
            keep + "…"
        }
    }
}

/// Controls, and the invisible format characters (Unicode's Cf, and the line and paragraph
/// separators): bidirectional controls reorder what follows, separators end a line, and zero-width
/// ones, the soft hyphen and tag characters hide or spoof a name. The zero-width joiner and
/// non-joiner are kept: some scripts and emoji need them, and they show nothing on their own.
pub fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}' | '\u{0890}'..='\u{0891}'
            | '\u{08E2}' | '\u{180E}' | '\u{200B}' | '\u{200E}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_by_characters_with_a_mark() {
        assert_eq!(cap("Opus 4.6", 8), "Opus 4.6");
        assert_eq!(cap("Opus 4.6!", 8), "Opus 4.…");
        assert_eq!(cap("日本語のモデル", 4), "日本語…");
        assert_eq!(cap(&"x".repeat(900_000), NAME).chars().count(), NAME);
    }
}
