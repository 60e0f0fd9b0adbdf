# runway for zsh, without a hook: `runway_segment` prints the segment, for a prompt you build yourself
# (powerlevel10k, your own theme). Load it with:
#   if command -v runway >/dev/null; then eval "$(runway init zsh --print-only ::ARGS::)"; fi

runway_segment() {
    # Removed since the shell started: nothing, and no error.
    [[ -x ::RUNWAY:: ]] || return 0
    ::RUNWAY:: prompt --shell zsh ::ARGS:: "$@" 2>/dev/null
}
