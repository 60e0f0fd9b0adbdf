//! JSON another writer got slightly wrong, read as near as it can be rather than lost whole.
//!
//! - Half of a UTF-16 pair: JavaScript's `JSON.stringify` writes a string cut between the two halves
//!   of an emoji (a path, a title cut to length) as a lone `\udXXX` escape, which is not Unicode and
//!   which serde_json refuses, and with it the whole document. A status-line payload with one in a
//!   folder's name lost its rate limits, model and cost.
//! - Bytes that are not UTF-8 (a folder named in another encoding): a transcript line with them in
//!   its `cwd` lost its call.
//!
//! Both become U+FFFD. Only a document that failed to parse is looked at again, so a valid one costs
//! nothing more.

use std::borrow::Cow;

/// `json` repaired, when it had something to repair (else `None`: a document that failed for another
/// reason fails the same way).
pub fn repaired(json: &[u8]) -> Option<Vec<u8>> {
    let text = String::from_utf8_lossy(json);
    let lossy = matches!(text, Cow::Owned(_));
    match lone_surrogates_replaced(text.as_bytes()) {
        Some(fixed) => Some(fixed),
        None => lossy.then(|| text.into_owned().into_bytes()),
    }
}

/// `json` parsed, or as repaired when only that parses: for a document read into owned values.
pub fn parsed<T: serde::de::DeserializeOwned>(json: &[u8]) -> serde_json::Result<T> {
    serde_json::from_slice(json).or_else(|e| repaired(json).map_or(Err(e), |b| serde_json::from_slice(&b)))
}

/// `json` with every lone surrogate escape written as `\ufffd`, when it has one (else `None`: a
/// document that failed for another reason fails the same way).
fn lone_surrogates_replaced(json: &[u8]) -> Option<Vec<u8>> {
    let mut out = json.to_vec();
    let mut changed = false;
    let mut i = 0;
    while i < json.len() {
        if json[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = unit_at(json, i) else {
            i += 2; // any other escape, `\\` among them: its second byte escapes nothing
            continue;
        };
        let next = unit_at(json, i + 6);
        let pair = (0xD800..0xDC00).contains(&unit) && next.is_some_and(|n| (0xDC00..0xE000).contains(&n));
        if pair {
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            out[i + 2..i + 6].copy_from_slice(b"fffd");
            changed = true;
            i += 6;
        } else {
            i += 6;
        }
    }
    changed.then_some(out)
}

/// The code unit of a `\uXXXX` escape at `at`.
fn unit_at(json: &[u8], at: usize) -> Option<u32> {
    let e = json.get(at..at + 6)?;
    if e[0] != b'\\' || e[1] != b'u' {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(&e[2..]).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_halves_become_the_replacement_character() {
        let fixed = |s: &str| repaired(s.as_bytes()).map(|b| String::from_utf8(b).unwrap());
        assert_eq!(fixed(r#"{"p":"/a\ud83d"}"#).as_deref(), Some(r#"{"p":"/a\ufffd"}"#));
        assert_eq!(fixed(r#"["\ude00x\ud83d\ud83d\ude00"]"#).as_deref(), Some(r#"["\ufffdx\ufffd\ud83d\ude00"]"#));
        // A pair, an escaped backslash before `ud83d`, other escapes: nothing to do.
        assert_eq!(fixed(r#"["\ud83d\ude00", "\\ud83d", "\n\u00e9"]"#), None);
        let v: serde_json::Value = serde_json::from_slice(&repaired(br#"{"p":"a\udc00"}"#).unwrap()).unwrap();
        assert_eq!(v["p"], "a\u{FFFD}");
        assert_eq!(repaired(b"{\"cwd\":\"/x\xff\"}").unwrap(), "{\"cwd\":\"/x\u{FFFD}\"}".as_bytes());
        assert_eq!(repaired(b"{\"cwd\":\"/x\"}"), None);
    }
}
