//! The ground floor: small pieces every layer above stands on and none of them owns: which tool
//! (provider, by code), which quota window, token counts and their sums, time, stable hashes, atomic
//! file writes, the cache directory and how each of its files is opened, the log, the calls that
//! differ between systems (platform), the environment as read once, the JSON shapes files are read
//! into, and the service's own figures (evidence). Nothing here imports anything above.

pub mod block;
pub mod cache;
pub mod codec;
pub mod dirs;
pub mod env;
pub mod evidence;
pub mod files;
pub mod hash;
pub mod json;
pub mod locale;
pub mod log;
pub mod members;
pub mod platform;
pub mod provider;
pub mod repair;
pub mod terminal;
pub mod text;
pub mod time;
pub mod tokens;
pub mod window;
pub mod zone;
