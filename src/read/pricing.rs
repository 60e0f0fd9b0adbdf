//! The embedded price table, and what one API call costs.
//!
//! Prices are list prices in USD per million tokens, held as integers in micro-dollars per million
//! tokens, which is the same number as pico-dollars per token. Costs are summed as integer pico-dollars,
//! so a total never depends on the order the calls were added in.
//!
//! Sources: Anthropic's pricing page and OpenAI's API pricing (see README, "How the numbers are
//! computed"). No network: a model that is not here is counted in tokens and reported as unpriced.

use crate::ground::hash::Hasher;
use crate::ground::tokens::Tokens;

/// Pico-dollars per token for each kind of token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    pub input: u64,
    pub output: u64,
    pub write_5m: u64,
    pub write_1h: u64,
    pub read: u64,
}

#[derive(Debug)]
pub struct Price {
    pub key: &'static str,
    pub rates: Rates,
    /// Rates for the whole request once its prompt (input + cache) exceeds 200k tokens (Sonnet 4 / 4.5
    /// with the 1M-context beta). Anthropic bills the entire request at the premium, not just the excess.
    pub long: Option<Rates>,
    /// Fast-mode multiplier as (numerator, denominator).
    pub fast: (u64, u64),
    /// Claude 4.6 and later cost 1.1x when `inference_geo` is "us".
    pub us_premium: bool,
}

const M: u64 = 1_000_000; // one dollar per million tokens, in pico-dollars per token

/// Anthropic models: cache writes are 1.25x (5 minutes) and 2x (1 hour) input, reads 0.1x input.
const fn claude(key: &'static str, input: u64, output: u64, fast: u64, us: bool) -> Price {
    Price { key, rates: claude_rates(input, output), long: None, fast: (fast, 1), us_premium: us }
}

const fn claude_rates(input: u64, output: u64) -> Rates {
    Rates { input, output, write_5m: input * 5 / 4, write_1h: input * 2, read: input / 10 }
}

const fn claude_long(key: &'static str) -> Price {
    Price {
        key,
        rates: claude_rates(3 * M, 15 * M),
        long: Some(claude_rates(6 * M, 45 * M / 2)),
        fast: (1, 1),
        us_premium: false,
    }
}

/// OpenAI models: cached input has its own rate; there is no separate cache-write charge.
const fn openai(key: &'static str, input: u64, read: u64, output: u64, fast: (u64, u64)) -> Price {
    Price {
        key,
        rates: Rates { input, output, write_5m: input, write_1h: input, read },
        long: None,
        fast,
        us_premium: false,
    }
}

/// Keys are matched on name boundaries (see [`lookup`]); the longest matching key wins.
pub static TABLE: &[Price] = &[
    claude("claude-opus-5", 5 * M, 25 * M, 2, true),
    claude("claude-opus-4-8", 5 * M, 25 * M, 2, true),
    claude("claude-opus-4-7", 5 * M, 25 * M, 6, true),
    claude("claude-opus-4-6", 5 * M, 25 * M, 6, true),
    claude("claude-opus-4-5", 5 * M, 25 * M, 1, false),
    claude("claude-opus-4-1", 15 * M, 75 * M, 1, false),
    claude("claude-opus-4", 15 * M, 75 * M, 1, false),
    claude("claude-3-opus", 15 * M, 75 * M, 1, false),
    claude("claude-fable-5", 10 * M, 50 * M, 1, true),
    claude("claude-mythos-5", 10 * M, 50 * M, 1, true),
    claude("claude-sonnet-5", 2 * M, 10 * M, 1, true),
    claude("claude-sonnet-4-6", 3 * M, 15 * M, 1, true),
    claude_long("claude-sonnet-4-5"),
    claude_long("claude-sonnet-4"),
    claude("claude-3-7-sonnet", 3 * M, 15 * M, 1, false),
    claude("claude-3-5-sonnet", 3 * M, 15 * M, 1, false),
    claude("claude-haiku-4-5", M, 5 * M, 1, false),
    claude("claude-3-5-haiku", 4 * M / 5, 4 * M, 1, false),
    claude("claude-3-haiku", M / 4, 5 * M / 4, 1, false),
    openai("gpt-5", 5 * M / 4, M / 8, 10 * M, (2, 1)),
    openai("gpt-5-codex", 5 * M / 4, M / 8, 10 * M, (2, 1)),
    openai("gpt-5-mini", M / 4, M / 40, 2 * M, (2, 1)),
    openai("gpt-5-nano", M / 20, M / 200, 2 * M / 5, (2, 1)),
    openai("gpt-5-1", 5 * M / 4, M / 8, 10 * M, (2, 1)),
    openai("gpt-5-1-codex", 5 * M / 4, M / 8, 10 * M, (2, 1)),
    openai("gpt-5-1-codex-max", 5 * M / 4, M / 8, 10 * M, (2, 1)),
    openai("gpt-5-1-codex-mini", M / 4, M / 40, 2 * M, (2, 1)),
    openai("gpt-5-2", 7 * M / 4, 7 * M / 40, 14 * M, (2, 1)),
    openai("gpt-5-2-codex", 7 * M / 4, 7 * M / 40, 14 * M, (2, 1)),
    openai("gpt-5-3-codex", 7 * M / 4, 7 * M / 40, 14 * M, (2, 1)),
    openai("gpt-5-codex-mini", M / 4, M / 40, 2 * M, (2, 1)),
    openai("gpt-5-4", 5 * M / 2, M / 4, 15 * M, (2, 1)),
    openai("gpt-5-4-mini", 3 * M / 4, 3 * M / 40, 9 * M / 2, (2, 1)),
    openai("gpt-5-5", 5 * M, M / 2, 30 * M, (5, 2)),
];

