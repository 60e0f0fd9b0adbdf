//! `runway demo` shows runway on a sample history of its own, whatever the person's home holds.
// These drive the Linux binary through Unix files; the Windows binary runs the same code.
#![cfg(unix)]

mod common;

use common::*;

/// The demo shows its sample alone: the person's own Copilot, Gemini and Claude Code history, and a
/// Claude Desktop usage history the settings name, stay out of it.
#[test]
fn the_demo_is_its_sample_alone() {
    let s = Sandbox::claude_fixture();
    copy_tree(&fixtures().join("agents/copilot"), &s.home().join(".copilot"));
    copy_tree(&fixtures().join("agents/gemini"), &s.home().join(".gemini"));
    let out = stdout(&s.cmd().env("RUNWAY_PROVIDERS", "copilot,gemini").args(["demo"]).output().unwrap());
    assert!(out.contains("Claude Code") && out.contains("Codex"), "{out}");
    for theirs in ["Copilot", "Gemini", "4d5611e5", "spotter"] {
        assert!(!out.contains(theirs), "{theirs} in the demo: {out}");
    }
}
