//! The base file's sections of fixed-size items (records, the file index, rows), stored as pages that
//! each end with a checksum of their bytes, the section, the page number and the file's generation.
//! A page is read whole, checked, and kept for the rest of the run; a page that fails its check is an
//! error (the cache is rebuilt), never a figure. So every byte a query uses is checked when read: one
//! xxh3 of at most 4 KiB, about 0.2 µs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::rc::Rc;

use super::blob::Blob;
use crate::ground::hash::key;

/// A page: items, then an 8-byte checksum; one 4 KiB page of the page cache at most.
const PAGE: usize = 4096;
const SUM: usize = 8;

/// A run of fixed-size items in the file.
#[derive(Clone, Copy, Debug)]
pub struct Section {
    pub id: u8,
    pub at: u64,
    pub item: usize,
    pub count: u32,
}

impl Section {
    pub fn per_page(item: usize) -> u32 {
        ((PAGE - SUM) / item) as u32
    }

    fn pages(&self) -> u32 {
        self.count.div_ceil(Section::per_page(self.item))
    }

    /// Bytes the section takes in the file.
    pub fn len(&self) -> u64 {
        self.count as u64 * self.item as u64 + self.pages() as u64 * SUM as u64
    }

    /// The section that follows this one.
    pub fn next(&self, id: u8, item: usize, count: u32) -> Section {
        Section { id, at: self.at + self.len(), item, count }
    }

    /// Where page `p` starts, and how many items it holds.
    fn page(&self, p: u32) -> (u64, usize) {
        let per = Section::per_page(self.item);
        let full = per as u64 * self.item as u64 + SUM as u64;
        (self.at + p as u64 * full, per.min(self.count - p * per) as usize)
    }
}

fn sum(gen_: u64, id: u8, page: u32, items: &[u8]) -> u64 {
    key("base-page", &[&gen_.to_le_bytes(), &[id], &page.to_le_bytes(), items])
}

/// Appends `count` items of `item` bytes as section `id`'s pages, each encoded by `put(i, buf)` a
/// page at a time: the section is never held twice (a cold read of 1 GB held its records twice).
pub fn write(
    out: &mut Vec<u8>,
    gen_: u64,
    id: u8,
    item: usize,
    count: usize,
    mut put: impl FnMut(usize, &mut Vec<u8>),
) {
    let per = Section::per_page(item) as usize;
    let mut page = Vec::with_capacity(per * item);
    for (p, from) in (0..count).step_by(per.max(1)).enumerate() {
        page.clear();
        for i in from..count.min(from + per) {
            put(i, &mut page);
        }
        debug_assert_eq!(page.len(), (count.min(from + per) - from) * item);
        out.extend_from_slice(&page);
        out.extend_from_slice(&sum(gen_, id, p as u32, &page).to_le_bytes());
    }
}

/// What a page that failed its check (or a base whose bytes say nothing sane) is: the cache is not
/// what was written, and only a rebuild makes it so; told apart from other errors of the same kind
/// (a planted link in the cache folder, a file past its bound), which a rebuild would not mend.
#[derive(Debug)]
pub struct CorruptBase;

impl std::fmt::Display for CorruptBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("corrupt cache base")
    }
}

impl std::error::Error for CorruptBase {}

pub fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, CorruptBase)
}

/// Whether `e` is a corrupt base (`corrupt`).
pub fn is_corrupt(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<CorruptBase>())
}

/// Pages read so far in this run, by (section, page).
type Read = RefCell<HashMap<(u8, u32), Rc<[u8]>>>;

/// The pages of one base file, each read and checked at most once per run.
pub struct Pages {
    blob: Blob,
    gen_: u64,
    read: Read,
    /// `each_in`'s buffer, kept between calls: zeroing a fresh one per chunk was a tenth of a
    /// report over the whole history.
    scratch: RefCell<Vec<u8>>,
}

impl Pages {
    pub fn new(blob: Blob, gen_: u64) -> Pages {
        Pages { blob, gen_, read: RefCell::new(HashMap::new()), scratch: RefCell::new(Vec::new()) }
    }

    /// The items of page `p` of `sec`, checked.
    fn load(&self, sec: &Section, p: u32) -> io::Result<Rc<[u8]>> {
        if let Some(b) = self.read.borrow().get(&(sec.id, p)) {
            return Ok(b.clone());
        }
        let (at, n) = sec.page(p);
        let mut b = vec![0u8; n * sec.item + SUM];
        self.blob.read_exact_at(&mut b, at)?;
        let (items, stored) = b.split_at(n * sec.item);
        if sum(self.gen_, sec.id, p, items).to_le_bytes() != stored {
            return Err(corrupt());
        }
        b.truncate(n * sec.item);
        let b: Rc<[u8]> = b.into();
        self.read.borrow_mut().insert((sec.id, p), b.clone());
        Ok(b)
    }

