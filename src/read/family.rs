//! A model the price table does not know yet, priced as the newest known model of its family:
//! `claude-opus-4-9` as the newest Opus, `claude-sonnet-5-1` as the newest Sonnet, `gpt-5.6-codex` as
//! the newest GPT Codex. The price is marked as assumed wherever it is shown. A size or tier the table
//! has no model of (`gpt-5.5-pro`) is no family runway knows: it stays unpriced.

use super::pricing::{Price, TABLE};

const CLAUDE_TIERS: [&str; 5] = ["opus", "sonnet", "haiku", "fable", "mythos"];

/// (family, version) of a model name, as the table's keys are written (`claude-opus-4-6`,
/// `gpt-5-1-codex-mini`), or of a name as transcripts write it (dated, prefixed, dotted).
fn family(name: &str) -> Option<(String, Vec<u32>)> {
    let name = name.trim().to_ascii_lowercase().replace(['.', '@', '_'], "-");
    let numbers = |tokens: &[&str]| -> Vec<u32> {
        // An 8-digit date is a snapshot, not a version.
        tokens.iter().filter(|t| t.len() < 8).filter_map(|t| t.parse().ok()).collect()
    };
    if let Some(at) = name.find("claude-") {
        let tokens: Vec<&str> = name[at + 7..].split('-').collect();
        let tier = tokens.iter().find(|t| CLAUDE_TIERS.contains(t))?;
        return Some((format!("claude-{tier}"), numbers(&tokens)));
    }
    let at = name.find("gpt-")?;
    let tokens: Vec<&str> = name[at + 4..].split('-').take_while(|t| !t.is_empty()).collect();
    let variant: Vec<&str> = tokens.iter().copied().filter(|t| t.parse::<u32>().is_err()).collect();
    Some((format!("gpt-{}", variant.join("-")), numbers(&tokens)))
}

/// The newest known model of `model`'s family, when the table has one.
pub fn assumed(model: &str) -> Option<&'static Price> {
    let (fam, _) = family(model)?;
    TABLE
        .iter()
        .filter_map(|p| family(p.key).filter(|(f, _)| *f == fam).map(|(_, v)| (v, p)))
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(model: &str) -> Option<&'static str> {
        assumed(model).map(|p| p.key)
    }

    #[test]
    fn new_models_of_known_families() {
        assert_eq!(key("claude-opus-4-9"), Some("claude-opus-5"));
        assert_eq!(key("us.anthropic.claude-opus-4-9-v1"), Some("claude-opus-5"));
        assert_eq!(key("claude-sonnet-5-1"), Some("claude-sonnet-5"));
        assert_eq!(key("claude-haiku-4-7-20260101"), Some("claude-haiku-4-5"));
        assert_eq!(key("gpt-5.6-codex"), Some("gpt-5-3-codex"));
        assert_eq!(key("gpt-5.6"), Some("gpt-5-5"));
        assert_eq!(key("gpt-5.7-mini"), Some("gpt-5-4-mini"));
        assert_eq!(key("gpt-5.2-codex-mini"), Some("gpt-5-1-codex-mini"));
    }

    #[test]
    fn no_family_no_price() {
        assert_eq!(key("gpt-5.5-pro"), None, "no pro model is known");
        assert_eq!(key("gpt-5.3-codex-spark"), None);
        assert_eq!(key("grok-4.5"), None);
        assert_eq!(key("sonnet"), None, "a bare alias names no version of anything");
        assert_eq!(key("claude-instant-9"), None);
    }
}
