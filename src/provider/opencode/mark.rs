//! Where a read of OpenCode's database left, and what the next read checks before it trusts it:
//! `<rowid> <id> <below> <kept> <last> <sum>` (the `aux` the cache keeps for the file).
//!
//! The next read starts at `rowid` and reads every row from there. It trusts the calls kept from the
//! rows before that only while they are all still there: the table then holds `below` rows before
//! it. It trusts the rows from there up to `last` (the highest rowid the read saw) only while they are
//! the same rows: there were `kept` of them, and `sum` adds up each one's rowid and id. A row is
//! never inserted before `rowid` (SQLite gives a new row the rowid after the highest), so a count
//! that fell means rows were deleted (a session deleted in OpenCode), and a sum that moved means rows
//! from `rowid` on were deleted or their rowids given again (a session reverted, a VACUUM). Either
//! way every row is read again and replaces what the database gave before.
//!
//! The count is SQLite's `count(*)`, a walk of its smallest index: 0.05 ms for 40,000 messages with
//! its pages in SQLite's cache, 3.9 ms for 150,000 in a 322 MB database read afresh (counting only
//! the rows before a rowid took 64 ms for 40,000). A run pays it only when the database changed.
//! Every read counts: a prompt that took the mark's word would take the change in with it, and no
//! later run would look again. The count also tells how many rows were written since (`total`, less
//! `below` and `kept`) before any is read.

use crate::ground::hash::key;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub rowid: i64,
    pub id: String,
    below: i64,
    kept: i64,
    last: i64,
    sum: u64,
}

/// A row as a read saw it: its rowid and id (empty when the row had none).
pub type Row<'a> = (i64, &'a str);

fn sum<'a>(rows: impl Iterator<Item = &'a Row<'a>>) -> u64 {
    // Added, so the rows' order does not matter.
    rows.fold(0u64, |acc, (rowid, id)| acc.wrapping_add(key("opencode row", &[&rowid.to_le_bytes(), id.as_bytes()])))
}

impl Mark {
    /// The mark an `aux` holds; `None` for none, or one of another form (an older version's).
    pub fn parse(aux: &[u8]) -> Option<Mark> {
        let text = std::str::from_utf8(aux).ok()?;
        let mut w = text.split(' ');
        let (rowid, id) = (w.next()?.parse().ok()?, w.next()?.to_owned());
        let (below, kept) = (w.next()?.parse().ok()?, w.next()?.parse().ok()?);
        let (last, sum) = (w.next()?.parse().ok()?, w.next()?.parse().ok()?);
        w.next().is_none().then_some(Mark { rowid, id, below, kept, last, sum })
    }

    pub fn bytes(&self) -> Vec<u8> {
        let Mark { rowid, id, below, kept, last, sum } = self;
        format!("{rowid} {id} {below} {kept} {last} {sum}").into_bytes()
    }

    /// The mark a read leaves that saw `rows` (every row from where it started) of the `total` the
    /// table held, for a next read that starts at `start` (one of them).
    pub fn after(rows: &[Row], start: Row, total: i64) -> Mark {
        let kept: Vec<&Row> = rows.iter().filter(|r| r.0 >= start.0).collect();
        Mark {
            rowid: start.0,
            id: start.1.to_owned(),
            below: total - kept.len() as i64,
            kept: kept.len() as i64,
            last: rows.iter().map(|r| r.0).max().unwrap_or(start.0),
            sum: sum(kept.into_iter()),
        }
    }

    /// How many rows were written since, as the table's count says (fewer when some were deleted).
    pub fn written_since(&self, total: i64) -> i64 {
        total - self.below - self.kept
    }

    /// Whether a read from this mark's row that saw `rows` of `total` may keep what was read before:
    /// the rows before it all there, those from it to `last` the same.
    pub fn holds(&self, rows: &[Row], total: i64) -> bool {
        total - rows.len() as i64 == self.below && sum(rows.iter().filter(|r| r.0 <= self.last)) == self.sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_holds_while_nothing_it_trusts_changed() {
        // Rows 1..=5 of 5; the next read starts at row 4.
        let rows = [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")];
        let m = Mark::after(&rows, (4, "d"), 5);
        assert_eq!((m.below, m.kept, m.last), (3, 2, 5));
        assert_eq!((m.written_since(5), m.written_since(7)), (0, 2));
        assert_eq!(Mark::parse(&m.bytes()), Some(m.clone()));
        // Nothing written, or rows 6 and 7 added: it holds.
        assert!(m.holds(&[(4, "d"), (5, "e")], 5));
        assert!(m.holds(&[(5, "e"), (4, "d"), (6, "f"), (7, "g")], 7));
        // Row 2 deleted (a session deleted): 4 rows, 2 from the mark on, so 2 before it, not 3.
        assert!(!m.holds(&[(4, "d"), (5, "e")], 4));
        // Row 5 deleted, and another written that took its rowid (a revert).
        assert!(!m.holds(&[(4, "d"), (5, "x")], 5));
        // Row 5 deleted, nothing in its place.
        assert!(!m.holds(&[(4, "d")], 4));
        // Row 2 deleted and the table renumbered (a VACUUM): a, c, d, e are rows 1 to 4. From row 4
        // on, e alone: 3 rows before it, as before, but not the same rows from it on.
        assert!(!m.holds(&[(4, "e")], 4));
        // Another version's forms are no mark.
        assert_eq!(Mark::parse(b"4 msg_d"), None);
        assert_eq!(Mark::parse(b""), None);
        assert_eq!(Mark::parse(b"4 msg_d 3 5 1"), None);
        assert_eq!(Mark::parse(b"4 msg_d 3 2 5 1 extra"), None);
    }
}
