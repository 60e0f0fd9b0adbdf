//! Numbers and times in words: `1h23m`, `1.92M`, `3.2 MiB`, dollars.

use crate::ground::time::MINUTE_MS;
use crate::ground::tokens::Pico;

/// `1h23m`, `45m`, `2d03h`; rounded up, so "0m" only when it is really now.
pub fn duration(ms: i64) -> String {
    let m = (ms.max(0) + MINUTE_MS - 1) / MINUTE_MS;
    let (d, h, m) = (m / 1440, (m % 1440) / 60, m % 60);
    if d > 0 {
        format!("{d}d{h:02}h")
    } else if h > 0 {
        format!("{h}h{m:02}m")
    } else {
        format!("{m}m")
    }
}

/// Why there is no home to look in: HOME unset, or relative (`HOME=.`), which runway takes for none.
pub fn no_home(env: &crate::ground::env::Env) -> String {
    match env.os("HOME") {
        Some(h) if !h.is_empty() => {
            format!("HOME is relative ({}), so not used", super::clean::clean(&h.to_string_lossy()))
        }
        _ => "HOME is not set".to_owned(),
    }
}

/// How long ago, in whole minutes (a time to come rounds up, a time past down): `just now` under one.
pub fn ago(ms: i64) -> String {
    if ms < MINUTE_MS { "just now".into() } else { format!("{} ago", duration(ms - ms % MINUTE_MS)) }
}

/// A time to a reset, short: `45m` under an hour, `4h` under a day, `3d` after: the long form's first
/// unit (4h30m is `4h`, as `status` begins it; the nearest unit made it `5h`, later than the reset
/// `status` gave). Minutes round up, never `0m`.
pub fn short(ms: i64) -> String {
    let m = (ms.max(0) + MINUTE_MS - 1) / MINUTE_MS;
    match m {
        ..60 => format!("{m}m"),
        60..1440 => format!("{}h", m / 60),
        _ => format!("{}d", m / 1440),
    }
}

/// `1.92M`, `44.9k`, `812`.
pub fn count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..1_000_000 => format!("{:.1}k", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.2}M", n as f64 / 1e6),
        _ => format!("{:.2}B", n as f64 / 1e9),
    }
}

pub fn bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{:.1} KiB", n as f64 / 1024.0),
        1_048_576..1_073_741_824 => format!("{:.1} MiB", n as f64 / 1_048_576.0),
        _ => format!("{:.2} GiB", n as f64 / 1_073_741_824.0),
    }
}

/// A project as a person names it: the last part of the directory the session ran in
/// (`/home/u/src/app` is `app`), or the folder name as it stands when it is no path.
pub fn project(p: &str) -> &str {
    p.trim_end_matches(['/', '\\']).rsplit(['/', '\\']).next().filter(|s| !s.is_empty()).unwrap_or(p)
}

/// A project's name among `all` shown beside it: its folder's name, with as many folders above it as
/// tell it apart (four folders called `cli` read `cli` four times: `src/cli`, `Repositories/cli`).
pub fn project_among<'a>(p: &'a str, all: &[&str]) -> &'a str {
    let parts = |s: &str| s.trim_end_matches(['/', '\\']).split(['/', '\\']).filter(|c| !c.is_empty()).count();
    for n in 1..parts(p) {
        let mine = last(p, n);
        let same = all
            .iter()
            .filter(|o| last(o, n) == mine && o.trim_end_matches(['/', '\\']) != p.trim_end_matches(['/', '\\']));
        if same.count() == 0 {
            return mine;
        }
    }
    p.trim_end_matches(['/', '\\'])
}

/// The last `n` folders of a path.
fn last(p: &str, n: usize) -> &str {
    let p = p.trim_end_matches(['/', '\\']);
    let mut at = p.len();
    for _ in 0..n {
        match p[..at].rfind(['/', '\\']) {
            Some(i) => at = i,
            None => return p,
        }
    }
    &p[at + 1..]
}

