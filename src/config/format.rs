//! A window's format: text with placeholders, each one runway fills. Declared here once, for the
//! setting's check and for the segment that fills them (`render::segment::window_text`).

use super::kinds::Kind;

/// The placeholders a window's format may hold (`render::segment::window_text` fills each).
pub const PLACEHOLDERS: [&str; 9] = ["label", "mark", "used", "pct", "cost", "reset_at", "reset", "warning", "next"];

/// A window's format: text with placeholders, each one runway fills (a mistyped one would reach the
/// prompt as it is).
pub struct Format;
impl Kind for Format {
    type Value = String;
    fn show(v: &String) -> String {
        v.clone()
    }
    fn parse(s: &str) -> Result<String, String> {
        let mut rest = crate::render::clean::printable(s)?;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let name = after.find('}').map(|close| &after[..close]);
            match name {
                Some(n) if PLACEHOLDERS.contains(&n) => rest = &after[n.len() + 1..],
                Some(n) => return Err(format!("`{{{n}}}` is no placeholder (known: {})", known())),
                None => return Err(format!("a `{{` with no `}}` (placeholders: {})", known())),
            }
        }
        Ok(s.to_owned())
    }
}

fn known() -> String {
    PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_holds_only_placeholders_runway_fills() {
        assert_eq!(
            Format::parse("[{label}] {pct} left:{reset} {cost}"),
            Ok("[{label}] {pct} left:{reset} {cost}".into())
        );
        assert!(Format::parse("{label} {bogus}").unwrap_err().contains("`{bogus}` is no placeholder"));
        assert!(Format::parse("{label").is_err());
    }
}