/// Web search is billed per request: $10 per 1,000 searches.
pub const WEB_SEARCH_PICO: u64 = 10_000_000_000;

/// A fingerprint of the table: a cache priced with another table must be rebuilt.
pub fn table_hash() -> u64 {
    // The family rule (`read::family`) decides prices too: a change of it must rebuild the cache.
    let mut h = Hasher::new("prices, families v1");
    for p in TABLE {
        h.part(p.key.as_bytes());
        for r in [Some(p.rates), p.long].into_iter().flatten() {
            for v in [r.input, r.output, r.write_5m, r.write_1h, r.read] {
                h.u64(v);
            }
        }
        h.u64(p.fast.0).u64(p.fast.1).u64(u64::from(p.us_premium));
    }
    h.u64(WEB_SEARCH_PICO);
    h.finish()
}

/// Finds the price for a model name as transcripts write it: dated (`claude-sonnet-4-5-20250929`),
/// prefixed (`us.anthropic.claude-opus-4-6-v1`), dotted (`claude-opus-4.5`, `gpt-5.1-codex`).
///
/// A key matches where it stands in the normalised name between boundaries: nothing alphanumeric
/// before it, and after it either nothing, or something that does not start with a letter or digit and
/// is not a further version number (`-5` in `claude-opus-4-5` keeps `claude-opus-4` from matching),
/// except an 8-digit date. The longest matching key wins.
pub fn lookup(model: &str) -> Option<&'static Price> {
    let name = normalise(model);
    let mut best: Option<&'static Price> = None;
    for p in TABLE {
        if best.is_some_and(|b| b.key.len() >= p.key.len()) {
            continue;
        }
        if matches_at_boundary(&name, p.key) {
            best = Some(p);
        }
    }
    best
}

fn normalise(model: &str) -> String {
    model.trim().to_ascii_lowercase().replace(['.', '@'], "-")
}

fn matches_at_boundary(name: &str, key: &str) -> bool {
    name.match_indices(key).any(|(at, _)| {
        let before_ok = at == 0 || !name.as_bytes()[at - 1].is_ascii_alphanumeric();
        before_ok && suffix_ok(&name[at + key.len()..])
    })
}

/// A size or tier the name adds: a different model, never priced as the one without it.
const QUALIFIERS: [&str; 5] = ["mini", "nano", "pro", "max", "spark"];

fn suffix_ok(rest: &str) -> bool {
    let b = rest.as_bytes();
    if b.is_empty() {
        return true;
    }
    if b[0].is_ascii_alphanumeric() {
        return false;
    }
    if rest.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| QUALIFIERS.contains(&t)) {
        return false;
    }
    if b[0] == b'-' {
        let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let after = b.get(1 + digits);
        let version_like = digits > 0 && after.is_none_or(|c| !c.is_ascii_alphanumeric());
        if version_like && digits != 8 {
            return false;
        }
    }
    true
}

/// Modifiers recorded on the usage line itself.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Modifiers {
    pub fast: bool,
    pub us_geo: bool,
    pub web_searches: u64,
}

/// Cost of one call in pico-dollars.
pub fn cost(price: &Price, t: &Tokens, m: Modifiers) -> u64 {
    let prompt = t.input.saturating_add(t.cache_creation()).saturating_add(t.cache_read);
    let r = match price.long {
        Some(long) if prompt > 200_000 => long,
        _ => price.rates,
    };
    let mut c = mul(t.input, r.input)
        .saturating_add(mul(t.output, r.output))
        .saturating_add(mul(t.write_5m, r.write_5m))
        .saturating_add(mul(t.write_1h, r.write_1h))
        .saturating_add(mul(t.cache_read, r.read));
    if m.fast {
        c = c.saturating_mul(price.fast.0) / price.fast.1;
    }
    if m.us_geo && price.us_premium {
        c = c.saturating_mul(11) / 10;
    }
    c.saturating_add(m.web_searches.saturating_mul(WEB_SEARCH_PICO))
}

