//! Text for a person fitted to the terminal's width, the way a table printer wraps a cell: a line
//! too wide breaks between the fields it lists (` · `, `; `), else at a space, else anywhere, and
//! goes on under its text (`status`'s 12 columns of labels). Colour sequences take no width and are
//! never cut.

use unicode_width::UnicodeWidthChar;

/// The columns a character takes on a terminal: two for a wide one (CJK, most emoji), none for a
/// combining mark. Counted as one each, a model named in Japanese made a status line of 84 columns
/// in 70.
fn columns(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Visible width: the columns of the characters outside escape sequences (`ESC [ … m`).
pub fn width(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        match (esc, c) {
            (false, '\x1b') => esc = true,
            (true, 'm') => esc = false,
            (true, _) => {}
            (false, c) => n += columns(c),
        }
    }
    n
}

/// Where a line of at most `avail` columns ends in `s`: the byte where it is cut and the bytes the
/// break takes with it (a separator, a space). Prefers the end of a list item (`; `), then a field
/// separator, then a space, in the last two thirds of the room; else cuts at the edge.
fn cut(s: &str, avail: usize) -> (usize, usize) {
    let (mut item, mut field, mut space, mut edge) = (None, None, None, None);
    let (mut col, mut esc) = (0, false);
    for (i, c) in s.char_indices() {
        if esc {
            esc = c != 'm';
            continue;
        }
        if c == '\x1b' {
            esc = true;
            continue;
        }
        if col + columns(c) > avail {
            break;
        }
        let rest = &s[i..];
        let room = col >= avail / 3;
        if let Some(sep) = [" · ", " | "].into_iter().find(|sep| room && rest.starts_with(sep)) {
            field = Some((i, sep.len()));
        } else if room && rest.starts_with("; ") {
            item = Some((i + 1, 1));
        }
        if room && c == ' ' {
            space = Some((i, 1));
        }
        col += columns(c);
        edge = Some((i + c.len_utf8(), 0));
    }
    item.or(field).or(space).or(edge).unwrap_or((s.len(), 0))
}

/// One line broken into lines of at most `cols` columns, those after the first indented by `indent`.
pub fn wrap_line(line: &str, cols: usize, indent: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    let pad = " ".repeat(indent);
    while !rest.is_empty() {
        let lead = if out.is_empty() { "" } else { pad.as_str() };
        // A room too narrow to wrap into: the indent gives way.
        let lead = if cols <= lead.len() + 8 { "" } else { lead };
        let avail = cols.saturating_sub(lead.len()).max(1);
        if width(rest) <= avail {
            out.push(format!("{lead}{rest}"));
            break;
        }
        let (at, skip) = cut(rest, avail);
        out.push(format!("{lead}{}", rest[..at].trim_end()));
        rest = rest[at + skip..].trim_start();
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Every line of `text` fitted to `cols` (none: as it is); `indent` says how far each line's
/// continuation goes in.
pub fn wrap(text: &str, cols: Option<usize>, indent: impl Fn(&str) -> usize) -> String {
    let Some(cols) = cols else { return text.to_owned() };
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        if width(body) <= cols {
            out += line;
            continue;
        }
        out += &wrap_line(body, cols, indent(body)).join("\n");
        out += nl;
    }
    out
}

/// `status`'s layout: a label in the first 12 columns, continuations under the text.
pub fn status_indent(line: &str) -> usize {
    if line.starts_with("  ") { 12 } else { 2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_ignore_escapes() {
        assert_eq!(width("\x1b[31m5h 62%\x1b[0m · x"), 10);
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("日本語 · ↻2h"), 12);
        assert_eq!(wrap_line("日本語モデル · x", 7, 0), ["日本語", "モデル", "x"]);
    }

    #[test]
    fn lines_break_between_fields() {
        let line =
            "  sessions  0000c1a0 (project-1, since Sun 08:32 UTC): 94% · $0.58 · 19 calls · 672.8k tokens · cache 98%";
        let lines = wrap_line(line, 60, 12);
        assert_eq!(
            lines,
            [
                "  sessions  0000c1a0 (project-1, since Sun 08:32 UTC): 94%",
                "            $0.58 · 19 calls · 672.8k tokens · cache 98%",
            ]
        );
        let list = "  projects  a 94% · $0.58; b 6% · $0.04; c 1% · $0.01";
        assert_eq!(wrap_line(list, 40, 12), ["  projects  a 94% · $0.58; b 6% · $0.04;", "            c 1% · $0.01"]);
        assert_eq!(wrap_line(list, 50, 12), ["  projects  a 94% · $0.58; b 6% · $0.04;", "            c 1% · $0.01"]);
        // A word longer than the room is cut at its edge.
        assert_eq!(
            wrap_line("x /a/very/long/path/without/spaces", 20, 2),
            ["x /a/very/long/path/", "  without/spaces"]
        );
        // Colour is no width, and is never cut.
        let red = "\x1b[31mcache 12%\x1b[0m";
        let lines = wrap_line(&format!("  models    opus 9% · {red} · more words here"), 30, 12);
        assert!(lines.iter().all(|l| width(l) <= 30), "{lines:?}");
        assert!(lines.concat().contains(red), "{lines:?}");
        let text = "short\n  a b c d e f g h i j k l m n o p q r s t u v w x y z\n";
        let fitted = wrap(text, Some(24), status_indent);
        assert!(fitted.lines().all(|l| width(l) <= 24) && fitted.ends_with('\n'), "{fitted}");
        assert_eq!(wrap(text, None, status_indent), text);
    }
}
