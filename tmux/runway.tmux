#!/usr/bin/env bash
# runway for tmux: every #{runway} in status-left and status-right becomes the quota segment.
#
# With TPM:     set -g @plugin '<this repository>'      (TPM runs runway.tmux at the plugin's root)
# Without TPM:  run-shell /path/to/runway/runway.tmux
# Then:         set -g status-right '#{runway} %H:%M'
#
# Options (set them before the plugin loads):
#   @runway-bin    the runway binary (default: runway on tmux's PATH, else ~/.cargo/bin/runway, else
#                  one beside this plugin (a release archive, a Homebrew prefix), else Homebrew's bin,
#                  else this checkout's target/release/runway)
#   @runway-args   extra arguments, e.g. "--set color_warn=214 --limit-cost 40"
#
# The segment is a #() job: tmux runs it through /bin/sh at most once per status-interval, never
# waits for it, and shows its last output. It prints tmux styles (#[fg=…]), never raw ANSI, and
# never reads stdin (a job's stdin is tmux's socket). A #{runway} set after the plugin loads is
# replaced too: the plugin runs again after every set-option, and when a session is made (tmux runs
# no hook for the commands of the config file it starts with: a line after the plugin's in
# ~/.tmux.conf is found when its first session is made). When no binary is found, the status bar
# says so where the segment would be (tmux drops display-message during startup).

set -u
# bash 5.2 reads `&` in a ${//} replacement as the matched text: a `&` in a path or an argument
# became another #{runway}, replaced again at every set-option.
shopt -u patsub_replacement 2>/dev/null || true
CURRENT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SELF="$CURRENT_DIR/runway.tmux"

option() {
    local value
    value=$(tmux show-option -gqv "$1")
    printf '%s' "${value:-$2}"
}

# Single-quotes a word for /bin/sh.
quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# tmux reads a #() job's command as a format, after strftime: `#` and `%` are doubled to reach the
# shell as themselves (`--set color_warn=#FF8800` would have met `#F`, the window's flags).
tmux_literal() {
    local s
    s=$(hashes_doubled "$1")
    printf '%s' "${s//\%/%%}"
}

# Each `#` doubled for tmux's format expansion (`##` is one `#`), but a run of them before `[`: the
# expansion leaves that as it is (a style), and `##[` reached /bin/sh as `##[`.
hashes_doubled() {
    local s=$1 out="" run="" c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        if [ "$c" = "#" ]; then
            run+="#"
            continue
        fi
        if [ "$c" = "[" ]; then out+="$run"; else out+="$run$run"; fi
        run=""
        out+="$c"
    done
    printf '%s' "$out$run$run"
}

