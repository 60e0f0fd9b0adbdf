//! The other agents' histories in a home of their own, and what a run of them reads.

use std::path::Path;

use super::{Sandbox, copy_tree, json_of};
use serde_json::Value;

/// A home with `from` copied to `folder` in it, as the tool lays it out.
pub fn home_with(folder: &str, from: &Path) -> Sandbox {
    let s = Sandbox::empty();
    copy_tree(from, &s.home().join(folder));
    s
}

/// The totals of `tool`'s month report as of `now`.
pub fn month_totals(s: &Sandbox, tool: &str, now: &str) -> Value {
    let v = json_of(
        &s.cmd().args(["--now", now, "--providers", tool, "report", "--by", "month", "--json"]).output().unwrap(),
    );
    v["totals"].clone()
}

/// Asserts `tool`'s month report as of `now` equals a fresh read's.
pub fn same_as_fresh_at(s: &Sandbox, tool: &str, now: &str) {
    let fresh = tempfile::tempdir().unwrap();
    let args = ["--now", now, "--providers", tool, "report", "--by", "month", "--json"];
    let a = json_of(&s.cmd().args(args).output().unwrap());
    let b = json_of(&s.cmd_with_cache(fresh.path()).args(args).output().unwrap());
    assert_eq!(a, b, "{tool}: the cache's answer and a fresh read differ");
}

/// `read-bytes` of a prompt with `--timings`.
pub fn read_bytes(s: &Sandbox, tool: &str) -> u64 {
    read_bytes_within(s, tool, None, &[])
}

/// `read-bytes` of a prompt with `--timings`, a read budget of `budget` bytes and `args` (it exits 0).
pub fn read_bytes_within(s: &Sandbox, tool: &str, budget: Option<&str>, args: &[&str]) -> u64 {
    let mut c = s.cmd();
    if let Some(b) = budget {
        c.env("RUNWAY_PROMPT_BYTES", b);
    }
    let o = c.args(["--timings", "--providers", tool]).args(args).arg("prompt").output().unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let n = err.split("read-bytes ").nth(1).and_then(|r| r.split(',').next()).unwrap_or_else(|| panic!("{err}"));
    n.trim().parse().unwrap()
}
