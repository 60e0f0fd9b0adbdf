//! The quota windows the services enforce: five hours and seven days; and a spend limit's period
//! (Claude Code's `rate_limits.spend_limit`, an organisation's monthly allowance), whose reset is at
//! most a month and a day away.

use super::time::{HOUR_MS, WEEK_MS};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Window {
    FiveHour = 0,
    SevenDay = 1,
    Spend = 2,
}

impl Window {
    pub fn from_u8(v: u8) -> Option<Window> {
        match v {
            0 => Some(Window::FiveHour),
            1 => Some(Window::SevenDay),
            2 => Some(Window::Spend),
            _ => None,
        }
    }

    /// Codex names its windows by length, never by position.
    pub fn from_minutes(minutes: i64) -> Option<Window> {
        match minutes {
            300 => Some(Window::FiveHour),
            10_080 => Some(Window::SevenDay),
            _ => None,
        }
    }

    pub fn len_ms(self) -> i64 {
        match self {
            Window::FiveHour => 5 * HOUR_MS,
            Window::SevenDay => WEEK_MS,
            Window::Spend => 32 * 24 * HOUR_MS,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Window::FiveHour => "5h",
            Window::SevenDay => "7d",
            Window::Spend => "spend",
        }
    }

    /// The name in `status --json` and in the readings file.
    pub fn key(self) -> &'static str {
        match self {
            Window::FiveHour => "five_hour",
            Window::SevenDay => "seven_day",
            Window::Spend => "spend_limit",
        }
    }
}
