//! OpenCode: its data folder, `${XDG_DATA_HOME:-~/.local/share}/opencode/` on every system: the
//! database of current versions (`opencode.db`; `opencode-<channel>.db`; `OPENCODE_DB` names
//! another), and the message files of versions before 1.2 (`storage/message/<session>/*.json`),
//! which it leaves behind when it moves them into the database (the same message is one call).
//! Its own price of a call is used for a model no table knows. No quota is written.

mod db;
mod mark;
mod message;
pub mod origin;

use std::path::PathBuf;

use crate::ground::dirs::home;
use crate::ground::env::Env;
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::provider::spec::{nothing_beside, Shape, Spec, no_files};

pub const SPEC: Spec = Spec {
    provider: Provider::declare(5),
    name: "opencode",
    title: "OpenCode",
    letter: "O",
    env: &["OPENCODE_DATA_DIR", "OPENCODE_DB"],
    roots,
    wanted,
    descend,
    shape,
    origin: origin::of,
    project_beside: nothing_beside,
    // The models are other vendors': priced by their tables, else by OpenCode's own figure.
    prices: &[],
    family: |_| None,
    windows: &[Window::FiveHour],
    learns_limit: false,
    reading_files: no_files,
    awaiting: None,
};

/// The data folder. OpenCode itself has no variable for it; `OPENCODE_DATA_DIR` is the one ccusage
/// reads, honoured so that a folder set for it is found here too.
fn data(env: &Env) -> Option<PathBuf> {
    if let Some(d) = env.dir("OPENCODE_DATA_DIR") {
        return Some(d);
    }
    env.dir("XDG_DATA_HOME").or_else(|| home(env).map(|h| h.join(".local").join("share"))).map(|d| d.join("opencode"))
}

/// The data folder; and the folder of `OPENCODE_DB` when it names a database elsewhere.
fn roots(env: &Env) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = data(env).into_iter().collect();
    if let Some(db) = env.dir("OPENCODE_DB").and_then(|p| p.parent().map(PathBuf::from)) {
        out.push(db);
    }
    out
}

fn wanted(name: &[u8]) -> bool {
    (name.starts_with(b"opencode") && name.ends_with(b".db")) || (name.starts_with(b"msg_") && name.ends_with(b".json"))
}

/// Only `storage/message/` below the data folder: the rest (snapshots of every project, logs, tool
/// output) holds no usage, and can be large.
fn descend(depth: u8, name: &[u8]) -> bool {
    match depth {
        0 => name == b"storage",
        1 => name == b"message",
        _ => true,
    }
}

fn shape(name: &[u8]) -> Shape {
    if name.ends_with(b".db") { Shape::Database(db::read) } else { Shape::Whole(message::file) }
}
