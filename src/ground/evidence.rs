//! What the services themselves said about a quota: a share they reported, or a limit they said
//! was reached. One type each, whether it came from a transcript, the status line or a file.

use super::provider::Provider;
use super::window::Window;

/// A window's used share as the service reported it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub provider: Provider,
    pub window: Window,
    /// 0-100 (more when a limit was overrun).
    pub used_percent: f64,
    /// Milliseconds since the epoch.
    pub resets_at: i64,
    pub observed_at: i64,
}

/// The service said a limit was reached (Claude Code's "usage limit reached" notice).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LimitHit {
    pub provider: Provider,
    pub window: Window,
    pub at: i64,
    /// When the notice named one.
    pub resets_at: Option<i64>,
}
