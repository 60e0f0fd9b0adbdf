//! How a segment looks: its colours, glyphs, thresholds, format and separator.

/// How full a window is, which picks the colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Ok,
    Warn,
    Danger,
    /// No percentage to judge (no limit known).
    Neutral,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Glyphs {
    pub reset: String,
    pub warning: String,
    pub over: String,
    pub estimate: String,
    pub extrapolated: String,
}

impl Glyphs {
    pub fn unicode() -> Glyphs {
        Glyphs {
            reset: "↻".into(),
            warning: "⚠ ".into(),
            over: "✕".into(),
            estimate: "~".into(),
            extrapolated: "≈".into(),
        }
    }
    pub fn ascii() -> Glyphs {
        Glyphs {
            reset: "T-".into(),
            warning: "!".into(),
            over: "X!".into(),
            estimate: "~".into(),
            extrapolated: "~=".into(),
        }
    }

    /// The mark a share carries for where it came from: `~` estimated here, `≈` the service's last
    /// reading carried forward, none for the service's own.
    pub fn of_source(&self, source: crate::forecast::limit::Source) -> &str {
        use crate::forecast::limit::Source;
        match source {
            Source::Server | Source::None => "",
            Source::Extrapolated => &self.extrapolated,
            Source::Configured | Source::History => &self.estimate,
        }
    }
}

/// A colour as tmux names it (`green`, `colour214`, `#ffaf00`) and as ANSI SGR parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Color {
    pub tmux: String,
    pub sgr: String,
}

impl Color {
    /// Parses a colour setting: a name, `bright…`, `default`, 0-255 (`colourN`), or `#rrggbb`.
    pub fn parse(spec: &str) -> Option<Color> {
        const NAMES: [&str; 8] = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];
        let c = |tmux: String, sgr: String| Some(Color { tmux, sgr });
        let s = spec.trim().to_ascii_lowercase();
        if let Some(i) = NAMES.iter().position(|n| *n == s) {
            return c(s, (30 + i).to_string());
        }
        if let Some(i) = s.strip_prefix("bright").and_then(|b| NAMES.iter().position(|n| *n == b)) {
            return c(s, (90 + i).to_string());
        }
        if s == "default" {
            return c("default".into(), "39".into());
        }
        let n = s.strip_prefix("colour").or_else(|| s.strip_prefix("color")).unwrap_or(&s);
        if let Ok(n) = n.parse::<u8>() {
            return c(format!("colour{n}"), format!("38;5;{n}"));
        }
        let hex = s.strip_prefix('#')?;
        if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let v = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
            return c(format!("#{hex}"), format!("38;2;{};{};{}", v(0), v(2), v(4)));
        }
        None
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Colors {
    pub ok: Color,
    pub warn: Color,
    pub danger: Color,
}

impl Default for Colors {
    fn default() -> Colors {
        let c = |s: &str| Color::parse(s).unwrap_or(Color { tmux: "default".into(), sgr: "39".into() });
        Colors { ok: c("green"), warn: c("yellow"), danger: c("red") }
    }
}

#[derive(Clone, Debug)]
pub struct Style {
    pub color: bool,
    pub glyphs: Glyphs,
    pub colors: Colors,
    /// Used share (percent) at which the segment turns amber, then red.
    pub warn_at: f64,
    pub danger_at: f64,
    /// One window: `{label} {mark}{used} {reset} {warning}` and friends (see `segment::window_text`).
    pub format: String,
    /// Between windows, and between status-line fields.
    pub separator: String,
    /// Every window that matters, not only each tool's binding one (see `forecast::binding`).
    pub all_windows: bool,
    /// For clock times and days.
    pub zone: crate::ground::zone::Zone,
    /// A live session's context size turns amber, then red, from these many tokens.
    pub context_at: (u64, u64),
    /// Every byte ASCII (`--ascii`, or a locale that is not UTF-8): see `ascii`.
    pub ascii: bool,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            color: true,
            glyphs: Glyphs::unicode(),
            colors: Colors::default(),
            warn_at: 70.0,
            danger_at: 90.0,
            format: "{label} {mark}{used} {next}".into(),
            separator: " · ".into(),
            all_windows: false,
            zone: crate::ground::zone::Zone::utc(),
            context_at: (80_000, 150_000),
            ascii: false,
        }
    }
}

