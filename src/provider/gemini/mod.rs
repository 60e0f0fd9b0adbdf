//! Gemini CLI: one file per session under `~/.gemini/tmp/<project>/chats/`: a JSON document
//! rewritten whole (`session-*.json`), or in newer builds lines appended (`session-*.jsonl`). The
//! project folder is a hash of the project's directory. No quota is written.

mod chat;
pub mod origin;
pub mod prices;

use std::path::PathBuf;

use crate::ground::dirs::home;
use crate::ground::env::Env;
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::provider::spec::{everywhere, Lines, Shape, Spec, expand, no_files};

pub const SPEC: Spec = Spec {
    provider: Provider::declare(2),
    name: "gemini",
    title: "Gemini CLI",
    letter: "G",
    env: &["GEMINI_CLI_HOME", "GEMINI_DATA_DIR"],
    roots,
    wanted,
    descend: everywhere,
    shape,
    origin: origin::of,
    project_beside,
    prices: prices::PRICES,
    family: prices::family,
    windows: &[Window::FiveHour],
    learns_limit: false,
    reading_files: no_files,
    awaiting: None,
};

/// `GEMINI_DATA_DIR` (a comma-separated list of `tmp` folders, as other tools take it), else
/// `tmp/` in `GEMINI_CLI_HOME/.gemini` or `~/.gemini`.
fn roots(env: &Env) -> Vec<PathBuf> {
    if let Some(list) = env.text("GEMINI_DATA_DIR") {
        return list.split(',').filter_map(|e| expand(env, e)).collect();
    }
    let base = env.dir("GEMINI_CLI_HOME").or_else(|| home(env));
    base.map(|b| b.join(".gemini").join("tmp")).into_iter().collect()
}

/// `session-*.json` and `session-*.jsonl`, and a subagent's `chats/<parent>/<id>.jsonl`.
fn wanted(name: &[u8]) -> bool {
    (name.starts_with(b"session-") && name.ends_with(b".json")) || name.ends_with(b".jsonl")
}

/// `tmp/<project>/.project_root` (0.29 on) names the project's directory; a folder named by a hash
/// (older versions) has none, and keeps its short hash.
fn project_beside(file: &std::path::Path) -> Option<String> {
    let dir = file.ancestors().find(|a| a.parent().is_some_and(|p| p.file_name().is_some_and(|n| n == "tmp")))?;
    let text = crate::provider::spec::small_file(&dir.join(".project_root"))?;
    Some(String::from_utf8_lossy(&text).trim().to_owned()).filter(|t| !t.is_empty())
}

fn shape(name: &[u8]) -> Shape {
    if name.ends_with(b".jsonl") { Shape::Lines(appended) } else { Shape::Whole(chat::document) }
}

fn appended(aux: &[u8]) -> Box<dyn Lines> {
    Box::new(chat::Appended::resume(aux))
}
