# runway for bash, without a hook: `runway_segment` prints the segment, for a PS1 you build yourself.
# Load it with:  if command -v runway >/dev/null; then eval "$(runway init bash --print-only ::ARGS::)"; fi
# shellcheck shell=bash

runway_segment() {
    # Removed since the shell started: nothing, and no error.
    [[ -x ::RUNWAY:: ]] || return 0
    ::RUNWAY:: prompt --shell bash ::ARGS:: "$@" 2>/dev/null
}
