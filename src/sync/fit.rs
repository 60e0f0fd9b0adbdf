//! A device file within the size the other devices read (`file::MAX_BYTES`). A real month is a few
//! kilobytes, but a device busy on many models around the clock could pass it, and a file past it
//! is refused whole on every other machine: its use would vanish from their windows. What gives way
//! first is what matters least: the split by model of the hours older than the week, then of every
//! hour (the totals of each hour stay exact), then the project names, then the oldest hours.

use super::file::{DeviceFile, Hour, MAX_BYTES, encode};
use crate::ground::time::DAY_MS;

/// The name of an hour's row that holds several models' calls.
pub const SEVERAL: &str = "several models";

/// The file's bytes, within `max`, and what was given up to fit (none when it fit as it was).
pub fn encode_within(f: &DeviceFile, max: u64) -> (Vec<u8>, Option<&'static str>) {
    let bytes = encode(f);
    if bytes.len() as u64 <= max {
        return (bytes, None);
    }
    let mut f = f.clone();
    // The windows look back a week and five hours: their split by model stays while it can.
    let week = f.written_at - 8 * DAY_MS;
    fold_models(&mut f, week);
    let bytes = encode(&f);
    if bytes.len() as u64 <= max {
        return (bytes, Some("the split by model of hours older than a week"));
    }
    fold_models(&mut f, i64::MAX);
    let bytes = encode(&f);
    if bytes.len() as u64 <= max {
        return (bytes, Some("the split by model of every hour"));
    }
    f.projects.clear();
    let mut bytes = encode(&f);
    // Then the oldest hours, a day at a time: each encoding costs a few milliseconds at this size.
    let mut from = f.tools.iter().flat_map(|t| t.hours.iter().map(|h| h.start)).min().unwrap_or(0);
    while bytes.len() as u64 > max && f.tools.iter().any(|t| !t.hours.is_empty()) {
        from += DAY_MS;
        for t in &mut f.tools {
            t.hours.retain(|h| h.start >= from);
        }
        bytes = encode(&f);
    }
    (bytes, Some("the split by model, the project names and the oldest hours"))
}

/// The file's bytes within `MAX_BYTES`.
pub fn encode_fitted(f: &DeviceFile) -> (Vec<u8>, Option<&'static str>) {
    encode_within(f, MAX_BYTES)
}

/// Each hour before `before` as one row of all its models' calls.
fn fold_models(f: &mut DeviceFile, before: i64) {
    for t in &mut f.tools {
        let mut out: Vec<Hour> = Vec::with_capacity(t.hours.len());
        for h in std::mem::take(&mut t.hours) {
            if h.start >= before {
                out.push(h);
                continue;
            }
            match out.iter_mut().rev().find(|o| o.start == h.start && o.model == SEVERAL) {
                Some(o) => {
                    o.calls += h.calls;
                    o.sums += h.sums;
                }
                None => out.push(Hour { model: SEVERAL.into(), ..h }),
            }
        }
        t.hours = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::provider::Provider;
    use crate::ground::time::HOUR_MS;
    use crate::ground::tokens::Sums;
    use crate::sync::file::{ToolUse, decode};

    const NOW: i64 = 1_770_931_800_000; // 2026-02-12T21:30:00Z

    /// 35 days of every hour on `models` models: 840 hours.
    fn busy(models: u64) -> DeviceFile {
        let top = NOW - NOW % HOUR_MS;
        let mut hours = Vec::new();
        for i in 0..840 {
            for m in 0..models {
                let sums = Sums {
                    input: 1_000 + i,
                    output: 2_000 + m,
                    cost: 1_000_000 * u128::from(m + 1),
                    ..Sums::default()
                };
                hours.push(Hour {
                    start: top - i as i64 * HOUR_MS,
                    model: format!("claude-model-{m}-20260101"),
                    calls: m + 1,
                    sums,
                });
            }
        }
        DeviceFile {
            id: "00112233aabbccdd".into(),
            name: "build box".into(),
            written_at: NOW,
            machine: 7,
            host: 8,
            tools: vec![ToolUse { provider: Provider::CLAUDE, hours, readings: vec![] }],
            projects: vec![("runway".into(), 3, 4)],
        }
    }

    fn total(f: &DeviceFile, from: i64) -> (u64, u128) {
        let hours = f.tools.iter().flat_map(|t| &t.hours).filter(|h| h.start >= from);
        hours.fold((0, 0), |(c, cost), h| (c + h.calls, cost + h.sums.cost))
    }

    #[test]
    fn a_file_that_fits_is_left_as_it_is() {
        let f = busy(2);
        let (bytes, gave) = encode_within(&f, MAX_BYTES);
        assert_eq!((bytes, gave), (encode(&f), None));
    }

    #[test]
    fn the_split_by_model_gives_way_first_and_the_totals_stay() {
        let f = busy(30);
        let whole = encode(&f).len() as u64;
        assert!(whole > MAX_BYTES, "{whole} bytes: the case is one that does not fit");
        let (bytes, gave) = encode_fitted(&f);
        assert!(bytes.len() as u64 <= MAX_BYTES, "{} bytes", bytes.len());
        assert_eq!(gave, Some("the split by model of hours older than a week"));
        let back = decode(&bytes, NOW).unwrap();
        assert_eq!(total(&back, 0), total(&f, 0), "every call and dollar kept");
        // The last week keeps its thirty models an hour; older hours are one row each.
        let week = NOW - 8 * DAY_MS;
        let rows = |from: i64, to: i64| back.tools[0].hours.iter().filter(|h| h.start >= from && h.start < to).count();
        assert_eq!(rows(week - 10 * HOUR_MS, week), 10);
        assert_eq!(rows(NOW - 10 * HOUR_MS, NOW), 300);
        assert_eq!(back.projects, f.projects);
    }

    #[test]
    fn at_the_last_the_oldest_hours_go_and_the_newest_stay() {
        let f = busy(3);
        let (bytes, gave) = encode_within(&f, 20_000);
        assert!(bytes.len() <= 20_000, "{} bytes", bytes.len());
        assert_eq!(gave, Some("the split by model, the project names and the oldest hours"));
        let back = decode(&bytes, NOW).unwrap();
        let day = NOW - DAY_MS;
        assert_eq!(total(&back, day), total(&f, day), "the newest day whole");
        assert!(total(&back, 0).0 < total(&f, 0).0);
        assert!(back.projects.is_empty());
    }
}
