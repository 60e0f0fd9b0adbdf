//! What a prompt or the status line found wrong (a setting, an argument), kept for `doctor`: a render
//! mode cannot say it where it prints, beyond a short marker. One file in the cache, a line per
//! problem: when it was first seen, when last, the host that saw it (`prompt --shell tmux`,
//! `statusline`) and the problem. Each host keeps its own: a tmux job and a shell prompt with
//! different arguments do not erase each other's, and each clears its own once it runs without.

use std::ffi::OsString;

use crate::ground::cache::{Cache, Item};
use crate::ground::time::{DAY_MS, HOUR_MS};

/// What a prompt or the status line shows, after the segment, while it has a problem.
pub const MARKER: &str = "runway: see doctor";

/// A problem seen again is written again (its last sighting) at most this often.
const REFRESH_MS: i64 = HOUR_MS;
/// A problem not seen for this long is gone (its host no longer runs with it).
const STALE_MS: i64 = DAY_MS;

#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub first: i64,
    pub last: i64,
    pub host: String,
    pub text: String,
}

/// The problems kept, newest first, those not seen for a day left out.
pub fn load(cache: &Cache, now: i64) -> Vec<Problem> {
    let Ok(bytes) = cache.read_checked(Item::Problems) else { return Vec::new() };
    let mut out: Vec<Problem> = String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| {
            let mut f = l.splitn(4, '\t');
            let (first, last) = (f.next()?.parse().ok()?, f.next()?.parse().ok()?);
            Some(Problem { first, last, host: f.next()?.to_owned(), text: f.next()?.to_owned() })
        })
        .filter(|p| now - p.last < STALE_MS)
        .collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.first));
    out
}

fn save(cache: &Cache, all: &[Problem]) {
    if all.is_empty() {
        let _ = cache.remove(Item::Problems);
        return;
    }
    let one_line = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let text: String = all
        .iter()
        .map(|p| format!("{}\t{}\t{}\t{}\n", p.first, p.last, one_line(&p.host), one_line(&p.text)))
        .collect();
    let _ = cache.write_checked(Item::Problems, text.as_bytes());
}

/// Keeps `problems` as what `host` saw at `now`, in place of what it saw before. Returns whether any
/// is new (the caller logs them then: once, not at every prompt). Without problems and with none kept
/// (the usual prompt) this costs one failed open.
pub fn remember(cache: &Cache, host: &str, problems: &[String], now: i64) -> bool {
    let kept = load(cache, now);
    let (mine, mut others): (Vec<Problem>, Vec<Problem>) = kept.iter().cloned().partition(|p| p.host == host);
    let new = problems.iter().any(|t| !mine.iter().any(|p| &p.text == t));
    let stale = mine.iter().any(|p| now - p.last >= REFRESH_MS);
    let gone = mine.iter().any(|p| !problems.contains(&p.text));
    if !new && !stale && !gone {
        return false;
    }
    for t in problems {
        let first = mine.iter().find(|p| &p.text == t).map_or(now, |p| p.first);
        others.push(Problem { first, last: now, host: host.to_owned(), text: t.clone() });
    }
    others.sort_by_key(|p| std::cmp::Reverse(p.first));
    save(cache, &others);
    new
}

/// The host a command line is for, as `remember` keys it: `prompt --shell tmux`, `statusline`. Read
/// from the words themselves, so that arguments clap refused still name it.
pub fn host_of(args: &[OsString]) -> String {
    let words: Vec<String> = args.iter().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    let Some(at) = words.iter().position(|w| w == "prompt" || w == "statusline" || w == "catch-up") else {
        return "runway".into();
    };
    if words[at] != "prompt" {
        return words[at].clone();
    }
    let shell = words.iter().enumerate().find_map(|(i, w)| match w.strip_prefix("--shell") {
        Some("") => words.get(i + 1).cloned(),
        Some(v) => v.strip_prefix('=').map(str::to_owned),
        None => None,
    });
    format!("prompt --shell {}", shell.unwrap_or_else(|| "plain".into()))
}

/// Where the host's arguments are set, for `doctor` to say.
pub fn hint(host: &str) -> &'static str {
    match host {
        "prompt --shell tmux" => " (tmux: the plugin's @runway-args)",
        "prompt --shell zsh" | "prompt --shell bash" | "prompt --shell fish" => {
            " (the shell: the flags of its `runway init` line)"
        }
        "statusline" => " (Claude Code: the statusLine command in settings.json)",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<OsString> {
        s.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn each_host_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("cache"));
        let d = &cache;
        assert!(remember(d, "prompt --shell tmux", &["bad flag".into()], 1_000));
        assert!(!remember(d, "prompt --shell tmux", &["bad flag".into()], 2_000), "said once");
        assert!(remember(d, "prompt --shell zsh", &["bad value".into()], 3_000));
        // Newest first, each with the host that saw it.
        let all = load(d, 4_000);
        assert_eq!(
            all.iter().map(|p| (p.first, p.host.as_str())).collect::<Vec<_>>(),
            [(3_000, "prompt --shell zsh"), (1_000, "prompt --shell tmux")]
        );
        // zsh fixed: tmux's stays.
        assert!(!remember(d, "prompt --shell zsh", &[], 5_000));
        assert_eq!(load(d, 6_000).len(), 1);
        // Seen an hour later: the last sighting is written again, the first kept; a day unseen, gone.
        remember(d, "prompt --shell tmux", &["bad flag".into()], 1_000 + HOUR_MS);
        assert_eq!(load(d, 2 * HOUR_MS)[0].first, 1_000);
        assert_eq!(load(d, 1_000 + HOUR_MS + DAY_MS).len(), 0);
        assert!(!remember(d, "prompt --shell tmux", &[], 7_000));
        assert!(!d.path(Item::Problems).exists(), "nothing kept, no file");
    }

    #[test]
    fn hosts_by_their_words() {
        assert_eq!(host_of(&args("runway prompt --shell tmux --limt-cost 40")), "prompt --shell tmux");
        assert_eq!(host_of(&args("runway --warn-at 150 prompt --shell=zsh")), "prompt --shell zsh");
        assert_eq!(host_of(&args("runway prompt")), "prompt --shell plain");
        assert_eq!(host_of(&args("runway statusline --bogus")), "statusline");
    }
}
