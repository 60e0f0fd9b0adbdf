//! Claude Code keeps `projects/<project>/<session>.jsonl`, and a session's subagents in
//! `projects/<project>/<session>/subagents/agent-*.jsonl`: their calls are the session's. The project
//! folder is the working directory with every `/` and `.` made `-`, which cannot be turned back (a `-`
//! in a name looks the same): the lines' own `cwd` names it when they have one.

use crate::provider::origin::{after, file_name, stem};

/// (project, session) of a transcript by its path.
pub fn of(path: &str) -> (String, String) {
    let file = stem(file_name(path)).to_owned();
    match after(path, "projects").as_deref() {
        Some([project, _]) => ((*project).into(), file),
        Some([project, session, _, ..]) => ((*project).into(), (*session).into()),
        _ => ("?".into(), file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_and_their_subagents() {
        let o = of("/h/.claude/projects/-home-u-src-app/258c7280-ae70.jsonl");
        assert_eq!(o, ("-home-u-src-app".into(), "258c7280-ae70".into()));
        let sub = of("/h/.claude/projects/-home-u-src-app/258c7280-ae70/subagents/agent-a1.jsonl");
        assert_eq!(sub, o, "a subagent's calls are its session's");
        assert_eq!(of("/elsewhere/x.jsonl").0, "?");
    }
}
