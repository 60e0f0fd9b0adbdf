//! Where a call came from, told by its transcript file's path: the project and the session.
//!
//! Claude Code keeps `projects/<project>/<session>.jsonl`, and a session's subagents in
//! `projects/<project>/<session>/subagents/agent-*.jsonl`: their calls are the session's. The project
//! folder is the working directory with every `/` and `.` made `-`, which cannot be turned back (a `-`
//! in a name looks the same), so it is shown as it is. Codex CLI keeps
//! `sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl`: the session is the id; the path names no project.

use crate::ground::provider::Provider;

/// The project a Codex rollout is shown under: its path names none.
pub const CODEX_PROJECT: &str = "(codex)";

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub provider: Provider,
    pub project: String,
    pub session: String,
}

/// The origin of a transcript file.
pub fn of(provider: Provider, path: &[u8]) -> Origin {
    let path = String::from_utf8_lossy(path);
    let stem = |s: &str| s.strip_suffix(".jsonl").unwrap_or(s).to_owned();
    let file = path.rsplit('/').next().unwrap_or_default();
    match provider {
        Provider::Claude => {
            let Some(at) = path.rfind("/projects/") else {
                return Origin { provider, project: "?".into(), session: stem(file) };
            };
            let mut rest = path[at + "/projects/".len()..].split('/').filter(|p| !p.is_empty());
            match (rest.next(), rest.next(), rest.next()) {
                (Some(project), Some(file), None) => Origin { provider, project: project.into(), session: stem(file) },
                (Some(project), Some(session), Some(_)) => {
                    Origin { provider, project: project.into(), session: session.into() }
                }
                _ => Origin { provider, project: "?".into(), session: stem(file) },
            }
        }
        Provider::Codex => Origin { provider, project: CODEX_PROJECT.into(), session: codex_session(&stem(file)) },
    }
}

/// `rollout-2026-05-11T10-12-13-<uuid>`: the uuid (its last five `-` parts), else the whole stem.
fn codex_session(stem: &str) -> String {
    let parts: Vec<&str> = stem.split('-').collect();
    if stem.starts_with("rollout-") && parts.len() > 6 {
        return parts[parts.len() - 5..].join("-");
    }
    stem.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claude_sessions_and_their_subagents() {
        let o = of(Provider::Claude, b"/h/.claude/projects/-home-u-src-app/258c7280-ae70.jsonl");
        assert_eq!((o.project.as_str(), o.session.as_str()), ("-home-u-src-app", "258c7280-ae70"));
        let sub = of(Provider::Claude, b"/h/.claude/projects/-home-u-src-app/258c7280-ae70/subagents/agent-a1.jsonl");
        assert_eq!(sub, o, "a subagent's calls are its session's");
        assert_eq!(of(Provider::Claude, b"/elsewhere/x.jsonl").project, "?");
    }

    #[test]
    fn codex_rollouts() {
        let p = b"/h/.codex/sessions/2026/05/11/rollout-2026-05-11T10-12-13-019a1b2c-3d4e-5f60-7a8b-9c0d1e2f3a4b.jsonl";
        let o = of(Provider::Codex, p);
        assert_eq!(o.session, "019a1b2c-3d4e-5f60-7a8b-9c0d1e2f3a4b");
        assert_eq!(o.project, CODEX_PROJECT);
        assert_eq!(of(Provider::Codex, b"/x/odd.jsonl").session, "odd");
    }
}
