//! Reading transcripts: where they are (sources), what changed since the last look (scan, against
//! the file table), the bytes appended since (tail), each file's new lines or whole document handed
//! to its provider's reader (batch), what a call costs (pricing), which of the repeated lines count
//! (dedup), and the calls a read found, priced (extract). What each provider's files say is the
//! provider's own folder's business (`provider/`); nothing here knows how the cache is stored.

pub mod batch;
pub mod dedup;
pub mod extract;
pub mod pricing;
pub mod record;
pub mod scan;
pub mod sources;
pub mod table;
pub mod tail;
