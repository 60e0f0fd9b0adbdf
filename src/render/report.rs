//! `runway report` for people: one aligned line per period, session, project, model or block, the
//! total under them, the cache hit rate in its colour.

use super::clean::clean;
use super::escape::{Target, paint};
use super::style::{Level, Style};
use super::words::{count, project, usd};
use crate::report::group::Acc;
use crate::report::{By, Report};

const HEADS: [&str; 9] = ["", "calls", "input", "output", "cache write", "cache read", "hit", "cost", "models"];

fn cells(name: String, acc: &Acc, model: &dyn Fn(u16) -> String) -> ([String; 9], Level) {
    let s = &acc.totals.sums;
    let hit = s.cache_hit();
    let models: Vec<String> = acc.models_by_cost().iter().map(|(m, _)| model(*m)).collect();
    let cost = if s.unpriced > 0 { format!("${:.2}+", usd(s.cost)) } else { format!("${:.2}", usd(s.cost)) };
    (
        [
            name,
            acc.totals.entries.to_string(),
            count(s.input),
            count(s.output),
            count(s.cache_creation),
            count(s.cache_read),
            hit.map_or("-".into(), |h| format!("{h:.0}%")),
            cost,
            clean(&models.join(", ")).into_owned(),
        ],
        Style::cache_level(hit),
    )
}

/// A long name keeps its end (a project folder's last part, a session id's start is enough too).
fn fit(s: &str, width: usize, style: &Style) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_owned();
    }
    let dots = style.ellipsis();
    let tail: String = s.chars().skip(n - width.saturating_sub(dots.chars().count())).collect();
    format!("{dots}{tail}")
}

pub fn table(rep: &Report, model: &dyn Fn(u16) -> String, style: &Style) -> String {
    if rep.rows.is_empty() {
        return "no calls in this range\n".into();
    }
    let mut lines: Vec<([String; 9], Level)> = Vec::new();
    for r in &rep.rows {
        let mut name = match (&r.project, r.block) {
            (Some(p), _) => format!("{} {}", fit(&clean(project(p)), 28, style), r.key.get(..8).unwrap_or(&r.key)),
            (_, Some((start, active))) => {
                let local = jiff::Timestamp::from_millisecond(start)
                    .map(|t| t.to_zoned_datetime(style.zone.get().clone()).strftime("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                if active { format!("{local} (active)") } else { local }
            }
            _ if rep.by == By::Project => fit(&clean(project(&r.key)), 40, style),
            _ => fit(&clean(&r.key), 40, style),
        };
        if rep.by == By::Block && rep.rows.iter().any(|o| o.providers != r.providers) {
            name += &format!(" {}", r.providers.first().map_or("", |p| p.name()));
        }
        lines.push(cells(name, &r.acc, model));
    }
    let (mut total, _) = cells("total".into(), &rep.total, model);
    total[8] = String::new();
    let mut widths = HEADS.map(|h| h.chars().count());
    for (c, _) in lines.iter().chain(std::iter::once(&(total.clone(), Level::Neutral))) {
        for (w, s) in widths.iter_mut().zip(c.iter()) {
            *w = (*w).max(s.chars().count());
        }
    }
    let line = |c: &[String; 9], hit: Level| {
        let mut s = format!("{:<w$}", c[0], w = widths[0]);
        for i in 1..8 {
            let cell = format!("{:>w$}", c[i], w = widths[i]);
            s += "  ";
            s += &if i == 6 { paint(&cell, hit, Target::Ansi, style) } else { cell };
        }
        if !c[8].is_empty() {
            s += "  ";
            s += &c[8];
        }
        s.trim_end().to_owned() + "\n"
    };
    let mut out = line(&HEADS.map(String::from), Level::Neutral);
    for (c, hit) in &lines {
        out += &line(c, *hit);
    }
    let hit = Style::cache_level(rep.total.totals.sums.cache_hit());
    out += &line(&total, hit);
    out
}
