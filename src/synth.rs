//! Synthetic Claude Code history that looks like the real thing, for the benchmark and `runway demo`.
//!
//! Shapes are copied from real 2.1.39 transcripts (tests/fixtures): per API call about 22 KB of
//! JSONL, of which half is tool results, a sixth hook progress lines, and the rest assistant lines
//! (one per content block, `output_tokens` growing to its final value on the last), bash progress and
//! subagent `agent_progress` copies. Sessions run over the given number of days in working hours, with
//! a context that grows (cache reads) until it is compacted, 1-hour cache writes in the main thread,
//! subagent files whose calls also appear in the parent's progress lines, and resumed sessions that
//! start by repeating earlier lines. Every file's mtime is the time of its last line.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::window::{HOUR_MS, MINUTE_MS};

const DAY_MS: i64 = 24 * HOUR_MS;

/// A small, fast, seeded generator (xorshift64*): the same seed gives the same history.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// Roughly log-uniform between lo and hi: many small values, a few large ones.
    pub fn skewed(&mut self, lo: u64, hi: u64) -> u64 {
        let (l, h) = ((lo.max(1) as f64).ln(), (hi.max(2) as f64).ln());
        let u = self.below(1_000_000) as f64 / 1e6;
        (l + (h - l) * u * u).exp() as u64
    }
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(n);
        s
    }
    pub fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
    }
}

const WORDS: &[&str] = &[
    "the",
    "cache",
    "session",
    "function",
    "returns",
    "error",
    "value",
    "module",
    "test",
    "config",
    "parse",
    "line",
    "file",
    "window",
    "result",
    "struct",
    "impl",
    "let",
    "match",
    "Some",
    "None",
    "async",
    "await",
    "request",
    "response",
    "token",
    "model",
    "limit",
    "block",
    "reset",
    "update",
    "index",
    "offset",
    "buffer",
    "write",
    "read",
    "path",
    "String",
    "Vec<u8>",
    "u64",
    "assert_eq!",
    "fn",
    "pub",
    "mod",
    "use",
    "crate::",
    "self",
    "Ok(())",
    "=>",
    "{",
    "}",
    "(",
    ")",
    "//",
    "0x1f",
];

/// A pool of JSON-escaped pseudo text to slice from (never a raw quote, backslash or control char
/// except as the escapes `\n` and `\"`).
struct Pool(String);

impl Pool {
    fn new(rng: &mut Rng) -> Pool {
        let mut s = String::with_capacity(1 << 20);
        while s.len() < (1 << 20) {
            let w = WORDS[rng.below(WORDS.len() as u64) as usize];
            s.push_str(w);
            match rng.below(20) {
                0 => s.push_str("\\n"),
                1 => s.push_str("\\n    "),
                2 => s.push_str(" \\\"x\\\" "),
                _ => s.push(' '),
            }
        }
        Pool(s)
    }
    fn text(&self, rng: &mut Rng, len: usize) -> &str {
        let b = self.0.as_bytes();
        let len = len.min(b.len() - 2);
        let mut start = rng.below((b.len() - len - 1) as u64) as usize;
        if start > 0 && b[start - 1] == b'\\' {
            start += 1;
        }
        let mut end = start + len;
        while end > start && b[end - 1] == b'\\' {
            end -= 1;
        }
        &self.0[start..end]
    }
}

pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

struct Ctx<'a> {
    rng: Rng,
    pool: &'a Pool,
    cwd: String,
    session: String,
    branch: String,
    /// Never spawn a subagent (a single appended call).
    no_task: bool,
}

/// A file being written, with the time of its last line.
struct Out {
    w: BufWriter<File>,
    path: PathBuf,
    last: i64,
    bytes: u64,
}

