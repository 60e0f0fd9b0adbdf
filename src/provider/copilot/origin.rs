//! Copilot CLI keeps `session-state/<id>/events.jsonl` (earlier, `session-state/<id>.jsonl`): the
//! session is the id; the project is the working directory its `session.start` names.

use crate::provider::origin::{after, file_name, stem};

pub fn of(path: &str) -> (String, String) {
    let session = match after(path, "session-state").as_deref() {
        Some([id, _, ..]) => (*id).to_owned(),
        _ => stem(file_name(path)).to_owned(),
    };
    ("?".into(), session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_by_folder_or_file() {
        assert_eq!(of("/h/.copilot/session-state/10fb4666-56f0/events.jsonl").1, "10fb4666-56f0");
        assert_eq!(of("/h/.copilot/session-state/10fb4666-56f0.jsonl").1, "10fb4666-56f0");
    }
}
