//! Turning runways into text for each place a person looks: the segment (escaped once per host), the
//! Claude Code status line, `status` for people and `--json` for programs. Nothing here computes a
//! figure; it only words and colours what the forecast decided.

pub mod ascii;
pub mod attribution;
pub mod clean;
pub mod device_lines;
pub mod escape;
pub mod fit;
pub mod json;
pub mod line;
pub mod outlook;
pub mod report;
pub mod report_json;
pub mod segment;
pub mod status;
pub mod style;
pub mod words;
