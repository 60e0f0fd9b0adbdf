//! What one API call costs, from a price and the call's counts. Each provider's folder holds the
//! prices of the models its vendor makes (`prices.rs`); a model is priced by whichever table knows it
//! (`read::pricing`), so a Claude model called through Copilot or OpenCode costs what it costs in
//! Claude Code.
//!
//! Prices are list prices in USD per million tokens, held as integers in micro-dollars per million
//! tokens, which is the same number as pico-dollars per token. Costs are summed as integer
//! pico-dollars, so a total never depends on the order the calls were added in.

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
    /// Rates for the whole request once its prompt (input + cache) exceeds `long_from` tokens (Sonnet
    /// 4 / 4.5 with the 1M-context beta, Gemini Pro): the entire request is billed at the premium,
    /// not just the excess.
    pub long: Option<Rates>,
    pub long_from: u64,
    /// Fast-mode multiplier as (numerator, denominator).
    pub fast: (u64, u64),
    /// Claude 4.6 and later cost 1.1x when `inference_geo` is "us".
    pub us_premium: bool,
}

/// One dollar per million tokens, in pico-dollars per token.
pub const M: u64 = 1_000_000;

/// Web search is billed per request: $10 per 1,000 searches.
pub const WEB_SEARCH_PICO: u64 = 10_000_000_000;

/// Modifiers recorded on the usage line itself.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Modifiers {
    pub fast: bool,
    pub us_geo: bool,
    pub web_searches: u64,
}

/// Cost of one call in pico-dollars. Reasoning tokens are part of `output` (see `Tokens`), and
/// billed with it.
pub fn cost(price: &Price, t: &Tokens, m: Modifiers) -> u64 {
    let prompt = t.input.saturating_add(t.cache_creation()).saturating_add(t.cache_read);
    let r = match price.long {
        Some(long) if prompt > price.long_from => long,
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

/// A model name as the tables' keys are written: lower case, dots and `@` as dashes.
pub fn normalise(model: &str) -> String {
    model.trim().to_ascii_lowercase().replace(['.', '@'], "-")
}

/// Whether `key` names the model `name` (normalised): it stands in the name between boundaries,
/// nothing alphanumeric before it, and after it either nothing, or something that does not start
/// with a letter or digit and is not a further version number (`-5` in `claude-opus-4-5` keeps
/// `claude-opus-4` from matching), except an 8-digit date, nor a size or tier of its own.
pub fn matches_at_boundary(name: &str, key: &str) -> bool {
    name.match_indices(key).any(|(at, _)| {
        let before_ok = at == 0 || !name.as_bytes()[at - 1].is_ascii_alphanumeric();
        before_ok && suffix_ok(&name[at + key.len()..])
    })
}

/// A size or tier the name adds: a different model, never priced as the one without it.
const QUALIFIERS: [&str; 6] = ["mini", "nano", "pro", "max", "spark", "lite"];

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

/// The numbers of a model name that are versions (an 8-digit date is a snapshot, not a version).
pub fn version(tokens: &[&str]) -> Vec<u32> {
    tokens.iter().filter(|t| t.len() < 8).filter_map(|t| t.parse().ok()).collect()
}
