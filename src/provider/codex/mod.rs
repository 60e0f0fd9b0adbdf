//! Codex CLI: rollouts under `$CODEX_HOME` (default `~/.codex`; a comma-separated list is accepted),
//! in `sessions/` and `archived_sessions/`, one `rollout-*.jsonl` per session, appended to; the
//! service's readings ride in them (`rate_limits`).

mod line;
pub mod origin;
pub mod prices;
pub mod reader;

use std::path::PathBuf;

use crate::ground::env::Env;
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::provider::spec::{nothing_beside, everywhere, Lines, Shape, Spec, no_files};

pub const SPEC: Spec = Spec {
    provider: Provider::declare(1),
    name: "codex",
    title: "Codex CLI",
    letter: "X",
    env: &["CODEX_HOME"],
    roots,
    wanted,
    descend: everywhere,
    shape: |_| Shape::Lines(reader),
    origin: origin::of,
    project_beside: nothing_beside,
    prices: prices::PRICES,
    family: prices::family,
    windows: &[Window::FiveHour, Window::SevenDay],
    learns_limit: true,
    reading_files: no_files,
    awaiting: None,
};

fn roots(env: &Env) -> Vec<PathBuf> {
    let homes: Vec<PathBuf> = match env.text("CODEX_HOME") {
        Some(list) => list.split(',').filter_map(|e| crate::provider::spec::expand(env, e)).collect(),
        None => crate::ground::dirs::home(env).map(|h| h.join(".codex")).into_iter().collect(),
    };
    homes.iter().flat_map(|h| [h.join("sessions"), h.join("archived_sessions")]).collect()
}

fn wanted(name: &[u8]) -> bool {
    name.starts_with(b"rollout-") && name.ends_with(b".jsonl")
}

fn reader(aux: &[u8]) -> Box<dyn Lines> {
    Box::new(reader::Reader::resume(aux))
}
