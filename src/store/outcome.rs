//! What one read of one file changes in the store: its entry in the file table (new, changed, gone
//! or unreadable) and its records, readings and notices as an update to fold in.

use std::io;

use super::db::Db;
use super::merge::Update;
use crate::ground::log;
use crate::read::batch::{Job, Out};
use crate::read::table::{FileEntry, Sub};

/// What a run's reads add up to, before it is folded in.
#[derive(Default)]
pub struct Folded {
    pub updates: Vec<Update>,
    /// Entries of the table to remove (their files are gone).
    pub remove_idx: Vec<usize>,
    pub new_files: Vec<FileEntry>,
}

/// The ids a file's calls carry: its own, and its sessions' (a file of many sessions has them).
pub fn ids_of(f: &FileEntry) -> Vec<u32> {
    std::iter::once(f.id).chain(f.subs.iter().map(|s| s.id)).collect()
}

/// Takes in one file's read; the bytes read, when it was read.
pub fn take(db: &mut Db, job: Job, res: io::Result<Out>, f: &mut Folded) -> Option<u64> {
    let mut read = None;
    match res {
        Ok(out) => {
            read = Some(out.read.bytes);
            let id = match &job.prev {
                Some(p) => p.id,
                None => {
                    db.state.next_file_id += 1;
                    db.state.next_file_id
                }
            };
            let found = out.found;
            let map: Vec<u16> = found.models.iter().map(|m| db.state.model_id(m)).collect();
            let drop_old = job.prev.is_some() && out.restarted;
            // The sessions of a file of many keep their ids across reads; what a file read
            // from its start said of them goes with it.
            let mut subs = job.prev.as_ref().map(|p| p.subs.clone()).unwrap_or_default();
            if drop_old {
                f.updates.extend(subs.iter().map(|s| Update::gone(s.id)));
            }
            let sub_ids: Vec<u32> = found
                .subs
                .iter()
                .map(|(session, project)| match subs.iter().find(|s| s.session == *session) {
                    Some(s) => s.id,
                    None => {
                        db.state.next_file_id += 1;
                        let id = db.state.next_file_id;
                        subs.push(Sub { id, session: session.clone(), project: project.clone() });
                        id
                    }
                })
                .collect();
            let recs = found
                .recs
                .into_iter()
                .map(|mut r| {
                    r.file = if r.file == 0 { id } else { sub_ids[r.file as usize - 1] };
                    r.model = map[r.model as usize];
                    r
                })
                .collect();
            f.updates.push(Update { file: id, drop_old, recs, readings: found.readings, hits: found.hits });
            // Counts of what was skipped carry over unless the file was read from the start.
            let before = job.prev.as_ref().filter(|_| !out.restarted);
            let entry = FileEntry {
                path: job.path,
                provider: job.provider,
                id,
                dev: out.stamp.dev,
                ino: out.stamp.ino,
                size: out.stamp.size,
                mtime_ns: out.stamp.mtime_ns,
                ctime_ns: out.stamp.ctime_ns,
                mark: out.read.mark,
                fp: out.read.fingerprint,
                head: out.head,
                malformed: before.map_or(0, |p| p.malformed) + found.malformed,
                oversized: before.map_or(0, |p| p.oversized) + out.read.oversized as u32,
                implausible: before.map_or(0, |p| p.implausible) + found.implausible,
                odd: before.map_or(0, |p| p.odd).saturating_add(found.odd),
                unreadable: false,
                pending: out.read.pending,
                aux: found.aux,
                // The first the file names, kept across reads (a later read starts past it).
                project: match (before, found.project) {
                    (Some(p), _) if !p.project.is_empty() => p.project.clone(),
                    (_, Some(p)) => p,
                    _ => String::new(),
                },
                subs,
            };
            match job.idx {
                Some(i) => db.state.files[i] = entry,
                None => f.new_files.push(entry),
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(i) = job.idx {
                f.updates.extend(ids_of(&db.state.files[i]).into_iter().map(Update::gone));
                f.remove_idx.push(i);
            }
        }
        Err(e) => {
            // Unreadable (permissions, a FIFO, an I/O error): keep what it gave before, retry when
            // it changes or at the next full walk.
            log::warn(&format!("skipping {}: {e}", String::from_utf8_lossy(&job.path)));
            match job.idx {
                Some(i) => db.state.files[i].unreadable = true,
                None => {
                    db.state.next_file_id += 1;
                    f.new_files.push(FileEntry::unreadable(job.path, job.provider, db.state.next_file_id));
                }
            }
        }
    }
    read
}