    /// Item `i` of `sec`: its page, and where in it the item starts.
    pub fn item(&self, sec: &Section, i: u32) -> io::Result<(Rc<[u8]>, usize)> {
        if i >= sec.count {
            return Err(corrupt());
        }
        let per = Section::per_page(sec.item);
        Ok((self.load(sec, i / per)?, (i % per) as usize * sec.item))
    }

    /// Every item of `sec`, checked, for compaction (not kept in the run's pages).
    pub fn all(&self, sec: &Section) -> io::Result<Vec<u8>> {
        self.range(sec, 0, sec.count)
    }

    /// Items `from..to` of `sec`, checked, in one read of the pages that hold them (not kept in the
    /// run's pages). A report reads its rows so: one read per few dozen KiB instead of a page
    /// lookup per row.
    pub fn range(&self, sec: &Section, from: u32, to: u32) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(to.saturating_sub(from) as usize * sec.item);
        self.each_in(sec, from, to, |items| out.extend_from_slice(items))?;
        Ok(out)
    }

    /// Calls `f` with the checked bytes of items `from..to`, a page's worth at a time.
    pub fn each_in(&self, sec: &Section, from: u32, to: u32, mut f: impl FnMut(&[u8])) -> io::Result<()> {
        if from > to || to > sec.count {
            return Err(corrupt());
        }
        if from == to {
            return Ok(());
        }
        let per = Section::per_page(sec.item);
        let (first, last) = (from / per, (to - 1) / per);
        let (at, _) = sec.page(first);
        let (end_at, end_n) = sec.page(last);
        let mut scratch = self.scratch.try_borrow_mut().map_err(|_| io::Error::other("pages read re-entered"))?;
        let len = (end_at - at) as usize + end_n * sec.item + SUM;
        if scratch.len() < len {
            scratch.resize(len, 0);
        }
        let b = &mut scratch[..len];
        self.blob.read_exact_at(b, at)?;
        let page_len = per as usize * sec.item;
        for (k, page) in b.chunks(page_len + SUM).enumerate() {
            let p = first + k as u32;
            let (items, stored) = page.split_at(page.len() - SUM);
            if sum(self.gen_, sec.id, p, items).to_le_bytes() != stored {
                return Err(corrupt());
            }
            let lo = if p == first { (from % per) as usize * sec.item } else { 0 };
            let hi = if p == last { ((to - 1) % per + 1) as usize * sec.item } else { items.len() };
            f(&items[lo..hi]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_base_is_told_from_other_errors_of_its_kind() {
        // An update that meets one rebuilds the cache; a planted link (the same kind) would have
        // every run rebuild for nothing.
        assert!(is_corrupt(&corrupt()));
        assert!(!is_corrupt(&io::Error::new(io::ErrorKind::InvalidData, "x is a link, not a file runway wrote")));
        assert_eq!(corrupt().to_string(), "corrupt cache base");
    }

    #[test]
    fn every_byte_of_every_page_is_checked() {
        // 1,000 items of 40 bytes: 102 to a page, so ten pages, the last one short.
        let items: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        let mut file = vec![7u8; 5];
        write(&mut file, 9, 3, 40, 1000, |i, page| page.extend_from_slice(&items[i * 40..(i + 1) * 40]));
        let sec = Section { id: 3, at: 5, item: 40, count: 1000 };
        assert_eq!((Section::per_page(40), sec.len(), file.len() as u64), (102, 40_000 + 10 * 8, 5 + 40_080));
        let pages = Pages::new(Blob::Memory(file.clone()), 9);
        assert_eq!(pages.all(&sec).unwrap(), items);
        let (p, at) = pages.item(&sec, 999).unwrap();
        assert_eq!(&p[at..at + 40], &items[39_960..]);
        // Any range, across pages or inside one, gives exactly its items.
        for (from, to) in [(0, 1000), (101, 103), (5, 5), (204, 408), (999, 1000), (0, 102)] {
            assert_eq!(
                pages.range(&sec, from, to).unwrap(),
                &items[from as usize * 40..to as usize * 40],
                "{from}..{to}"
            );
        }
        assert!(pages.range(&sec, 10, 1001).is_err() && pages.range(&sec, 11, 10).is_err());
        for byte in 5..file.len() {
            let mut bad = file.clone();
            bad[byte] ^= 1;
            let pages = Pages::new(Blob::Memory(bad), 9);
            let item = (byte - 5) / (102 * 40 + 8) * 102;
            assert!(pages.item(&sec, item as u32).is_err(), "byte {byte}");
            assert!(pages.all(&sec).is_err(), "byte {byte}");
            assert!(pages.range(&sec, item as u32, item as u32 + 1).is_err(), "byte {byte}");
        }
        // Another file's generation, or another section's id: not this page.
        assert!(Pages::new(Blob::Memory(file.clone()), 8).item(&sec, 0).is_err());
        assert!(Pages::new(Blob::Memory(file), 9).item(&Section { id: 4, ..sec }, 0).is_err());
    }
}
