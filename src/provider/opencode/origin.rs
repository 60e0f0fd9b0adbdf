//! OpenCode's old message files live in `storage/message/<session>/<message>.json`: the session is
//! the folder; the message names its working directory. Its database holds many sessions, each
//! named by its rows (see `db`).

use crate::provider::origin::after;

pub fn of(path: &str) -> (String, String) {
    match after(path, "message").as_deref() {
        Some([session, _]) => ("?".into(), (*session).into()),
        _ => ("?".into(), "(database)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_files_by_session() {
        assert_eq!(of("/d/opencode/storage/message/ses_450b/msg_baf4.json").1, "ses_450b");
        assert_eq!(of("/d/opencode/opencode.db").1, "(database)");
    }
}
