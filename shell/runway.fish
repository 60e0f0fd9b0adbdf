# runway for fish: the AI-coding quota segment, in front of the right prompt you already had.
# Load it from ~/.config/fish/config.fish with:  if type -q runway; runway init fish ::ARGS:: | source; end
#
# An existing fish_right_prompt is kept (as _runway_user_right_prompt) and called after the segment,
# with the exit status it would have seen. Sourcing this twice wraps nothing twice. runway runs once
# per prompt, from the fish_prompt event, before the prompt is drawn: notices it has for the shell
# (before a 0x1e byte) are printed above the prompt, once; the segment waits for the right prompt.

if not functions -q _runway_user_right_prompt
    if functions -q fish_right_prompt
        functions -c fish_right_prompt _runway_user_right_prompt
    else
        function _runway_user_right_prompt
        end
    end

    function _runway_status --description 'runway: hand an exit status back'
        return $argv[1]
    end

    set -g _runway_seg

    function _runway_fetch --on-event fish_prompt --description 'runway: the segment, and notices above the prompt'
        set -l last $status
        set -g _runway_seg
        # Removed since the shell started: no segment, and no error at every prompt.
        if test -x ::RUNWAY::
            # Notices only where a person reads them: an interactive shell.
            set -l notices
            status is-interactive; and set notices --notices
            set -l out (::RUNWAY:: prompt --shell fish $notices ::ARGS:: 2>/dev/null | string collect)
            set -l parts (string split -m 1 \x1e -- "$out")
            if test (count $parts) -gt 1
                printf '%s\n' $parts[1]
                set -g _runway_seg $parts[2]
            else
                set -g _runway_seg $out
            end
        end
        _runway_status $last
    end

    function fish_right_prompt --description 'runway segment, then the right prompt that was there'
        set -l last $status
        set -l user (_runway_status $last; _runway_user_right_prompt)
        string join ' ' -- $_runway_seg $user
        _runway_status $last
    end
end
