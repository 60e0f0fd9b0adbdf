# runway for fish, without a hook: `runway_segment` prints the segment, for a prompt you build yourself.
# Load it with:  if type -q runway; runway init fish --print-only ::ARGS:: | source; end

function runway_segment --description 'runway: print the quota segment'
    # Removed since the shell started: nothing, and no error.
    test -x ::RUNWAY::; or return 0
    ::RUNWAY:: prompt --shell fish ::ARGS:: $argv 2>/dev/null
end
