//! `runway demo`: a small realistic history (from the benchmark's generator) in a temporary directory,
//! and runway shown on it, the way each host receives the segment.

use std::io;
use std::path::Path;
use std::process::Command;

use crate::cli::Global;

fn visible(s: &str) -> String {
    s.replace('\x1b', "\\e")
}

fn run(exe: &Path, dir: &Path, g: &Global, args: &[&str]) -> io::Result<String> {
    let mut c = Command::new(exe);
    c.env("CLAUDE_CONFIG_DIR", dir.join("claude"))
        .env("CODEX_HOME", dir.join("codex"))
        .env("RUNWAY_CACHE_DIR", dir.join("cache"))
        .env_remove("RUNWAY_NOW")
        .env_remove("RUNWAY_PROVIDERS");
    if g.ascii {
        c.arg("--ascii");
    }
    if let Some(v) = g.limit_cost {
        c.arg("--limit-cost").arg(v.to_string());
    }
    if let Some(v) = g.limit_tokens {
        c.arg("--limit-tokens").arg(v.to_string());
    }
    let out = c.args(args).output()?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn run_demo(g: &Global, keep: bool) -> io::Result<()> {
    let dir = std::env::temp_dir().join(format!("runway-demo-{}", std::process::id()));
    let exe = std::env::current_exe()?;
    let end = crate::config::wall_ms();
    let claude = crate::synth::claude_history(&dir.join("claude"), 6 << 20, 7, end, 42)?;
    let codex = crate::synth::codex_history(&dir.join("codex"), 2 << 20, 7, end, 42)?;
    let mut o = format!(
        "runway demo: {:.1} MB of synthetic Claude Code and {:.1} MB of Codex CLI history (7 days, ending now) in {}\n\n",
        claude as f64 / 1e6,
        codex as f64 / 1e6,
        dir.display()
    );
    o += &run(&exe, &dir, g, &["status"])?;
    o += "\nThe segment as each host receives it (\\e is the escape character):\n";
    for shell in ["zsh", "bash", "fish", "tmux", "plain"] {
        let seg = run(&exe, &dir, g, &["prompt", "--shell", shell])?;
        o += &format!("  {shell:<6} {}\n", visible(&seg));
    }
    let seg = run(&exe, &dir, g, &["prompt", "--shell", "fish"])?;
    o += &format!("\nIn a terminal: {seg}\n");
    if keep {
        o += &format!(
            "\nKept. Try: CLAUDE_CONFIG_DIR={} CODEX_HOME={} RUNWAY_CACHE_DIR={} runway status --json\n",
            dir.join("claude").display(),
            dir.join("codex").display(),
            dir.join("cache").display()
        );
    } else {
        std::fs::remove_dir_all(&dir)?;
        o += "\n(Removed again; `runway demo --keep` keeps it to explore.)\n";
    }
    crate::emit(&o)
}
