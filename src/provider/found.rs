//! What a provider's reader finds in a file: calls, the service's own figures, the project the
//! session ran in, and what it could not use. The rest of the house takes these alike from every
//! provider.

use std::borrow::Cow;

use super::price::Modifiers;
use crate::ground::evidence::{LimitHit, Reading};
use crate::ground::repair;
use crate::ground::tokens::Tokens;

/// One API call as a file records it, before it is priced.
#[derive(Clone, Debug, PartialEq)]
pub struct Call<'a> {
    /// Milliseconds since the Unix epoch, UTC.
    pub ts: i64,
    /// The response this call may belong to (its lines may repeat: see `read::dedup`); a call that
    /// cannot repeat gives `key` here too.
    pub msg: u64,
    /// The exact duplicate key: two calls with the same key are one call.
    pub key: u64,
    pub tokens: Tokens,
    pub mods: Modifiers,
    pub model: Cow<'a, str>,
    /// A side thread's replay of a call (Claude Code's sidechains): counted only where the main
    /// thread's copy is missing.
    pub sidechain: bool,
    /// The tool's own price of the call, in pico-dollars, when it writes one (OpenCode).
    pub cost: Option<u64>,
    /// Premium requests used, in thousandths, where the tool counts them (GitHub Copilot).
    pub premium: u64,
    /// The session and project of the call, for a file that holds many sessions (OpenCode's
    /// database); a file of one session names them by its path and `Project`.
    pub within: Option<(String, String)>,
}

impl Call<'_> {
    /// A call with these counts and nothing else said about it.
    pub fn new(ts: i64, key: u64, model: &str, tokens: Tokens) -> Call<'_> {
        Call {
            ts,
            msg: key,
            key,
            tokens,
            mods: Modifiers::default(),
            model: Cow::Borrowed(model),
            sidechain: false,
            cost: None,
            premium: 0,
            within: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Found<'a> {
    Call(Call<'a>),
    /// A share of a quota the service reported.
    Reading(Reading),
    /// The service said a limit was reached.
    Hit(LimitHit),
    /// The working directory the file's session ran in.
    Project(String),
    /// A line that looked like usage but could not be read.
    Malformed,
    /// A figure from the file refused as implausible, and why.
    Implausible(&'static str),
}

impl Found<'_> {
    /// The same, borrowing nothing.
    pub fn owned(self) -> Found<'static> {
        match self {
            Found::Call(c) => Found::Call(Call { model: Cow::Owned(c.model.into_owned()), ..c }),
            Found::Reading(r) => Found::Reading(r),
            Found::Hit(h) => Found::Hit(h),
            Found::Project(p) => Found::Project(p),
            Found::Malformed => Found::Malformed,
            Found::Implausible(why) => Found::Implausible(why),
        }
    }
}

/// For JSON that failed to parse: what `read` finds in it as `ground::repair` mends it (half of a
/// UTF-16 pair, bytes that are not UTF-8), added to `out`, owned, and what `read` said; `None` when
/// there was nothing to mend, and the JSON is as malformed as it looked. Every tool's reader calls it
/// where its parse failed, so one odd character in a folder's name costs no call.
pub fn mended<'a, R>(
    json: &[u8],
    out: &mut Vec<Found<'a>>,
    read: impl for<'b> FnOnce(&'b [u8], &mut Vec<Found<'b>>) -> R,
) -> Option<R> {
    let fixed = repair::repaired(json)?;
    let mut found = Vec::new();
    let said = read(&fixed, &mut found);
    out.extend(found.into_iter().map(|f| -> Found<'a> { f.owned() }));
    Some(said)
}
