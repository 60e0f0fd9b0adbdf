//! Synthetic Codex CLI rollouts: sessions with rate-limit snapshots from an account whose quota fills
//! with cost, and forks that begin by replaying their parent.

use std::io;
use std::path::Path;

use crate::claude::settle_dir_times;
use crate::out::Out;
use crate::rng::Rng;
use crate::text::{Pool, rfc3339};
use crate::{DAY_MS, HOUR_MS, MINUTE_MS};

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
    let day = jiff::Timestamp::from_millisecond(start).unwrap_or_default();
    let dir = sessions.join(day.strftime("%Y/%m/%d").to_string());
    let name = format!("rollout-{}-{id}.jsonl", day.strftime("%Y-%m-%dT%H-%M-%S"));
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
                rollout(&sessions, &pool, rng.next_u64(), t, budget, stop_by, &mut quota, parent)?;
            written += bytes;
            previous = Some((id, lines));
            t = t_end + rng.range(2 * MINUTE_MS as u64, 30 * MINUTE_MS as u64) as i64;
        }
        total += written;
    }
    let (_, bytes, _, _) = rollout(
        &sessions,
        &pool,
        rng.next_u64(),
        end - 30 * MINUTE_MS,
        150_000,
        end - 5 * MINUTE_MS,
        &mut quota,
        None,
    )?;
    total += bytes;
    if sessions.exists() {
        settle_dir_times(&sessions)?;
    }
    Ok(total)
}
