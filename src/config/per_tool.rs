//! A dollar limit for every tool, or one for each: `40`, `claude=40,codex=20`, or `40,codex=20` (40
//! for every tool but Codex). One limit chosen for a Claude plan gave Codex, whose dollars buy
//! another plan's quota, a share made up from it.

use super::kinds::Kind;
use crate::ground::provider::Provider;

/// Tools a limit can be given to, at most (the table's, with room).
const TOOLS: usize = 16;

/// Each tool's limit in dollars, and the one for the tools not named.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PerTool {
    pub all: Option<f64>,
    pub each: [Option<f64>; TOOLS],
}

impl PerTool {
    /// The limit of `p`: its own, else the one for every tool.
    pub fn of(&self, p: Provider) -> Option<f64> {
        self.each.get(p.index()).copied().flatten().or(self.all)
    }
}

/// The most a limit may be: a billion dollars in five hours is no plan's.
const MAX_USD: f64 = 1e9;
/// The least: a pico-dollar, the unit costs are counted in (a smaller one read as no limit at all).
const MIN_USD: f64 = 1e-12;

fn dollars(s: &str) -> Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("{s:?} is not an amount of dollars"))?;
    if (MIN_USD..=MAX_USD).contains(&v) {
        Ok(v)
    } else {
        Err("expected an amount of dollars above 0 (at least 1e-12, at most 1e9)".into())
    }
}

/// `limit_cost`'s kind.
pub struct DollarsPerTool;
impl Kind for DollarsPerTool {
    type Value = PerTool;
    const TABLE: bool = true;
    fn show(v: &PerTool) -> String {
        let all = v.all.map(|a| a.to_string());
        let each =
            Provider::ALL.iter().filter_map(|&p| Some(format!("{}={}", p.name(), v.each.get(p.index())?.as_ref()?)));
        all.into_iter().chain(each).collect::<Vec<_>>().join(",")
    }
    fn parse(s: &str) -> Result<PerTool, String> {
        let mut out = PerTool::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                None if out.all.is_some() => return Err("two amounts for every tool".into()),
                None => out.all = Some(dollars(part)?),
                Some((name, v)) => {
                    let p = Provider::from_name(name.trim()).ok_or_else(|| {
                        let known: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
                        format!("unknown provider {:?} ({})", name.trim(), known.join(", "))
                    })?;
                    let slot = out.each.get_mut(p.index()).ok_or("too many tools")?;
                    if slot.is_some() {
                        return Err(format!("two amounts for {}", p.name()));
                    }
                    *slot = Some(dollars(v)?);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_limit_for_every_tool_or_one_each() {
        let all = DollarsPerTool::parse("40").unwrap();
        assert_eq!((all.of(Provider::CLAUDE), all.of(Provider::CODEX)), (Some(40.0), Some(40.0)));
        let each = DollarsPerTool::parse("claude=40, codex=20").unwrap();
        assert_eq!(
            (each.of(Provider::CLAUDE), each.of(Provider::CODEX), each.of(Provider::GEMINI)),
            (Some(40.0), Some(20.0), None)
        );
        let mixed = DollarsPerTool::parse("40,codex=20").unwrap();
        assert_eq!((mixed.of(Provider::CLAUDE), mixed.of(Provider::CODEX)), (Some(40.0), Some(20.0)));
        assert_eq!(DollarsPerTool::parse(""), Ok(PerTool::default()));
        for v in [&all, &each, &mixed] {
            assert_eq!(DollarsPerTool::parse(&DollarsPerTool::show(v)).as_ref(), Ok(v), "shown as it parses");
        }
        assert_eq!(DollarsPerTool::show(&mixed), "40,codex=20");
    }

    #[test]
    fn what_is_no_limit_is_refused() {
        for bad in
            ["0", "-3", "NaN", "inf", "1e-300", "1e300", "cursor=4", "claude=", "40,50", "forty", "claude=4,claude=5"]
        {
            assert!(DollarsPerTool::parse(bad).is_err(), "{bad}");
        }
        assert!(DollarsPerTool::parse("1e300").unwrap_err().contains("at most 1e9"), "the reason is the range");
        assert_eq!(DollarsPerTool::parse("0.000001").unwrap().all, Some(0.000001));
    }
}
