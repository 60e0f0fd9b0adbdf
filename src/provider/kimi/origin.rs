//! Kimi Code keeps `sessions/<project>/session_<id>/agents/<agent>/wire.jsonl`: the session is the
//! id, whichever agent of it made the call; the project folder is named by a hash of its directory
//! (`wd_<name>_<hash>`), its `config.update` lines may name the directory itself.

use crate::provider::origin::after;

pub fn of(path: &str) -> (String, String) {
    match after(path, "sessions").as_deref() {
        Some([project, session, ..]) => {
            ((*project).into(), session.strip_prefix("session_").unwrap_or(session).into())
        }
        _ => ("?".into(), "?".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_belong_to_their_session() {
        let p = "/h/.kimi-code/sessions/wd_project_ac3b/session_1bcb-4f7e/agents/agent-0/wire.jsonl";
        assert_eq!(of(p), ("wd_project_ac3b".into(), "1bcb-4f7e".into()));
    }
}
