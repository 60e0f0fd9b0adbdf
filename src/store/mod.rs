//! Storing what was read: the cache directory of one set of roots (db), its files' formats (state and
//! cold for the file table and pending records, base for the compacted calls, built by compact), how
//! new records are folded in (merge), the whole update (ingest), and the status line's readings.

pub mod base;
pub mod blob;
pub mod cold;
pub mod compact;
pub mod db;
pub mod ingest;
pub mod memo;
pub mod merge;
pub mod outcome;
pub mod pages;
pub mod prompt_cache;
pub mod readings;
pub mod readings_file;
pub mod state;
pub mod state_file;
pub mod usage_file;