impl Out {
    fn create(path: PathBuf) -> io::Result<Out> {
        if let Some(d) = path.parent() {
            fs::create_dir_all(d)?;
        }
        Ok(Out { w: BufWriter::with_capacity(1 << 16, File::create(&path)?), path, last: 0, bytes: 0 })
    }
    fn line(&mut self, ts: i64, s: &str) -> io::Result<()> {
        self.w.write_all(s.as_bytes())?;
        self.w.write_all(b"\n")?;
        self.bytes += s.len() as u64 + 1;
        self.last = self.last.max(ts);
        Ok(())
    }
    fn finish(mut self) -> io::Result<u64> {
        self.w.flush()?;
        let f = self.w.into_inner().map_err(|e| e.into_error())?;
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(self.last.max(0) as u64);
        f.set_modified(t)?;
        Ok(self.bytes)
    }
}

/// The fields every line of a session starts with.
fn envelope(c: &Ctx, side: bool, parent: &str) -> String {
    format!(
        r#""parentUuid":"{parent}","isSidechain":{side},"userType":"external","cwd":"{}","sessionId":"{}","version":"2.1.39","gitBranch":"{}""#,
        c.cwd, c.session, c.branch
    )
}

/// Usage of one call, as the API reports it.
#[derive(Clone, Copy)]
struct Usage {
    input: u64,
    output: u64,
    write: u64,
    read: u64,
    one_hour: bool,
}

fn usage_json(u: &Usage, output: u64) -> String {
    let (w5, w1) = if u.one_hour { (0, u.write) } else { (u.write, 0) };
    format!(
        r#"{{"input_tokens":{},"cache_creation_input_tokens":{},"cache_read_input_tokens":{},"cache_creation":{{"ephemeral_5m_input_tokens":{w5},"ephemeral_1h_input_tokens":{w1}}},"output_tokens":{output},"service_tier":"standard","inference_geo":"global"}}"#,
        u.input, u.write, u.read
    )
}

