//! Claude Desktop's usage history, `plan-usage-history.json`: the 5-hour and 7-day shares of the
//! account the app is signed in to, sampled every 5 to 15 minutes while the app runs, 30 days kept.
//! The shape is observed by the tools that read it, not documented: `{"version": 2, "samples": [{"t":
//! <ms>, "org": "<uuid>", "u": {"fh": <5-hour %>, "sd": <7-day %>, "xu": <extra usage %>}}]}`, whole
//! percents rounded down, `u: {}` when the app had no figures (a failed read, not zero), several
//! organisations interleaved when the user switched. No reset time is in it: a sample joins the
//! window another source gave the reset of, or one its own series shows starting (see
//! `forecast::evidence::anchor`). Where it is: `~/Library/Application Support/Claude/` (macOS),
//! `%APPDATA%\Claude\` (Windows), `${XDG_CONFIG_HOME:-~/.config}/Claude/` (the Linux app); the setting
//! `claude_desktop_history` names it anywhere else. Sources: docs/providers.md.

use serde_json::Value;

use crate::ground::evidence::{Follow, Reading, account_of};
use crate::ground::time::DAY_MS;
use crate::ground::window::Window;

/// Samples older than this before the newest teach nothing a prompt needs (a week's window and the
/// days before it for the cost of a percent).
const KEEP_MS: i64 = 8 * DAY_MS;
/// Of an organisation's window, one sample in each slot this long (its last): the app samples every
/// 5 to 15 minutes, and a file sampled more often says nothing more about a window's pace. With one
/// organisation followed and eight days kept, a file gives at most 4,610 readings (the real app's
/// month, about 1,500 at most; 60,000 organisations of one sample each took every prompt 13 s, and
/// 20,000 samples of one 0.6 s).
const SLOT_MS: i64 = 5 * 60_000;
/// The real app's month is some 200 KB; past this the file is not what runway expects, and is not
/// read (serde's tree of 32 MiB of samples held 830 MB).
pub const MAX_BYTES: u64 = 4 << 20;

/// The file's name in the app's data directory.
pub const FILE: &str = "plan-usage-history.json";

/// The samples in the file's bytes, as readings without a reset, each range-checked (0-100, a time
/// after 2020); of each run of one figure only the first and the last, of the eight days before the
/// newest (a replay's: none after its moment exists yet); of the organisation `.claude.json` names,
/// else of the newest sample's: the one `forecast::evidence::placed` follows. It names none itself.
pub fn readings(bytes: &[u8], follow: Follow) -> (Vec<Reading>, u64) {
    (samples(bytes, follow), 0)
}

fn samples(bytes: &[u8], follow: Follow) -> Vec<Reading> {
    let Ok(v) = serde_json::from_slice::<Value>(bytes) else { return Vec::new() };
    let Some(samples) = v.get("samples").and_then(Value::as_array) else { return Vec::new() };
    let mut all: Vec<Reading> = Vec::new();
    for s in samples {
        let Some(t) = s.get("t").and_then(Value::as_f64).filter(|t| t.is_finite() && *t > 1.5e12 && *t < 1e14) else {
            continue;
        };
        let account = s.get("org").and_then(Value::as_str).map_or(0, account_of);
        let u = s.get("u").unwrap_or(&Value::Null);
        for (key, window) in [("fh", Window::FiveHour), ("sd", Window::SevenDay)] {
            let Some(p) = u.get(key).and_then(Value::as_f64).filter(|p| p.is_finite() && (0.0..=100.0).contains(p)) else {
                continue;
            };
            all.push(Reading::sample(super::SPEC.provider, window, p, t as i64, account));
        }
    }
    all.retain(|r| r.observed_at <= follow.until);
    all.sort_by_key(|r| r.observed_at);
    let newest = all.last().map_or(0, |r| r.observed_at);
    all.retain(|r| r.observed_at >= newest - KEEP_MS);
    let followed = if follow.org != 0 { follow.org } else { all.last().map_or(0, |r| r.account) };
    all.retain(|r| r.account == followed);
    runs(slots(all))
}

/// The series a reading belongs to: its organisation and window.
fn series(r: &Reading) -> (u64, Window) {
    (r.account, r.window)
}

/// Of each series' samples in one `SLOT_MS` slot, the last (`all` in time order).
fn slots(all: Vec<Reading>) -> Vec<Reading> {
    let mut next_in_slot: std::collections::HashMap<(u64, Window), i64> = std::collections::HashMap::new();
    let mut keep = vec![false; all.len()];
    for (i, r) in all.iter().enumerate().rev() {
        let slot = r.observed_at.div_euclid(SLOT_MS);
        keep[i] = next_in_slot.insert(series(r), slot) != Some(slot);
    }
    let mut k = keep.into_iter();
    all.into_iter().filter(|_| k.next().unwrap_or(false)).collect()
}

