//! A model the price table does not know, in the real fixture renamed: of a known family it is priced
//! as the family's newest model and said to be assumed; of no family it is counted in tokens, never
//! shown as $0.00.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use common::host::HOST_NOW;
use common::*;
use serde_json::json;

#[test]
fn a_new_model_of_a_known_family_is_priced_as_its_newest_and_marked() {
    let s = renamed(&[("claude-opus-4-6", "claude-opus-4-9")]);
    let known = Sandbox::claude_fixture().status(HOST_NOW);
    let v = s.status(HOST_NOW);
    // claude-opus-5 costs what claude-opus-4-6 costs: the same dollars, now marked as assumed.
    assert_eq!(v["claude"]["week"]["cost_usd"], known["claude"]["week"]["cost_usd"]);
    assert_eq!(v["claude"]["assumed_prices"], json!([{ "model": "claude-opus-4-9", "priced_as": "claude-opus-5" }]));
    assert_eq!(known["claude"]["assumed_prices"], json!([]));
    assert_eq!(v["claude"]["unpriced_models"], json!([]));
    let text = stdout(&s.run(&["--now", HOST_NOW, "status", "--color", "never"]));
    assert!(text.contains("assumed   claude-opus-4-9 priced as claude-opus-5"), "{text}");
}

#[test]
fn a_model_of_no_known_family_shows_tokens_never_dollars() {
    let s = renamed(&[
        ("claude-opus-4-6", "claude-zeta-9"),
        ("claude-haiku-4-5-20251001", "claude-zeta-9"),
        ("claude-sonnet-4-5-20250929", "claude-zeta-9"),
    ]);
    let o = s.run(&["--now", HOST_NOW, "prompt", "--shell", "plain"]);
    assert_quiet(&o);
    assert_eq!(stdout(&o), "5h 1.92M tok ↻4h55m");
    // Even against a limit in dollars: a share that leaves the calls out would read low.
    let o = s.run(&["--now", HOST_NOW, "--limit-cost", "10", "prompt", "--shell", "plain"]);
    assert_eq!(stdout(&o), "5h 1.92M tok ↻4h55m");
    let v = s.status(HOST_NOW);
    assert_eq!(v["claude"]["unpriced_models"], json!(["claude-zeta-9"]));
    assert_eq!(v["claude"]["limit"]["source"], "none");
    assert_eq!(v["claude"]["limit"]["used_percent"], serde_json::Value::Null);
    let text = stdout(&s.run(&["--now", HOST_NOW, "status", "--color", "never"]));
    assert!(text.contains("1.92M tokens without a price"), "{text}");
    assert!(!text.contains("20 calls · 1.92M tokens · $0.00 since"), "{text}");
    // The report's `+` after a cost says what it means; the model's own row is no cost of $0.
    let rep = stdout(&s.run(&["--now", HOST_NOW, "--color", "never", "report", "--by", "model"]));
    assert!(rep.contains("(+: and calls of a model with no price"), "{rep}");
    let row = rep.lines().find(|l| l.starts_with("claude-zeta-9")).unwrap();
    assert!(row.contains("unpriced") && !row.contains("$0.00"), "{rep}");
}
