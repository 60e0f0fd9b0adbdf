//! Synthetic Claude Code history that looks like the real thing.
//!
//! Shapes are copied from real 2.1.39 transcripts: per API call about 22 KB of JSONL, of which half is
//! tool results, a sixth hook progress lines, and the rest assistant lines (one per content block,
//! `output_tokens` growing to its final value on the last), bash progress and subagent
//! `agent_progress` copies. Sessions run over the given number of days in working hours, with a context
//! that grows (cache reads) until it is compacted, 1-hour cache writes in the main thread, subagent
//! files whose calls also appear in the parent's progress lines, and resumed sessions that start by
//! repeating earlier lines. Every file's mtime is the time of its last line.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::out::Out;
use crate::rng::Rng;
use crate::text::{Pool, rfc3339};
use crate::{DAY_MS, HOUR_MS, MINUTE_MS};

mod lines;
use lines::{Ctx, Usage, assistant_lines, envelope, hook, text_block, thinking, tool_result, tool_use, user_prompt};

/// One API call in the main thread with everything around it; returns the time after it.
fn main_call(
    c: &mut Ctx,
    out: &mut Out,
    subdir: &Path,
    ctx_tokens: &mut u64,
    ts: i64,
    files: &mut Vec<Out>,
) -> io::Result<i64> {
    let mut blocks = Vec::new();
    if c.rng.chance(35) {
        blocks.push(thinking(c));
    }
    if c.rng.chance(50) {
        blocks.push(text_block(c));
    }
    let tools = if c.rng.chance(80) { c.rng.range(1, 3) } else { 0 };
    let mut tool_ids = Vec::new();
    let mut task = false;
    for _ in 0..tools {
        let id = format!("toolu_01{}", c.rng.hex(22));
        let name = if !c.no_task && c.rng.chance(4) {
            task = true;
            "Task"
        } else {
            ["Bash", "Read", "Edit", "Grep"][c.rng.below(4) as usize]
        };
        blocks.push(tool_use(c, &id, name));
        tool_ids.push(id);
    }
    if blocks.is_empty() {
        blocks.push(text_block(c));
    }
    let write = c.rng.skewed(100, 6000);
    let u =
        Usage { input: c.rng.range(1, 10), output: c.rng.skewed(20, 3000), write, read: *ctx_tokens, one_hour: true };
    *ctx_tokens += write + u.output;
    for (t, line, _) in assistant_lines(c, "claude-opus-4-6", &u, false, ts, &blocks, None) {
        out.line(t, &line)?;
    }
    let mut t = ts + blocks.len() as i64 * 1500 + c.rng.range(500, 4000) as i64;
    if task {
        t = subagent(c, out, subdir, t, files)?;
    }
    for id in &tool_ids {
        let h = hook(c, "PreToolUse", id, t);
        out.line(t, &h)?;
        t += c.rng.range(100, 20_000) as i64;
        if c.rng.chance(40) {
            let n = c.rng.skewed(100, 4000) as usize;
            let p = c.rng.uuid();
            let env = envelope(c, false, &p);
            let line = format!(
                r#"{{{env},"type":"progress","data":{{"type":"bash_progress","output":"{}","fullOutput":"","elapsedTimeSeconds":3,"totalLines":40}},"toolUseID":"bash-progress-0","parentToolUseID":"{id}","uuid":"{}","timestamp":"{}"}}"#,
                c.pool.text(&mut c.rng, n),
                c.rng.uuid(),
                rfc3339(t)
            );
            out.line(t, &line)?;
        }
        let r = tool_result(c, id, t);
        out.line(t, &r)?;
        for _ in 0..c.rng.range(2, 6) {
            let h = hook(c, "PostToolUse", id, t);
            out.line(t, &h)?;
        }
        *ctx_tokens += c.rng.skewed(50, 8000);
    }
    Ok(t + c.rng.range(2_000, 40_000) as i64)
}

