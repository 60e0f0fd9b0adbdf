//! Which of the repeated lines count.
//!
//! Claude Code writes one response many times: once per content block (with `output_tokens` still
//! growing), again inside the parent's `agent_progress` lines, again when a session is resumed or
//! forked, and as `/btw` sidechain replays that keep `message.id` but get a new `requestId`.
//!
//! The rule (docs/counting.md, Claude Code, 2): lines with the same (`message.id`, `requestId`) are
//! one response; a sidechain line with the same `message.id` and another `requestId` is that same response; lines
//! without `message.id` are each their own entry. Within a response the line with the larger token
//! total wins, then a non-sidechain line, then the earlier one.
//!
//! The winner is a function of the set of lines alone, never of the order they were read in, so an
//! incremental read and a fresh full read always agree.

use std::cmp::Ordering;

use super::record::Rec;

/// Orders two lines of one response: `Greater` means `a` is the one to count.
pub fn better(a: &Rec, b: &Rec) -> Ordering {
    a.tok
        .total()
        .cmp(&b.tok.total())
        // A call given again with the premium requests a later event reported (Copilot's shutdown).
        .then(a.premium.cmp(&b.premium))
        .then(b.sidechain().cmp(&a.sidechain()))
        .then(b.ts.cmp(&a.ts))
        .then(a.cost.cmp(&b.cost))
        .then(a.tok.output.cmp(&b.tok.output))
        .then(a.tok.input.cmp(&b.tok.input))
        .then(a.tok.cache_read.cmp(&b.tok.cache_read))
        .then(a.tok.write_1h.cmp(&b.tok.write_1h))
        .then(b.model.cmp(&a.model))
        // Copies alike in every count (a resumed session's): the older file's (lower id, see
        // `store::ingest`), so the session report gives the call to the session that made it.
        .then(b.file.cmp(&a.file))
}

/// Given every stored line that shares one `msg`, returns the indices of the lines that count.
pub fn resolve(members: &[Rec]) -> Vec<usize> {
    if members.len() <= 1 {
        return (0..members.len()).collect();
    }
    let mut main_keys: Vec<u64> = members.iter().filter(|r| !r.sidechain()).map(|r| r.key).collect();
    main_keys.sort_unstable();
    main_keys.dedup();

    // The response each line belongs to; `None` is "sidechain replays of a response whose main line
    // was never seen", which all merge.
    let group = |r: &Rec| -> Option<u64> {
        if !r.sidechain() || main_keys.binary_search(&r.key).is_ok() { Some(r.key) } else { main_keys.first().copied() }
    };

    let mut best: Vec<(Option<u64>, usize)> = Vec::new();
    for (i, r) in members.iter().enumerate() {
        let g = group(r);
        match best.iter_mut().find(|(bg, _)| *bg == g) {
            Some((_, w)) => {
                if better(r, &members[*w]) == Ordering::Greater {
                    *w = i;
                }
            }
            None => best.push((g, i)),
        }
    }
    let mut out: Vec<usize> = best.into_iter().map(|(_, i)| i).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::provider::Provider;
    use crate::ground::tokens::{SIDECHAIN, Tokens};

    fn rec(key: u64, side: bool, ts: i64, output: u64) -> Rec {
        Rec {
            ts,
            msg: 1,
            key,
            tok: Tokens { input: 3, output, write_5m: 100, write_1h: 0, cache_read: 1000, reasoning: 0 },
            cost: output,
            premium: 0,
            file: 0,
            model: 0,
            flags: if side { SIDECHAIN } else { 0 },
            provider: Provider::CLAUDE,
        }
    }

    #[test]
    fn streaming_lines_keep_the_final_count() {
        // output_tokens 10, 10, 10, 299: one response, the 299 line counts.
        let m = [rec(5, false, 1, 10), rec(5, false, 2, 10), rec(5, false, 3, 299), rec(5, false, 4, 10)];
        assert_eq!(resolve(&m), vec![2]);
    }

    #[test]
    fn equal_lines_keep_the_earliest() {
        let m = [rec(5, false, 20, 10), rec(5, false, 10, 10)];
        assert_eq!(resolve(&m), vec![1]);
    }

    #[test]
    fn other_request_ids_are_other_responses() {
        // A relay reusing one message.id for different requests: two calls.
        let m = [rec(5, false, 1, 10), rec(6, false, 2, 20)];
        assert_eq!(resolve(&m), vec![0, 1]);
    }

    #[test]
    fn sidechain_replay_with_new_request_id_is_the_same_response() {
        let m = [rec(5, false, 1, 50), rec(9, true, 2, 50)];
        assert_eq!(resolve(&m), vec![0]);
        // Larger total still wins, even on a sidechain line.
        let m = [rec(5, false, 1, 50), rec(9, true, 2, 60)];
        assert_eq!(resolve(&m), vec![1]);
    }

    #[test]
    fn sidechain_only_replays_merge() {
        let m = [rec(8, true, 1, 5), rec(9, true, 2, 7)];
        assert_eq!(resolve(&m), vec![1]);
    }

    #[test]
    fn order_does_not_matter() {
        let m = vec![rec(5, false, 1, 10), rec(9, true, 2, 12), rec(5, false, 3, 40), rec(6, false, 4, 1)];
        let pick = |v: &[Rec]| {
            let mut w: Vec<Rec> = resolve(v).into_iter().map(|i| v[i]).collect();
            w.sort_by_key(|r| (r.ts, r.key));
            w
        };
        let mut rev = m.clone();
        rev.reverse();
        assert_eq!(pick(&m), pick(&rev));
        assert_eq!(pick(&m).len(), 2);
    }
}
