# runway for fish: the AI-coding quota segment, in front of the right prompt you already had.
# Load it from ~/.config/fish/config.fish with:  runway init fish | source
#
# An existing fish_right_prompt is kept (as _runway_user_right_prompt) and called after the segment,
# with the exit status it would have seen. Sourcing this twice wraps nothing twice.

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

    function fish_right_prompt --description 'runway segment, then the right prompt that was there'
        set -l last $status
        set -l seg
        # Removed since the shell started: no segment, and no error at every prompt.
        test -x ::RUNWAY::; and set seg (::RUNWAY:: prompt --shell fish ::ARGS:: 2>/dev/null)
        set -l user (_runway_status $last; _runway_user_right_prompt)
        string join ' ' -- $seg $user
        _runway_status $last
    end
end
