//! Gemini CLI keeps `tmp/<project>/chats/session-<time>-<id>.json`: the session is the id (the
//! first part of its UUID); the project folder is a hash of the project's directory, shown short.

use crate::provider::origin::{after, file_name, stem};

pub fn of(path: &str) -> (String, String) {
    let session = stem(file_name(path)).rsplit('-').next().unwrap_or_default().to_owned();
    let project = match after(path, "tmp").as_deref() {
        Some([project, ..]) => project.chars().take(12).collect(),
        _ => "?".into(),
    };
    (project, session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_by_id() {
        let p = "/h/.gemini/tmp/7e8989f71805c3147f6be9b7/chats/session-2026-01-10T02-08-faff42ab.json";
        assert_eq!(of(p), ("7e8989f71805".into(), "faff42ab".into()));
    }
}
