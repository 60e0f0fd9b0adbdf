//! What the forecast last worked out from a set of readings and a ledger, kept between runs: what
//! one percent of each window costs (learning it looks up both ends of a dozen pairs of readings in
//! the base, a third of a warm prompt's instructions with a few hundred Codex snapshots; its answer
//! changes only when a reading makes a new pair or the calls before the newest pair change), and the
//! account's completed windows over other devices' hours (a sum over the ledger for each: +0.7 ms a
//! prompt with five devices' heavy weeks; its answer changes when a call or another device's hour
//! arrives, or a window ends); and the end of the account's window running (a walk over a day of
//! both, a dozen pages of the base: 0.06 ms of the 0.08 five devices cost a warm prompt). One line
//! a kind and provider in the cache folder's `calibration` (checked as a whole, and each line): the
//! kind, the provider, the key of what the answer stood on, its figures, a checksum. A line that
//! does not check out is no answer: it is worked out again.

use std::io;

use crate::ground::cache::{Cache, Item};
use crate::ground::hash::key;
use crate::ground::provider::Provider;
use crate::ground::tokens::Pico;

/// The costs of one percent of the 5 hours and the week, as last learned (pico-dollars).
pub type Costs = (Option<f64>, Option<f64>);
/// The account's completed 5-hour windows over other devices' hours: the largest (tokens, cost) and
/// how many held enough calls to count.
pub type AccountWindows = (Option<(u64, Pico)>, usize);

type Line = (String, Provider, u64, Vec<Option<u64>>);

fn line_sum(kind: &str, p: Provider, k: u64, v: &[Option<u64>]) -> u64 {
    let figures: Vec<u8> = v.iter().flat_map(|x| x.unwrap_or(u64::MAX).to_le_bytes()).collect();
    key("calibration", &[kind.as_bytes(), &[p.code()], &k.to_le_bytes(), &figures])
}

fn show(v: Option<u64>) -> String {
    v.map_or("-".into(), |v| format!("{v:x}"))
}

fn parse(s: &str) -> Option<Option<u64>> {
    if s == "-" { Some(None) } else { u64::from_str_radix(s, 16).ok().map(Some) }
}

fn lines(cache: &Cache, db: u64) -> Vec<Line> {
    let Ok(b) = cache.read_checked(Item::Calibration(db)) else { return Vec::new() };
    let text = String::from_utf8_lossy(&b);
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let [kind, p, k, figures @ .., sum] = &f[..] else { return None };
            let p = Provider::from_name(p)?;
            let k = u64::from_str_radix(k, 16).ok()?;
            let v = figures.iter().map(|x| parse(x)).collect::<Option<Vec<_>>>()?;
            (u64::from_str_radix(sum, 16).ok()? == line_sum(kind, p, k, &v)).then(|| (kind.to_string(), p, k, v))
        })
        .collect()
}

/// The file as read once for a run (every tool's answers of both kinds: a read each cost a warm
/// prompt with two tools and other devices four reads of it).
pub struct Memo(Vec<Line>);

pub fn load(cache: &Cache, db: u64) -> Memo {
    Memo(lines(cache, db))
}

impl Memo {
    fn figures(&self, kind: &str, p: Provider, k: u64) -> Option<&[Option<u64>]> {
        self.0.iter().find(|(q, pp, kk, _)| q == kind && *pp == p && *kk == k).map(|l| l.3.as_slice())
    }

    /// The costs learned for `p` when what they stood on had key `k`.
    pub fn percent(&self, p: Provider, k: u64) -> Option<Costs> {
        let [c5, c7] = *self.figures("percent", p, k)? else { return None };
        Some((c5.map(f64::from_bits), c7.map(f64::from_bits)))
    }

    /// The account's windows walked for `p` when what they stood on had key `k`.
    pub fn account(&self, p: Provider, k: u64) -> Option<AccountWindows> {
        let [tokens, cost_hi, cost_lo, held] = *self.figures("account", p, k)? else { return None };
        let largest = match (tokens, cost_hi, cost_lo) {
            (Some(t), Some(h), Some(l)) => Some((t, (u128::from(h) << 64) | u128::from(l))),
            _ => None,
        };
        Some((largest, held? as usize))
    }

    /// The end of the account's running 5-hour window worked out for `p` when what it stood on had
    /// key `k`: `Some(None)` when none runs.
    pub fn window_end(&self, p: Provider, k: u64) -> Option<Option<i64>> {
        let [end] = *self.figures("window-end", p, k)? else { return None };
        Some(end.map(|e| e as i64))
    }
}

/// An answer to keep, with the key of what it stood on.
pub enum Answer {
    Percent(Costs),
    Account(AccountWindows),
    WindowEnd(Option<i64>),
}

impl Answer {
    fn line(&self) -> (&'static str, Vec<Option<u64>>) {
        match *self {
            Answer::Percent(c) => ("percent", vec![c.0.map(f64::to_bits), c.1.map(f64::to_bits)]),
            Answer::Account((largest, held)) => {
                let (t, h, l) = match largest {
                    Some((t, c)) => (Some(t), Some((c >> 64) as u64), Some(c as u64)),
                    None => (None, None, None),
                };
                ("account", vec![t, h, l, Some(held as u64)])
            }
            Answer::WindowEnd(end) => ("window-end", vec![end.map(|e| e as u64)]),
        }
    }
}

