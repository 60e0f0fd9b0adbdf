//! A model's price, from whichever provider's table knows it (a Claude model called through
//! Copilot costs what it costs in Claude Code), else the newest known model of its family, marked as
//! assumed wherever it is shown (`claude-opus-4-9` as the newest Opus, `gpt-5.6-codex` as the newest
//! GPT Codex). A size or tier the tables have no model of (`gpt-5.5-pro`) is no family runway knows:
//! it stays unpriced. No network: a model that is not here is counted in tokens and reported as
//! unpriced.

use crate::ground::hash::Hasher;
use crate::ground::provider::Provider;
use crate::provider::price::{Price, WEB_SEARCH_PICO, matches_at_boundary, normalise};

fn tables() -> impl Iterator<Item = &'static Price> {
    Provider::ALL.iter().flat_map(|p| p.spec().prices.iter())
}

/// A fingerprint of the tables: a cache priced with other tables must be rebuilt.
pub fn table_hash() -> u64 {
    // The family rule decides prices too: a change of it must rebuild the cache.
    let mut h = Hasher::new("prices, families v2");
    for p in tables() {
        h.part(p.key.as_bytes());
        for r in [Some(p.rates), p.long].into_iter().flatten() {
            for v in [r.input, r.output, r.write_5m, r.write_1h, r.read] {
                h.u64(v);
            }
        }
        h.u64(p.long_from).u64(p.fast.0).u64(p.fast.1).u64(u64::from(p.us_premium));
    }
    h.u64(WEB_SEARCH_PICO);
    h.finish()
}

/// Finds the price for a model name as files write it: dated (`claude-sonnet-4-5-20250929`),
/// prefixed (`us.anthropic.claude-opus-4-6-v1`, `openai/gpt-5`), dotted (`claude-opus-4.5`,
/// `gpt-5.1-codex`). The longest key matching on name boundaries wins.
pub fn lookup(model: &str) -> Option<&'static Price> {
    let name = normalise(model);
    let mut best: Option<&'static Price> = None;
    for p in tables() {
        if best.is_some_and(|b| b.key.len() >= p.key.len()) {
            continue;
        }
        if matches_at_boundary(&name, p.key) {
            best = Some(p);
        }
    }
    best
}

/// (family, version) of a name by the first provider whose vendor names it so.
fn family(name: &str) -> Option<(String, Vec<u32>)> {
    let name = name.trim().to_ascii_lowercase().replace(['.', '@', '_'], "-");
    Provider::ALL.iter().find_map(|p| (p.spec().family)(&name))
}

/// The newest known model of `model`'s family, when a table has one.
pub fn assumed(model: &str) -> Option<&'static Price> {
    let (fam, _) = family(model)?;
    tables()
        .filter_map(|p| family(p.key).filter(|(f, _)| *f == fam).map(|(_, v)| (v, p)))
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, p)| p)
}

/// A model's price and whether it is assumed from its family.
pub fn price_of(model: &str) -> (Option<&'static Price>, bool) {
    match lookup(model) {
        Some(p) => (Some(p), false),
        None => (assumed(model), true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::tokens::Tokens;
    use crate::provider::price::{Modifiers, cost};

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
        let t = Tokens { input: 3, output: 9, write_5m: 15_005, write_1h: 0, cache_read: 11_442, reasoning: 0 };
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

    fn assumed_key(model: &str) -> Option<&'static str> {
        assumed(model).map(|p| p.key)
    }

    #[test]
    fn new_models_of_known_families() {
        assert_eq!(assumed_key("claude-opus-4-9"), Some("claude-opus-5"));
        assert_eq!(assumed_key("us.anthropic.claude-opus-4-9-v1"), Some("claude-opus-5"));
        assert_eq!(assumed_key("claude-sonnet-5-1"), Some("claude-sonnet-5"));
        assert_eq!(assumed_key("claude-haiku-4-7-20260101"), Some("claude-haiku-4-5"));
        assert_eq!(assumed_key("gpt-5.6-codex"), Some("gpt-5-3-codex"));
        assert_eq!(assumed_key("gpt-5.6"), Some("gpt-5-5"));
        assert_eq!(assumed_key("gpt-5.7-mini"), Some("gpt-5-4-mini"));
        assert_eq!(assumed_key("gpt-5.2-codex-mini"), Some("gpt-5-1-codex-mini"));
    }

    #[test]
    fn no_family_no_price() {
        assert_eq!(assumed_key("gpt-5.5-pro"), None, "no pro model is known");
        assert_eq!(assumed_key("gpt-5.3-codex-spark"), None);
        assert_eq!(assumed_key("grok-4.5"), None);
        assert_eq!(assumed_key("sonnet"), None, "a bare alias names no version of anything");
        assert_eq!(assumed_key("claude-instant-9"), None);
    }
}
