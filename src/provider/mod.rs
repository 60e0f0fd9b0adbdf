//! The tools runway reads, one folder each, and their table.
//!
//! A folder holds everything runway knows about one tool (its `SPEC`: where its files are on each
//! system and which matter, how a line or a file becomes calls, its vendor's prices, where the
//! service's readings come from). The rest of the house works on any provider the table names:
//! adding one is a new folder and one line below.
//!
//! Beside the folders: what every reader speaks (`found`), what a tool is (`spec`), what a call
//! costs (`price`) and where it came from (`origin`).

pub mod found;
pub mod origin;
pub mod price;
pub mod spec;

use crate::ground::provider::Provider;
use spec::Spec;

macro_rules! table {
    ($($folder:ident => $name:ident),* $(,)?) => {
        $(pub mod $folder;)*

        /// The table: each provider's constant, and the way from a provider to its folder's `SPEC`.
        impl Provider {
            // One for each provider, whether or not code outside its folder names it.
            $(#[allow(dead_code)] pub const $name: Provider = $folder::SPEC.provider;)*
            /// In the order the table lists them, which is the order of their codes.
            pub const ALL: &'static [Provider] = &[$($folder::SPEC.provider),*];

            pub fn spec(self) -> &'static Spec {
                SPECS.get(self.index()).copied().unwrap_or(SPECS[0])
            }
        }

        static SPECS: &[&Spec] = &[$(&$folder::SPEC),*];
    };
}

table! {
    claude => CLAUDE,
    codex => CODEX,
    gemini => GEMINI,
    kimi => KIMI,
    copilot => COPILOT,
    opencode => OPENCODE,
}

impl Provider {
    /// A code read back from a file: `None` for a code no provider has (a damaged or foreign file).
    pub fn from_code(code: u8) -> Option<Provider> {
        Provider::ALL.get(code as usize).copied()
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.iter().copied().find(|p| p.name() == name)
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn title(self) -> &'static str {
        self.spec().title
    }

    pub fn letter(self) -> &'static str {
        self.spec().letter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_places_in_the_table_and_names_are_unique() {
        for (i, p) in Provider::ALL.iter().enumerate() {
            assert_eq!(p.index(), i, "{}: its code is its place in the table", p.name());
            assert_eq!(Provider::from_code(i as u8), Some(*p));
            assert_eq!(Provider::from_name(p.name()), Some(*p));
        }
        assert_eq!(Provider::from_code(Provider::ALL.len() as u8), None, "an unknown code is no provider");
        let mut letters: Vec<&str> = Provider::ALL.iter().map(|p| p.letter()).collect();
        letters.sort_unstable();
        letters.dedup();
        assert_eq!(letters.len(), Provider::ALL.len());
    }
}
