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
