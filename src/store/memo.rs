//! What one percent of each window costs, as the forecast last learned it for a set of readings
//! and a ledger: learning it looks up both ends of a dozen pairs of readings in the base (a third
//! of a warm prompt's instructions with a few hundred Codex snapshots), and its answer changes only
//! when a reading makes a new pair (a rise of 3 points) or the calls before the newest pair change:
//! not at every status line, which brings a reading each time. One line a provider in the cache
//! folder's `calibration` (checked as a whole, and each line): the provider, the key of what the
//! answer stood on, the two costs, a checksum. A line that does not check out is no answer: it is
//! learned again.

use std::io;

use crate::ground::cache::{Cache, Item};
use crate::ground::hash::key;
use crate::ground::provider::Provider;

/// The costs of one percent of the 5 hours and the week, as last learned (pico-dollars).
pub type Costs = (Option<f64>, Option<f64>);

fn line_sum(p: Provider, k: u64, c: Costs) -> u64 {
    let f = |v: Option<f64>| v.map_or(u64::MAX, f64::to_bits).to_le_bytes();
    key("calibration", &[&[p.code()], &k.to_le_bytes(), &f(c.0), &f(c.1)])
}

fn show(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:x}", v.to_bits()))
}

fn parse(s: &str) -> Option<Option<f64>> {
    if s == "-" { Some(None) } else { u64::from_str_radix(s, 16).ok().map(|b| Some(f64::from_bits(b))) }
}

fn lines(cache: &Cache, db: u64) -> Vec<(Provider, u64, Costs)> {
    let Ok(b) = cache.read_checked(Item::Calibration(db)) else { return Vec::new() };
    let text = String::from_utf8_lossy(&b);
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let [p, k, c5, c7, sum] = f[..] else { return None };
            let p = Provider::from_name(p)?;
            let k = u64::from_str_radix(k, 16).ok()?;
            let c = (parse(c5)?, parse(c7)?);
            (u64::from_str_radix(sum, 16).ok()? == line_sum(p, k, c)).then_some((p, k, c))
        })
        .collect()
}

/// The costs learned for `p` when what they stood on had key `k`.
pub fn get(cache: &Cache, db: u64, p: Provider, k: u64) -> Option<Costs> {
    lines(cache, db).into_iter().find(|(q, kk, _)| *q == p && *kk == k).map(|(_, _, c)| c)
}

/// Keeps the costs learned for `p` (a cache that cannot be written only means learning them again).
pub fn put(cache: &Cache, db: u64, p: Provider, k: u64, c: Costs) -> io::Result<()> {
    let mut all: Vec<(Provider, u64, Costs)> = lines(cache, db).into_iter().filter(|(q, _, _)| *q != p).collect();
    all.push((p, k, c));
    let text: String = all
        .iter()
        .map(|(p, k, c)| format!("{} {k:x} {} {} {:x}\n", p.name(), show(c.0), show(c.1), line_sum(*p, *k, *c)))
        .collect();
    cache.write_checked(Item::Calibration(db), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_per_provider_and_checked() {
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path().join("cache"));
        let c = &cache;
        assert_eq!(get(c, 1, Provider::CODEX, 7), None);
        put(c, 1, Provider::CODEX, 7, (Some(0.25e12), None)).unwrap();
        put(c, 1, Provider::CLAUDE, 9, (None, Some(3.5e12))).unwrap();
        assert_eq!(get(c, 1, Provider::CODEX, 7), Some((Some(0.25e12), None)));
        assert_eq!(get(c, 1, Provider::CODEX, 8), None, "another key: learned again");
        assert_eq!(get(c, 1, Provider::CLAUDE, 9), Some((None, Some(3.5e12))));
        assert_eq!(get(c, 2, Provider::CLAUDE, 9), None, "another cache folder's");
        // A flipped digit is no answer, not another one (the file's own check and the line's).
        let path = c.path(Item::Calibration(1));
        let text = std::fs::read_to_string(&path).unwrap();
        let codex = text.lines().find(|l| l.starts_with("codex")).unwrap();
        let mut f: Vec<String> = codex.split(' ').map(str::to_owned).collect();
        f[2] = format!("{:x}", u64::from_str_radix(&f[2], 16).unwrap() ^ 1);
        let bad = f.join(" ");
        let (sum, body) = text.split_once('\n').unwrap();
        assert!(body.contains(codex), "{sum}");
        std::fs::write(&path, text.replace(codex, &bad)).unwrap();
        assert_eq!(get(c, 1, Provider::CODEX, 7), None);
    }
}
