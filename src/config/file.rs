//! The config file: real TOML (`key = value`, one per line, no sections but a per-tool setting's
//! table), read with the `toml` crate.
//! Every problem names the file, the line and the key.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::settings;
use crate::ground::files::{is_null_device, read_bounded};

/// A config file larger than this is not one.
pub const MAX_BYTES: u64 = 64 * 1024;

/// One `key = value` of the file, as text for the setting's kind to parse.
#[derive(Debug, PartialEq)]
pub struct Line {
    pub key: String,
    pub text: String,
    pub line: usize,
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// A TOML value as the text a flag would give; a table, for a setting that takes one (`table`), as
/// `name=value,…` (`limit_cost = { claude = 40, codex = 20 }`, or a `[limit_cost]` section).
fn as_text(v: &DeValue, table: bool) -> Result<String, String> {
    Ok(match v {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(i) => {
            i64::from_str_radix(i.as_str(), i.radix()).map_err(|_| "integer out of range".to_owned())?.to_string()
        }
        DeValue::Float(f) => f.as_str().to_owned(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(items) => {
            let mut parts = Vec::new();
            for i in items.iter() {
                match i.get_ref() {
                    DeValue::String(s) => parts.push(s.to_string()),
                    _ => return Err("expected a list of strings".into()),
                }
            }
            parts.join(",")
        }
        DeValue::Table(t) if table => {
            let mut parts = Vec::new();
            for (k, v) in t.iter() {
                let name = k.get_ref();
                if matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
                    return Err(format!("`{name}`: expected a value"));
                }
                let value = as_text(v.get_ref(), false)?;
                // One name and one value each: a `,` or `=` inside would be read as more of them.
                if [name, value.as_str()].iter().any(|t| t.contains([',', '='])) {
                    return Err(format!("`{name}`: one name and one value, without `,` or `=`"));
                }
                parts.push(format!("{name}={value}"));
            }
            parts.join(",")
        }
        DeValue::Table(_) => return Err("runway's config has no sections; put its keys at the top level".into()),
    })
}

/// `text` with its line `n` (from 1) emptied, the others where they were; false when there is no
/// such line or it is empty already.
fn empty_line(text: &mut String, n: usize) -> bool {
    let start = if n <= 1 { 0 } else { text.match_indices('\n').nth(n - 2).map_or(text.len(), |(i, _)| i + 1) };
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if start >= end {
        return false;
    }
    text.replace_range(start..end, "");
    true
}

/// Parses the text of the file at `path`: its settings, and its problems, each naming file, line
/// and key. A line that is not valid TOML is left out and said; the rest of the file still counts.
pub fn parse(text: &str, path: &Path) -> (Vec<Line>, Vec<String>) {
    parse_with(text, path, Vec::new())
}

/// `parse`, with the problems already found (by line) of lines already taken out.
fn parse_with(text: &str, path: &Path, mut bad: Vec<(usize, String)>) -> (Vec<Line>, Vec<String>) {
    let where_ = |line: usize| format!("{} line {line}", path.display());
    let mut text = text.to_owned();
    while let Err(e) = DeTable::parse(&text) {
        let line = e.span().map_or(1, |s| line_of(&text, s.start));
        bad.push((line, format!("{}: not valid TOML: {}; the line is left out", where_(line), e.message().trim())));
        if !empty_line(&mut text, line) {
            // Nothing left to take out there: the file as a whole is not read.
            return (Vec::new(), bad.into_iter().map(|(_, p)| p).collect());
        }
    }
    let in_order = |mut bad: Vec<(usize, String)>| {
        // In the file's order (the parser finds some errors before others, the table is not in order).
        bad.sort();
        bad.into_iter().map(|(_, p)| p).collect()
    };
    let Ok(table) = DeTable::parse(&text) else { return (Vec::new(), in_order(bad)) };
    let mut out = Vec::new();
    for (k, v) in table.get_ref().iter() {
        let line = line_of(&text, k.span().start);
        let key = k.get_ref().to_string();
        let Some(setting) = settings::find(&key) else {
            let problem = match v.get_ref() {
                DeValue::Table(_) => format!("unknown section `{key}` (see `runway config`)"),
                _ => settings::unknown(&key),
            };
            bad.push((line, format!("{}: {problem}", where_(line))));
            continue;
        };
        match as_text(v.get_ref(), setting.table) {
            Ok(text) => out.push(Line { key, text, line }),
            Err(e) => bad.push((line, format!("{}, `{key}`: {e}", where_(line)))),
        }
    }
    out.sort_by_key(|l: &Line| l.line);
    (out, in_order(bad))
}

/// Reads and parses the file; a missing file is no settings, nor is the null device (`/dev/null`, the
/// usual way to say "none"). Anything else that is not a small regular file
/// is refused without being read (a FIFO would hang every prompt, a link to /dev/zero fill memory).
pub fn load(path: &Path) -> (Vec<Line>, Vec<String>) {
    if is_null_device(path) {
        return (Vec::new(), Vec::new());
    }
    match read_bounded(path, MAX_BYTES) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => parse(&text, path),
            Err(e) => {
                // A line that is not UTF-8 is a bad line like any other: left out, said, the rest read.
                let mut bad = Vec::new();
                let lines: Vec<&str> = e
                    .as_bytes()
                    .split(|b| *b == b'\n')
                    .enumerate()
                    .map(|(i, l)| {
                        std::str::from_utf8(l).unwrap_or_else(|_| {
                            bad.push((
                                i + 1,
                                format!("{} line {}: not UTF-8 text; the line is left out", path.display(), i + 1),
                            ));
                            ""
                        })
                    })
                    .collect();
                parse_with(&lines.join("\n"), path, bad)
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Vec::new(), Vec::new()),
        Err(e) => (Vec::new(), vec![format!("{}: cannot be read ({e}); ignored", path.display())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> (Vec<(String, String, usize)>, Vec<String>) {
        let (lines, problems) = parse(text, Path::new("/c/config.toml"));
        (lines.into_iter().map(|l| (l.key, l.text, l.line)).collect(), problems)
    }

    #[test]
    fn real_toml() {
        let (l, p) = keys(
            "# comment\nwarn_at = 6_0\ncolor_warn = '214'\nglyph_reset = \"\\u21bb\"\nformat = \"{label} # not a comment\"\nascii = true # trailing\nproviders = [\"codex\", \"claude\"]\n",
        );
        assert!(p.is_empty(), "{p:?}");
        let get = |k: &str| l.iter().find(|x| x.0 == k).map(|x| x.1.as_str());
        assert_eq!(get("warn_at"), Some("60"));
        assert_eq!(get("color_warn"), Some("214"));
        assert_eq!(get("glyph_reset"), Some("↻"));
        assert_eq!(get("format"), Some("{label} # not a comment"));
        assert_eq!(get("ascii"), Some("true"));
        assert_eq!(get("providers"), Some("codex,claude"));
        assert_eq!(l.iter().find(|x| x.0 == "warn_at").unwrap().2, 2, "line numbers");
    }

    #[test]
    fn problems_name_file_line_and_key() {
        let (l, p) = keys("warn_at = 60\n\n[prompt]\ncolor_ok = 'red'\n");
        assert_eq!(l.len(), 1);
        assert_eq!(p, vec!["/c/config.toml line 3: unknown section `prompt` (see `runway config`)"]);
        let (_, p) = keys("bogus = 1\n");
        assert_eq!(p, vec!["/c/config.toml line 1: unknown setting `bogus` (see `runway config`)"]);
        let (_, p) = keys("warn_at = \n");
        assert!(p[0].starts_with("/c/config.toml line 1: not valid TOML"), "{p:?}");
        // One bad line takes only itself out, however it is bad.
        let (l, p) = keys("warn_at = 60\ncolor_warn = 214 x\nascii = true\n[broken\nformat = '{used}'\n");
        let l: Vec<(String, String, usize)> = l;
        assert_eq!(
            l,
            vec![
                ("warn_at".into(), "60".into(), 1),
                ("ascii".into(), "true".into(), 3),
                ("format".into(), "{used}".into(), 5)
            ]
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("/c/config.toml line 2: not valid TOML") && p[0].ends_with("the line is left out"));
        assert!(p[1].starts_with("/c/config.toml line 4: not valid TOML"), "{p:?}");
        // A line that is not UTF-8 is one more bad line.
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("config.toml");
        std::fs::write(&f, b"warn_at = 60\ncolor_warn = '\xff'\nbogus = 1\nascii = true\n").unwrap();
        let (l, p) = load(&f);
        assert_eq!(l.iter().map(|l| (l.key.as_str(), l.line)).collect::<Vec<_>>(), vec![("warn_at", 1), ("ascii", 4)]);
        let at = f.display();
        assert_eq!(
            p,
            vec![
                format!("{at} line 2: not UTF-8 text; the line is left out"),
                format!("{at} line 3: {}", settings::unknown("bogus"))
            ]
        );
        let (_, p) = keys("providers = [1, 2]\n");
        assert_eq!(p, vec!["/c/config.toml line 1, `providers`: expected a list of strings"]);
    }

    #[test]
    fn a_per_tool_setting_takes_a_table() {
        let (l, p) = keys("limit_cost = { claude = 40, codex = 20.5 }\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(l, vec![("limit_cost".into(), "claude=40,codex=20.5".into(), 1)]);
        let (l, p) = keys("warn_at = 60\n\n[limit_cost]\nclaude = 40\ncodex = '20'\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(l[1], ("limit_cost".into(), "claude=40,codex=20".into(), 3));
        // Any other setting has no table, and a table holds values.
        let (_, p) = keys("warn_at = { claude = 60 }\n");
        assert_eq!(
            p,
            vec!["/c/config.toml line 1, `warn_at`: runway's config has no sections; put its keys at the top level"]
        );
        let (_, p) = keys("limit_cost = { claude = [40] }\n");
        assert_eq!(p, vec!["/c/config.toml line 1, `limit_cost`: `claude`: expected a value"]);
        // A name or a value that would read as more of them.
        for text in ["limit_cost = { claude = \"40,codex=1\" }\n", "limit_cost = { \"claude=1,codex\" = 40 }\n"] {
            let (l, p) = keys(text);
            assert!(l.is_empty() && p[0].ends_with("one name and one value, without `,` or `=`"), "{p:?}");
        }
    }
}