fn mul(tokens: u64, rate: u64) -> u64 {
    tokens.saturating_mul(rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(model: &str) -> Option<&'static str> {
        lookup(model).map(|p| p.key)
    }

    #[test]
    fn names_resolve_on_boundaries() {
        assert_eq!(key("claude-sonnet-4-5-20250929"), Some("claude-sonnet-4-5"));
        assert_eq!(key("claude-sonnet-4-20250514"), Some("claude-sonnet-4"));
        assert_eq!(key("us.anthropic.claude-opus-4-6-v1"), Some("claude-opus-4-6"));
        assert_eq!(key("anthropic/claude-opus-4-6"), Some("claude-opus-4-6"));
        assert_eq!(key("claude-opus-4.5"), Some("claude-opus-4-5"));
        assert_eq!(key("claude-opus-4-5@20251101"), Some("claude-opus-4-5"));
        assert_eq!(key("claude-opus-4-5"), Some("claude-opus-4-5"));
        assert_eq!(key("claude-opus-4-7[1m]"), Some("claude-opus-4-7"));
        assert_eq!(key("claude-haiku-4-5-20251001"), Some("claude-haiku-4-5"));
        assert_eq!(key("gpt-5.1-codex-mini"), Some("gpt-5-1-codex-mini"));
        assert_eq!(key("gpt-5.5"), Some("gpt-5-5"));
        assert_eq!(key("gpt-5-codex"), Some("gpt-5-codex"));
        assert_eq!(key("gpt-5.4-mini"), Some("gpt-5-4-mini"));
        assert_eq!(key("gpt-5.1-codex-max"), Some("gpt-5-1-codex-max"));
    }

    #[test]
    fn a_smaller_or_larger_sibling_is_not_priced_as_the_model() {
        // No price is known for these: counted as unpriced, not as gpt-5.4 or gpt-5.5.
        assert_eq!(key("gpt-5.4-nano"), None);
        assert_eq!(key("gpt-5.5-pro"), None);
        assert_eq!(key("gpt-5.3-codex-spark"), None);
    }

    #[test]
    fn unknown_names_stay_unpriced() {
        assert_eq!(key("sonnet"), None);
        assert_eq!(key("grok-4.5"), None);
        assert_eq!(key("claude-opus-4-9"), None, "a newer minor version is not the old one");
        assert_eq!(key("xclaude-opus-4-6"), None);
        assert_eq!(key("<synthetic>"), None);
    }

    #[test]
    fn opus_4_6_call_by_hand() {
        // 3 input, 9 output, 15,005 5-minute writes, 11,442 reads at $5 / $25 / $6.25 / $0.50 per MTok:
        // 15 + 225 + 93,781.25 + 5,721 = 99,742.25 micro-dollars.
        let p = lookup("claude-opus-4-6").unwrap();
        let t = Tokens { input: 3, output: 9, write_5m: 15_005, write_1h: 0, cache_read: 11_442 };
        assert_eq!(cost(p, &t, Modifiers::default()), 99_742_250_000);
    }

    #[test]
    fn one_hour_writes_cost_twice_input() {
        // 326 one-hour writes on Opus 4.6: 326 x $10/MTok = $0.00326.
        let p = lookup("claude-opus-4-6").unwrap();
        let t = Tokens { write_1h: 326, ..Tokens::default() };
        assert_eq!(cost(p, &t, Modifiers::default()), 3_260_000_000);
    }

    #[test]
    fn long_context_prices_the_whole_request() {
        // Sonnet 4.5 with 250,000 input and 1,000 output: 250,000 x $6 + 1,000 x $22.50 = $1.5225.
        let p = lookup("claude-sonnet-4-5").unwrap();
        let t = Tokens { input: 250_000, output: 1_000, ..Tokens::default() };
        assert_eq!(cost(p, &t, Modifiers::default()), 1_522_500_000_000);
        // At exactly 200,000 the base rate applies: $0.60.
        let t = Tokens { input: 200_000, ..Tokens::default() };
        assert_eq!(cost(p, &t, Modifiers::default()), 600_000_000_000);
    }

    #[test]
    fn modifiers() {
        let p = lookup("claude-opus-4-6").unwrap();
        let t = Tokens { output: 1_000_000, ..Tokens::default() };
        let fast = Modifiers { fast: true, ..Modifiers::default() };
        assert_eq!(cost(p, &t, fast), 150 * 1_000_000_000_000);
        let us = Modifiers { us_geo: true, ..Modifiers::default() };
        assert_eq!(cost(p, &t, us), 27_500_000_000_000);
        let search = Modifiers { web_searches: 3, ..Modifiers::default() };
        assert_eq!(cost(p, &Tokens::default(), search), 30_000_000_000);
    }

    #[test]
    fn openai_cached_input_has_its_own_rate() {
        // gpt-5: 1,000 uncached input at $1.25, 9,000 cached at $0.125, 500 output at $10:
        // 1,250 + 1,125 + 5,000 = 7,375 micro-dollars.
        let p = lookup("gpt-5").unwrap();
        let t = Tokens { input: 1_000, output: 500, cache_read: 9_000, ..Tokens::default() };
        assert_eq!(cost(p, &t, Modifiers::default()), 7_375_000_000);
    }
}
