//! The bytes of a base: its file, or (when the cache cannot be written) the same bytes in memory, so a
//! run without a writable cache still answers from a full read.

use std::fs::File;
use std::io;

pub enum Blob {
    /// A file and its length as the open found it: a base is never written again in place (a new one
    /// takes another name), so that length holds, one `fstat` fewer a prompt.
    File(File, u64),
    Memory(Vec<u8>),
}

impl Blob {
    pub fn len(&self) -> u64 {
        match self {
            Blob::File(_, len) => *len,
            Blob::Memory(b) => b.len() as u64,
        }
    }

    pub fn read_exact_at(&self, buf: &mut [u8], at: u64) -> io::Result<()> {
        match self {
            Blob::File(f, _) => crate::ground::platform::read_exact_at(f, buf, at),
            Blob::Memory(b) => {
                let src = usize::try_from(at)
                    .ok()
                    .and_then(|at| b.get(at..at.checked_add(buf.len())?))
                    .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
                buf.copy_from_slice(src);
                Ok(())
            }
        }
    }
}
