//! Test knobs: variables the tests turn, not settings.

use crate::ground::env::Env;
use crate::store::ingest::PromptBudget;

/// Test knobs: not settings, read from the environment once like everything else, and never
/// documented as settings.
#[derive(Clone, Debug, Default)]
pub struct Knobs {
    /// A prompt's read clock and byte budget (`RUNWAY_PROMPT_MS`, `RUNWAY_PROMPT_BYTES`).
    pub prompt_ms: Option<u64>,
    pub prompt_bytes: Option<u64>,
    /// Records read before a compaction (`RUNWAY_MAX_DELTA`).
    pub max_delta: Option<u64>,
    /// A fault to inject (`RUNWAY_FAULT`): `panic`, `after-claim`.
    pub fault: Option<String>,
    /// Never start the background helper (`RUNWAY_NO_HELPER`).
    pub no_helper: bool,
    /// Write this device's sync file for `--now` too (`RUNWAY_PUBLISH_REPLAYS`): tests over fixed
    /// histories; a person's replay never overwrites what the other devices read.
    pub publish_replays: bool,
    /// `report --by session` a chunk of this many sessions at a time, however few the files
    /// (`RUNWAY_REPORT_CHUNK`; see `report::sessions`).
    pub report_chunk: Option<usize>,
    /// This machine's mark (`RUNWAY_MACHINE_MARK`, see `sync::identity`): tests whose devices share
    /// one machine yet stand for two.
    pub machine_mark: Option<String>,
    /// From how many bytes to read a command says it is reading (`RUNWAY_LONG_READ_BYTES`): the
    /// tests' histories are far below the 64 MiB it takes.
    pub long_read_bytes: Option<u64>,
}

const PROMPT_MS: &str = "RUNWAY_PROMPT_MS";
const PROMPT_BYTES: &str = "RUNWAY_PROMPT_BYTES";
const MAX_DELTA: &str = "RUNWAY_MAX_DELTA";
const FAULT: &str = "RUNWAY_FAULT";
const NO_HELPER: &str = "RUNWAY_NO_HELPER";
const PUBLISH_REPLAYS: &str = "RUNWAY_PUBLISH_REPLAYS";
const REPORT_CHUNK: &str = "RUNWAY_REPORT_CHUNK";
const MACHINE_MARK: &str = "RUNWAY_MACHINE_MARK";
const LONG_READ_BYTES: &str = "RUNWAY_LONG_READ_BYTES";

/// Every knob's variable: read with the environment, never named as a setting nor suggested for one.
pub const NAMES: &[&str] = &[
    PROMPT_MS,
    PROMPT_BYTES,
    MAX_DELTA,
    FAULT,
    NO_HELPER,
    PUBLISH_REPLAYS,
    REPORT_CHUNK,
    MACHINE_MARK,
    LONG_READ_BYTES,
];

impl Knobs {
    pub fn of(env: &Env) -> Knobs {
        Knobs {
            prompt_ms: env.number(PROMPT_MS),
            prompt_bytes: env.number(PROMPT_BYTES),
            max_delta: env.number(MAX_DELTA),
            fault: env.text(FAULT).map(str::to_owned),
            no_helper: env.os(NO_HELPER).is_some(),
            publish_replays: env.os(PUBLISH_REPLAYS).is_some(),
            report_chunk: env.number(REPORT_CHUNK).map(|n: u64| n as usize),
            machine_mark: env.text(MACHINE_MARK).map(str::to_owned),
            long_read_bytes: env.number(LONG_READ_BYTES),
        }
    }

    /// A prompt's budget, as the knobs change it.
    pub fn budget(&self) -> PromptBudget {
        let d = PromptBudget::default();
        PromptBudget {
            bytes: self.prompt_bytes.unwrap_or(d.bytes),
            time: self.prompt_ms.map_or(d.time, std::time::Duration::from_millis),
            max_delta: self.max_delta.map_or(d.max_delta, |n| n as usize),
        }
    }

    pub fn fault(&self, name: &str) -> bool {
        self.fault.as_deref() == Some(name)
    }
}
