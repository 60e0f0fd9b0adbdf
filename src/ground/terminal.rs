//! The terminal's width, for text meant for a person (`status`, `report`, `demo`): its size when
//! stdout is a terminal, else `COLUMNS`, else none (a file or a pipe without it gets whole lines).

use std::io::IsTerminal;
use std::os::fd::AsRawFd;

use super::env::Env;

pub fn columns(env: &Env) -> Option<usize> {
    tty_columns().or_else(|| env.number("COLUMNS").map(|c| c as usize)).filter(|&c| c > 0)
}

fn tty_columns() -> Option<usize> {
    let out = std::io::stdout();
    if !out.is_terminal() {
        return None;
    }
    // SAFETY: an all-zero winsize is a valid value of this plain C struct.
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one winsize into the one it is given; fd 1 is open (it is a terminal).
    let r = unsafe { libc::ioctl(out.as_raw_fd(), libc::TIOCGWINSZ, &mut ws) };
    (r == 0 && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}
