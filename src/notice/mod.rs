//! Notices, a floor of their own between the forecast and the commands: what is worth telling the user
//! without being asked (`due`), in words (`text`), the record of which were given, shared by every
//! shell, pane and tool on the machine (`record`), and handing them to each channel (`deliver`).
//!
//! Each is said once per window and level on each channel: its `Key` names the tool, the window (the
//! allowance, for a per-model limit) by its reset, and the level; a session's context is keyed by the
//! session.

pub mod deliver;
pub mod due;
pub mod record;
pub mod text;

use crate::ground::provider::Provider;
use crate::ground::window::Window;

/// Where a notice is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// A line above the next prompt, printed by the shell's hook.
    Shell,
    /// A message on the client of the tmux the prompt runs in.
    Tmux,
    /// A desktop notification (`notify-send`, `osascript`, or the terminal's own escape).
    Desktop,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Shell, Channel::Tmux, Channel::Desktop];

    /// The setting's word for it, and the name its records are kept under.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Shell => "shell",
            Channel::Tmux => "tmux",
            Channel::Desktop => "desktop",
        }
    }

    pub fn named(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// How serious, least first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Past `warn_at`.
    Warn,
    /// Past `danger_at`.
    Danger,
    /// At the present rate the limit comes before the reset.
    Forecast,
    /// The limit is reached.
    Limit,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Warn, Level::Danger, Level::Forecast, Level::Limit];

    pub fn name(self) -> &'static str {
        match self {
            Level::Warn => "warn",
            Level::Danger => "danger",
            Level::Forecast => "forecast",
            Level::Limit => "limit",
        }
    }
}

/// The least a notice is about (the `notify_at` setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Least {
    /// Every level.
    #[default]
    Warn,
    /// Past `danger_at`, or the limit before the reset, or the limit.
    Danger,
    /// The limit reached.
    Limit,
}

impl Least {
    pub const ALL: [Least; 3] = [Least::Warn, Least::Danger, Least::Limit];

    pub fn name(self) -> &'static str {
        match self {
            Least::Warn => "warn",
            Least::Danger => "danger",
            Least::Limit => "limit",
        }
    }

    pub fn admits(self, level: Level) -> bool {
        match self {
            Least::Warn => true,
            Least::Danger => level >= Level::Danger,
            Least::Limit => level == Level::Limit,
        }
    }
}

/// What notices a run gives, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub channels: Vec<Channel>,
    pub least: Least,
}

/// What a notice is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum About {
    /// A window (the allowance `bucket`, for a per-model limit), known by its reset to the minute.
    Window { provider: Provider, window: Window, bucket: String, reset_minute: i64 },
    /// A live session's context.
    Context { session: String },
}

/// One notice: the same in every process that would give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub about: About,
    pub level: Level,
}

impl Key {
    /// The same notice at another level.
    pub fn at(&self, level: Level) -> Key {
        Key { about: self.about.clone(), level }
    }

    /// The name its records are kept under (as earlier versions named them, so what they recorded
    /// still counts).
    pub fn name(&self) -> String {
        match &self.about {
            About::Window { provider, window, bucket, reset_minute } => {
                format!("{}-{}-{bucket}-{reset_minute}-{}", provider.name(), window.key(), self.level.name())
            }
            About::Context { session } => format!("context-{session}-{}", self.level.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_records_as_before() {
        let about = About::Window {
            provider: Provider::CLAUDE,
            window: Window::FiveHour,
            bucket: String::new(),
            reset_minute: 29,
        };
        let k = Key { about, level: Level::Warn };
        assert_eq!(k.name(), "claude-five_hour--29-warn");
        assert_eq!(k.at(Level::Danger).name(), "claude-five_hour--29-danger");
        let c = Key { about: About::Context { session: "8463c716".into() }, level: Level::Danger };
        assert_eq!(c.name(), "context-8463c716-danger");
        assert!(Least::Danger.admits(Level::Forecast) && !Least::Danger.admits(Level::Warn));
        assert!(Least::Limit.admits(Level::Limit) && !Least::Limit.admits(Level::Forecast));
        assert_eq!(Channel::named("tmux"), Some(Channel::Tmux));
    }
}
