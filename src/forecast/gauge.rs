//! One window as shown: how full, by whose account, until when, and how the present rate ends it.

use super::limit::Source;
use crate::ground::evidence::Reading;
use crate::ground::tokens::{Pico, Totals};
use crate::ground::window::Window;

#[derive(Clone, Debug, PartialEq)]
pub struct Gauge {
    pub window: Window,
    pub source: Source,
    /// `None` when there is nothing to measure against (`Source::None`): `cost` is shown instead.
    pub used_percent: Option<f64>,
    /// Local API-equivalent cost in the window, pico-dollars.
    pub cost: Pico,
    /// Local tokens in the window, and those of calls whose model has no price.
    pub tokens: u64,
    pub unpriced_tokens: u64,
    /// Premium requests in the window (thousandths), where the tool counts them.
    pub premium: u64,
    pub resets_at: Option<i64>,
    /// The warning: minutes until the window is full at the present rate, set when that comes within
    /// the forecast's horizon, before the reset, while work goes on (see `rate`).
    pub minutes_to_limit: Option<f64>,
    /// Minutes until full at the present rate, whether or not that is a warning.
    pub minutes_to_empty: Option<f64>,
    /// No call in the last minutes the warning looks at: none while work has stopped (`rate`).
    pub idle: bool,
    /// Minutes until full at the steady rule's rate, once it looks (`rate::Outlook::steady_in`).
    pub minutes_at_steady: Option<f64>,
    /// The present rate over the even rate that would just last until the reset: above 1, the window
    /// fills before it resets.
    pub pace: Option<f64>,
    /// The present rate, in percent of the window an hour.
    pub percent_per_hour: Option<f64>,
    /// The rate is the readings' rises alone, a floor: this machine's calls outside them (since the
    /// newest reading) cannot be converted to percent until a percent's cost is learned.
    pub rate_floor: bool,
    /// When the service reported the share (server and extrapolated sources).
    pub observed_at: Option<i64>,
    /// How much of the reported share local use explains (0-1), for a window with a reading; `None`
    /// until the cost of a percent is known (see `carried::coverage`). The rest is use elsewhere.
    pub coverage: Option<f64>,
    /// No limit because this window went past the one learned (`Limit::passed`): it holds more than
    /// any block before it, so that was not the limit, and where the real one is nobody knows.
    pub beyond: bool,
    /// A floor, not the whole: a session of the tool is still open, and the part of its calls the tool
    /// writes at a session's end (Copilot's input side and premium requests) is not in yet.
    pub partial: bool,
    /// The allowance, for one that is not the main pool (see `ground::evidence::Reading`).
    pub bucket: String,
    pub label: String,
}

impl Gauge {
    /// A gauge of `window` with nothing known yet but where its share comes from and its reset.
    pub fn new(window: Window, source: Source, resets_at: Option<i64>) -> Gauge {
        Gauge {
            window,
            source,
            used_percent: None,
            cost: 0,
            tokens: 0,
            unpriced_tokens: 0,
            premium: 0,
            resets_at,
            minutes_to_limit: None,
            minutes_to_empty: None,
            idle: false,
            minutes_at_steady: None,
            pace: None,
            percent_per_hour: None,
            rate_floor: false,
            observed_at: None,
            coverage: None,
            beyond: false,
            partial: false,
            bucket: String::new(),
            label: String::new(),
        }
    }

    /// A reading as the service gave it.
    pub fn reported(r: &Reading) -> Gauge {
        Gauge {
            used_percent: Some(r.used_percent),
            observed_at: Some(r.observed_at),
            ..Gauge::new(r.window, Source::Server, Some(r.resets_at))
        }
    }

    /// The local use in the window.
    pub fn with_totals(mut self, t: &Totals) -> Gauge {
        self.cost = t.sums.cost;
        self.tokens = t.sums.total();
        self.unpriced_tokens = t.sums.unpriced;
        self
    }

    /// Where the rate takes the window (`rate::outlook`), the rate in percent a minute. With no rate
    /// known (`None`: a reading's trend alone, nothing to convert this machine's calls by) only the
    /// warning stands, which the trend can give; no time to full, no pace, made up from nothing.
    pub fn with_outlook(self, o: &super::rate::Outlook, percent_per_minute: Option<f64>) -> Gauge {
        let known = percent_per_minute.is_some();
        Gauge {
            minutes_to_limit: o.warn_in,
            minutes_to_empty: o.minutes_to_empty.filter(|_| known),
            idle: o.idle,
            minutes_at_steady: o.steady_in.filter(|_| known),
            pace: o.pace.filter(|_| known),
            percent_per_hour: percent_per_minute.map(|r| r * 60.0),
            ..self
        }
    }

    /// A separate allowance as the service reported it.
    pub fn of_allowance(mut self, r: &Reading) -> Gauge {
        self.bucket = r.bucket.clone();
        self.label = r.name().to_owned();
        self.observed_at = Some(r.observed_at);
        self
    }

    pub fn estimated(&self) -> bool {
        self.source.estimated()
    }

    /// At or past its limit: a state, not a countdown.
    pub fn over(&self) -> bool {
        self.used_percent.is_some_and(|u| u >= 100.0)
    }

    /// The warning's time is the steady rule's (the slower of the last 10 and 30 minutes' averages),
    /// sooner than the present rate's: what says its time must name that pace, not "this rate".
    pub fn warned_at_steady(&self) -> bool {
        // Half a minute: the two times are one when they round to one minute.
        self.minutes_to_limit.is_some_and(|m| self.minutes_to_empty.is_none_or(|e| m < e - 0.5))
    }

    /// The main pool's window, not a separate allowance.
    pub fn main(&self) -> bool {
        self.bucket.is_empty()
    }
}
