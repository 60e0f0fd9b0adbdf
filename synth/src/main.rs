//! `runway-synth`: writes a synthetic history for the benchmark and the tests.
//!
//!   runway-synth --out DIR [--size 1G] [--codex-size 0] [--days 30] [--end RFC3339] [--seed 1]
//!   runway-synth --append-to FILE [--end RFC3339] [--seed 1]      one more API call in a session
//!   runway-synth --tiny-files N --out DIR [--end RFC3339]           N sessions of one call each
//!   runway-synth --demo-table DIR                                  the compact history `runway demo` embeds

use std::path::PathBuf;
use std::process::ExitCode;

use runway_synth::{append_call, claude_history, codex_history, parse_size, tiny_files};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(msg) => {
            print!("{msg}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("runway-synth: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<String, String> {
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let end = match opt("--end") {
        Some(e) => e.parse::<jiff::Timestamp>().map_err(|e| format!("--end: {e}"))?.as_millisecond(),
        None => jiff::Timestamp::now().as_millisecond(),
    };
    let seed: u64 = opt("--seed").map_or(Ok(1), |s| s.parse()).map_err(|_| "--seed: not a number")?;
    if let Some(dir) = opt("--demo-table") {
        // A week ending on a whole hour, so the table does not depend on when it was made.
        let end = end / 3_600_000 * 3_600_000;
        let dir = PathBuf::from(dir);
        claude_history(&dir.join("claude"), 6 << 20, 7, end, 42).map_err(|e| e.to_string())?;
        codex_history(&dir.join("codex"), 2 << 20, 7, end, 42).map_err(|e| e.to_string())?;
        return runway_synth::demo::table(&dir, end).map_err(|e| e.to_string());
    }
    if let Some(path) = opt("--append-to") {
        let path = PathBuf::from(path);
        let n = append_call(&path, end, seed ^ end as u64).map_err(|e| e.to_string())?;
        return Ok(format!("appended one call ({n} bytes) to {}\n", path.display()));
    }
    let out = PathBuf::from(opt("--out").ok_or("--out DIR is required")?);
    if let Some(n) = opt("--tiny-files") {
        let n: u64 = n.parse().map_err(|_| "--tiny-files: not a number")?;
        let bytes = tiny_files(&out.join("claude"), n, end, seed).map_err(|e| e.to_string())?;
        return Ok(format!("wrote {n} one-call sessions ({bytes} bytes) to {}\n", out.join("claude").display()));
    }
    let size = parse_size(&opt("--size").unwrap_or("1G".into())).ok_or("--size: like 40M or 1G")?;
    let codex_size = parse_size(&opt("--codex-size").unwrap_or("0".into())).ok_or("--codex-size: like 40M")?;
    let days: u32 = opt("--days").map_or(Ok(30), |s| s.parse()).map_err(|_| "--days: not a number")?;
    let claude = claude_history(&out.join("claude"), size, days, end, seed).map_err(|e| e.to_string())?;
    let mut msg = format!("wrote {claude} bytes of Claude Code history to {}\n", out.join("claude").display());
    if codex_size > 0 {
        let codex = codex_history(&out.join("codex"), codex_size, days, end, seed).map_err(|e| e.to_string())?;
        msg += &format!("wrote {codex} bytes of Codex CLI history to {}\n", out.join("codex").display());
    }
    Ok(msg)
}
