//! Where a call came from: the project and the session, told by its file's path (each provider's
//! folder knows its own layout) or by what the file itself records.

use crate::ground::provider::Provider;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub provider: Provider,
    pub project: String,
    pub session: String,
}

/// A path's last part.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or_default()
}

/// A file name without its extension.
pub fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(s, _)| s)
}

/// The parts of `path` after the last `/<dir>/` in it, when there is one.
pub fn after<'a>(path: &'a str, dir: &str) -> Option<Vec<&'a str>> {
    let marker = format!("/{dir}/");
    let at = path.replace('\\', "/").rfind(&marker)?;
    Some(path[at + marker.len()..].split(['/', '\\']).filter(|p| !p.is_empty()).collect())
}