/// Premium requests from thousandths: `12`, `12.5`.
pub fn requests(milli: u64) -> String {
    let r = crate::ground::tokens::requests(milli);
    if milli.is_multiple_of(1000) { format!("{r:.0}") } else { format!("{r:.1}") }
}

/// Pico-dollars as dollars.
pub fn usd(pico: Pico) -> f64 {
    pico as f64 / 1e12
}

/// A cost as shown where calls of a model with no price may be in it: never `$0.00` for them, as if
/// they were free: `unpriced` when they are all there is, `$1.20+` beside priced ones.
pub fn priced(s: &crate::ground::tokens::Sums) -> String {
    match (s.unpriced > 0, s.cost) {
        (true, 0) => "unpriced".to_owned(),
        (true, c) => format!("${:.2}+", usd(c)),
        (false, c) => format!("${:.2}", usd(c)),
    }
}

/// Pico-dollars as dollars rounded to the micro-dollar: enough for any sum, without float noise.
pub fn dollars(pico: Pico) -> f64 {
    (pico as f64 / 1e6).round() / 1e6
}

/// A share in whole percents, a half up, as every surface shows it: `{:.0}` takes a half to the even
/// neighbour, and a reading of 62.5 read `62%` in `status` beside `63%` in the segment.
pub fn whole(p: f64) -> i64 {
    p.round() as i64
}

/// To two places; never `-0` (a rate a hair below zero is none, and `-0.0` reads as a sign in JSON).
pub fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0 + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_time_is_the_long_forms_first_unit() {
        let t = |m: i64| short(m * MINUTE_MS);
        assert_eq!([t(0), t(45), t(60), t(270), t(1439)], ["0m", "45m", "1h", "4h", "23h"]);
        assert_eq!([t(1440), t(2 * 1440 + 1439), short(30_000)], ["1d", "2d", "1m"]);
    }

    #[test]
    fn a_rounded_figure_has_no_negative_zero() {
        assert_eq!(round2(-0.001).to_string(), "0");
        assert_eq!(round2(1.005_1), 1.01);
    }

    #[test]
    fn projects_of_one_name_are_told_apart() {
        let all = ["/Users/a/Repositories/cli", "/Users/b/src/entireio/cli", "/Users/b/src/cli/", "/Users/a/web"];
        let names: Vec<&str> = all.iter().map(|p| project_among(p, &all)).collect();
        assert_eq!(names, ["Repositories/cli", "entireio/cli", "src/cli", "web"]);
        // Alike but for the first folder: the whole path. Alone: the folder's name.
        let twins = ["/x/src/cli", "/y/src/cli"];
        assert_eq!(project_among(twins[0], &twins), "/x/src/cli");
        assert_eq!(project_among("/Users/a/cli", &["/Users/a/cli"]), "cli");
        assert_eq!(project_among("C:\\work\\cli", &["C:\\work\\cli", "D:\\cli"]), "work\\cli");
    }

    #[test]
    fn ages() {
        assert_eq!(ago(5_000), "just now");
        assert_eq!(ago(MINUTE_MS + 59_000), "1m ago", "past times round down");
        assert_eq!(ago(90 * MINUTE_MS), "1h30m ago");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(83 * MINUTE_MS), "1h23m");
        assert_eq!(duration(40 * MINUTE_MS), "40m");
        assert_eq!(duration(39 * MINUTE_MS + 1), "40m", "rounds up");
        assert_eq!(duration(0), "0m");
        assert_eq!(duration(-5), "0m");
        assert_eq!(duration((2 * 1440 + 3 * 60 + 5) * MINUTE_MS), "2d03h");
    }

    #[test]
    fn counts_and_sizes() {
        assert_eq!(count(812), "812");
        assert_eq!(count(44_908), "44.9k");
        assert_eq!(count(1_918_612), "1.92M");
        assert_eq!(bytes(3 * 1_048_576 + 200_000), "3.2 MiB");
        assert_eq!(dollars(1_535_243_400_000), 1.535243);
    }
}
