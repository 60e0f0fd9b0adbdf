//! What the terminal can draw: whether the locale's character set is UTF-8. With `LANG=C` a shell
//! counts `↻` as three characters and draws the typed command over the prompt. Windows sets no
//! locale variables: its consoles take UTF-16 (std writes through them) and the PowerShell snippet
//! and Claude Code read runway's output as UTF-8, so there no locale at all means UTF-8.

/// The character set of the locale in force (`LC_ALL`, then `LC_CTYPE`, then `LANG`; the first set and
/// not empty), as in `en_US.UTF-8@euro`.
fn charset(get: impl Fn(&str) -> Option<String>) -> Option<String> {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"].iter().find_map(|k| get(k).filter(|v| !v.is_empty()))?;
    let after_dot = locale.split_once('.').map(|(_, c)| c)?;
    Some(after_dot.split('@').next().unwrap_or("").to_owned())
}

pub fn utf8_with(get: impl Fn(&str) -> Option<String>) -> bool {
    charset(get).is_some_and(|c| matches!(c.to_ascii_lowercase().as_str(), "utf-8" | "utf8"))
}

/// Whether the locale draws UTF-8. No locale at all is the C locale (ASCII), except on Windows.
pub fn utf8(env: &super::env::Env) -> bool {
    utf8_on(|k| env.text(k).map(str::to_owned), super::platform::SYSTEM == super::platform::System::Windows)
}

fn utf8_on(get: impl Fn(&str) -> Option<String>, windows: bool) -> bool {
    let none = ["LC_ALL", "LC_CTYPE", "LANG"].iter().all(|k| get(k).is_none_or(|v| v.is_empty()));
    if none { windows } else { utf8_with(get) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn the_first_locale_set_decides() {
        assert!(utf8_with(env(&[("LANG", "en_US.UTF-8")])));
        assert!(utf8_with(env(&[("LANG", "de_DE.utf8@euro")])));
        assert!(!utf8_with(env(&[("LANG", "C")])));
        assert!(!utf8_with(env(&[])));
        assert!(!utf8_with(env(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")])), "LC_ALL wins");
        assert!(utf8_with(env(&[("LC_ALL", ""), ("LC_CTYPE", "C.UTF-8"), ("LANG", "C")])), "an empty one is skipped");
        assert!(!utf8_with(env(&[("LC_CTYPE", "en_US.ISO-8859-1"), ("LANG", "en_US.UTF-8")])));
    }

    #[test]
    fn windows_without_a_locale_draws_utf8() {
        assert!(utf8_on(env(&[]), true));
        assert!(utf8_on(env(&[("LANG", "")]), true));
        assert!(!utf8_on(env(&[]), false));
        assert!(!utf8_on(env(&[("LANG", "C")]), true), "a locale set says what it is, on Windows too");
        assert!(utf8_on(env(&[("LANG", "en_US.UTF-8")]), false));
    }
}