/// Of each run of one figure (per series), the first and the last (`all` in time order): each
/// reading against the one before and the one after in its series.
fn runs(all: Vec<Reading>) -> Vec<Reading> {
    let mut last: std::collections::HashMap<(u64, Window), usize> = std::collections::HashMap::new();
    let (mut prev, mut next) = (vec![None; all.len()], vec![None; all.len()]);
    for (i, r) in all.iter().enumerate() {
        if let Some(p) = last.insert(series(r), i) {
            (prev[i], next[p]) = (Some(p), Some(i));
        }
    }
    let differs = |i: usize, k: Option<usize>| k.is_none_or(|k: usize| all[k].used_percent != all[i].used_percent);
    let keep: Vec<bool> = (0..all.len()).map(|i| differs(i, prev[i]) || differs(i, next[i])).collect();
    let mut k = keep.into_iter();
    all.into_iter().filter(|_| k.next().unwrap_or(false)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The readings of a file's text, told what to follow.
    fn read(text: &str, org: u64, until: i64) -> Vec<Reading> {
        readings(text.as_bytes(), Follow { org, until }).0
    }

    const T: i64 = 1_785_247_200_000; // 2026-07-28T14:00:00Z

    fn file(samples: &str) -> String {
        format!(r#"{{"version":2,"samples":[{samples}]}}"#)
    }

    #[test]
    fn samples_runs_and_failed_reads() {
        // Shaped like the real excerpts the readers quote: `xu` with decimals on some samples.
        let min = 60_000;
        let s = [
            format!(r#"{{"t":{},"org":"a","u":{{"fh":63,"sd":29,"xu":66.68333333333332}}}}"#, T),
            format!(r#"{{"t":{},"org":"a","u":{{"fh":64,"sd":29}}}}"#, T + 5 * min),
            format!(r#"{{"t":{},"org":"a","u":{{}}}}"#, T + 10 * min),
            format!(r#"{{"t":{},"org":"a","u":{{"fh":64,"sd":29}}}}"#, T + 15 * min),
            format!(r#"{{"t":{},"org":"a","u":{{"fh":70,"sd":"x"}}}}"#, T + 20 * min),
            format!(r#"{{"t":{},"org":"a","u":{{"fh":1e9,"sd":-3}}}}"#, T + 25 * min),
        ]
        .join(",");
        let r = read(&file(&s), 0, i64::MAX);
        let five: Vec<(f64, i64)> = r
            .iter()
            .filter(|r| r.window == Window::FiveHour)
            .map(|r| (r.used_percent, (r.observed_at - T) / min))
            .collect();
        // 63, then 64 twice (its first and last), then 70; the failed read and the absurd figures
        // are no figures at all, never 0.
        assert_eq!(five, vec![(63.0, 0), (64.0, 5), (64.0, 15), (70.0, 20)]);
        let week: Vec<i64> =
            r.iter().filter(|r| r.window == Window::SevenDay).map(|r| (r.observed_at - T) / min).collect();
        assert_eq!(week, vec![0, 15], "29% from the first to the last sample that gave it");
        assert!(r.iter().all(|r| !r.anchored() && r.account == account_of("a")));
    }

    #[test]
    fn one_organisation_and_a_sample_a_slot() {
        let min = 60_000;
        let sample = |t: i64, org: &str, fh: i64| format!(r#"{{"t":{t},"org":"{org}","u":{{"fh":{fh}}}}}"#);
        // The organisation named is followed, however many others sampled after it; named by none,
        // the newest sample's.
        let mut many: Vec<String> = (0..30).map(|i| sample(T + i * min, "named", i)).collect();
        many.extend((0..6).map(|i| sample(T + (40 + i) * min, &format!("other{i}"), 10)));
        let orgs = |r: &[Reading]| r.iter().map(|r| r.account).collect::<std::collections::HashSet<_>>();
        let r = read(&file(&many.join(",")), account_of("named"), i64::MAX);
        assert_eq!(orgs(&r), [account_of("named")].into());
        assert_eq!(r.last().unwrap().observed_at, T + 29 * min, "its newest sample kept");
        assert_eq!(orgs(&read(&file(&many.join(",")), 0, i64::MAX)), [account_of("other5")].into());
        // A replay before the others sampled: the newest then, none after it.
        let r = read(&file(&many.join(",")), 0, T + 35 * min);
        assert_eq!((orgs(&r), r.last().unwrap().observed_at), ([account_of("named")].into(), T + 29 * min));
        // A sample a minute, each a new figure: the last of each five minutes.
        let r = read(&file(&many[..30].join(",")), 0, i64::MAX);
        assert_eq!(r.iter().map(|r| r.used_percent as i64).collect::<Vec<_>>(), vec![4, 9, 14, 19, 24, 29]);
    }

    #[test]
    fn old_samples_and_other_shapes() {
        let old = format!(r#"{{"t":{},"org":"a","u":{{"fh":5}}}}"#, T - 9 * DAY_MS);
        let new = format!(r#"{{"t":{},"org":"a","u":{{"fh":6}}}}"#, T);
        assert_eq!(read(&file(&format!("{old},{new}")), 0, i64::MAX).len(), 1, "nine days before the newest");
        for junk in ["", "[]", "{\"samples\": 3}", "{\"version\":2,\"samples\":[{\"t\":\"soon\",\"u\":{\"fh\":5}}]}"] {
            assert!(read(junk, 0, i64::MAX).is_empty(), "{junk}");
        }
    }
}