/// Keeps `answers` for `p` in one write, each in place of the last of its kind (a cache that cannot
/// be written only means working them out again).
pub fn put(cache: &Cache, db: u64, p: Provider, answers: &[(u64, Answer)]) -> io::Result<()> {
    if answers.is_empty() {
        return Ok(());
    }
    let new: Vec<Line> = answers
        .iter()
        .map(|(k, a)| {
            let (kind, v) = a.line();
            (kind.to_owned(), p, *k, v)
        })
        .collect();
    let mut all: Vec<Line> =
        lines(cache, db).into_iter().filter(|(q, pp, _, _)| !(*pp == p && new.iter().any(|n| &n.0 == q))).collect();
    all.extend(new);
    let text: String = all
        .iter()
        .map(|(kind, p, k, v)| {
            let figures: Vec<String> = v.iter().map(|x| show(*x)).collect();
            format!("{kind} {} {k:x} {} {:x}\n", p.name(), figures.join(" "), line_sum(kind, *p, *k, v))
        })
        .collect();
    cache.write_checked(Item::Calibration(db), text.as_bytes())
}

#[cfg(test)]
fn get(cache: &Cache, db: u64, p: Provider, k: u64) -> Option<Costs> {
    load(cache, db).percent(p, k)
}

#[cfg(test)]
fn get_account(cache: &Cache, db: u64, p: Provider, k: u64) -> Option<AccountWindows> {
    load(cache, db).account(p, k)
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
        put(c, 1, Provider::CODEX, &[(7, Answer::Percent((Some(0.25e12), None)))]).unwrap();
        put(c, 1, Provider::CLAUDE, &[(9, Answer::Percent((None, Some(3.5e12))))]).unwrap();
        assert_eq!(get(c, 1, Provider::CODEX, 7), Some((Some(0.25e12), None)));
        assert_eq!(get(c, 1, Provider::CODEX, 8), None, "another key: learned again");
        assert_eq!(get(c, 1, Provider::CLAUDE, 9), Some((None, Some(3.5e12))));
        assert_eq!(get(c, 2, Provider::CLAUDE, 9), None, "another cache folder's");
        // A flipped digit is no answer, not another one (the file's own check and the line's).
        let path = c.path(Item::Calibration(1));
        let text = std::fs::read_to_string(&path).unwrap();
        let codex = text.lines().find(|l| l.starts_with("percent codex")).unwrap();
        let mut f: Vec<String> = codex.split(' ').map(str::to_owned).collect();
        f[3] = format!("{:x}", u64::from_str_radix(&f[3], 16).unwrap() ^ 1);
        let bad = f.join(" ");
        let (sum, body) = text.split_once('\n').unwrap();
        assert!(body.contains(codex), "{sum}");
        std::fs::write(&path, text.replace(codex, &bad)).unwrap();
        assert_eq!(get(c, 1, Provider::CODEX, 7), None);
    }

    #[test]
    fn the_accounts_windows_are_kept_beside_the_costs() {
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path().join("cache"));
        let c = &cache;
        put(c, 1, Provider::CLAUDE, &[(9, Answer::Percent((Some(0.25e12), None)))]).unwrap();
        // A cost past a u64 of pico-dollars ($18M) is kept whole.
        let big = (Some((7_000_000, (1u128 << 70) + 5)), 12);
        put(c, 1, Provider::CLAUDE, &[(4, Answer::Account(big))]).unwrap();
        put(c, 1, Provider::CODEX, &[(4, Answer::Account((None, 0)))]).unwrap();
        assert_eq!(get_account(c, 1, Provider::CLAUDE, 4), Some(big));
        assert_eq!(get_account(c, 1, Provider::CODEX, 4), Some((None, 0)));
        assert_eq!(get_account(c, 1, Provider::CLAUDE, 5), None, "another key: walked again");
        assert_eq!(get(c, 1, Provider::CLAUDE, 9), Some((Some(0.25e12), None)), "the costs kept too");
        assert_eq!(get_account(c, 1, Provider::CLAUDE, 9), None, "one kind is not the other");
    }

    #[test]
    fn the_running_windows_end_is_kept_in_the_same_write() {
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path().join("cache"));
        let c = &cache;
        let end = 1_770_912_000_000;
        put(c, 1, Provider::CLAUDE, &[(9, Answer::Percent((Some(0.25e12), None)))]).unwrap();
        put(c, 1, Provider::CLAUDE, &[(4, Answer::Account((None, 3))), (4, Answer::WindowEnd(Some(end)))]).unwrap();
        put(c, 1, Provider::CODEX, &[(4, Answer::WindowEnd(None))]).unwrap();
        let m = load(c, 1);
        assert_eq!(m.window_end(Provider::CLAUDE, 4), Some(Some(end)));
        assert_eq!(m.window_end(Provider::CODEX, 4), Some(None), "none running is an answer too");
        assert_eq!(m.window_end(Provider::CLAUDE, 5), None, "another key: walked again");
        assert_eq!(m.account(Provider::CLAUDE, 4), Some((None, 3)));
        assert_eq!(m.percent(Provider::CLAUDE, 9), Some((Some(0.25e12), None)), "the others kept");
        // A newer answer of a kind takes the older's place.
        put(c, 1, Provider::CLAUDE, &[(6, Answer::WindowEnd(Some(end + 1)))]).unwrap();
        let m = load(c, 1);
        assert_eq!((m.window_end(Provider::CLAUDE, 4), m.window_end(Provider::CLAUDE, 6)), (None, Some(Some(end + 1))));
    }
}
