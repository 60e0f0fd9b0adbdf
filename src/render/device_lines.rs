//! `status`'s line per device under each running window, when the sync folder shows other devices:
//! each device's part, and how old its file is.

use super::clean::{clean, device_digits};
use super::status::window_name;
use super::words::{count, duration, priced};
use crate::ground::provider::Provider;
use crate::ground::time::MINUTE_MS;
use crate::ground::window::Window;
use crate::report::devices::DeviceUse;

/// Each device's part of each running window of `p`, a line a window (when the sync folder shows
/// other devices).
pub fn lines(uses: &[DeviceUse], p: Provider, now: i64) -> String {
    if uses.len() < 2 {
        return String::new();
    }
    let mut out = String::new();
    let windows: Vec<Window> = uses[0].windows.iter().filter(|(q, _, _)| *q == p).map(|(_, w, _)| *w).collect();
    for (i, w) in windows.iter().enumerate() {
        let parts: Vec<String> = uses
            .iter()
            .map(|d| {
                let t = d.windows.iter().find(|(q, x, _)| *q == p && x == w).map(|(_, _, t)| *t).unwrap_or_default();
                // Two hosts of one name (`vm`, `localhost`) read apart by their ids' first digits.
                let twin = uses.iter().filter(|o| o.name == d.name).count() > 1;
                let id = if twin { format!(" {}", device_digits(&d.id)) } else { String::new() };
                let who = if d.this {
                    format!("{}{id} (this device)", clean(&d.name))
                } else {
                    format!("{}{id}", clean(&d.name))
                };
                let age = if d.this { String::new() } else { file_age(now - d.written_at) };
                // Calls of a model with no price are not $0.00: `$1.20+`, or `unpriced`.
                format!("{who} {} · {} calls{age}", priced(&t.sums), count(t.entries))
            })
            .collect();
        let label = if i == 0 { "devices" } else { "" };
        out += &format!("  {:<9} {}: {}\n", label, window_name(*w), parts.join(" · "));
    }
    out
}

/// How old another device's file is; one written ahead of this clock (the other machine's clock is
/// fast: up to two hours is taken) says so, rather than "1m old".
fn file_age(age: i64) -> String {
    if age < -MINUTE_MS {
        format!(", its file written {} ahead of this clock", duration(-age))
    } else if age < MINUTE_MS {
        // (Rounded up, a file of nine seconds read "1m old", beside `age_seconds: 9`.)
        ", its file written just now".into()
    } else {
        format!(", its file {} old", duration(age - age % MINUTE_MS))
    }
}

/// Why the figures are this device's alone, where the sync folder holds too much to be read.
pub fn crowded() -> String {
    format!(
        "the sync folder's runway/ holds more than {} entries, so none of it is read: these figures are \
         this device's alone (`runway doctor`)",
        crate::sync::folder::MAX_ENTRIES
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_whose_calls_have_no_price_is_not_at_nothing() {
        use crate::ground::tokens::{Sums, Totals};
        let p = Provider::CLAUDE;
        let use_of = |name: &str, this: bool, cost: u128, unpriced: u64| DeviceUse {
            id: format!("{name}0000000000000"),
            name: name.into(),
            this,
            written_at: 0,
            windows: vec![(
                p,
                Window::FiveHour,
                Totals { entries: 2, sums: Sums { cost, unpriced, ..Sums::default() } },
            )],
        };
        let dollar = 1_000_000_000_000;
        let uses =
            [use_of("desk", true, 3 * dollar / 2, 0), use_of("box", false, 0, 900), use_of("pad", false, dollar, 5)];
        let text = lines(&uses, p, 0);
        assert!(text.contains("desk (this device) $1.50 · 2 calls · box unpriced · 2 calls"), "{text}");
        assert!(text.contains("pad $1.00+ · 2 calls"), "{text}");
    }

    #[test]
    fn a_file_from_a_fast_clock_says_it_is_ahead() {
        assert_eq!(file_age(90 * MINUTE_MS), ", its file 1h30m old");
        assert_eq!(file_age(-30_000), ", its file written just now");
        assert_eq!(file_age(9_000), ", its file written just now", "not 1m");
        assert_eq!(file_age(119_000), ", its file 1m old", "whole minutes past");
        assert_eq!(file_age(-65 * MINUTE_MS), ", its file written 1h05m ahead of this clock");
    }
}