/// The assistant lines of one call: one per content block, sharing ids, output growing to the last.
#[allow(clippy::too_many_arguments)]
fn assistant_lines(
    c: &mut Ctx,
    model: &str,
    u: &Usage,
    side: bool,
    ts: i64,
    blocks: &[String],
    agent: Option<&str>,
) -> Vec<(i64, String, String)> {
    let msg = format!("msg_01{}", c.rng.hex(22));
    let req = format!("req_011C{}", c.rng.hex(18));
    let mut out = Vec::new();
    let mut parent = c.rng.uuid();
    for (i, block) in blocks.iter().enumerate() {
        let last = i + 1 == blocks.len();
        let output = if last { u.output } else { c.rng.range(1, 12).min(u.output) };
        let uuid = c.rng.uuid();
        let t = ts + i as i64 * c.rng.range(200, 2500) as i64;
        let agent_field = agent.map(|a| format!(r#","agentId":"{a}""#)).unwrap_or_default();
        let env = envelope(c, side, &parent);
        let message = format!(
            r#"{{"model":"{model}","id":"{msg}","type":"message","role":"assistant","content":[{block}],"stop_reason":null,"stop_sequence":null,"usage":{}}}"#,
            usage_json(u, output)
        );
        let line = format!(
            r#"{{{env}{agent_field},"message":{message},"requestId":"{req}","type":"assistant","uuid":"{uuid}","timestamp":"{}"}}"#,
            rfc3339(t)
        );
        out.push((t, line, message));
        parent = uuid;
    }
    out
}

fn thinking(c: &mut Ctx) -> String {
    let n = c.rng.skewed(200, 4000) as usize;
    format!(r#"{{"type":"thinking","thinking":"{}","signature":"{}"}}"#, c.pool.text(&mut c.rng, n), c.rng.hex(64))
}

fn text_block(c: &mut Ctx) -> String {
    let n = c.rng.skewed(40, 1500) as usize;
    format!(r#"{{"type":"text","text":"{}"}}"#, c.pool.text(&mut c.rng, n))
}

fn tool_use(c: &mut Ctx, id: &str, name: &str) -> String {
    let n = c.rng.skewed(60, 8000) as usize;
    format!(
        r#"{{"type":"tool_use","id":"{id}","name":"{name}","input":{{"command":"{}"}}}}"#,
        c.pool.text(&mut c.rng, n)
    )
}

fn hook(c: &mut Ctx, event: &str, tool_id: &str, ts: i64) -> String {
    let p = c.rng.uuid();
    let env = envelope(c, false, &p);
    format!(
        r#"{{{env},"type":"progress","data":{{"type":"hook_progress","hookEvent":"{event}","hookName":"{event}:Bash","command":"$HOME/.claude/hooks/notify.sh {event}"}},"parentToolUseID":"{tool_id}","toolUseID":"{tool_id}","timestamp":"{}","uuid":"{}"}}"#,
        rfc3339(ts),
        c.rng.uuid()
    )
}

fn tool_result(c: &mut Ctx, tool_id: &str, ts: i64) -> String {
    let n = c.rng.skewed(150, 60_000) as usize;
    let p = c.rng.uuid();
    let env = envelope(c, false, &p);
    format!(
        r#"{{{env},"type":"user","message":{{"role":"user","content":[{{"tool_use_id":"{tool_id}","type":"tool_result","content":"{}","is_error":false}}]}},"uuid":"{}","timestamp":"{}","toolUseResult":{{"stdout":"","stderr":"","interrupted":false}}}}"#,
        c.pool.text(&mut c.rng, n),
        c.rng.uuid(),
        rfc3339(ts)
    )
}

fn user_prompt(c: &mut Ctx, ts: i64) -> String {
    let n = c.rng.skewed(30, 3000) as usize;
    let p = c.rng.uuid();
    let env = envelope(c, false, &p);
    format!(
        r#"{{{env},"type":"user","message":{{"role":"user","content":"{}"}},"uuid":"{}","timestamp":"{}","permissionMode":"default"}}"#,
        c.pool.text(&mut c.rng, n),
        c.rng.uuid(),
        rfc3339(ts)
    )
}

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
                session(&projects, &pool, rng.next(), project, t, budget, stop_by, resume.as_deref())?;
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
    let (_, bytes, _) = session(&projects, &pool, rng.next(), 0, live_start, 400_000, end - 8 * MINUTE_MS, None)?;
    total += bytes;
    settle_dir_times(&projects)?;
    Ok(total)
}

/// Directories get the time of their newest entry, as they would have had when it was created;
/// otherwise every directory would look just modified and be checked on every prompt.
fn settle_dir_times(dir: &Path) -> io::Result<std::time::SystemTime> {
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

/// The account's Codex quota as the service would report it: a 5-hour and a weekly window that each
/// start with the first call after the previous one reset, and fill with cost.
struct Quota {
    five_reset: i64,
    five_used: f64,
    week_reset: i64,
    week_used: f64,
}

impl Quota {
    /// Dollars per percent: a 5-hour window of about $25, a week of about $200.
    const FIVE_CPP: f64 = 0.25;
    const WEEK_CPP: f64 = 2.0;

    fn spend(&mut self, ts: i64, dollars: f64) {
        if ts >= self.five_reset {
            self.five_reset = ts + 5 * HOUR_MS;
            self.five_used = 0.0;
        }
        if ts >= self.week_reset {
            self.week_reset = ts + 7 * DAY_MS;
            self.week_used = 0.0;
        }
        self.five_used = (self.five_used + dollars / Self::FIVE_CPP).min(100.0);
        self.week_used = (self.week_used + dollars / Self::WEEK_CPP).min(100.0);
    }

    fn json(&self) -> String {
        format!(
            r#"{{"limit_id":"codex","primary":{{"used_percent":{:.1},"window_minutes":300,"resets_at":{}}},"secondary":{{"used_percent":{:.1},"window_minutes":10080,"resets_at":{}}},"credits":null,"plan_type":"plus"}}"#,
            self.five_used,
            self.five_reset / 1000,
            self.week_used,
            self.week_reset / 1000
        )
    }
}

fn usage(v: [u64; 5]) -> String {
    format!(
        r#"{{"input_tokens":{},"cached_input_tokens":{},"output_tokens":{},"reasoning_output_tokens":{},"total_tokens":{}}}"#,
        v[0], v[1], v[2], v[3], v[4]
    )
}

/// One Codex rollout (sized like the real one: about 11 KB per call); returns its end time and bytes,
/// and its token_count lines for a fork to replay.
#[allow(clippy::too_many_arguments)]
fn rollout(
    sessions: &Path,
    pool: &Pool,
    seed: u64,
    start: i64,
    budget: u64,
    stop_by: i64,
    quota: &mut Quota,
    parent: Option<(&str, &[String])>,
) -> io::Result<(i64, u64, String, Vec<String>)> {
    let mut rng = Rng::new(seed);
    let id = rng.uuid();
    let day = chrono::DateTime::from_timestamp_millis(start).unwrap_or_default();
    let dir = sessions.join(day.format("%Y/%m/%d").to_string());
    let name = format!("rollout-{}-{id}.jsonl", day.format("%Y-%m-%dT%H-%M-%S"));
    let mut out = Out::create(dir.join(name))?;
    let mut t = start;
    let forked = parent.map(|(pid, _)| format!(r#","forked_from_id":"{pid}""#)).unwrap_or_default();
    let instructions = pool.text(&mut rng, 20_000);
    out.line(
        t,
        &format!(
            r#"{{"timestamp":"{}","type":"session_meta","payload":{{"id":"{id}","timestamp":"{}","cwd":"/home/dev/src/project-1","originator":"codex_cli_rs","cli_version":"0.125.0","source":"cli","model_provider":"openai"{forked},"base_instructions":{{"text":"{instructions}"}}}}}}"#,
            rfc3339(t),
            rfc3339(t)
        ),
    )?;
    let mut tokens_lines = Vec::new();
    let mut total = [0u64; 5];
    if let Some((_, replay)) = parent {
        // A fork starts by replaying its parent's token counts, all at once.
        for l in replay {
            let v = l.replacen(&l[14..38], &rfc3339(t + 300), 1);
            out.line(t + 300, &v)?;
        }
        if let Some(last) = replay.last() {
            let totals: Vec<u64> = last
                .split(r#""total_token_usage":"#)
                .nth(1)
                .map(|r| {
                    r.split(['}', ',']).filter_map(|kv| kv.split(':').nth(1)?.trim().parse().ok()).take(5).collect()
                })
                .unwrap_or_default();
            if totals.len() == 5 {
                total.copy_from_slice(&totals);
            }
        }
        t += 20_000;
    }
    let model = if rng.chance(70) { "gpt-5.5" } else { "gpt-5.3-codex" };
    out.line(
        t,
        &format!(
            r#"{{"timestamp":"{}","type":"turn_context","payload":{{"cwd":"/home/dev/src/project-1","approval_policy":"on-request","sandbox_policy":{{"type":"workspace-write"}},"model":"{model}","effort":"medium","summary":"auto"}}}}"#,
            rfc3339(t)
        ),
    )?;
    let (pin, pcached, pout) = match model {
        "gpt-5.5" => (5.0, 0.5, 30.0),
        _ => (1.75, 0.175, 14.0),
    };
    let mut context = rng.range(15_000, 25_000);
    while out.bytes < budget && t < stop_by {
        let call = format!("call_{}", rng.hex(24));
        if rng.chance(40) {
            let n = rng.skewed(200, 2000) as usize;
            out.line(t, &format!(r#"{{"timestamp":"{}","type":"response_item","payload":{{"type":"reasoning","summary":[],"content":null,"encrypted_content":"{}"}}}}"#, rfc3339(t), pool.text(&mut rng, n)))?;
        }
        out.line(t, &format!(r#"{{"timestamp":"{}","type":"response_item","payload":{{"type":"function_call","name":"exec_command","arguments":"{{\"cmd\": \"{}\"}}","call_id":"{call}"}}}}"#, rfc3339(t), pool.text(&mut rng, 120)))?;
        t += rng.range(1_000, 20_000) as i64;
        let n = rng.skewed(100, 40_000) as usize;
        out.line(t, &format!(r#"{{"timestamp":"{}","type":"response_item","payload":{{"type":"function_call_output","call_id":"{call}","output":"{}"}}}}"#, rfc3339(t), pool.text(&mut rng, n)))?;
        if rng.chance(45) {
            let n = rng.skewed(300, 12_000) as usize;
            out.line(t, &format!(r#"{{"timestamp":"{}","type":"event_msg","payload":{{"type":"exec_command_end","call_id":"{call}","exit_code":0,"aggregated_output":"{}"}}}}"#, rfc3339(t), pool.text(&mut rng, n)))?;
        }
        let input = context;
        let cached = input.saturating_sub(rng.range(500, 6_000)).min(input);
        let output = rng.skewed(30, 2_500);
        let reasoning = output * rng.below(60) / 100;
        let last = [input, cached, output, reasoning, input + output];
        total = std::array::from_fn(|i| total[i] + last[i]);
        let dollars = ((input - cached) as f64 * pin + cached as f64 * pcached + output as f64 * pout) / 1e6;
        quota.spend(t, dollars);
        let line = format!(
            r#"{{"timestamp":"{}","type":"event_msg","payload":{{"type":"token_count","info":{{"total_token_usage":{},"last_token_usage":{},"model_context_window":258400}},"rate_limits":{}}}}}"#,
            rfc3339(t),
            usage(total),
            usage(last),
            quota.json()
        );
        out.line(t, &line)?;
        tokens_lines.push(line);
        context += rng.range(800, 6_000) + output;
        if context > 200_000 {
            context = rng.range(20_000, 40_000);
        }
        t += rng.range(2_000, 30_000) as i64;
        if rng.chance(5) {
            t += rng.range(60_000, 8 * MINUTE_MS as u64) as i64;
        }
    }
    let bytes = out.finish()?;
    Ok((t, bytes, id, tokens_lines))
}

/// Writes about `size` bytes of Codex rollouts under `codex_home/sessions`, over `days` days ending at
/// `end`; a few are forks that replay their parent; the last one runs shortly before `end`.
pub fn codex_history(codex_home: &Path, size: u64, days: u32, end: i64, seed: u64) -> io::Result<u64> {
    let sessions = codex_home.join("sessions");
    let mut rng = Rng::new(seed ^ 0xc0de);
    let pool = Pool::new(&mut rng);
    let days = days.max(1) as i64;
    let per_day = size / days as u64;
    let first_day = (end - (days - 1) * DAY_MS).div_euclid(DAY_MS) * DAY_MS;
    let mut quota = Quota { five_reset: 0, five_used: 0.0, week_reset: 0, week_used: 0.0 };
    let mut total = 0u64;
    let mut previous: Option<(String, Vec<String>)> = None;
    for d in 0..days {
        let day = first_day + d * DAY_MS;
        let stop_by = if d == days - 1 { end - 6 * HOUR_MS } else { day + 23 * HOUR_MS };
        let mut t = day + 8 * HOUR_MS + rng.below(2 * HOUR_MS as u64) as i64;
        let mut written = 0;
        while written < per_day && t < stop_by {
            let budget = rng.skewed(200_000, 4_000_000).min(per_day - written + 20_000);
            let parent = previous.as_ref().filter(|_| rng.chance(8)).map(|(id, lines)| (id.as_str(), lines.as_slice()));
            let (t_end, bytes, id, lines) =
                rollout(&sessions, &pool, rng.next(), t, budget, stop_by, &mut quota, parent)?;
            written += bytes;
            previous = Some((id, lines));
            t = t_end + rng.range(2 * MINUTE_MS as u64, 30 * MINUTE_MS as u64) as i64;
        }
        total += written;
    }
    let (_, bytes, _, _) =
        rollout(&sessions, &pool, rng.next(), end - 30 * MINUTE_MS, 150_000, end - 5 * MINUTE_MS, &mut quota, None)?;
    total += bytes;
    if sessions.exists() {
        settle_dir_times(&sessions)?;
    }
    Ok(total)
}

/// Parses `40M`, `1G`, `500K`, `123`.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (num, mult) = match s.chars().last()?.to_ascii_uppercase() {
        'K' => (&s[..s.len() - 1], 1u64 << 10),
        'M' => (&s[..s.len() - 1], 1 << 20),
        'G' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.trim().parse::<f64>().ok().map(|n| (n * mult as f64) as u64)
}

#[allow(clippy::too_many_arguments)]
pub fn command(
    out: &Path,
    size: &str,
    codex_size: &str,
    days: u32,
    end: Option<&str>,
    seed: u64,
    append_to: Option<&Path>,
) -> io::Result<()> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("bad {what}"));
    let end = match end {
        Some(e) => crate::claude::parse_ts(e).ok_or_else(|| bad("time"))?,
        None => crate::config::wall_ms(),
    };
    if let Some(path) = append_to {
        let n = append_call(path, end, seed ^ end as u64)?;
        return crate::emit(&format!("appended one call ({n} bytes) to {}\n", path.display()));
    }
    let size = parse_size(size).ok_or_else(|| bad("size"))?;
    let codex_size = parse_size(codex_size).ok_or_else(|| bad("codex size"))?;
    let claude = claude_history(&out.join("claude"), size, days, end, seed)?;
    let mut msg = format!("wrote {claude} bytes of Claude Code history to {}\n", out.join("claude").display());
    if codex_size > 0 {
        let codex = codex_history(&out.join("codex"), codex_size, days, end, seed)?;
        msg += &format!("wrote {codex} bytes of Codex CLI history to {}\n", out.join("codex").display());
    }
    crate::emit(&msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("40M"), Some(40 << 20));
        assert_eq!(parse_size("1.5k"), Some(1536));
        assert_eq!(parse_size("77"), Some(77));
        assert_eq!(parse_size("x"), None);
    }

    #[test]
    fn generated_rollouts_are_json_with_snapshots() {
        let d = tempfile::tempdir().unwrap();
        let end = 1_770_930_000_000;
        let n = codex_history(d.path(), 1 << 20, 3, end, 3).unwrap();
        assert!(n >= 1 << 20);
        let mut counts = 0;
        for e in walk(&d.path().join("sessions")) {
            assert!(e.file_name().unwrap().to_string_lossy().starts_with("rollout-"));
            for line in fs::read_to_string(&e).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}"));
                if v["payload"]["type"] == "token_count" {
                    counts += 1;
                    assert!(v["payload"]["rate_limits"]["primary"]["window_minutes"] == 300);
                }
            }
        }
        assert!(counts > 20, "{counts}");
    }

    #[test]
    fn generated_lines_are_json_and_carry_usage() {
        let d = tempfile::tempdir().unwrap();
        let end = 1_770_930_000_000;
        let n = claude_history(d.path(), 3 << 20, 3, end, 7).unwrap();
        assert!(n >= 3 << 20);
        let mut files = 0;
        let mut usage = 0;
        let mut newest = 0i64;
        for e in walk(&d.path().join("projects")) {
            files += 1;
            for line in fs::read_to_string(&e).unwrap().lines() {
                let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}"));
                if line.contains(r#""usage":{"#) {
                    usage += 1;
                }
                if let Some(ts) = v["timestamp"].as_str() {
                    newest = newest.max(crate::claude::parse_ts(ts).unwrap());
                }
            }
            let m = fs::metadata(&e).unwrap().modified().unwrap();
            assert!(m <= std::time::UNIX_EPOCH + std::time::Duration::from_millis(end as u64));
        }
        assert!(files > 3 && usage > 50, "{files} files, {usage} usage lines");
        assert!(newest <= end && newest > end - HOUR_MS, "the last call is shortly before the end");
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
        out
    }
}