impl Style {
    /// A surface's text as this style prints it: in ASCII mode, every byte ASCII.
    pub fn text<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        if self.ascii { super::ascii::fold(s) } else { std::borrow::Cow::Borrowed(s) }
    }

    /// JSON as this style prints it: in ASCII mode, non-ASCII characters as `\u` escapes.
    pub fn json<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        if self.ascii { super::ascii::json(s) } else { std::borrow::Cow::Borrowed(s) }
    }

    /// What stands for the cut part of a shortened name.
    pub fn ellipsis(&self) -> &'static str {
        if self.ascii { "..." } else { "…" }
    }

    /// A gauge's colour, everywhere it is shown (see `level`).
    pub fn level_of(&self, g: &crate::forecast::gauge::Gauge) -> Level {
        self.level(g.used_percent, g.minutes_to_limit.is_some(), g.beyond)
    }

    /// A window's colour: by its share and warning; with no share, amber when it is `beyond` the
    /// limit learned (more than any block before: red a moment before as it neared that limit, green
    /// then read as all clear at the fastest spending), else the ok colour.
    pub fn level(&self, percent: Option<f64>, warning: bool, beyond: bool) -> Level {
        match percent {
            _ if warning => Level::Danger,
            Some(p) if p >= 100.0 => Level::Danger,
            None if beyond => Level::Warn,
            // No share (no limit known, a request count): nothing says it is near anything, and a
            // bare segment beside a green one read as broken.
            None => Level::Ok,
            Some(p) if p >= self.danger_at => Level::Danger,
            Some(p) if p >= self.warn_at => Level::Warn,
            Some(_) => Level::Ok,
        }
    }

    /// A context size's colour.
    pub fn context_level(&self, tokens: u64) -> Level {
        match tokens {
            t if t >= self.context_at.1 => Level::Danger,
            t if t >= self.context_at.0 => Level::Warn,
            _ => Level::Ok,
        }
    }

    /// A cache hit rate's colour: green from 70%, amber from 30%, red below (the bands per-session
    /// monitors use).
    pub fn cache_level(hit: Option<f64>) -> Level {
        match hit {
            None => Level::Neutral,
            Some(h) if h >= 70.0 => Level::Ok,
            Some(h) if h >= 30.0 => Level::Warn,
            Some(_) => Level::Danger,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        let c = |s: &str| Color::parse(s).map(|c| (c.tmux, c.sgr));
        assert_eq!(c("red"), Some(("red".into(), "31".into())));
        assert_eq!(c("brightyellow"), Some(("brightyellow".into(), "93".into())));
        assert_eq!(c("214"), Some(("colour214".into(), "38;5;214".into())));
        assert_eq!(c("colour9"), Some(("colour9".into(), "38;5;9".into())));
        assert_eq!(c("#FFaf00"), Some(("#ffaf00".into(), "38;2;255;175;0".into())));
        assert_eq!(c("mauve"), None);
        assert_eq!(c("#12345"), None);
    }

    #[test]
    fn levels() {
        let st = Style::default();
        assert_eq!(st.level(Some(69.9), false, false), Level::Ok);
        assert_eq!(st.level(Some(70.0), false, false), Level::Warn);
        assert_eq!(st.level(Some(90.0), false, false), Level::Danger);
        assert_eq!(st.level(Some(10.0), true, false), Level::Danger);
        assert_eq!(st.level(None, false, false), Level::Ok);
        assert_eq!(st.level(None, false, true), Level::Warn, "past the learned limit");
    }
}
