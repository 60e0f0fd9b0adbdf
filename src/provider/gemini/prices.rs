//! Google's Gemini models: list prices (Google's Gemini API pricing; see `docs/counting.md`, 4). A
//! cached prompt token costs a tenth of a fresh one; Pro models cost more for the whole request once
//! its prompt passes 200k tokens. Thinking is billed as output. There is no cache-write charge per
//! request (Google bills storage by the hour, which no transcript records).

use crate::provider::price::{M, Price, Rates, version};

const fn rates(input: u64, read: u64, output: u64) -> Rates {
    Rates { input, output, write_5m: input, write_1h: input, read }
}

const fn flat(key: &'static str, input: u64, read: u64, output: u64) -> Price {
    Price { key, rates: rates(input, read, output), long: None, long_from: 0, fast: (1, 1), us_premium: false }
}

const fn pro(key: &'static str, short: Rates, long: Rates) -> Price {
    Price { key, rates: short, long: Some(long), long_from: 200_000, fast: (1, 1), us_premium: false }
}

/// Keys are matched on name boundaries (see `price::matches_at_boundary`); the longest wins.
pub static PRICES: &[Price] = &[
    pro("gemini-2-5-pro", rates(5 * M / 4, M / 8, 10 * M), rates(5 * M / 2, M / 4, 15 * M)),
    flat("gemini-2-5-flash", 3 * M / 10, 3 * M / 100, 5 * M / 2),
    flat("gemini-2-5-flash-lite", M / 10, M / 100, 2 * M / 5),
    pro("gemini-3-pro", rates(2 * M, M / 5, 12 * M), rates(4 * M, 2 * M / 5, 18 * M)),
    flat("gemini-3-flash", M / 2, M / 20, 3 * M),
];

/// (family, version) of a Gemini model name: `gemini-3-1-pro` is of `gemini-pro`, version [3, 1].
pub fn family(name: &str) -> Option<(String, Vec<u32>)> {
    let at = name.find("gemini-")?;
    let tokens: Vec<&str> = name[at + 7..].split('-').collect();
    let variant: Vec<&str> =
        tokens.iter().copied().filter(|t| t.parse::<u32>().is_err() && *t != "preview" && *t != "exp").collect();
    Some((format!("gemini-{}", variant.join("-")), version(&tokens)))
}
