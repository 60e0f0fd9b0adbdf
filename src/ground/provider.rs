//! Which tool wrote a transcript.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    Claude = 0,
    Codex = 1,
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::Claude, Provider::Codex];

    pub fn from_u8(v: u8) -> Option<Provider> {
        match v {
            0 => Some(Provider::Claude),
            1 => Some(Provider::Codex),
            _ => None,
        }
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Provider::Claude => "claude",
            Provider::Codex => "codex",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Provider::Claude => "Claude Code",
            Provider::Codex => "Codex CLI",
        }
    }

    /// One letter, for a segment that shows more than one provider.
    pub fn letter(self) -> &'static str {
        match self {
            Provider::Claude => "C",
            Provider::Codex => "X",
        }
    }
}
