# runway for bash: the AI-coding quota segment, at the front of PS1.
# Load it at the end of ~/.bashrc with:  eval "$(runway init bash)"
# shellcheck shell=bash
#
# The hook runs after the other prompt commands (which may build PS1), takes the PS1 it finds as the
# base unless it is the one the hook set last time, and hands back the exit status it found.
# Evaluating this twice installs nothing twice. PROMPT_COMMAND may be a string or (bash 5.1+) an array.
# Notices runway has for the shell come before a 0x1e byte: printed above the prompt, once.

_runway_hook() {
    local ret=$?
    if [[ ${PS1-} != "${_runway_ps1_set-}" ]]; then
        _runway_ps1_base=${PS1-}
    fi
    local seg=
    # Removed since the shell started: no segment, and no error at every prompt.
    # Notices only where a person reads them: an interactive shell.
    local notices=()
    [[ $- == *i* ]] && notices=(--notices)
    [[ -x ::RUNWAY:: ]] && seg=$(::RUNWAY:: prompt --shell bash "${notices[@]}" ::ARGS:: 2>/dev/null)
    if [[ $seg == *$'\x1e'* ]]; then
        printf '%s\n' "${seg%%$'\x1e'*}"
        seg=${seg#*$'\x1e'}
    fi
    # The segment comes protected from PS1's expansion; with promptvars off there is none, and the
    # protection would show (`\$1.95`): it is taken off, backslashes first (left to right, each
    # pattern meets only what runway wrote for it).
    # shellcheck disable=SC1003 # the quotes hold backslashes, not a quote
    if ! shopt -q promptvars; then
        seg=${seg//'\\\\'/'\\'}
        seg=${seg//'\\$'/'$'}
        seg=${seg//'\\`'/'`'}
    fi
    PS1="${seg:+$seg }${_runway_ps1_base-}"
    _runway_ps1_set=$PS1
    return $ret
}

if [[ $(declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
    if [[ " ${PROMPT_COMMAND[*]} " != *" _runway_hook "* ]]; then
        PROMPT_COMMAND+=(_runway_hook)
    fi
elif [[ ${PROMPT_COMMAND-} != *_runway_hook* ]]; then
    # Joined with a newline, which ends a trailing comment and separates commands whatever the
    # value ends with (`;`, `&`, a newline of its own). Here PROMPT_COMMAND is a string, not an array.
    # shellcheck disable=SC2178,SC2128
    PROMPT_COMMAND="${PROMPT_COMMAND:+$PROMPT_COMMAND$'\n'}_runway_hook"
fi
