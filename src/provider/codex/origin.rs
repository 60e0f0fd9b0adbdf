//! Codex CLI keeps `sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl`: the session is the id. The path
//! names no project; the rollout's `session_meta` records the working directory.

use crate::provider::origin::{file_name, stem};

/// The project a rollout is shown under until its `session_meta` names one.
pub const NO_PROJECT: &str = "(codex)";

/// (project, session) of a rollout by its path: `rollout-2026-05-11T10-12-13-<uuid>` is the uuid
/// (its last five `-` parts), anything else the whole stem.
pub fn of(path: &str) -> (String, String) {
    let stem = stem(file_name(path));
    let parts: Vec<&str> = stem.split('-').collect();
    let session = if stem.starts_with("rollout-") && parts.len() > 6 {
        parts[parts.len() - 5..].join("-")
    } else {
        stem.to_owned()
    };
    (NO_PROJECT.into(), session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollouts() {
        let p = "/h/.codex/sessions/2026/05/11/rollout-2026-05-11T10-12-13-019a1b2c-3d4e-5f60-7a8b-9c0d1e2f3a4b.jsonl";
        assert_eq!(of(p), (NO_PROJECT.into(), "019a1b2c-3d4e-5f60-7a8b-9c0d1e2f3a4b".into()));
        assert_eq!(of("/x/odd.jsonl").1, "odd");
    }
}
