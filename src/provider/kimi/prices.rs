//! Moonshot AI's Kimi models: list prices (Moonshot's API pricing as LiteLLM's table carries it; see
//! `docs/counting.md`, 4). A cached input token costs a fraction of a fresh one. Kimi Code names its
//! models by alias (`moonshot-ai/kimi-k2.7-code`): the API model of the same name's price, an
//! API-equivalent figure (a Kimi Code subscription is not billed by the token).

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
pub static PRICES: &[Price] = &[
    kimi("kimi-k2", 3 * M / 5, 3 * M / 20, 5 * M / 2),
    kimi("kimi-k2-thinking", 3 * M / 5, 3 * M / 20, 5 * M / 2),
    kimi("kimi-k2-5", 3 * M / 5, M / 10, 3 * M),
    kimi("kimi-k2-7-code", 19 * M / 20, 19 * M / 100, 4 * M),
    Price {
        key: "kimi-k3",
        rates: Rates { input: 3 * M, output: 15 * M, write_5m: 3 * M, write_1h: 3 * M, read: 3 * M / 10 },
        long: None,
        long_from: 0,
        fast: (1, 1),
        us_premium: false,
    },
];

/// (family, version) of a Kimi model name: `kimi-k2-7-code` is of `kimi-k-code`.
pub fn family(name: &str) -> Option<(String, Vec<u32>)> {
    let at = name.find("kimi-")?;
    let tokens: Vec<&str> = name[at + 5..].split('-').collect();
    let variant: Vec<&str> = tokens.iter().copied().filter(|t| t.parse::<u32>().is_err()).collect();
    Some((format!("kimi-{}", variant.join("-")), version(&tokens)))
}
