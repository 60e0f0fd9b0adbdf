//! The terminal's width, for text meant for a person (`status`, `report`, `demo`): its size when
//! stdout is a terminal, else `COLUMNS`, else none (a file or a pipe without it gets whole lines).

use std::io::IsTerminal;

use super::env::Env;

pub fn columns(env: &Env) -> Option<usize> {
    tty_columns().or_else(|| env.number("COLUMNS").map(|c| c as usize)).filter(|&c| c > 0)
}

fn tty_columns() -> Option<usize> {
    let out = std::io::stdout();
    if !out.is_terminal() {
        return None;
    }
    super::platform::tty_columns(&out)
}
