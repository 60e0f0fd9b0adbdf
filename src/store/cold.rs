//! The cold file, `cold-<gen>`: the idle transcript files and directories, written only by a full walk
//! or a changed directory, named by the state, and read only when the whole table is wanted. Also the
//! encoding of file and directory entries, which the state's head shares.

use crate::ground::codec::{Corrupt, R, Reader, Writer};
use crate::ground::hash::checksum;
use crate::ground::provider::Provider;
use crate::read::table::{DirEntry, FileEntry, Sub};
use crate::read::tail::Mark;

const MAGIC: &[u8; 8] = b"RWYCOLD1";

/// The cold file a state names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ColdRef {
    /// 0: none.
    pub gen_: u64,
    pub sum: u64,
    pub dirs: u32,
    pub files: u32,
}

pub fn provider(v: u8) -> R<Provider> {
    Provider::from_code(v).ok_or(Corrupt)
}

pub fn put_dirs_and_files<'a>(
    w: &mut Writer,
    dirs: impl ExactSizeIterator<Item = &'a DirEntry>,
    files: impl ExactSizeIterator<Item = &'a FileEntry>,
) {
    w.u32(dirs.len() as u32);
    for d in dirs {
        w.bytes(&d.path).u8(d.provider.code()).u8(d.depth).i64(d.mtime_ns).u64(d.dev).u64(d.ino);
    }
    w.u32(files.len() as u32);
    for f in files {
        w.i64(f.mtime_ns).bytes(&f.path).u8(f.provider.code()).u32(f.id).u64(f.dev).u64(f.ino);
        w.u64(f.size).i64(f.ctime_ns).u64(f.mark.offset).u64(f.mark.scanned).u64(f.fp).u64(f.head);
        w.u32(f.malformed).u32(f.oversized).u32(f.implausible).u8(flags(f)).bytes(&f.aux);
        w.bytes(f.project.as_bytes()).u32(f.odd).u32(f.subs.len() as u32);
        for s in &f.subs {
            w.u32(s.id).bytes(s.session.as_bytes()).bytes(s.project.as_bytes());
        }
    }
}

pub fn get_dirs_and_files(r: &mut Reader, dirs: &mut Vec<DirEntry>, files: &mut Vec<FileEntry>) -> R<(u32, u32)> {
    let nd = r.count(30)?;
    for _ in 0..nd {
        dirs.push(DirEntry {
            path: r.bytes()?.to_vec(),
            provider: provider(r.u8()?)?,
            depth: r.u8()?,
            mtime_ns: r.i64()?,
            dev: r.u64()?,
            ino: r.u64()?,
        });
    }
    let nf = r.count(110)?;
    for _ in 0..nf {
        let mut f = FileEntry {
            mtime_ns: r.i64()?,
            path: r.bytes()?.to_vec(),
            provider: provider(r.u8()?)?,
            id: r.u32()?,
            dev: r.u64()?,
            ino: r.u64()?,
            size: r.u64()?,
            ctime_ns: r.i64()?,
            mark: Mark { offset: r.u64()?, scanned: r.u64()?, ..Mark::default() },
            fp: r.u64()?,
            head: r.u64()?,
            malformed: r.u32()?,
            oversized: r.u32()?,
            implausible: r.u32()?,
            odd: 0,
            unreadable: false,
            pending: false,
            aux: Vec::new(),
            project: String::new(),
            subs: Vec::new(),
        };
        let bits = r.u8()?;
        (f.unreadable, f.mark.skipping, f.mark.unterminated, f.pending) =
            (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0, bits & 8 != 0);
        f.aux = r.bytes()?.to_vec();
        f.project = String::from_utf8(r.bytes()?.to_vec()).map_err(|_| Corrupt)?;
        f.odd = r.u32()?;
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|_| Corrupt);
        for _ in 0..r.count(12)? {
            f.subs.push(Sub { id: r.u32()?, session: text(r.bytes()?)?, project: text(r.bytes()?)? });
        }
        files.push(f);
    }
    Ok((nd as u32, nf as u32))
}

fn flags(f: &FileEntry) -> u8 {
    u8::from(f.unreadable)
        | u8::from(f.mark.skipping) << 1
        | u8::from(f.mark.unterminated) << 2
        | u8::from(f.pending) << 3
}

/// A cold file holding these entries, as generation `gen_` of `version`.
pub fn encode(gen_: u64, version: u32, dirs: &[&DirEntry], files: &[&FileEntry]) -> (ColdRef, Vec<u8>) {
    let mut w = Writer::default();
    w.buf.extend_from_slice(MAGIC);
    w.u32(version).u64(gen_);
    put_dirs_and_files(&mut w, dirs.iter().copied(), files.iter().copied());
    let sum = checksum("cold", &w.buf);
    (ColdRef { gen_, sum, dirs: dirs.len() as u32, files: files.len() as u32 }, w.buf)
}

/// Decodes a cold file into the entry lists, checking it is the one `cold` names.
pub fn decode(b: &[u8], cold: &ColdRef, version: u32, dirs: &mut Vec<DirEntry>, files: &mut Vec<FileEntry>) -> R<()> {
    if checksum("cold", b) != cold.sum {
        return Err(Corrupt);
    }
    let mut r = Reader::new(b);
    if r.take(8)? != MAGIC || r.u32()? != version || r.u64()? != cold.gen_ {
        return Err(Corrupt);
    }
    let (d, f) = get_dirs_and_files(&mut r, dirs, files)?;
    if !r.done() || (d, f) != (cold.dirs, cold.files) {
        return Err(Corrupt);
    }
    Ok(())
}
