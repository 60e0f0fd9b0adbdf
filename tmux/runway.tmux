#!/usr/bin/env bash
# runway for tmux: every #{runway} in status-left and status-right becomes the quota segment.
#
# With TPM:     set -g @plugin '<this repository>'      (TPM runs every *.tmux file it finds)
# Without TPM:  run-shell /path/to/runway/tmux/runway.tmux
# Then:         set -g status-right '#{runway} %H:%M'
#
# Options (set them before the plugin loads):
#   @runway-bin    the runway binary (default: `runway` on PATH, else this checkout's target/release)
#   @runway-args   extra arguments, e.g. "--set color_warn=214 --limit-cost 40"
#
# The segment is a #() job: tmux runs it through /bin/sh at most once per status-interval, never
# waits for it, and shows its last output. It prints tmux styles (#[fg=…]), never raw ANSI, and
# never reads stdin (a job's stdin is tmux's socket).

set -u
CURRENT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

option() {
    local value
    value=$(tmux show-option -gqv "$1")
    printf '%s' "${value:-$2}"
}

# Single-quotes a word for /bin/sh.
quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

bin=$(option @runway-bin "")
if [ -z "$bin" ]; then
    bin=$(command -v runway 2>/dev/null || true)
fi
if [ -z "$bin" ] && [ -x "$CURRENT_DIR/../target/release/runway" ]; then
    bin="$CURRENT_DIR/../target/release/runway"
fi
if [ -z "$bin" ]; then
    tmux display-message "runway: binary not found; set -g @runway-bin /path/to/runway"
    exit 0
fi
args=$(option @runway-args "")

# The job command: stdin closed and stderr dropped, so nothing can hang or leak into the bar.
command="#($(quote "$bin") prompt --shell tmux $args </dev/null 2>/dev/null)"

for side in status-left status-right; do
    value=$(tmux show-option -gqv "$side")
    replaced=${value//\#\{runway\}/$command}
    if [ "$value" != "$replaced" ]; then
        tmux set-option -gq "$side" "$replaced"
    fi
done
