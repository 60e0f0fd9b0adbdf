//! Calls added up by the hour and model: what a device writes into the sync folder (see
//! `sync::file`), and what `report --by device` reads back. Pure.

use crate::ground::time::floor_hour;
use crate::ground::tokens::Entry;
use crate::sync::file::Hour;

/// The hours of `entries` (oldest first), each model apart; `model` names a model id.
pub fn by_hour<'a>(entries: impl IntoIterator<Item = &'a Entry>, model: &dyn Fn(u16) -> String) -> Vec<Hour> {
    let mut out: Vec<Hour> = Vec::new();
    let mut names: Vec<(u16, String)> = Vec::new();
    for e in entries {
        let start = floor_hour(e.ts);
        let name = match names.iter().find(|(id, _)| *id == e.model) {
            Some((_, n)) => n.clone(),
            None => {
                names.push((e.model, model(e.model)));
                names.last().map(|(_, n)| n.clone()).unwrap_or_default()
            }
        };
        // Calls come by time: this hour's rows are the last few.
        let row = out.iter_mut().rev().take_while(|h| h.start == start).find(|h| h.model == name);
        match row {
            Some(h) => {
                h.calls += 1;
                h.sums += e.sums;
            }
            None => out.push(Hour { start, model: name, calls: 1, sums: e.sums }),
        }
    }
    out
}

/// What another device's hours in `(from, to]` add up to, its models named by `id_of`: a row of
/// `report --by device` (an hour counts when it began in the range).
pub fn acc_of(hours: &[Hour], from: i64, to: i64, id_of: &mut dyn FnMut(&str) -> u16) -> crate::report::group::Acc {
    use crate::ground::tokens::Totals;
    use crate::report::group::{Acc, ModelPart};
    let mut acc = Acc::default();
    for h in hours.iter().filter(|h| h.start > from && h.start <= to) {
        let totals = Totals { entries: h.calls, sums: h.sums };
        let part = ModelPart { model: id_of(&h.model), first: h.start, last: h.start, totals };
        acc.merge(&Acc { totals, models: vec![part], first: h.start, last: h.start, last_main: None });
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::time::HOUR_MS;
    use crate::ground::tokens::Sums;

    #[test]
    fn hours_by_model() {
        let e = |ts: i64, model: u16, out: u64| Entry {
            ts,
            file: 1,
            model,
            flags: 0,
            sums: Sums { output: out, cost: u128::from(out), ..Sums::default() },
        };
        let h = HOUR_MS;
        // 10:05 opus 10, 10:40 haiku 1, 10:59 opus 5, 11:00 opus 7.
        let calls =
            [e(10 * h + 5 * 60_000, 0, 10), e(10 * h + 40 * 60_000, 1, 1), e(11 * h - 1, 0, 5), e(11 * h, 0, 7)];
        let name = |m: u16| if m == 0 { "opus".to_string() } else { "haiku".to_string() };
        let got: Vec<(i64, String, u64, u64)> =
            by_hour(&calls, &name).into_iter().map(|x| (x.start / h, x.model, x.calls, x.sums.output)).collect();
        assert_eq!(got, vec![(10, "opus".into(), 2, 15), (10, "haiku".into(), 1, 1), (11, "opus".into(), 1, 7)]);
    }
}