/// A subagent: its own file, and each of its calls repeated in the parent's progress lines.
fn subagent(c: &mut Ctx, parent: &mut Out, subdir: &Path, mut t: i64, files: &mut Vec<Out>) -> io::Result<i64> {
    let agent = c.rng.hex(7);
    let mut f = Out::create(subdir.join(format!("agent-a{agent}.jsonl")))?;
    let model = if c.rng.chance(60) { "claude-haiku-4-5-20251001" } else { "claude-sonnet-4-5-20250929" };
    let mut ctx_tokens = c.rng.range(8_000, 20_000);
    for _ in 0..c.rng.range(2, 12) {
        let id = format!("toolu_01{}", c.rng.hex(22));
        let blocks = vec![text_block(c), tool_use(c, &id, "Read")];
        let write = c.rng.skewed(200, 5000);
        let u = Usage {
            input: c.rng.range(1, 20),
            output: c.rng.skewed(20, 1500),
            write,
            read: ctx_tokens,
            one_hour: false,
        };
        ctx_tokens += write + u.output;
        for (lt, line, message) in assistant_lines(c, model, &u, true, t, &blocks, Some(&agent)) {
            f.line(lt, &line)?;
            // The parent repeats the subagent's record inside an agent_progress line.
            let p = c.rng.uuid();
            let env = envelope(c, false, &p);
            let req = line.split(r#""requestId":""#).nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_owned();
            let p = format!(
                r#"{{{env},"type":"progress","data":{{"message":{{"type":"assistant","timestamp":"{}","message":{message},"requestId":"{req}","uuid":"{}"}},"normalizedMessages":[],"type":"agent_progress","prompt":"","agentId":"{agent}"}},"toolUseID":"agent_msg_{}","parentToolUseID":"toolu_x","uuid":"{}","timestamp":"{}"}}"#,
                rfc3339(lt),
                c.rng.uuid(),
                c.rng.hex(20),
                c.rng.uuid(),
                rfc3339(lt)
            );
            parent.line(lt, &p)?;
        }
        let n = c.rng.skewed(150, 20_000) as usize;
        let p = c.rng.uuid();
        let env = envelope(c, true, &p);
        let r = format!(
            r#"{{{env},"agentId":"{agent}","type":"user","message":{{"role":"user","content":[{{"type":"tool_result","content":"{}"}}]}},"uuid":"{}","timestamp":"{}"}}"#,
            c.pool.text(&mut c.rng, n),
            c.rng.uuid(),
            rfc3339(t)
        );
        f.line(t, &r)?;
        t += c.rng.range(2_000, 25_000) as i64;
    }
    files.push(f);
    Ok(t)
}

/// Writes one session of about `budget` bytes starting at `start`; returns its end time.
#[allow(clippy::too_many_arguments)]
fn session(
    projects: &Path,
    pool: &Pool,
    seed: u64,
    project: usize,
    start: i64,
    budget: u64,
    stop_by: i64,
    resume_from: Option<&[String]>,
) -> io::Result<(i64, u64, Vec<String>)> {
    let mut rng = Rng::new(seed);
    let enc = format!("-home-dev-src-project-{project}");
    let mut c = Ctx {
        session: rng.uuid(),
        cwd: format!("/home/dev/src/project-{project}"),
        branch: "main".into(),
        rng,
        pool,
        no_task: false,
    };
    let dir = projects.join(&enc);
    let mut out = Out::create(dir.join(format!("{}.jsonl", c.session)))?;
    let subdir = dir.join(&c.session).join("subagents");
    let mut files = Vec::new();
    // A resumed session starts by repeating lines of the one it continues (same ids and times).
    if let Some(lines) = resume_from {
        for l in lines {
            out.line(start.min(out.last.max(0)), l)?;
        }
    }
    let mut t = start;
    let mut ctx_tokens = c.rng.range(12_000, 30_000);
    let s = user_prompt(&mut c, t);
    out.line(t, &s)?;
    while out.bytes < budget && t < stop_by {
        for _ in 0..c.rng.range(3, 25) {
            t = main_call(&mut c, &mut out, &subdir, &mut ctx_tokens, t, &mut files)?;
            if ctx_tokens > 160_000 {
                // Compaction: a short side run, then a much smaller context.
                let mut f = Out::create(subdir.join(format!("agent-acompact-{}.jsonl", c.rng.hex(6))))?;
                let u =
                    Usage { input: 3, output: c.rng.range(2000, 6000), write: 0, read: ctx_tokens, one_hour: false };
                let block = text_block(&mut c);
                for (lt, line, _) in assistant_lines(&mut c, "claude-opus-4-6", &u, true, t, &[block], Some("acompact"))
                {
                    f.line(lt, &line)?;
                }
                files.push(f);
                ctx_tokens = c.rng.range(25_000, 45_000);
                t += 60_000;
            }
            if out.bytes >= budget || t >= stop_by {
                break;
            }
        }
        t += c.rng.range(60_000, 12 * MINUTE_MS as u64) as i64;
        if out.bytes >= budget || t >= stop_by {
            break;
        }
        let s = user_prompt(&mut c, t);
        out.line(t, &s)?;
    }
    // Keep the last few assistant lines for a later resumed session to repeat.
    out.w.flush()?;
    let written = fs::read(&out.path).unwrap_or_default();
    let text = String::from_utf8_lossy(&written);
    let mut tail: Vec<String> =
        text.lines().rev().filter(|l| l.contains(r#""type":"assistant""#)).take(12).map(str::to_owned).collect();
    tail.reverse();
    let mut total = out.finish()?;
    for f in files {
        total += f.finish()?;
    }
    Ok((t, total, tail))
}

/// Writes about `size` bytes of Claude Code history under `claude_dir/projects`, spread over `days`
/// days ending at `end` (ms). The last session ends a few minutes before `end`, so a block is active.
pub fn claude_history(claude_dir: &Path, size: u64, days: u32, end: i64, seed: u64) -> io::Result<u64> {
    let projects = claude_dir.join("projects");
    let mut rng = Rng::new(seed);
    let pool = Pool::new(&mut rng);
    let days = days.max(1) as i64;
    let per_day = size / days as u64;
    let first_day = (end - (days - 1) * DAY_MS).div_euclid(DAY_MS) * DAY_MS;
    let mut total = 0u64;
    let mut recent: Vec<(usize, Vec<String>)> = Vec::new();
    for d in 0..days {
        let day = first_day + d * DAY_MS;
        let last_day = d == days - 1;
        let mut written = 0u64;
        // Work starts between 07:00 and 10:00 UTC; the last day works up to `end`.
        let mut t = day + (7 * HOUR_MS) + rng.below(3 * HOUR_MS as u64) as i64;

        while written < per_day {
            let budget = rng.skewed(300_000, 12_000_000).min(per_day - written + 50_000);
            let project = rng.below(8) as usize;
            let resume =
                if rng.chance(10) { recent.iter().find(|(p, _)| *p == project).map(|(_, l)| l.clone()) } else { None };
            // The last day pauses for more than five hours before the live session, so that session
            // opens a block of its own that is still active at `end`.
            let stop_by = if last_day { end - 6 * HOUR_MS } else { day + DAY_MS - HOUR_MS };
            if t >= stop_by {
                break;
            }
            let (t_end, bytes, tail) =
                session(&projects, &pool, rng.next_u64(), project, t, budget, stop_by, resume.as_deref())?;
            written += bytes;
            recent.retain(|(p, _)| *p != project);
            recent.push((project, tail));
            t = t_end + rng.range(5 * MINUTE_MS as u64, 90 * MINUTE_MS as u64) as i64;
            if t >= stop_by {
                if last_day {
                    break;
                }
                // A long day: spill into the evening of the same day at most.
                t = day + 7 * HOUR_MS + rng.below(10 * HOUR_MS as u64) as i64;
            }
        }
        total += written;
    }
    // A live session: the last call a few minutes before `end`, so a block is active at `end`.
    // A call with a subagent can take about five minutes, hence the margin.
    let live_start = end - 40 * MINUTE_MS;
    let (_, bytes, _) = session(&projects, &pool, rng.next_u64(), 0, live_start, 400_000, end - 8 * MINUTE_MS, None)?;
    total += bytes;
    settle_dir_times(&projects)?;
    Ok(total)
}

/// Directories get the time of their newest entry, as they would have had when it was created;
/// otherwise every directory would look just modified and be checked on every prompt.
pub fn settle_dir_times(dir: &Path) -> io::Result<std::time::SystemTime> {
    let mut newest = std::time::UNIX_EPOCH;
    for e in fs::read_dir(dir)? {
        let e = e?;
        let t = if e.file_type()?.is_dir() { settle_dir_times(&e.path())? } else { e.metadata()?.modified()? };
        newest = newest.max(t);
    }
    File::open(dir)?.set_modified(newest)?;
    Ok(newest)
}

/// Appends one API call (its assistant lines, tool results and hook lines, about 20 KB) to an existing
/// session file, stamped `at`: what a live session adds between two prompts.
pub fn append_call(path: &Path, at: i64, seed: u64) -> io::Result<u64> {
    let mut rng = Rng::new(seed);
    let pool = Pool::new(&mut rng);
    let session = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut c =
        Ctx { rng, pool: &pool, cwd: "/home/dev/src/project-0".into(), session, branch: "main".into(), no_task: true };
    let f = fs::OpenOptions::new().append(true).open(path)?;
    let mut out = Out { w: BufWriter::new(f), path: path.to_path_buf(), last: 0, bytes: 0 };
    let mut ctx_tokens = c.rng.range(30_000, 120_000);
    let mut files = Vec::new();
    let subdir = path.with_extension("").join("subagents");
    main_call(&mut c, &mut out, &subdir, &mut ctx_tokens, at, &mut files)?;
    out.w.flush()?;
    Ok(out.bytes)
}

/// `n` sessions of one API call each (a single short assistant line), in a hundred projects, their
/// calls spread over the five hours before `end` and their files all written now: the most files a
/// prompt's quick check could have to look at (the benchmark's many-files case).
pub fn tiny_files(claude_dir: &Path, n: u64, end: i64, seed: u64) -> io::Result<u64> {
    let mut rng = Rng::new(seed);
    let pool = Pool::new(&mut rng);
    let mut c =
        Ctx { rng, pool: &pool, cwd: String::new(), session: String::new(), branch: "main".into(), no_task: true };
    let mut bytes = 0;
    for i in 0..n {
        let project = i % 100;
        let dir = claude_dir.join("projects").join(format!("-home-dev-src-tiny-{project}"));
        fs::create_dir_all(&dir)?;
        c.session = c.rng.uuid();
        c.cwd = format!("/home/dev/src/tiny-{project}");
        let at = end - (i as i64 * 5 * HOUR_MS) / n.max(1) as i64;
        let u = Usage {
            input: c.rng.range(3, 30),
            output: c.rng.range(20, 900),
            write: 0,
            read: c.rng.range(20_000, 90_000),
            one_hour: false,
        };
        let block = r#"{"type":"text","text":"Done."}"#.to_owned();
        let mut text = String::new();
        for (_, line, _) in assistant_lines(&mut c, "claude-sonnet-4-5-20250929", &u, false, at, &[block], None) {
            text += &line;
            text.push('\n');
        }
        fs::write(dir.join(format!("{}.jsonl", c.session)), &text)?;
        bytes += text.len() as u64;
    }
    Ok(bytes)
}
