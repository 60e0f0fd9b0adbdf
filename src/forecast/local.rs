//! The ledger seen from one instant: the present rate of a window, the local estimate of a window
//! against the local limit, and the month of premium requests.

use super::gauge::Gauge;
use super::limit::{Limit, Measure, Source};
use super::rate;
use crate::ground::time::HOUR_MS;
use crate::ground::tokens::{Entry, Hourly, Totals};
use crate::ground::window::{Window, month_of};
use crate::ledger::Ledger;

/// Everything one provider's runway needs from the ledger.
pub(super) struct Local<'l, 'a> {
    pub ledger: &'l Ledger<'a>,
    pub now: i64,
    /// The calls `recent` read last, by the instant they start after: the windows of a provider
    /// mostly read the same (the rate's memory is shorter than either window).
    pub read: std::cell::RefCell<Option<(i64, std::rc::Rc<Vec<Entry>>)>>,
    /// Use on the user's other devices, by the hour (see `Evidence::elsewhere`).
    pub elsewhere: &'l [Hourly],
}

impl Local<'_, '_> {
    /// Use on the other devices in the hours that overlap `(from, to]`: an hour counts whole (a
    /// device writes its use by the hour), so a window that began within an hour may count a little
    /// of it early.
    pub fn elsewhere_between(&self, from: i64, to: i64) -> Totals {
        let mut t = Totals::default();
        for (_, calls, sums) in self.elsewhere.iter().filter(|(s, _, _)| *s + HOUR_MS > from + 1 && *s <= to) {
            t = t + Totals { entries: *calls, sums: *sums };
        }
        t
    }

    /// This machine's calls and the other devices' use in `(from, to]`.
    pub fn all_between(&self, from: i64, to: i64) -> Totals {
        self.ledger.sum_between(from, to) + self.elsewhere_between(from, to)
    }

    /// The calls a rate at `now` reads, of a window that began at `since` (a call exactly at the
    /// window's start belongs to it; calls older than the rate's memory weigh nothing).
    pub fn recent(&self, since: i64) -> std::rc::Rc<Vec<Entry>> {
        let from = since.max(self.now - rate::MEMORY_MS) - 1;
        if let Some((f, calls)) = self.read.borrow().as_ref()
            && *f == from
        {
            return calls.clone();
        }
        let calls = std::rc::Rc::new(self.ledger.entries_between(from, self.now));
        *self.read.borrow_mut() = Some((from, calls.clone()));
        calls
    }

    /// The present rate of a window that began at `since`, in pico-dollars (or tokens, or premium
    /// requests, as the measure says) a minute, the steady rule's rate in the same measure, and the
    /// window's last call.
    fn rate(&self, since: i64, measure: Measure) -> (f64, f64, Option<i64>) {
        let calls = self.recent(since);
        let uses: Vec<(i64, f64)> = calls.iter().map(|e| (e.ts, measure.of(&e.sums))).collect();
        (rate::present(&uses, since, self.now), rate::steady(&uses, &[], self.now), calls.last().map(|e| e.ts))
    }

    /// The local estimate of the window `[resets_at - length, resets_at)` against the local limit.
    pub fn estimate(&self, window: Window, resets_at: i64, limit: &Limit, observed_at: Option<i64>) -> Gauge {
        let since = resets_at - window.len_ms();
        let t = self.all_between(since - 1, self.now);
        // A dollar share that leaves out calls without a price would read low: tokens instead.
        let priced = limit.measure == Measure::Tokens || t.sums.unpriced == 0;
        let Some(amount) = limit.amount().filter(|a| *a > 0.0 && priced) else {
            return Gauge { observed_at, ..Gauge::new(window, Source::None, Some(resets_at)).with_totals(&t) };
        };
        let used_amount = limit.measure.of(&t.sums);
        let (rate, steady, last) = self.rate(since, limit.measure);
        let used = used_amount / amount * 100.0;
        let pct_rate = rate / amount * 100.0;
        let o = rate::outlook(used, pct_rate, steady / amount * 100.0, resets_at, last, self.now);
        Gauge {
            used_percent: Some(used),
            observed_at,
            ..Gauge::new(window, limit.source, Some(resets_at)).with_totals(&t)
        }
        .with_outlook(&o, Some(pct_rate))
    }

    /// The calendar month's premium requests (UTC, reset on the first), against the plan's monthly
    /// allowance when the user gave it; the count alone otherwise.
    pub fn month(&self, allowance: Option<f64>) -> Gauge {
        let (since, resets_at) = month_of(self.now);
        let t = self.ledger.sum_between(since - 1, self.now);
        let requests = crate::ground::tokens::requests(t.sums.premium);
        let mut g = Gauge { premium: t.sums.premium, ..Gauge::new(Window::Month, Source::None, Some(resets_at)) };
        g = g.with_totals(&t);
        let Some(allowance) = allowance.filter(|a| *a > 0.0) else { return g };
        let (rate, steady, last) = self.rate(since, Measure::Requests);
        let used = requests / allowance * 100.0;
        // A rate of thousandths, as the sums keep them.
        let per = |r: f64| r / 1000.0 / allowance * 100.0;
        let o = rate::outlook(used, per(rate), per(steady), resets_at, last, self.now);
        Gauge { source: Source::Configured, used_percent: Some(used), ..g }.with_outlook(&o, Some(per(rate)))
    }
}
