//! Kimi Code: `~/.kimi-code/sessions/<project>/<session>/agents/<agent>/wire.jsonl`, one file per
//! agent of a session (the main one and its subagents), appended to. No quota is written.

pub mod origin;
pub mod prices;
mod wire;

use std::path::PathBuf;

use crate::ground::dirs::home;
use crate::ground::env::Env;
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::provider::spec::{everywhere, Lines, Shape, Spec, no_files};

pub const SPEC: Spec = Spec {
    provider: Provider::declare(3),
    name: "kimi",
    title: "Kimi Code",
    letter: "K",
    env: &["KIMI_CODE_HOME"],
    roots,
    wanted,
    descend: everywhere,
    shape: |_| Shape::Lines(reader),
    origin: origin::of,
    project_beside,
    prices: prices::PRICES,
    family: prices::family,
    windows: &[Window::FiveHour],
    learns_limit: false,
    reading_files: no_files,
    awaiting: None,
};

/// `sessions/` in `KIMI_CODE_HOME`, else in `~/.kimi-code`.
fn roots(env: &Env) -> Vec<PathBuf> {
    let base = env.dir("KIMI_CODE_HOME").or_else(|| home(env).map(|h| h.join(".kimi-code")));
    base.map(|b| b.join("sessions")).into_iter().collect()
}

fn wanted(name: &[u8]) -> bool {
    name == b"wire.jsonl"
}

/// The session's `state.json` names its directory: `cwd` (current), `workDir` (older).
fn project_beside(file: &std::path::Path) -> Option<String> {
    let session = file.ancestors().find(|a| a.file_name().is_some_and(|n| n.to_string_lossy().starts_with("session_")))?;
    let bytes = crate::provider::spec::small_file(&session.join("state.json"))?;
    let v: serde_json::Value = crate::ground::repair::parsed(&bytes).ok()?;
    let dir = v.get("cwd").or_else(|| v.get("workDir"))?.as_str()?.trim();
    (!dir.is_empty()).then(|| dir.to_owned())
}

fn reader(_: &[u8]) -> Box<dyn Lines> {
    Box::new(wire::Reader::default())
}
