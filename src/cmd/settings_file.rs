//! Editing Claude Code's `settings.json` in place: one top-level member changed, every other byte as
//! the person (or another tool) wrote it: numbers such as `99999999999999999999` or `1e2`, key order,
//! duplicate keys, spacing. A parser that re-serialises would change them, so this only finds where
//! the top-level members are.

use crate::ground::members::{Member, members as located};

/// The top-level members and where the object closes. The text must already be valid JSON (checked
/// with a real parser first); this only locates.
fn members(text: &str) -> Result<(Vec<Member>, usize), String> {
    located(text.as_bytes())
}

/// The raw text of the last `key` member's value, if there is one.
pub fn get<'a>(text: &'a str, key: &str) -> Result<Option<&'a str>, String> {
    let (m, _) = members(text)?;
    Ok(m.iter().rev().find(|m| m.key == key).map(|m| &text[m.value.clone()]))
}

/// `text` with the last `key` member's value replaced by `value`, or the member added at the end.
pub fn set(text: &str, key: &str, value: &str) -> Result<String, String> {
    let (m, close) = members(text)?;
    if let Some(existing) = m.iter().rev().find(|m| m.key == key) {
        return Ok(format!("{}{value}{}", &text[..existing.value.start], &text[existing.value.end..]));
    }
    let key_json = serde_json::to_string(key).unwrap_or_default();
    let Some(last) = m.last() else {
        return Ok(format!(
            "{}{{\n  {key_json}: {value}\n}}{}",
            &text[..text.find('{').unwrap_or(0)],
            &text[close + 1..]
        ));
    };
    // Indent like the first member.
    let first = &m[0];
    let line_start = text[..first.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..first.start];
    let indent = if indent.chars().all(char::is_whitespace) && !indent.is_empty() { indent } else { "  " };
    let sep = if text[..first.start].contains('\n') { format!(",\n{indent}") } else { ", ".into() };
    Ok(format!("{}{sep}{key_json}: {value}{}", &text[..last.value.end], &text[last.value.end..]))
}

/// `text` with the last `key` member set to `value`. When the member and `value` are both objects,
/// only the members that differ are set, each in place (a pretty-printed object stays pretty, one
/// the person added to stays); otherwise the value is replaced whole, or added.
pub fn merge(text: &str, key: &str, value: &serde_json::Value) -> Result<String, String> {
    use serde_json::Value;
    let Some(raw) = get(text, key)? else { return set(text, key, &value.to_string()) };
    let (Ok(Value::Object(old)), Value::Object(new)) = (serde_json::from_str::<Value>(raw), value) else {
        return set(text, key, &value.to_string());
    };
    let mut obj = raw.to_owned();
    for (k, v) in new {
        if old.get(k) != Some(v) {
            obj = set(&obj, k, &v.to_string())?;
        }
    }
    set(text, key, &obj)
}

/// `text` without the last `key` member (and the comma that joined it).
pub fn remove(text: &str, key: &str) -> Result<String, String> {
    let (m, close) = members(text)?;
    let Some(i) = m.iter().rposition(|m| m.key == key) else { return Ok(text.to_owned()) };
    let (start, end) = if m.len() == 1 {
        (text.find('{').map_or(0, |o| o + 1), close)
    } else if i > 0 {
        (m[i - 1].value.end, m[i].value.end)
    } else if m.len() > 1 {
        (m[0].start, m[1].start)
    } else {
        (m[0].start, m[0].value.end)
    };
    Ok(format!("{}{}", &text[..start], &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ODD: &str = "{\n    \"model\": \"opus\",\n    \"big\": 99999999999999999999,\n    \"small\": 1e2,\n    \"dup\": 1,\n    \"dup\": 2,\n    \"nested\": {\"statusLine\": \"not me\", \"s\": \"a\\\"}b\"}\n}\n";

    #[test]
    fn every_other_byte_stays() {
        let out = set(ODD, "statusLine", "{\"type\":\"command\"}").unwrap();
        assert_eq!(out, ODD.replace("\"a\\\"}b\"}\n}", "\"a\\\"}b\"},\n    \"statusLine\": {\"type\":\"command\"}\n}"));
        assert_eq!(get(&out, "statusLine").unwrap(), Some("{\"type\":\"command\"}"));
        let again = set(&out, "statusLine", "7").unwrap();
        assert_eq!(again, out.replace("{\"type\":\"command\"}", "7"), "only the value changes");
        assert_eq!(remove(&again, "statusLine").unwrap(), ODD, "and goes again whole");
        assert_eq!(get(ODD, "statusLine").unwrap(), None, "a nested key is not a top-level one");
    }

    #[test]
    fn a_pretty_object_stays_pretty() {
        let text = "{\n  \"model\": \"opus\",\n  \"statusLine\": {\n    \"type\": \"command\",\n    \"command\": \"/old/runway statusline\",\n    \"refreshInterval\": 5\n  }\n}\n";
        let want = serde_json::json!({ "type": "command", "command": "/new/runway statusline", "padding": 0 });
        assert_eq!(
            merge(text, "statusLine", &want).unwrap(),
            text.replace("/old/", "/new/")
                .replace("\"refreshInterval\": 5", "\"refreshInterval\": 5,\n    \"padding\": 0")
        );
        assert_eq!(merge("{}", "k", &want).unwrap(), set("{}", "k", &want.to_string()).unwrap(), "added whole");
        assert_eq!(merge("{\"k\": 1}", "k", &want).unwrap(), format!("{{\"k\": {want}}}"), "replaced whole");
    }

    #[test]
    fn small_objects() {
        assert_eq!(set("{}", "k", "1").unwrap(), "{\n  \"k\": 1\n}");
        assert_eq!(set("{\"a\":1}", "k", "2").unwrap(), "{\"a\":1, \"k\": 2}");
        assert_eq!(remove("{\"k\": 1, \"a\": 2}", "k").unwrap(), "{\"a\": 2}");
        assert_eq!(remove("{\"k\": 1}", "k").unwrap(), "{}");
        assert_eq!(remove(&set("{}\n", "k", "1").unwrap(), "k").unwrap(), "{}\n");
        assert!(members("[1]").is_err());
    }
}
