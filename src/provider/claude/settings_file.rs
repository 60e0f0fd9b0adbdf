//! The limits Claude Code keeps on disk: its last usage answer, cached in `~/.claude.json` (or
//! `$CLAUDE_CONFIG_DIR/.claude.json`) under `cachedUsageUtilization`: `fetchedAtMs`, and
//! `utilization` with `five_hour` and `seven_day` (`utilization` 0-100, `resets_at` ISO 8601) and
//! `limits[]` (`kind` `session`, `weekly_all` or `weekly_scoped`, `percent`, `resets_at`, for a scoped
//! one `scope.model.display_name`). The shape is observed, not documented: anything missing or odd
//! is "not shown", never an error. Only the top-level member counts: the same key nested in a
//! project's settings is someone else's.
//!
//! Only that one member is read: the file also holds account ids and other settings, none of which
//! is kept, logged or printed. The member is found by a byte search and its object cut out by
//! matching braces, so the rest of a large file is never parsed, and a torn write (a file cut short
//! while Claude Code rewrites it) gives nothing rather than a wrong figure.

use serde_json::Value;

use crate::ground::evidence::{Follow, Reading, SCOPED_WEEKLY, account_of, check};
use crate::ground::members;
use crate::ground::time::parse_rfc3339;
use crate::ground::window::Window;

const KEY: &[u8] = b"\"cachedUsageUtilization\"";

/// Claude Code's file holds settings and a project list; past this it is not what runway expects.
pub const MAX_BYTES: u64 = 32 << 20;
/// The most models' weeks one answer gives (the service lists a few), the windows besides. (An answer
/// of 100,000 limits took the first prompt 11.9 s and every next one 0.3 s.)
const MAX_MODELS: usize = 64;

/// The object that is the value of the top-level member `key` (quoted), from its `{` to the matching
/// `}`. A key of the same name nested deeper (inside a project's settings) is not it. Claude Code
/// writes the file indented by two spaces, where a top-level key is exactly one that starts a line
/// after two spaces (a JSON string holds no raw newline): a byte search finds it without looking at
/// the rest of a large file; of a key written twice, the last, as a parser takes it. A file written
/// otherwise is walked for its top-level members. (A 2.7 MB
/// file of 20,000 projects, release build: the search 0.07 ms, the walk 2.0 ms, serde_json's parse of
/// the whole 27 ms; read again whenever Claude Code rewrites it, which it does at every start.)
pub fn top_level<'a>(b: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let member = if b.starts_with(b"{\n  \"") {
        let at = memchr::memmem::find_iter(b, key).filter(|&i| i >= 3 && &b[i - 3..i] == b"\n  ").last()?;
        members::member_at(b, at).ok()?
    } else {
        let key: String = serde_json::from_slice(key).ok()?;
        members::members(b).ok()?.0.into_iter().rev().find(|m| m.key == key)?
    };
    Some(&b[member.value]).filter(|v| v.first() == Some(&b'{'))
}

/// The organisation Claude Code is signed in to (`oauthAccount.organizationUuid`), as the hash
/// readings keep (0 when the file names none): Claude Desktop's history follows it.
fn organisation(bytes: &[u8]) -> u64 {
    let Some(obj) = top_level(bytes, b"\"oauthAccount\"") else { return 0 };
    let v: Value = serde_json::from_slice(obj).unwrap_or(Value::Null);
    v.get("organizationUuid").and_then(Value::as_str).filter(|s| !s.trim().is_empty()).map_or(0, account_of)
}

fn percent(v: &Value) -> Option<f64> {
    v.as_f64().filter(|p| p.is_finite())
}

fn instant(v: &Value) -> Option<i64> {
    v.as_str().and_then(parse_rfc3339)
}

/// The readings in a `.claude.json`'s bytes, each range-checked (see `ground::evidence::check`).
/// And the organisation it is signed in to, whether or not it holds an answer.
pub fn readings(bytes: &[u8], _: Follow) -> (Vec<Reading>, u64) {
    let account = organisation(bytes);
    (answer(bytes, account), account)
}

