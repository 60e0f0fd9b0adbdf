//! `runway report` for people: one aligned line per period, session, project, model or block, the
//! total under them, the cache hit rate in its colour.

use std::borrow::Borrow;
use std::io::{self, Write};

use super::clean::{clean, device_digits, short_id};
use super::escape::{Target, paint};
use super::style::{Level, Style};
use super::words::{count, priced, project_among};
use crate::report::group::Acc;
use crate::report::{By, Report, Row};

const HEADS: [&str; 9] = ["", "calls", "input", "output", "cache write", "cache read", "hit", "cost", "models"];

fn cells(name: String, acc: &Acc, model: &dyn Fn(u16) -> String) -> ([String; 9], Level) {
    let s = &acc.totals.sums;
    let hit = s.cache_hit();
    let models: Vec<String> = acc.models_by_cost().iter().map(|(m, _)| model(*m)).collect();
    let cost = priced(s);
    (
        [
            name,
            acc.totals.entries.to_string(),
            count(s.input),
            count(s.output),
            count(s.cache_creation),
            count(s.cache_read),
            hit.map_or("-".into(), |h| format!("{}%", super::words::whole(h))),
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
    let mut out = Vec::new();
    // (Writing into memory does not fail.)
    let _ = write_table(rep.by, rep.rows.iter(), &rep.total, model, style, cols, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// What a report's table leaves out, said under it (`Notes`, as the JSON carries them): sessions
/// whose tool writes part of their calls at their end and that have none written, and the other
/// devices of the sync folder.
pub fn notes(n: &super::report_json::Notes) -> String {
    let mut out = String::new();
    for &(p, k) in &n.open {
        let (s, have) = if k == 1 { ("", "has") } else { ("s", "have") };
        out += &format!(
            "({k} {} session{s} of this range {have} no end written: the input and cache tokens and premium \
             requests the tool writes at a session's end are not counted)\n",
            p.title()
        );
    }
    let usd = super::words::usd(n.left_out.1);
    out += &match n.left_out.0 {
        0 => String::new(),
        1 => format!(
            "(this device's use alone: 1 other device in the sync folder spent ${usd:.2} in this range; `--by device` counts it)\n"
        ),
        k => format!(
            "(this device's use alone: {k} other devices in the sync folder spent ${usd:.2} in this range; `--by device` counts them)\n"
        ),
    };
    out
}

/// A device's row: its name, with its id's first digits when another device has the same name (two
/// hosts both called `vm` read as one), and which one this is.
fn device_label(r: &Row, all: &[&str], style: &Style) -> String {
    let mut s = fit(&clean(&r.key), 32, style, false);
    if let Some((id, this, _)) = &r.device {
        if all.iter().filter(|n| **n == r.key).count() > 1 {
            s += &format!(" {}", device_digits(id));
        }
        if *this {
            s += " (this device)";
        }
    }
    s
}

/// One row's cells as the table shows them (`mixed`: blocks of several tools, each named).
/// `all`: every project the table names, so that two folders of one name read apart.
fn row_cells(
    r: &Row,
    by: By,
    mixed: bool,
    all: &[&str],
    model: &dyn Fn(u16) -> String,
    style: &Style,
) -> ([String; 9], Level) {
    let mut name = match (&r.project, r.block) {
        (Some(p), _) => {
            format!("{} {}", fit(&clean(project_among(p, all)), 28, style, false), short_id(&r.key))
        }
        (_, Some((start, active))) => {
            let local = jiff::Timestamp::from_millisecond(start)
                .map(|t| t.to_zoned_datetime(style.zone.get().clone()).strftime("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
            if active { format!("{local} (active)") } else { local }
        }
        _ if by == By::Project => fit(&clean(project_among(&r.key, all)), 40, style, false),
        _ if by == By::Device => device_label(r, all, style),
        _ => fit(&clean(&r.key), 40, style, by == By::Model),
    };
    if mixed {
        name += &format!(" {}", r.providers.first().map_or("", |p| p.name()));
    }
    let (mut c, hit) = cells(style.text(&name).into_owned(), &r.acc, model);
    c[8] = style.text(&c[8]).into_owned();
    // By model, the name is the model.
    if by == By::Model {
        c[8].clear();
    }
    (c, hit)
}

/// `table`, written as it is made from rows that may come one at a time: a first pass over a copy
/// of `rows` sizes the columns, a second writes the lines, so no more than a row is held (over 100k
/// sessions, a chunk at a time, see `report::sessions`; the lines held whole were 100 MB).
pub fn write_table<R: Borrow<Row>>(
    by: By,
    rows: impl Iterator<Item = R> + Clone,
    total_acc: &Acc,
    model: &dyn Fn(u16) -> String,
    style: &Style,
    cols: Option<usize>,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Blocks of several tools are each named with their tool.
    let mut first: Option<Vec<crate::ground::provider::Provider>> = None;
    let mut mixed = false;
    let mut widths = HEADS.map(|h| h.chars().count());
    let mut any = false;
    let projects: Vec<String> = rows
        .clone()
        .filter_map(|r| {
            let r = r.borrow();
            r.project.clone().or_else(|| matches!(by, By::Project | By::Device).then(|| r.key.clone()))
        })
        .collect();
    let all: Vec<&str> = projects.iter().map(String::as_str).collect();
    for r in rows.clone() {
        let r = r.borrow();
        any = true;
        if by == By::Block {
            mixed |= first.get_or_insert_with(|| r.providers.clone()) != &r.providers;
        }
        measure(&mut widths, &row_cells(r, by, false, &all, model, style).0);
    }
    if !any {
        return out.write_all(b"no calls in this range\n");
    }
    if mixed {
        // The tool's name after each block's: measured again with it.
        widths[0] = HEADS[0].chars().count();
        for r in rows.clone() {
            measure(&mut widths, &row_cells(r.borrow(), by, true, &all, model, style).0);
        }
    }
    let (mut total, _) = cells("total".into(), total_acc, model);
    total[8] = String::new();
    measure(&mut widths, &total);
    let l = layout(widths, cols);
    let mut head = HEADS.map(String::from);
    // By model, the rows are the models: no column of them.
    if l.models_under || by == By::Model {
        head[8] = String::new();
    }
    let text = |s: String| style.text(&s).into_owned();
    out.write_all(text(line(&l, &head, Level::Neutral, by, style, cols)).as_bytes())?;
    for r in rows {
        let (c, hit) = row_cells(r.borrow(), by, mixed, &all, model, style);
        out.write_all(text(line(&l, &c, hit, by, style, cols)).as_bytes())?;
    }
    let hit = Style::cache_level(total_acc.totals.sums.cache_hit());
    out.write_all(text(line(&l, &total, hit, by, style, cols)).as_bytes())?;
    if total_acc.totals.sums.unpriced > 0 {
        out.write_all(
            text(
                "(+: and calls of a model with no price, counted in tokens, not dollars; unpriced: only such calls)\n"
                    .into(),
            )
            .as_bytes(),
        )?;
    }
    if !l.dropped.is_empty() {
        let cols = cols.unwrap_or_default();
        let note = format!("(left out to fit {cols} columns: {}; --json has every figure)", l.dropped.join(", "));
        out.write_all(text(super::fit::wrap_line(&note, cols, 1).join("\n") + "\n").as_bytes())?;
    }
    Ok(())
}

fn measure(widths: &mut [usize; 9], c: &[String; 9]) {
    for (w, s) in widths.iter_mut().zip(c.iter()) {
        *w = (*w).max(s.chars().count());
    }
}

/// Which columns show, how wide, and where the models go.
struct Layout {
    widths: [usize; 9],
    shown: Vec<usize>,
    dropped: Vec<&'static str>,
    models_under: bool,
}

fn layout(mut widths: [usize; 9], cols: Option<usize>) -> Layout {
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
    Layout { widths, shown, dropped, models_under }
}

fn line(l: &Layout, c: &[String; 9], hit: Level, by: By, style: &Style, cols: Option<usize>) -> String {
    let widths = &l.widths;
    let mut s = String::new();
    for &i in &l.shown {
        let cell = if i == 0 {
            format!("{:<w$}", fit(&c[0], widths[0], style, by == By::Model), w = widths[0])
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
    if l.models_under {
        let under = super::fit::wrap_line(&format!("  {models}"), cols, 4);
        return format!("{}\n{}\n", s.trim_end(), under.join("\n"));
    }
    let under = format!("\n{}", " ".repeat(super::fit::width(&s) + 2));
    format!("{s}  {}\n", super::fit::wrap_line(models, widths[8], 0).join(&under))
}
