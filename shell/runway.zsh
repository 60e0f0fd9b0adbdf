# runway for zsh: the AI-coding quota segment, at the front of RPROMPT.
# Load it at the end of ~/.zshrc with (a shell without runway starts quietly):
#   if command -v runway >/dev/null; then eval "$(runway init zsh ::ARGS::)"; fi
#
# Evaluating this twice installs nothing twice: add-zsh-hook skips a hook that is already there, and
# the segment is put into RPROMPT only when it is missing (so a theme that sets RPROMPT later keeps
# its own part). The hook hands back the exit status it found. Notices runway has for the shell come
# before a 0x1e byte: printed above the prompt, once (the claim is runway's, shared by every shell).

typeset -g _runway_segment=''

_runway_precmd() {
    local ret=$?
    if [[ ${RPROMPT} != *'${_runway_segment}'* ]]; then
        RPROMPT='${_runway_segment}'"${RPROMPT}"
    fi
    # Removed since the shell started: no segment, and no error at every prompt.
    _runway_segment=''
    # Notices only where a person reads them: an interactive shell.
    local -a notices=()
    [[ -o interactive ]] && notices=(--notices)
    [[ -x ::RUNWAY:: ]] && _runway_segment="$(::RUNWAY:: prompt --shell zsh "${notices[@]}" ::ARGS:: 2>/dev/null)"
    if [[ ${_runway_segment} == *$'\x1e'* ]]; then
        print -r -- "${_runway_segment%%$'\x1e'*}"
        _runway_segment=${_runway_segment#*$'\x1e'}
    fi
    # A space before whatever else is in RPROMPT.
    if [[ -n ${_runway_segment} && ${RPROMPT} != '${_runway_segment}' ]]; then
        _runway_segment+=' '
    fi
    return $ret
}

setopt prompt_subst
autoload -Uz add-zsh-hook
add-zsh-hook precmd _runway_precmd
