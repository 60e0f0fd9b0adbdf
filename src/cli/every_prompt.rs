//! The words every prompt gives, read by hand: the one place the command line is not clap's.

use std::ffi::OsString;

use super::{Cli, Cmd};
use crate::config::Given;
use crate::render::escape::Target;

/// The words the shell hooks, tmux and Claude Code's status line give on every prompt when `init` was
/// given no settings, read without clap: building clap's command and matching it took 256k of a warm
/// prompt's 1.85M instructions (callgrind) and 0.13 ms of its time (paired runs, with the page faults of
/// clap's code). Anything else, clap reads; a test holds the two to the same answer.
pub fn read(args: &[OsString]) -> Option<Cli> {
    let words: Vec<&str> = args.get(1..)?.iter().map(|a| a.to_str()).collect::<Option<_>>()?;
    let prompt = |shell: &str, notices: bool| Some(Cmd::Prompt { shell: Target::from_name(shell)?, notices });
    let cmd = match words[..] {
        ["prompt", "--shell", shell] => prompt(shell, false),
        ["prompt", "--shell", shell, "--notices"] | ["prompt", "--notices", "--shell", shell] => prompt(shell, true),
        ["statusline"] => Some(Cmd::Statusline { then: None }),
        _ => None,
    }?;
    Some(Cli { given: Given::default(), cmd })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::tests::args;
    use crate::cli::with_clap;

    #[test]
    fn the_words_of_every_prompt_read_as_clap_reads_them() {
        let mut seen = 0;
        for shell in Target::SHELLS.map(|(n, _)| n).into_iter().chain(["cmd", "ZSH", ""]) {
            for words in ["prompt --shell {}", "prompt --shell {} --notices", "prompt --notices --shell {}"] {
                let a = args(&format!("runway {}", words.replace("{}", shell)));
                match read(&a) {
                    Some(fast) => {
                        assert_eq!(format!("{fast:?}"), format!("{:?}", with_clap(&a).unwrap()), "{a:?}");
                        seen += 1;
                    }
                    None => assert!(with_clap(&a).is_err(), "{a:?} is left to clap, which takes it"),
                }
            }
        }
        assert_eq!(seen, 3 * Target::SHELLS.len());
        let a = args("runway statusline");
        assert_eq!(format!("{:?}", read(&a).unwrap()), format!("{:?}", with_clap(&a).unwrap()));
        for other in ["runway prompt --shell zsh --ascii", "runway statusline --then x", "runway prompt", "runway"] {
            assert!(read(&args(other)).is_none(), "{other}: settings and the rest are clap's");
        }
    }
}
