//! Reading transcripts: where they are (sources), what changed since the last look (scan, against
//! the file table), the bytes appended since (tail), what each line says (claude, codex, with their
//! JSON shapes in json), what a call costs (pricing), which of the repeated lines count (dedup), and
//! turning a file's new lines into priced records (extract, batch). Also the status line's stdin
//! (payload). Nothing here knows how the cache is stored.

pub mod batch;
pub mod claude;
pub mod claude_json;
pub mod codex;
pub mod codex_line;
pub mod dedup;
pub mod extract;
pub mod family;
pub mod json;
pub mod origin;
pub mod payload;
pub mod pricing;
pub mod record;
pub mod scan;
pub mod sources;
pub mod table;
pub mod tail;