fn answer(bytes: &[u8], account: u64) -> Vec<Reading> {
    let Some(obj) = top_level(bytes, KEY) else { return Vec::new() };
    let Ok(v) = serde_json::from_slice::<Value>(obj) else { return Vec::new() };
    let Some(observed) = v.get("fetchedAtMs").and_then(Value::as_f64).filter(|t| t.is_finite() && *t > 0.0) else {
        return Vec::new();
    };
    let observed = observed as i64;
    let util = v.get("utilization").unwrap_or(&Value::Null);
    let mut out: Vec<Reading> = Vec::new();
    let mut push = |mut r: Reading| {
        let models = out.iter().filter(|o| o.bucket.starts_with(SCOPED_WEEKLY)).count();
        if (models < MAX_MODELS || !r.bucket.starts_with(SCOPED_WEEKLY))
            && check(r.used_percent, r.resets_at, r.observed_at, r.window).is_ok()
            && !out.iter().any(|o| o.window == r.window && o.bucket == r.bucket)
        {
            r.account = account;
            out.push(r);
        }
    };
    for (key, window) in [("five_hour", Window::FiveHour), ("seven_day", Window::SevenDay)] {
        let w = util.get(key).unwrap_or(&Value::Null);
        if let (Some(p), Some(reset)) = (w.get("utilization").and_then(percent), w.get("resets_at").and_then(instant)) {
            push(Reading::new(crate::provider::claude::SPEC.provider, window, p, reset, observed));
        }
    }
    // `limits[]` under `utilization`, or beside it.
    let limits = util.get("limits").or_else(|| v.get("limits")).and_then(Value::as_array);
    for l in limits.into_iter().flatten() {
        let (Some(p), Some(reset)) = (l.get("percent").and_then(percent), l.get("resets_at").and_then(instant)) else {
            continue;
        };
        let mut r = match l.get("kind").and_then(Value::as_str) {
            Some("session") => Reading::new(crate::provider::claude::SPEC.provider, Window::FiveHour, p, reset, observed),
            Some("weekly_all") => Reading::new(crate::provider::claude::SPEC.provider, Window::SevenDay, p, reset, observed),
            Some("weekly_scoped") => Reading::new(crate::provider::claude::SPEC.provider, Window::SevenDay, p, reset, observed),
            _ => continue,
        };
        if l.get("kind").and_then(Value::as_str) == Some("weekly_scoped") {
            let name = l.pointer("/scope/model/display_name").and_then(Value::as_str).unwrap_or_default();
            // A model's name as the service gives it, kept short and plain: it reaches a prompt.
            let name: String = name.chars().filter(|c| c.is_alphanumeric() || " .-_".contains(*c)).take(40).collect();
            if name.trim().is_empty() {
                continue;
            }
            r.bucket = format!("{SCOPED_WEEKLY}{}", name.trim());
            r.label = name.trim().to_owned();
        }
        push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Follow = Follow { org: 0, until: i64::MAX };

    const FETCHED: i64 = 1_770_930_000_000; // 2026-02-12T21:00:00Z

    /// Shaped like the real file: unrelated keys around the member, ids that must not be read.
    fn file(member: &str) -> String {
        format!(
            r#"{{"numStartups": 212, "userID": "0123abcd", "oauthAccount": {{"emailAddress": "x@example.com"}},
  "projects": {{"/home/u/src/a": {{"allowedTools": [], "note": "a \"quoted\" {{brace}}"}}}},
  "cachedUsageUtilization": {member},
  "tipsHistory": {{"new-user-warmup": 7}}}}"#
        )
    }

    fn full() -> String {
        r#"{"fetchedAtMs": 1770930000000,
            "utilization": {
              "five_hour": {"utilization": 62, "resets_at": "2026-02-12T23:00:00.000Z"},
              "seven_day": {"utilization": 41.5, "resets_at": "2026-02-16T09:00:00+00:00"},
              "limits": [
                {"kind": "session", "percent": 62, "resets_at": "2026-02-12T23:00:00Z"},
                {"kind": "weekly_scoped", "percent": 91, "resets_at": "2026-02-15T09:00:00Z",
                 "scope": {"model": {"display_name": "Fable"}}},
                {"kind": "monthly_magic", "percent": 5, "resets_at": "2026-03-01T00:00:00Z"}
              ]},
            "extra_usage": {"is_enabled": false}}"#
            .into()
    }

    #[test]
    fn the_windows_and_a_per_model_weekly_limit() {
        let r = readings(file(&full()).as_bytes(), NONE).0;
        let got: Vec<(Window, &str, f64, i64)> =
            r.iter().map(|r| (r.window, r.bucket.as_str(), r.used_percent, r.observed_at)).collect();
        assert_eq!(
            got,
            vec![
                (Window::FiveHour, "", 62.0, FETCHED),
                (Window::SevenDay, "", 41.5, FETCHED),
                (Window::SevenDay, "weekly:Fable", 91.0, FETCHED),
            ],
            "the session limit repeats the 5 hours; the unknown kind is left out"
        );
        assert_eq!(r[2].label, "Fable");
        assert_eq!(r[0].resets_at, FETCHED + 2 * 3_600_000);
        // No organisation in this file's oauthAccount: none named.
        assert_eq!(r[0].account, 0);
        let named = file(&full()).replace(r#""emailAddress": "x@example.com""#, r#""organizationUuid": "org-a""#);
        let (r, org) = readings(named.as_bytes(), NONE);
        assert!(r.iter().all(|r| r.account == account_of("org-a")) && org == account_of("org-a"));
        // Named with no answer in the file (or none that holds): the organisation all the same.
        let bare = r#"{"oauthAccount": {"organizationUuid": "org-a"}}"#;
        assert_eq!(readings(bare.as_bytes(), NONE), (Vec::new(), account_of("org-a")));
    }

    #[test]
    fn only_the_top_level_member_counts() {
        // A project's settings that hold a member of the same name (90%, days old) come first in the
        // file; the top-level one (62%) is the answer, indented as Claude Code writes or not.
        let nested = full().replace("\"utilization\": 62", "\"utilization\": 90").replace("1770930000000", "1770700000000");
        let indented = format!(
            "{{\n  \"projects\": {{\n    \"/p\": {{\n      \"cachedUsageUtilization\": {nested}\n    }}\n  }},\n  \"cachedUsageUtilization\": {}\n}}",
            full()
        );
        let flat: String = format!(r#"{{"projects": {{"/p": {{"cachedUsageUtilization": {nested}}}}}, "cachedUsageUtilization": {}}}"#, full());
        for doc in [indented, flat] {
            let r = readings(doc.as_bytes(), NONE).0;
            assert_eq!(r.first().map(|r| (r.used_percent, r.observed_at)), Some((62.0, FETCHED)), "{doc}");
        }
        // Only the nested one: nothing.
        let only_nested = format!("{{\n  \"projects\": {{\n    \"/p\": {{\n      \"cachedUsageUtilization\": {nested}\n    }}\n  }}\n}}");
        assert!(readings(only_nested.as_bytes(), NONE).0.is_empty());
        assert!(readings(format!(r#"{{"a": {{"cachedUsageUtilization": {nested}}}}}"#).as_bytes(), NONE).0.is_empty());
        // A string value that spells the key is not a member.
        assert!(readings(br#"{"note": "\"cachedUsageUtilization\": {}"}"#, NONE).0.is_empty());
        // Written twice at the top: the last, as a JSON parser takes it, indented or not.
        let twice = format!("{{\n  \"cachedUsageUtilization\": {nested},\n  \"cachedUsageUtilization\": {}\n}}", full());
        for doc in [twice.clone(), twice.replace("\n  ", "\n")] {
            assert_eq!(readings(doc.as_bytes(), NONE).0.first().map(|r| r.used_percent), Some(62.0), "{doc}");
        }
    }

    #[test]
    fn odd_or_torn_files_give_nothing() {
        let whole = file(&full());
        // Cut anywhere inside the member: never a figure from half an object.
        let start = whole.find("cachedUsageUtilization").unwrap();
        let end = start + whole[start..].find("\"extra_usage\"").unwrap();
        for cut in (start..end).step_by(7) {
            assert!(readings(&whole.as_bytes()[..cut], NONE).0.is_empty(), "cut at {cut}");
        }
        // An answer of a thousand models' weeks before its windows: the first of them, a bounded
        // number, and the windows all the same.
        let mut many: Vec<String> = (0..1000)
            .map(|i| format!(r#"{{"kind": "weekly_scoped", "percent": 5, "resets_at": "2026-02-15T09:00:00Z", "scope": {{"model": {{"display_name": "m{i}"}}}}}}"#))
            .collect();
        many.push(r#"{"kind": "session", "percent": 62, "resets_at": "2026-02-12T23:00:00Z"}"#.into());
        many.push(r#"{"kind": "weekly_all", "percent": 41, "resets_at": "2026-02-16T09:00:00Z"}"#.into());
        let doc = file(&format!(r#"{{"fetchedAtMs": {FETCHED}, "utilization": {{"limits": [{}]}}}}"#, many.join(",")));
        let r = readings(doc.as_bytes(), NONE).0;
        let models = r.iter().filter(|r| r.bucket.starts_with(SCOPED_WEEKLY)).count();
        assert_eq!((r.len(), models, r[0].label.as_str()), (MAX_MODELS + 2, MAX_MODELS, "m0"));
        assert!(r.iter().any(|r| r.window == Window::FiveHour && r.used_percent == 62.0));
        assert!(readings(b"{}", NONE).0.is_empty());
        assert!(readings(file("null").as_bytes(), NONE).0.is_empty());
        assert!(
            readings(file(r#"{"utilization": {"five_hour": {"utilization": 5}}}"#).as_bytes(), NONE).0.is_empty(),
            "no time"
        );
        // Out of range, or a reset before the fetch: refused.
        let bad =
            full().replace("\"utilization\": 62", "\"utilization\": 1e9").replace("2026-02-16T09", "2026-02-01T09");
        let r = readings(file(&bad).as_bytes(), NONE).0;
        assert!(r.iter().all(|r| r.window != Window::SevenDay || !r.main()), "{r:?}");
        assert_eq!(r.iter().filter(|r| r.window == Window::FiveHour).count(), 1, "the session limit stands in");
    }
}
