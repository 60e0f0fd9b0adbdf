//! The other devices taken together: per tool, their hours of the last eight days added up across
//! devices, and every device's readings. It is all a prompt needs of them (the account's windows do
//! not care which machine spent what; `status` reads each device apart, `report` the files whole),
//! and it is kept in the cache under the folder's key, so a warm prompt reads one small file.
//!
//! Why a copy of its own: five heavy devices kept apart are ~1,100 hours, 106 KB read and decoded
//! by every prompt (0.19 ms of the 0.30 ms the five cost, paired, benches/bench.sh); added up they
//! are one week of hours a tool.

use std::path::Path;

use super::file::{Hour, ToolUse};
use super::folder::{self, Seen, get_tool, put_tool};
use super::identity::Identity;
use crate::ground::cache::{Cache, Item};

/// The devices' use added up per tool: each tool once, its hours in time order (models added up),
/// every device's readings.
pub fn sum(seen: &Seen) -> Vec<ToolUse> {
    let mut out: Vec<ToolUse> = Vec::new();
    for t in seen.devices.iter().flat_map(|d| d.tools.iter()) {
        let i = match out.iter().position(|o| o.provider == t.provider) {
            Some(i) => i,
            None => {
                out.push(ToolUse { provider: t.provider, hours: Vec::new(), readings: Vec::new() });
                out.len() - 1
            }
        };
        out[i].hours.extend(t.hours.iter().map(|h| Hour { model: String::new(), ..h.clone() }));
        out[i].readings.extend(t.readings.iter().cloned());
    }
    for o in &mut out {
        o.hours.sort_by_key(|h| h.start);
        o.hours.dedup_by(|h, into| {
            let same = h.start == into.start;
            if same {
                into.calls += h.calls;
                into.sums += h.sums;
            }
            same
        });
    }
    out
}

/// The other devices' recent use together, through the copy kept while the folder is unchanged.
pub fn read(sync_dir: &Path, me: &Identity, at: (i64, i64), cache: &Cache) -> Vec<ToolUse> {
    let Some(key) = folder::key(sync_dir, me, at) else { return Vec::new() };
    if let Some(kept) = kept(cache, key) {
        return kept;
    }
    let (seen, key) = folder::read_keyed(sync_dir, me, at, cache, true);
    let tools = sum(&seen);
    keep(cache, key, &tools);
    tools
}

fn kept(cache: &Cache, key: u64) -> Option<Vec<ToolUse>> {
    folder::kept_copy(cache, Item::Elsewhere, key, |r| (0..r.count(5)?).map(|_| get_tool(r)).collect())
}

fn keep(cache: &Cache, key: u64, tools: &[ToolUse]) {
    folder::keep_copy(cache, Item::Elsewhere, key, |w| {
        w.u32(tools.len() as u32);
        for t in tools {
            put_tool(w, t);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::evidence::Reading;
    use crate::ground::provider::Provider;
    use crate::ground::time::HOUR_MS;
    use crate::ground::tokens::Sums;
    use crate::ground::window::Window;
    use crate::sync::file::DeviceFile;

    fn device(id: &str, tools: Vec<ToolUse>) -> DeviceFile {
        DeviceFile { id: id.into(), name: id.into(), written_at: 0, machine: 0, tools, projects: Vec::new() }
    }

    fn hour(start: i64, calls: u64, cost: u128) -> Hour {
        Hour { start, model: "m".into(), calls, sums: Sums { output: calls, cost, ..Sums::default() } }
    }

    #[test]
    fn the_devices_hours_add_up_per_tool_and_hour() {
        let (c, x) = (Provider::CLAUDE, Provider::CODEX);
        let r = Reading::new(x, Window::FiveHour, 40.0, 5 * HOUR_MS, HOUR_MS);
        let a = device(
            "a",
            vec![
                ToolUse { provider: c, hours: vec![hour(HOUR_MS, 2, 7), hour(0, 1, 5)], readings: Vec::new() },
                ToolUse { provider: x, hours: vec![hour(0, 4, 11)], readings: vec![r.clone()] },
            ],
        );
        let b = device("b", vec![ToolUse { provider: c, hours: vec![hour(0, 3, 13)], readings: Vec::new() }]);
        let tools = sum(&Seen { devices: vec![a, b], ignored: Vec::new() });
        let figures = |t: &ToolUse| t.hours.iter().map(|h| (h.start, h.calls, h.sums.cost)).collect::<Vec<_>>();
        assert_eq!(tools.len(), 2);
        // Hour 0: a's 1 call ($5) and b's 3 ($13) are 4 calls, 18; hour 1 is a's alone.
        assert_eq!((tools[0].provider, figures(&tools[0])), (c, vec![(0, 4, 18), (HOUR_MS, 2, 7)]));
        assert_eq!(tools[0].hours[0].sums.output, 4);
        assert!(tools[0].hours.iter().all(|h| h.model.is_empty()));
        assert_eq!((tools[1].provider, figures(&tools[1]), tools[1].readings.clone()), (x, vec![(0, 4, 11)], vec![r]));
    }

    #[test]
    fn the_kept_copy_is_read_back_under_its_key_only() {
        let d = tempfile::tempdir().unwrap();
        let cache = Cache::new(d.path().to_path_buf());
        let tools = vec![ToolUse { provider: Provider::CLAUDE, hours: vec![hour(0, 1, 5)], readings: Vec::new() }];
        let tools = sum(&Seen { devices: vec![device("a", tools)], ignored: Vec::new() });
        keep(&cache, 7, &tools);
        assert_eq!(kept(&cache, 7), Some(tools));
        assert_eq!(kept(&cache, 8), None);
    }
}
