//! The prompt cache of the session the status line last drew, kept for `status`: the status line
//! sees it in its payload; a terminal asking `runway status` does not. One small file with a checksum
//! (`Item::PromptCache`), replaced whole; its figures are checked again when read (they came from
//! outside).

use std::io;

use crate::ground::cache::{Cache, Item};
use crate::ground::log;
use crate::provider::claude::payload::{self, PromptCache};

/// What was kept: the session, when it was seen, and its cache.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub session: String,
    pub seen_at: i64,
    pub cache: PromptCache,
}

pub fn save(cache: &Cache, k: &Kept) {
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
    let _ = cache.write_checked(Item::PromptCache, line.as_bytes());
}

pub fn load(cache: &Cache) -> Option<Kept> {
    let body = match cache.read_checked(Item::PromptCache) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            log::warn(&format!("ignoring the kept prompt cache: {e}"));
            return None;
        }
    };
    let text = String::from_utf8(body).ok()?;
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
        let c = Cache::new(d.path().to_path_buf());
        let k = Kept {
            session: "8463c716-a2ea".into(),
            seen_at: 1_000_000,
            cache: PromptCache { expires_at: Some(1_270_000), warm: Some(true), hit_percent: Some(82.0) },
        };
        save(&c, &k);
        assert_eq!(load(&c), Some(k));
        c.write_checked(Item::PromptCache, b"x y\t1\t99999999999\ttrue\t500\n").unwrap();
        assert_eq!(load(&c), None, "not a session id");
        c.write_checked(Item::PromptCache, b"abc\t1\t99999999999\ttrue\t500\n").unwrap();
        assert_eq!(load(&c).unwrap().cache, PromptCache { expires_at: None, warm: Some(true), hit_percent: None });
        // An edited copy (another hit rate, the same length) is not believed at all.
        let p = c.path(Item::PromptCache);
        let text = std::fs::read_to_string(&p).unwrap().replace("true", "fals");
        std::fs::write(&p, text).unwrap();
        assert_eq!(load(&c), None);
    }
}
