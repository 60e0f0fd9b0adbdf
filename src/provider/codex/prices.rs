//! OpenAI's models: list prices (OpenAI's API pricing; see `docs/counting.md`, 4), and the family a
//! newer model is priced as until the table knows it.

use crate::provider::price::{M, Price, Rates, version};

/// Cached input has its own rate; there is no separate cache-write charge.
const fn openai(key: &'static str, input: u64, read: u64, output: u64, fast: (u64, u64)) -> Price {
    Price {
        key,
        rates: Rates { input, output, write_5m: input, write_1h: input, read },
        long: None,
        long_from: 0,
        fast,
        us_premium: false,
    }
}

/// Keys are matched on name boundaries (see `price::matches_at_boundary`); the longest wins.
pub static PRICES: &[Price] = &[
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

/// (family, version) of a GPT model name: `gpt-5-6-codex` is of `gpt-codex`, version [5, 6]. A
/// variant the table has no model of (`pro`) is a family with nothing to be priced as.
pub fn family(name: &str) -> Option<(String, Vec<u32>)> {
    let at = name.find("gpt-")?;
    let tokens: Vec<&str> = name[at + 4..].split('-').take_while(|t| !t.is_empty()).collect();
    let variant: Vec<&str> = tokens.iter().copied().filter(|t| t.parse::<u32>().is_err()).collect();
    Some((format!("gpt-{}", variant.join("-")), version(&tokens)))
}
