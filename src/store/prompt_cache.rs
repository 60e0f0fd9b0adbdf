//! The prompt cache of the session the status line last drew, kept for `status`: the status line
//! sees it in its payload; a terminal asking `runway status` does not. One small file, replaced whole,
//! checked again when read (it is a figure from outside).

use std::fs;
use std::path::Path;

use crate::ground::files::{create_private_dir, write_atomic};
use crate::provider::claude::payload::{self, PromptCache};

const FILE: &str = "prompt-cache";

/// What was kept: the session, when it was seen, and its cache.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub session: String,
    pub seen_at: i64,
    pub cache: PromptCache,
}

pub fn save(cache_dir: &Path, k: &Kept) {
    let c = &k.cache;
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let line = format!(
        "{}\t{}\t{}\t{}\t{}\n",
        k.session,
        k.seen_at,
        opt(c.expires_at.map(|t| t.to_string())),
        opt(c.warm.map(|w| w.to_string())),
        opt(c.hit_percent.map(|h| h.to_string()))
    );
    let _ = create_private_dir(cache_dir).and_then(|_| write_atomic(&cache_dir.join(FILE), line.as_bytes()));
}

pub fn load(cache_dir: &Path) -> Option<Kept> {
    let text = fs::read_to_string(cache_dir.join(FILE)).ok()?;
    let f: Vec<&str> = text.trim_end().split('\t').collect();
    let [session, seen, expires, warm, hit] = f[..] else { return None };
    let plain = payload::plain_id(session);
    let seen_at: i64 = seen.parse().ok()?;
    let expires_at = expires.parse::<i64>().ok().filter(|t| (t - seen_at).abs() <= 3_720_000);
    let hit_percent = hit.parse::<f64>().ok().filter(|h| (0.0..=100.0).contains(h));
    plain.then(|| Kept {
        session: session.into(),
        seen_at,
        cache: PromptCache { expires_at, warm: warm.parse().ok(), hit_percent },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_and_checked_again() {
        let d = tempfile::tempdir().unwrap();
        let k = Kept {
            session: "8463c716-a2ea".into(),
            seen_at: 1_000_000,
            cache: PromptCache { expires_at: Some(1_270_000), warm: Some(true), hit_percent: Some(82.0) },
        };
        save(d.path(), &k);
        assert_eq!(load(d.path()), Some(k));
        std::fs::write(d.path().join(FILE), "x y\t1\t99999999999\ttrue\t500\n").unwrap();
        assert_eq!(load(d.path()), None, "not a session id");
        std::fs::write(d.path().join(FILE), "abc\t1\t99999999999\ttrue\t500\n").unwrap();
        assert_eq!(
            load(d.path()).unwrap().cache,
            PromptCache { expires_at: None, warm: Some(true), hit_percent: None }
        );
    }
}
