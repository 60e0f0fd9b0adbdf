//! The local limit of the 5-hour window: configured, else learned from the history (in this order:
//! the cost of one percent from the service's readings, the blocks that ended at a real limit, the
//! largest completed block once there are enough blocks for a high-water mark to mean something).
//! Too little evidence is no limit: one session of 36 calls whose largest finished block held $0.08 (a
//! few calls before a gap) would otherwise read 2425%, past the limit.

use crate::ground::tokens::{Pico, Sums};

/// Where the share of a window comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The service reported it.
    Server,
    /// A reading carried forward with local usage since.
    Extrapolated,
    /// `--limit-cost` / `--limit-tokens`.
    Configured,
    /// Learned from the history.
    History,
    /// Nothing to measure against: the cost is shown instead.
    None,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Server => "server",
            Source::Extrapolated => "extrapolated",
            Source::Configured => "configured",
            Source::History => "history",
            Source::None => "none",
        }
    }

    /// An estimate against a local limit, not the service's own figure.
    pub fn estimated(self) -> bool {
        matches!(self, Source::Configured | Source::History)
    }
}

/// Which quantity a limit is expressed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Pico-dollars.
    Cost,
    Tokens,
    /// Premium requests, in thousandths (a monthly allowance's measure).
    Requests,
}

impl Measure {
    /// How much of this measure `s` holds.
    pub fn of(self, s: &Sums) -> f64 {
        match self {
            Measure::Cost => s.cost as f64,
            Measure::Tokens => s.total() as f64,
            Measure::Requests => s.premium as f64,
        }
    }
}

/// What a learned limit was learned from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Learned {
    /// The cost of one percent, from the service's readings.
    Readings,
    /// Blocks that ended at a "usage limit reached" notice.
    LimitHit,
    /// The largest completed block.
    LargestBlock,
    /// Raised to what a reading shows: the local use under it over the share it reported (use
    /// elsewhere only adds to a reading, so the limit is at least that).
    ReadingFloor,
}

impl Learned {
    pub fn as_str(self) -> &'static str {
        match self {
            Learned::Readings => "server readings",
            Learned::LimitHit => "usage limit reached",
            Learned::LargestBlock => "largest completed block",
            Learned::ReadingFloor => "reading floor",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    pub source: Source,
    pub measure: Measure,
    pub tokens: Option<u64>,
    /// Pico-dollars.
    pub cost: Option<Pico>,
    pub learned: Option<Learned>,
    /// Completed blocks of ten calls or more in the history: what a learned limit stands on, and why
    /// there is none yet (fewer than `ENOUGH_BLOCKS`).
    pub blocks: usize,
    /// Whether a limit could be learned at all: not for a tool whose 5-hour window is runway's own
    /// block, not a service's quota (see `Spec::learns_limit`).
    pub learnable: bool,
    /// A guess the window running now reached with the calls still let through: no limit, and why.
    pub passed: Option<Passed>,
}

/// A limit guessed from the largest block (or a reading's floor) that the window running now reached.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Passed {
    pub learned: Learned,
    pub tokens: Option<u64>,
    /// Pico-dollars.
    pub cost: Option<Pico>,
}

/// Completed blocks of ten calls or more before the largest is taken for a limit: with fewer, the
/// largest is whichever block happened to be biggest, not a limit.
pub const ENOUGH_BLOCKS: usize = 10;

impl Limit {
    pub fn amount(&self) -> Option<f64> {
        match self.measure {
            Measure::Cost => self.cost.map(|c| c as f64),
            Measure::Tokens => self.tokens.map(|t| t as f64),
            // A 5-hour limit is never in requests (see `Local::month`).
            Measure::Requests => None,
        }
    }

    /// What one percent of the window costs (pico-dollars), when the limit is in dollars.
    pub fn cost_per_percent(&self) -> Option<f64> {
        match (self.measure, self.cost) {
            (Measure::Cost, Some(c)) if c > 0 => Some(c as f64 / 100.0),
            _ => None,
        }
    }

    /// `cost_per_percent` when the limit is where 100% really is: configured, learned from the
    /// readings' rises or from a "usage limit reached" notice. Not from the largest block (a guess)
    /// nor a reading's floor, which is worked out from the very reading and so explains all of it.
    pub fn known_per_percent(&self) -> Option<f64> {
        let known = match self.source {
            Source::Configured => true,
            Source::History => matches!(self.learned, Some(Learned::Readings | Learned::LimitHit)),
            _ => false,
        };
        self.cost_per_percent().filter(|_| known)
    }

    /// A limit learned from the largest block, in dollars, raised to `floor` when a reading shows it
    /// below: $9.86 of local use under a reading of 35% says the limit is at least $27.39, and a block
    /// learned at $22.38 would call the window full at less than nine tenths of it. (A limit from the
    /// readings' rises stands with the cost of a percent it came from, which carries readings
    /// forward; one from a "usage limit reached" notice is where the limit really was.)
    /// The floor is worked out only for such a limit (it reads the ledger once a reading's window).
    pub fn at_least(self, floor: impl FnOnce() -> Option<Pico>) -> Limit {
        if self.learned != Some(Learned::LargestBlock) {
            return self;
        }
        match (floor(), self.cost) {
            (Some(f), Some(c)) if c < f => Limit { cost: Some(f), learned: Some(Learned::ReadingFloor), ..self },
            _ => self,
        }
    }

