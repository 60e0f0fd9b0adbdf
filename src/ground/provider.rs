//! Which tool wrote a file: a small code, the same in the cache from one run to the next.
//!
//! This type only names a tool. What runway knows about each one (where its files are, how they
//! read, its prices and quotas, its name) lives in the tool's own folder under `provider/`, and the
//! table there lists them: it gives this type its constants (`Provider::CLAUDE`…), `ALL`, and the
//! way back from a stored code, which refuses a code no tool has.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Provider(u8);

impl Provider {
    /// A provider's code, as its own folder declares it once (see `provider::Spec`). Anything
    /// read back from a file goes through the table's `Provider::from_code`, which checks it.
    pub const fn declare(code: u8) -> Provider {
        Provider(code)
    }

    /// The code the cache stores; also the provider's place in the table.
    pub fn code(self) -> u8 {
        self.0
    }

    pub fn index(self) -> usize {
        self.0 as usize
    }
}
