//! What each device used of each window that is running: this one from its ledger, the others from
//! the hours their sync files hold (an hour counts when it overlaps the window). `status` shows it a
//! line per window, `status --json` as `devices`. Pure.

use crate::forecast::Runway;
use crate::ground::provider::Provider;
use crate::ground::time::HOUR_MS;
use crate::ground::tokens::Totals;
use crate::ground::window::Window;
use crate::sync::file::DeviceFile;

/// One device's share of the windows.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceUse {
    pub id: String,
    pub name: String,
    pub this: bool,
    /// When its file was written (this device: now).
    pub written_at: i64,
    pub windows: Vec<(Provider, Window, Totals)>,
}

/// The running windows (a main gauge with a reset) of each runway, each device's use of them.
pub fn of(
    runways: &[&Runway],
    me: (&str, &str, i64),
    mine: &dyn Fn(Provider, i64, i64) -> Totals,
    others: &[DeviceFile],
) -> Vec<DeviceUse> {
    let windows: Vec<(Provider, Window, i64, i64)> = runways
        .iter()
        .flat_map(|r| {
            r.gauges.iter().filter(|g| g.main() && g.window != Window::Month).filter_map(move |g| {
                let end = g.resets_at?;
                Some((r.provider, g.window, end - g.window.len_ms(), r.now))
            })
        })
        .collect();
    let mut out = vec![DeviceUse {
        id: me.0.to_owned(),
        name: me.1.to_owned(),
        this: true,
        written_at: me.2,
        windows: windows.iter().map(|&(p, w, from, to)| (p, w, mine(p, from - 1, to))).collect(),
    }];
    for d in others {
        let used = |p: Provider, from: i64, to: i64| {
            let hours = d.tools.iter().filter(|t| t.provider == p).flat_map(|t| t.hours.iter());
            hours
                .filter(|h| h.start + HOUR_MS > from && h.start <= to)
                .fold(Totals::default(), |t, h| t + Totals { entries: h.calls, sums: h.sums })
        };
        out.push(DeviceUse {
            id: d.id.clone(),
            name: d.name.clone(),
            this: false,
            written_at: d.written_at,
            windows: windows.iter().map(|&(p, w, from, to)| (p, w, used(p, from, to))).collect(),
        });
    }
    out
}
