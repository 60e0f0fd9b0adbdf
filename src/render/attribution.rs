//! What used a window, for `status` (lines under the window) and `status --json`.

use serde_json::{Value, json};

use super::clean::{clean, short_id};
use super::escape::{Target, paint};
use super::style::{Level, Style};
use super::words::{count, dollars, priced, project_among, round2, whole};
use crate::ground::time::rfc3339;
use crate::report::attribution::{Attribution, Consumer, Rest};

fn hit(c: &Consumer, style: &Style) -> String {
    let h = c.acc.totals.sums.cache_hit();
    let text = h.map_or("cache -".into(), |h| format!("cache {}%", whole(h)));
    paint(&text, Style::cache_level(h), Target::Ansi, style)
}

fn figures(c: &Consumer, style: &Style) -> String {
    let t = &c.acc.totals;
    let calls = if t.entries == 1 { "call" } else { "calls" };
    let mut s = format!(
        "{}% · {} · {} {calls} · {} tokens · {}",
        whole(c.share),
        priced(&t.sums),
        t.entries,
        count(t.sums.total()),
        hit(c, style)
    );
    if let Some(ctx) = c.context {
        s +=
            &format!(" · {}", paint(&format!("context {}", count(ctx)), style.context_level(ctx), Target::Ansi, style));
    }
    s
}

/// What a list leaves out, when it does: `and 2 more: 4% · $0.45 · 12 calls · 80.1k tokens`.
fn rest(r: &Rest) -> Option<String> {
    let t = &r.totals;
    let calls = if t.entries == 1 { "call" } else { "calls" };
    (r.count > 0).then(|| {
        let (share, cost, tokens) = (whole(r.share), priced(&t.sums), count(t.sums.total()));
        format!("and {} more: {share}% · {cost} · {} {calls} · {tokens} tokens", r.count, t.entries)
    })
}

/// Every project named under the windows of `used`: each is named short among all of them, so that
/// two folders of one name read apart, and one folder reads alike under every window.
pub fn projects(used: &[Attribution]) -> Vec<&str> {
    used.iter()
        .flat_map(|a| {
            a.sessions.iter().filter_map(|c| c.project.as_deref()).chain(a.projects.iter().map(|c| c.name.as_str()))
        })
        .collect()
}

/// The lines under a window: its sessions one per line, its projects and models on a line each;
/// projects named short among `all` (see `projects`).
pub fn lines(a: &Attribution, all: &[&str], style: &Style, local: &dyn Fn(i64) -> String) -> String {
    let mut out = String::new();
    for (i, c) in a.sessions.iter().enumerate() {
        let project = c.project.as_deref().map(|p| clean(project_among(p, all)).into_owned()).unwrap_or_default();
        out += &format!(
            "  {:<9} {} ({project}, since {}): {}\n",
            if i == 0 { "sessions" } else { "" },
            short_id(&c.name),
            local(c.started),
            figures(c, style)
        );
    }
    if let Some(more) = rest(&a.rest[0]) {
        out += &format!("  {:<9} {more}\n", "");
    }
    for (label, list, left) in [("projects", &a.projects, &a.rest[1]), ("models", &a.models, &a.rest[2])] {
        if list.is_empty() {
            continue;
        }
        let parts: Vec<String> = list
            .iter()
            .map(|c| {
                let name = if label == "projects" { project_among(&c.name, all) } else { c.name.as_str() };
                format!("{} {}", clean(name), figures(c, style))
            })
            .chain(rest(left))
            .collect();
        out += &format!("  {label:<9} {}\n", parts.join("; "));
    }
    out
}

fn consumer(c: &Consumer, style: &Style) -> Value {
    let t = &c.acc.totals;
    json!({
        "name": c.name,
        "project": c.project,
        "first_call": rfc3339(c.acc.first),
        "started": c.project.as_ref().map(|_| rfc3339(c.started)),
        "last_call": rfc3339(c.acc.last),
        "share_percent": round2(c.share),
        "entries": t.entries,
        "tokens": t.sums.total(),
        "cost_usd": dollars(t.sums.cost),
        "cache_hit_percent": t.sums.cache_hit().map(round2),
        "context_tokens": c.context,
        "context_level": c.context.map(|x| match style.context_level(x) {
            Level::Danger => "danger",
            Level::Warn => "warn",
            _ => "ok",
        }),
    })
}

fn rest_json(r: &Rest) -> Value {
    if r.count == 0 {
        return Value::Null;
    }
    let t = &r.totals;
    json!({
        "count": r.count,
        "share_percent": round2(r.share),
        "entries": t.entries,
        "tokens": t.sums.total(),
        "cost_usd": dollars(t.sums.cost),
    })
}

pub fn json(a: &Attribution, style: &Style) -> Value {
    let list = |v: &[Consumer]| v.iter().map(|c| consumer(c, style)).collect::<Vec<_>>();
    json!({
        "from": rfc3339(a.from),
        "to": rfc3339(a.to),
        "entries": a.total.entries,
        "cost_usd": dollars(a.total.sums.cost),
        "sessions": list(&a.sessions),
        "projects": list(&a.projects),
        "models": list(&a.models),
        "more": {
            "sessions": rest_json(&a.rest[0]),
            "projects": rest_json(&a.rest[1]),
            "models": rest_json(&a.rest[2]),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::tokens::{Sums, Totals};
    use crate::report::group::Acc;

    #[test]
    fn shares_round_a_half_up_as_the_segment_does() {
        // 62.5% of the window; 1 of 8 input-side tokens read from the cache, 12.5%: `{:.0}` read
        // both down to the even 62 and 12.
        let sums = Sums { input: 7, cache_read: 1, cost: 2_000_000_000_000, ..Sums::default() };
        let acc = Acc { totals: Totals { entries: 3, sums }, ..Acc::default() };
        let c = Consumer { name: "s".into(), project: None, acc, share: 62.5, context: None, started: 0 };
        let text = figures(&c, &Style { color: false, ..Style::default() });
        assert!(text.starts_with("63% · $2.00 · 3 calls · 8 tokens · cache 13%"), "{text}");
    }
}