# A word in tmux's double quotes, `#` doubled: a hook's command is parsed by tmux, and expanded as a
# format by run-shell, before /bin/sh has it (a plugin path with a space was split, one with a `#`
# was read as a format).
tmux_quoted() {
    local s=${1//\\/\\\\}
    s=${s//\"/\\\"}
    s=$(hashes_doubled "$s")
    printf '"%s"' "${s//\$/\\\$}"
}

# Whether every `)` closes a `(` before it and none is left open: tmux ends a #() at the `)` that
# balances its `(`, whatever the shell's quotes say.
balanced() {
    local s=$1 depth=0 i
    for ((i = 0; i < ${#s}; i++)); do
        case ${s:i:1} in
        "(") depth=$((depth + 1)) ;;
        ")") depth=$((depth - 1)); [ "$depth" -ge 0 ] || return 1 ;;
        esac
    done
    [ "$depth" -eq 0 ]
}

bin=$(option @runway-bin "")
if [ -z "$bin" ]; then
    bin=$(command -v runway 2>/dev/null || true)
fi
# tmux's PATH is often narrower than a login shell's (started by launchd or systemd), so the usual
# places are tried by name (a home that is not absolute is none: runway's own rule).
cargo_bin=
case ${HOME:-} in /*) cargo_bin=$HOME/.cargo/bin/runway ;; esac
for candidate in ${cargo_bin:+"$cargo_bin"} "$CURRENT_DIR/../runway" "$CURRENT_DIR/../../../bin/runway" \
    /opt/homebrew/bin/runway /usr/local/bin/runway "$CURRENT_DIR/../target/release/runway"; do
    if [ -z "$bin" ] && [ -x "$candidate" ]; then
        bin=$candidate
    fi
done

# The columns a segment takes at most: two tools fit in 28 (see `windows` in README), four in about
# 60, and the marker that sends to `runway doctor` when a setting or an argument is wrong
# (` · runway: see doctor`) takes 21 more. A length bounds the side; it takes nothing while the
# segment is short.
columns=100
args=$(option @runway-args "")
job="$bin $args"
if [ -n "$bin" ] && [ -x "$bin" ] && [ "${job#*\#\{runway\}}" != "$job" ]; then
    # The segment would hold what it replaces, replaced again at every run: without end.
    hint="runway: @runway-bin or @runway-args names the segment itself"
    columns=${#hint}
    segment="#[fg=white,bg=red]$hint#[default]"
elif [ -n "$bin" ] && [ -x "$bin" ] && balanced "$job"; then
    # The job command: stdin closed and stderr dropped, so nothing can hang or leak into the bar.
    segment="#($(tmux_literal "$(quote "$bin")") prompt --shell tmux $(tmux_literal "$args") </dev/null 2>/dev/null)"
elif [ -n "$bin" ] && [ -x "$bin" ]; then
    hint="runway: a ( or ) tmux cannot take in @runway-bin or @runway-args"
    columns=${#hint}
    segment="#[fg=white,bg=red]$hint#[default]"
else
    hint="runway not found: set @runway-bin"
    columns=${#hint}
    segment="#[fg=white,bg=red]$hint#[default]"
    tmux display-message "runway: no binary found; install it (cargo install --locked --path <checkout>) or set -g @runway-bin /path/to/runway" 2>/dev/null
fi

# Room on the bar for what the side held and the segment: its length raised as far as that needs,
# never lowered (a length the person set higher stays). What the rest shows is measured as tmux
# expands it, its styles left out; a #() job in it is not run for this and counts nothing.
make_room() {
    local side=$1 value=$2 rest shown count need have
    rest=${value//\#\{runway\}/}
    count=$(((${#value} - ${#rest}) / 9))
    rest=$(printf '%s' "$rest" | sed 's/#([^)]*)//g')
    shown=$(tmux display-message -p "$rest" 2>/dev/null) || shown=$rest
    shown=$(printf '%s' "$shown" | sed 's/#\[[^]]*\]//g')
    need=$((${#shown} + count * columns))
    have=$(tmux show-option -gqv "$side-length")
    if [ "${have:-0}" -lt "$need" ]; then
        tmux set-option -gq "$side-length" "$need"
    fi
}

for side in status-left status-right; do
    value=$(tmux show-option -gqv "$side")
    replaced=${value//\#\{runway\}/$segment}
    if [ "$value" != "$replaced" ]; then
        # Replaced first: the run this set-option starts (the hook below) finds nothing left to do.
        tmux set-option -gq "$side" "$replaced"
        make_room "$side" "$value"
    fi
done

# Replace a #{runway} set later too (a status line written after the plugin loads, or by a theme).
# A fixed index: loading the plugin twice installs the hooks once. The set-option of a run starts
# one more run, which finds nothing left to replace: the segment never holds `#{runway}` (see
# @runway-args above), or it would never end. The config file's own lines run no hook: its first
# session, made once the file is read, finds what they set.
for hook in after-set-option session-created; do
    tmux set-hook -g "${hook}[4417]" "run-shell -b $(tmux_quoted "$(quote "$SELF")")"
done
