# runway for bash: the AI-coding quota segment, at the front of PS1.
# Load it at the end of ~/.bashrc with (a shell without runway starts quietly):
#   if command -v runway >/dev/null; then eval "$(runway init bash ::ARGS::)"; fi
# shellcheck shell=bash
#
# The hook runs after the other prompt commands (which may build PS1), takes the PS1 it finds as the
# base unless it is the one the hook set last time, and hands back the exit status it found. A PS1
# changed from the one it set keeps no copy of the segment: a virtualenv's `(venv) ` put in front
# of it, or a prompt it had set put back by `deactivate`, gives the base with it, once.
# Evaluating this twice installs nothing twice. PROMPT_COMMAND may be a string or (bash 5.1+) an array.
# Notices runway has for the shell come before a 0x1e byte: printed above the prompt, once.

_runway_hook() {
    local ret=$?
    if [[ ${PS1-} != "${_runway_ps1_set-}" ]]; then
        _runway_rebase
    fi
    local seg=
    # Removed since the shell started: no segment, and no error at every prompt.
    # Notices only where a person reads them: an interactive shell.
    local notices=()
    [[ $- == *i* ]] && notices=(--notices)
    [[ -x ::RUNWAY:: ]] && seg=$(::RUNWAY:: prompt --shell bash ${notices[@]+"${notices[@]}"} ::ARGS:: 2>/dev/null)
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
    _runway_ps1_seg=${seg:+$seg }
    PS1="$_runway_ps1_seg${_runway_ps1_base-}"
    _runway_ps1_set=$PS1
    return $ret
}

# The base of a PS1 someone else changed, by the first rule that holds. The PS1 the hook set last,
# with something around it (`(venv) ` in front), gives its base with that around it. A PS1 the hook
# had set and someone kept, with the segment of then (a virtualenv's `deactivate` puts it back; the
# next `activate` puts `(v2) ` in front of it), gives the base it had, with what is around it. The
# segment as the hook last put it, still in front (the rest edited: `${PS1//"(base) "/}`), comes
# off. Each PS1 replaced is kept with its base: the last eight, newest first (indexed arrays, for
# bash 3.2; `${a[@]+…}`, as bash before 4.4 calls an empty array unbound under `set -u`). Cut around
# a match, not ${//}: bash 5.2 reads `&` in a replacement as the match.
_runway_rebase() {
    local new=${PS1-} i n=${#_runway_kept_set[@]} set=${_runway_ps1_set-} base=${_runway_ps1_base-}
    for ((i = -1; i < n; i++)); do
        if ((i >= 0)); then
            set=${_runway_kept_set[i]} base=${_runway_kept_base[i]}
        fi
        if [[ -n $set && $new == *"$set"* ]]; then
            new=${new%%"$set"*}$base${new#*"$set"}
            break
        fi
    done
    if ((i == n)) && [[ -n ${_runway_ps1_seg-} && $new == "$_runway_ps1_seg"* ]]; then
        new=${new#"$_runway_ps1_seg"}
    fi
    if [[ -n ${_runway_ps1_set-} ]]; then
        _runway_kept_set=("$_runway_ps1_set" ${_runway_kept_set[@]+"${_runway_kept_set[@]:0:7}"})
        _runway_kept_base=("${_runway_ps1_base-}" ${_runway_kept_base[@]+"${_runway_kept_base[@]:0:7}"})
    fi
    _runway_ps1_base=$new
}

# Set once, and kept when this is evaluated again (`set -u` refuses an array never set).
declare -p _runway_kept_set >/dev/null 2>&1 || _runway_kept_set=()
declare -p _runway_kept_base >/dev/null 2>&1 || _runway_kept_base=()

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
