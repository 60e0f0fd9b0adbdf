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

/// A long name keeps its end (a project folder's last part, a session id's start is enough too), or
/// with `start` its start (a model's family).
fn fit(s: &str, width: usize, style: &Style, start: bool) -> String {
    let n = s.chars().count();
    if n <= width {
        return s.to_owned();
    }
    let dots = style.ellipsis();
    let keep = width.saturating_sub(dots.chars().count());
    if start {
        let head: String = s.chars().take(keep).collect();
        return format!("{head}{dots}");
    }
    let tail: String = s.chars().skip(n - keep).collect();
    format!("{dots}{tail}")
}

/// Columns left out, in this order, while the table is wider than the terminal (the name, the hit
/// rate and the cost stay; `--json` has every figure).
const DROP: [usize; 5] = [4, 2, 3, 5, 1];
/// A name column is not shortened below this.
const NAME_MIN: usize = 16;
/// The models column keeps its place while it has this much room; else the models go under the row.
const MODELS_MIN: usize = 16;

/// The table, fitted to `cols` when given: names shortened, then columns left out (and said), the
/// models wrapped in their column or put under each row.
pub fn table(rep: &Report, model: &dyn Fn(u16) -> String, style: &Style, cols: Option<usize>) -> String {
    if rep.rows.is_empty() {
        return "no calls in this range\n".into();
    }
    let mut lines: Vec<([String; 9], Level)> = Vec::new();
    for r in &rep.rows {
        let mut name = match (&r.project, r.block) {
            (Some(p), _) => {
                format!("{} {}", fit(&clean(project(p)), 28, style, false), r.key.get(..8).unwrap_or(&r.key))
            }
            (_, Some((start, active))) => {
                let local = jiff::Timestamp::from_millisecond(start)
                    .map(|t| t.to_zoned_datetime(style.zone.get().clone()).strftime("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                if active { format!("{local} (active)") } else { local }
            }
            _ if rep.by == By::Project => fit(&clean(project(&r.key)), 40, style, false),
            _ => fit(&clean(&r.key), 40, style, rep.by == By::Model),
        };
        if rep.by == By::Block && rep.rows.iter().any(|o| o.providers != r.providers) {
            name += &format!(" {}", r.providers.first().map_or("", |p| p.name()));
        }
        let (mut c, hit) = cells(style.text(&name).into_owned(), &r.acc, model);
        c[8] = style.text(&c[8]).into_owned();
        lines.push((c, hit));
    }
    let (mut total, _) = cells("total".into(), &rep.total, model);
    total[8] = String::new();
    // By model, the name is the model.
    if rep.by == By::Model {
        lines.iter_mut().for_each(|(c, _)| c[8].clear());
    }
    let mut widths = HEADS.map(|h| h.chars().count());
    for (c, _) in lines.iter().chain(std::iter::once(&(total.clone(), Level::Neutral))) {
        for (w, s) in widths.iter_mut().zip(c.iter()) {
            *w = (*w).max(s.chars().count());
        }
    }
    // Which of the first eight columns show, and how wide they are together.
    let mut shown: Vec<usize> = (0..8).collect();
    let span =
        |shown: &[usize], widths: &[usize; 9]| shown.iter().map(|&i| widths[i]).sum::<usize>() + 2 * (shown.len() - 1);
    let mut dropped = Vec::new();
    let mut models_under = false;
    if let Some(cols) = cols {
        let name = widths[0];
        let over = span(&shown, &widths).saturating_sub(cols);
        widths[0] -= over.min(widths[0].saturating_sub(NAME_MIN.min(widths[0])));
        for &i in &DROP {
            if span(&shown, &widths) <= cols {
                break;
            }
            shown.retain(|&s| s != i);
            dropped.push(HEADS[i]);
        }
        // What a left-out column freed goes to the names first.
        widths[0] = name.min(widths[0] + cols.saturating_sub(span(&shown, &widths)));
        let room = cols.saturating_sub(span(&shown, &widths) + 2);
        models_under = room < MODELS_MIN.min(widths[8]);
        widths[8] = room;
    }
    let line = |c: &[String; 9], hit: Level| {
        let mut s = String::new();
        for &i in &shown {
            let cell = if i == 0 {
                format!("{:<w$}", fit(&c[0], widths[0], style, rep.by == By::Model), w = widths[0])
            } else {
                s += "  ";
                format!("{:>w$}", c[i], w = widths[i])
            };
            s += &if i == 6 { paint(&cell, hit, Target::Ansi, style) } else { cell };
        }
        let models = &c[8];
        if models.is_empty() {
            return s.trim_end().to_owned() + "\n";
        }
        let Some(cols) = cols else { return format!("{s}  {models}\n") };
        if models_under {
            let under = super::fit::wrap_line(&format!("  {models}"), cols, 4);
            return format!("{}\n{}\n", s.trim_end(), under.join("\n"));
        }
        let under = format!("\n{}", " ".repeat(super::fit::width(&s) + 2));
        format!("{s}  {}\n", super::fit::wrap_line(models, widths[8], 0).join(&under))
    };
    let mut head = HEADS.map(String::from);
    if models_under {
        head[8] = String::new();
    }
    let mut out = line(&head, Level::Neutral);
    for (c, hit) in &lines {
        out += &line(c, *hit);
    }
    let hit = Style::cache_level(rep.total.totals.sums.cache_hit());
    out += &line(&total, hit);
    if !dropped.is_empty() {
        let cols = cols.unwrap_or_default();
        let note = format!("(left out to fit {cols} columns: {}; --json has every figure)", dropped.join(", "));
        out += &super::fit::wrap_line(&note, cols, 1).join("\n");
        out += "\n";
    }
    out
}
