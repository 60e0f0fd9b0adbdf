//! Anthropic's models: list prices (Anthropic's pricing page; see `docs/counting.md`, 4), and the
//! family a newer model is priced as until the table knows it.

use crate::provider::price::{M, Price, Rates, version};

/// Cache writes are 1.25x (5 minutes) and 2x (1 hour) input, reads 0.1x input.
const fn rates(input: u64, output: u64) -> Rates {
    Rates { input, output, write_5m: input * 5 / 4, write_1h: input * 2, read: input / 10 }
}

const fn claude(key: &'static str, input: u64, output: u64, fast: u64, us: bool) -> Price {
    Price { key, rates: rates(input, output), long: None, long_from: 0, fast: (fast, 1), us_premium: us }
}

/// Sonnet 4 and 4.5 with the 1M-context beta: past 200k tokens of prompt the whole request costs
/// $6 / $22.50.
const fn long(key: &'static str) -> Price {
    Price {
        key,
        rates: rates(3 * M, 15 * M),
        long: Some(rates(6 * M, 45 * M / 2)),
        long_from: 200_000,
        fast: (1, 1),
        us_premium: false,
    }
}

/// Keys are matched on name boundaries (see `price::matches_at_boundary`); the longest wins.
pub static PRICES: &[Price] = &[
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
    long("claude-sonnet-4-5"),
    long("claude-sonnet-4"),
    claude("claude-3-7-sonnet", 3 * M, 15 * M, 1, false),
    claude("claude-3-5-sonnet", 3 * M, 15 * M, 1, false),
    claude("claude-haiku-4-5", M, 5 * M, 1, false),
    claude("claude-3-5-haiku", 4 * M / 5, 4 * M, 1, false),
    claude("claude-3-haiku", M / 4, 5 * M / 4, 1, false),
];

const TIERS: [&str; 5] = ["opus", "sonnet", "haiku", "fable", "mythos"];

/// (family, version) of a Claude model name as the table's keys or a transcript write it:
/// `claude-opus-4-9` is of `claude-opus`, version [4, 9]. A name without a tier names no family.
pub fn family(name: &str) -> Option<(String, Vec<u32>)> {
    let at = name.find("claude-")?;
    let tokens: Vec<&str> = name[at + 7..].split('-').collect();
    let tier = tokens.iter().find(|t| TIERS.contains(t))?;
    Some((format!("claude-{tier}"), version(&tokens)))
}
