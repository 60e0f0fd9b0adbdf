//! A prompt's command line that clap refused, read again without the words it did not know.

use std::ffi::OsString;

use super::{Cli, with_clap};

/// Read without the words clap did not know (a misspelt flag in tmux's `@runway-args` left the bar
/// with the marker alone): the words left out are one problem for `doctor`, and the segment is drawn
/// with the marker after it. `None` when leaving words out is not enough.
pub fn leniently(args: &[OsString], first: &clap::Error) -> Option<Cli> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let unknown = |e: &clap::Error| match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(word)) if e.kind() == ErrorKind::UnknownArgument => {
            let near = match e.get(ContextKind::SuggestedArg) {
                Some(ContextValue::String(s)) => Some(s.clone()),
                _ => None,
            };
            Some((word.clone(), near))
        }
        _ => None,
    };
    let line = args.iter().skip(1).map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ");
    let mut args = args.to_vec();
    let (mut words, mut nears) = (Vec::new(), Vec::new());
    let mut next = unknown(first)?;
    for _ in 0..8 {
        let (word, near) = next;
        let known = |a: &OsString| a.to_str().is_some_and(|a| a == word || a.starts_with(&format!("{word}=")));
        let at = args.iter().skip(1).position(known)?;
        args.remove(at + 1);
        words.push(format!("`{word}`"));
        nears.extend(near.map(|n| format!("`{n}`")));
        match with_clap(&args) {
            Ok(mut cli) => {
                let near =
                    if nears.is_empty() { String::new() } else { format!(" (a similar one: {})", nears.join(", ")) };
                let problem = format!("`runway {line}`: {} left out, not runway's{near}", words.join(" "));
                cli.given.left_out = vec![problem];
                return Some(cli);
            }
            Err(e) => next = unknown(&e)?,
        }
    }
    None
}