    /// A guess (the largest block, or a reading's floor) that the use of the window running now
    /// (`used`) has reached is no limit: a block bigger than every earlier one is no
    /// evidence of where the limit is, and only says the guess was low: in a real month, a block read
    /// "~125% of $22.38, past the limit", with a notice, on its way to $32.69. A
    /// limit the service showed stands: the readings' rises, a "usage limit reached" notice (the
    /// block that met one is its own evidence), or the user's word.
    pub fn unless_reached(self, used: impl FnOnce() -> Option<Sums>) -> Limit {
        if !matches!(self.learned, Some(Learned::LargestBlock | Learned::ReadingFloor)) {
            return self;
        }
        let (Some(amount), Some(used)) = (self.amount(), used()) else { return self };
        if self.measure.of(&used) < amount {
            return self;
        }
        let passed = self.learned.map(|learned| Passed { learned, tokens: self.tokens, cost: self.cost });
        Limit { source: Source::None, tokens: None, cost: None, learned: None, passed, ..self }
    }
}

/// The least a limit can be, from one reading: the local use (and the other devices') in its window
/// up to it, over the share it reported. A share is taken a point higher than reported (a status line
/// may round it down), and one under a point says too little to go on.
pub fn floor_of(local_cost: Pico, used_percent: f64) -> Option<Pico> {
    (used_percent >= 1.0 && used_percent.is_finite() && local_cost > 0)
        .then(|| (local_cost as f64 * 100.0 / (used_percent + 1.0).min(100.0)) as Pico)
}

/// A configured limit, from flags, the environment or the config file.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Configured {
    pub cost_usd: Option<f64>,
    pub tokens: Option<u64>,
}

