use super::*;

fn read(lines: &[String]) -> (Vec<Found<'_>>, u32) {
    let mut r = Reader::default();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        Lines::line(&mut r, l.as_bytes(), i as u64, b"/x/rollout.jsonl", &mut out);
    }
    let bad = out.iter().filter(|f| matches!(f, Found::Malformed)).count() as u32;
    out.retain(|f| !matches!(f, Found::Malformed));
    (out, bad)
}

fn tc(ts: &str, total: [u64; 5], last: Option<[u64; 5]>, limits: &str) -> String {
    let u = |v: [u64; 5]| {
        format!(
            r#"{{"input_tokens":{},"cached_input_tokens":{},"output_tokens":{},"reasoning_output_tokens":{},"total_tokens":{}}}"#,
            v[0], v[1], v[2], v[3], v[4]
        )
    };
    let last = last.map_or("null".to_owned(), u);
    format!(
        r#"{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"token_count","info":{{"total_token_usage":{},"last_token_usage":{last},"model_context_window":258400}},"rate_limits":{limits}}}}}"#,
        u(total)
    )
}

fn ctx(model: &str) -> String {
    format!(
        r#"{{"timestamp":"2026-05-11T08:27:17.493Z","type":"turn_context","payload":{{"cwd":"/x","model":"{model}","effort":"medium"}}}}"#
    )
}

fn usage<'a>(f: &'a Found<'a>) -> &'a Call<'a> {
    match f {
        Found::Call(u) => u,
        _ => panic!("not usage"),
    }
}

#[test]
fn last_usage_else_the_difference_of_totals() {
    // The fixture's first two calls: 18,703 in (none cached) + 167 out (62 of it reasoning); then
    // 18,911 in of which 18,304 cached + 37 out (no more reasoning: the totals' 62 stays).
    let lines = vec![
        ctx("gpt-5.5"),
        tc("2026-05-11T08:27:22.767Z", [18703, 0, 167, 62, 18870], Some([18703, 0, 167, 62, 18870]), "null"),
        tc("2026-05-11T08:27:27.798Z", [37614, 18304, 204, 62, 37818], None, "null"),
    ];
    let (out, bad) = read(&lines);
    assert_eq!(bad, 0);
    assert_eq!(usage(&out[0]).tokens, Tokens { input: 18703, output: 167, cache_read: 0, reasoning: 62, ..Tokens::default() });
    assert_eq!(
        usage(&out[1]).tokens,
        Tokens { input: 18911 - 18304, output: 37, cache_read: 18304, ..Tokens::default() }
    );
    assert_eq!(usage(&out[1]).model, "gpt-5.5");
}

#[test]
fn heartbeats_and_rate_limits() {
    let limits = r#"{"limit_id":"codex","primary":{"used_percent":7.0,"window_minutes":10080,"resets_at":1778900000},"secondary":{"used_percent":31.0,"window_minutes":300,"resets_in_seconds":600},"plan_type":"plus"}"#;
    let heartbeat = format!(
        r#"{{"timestamp":"2026-05-11T08:27:01.500Z","type":"event_msg","payload":{{"type":"token_count","info":null,"rate_limits":{limits}}}}}"#
    );
    let lines = [heartbeat];
    let (out, _) = read(&lines);
    assert_eq!(out.len(), 2, "a heartbeat carries limits, no usage");
    // Classified by window length, not by position.
    assert_eq!(
        out[0],
        Found::Reading(Reading::new(crate::provider::codex::SPEC.provider, Window::SevenDay, 7.0, 1_778_900_000_000, 1_778_488_021_500))
    );
    assert_eq!(
        out[1],
        Found::Reading(Reading::new(crate::provider::codex::SPEC.provider, Window::FiveHour, 31.0, 1_778_488_621_500, 1_778_488_021_500))
    );
}

#[test]
fn a_fork_does_not_count_its_replay() {
    let meta = r#"{"timestamp":"2026-05-11T09:00:00.000Z","type":"session_meta","payload":{"id":"child","forked_from_id":"parent","timestamp":"2026-05-11T09:00:00.000Z","cwd":"/x","source":"cli"}}"#.to_owned();
    let lines = vec![
        meta,
        ctx("gpt-5.5"),
        tc("2026-05-11T09:00:00.120Z", [100, 0, 10, 0, 110], Some([100, 0, 10, 0, 110]), "null"),
        tc("2026-05-11T09:00:00.130Z", [300, 50, 30, 0, 330], Some([200, 50, 20, 0, 220]), "null"),
        tc("2026-05-11T09:01:10.000Z", [700, 350, 40, 0, 740], None, "null"),
    ];
    let (out, _) = read(&lines);
    assert_eq!(out[0], Found::Project("/x".into()), "the session's working directory");
    assert_eq!(out.len(), 2, "only the call after the fork");
    assert_eq!(usage(&out[1]).tokens, Tokens { input: 100, output: 10, cache_read: 300, ..Tokens::default() });
    // A sub-agent names its parent inside `source`.
    let spawned = r#"{"timestamp":"2026-05-11T09:00:00.000Z","type":"session_meta","payload":{"id":"c","source":{"subagent":{"thread_spawn":{"parent_thread_id":"p","depth":1}}}}}"#;
    let mut r = Reader::default();
    r.read(spawned.as_bytes(), b"", 0, &mut Vec::new());
    assert!(r.child_of_at.is_some());
}

#[test]
fn replayed_copies_share_the_original_key() {
    let a = tc("2026-05-11T08:00:00.000Z", [300, 50, 30, 0, 330], Some([200, 50, 20, 0, 220]), "null");
    let b = tc("2026-05-11T09:00:00.000Z", [300, 50, 30, 0, 330], Some([200, 50, 20, 0, 220]), "null");
    let (one, two) = ([ctx("gpt-5.5"), a], [ctx("gpt-5.5"), b]);
    let (x, _) = read(&one);
    let (y, _) = read(&two);
    assert_eq!(usage(&x[0]).key, usage(&y[0]).key);
}

#[test]
fn models_fall_back_clearly() {
    let lines = [tc("2025-09-01T00:00:00Z", [5, 0, 5, 0, 10], None, "null")];
    let (out, _) = read(&lines);
    assert_eq!(usage(&out[0]).model, ASSUMED_MODEL);
    assert_eq!(crate::read::pricing::lookup(ASSUMED_MODEL).map(|p| p.key), Some("gpt-5"));
    let lines = [ctx("codex-auto-review"), tc("2026-03-10T00:00:00Z", [5, 0, 5, 0, 10], None, "null")];
    let (out, _) = read(&lines);
    assert_eq!(usage(&out[0]).model, "gpt-5.4");
}

#[test]
fn bad_counts_are_malformed_and_state_survives() {
    let bad = tc("2026-05-11T08:00:00Z", [5, 0, 5, 0, 10], None, "null")
        .replace(r#""output_tokens":5"#, r#""output_tokens":-5"#);
    let (_, n) = read(&[bad]);
    assert_eq!(n, 1);
    let r = Reader { model: Some("gpt-5.5".into()), prev_total: Some([1, 2, 3, 4, 5]), child_of_at: Some(9) };
    assert_eq!(Reader::resume(&r.save()), r);
    assert_eq!(Reader::resume(&[]), Reader::default());
}
