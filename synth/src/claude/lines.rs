//! The lines of a Claude Code transcript, one shape per kind, as real 2.1.39 files write them.

use crate::rng::Rng;
use crate::text::{Pool, rfc3339};

/// One session as it is written: its random stream, its text, and the fields each line repeats.
pub(super) struct Ctx<'a> {
    pub(super) rng: Rng,
    pub(super) pool: &'a Pool,
    pub(super) cwd: String,
    pub(super) session: String,
    pub(super) branch: String,
    /// Never spawn a subagent (a single appended call).
    pub(super) no_task: bool,
}

/// The fields every line of a session starts with.
pub(super) fn envelope(c: &Ctx, side: bool, parent: &str) -> String {
    format!(
        r#""parentUuid":"{parent}","isSidechain":{side},"userType":"external","cwd":"{}","sessionId":"{}","version":"2.1.39","gitBranch":"{}""#,
        c.cwd, c.session, c.branch
    )
}

/// Usage of one call, as the API reports it.
#[derive(Clone, Copy)]
pub(super) struct Usage {
    pub(super) input: u64,
    pub(super) output: u64,
    pub(super) write: u64,
    pub(super) read: u64,
    pub(super) one_hour: bool,
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
pub(super) fn assistant_lines(
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

pub(super) fn thinking(c: &mut Ctx) -> String {
    let n = c.rng.skewed(200, 4000) as usize;
    format!(r#"{{"type":"thinking","thinking":"{}","signature":"{}"}}"#, c.pool.text(&mut c.rng, n), c.rng.hex(64))
}

pub(super) fn text_block(c: &mut Ctx) -> String {
    let n = c.rng.skewed(40, 1500) as usize;
    format!(r#"{{"type":"text","text":"{}"}}"#, c.pool.text(&mut c.rng, n))
}

pub(super) fn tool_use(c: &mut Ctx, id: &str, name: &str) -> String {
    let n = c.rng.skewed(60, 8000) as usize;
    format!(
        r#"{{"type":"tool_use","id":"{id}","name":"{name}","input":{{"command":"{}"}}}}"#,
        c.pool.text(&mut c.rng, n)
    )
}

pub(super) fn hook(c: &mut Ctx, event: &str, tool_id: &str, ts: i64) -> String {
    let p = c.rng.uuid();
    let env = envelope(c, false, &p);
    format!(
        r#"{{{env},"type":"progress","data":{{"type":"hook_progress","hookEvent":"{event}","hookName":"{event}:Bash","command":"$HOME/.claude/hooks/notify.sh {event}"}},"parentToolUseID":"{tool_id}","toolUseID":"{tool_id}","timestamp":"{}","uuid":"{}"}}"#,
        rfc3339(ts),
        c.rng.uuid()
    )
}

pub(super) fn tool_result(c: &mut Ctx, tool_id: &str, ts: i64) -> String {
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

pub(super) fn user_prompt(c: &mut Ctx, ts: i64) -> String {
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
