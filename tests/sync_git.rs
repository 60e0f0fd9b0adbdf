//! Two devices through a plain git repository: A commits and pushes its file, B pulls, and B's
//! status and prompt show A's calls and A's reading. runway itself runs no git: the user's own
//! commit and pull are the replication.
// These drive the Linux binary through Unix shells and files; the Windows binary is tested from
// Linux too, under Wine (windows.rs).
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;

use common::devices::Device;
use common::host::have;

const NOW: &str = "2026-02-12T21:30:00Z";

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["-c", "user.name=runway test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main"])
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_git_repository_carries_the_files() {
    if !have("git") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (remote, a_dir, b_dir) = (d.path().join("remote.git"), d.path().join("a"), d.path().join("b"));
    git(d.path(), &["init", "--bare", "-q", remote.to_str().unwrap()]);
    git(d.path(), &["clone", "-q", remote.to_str().unwrap(), a_dir.to_str().unwrap()]);
    let (a, b) = (Device::claude(&a_dir), Device::codex(&b_dir));
    a.reading(NOW);
    a.status(NOW);
    git(&a_dir, &["add", "-A"]);
    git(&a_dir, &["commit", "-q", "-m", "laptop"]);
    git(&a_dir, &["push", "-q", "origin", "HEAD"]);
    // B clones what A pushed; a later pull would do the same.
    git(d.path(), &["clone", "-q", remote.to_str().unwrap(), b_dir.to_str().unwrap()]);
    let v = b.status(NOW);
    let devices = v["devices"].as_array().unwrap();
    assert_eq!(devices.iter().map(|d| d["name"].as_str().unwrap()).collect::<Vec<_>>(), ["desk", "laptop"]);
    // A's week as the independent count finds it: 465 calls, $34.003789.
    let week = &devices[1]["windows"]["claude"]["seven_day"];
    assert_eq!((week["entries"].as_u64(), week["cost_usd"].as_f64()), (Some(465), Some(34.003789)), "{week}");
    assert_eq!(b.prompt(NOW), "5h 23% ↻1h40m");
    // B's own file, committed and pushed, reaches A the same way.
    git(&b_dir, &["add", "-A"]);
    git(&b_dir, &["commit", "-q", "-m", "desk"]);
    git(&b_dir, &["push", "-q", "origin", "HEAD"]);
    git(&a_dir, &["pull", "-q", "--rebase", "origin", "HEAD"]);
    let names: Vec<String> =
        a.status(NOW)["devices"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["laptop", "desk"]);
}
