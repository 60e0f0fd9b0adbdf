//! GitHub Copilot CLI: one folder per session, `~/.copilot/session-state/<id>/events.jsonl`
//! (`COPILOT_HOME` moves `~/.copilot`), appended to; earlier builds kept a flat
//! `session-state/<id>.jsonl`. Its quota is a calendar month of premium requests (`events`).

mod events;
mod open;
pub mod origin;

use std::path::PathBuf;

use crate::ground::dirs::home;
use crate::ground::env::Env;
use crate::ground::provider::Provider;
use crate::ground::window::Window;
use crate::provider::spec::{nothing_beside, everywhere, Lines, Shape, Spec, no_files};

pub const SPEC: Spec = Spec {
    provider: Provider::declare(4),
    name: "copilot",
    title: "Copilot CLI",
    letter: "P",
    env: &["COPILOT_HOME"],
    roots,
    wanted,
    descend: everywhere,
    shape: |_| Shape::Lines(reader),
    origin: origin::of,
    project_beside: nothing_beside,
    // The models are other vendors' (Claude, GPT, Gemini): priced by their tables.
    prices: &[],
    family: |_| None,
    windows: &[Window::Month],
    learns_limit: false,
    reading_files: no_files,
    awaiting: Some(open::awaiting),
};

/// `session-state/` in `COPILOT_HOME`, else in `~/.copilot`.
fn roots(env: &Env) -> Vec<PathBuf> {
    let base = env.dir("COPILOT_HOME").or_else(|| home(env).map(|h| h.join(".copilot")));
    base.map(|b| b.join("session-state")).into_iter().collect()
}

/// `events.jsonl`, or an early build's `<session>.jsonl`.
fn wanted(name: &[u8]) -> bool {
    name.ends_with(b".jsonl")
}

fn reader(aux: &[u8]) -> Box<dyn Lines> {
    // The session's id until its `session.start` says: resumed reads have it in their state.
    Box::new(events::Reader::resume(aux, ""))
}