/// Chooses the local limit: configured, else learned (see the module comment). Each learned
/// candidate is (tokens, pico-dollars); `blocks` counts the completed blocks of ten calls or more.
pub fn choose(
    cfg: &Configured,
    per_percent: Option<f64>,
    hit: Option<(u64, Pico)>,
    largest: Option<(u64, Pico)>,
    blocks: usize,
) -> Limit {
    let none = Limit {
        source: Source::None,
        measure: Measure::Cost,
        tokens: None,
        cost: None,
        learned: None,
        blocks,
        learnable: true,
        passed: None,
    };
    if let Some(usd) = cfg.cost_usd.filter(|v| *v > 0.0) {
        return Limit { source: Source::Configured, cost: Some((usd * 1e12) as Pico), ..none };
    }
    if let Some(t) = cfg.tokens.filter(|v| *v > 0) {
        return Limit { source: Source::Configured, measure: Measure::Tokens, tokens: Some(t), ..none };
    }
    let learned = |(t, c): (u64, Pico), how| {
        // Cost weighs models the way the service's limits do; tokens when nothing has a price.
        let measure = if c > 0 { Measure::Cost } else { Measure::Tokens };
        Limit {
            source: Source::History,
            measure,
            tokens: Some(t),
            cost: (c > 0).then_some(c),
            learned: Some(how),
            blocks,
            learnable: true,
            passed: None,
        }
    };
    match (per_percent, hit, largest) {
        (Some(cpp), _, _) if cpp > 0.0 => Limit {
            source: Source::History,
            cost: Some((cpp * 100.0) as Pico),
            learned: Some(Learned::Readings),
            ..none
        },
        (_, Some(h), _) if h.0 > 0 => learned(h, Learned::LimitHit),
        (_, _, Some(l)) if l.0 > 0 && blocks >= ENOUGH_BLOCKS => learned(l, Learned::LargestBlock),
        _ => none,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: Pico = 1_000_000_000_000; // a dollar in pico-dollars

    #[test]
    fn a_percents_cost_is_known_only_from_a_limit_that_is_one() {
        let none = Configured::default();
        let configured = choose(&Configured { cost_usd: Some(50.0), tokens: None }, None, None, None, 0);
        assert_eq!(configured.known_per_percent(), Some(0.5 * D as f64));
        let readings = choose(&none, Some(0.3 * D as f64), None, None, 0);
        assert_eq!(readings.known_per_percent(), Some(0.3 * D as f64));
        let hit = choose(&none, None, Some((9, 40 * D)), None, 0);
        assert_eq!(hit.known_per_percent(), Some(0.4 * D as f64));
        let largest = choose(&none, None, None, Some((9, 40 * D)), ENOUGH_BLOCKS);
        assert_eq!((largest.cost_per_percent(), largest.known_per_percent()), (Some(0.4 * D as f64), None));
        let floor = Limit { learned: Some(Learned::ReadingFloor), ..largest };
        assert_eq!(floor.known_per_percent(), None);
    }

    #[test]
    fn limits_in_order_of_evidence() {
        let none = Configured::default();
        let c = choose(&Configured { cost_usd: Some(50.0), tokens: Some(9) }, Some(1.0), None, None, 0);
        assert_eq!((c.source, c.measure, c.cost), (Source::Configured, Measure::Cost, Some(50 * D)));
        let t = choose(&Configured { tokens: Some(9), ..none }, None, None, None, 0);
        assert_eq!((t.source, t.measure), (Source::Configured, Measure::Tokens));
        // $0.30 a percent: a $30 limit, from the readings.
        let r = choose(&none, Some(0.3 * D as f64), Some((1, 2)), Some((3, 4)), 0);
        assert_eq!((r.source, r.cost, r.learned), (Source::History, Some(30 * D), Some(Learned::Readings)));
        let h = choose(&none, None, Some((1_000, 20 * D)), Some((9_000, 25 * D)), 0);
        assert_eq!((h.cost, h.learned), (Some(20 * D), Some(Learned::LimitHit)));
        let l = choose(&none, None, None, Some((9_000, 25 * D)), 10);
        assert_eq!((l.cost, l.learned), (Some(25 * D), Some(Learned::LargestBlock)));
        let tok = choose(&none, None, None, Some((9_000, 0)), 12);
        assert_eq!((tok.measure, tok.tokens), (Measure::Tokens, Some(9_000)));
        assert_eq!(choose(&none, None, None, None, 40).source, Source::None);
        // Nine blocks of ten calls or more: the largest is whichever was biggest, not a limit.
        let few = choose(&none, None, None, Some((9_000, 25 * D)), 9);
        assert_eq!((few.source, few.cost, few.blocks), (Source::None, None, 9));
    }

    #[test]
    fn a_reading_raises_a_learned_limit_it_shows_too_low() {
        // $9.86 under a reading of 35%: at least $9.86 / 36% = $27.39 (to the cent, by hand).
        let floor = floor_of(9_860_000_000_000, 35.0).unwrap();
        assert_eq!(floor / 10_000_000_000, 2738);
        assert_eq!(floor_of(9 * D, 0.5), None, "under a point: nothing to go on");
        assert_eq!(floor_of(9 * D, 99.5).unwrap(), 9 * D, "never below the use itself");
        let block = choose(&Configured::default(), None, None, Some((9_000, 22 * D)), 10);
        let raised = block.at_least(|| Some(floor));
        assert_eq!((raised.cost, raised.learned), (Some(floor), Some(Learned::ReadingFloor)));
        assert_eq!(block.at_least(|| Some(20 * D)), block, "a floor under the limit changes nothing");
        let set = choose(&Configured { cost_usd: Some(10.0), tokens: None }, None, None, None, 0);
        assert_eq!(set.at_least(|| Some(floor)), set, "a configured limit is the user's word");
        let none = choose(&Configured::default(), None, None, None, 3);
        assert_eq!(none.at_least(|| Some(floor)), none, "no limit stays none: too little evidence");
        let hit = choose(&Configured::default(), None, Some((9_000, 20 * D)), None, 0);
        assert_eq!(hit.at_least(|| Some(floor)), hit, "where the limit really was");
    }

    #[test]
    fn a_guess_the_window_reached_is_no_limit() {
        let guess = choose(&Configured::default(), None, None, Some((9_000, 22 * D)), 10);
        let dollars = |d: f64| move || Some(Sums { cost: (d * D as f64) as Pico, ..Sums::default() });
        assert_eq!(guess.unless_reached(dollars(21.99)), guess, "below the guess, it stands");
        let gone = guess.unless_reached(dollars(22.0));
        assert_eq!((gone.source, gone.cost, gone.learned), (Source::None, None, None));
        let passed = Passed { learned: Learned::LargestBlock, tokens: Some(9_000), cost: Some(22 * D) };
        assert_eq!(gone.passed, Some(passed));
        let floor = guess.at_least(|| Some(30 * D));
        assert_eq!(floor.unless_reached(dollars(31.0)).passed.map(|p| p.learned), Some(Learned::ReadingFloor));
        // In tokens when nothing had a price: 9,000 tokens reached.
        let tok = choose(&Configured::default(), None, None, Some((9_000, 0)), 12);
        let used = Sums { output: 9_000, ..Sums::default() };
        assert_eq!(tok.unless_reached(|| Some(used)).source, Source::None);
        // The service's word, a limit notice's and the user's stand past 100%.
        let set = choose(&Configured { cost_usd: Some(10.0), tokens: None }, None, None, None, 0);
        let hit = choose(&Configured::default(), None, Some((9_000, 20 * D)), None, 0);
        let read = choose(&Configured::default(), Some(0.2 * D as f64), None, None, 0);
        for l in [set, hit, read] {
            assert_eq!(l.unless_reached(dollars(99.0)), l);
        }
    }
}
