use super::*;

// Lines below are copied from the real fixtures (content shortened), not written from memory.
const ASSISTANT: &str = r#"{"parentUuid":"daa5a4bb","isSidechain":false,"userType":"external","cwd":"/home/USER/projects/x","sessionId":"4d5611e5-241a-462a-8d15-5122611a9569","version":"2.1.39","gitBranch":"spotter-dov","message":{"model":"claude-opus-4-6","id":"msg_01PdWvcjJ6E9BgscDveYt9YV","type":"message","role":"assistant","content":[{"type":"text","text":"\n\n"}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":15005,"cache_read_input_tokens":11442,"cache_creation":{"ephemeral_5m_input_tokens":15005,"ephemeral_1h_input_tokens":0},"output_tokens":9,"service_tier":"standard","inference_geo":"global"}},"requestId":"req_011CY4TRHLYkp2wmETF8ujUf","type":"assistant","uuid":"cb6290e9","timestamp":"2026-02-12T16:02:27.718Z"}"#;

#[test]
fn any_spelling_of_the_usage_member_passes_the_filter() {
    let f = Finder::default();
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(ASSISTANT).unwrap())
        .unwrap()
        .replace('\n', " ");
    let escaped = ASSISTANT.replace(r#""usage":"#, r#""\u0075sage":"#);
    for line in [ASSISTANT, &pretty, &escaped, &ASSISTANT.replace(r#""usage":{"#, "\"usage\"\t:\t{")] {
        assert!(f.may_carry_usage(line.as_bytes()), "{line}");
        assert!(matches!(parse(line.as_bytes()), Parsed::Usage(_)), "{line}");
    }
    // A line that only mentions usage, and one with an escape that spells no letter of it.
    let user = r#"{"type":"user","message":{"content":"the \"usage\": {} field, and \u001b[31m"}}"#;
    assert!(!f.may_carry_usage(user.as_bytes()));
    assert!(!f.may_carry_usage(br#"{"usage": 3}"#));
}

#[test]
fn assistant_line() {
    let Parsed::Usage(u) = parse(ASSISTANT.as_bytes()) else { panic!() };
    assert_eq!(u.ts, 1_770_912_147_718);
    assert_eq!(u.message_id.as_deref(), Some("msg_01PdWvcjJ6E9BgscDveYt9YV"));
    assert_eq!(u.request_id.as_deref(), Some("req_011CY4TRHLYkp2wmETF8ujUf"));
    assert_eq!(u.model, "claude-opus-4-6");
    assert_eq!(u.tokens, Tokens { input: 3, output: 9, write_5m: 15005, write_1h: 0, cache_read: 11442, reasoning: 0 });
    assert!(!u.sidechain);
}

#[test]
fn progress_line_nests_a_subagent_call() {
    let line = r#"{"isSidechain":false,"sessionId":"258c","type":"progress","timestamp":"2026-02-11T21:24:23.000Z","data":{"type":"agent_progress","agentId":"a881341","message":{"type":"assistant","timestamp":"2026-02-11T21:24:22.960Z","requestId":"req_sub","uuid":"u","message":{"model":"claude-haiku-4-5-20251001","id":"msg_sub","type":"message","role":"assistant","content":[],"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":9000,"output_tokens":1}}}}}"#;
    let Parsed::Usage(u) = parse(line.as_bytes()) else { panic!() };
    assert_eq!(u.ts, 1_770_845_062_960, "the nested call's own time");
    assert_eq!(u.request_id.as_deref(), Some("req_sub"));
    assert_eq!(u.tokens.cache_read, 9000);
    let hook = r#"{"type":"progress","data":{"type":"hook_progress","message":{"usage":{"input_tokens":1}}}}"#;
    assert_eq!(parse(hook.as_bytes()), Parsed::Nothing);
}

#[test]
fn a_line_not_quite_json_keeps_its_call() {
    // A folder named in another encoding (bytes that are not UTF-8), and half of an emoji.
    let Parsed::Usage(good) = parse(ASSISTANT.as_bytes()) else { panic!() };
    let mut bytes = ASSISTANT.replace("projects/x", "projects/x-CUT").into_bytes();
    let at = bytes.windows(3).position(|w| w == b"CUT").unwrap();
    bytes.splice(at..at + 3, [0xff, b'z']);
    let Parsed::Usage(u) = parse(&bytes) else { panic!() };
    assert_eq!((u.tokens, u.ts, u.cwd.as_deref()), (good.tokens, good.ts, Some("/home/USER/projects/x-\u{FFFD}z")));
    let half = ASSISTANT.replace("projects/x", r"projects/x\ud83d");
    let Parsed::Usage(u) = parse(half.as_bytes()) else { panic!() };
    assert_eq!((u.tokens, u.cwd.as_deref()), (good.tokens, Some("/home/USER/projects/x\u{FFFD}")));
}

#[test]
fn bad_counts_and_times_are_malformed() {
    for bad in ["-1", "1.5", "\"12\"", "null", "9007199254740992", "[1]"] {
        let line = ASSISTANT.replace("\"output_tokens\":9", &format!("\"output_tokens\":{bad}"));
        assert_eq!(parse(line.as_bytes()), Parsed::Malformed, "{bad}");
    }
    let ok = ASSISTANT.replace("\"output_tokens\":9", "\"output_tokens\":9007199254740991");
    assert!(matches!(parse(ok.as_bytes()), Parsed::Usage(_)));
    let whole = ASSISTANT.replace("\"output_tokens\":9", "\"output_tokens\":9.0");
    assert!(matches!(parse(whole.as_bytes()), Parsed::Usage(_)));
    let t = ASSISTANT.replace("2026-02-12T16:02:27.718Z", "yesterday");
    assert_eq!(parse(t.as_bytes()), Parsed::Malformed);
    assert_eq!(parse(&ASSISTANT.as_bytes()[..200]), Parsed::Malformed, "a cut line");
}

#[test]
fn other_lines_carry_nothing() {
    let user = r#"{"type":"user","message":{"role":"user","content":"{\"usage\":{\"input_tokens\":5}}"},"timestamp":"2026-02-12T16:02:27.718Z"}"#;
    assert_eq!(parse(user.as_bytes()), Parsed::Nothing);
    let synthetic = ASSISTANT.replace("claude-opus-4-6", "<synthetic>");
    assert_eq!(parse(synthetic.as_bytes()), Parsed::Nothing);
}

#[test]
fn usage_limit_notices() {
    let line = r#"{"type":"assistant","isApiErrorMessage":true,"timestamp":"2025-07-01T10:00:00Z","sessionId":"s","version":"1.0.40","message":{"id":"x","model":"<synthetic>","content":[{"type":"text","text":"Claude AI usage limit reached|1751378400"}],"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}"#;
    assert_eq!(
        parse(line.as_bytes()),
        Parsed::LimitHit { ts: 1_751_364_000_000, resets_at: Some(1_751_378_400_000) }
    );
    let newer = line.replace("Claude AI usage limit reached|1751378400", "5-hour limit reached ∙ resets 3pm");
    assert_eq!(parse(newer.as_bytes()), Parsed::LimitHit { ts: 1_751_364_000_000, resets_at: None });
    let other = line.replace("Claude AI usage limit reached|1751378400", "API Error: 529 overloaded");
    assert_eq!(parse(other.as_bytes()), Parsed::Nothing);
}

#[test]
fn one_hour_writes_and_modifiers() {
    let line = ASSISTANT
        .replace(
            r#""ephemeral_5m_input_tokens":15005,"ephemeral_1h_input_tokens":0"#,
            r#""ephemeral_5m_input_tokens":5,"ephemeral_1h_input_tokens":15000"#,
        )
        .replace(
            r#""inference_geo":"global""#,
            r#""inference_geo":"us","speed":"fast","server_tool_use":{"web_search_requests":2}"#,
        );
    let Parsed::Usage(u) = parse(line.as_bytes()) else { panic!() };
    assert_eq!((u.tokens.write_5m, u.tokens.write_1h), (5, 15000));
    assert!(u.mods.fast && u.mods.us_geo);
    assert_eq!(u.mods.web_searches, 2);
}
