//! The two quota windows the services enforce: five hours and seven days.

use super::time::{HOUR_MS, WEEK_MS};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Window {
    FiveHour = 0,
    SevenDay = 1,
}

impl Window {
    pub fn from_u8(v: u8) -> Option<Window> {
        match v {
            0 => Some(Window::FiveHour),
            1 => Some(Window::SevenDay),
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
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Window::FiveHour => "5h",
            Window::SevenDay => "7d",
        }
    }

    /// The name in `status --json` and in the readings file.
    pub fn key(self) -> &'static str {
        match self {
            Window::FiveHour => "five_hour",
            Window::SevenDay => "seven_day",
        }
    }
}
