//! Moonshot AI's Kimi models: list prices (Moonshot's API pricing; see `docs/numbers.md`). A cached
//! input token costs a fraction of a fresh one; there is no cache-write charge per request.

use crate::provider::price::{M, Price, Rates, version};

const fn kimi(key: &'static str, input: u64, read: u64, output: u64) -> Price {
    Price {
        key,
        rates: Rates { input, output, write_5m: input, write_1h: input, read },
        long: None,
        long_from: 0,
        fast: (1, 1),
        us_premium: false,
    }
}

/// Keys are matched on name boundaries (see `price::matches_at_boundary`); the longest wins.
pub static PRICES: &[Price] = &[kimi("kimi-k2", 3 * M / 5, 3 * M / 20, 5 * M / 2)];

/// (family, version) of a Kimi model name: `kimi-k2-7-code` is of `kimi-k-code`.
pub fn family(name: &str) -> Option<(String, Vec<u32>)> {
    let at = name.find("kimi-")?;
    let tokens: Vec<&str> = name[at + 5..].split('-').collect();
    let variant: Vec<&str> = tokens.iter().copied().filter(|t| t.parse::<u32>().is_err()).collect();
    Some((format!("kimi-{}", variant.join("-")), version(&tokens)))
}
