//! Where a JSON object's top-level members are in its bytes, found without parsing or re-serialising
//! the rest: `settings.json` is edited in place around them (every other byte as it was written),
//! and `.claude.json`'s one member runway reads is cut out of a file that may be megabytes of other
//! settings. Strings and escapes are respected; nothing else is checked (a caller that needs the
//! text valid checks it with a real parser).

use std::ops::Range;

/// A top-level member: its key (unescaped), where its quoted key starts, and its value's bytes.
#[derive(Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub start: usize,
    pub value: Range<usize>,
}

struct Scan<'a> {
    b: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while self.at < self.b.len() && matches!(self.b[self.at], b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
    }

    fn string(&mut self) -> Result<(), String> {
        self.at += 1;
        while self.at < self.b.len() {
            match self.b[self.at] {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Ok(());
                }
                _ => self.at += 1,
            }
        }
        Err("unterminated string".into())
    }

    /// Skips one value of any kind.
    fn value(&mut self) -> Result<(), String> {
        self.ws();
        match self.b.get(self.at) {
            Some(b'"') => self.string(),
            Some(b'{') | Some(b'[') => {
                let mut depth = 0usize;
                while self.at < self.b.len() {
                    match self.b[self.at] {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.at += 1;
                                return Ok(());
                            }
                        }
                        _ => {}
                    }
                    self.at += 1;
                }
                Err("unterminated object or array".into())
            }
            Some(_) => {
                while self.at < self.b.len()
                    && !matches!(self.b[self.at], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    self.at += 1;
                }
                Ok(())
            }
            None => Err("unexpected end".into()),
        }
    }

    /// A member whose quoted key starts here: its key and value.
    fn member(&mut self) -> Result<Member, String> {
        let start = self.at;
        self.string()?;
        let key: String = serde_json::from_slice(&self.b[start..self.at]).map_err(|e| e.to_string())?;
        self.ws();
        if self.b.get(self.at) != Some(&b':') {
            return Err("expected ':'".into());
        }
        self.at += 1;
        self.ws();
        let v = self.at;
        self.value()?;
        Ok(Member { key, start, value: v..self.at })
    }
}

/// The top-level members of the object `b` holds, and where it closes.
pub fn members(b: &[u8]) -> Result<(Vec<Member>, usize), String> {
    let mut s = Scan { b, at: 0 };
    s.ws();
    if s.b.get(s.at) != Some(&b'{') {
        return Err("not a JSON object".into());
    }
    s.at += 1;
    let mut out = Vec::new();
    loop {
        s.ws();
        match s.b.get(s.at) {
            Some(b'}') => return Ok((out, s.at)),
            Some(b',') => s.at += 1,
            Some(b'"') => out.push(s.member()?),
            _ => return Err("unexpected text".into()),
        }
    }
}

/// The member whose quoted key starts at `start` (found by the caller some faster way).
pub fn member_at(b: &[u8], start: usize) -> Result<Member, String> {
    if b.get(start) != Some(&b'"') {
        return Err("no key there".into());
    }
    Scan { b, at: start }.member()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_at_the_top_level_only_strings_respected() {
        let text = br#"{ "a": {"b": "x\"}{"}, "c" : [1, {"a": 2}], "d":3 }"#;
        let (m, close) = members(text).unwrap();
        let got: Vec<(&str, &[u8])> = m.iter().map(|m| (m.key.as_str(), &text[m.value.clone()])).collect();
        assert_eq!(got, [("a", &br#"{"b": "x\"}{"}"#[..]), ("c", br#"[1, {"a": 2}]"#), ("d", b"3")]);
        assert_eq!(close, text.len() - 1);
        assert_eq!(member_at(text, 2).unwrap(), m.into_iter().next().unwrap());
        assert!(members(br#"{"a": {"b": 1"#).is_err(), "cut short: nothing");
        assert!(members(b"[1]").is_err());
        assert!(member_at(text, 1).is_err());
    }
}
