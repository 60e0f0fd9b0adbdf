#!/usr/bin/env bash
# The 41 scenarios of the second hostile-input pass, each checked again: most by a test of the suite
# (run here by name), the rest here, against the real binary. "held" scenarios passed when the pass was
# made; "failed" ones were found by it and fixed since. Prints one line per scenario and a summary;
# exits 1 if any fails.
#
#   benches/hostile.sh               # every scenario; the heavy ones generate 1 GB of history in $WORK
#   HEAVY=0 benches/hostile.sh       # without the heavy ones (about five minutes)
#   benches/hostile.sh 2 18 38       # some of them, by number
#
# Needs: cargo, python3, and what the tests need (bash, zsh, fish, tmux, strace: .ci/run installs them).
# Everything it writes goes to $WORK (a temporary directory unless set); nothing goes into the repo.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
HEAVY=${HEAVY:-1}
LIVE_SECS=${LIVE_SECS:-20}
WORK=${WORK:-$(mktemp -d -t runway-hostile.XXXXXX)}
mkdir -p "$WORK"
NOW=2026-02-12T21:05:00Z

cargo build --release --quiet -p runway-gauge -p runway-synth || exit 1
BIN=$PWD/target/release/runway
SYNTH=$PWD/target/release/runway-synth

# A test of the suite, by file and name.
t() { cargo test --quiet --test "$1" -- "${@:2}" >"$WORK/test.log" 2>&1 || { tail -30 "$WORK/test.log"; return 1; }; }

# A home with its own cache and the real Claude Code fixture, for the checks run here.
fixture() {
    rm -rf "$WORK/h"
    mkdir -p "$WORK/h/home"
    cp -r tests/fixtures/claude-real "$WORK/h/claude"
    export HOME=$WORK/h/home CLAUDE_CONFIG_DIR=$WORK/h/claude CODEX_HOME=$WORK/h/codex RUNWAY_CACHE_DIR=$WORK/h/cache
}

# Generated history of SIZE in $WORK/big (once), with its own cache.
big() {
    if [ ! -d "$WORK/big/claude" ]; then
        "$SYNTH" --out "$WORK/big" --size "$1" --codex-size 0 --days 30 >/dev/null || return 1
    fi
    mkdir -p "$WORK/big/codex" "$WORK/big/home"
    # Its history ends now: the figures are compared as of now.
    NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    export HOME=$WORK/big/home CLAUDE_CONFIG_DIR=$WORK/big/claude CODEX_HOME=$WORK/big/codex RUNWAY_CACHE_DIR=$WORK/big/cache
}

# `status --json` figures (all but `now`), through the cache, and from a fresh one.
figures() { "$BIN" --now "$NOW" status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("now"); print(json.dumps(d, sort_keys=True))'; }
fresh() { RUNWAY_CACHE_DIR=$WORK/fresh-$RANDOM figures; }
same_as_fresh() { [ "$(figures)" = "$(fresh)" ] || { echo "figures differ from a fresh read"; return 1; }; }

# Waits (60 s at most) until no helper of this cache runs.
settled() {
    for _ in $(seq 600); do
        pgrep -f -- "$BIN catch-up" >/dev/null || return 0
        sleep 0.1
    done
    echo "a helper still runs after 60 s"
    return 1
}

# N prompts at once on a cold cache, then the helper left to finish: one helper works, figures exact.
cold_prompts() {
    rm -rf "$RUNWAY_CACHE_DIR"
    local pids=() most=0 n
    for _ in $(seq "$1"); do "$BIN" prompt >/dev/null 2>"$WORK/err" & pids+=($!); done
    for _ in $(seq 20); do
        n=$(pgrep -fc -- "$BIN catch-up" || true)
        [ "$n" -gt "$most" ] && most=$n
        sleep 0.05
    done
    wait "${pids[@]}"
    settled || return 1
    [ -s "$WORK/err" ] && { echo "stderr: $(cat "$WORK/err")"; return 1; }
    echo "(at most $most helpers alive at once; each but one gives up at the lock)"
    same_as_fresh
}

s02() { big 1G && cold_prompts 30; }
s03() {
    big "${BIG:-1G}" || return 1
    rm -rf "$RUNWAY_CACHE_DIR"
    "$BIN" catch-up & local helper=$!
    for _ in $(seq 60); do "$BIN" prompt >/dev/null || return 1; done
    wait $helper
    settled && same_as_fresh
}
s04() {
    big "${BIG:-1G}" || return 1
    rm -rf "$RUNWAY_CACHE_DIR"
    for at in 0.3 0.8; do
        "$BIN" catch-up & local helper=$!
        sleep "$at"
        kill -9 $helper 2>/dev/null
        wait $helper 2>/dev/null
    done
    "$BIN" catch-up && same_as_fresh
}
s05() {
    fixture
    local fs=$WORK/tmpfs
    mkdir -p "$fs"
    if ! mount -t tmpfs -o size=2m tmpfs "$fs" 2>/dev/null; then
        echo "(no tmpfs may be mounted here: a file size limit stands in for the full file system)"
        t checked_cache a_file_system_too_small_for_the_cache
        return
    fi
    export RUNWAY_CACHE_DIR=$fs/cache
    head -c 1500000 /dev/zero >"$fs/filler"
    local out
    out=$("$BIN" --now "$NOW" --limit-cost 10 prompt) || { umount "$fs"; return 1; }
    rm -f "$fs/filler"
    "$BIN" catch-up
    out=$("$BIN" --now "$NOW" --limit-cost 10 prompt)
    same_as_fresh
    local r=$?
    umount "$fs"
    [ -n "$out" ] && return $r
}
s09() {
    fixture
    "$BIN" --now 2026-02-13T09:00:00Z status >/dev/null
    "$BIN" --now 2026-02-11T21:00:00Z status >/dev/null
    [ "$(NOW=2026-02-11T21:00:00Z figures)" = "$(NOW=2026-02-11T21:00:00Z fresh)" ]
}
s13() {
    t unwritable_cache || return 1
    fixture
    [ -n "$(RUNWAY_CACHE_DIR=/proc/runway "$BIN" --now "$NOW" --limit-cost 10 prompt 2>&1)" ] || return 1
    RUNWAY_CACHE_DIR=/proc/runway "$BIN" --now "$NOW" status >/dev/null 2>&1
}
s14() {
    fixture
    cp -r "$CLAUDE_CONFIG_DIR" "$WORK/h/claude2"
    local pids=()
    for _ in $(seq 10); do
        "$BIN" prompt >/dev/null & pids+=($!)
        CLAUDE_CONFIG_DIR=$WORK/h/claude2 "$BIN" prompt >/dev/null & pids+=($!)
    done
    wait "${pids[@]}"
    settled && same_as_fresh && CLAUDE_CONFIG_DIR=$WORK/h/claude2 same_as_fresh
}
s19() {
    fixture
    local tz now o
    # "-": no TZ at all.
    for tz in - "" "Garbage/Zone" "/etc/localtime" "EST5EDT,M3.2.0,M11.1.0" ":America/New_York" "UTC+99"; do
        for now in 1970-01-01T00:00:00Z 0000-01-01T00:00:00Z 2100-01-01T00:00:00Z 9999-12-31T23:59:59Z \
            2016-12-31T23:59:60Z 2026-02-12T21:05:00+99:00; do
            local zone=(env TZ="$tz")
            [ "$tz" = - ] && zone=(env -u TZ)
            o=$("${zone[@]}" "$BIN" --now "$now" prompt 2>&1) || { echo "prompt TZ=$tz --now $now: exit $?"; return 1; }
            # Nothing, a segment, or the marker a flag it cannot take earns (an instant past what it
            # can count in, 9999-12-31): never a message.
            [ -z "$o" ] || [ "$o" = "runway: see doctor" ] || [[ $o != *runway:* ]] ||
                { echo "prompt TZ=$tz --now $now said: $o"; return 1; }
            o=$("${zone[@]}" "$BIN" --now "$now" status 2>&1)
            case $o in *"internal error"*) echo "status TZ=$tz --now $now: $o"; return 1 ;; esac
        done
    done
}
s24() {
    t faults closed_stdout_is_not_an_error || return 1
    fixture
    "$BIN" --now "$NOW" prompt >/dev/full 2>"$WORK/err" || return 1
    [ ! -s "$WORK/err" ] || return 1
    ! "$BIN" --now "$NOW" status >/dev/full 2>"$WORK/err" && grep -q "runway:" "$WORK/err"
}
s28() {
    fixture
    local session=$CLAUDE_CONFIG_DIR/projects/-home-USER-projects-spotter/4d5611e5-241a-462a-8d15-5122611a9569.jsonl
    local whole=$WORK/whole.jsonl
    cp "$session" "$whole"
    head -c $(($(stat -c %s "$whole") / 3)) "$whole" >"$session"
    # The rest of the session appended in torn pieces (1 byte to 4 KiB) over LIVE_SECS seconds.
    python3 - "$whole" "$session" "$LIVE_SECS" <<'EOF' &
import os, sys, time, random
whole, live, secs = open(sys.argv[1], "rb").read(), sys.argv[2], float(sys.argv[3])
at = os.path.getsize(live)
delay = secs / max(1, (len(whole) - at) // 2048)
with open(live, "ab") as f:
    while at < len(whole):
        n = random.randint(1, 4096)
        f.write(whole[at:at + n])
        f.flush()
        at += n
        time.sleep(delay)
EOF
    local writer=$! payload
    payload=$(python3 -c 'import json,sys; print(json.dumps({"session_id":"8463c716-a2ea-4c14-9efa-87158ebd9f20","model":{"display_name":"Opus"},"rate_limits":{"five_hour":{"used_percentage":20,"resets_at":1770944400}}}))')
    while kill -0 $writer 2>/dev/null; do
        "$BIN" prompt >/dev/null & "$BIN" catch-up >/dev/null &
        echo "$payload" | "$BIN" statusline >/dev/null &
        "$BIN" --now "$NOW" status --json >/dev/null &
        wait
    done
    settled && same_as_fresh
}
s35() {
    fixture
    local p o
    mkfifo "$WORK/fifo" 2>/dev/null
    truncate -s 20G "$WORK/sparse.jsonl"
    for p in /dev/zero "$WORK/fifo" "$WORK/sparse.jsonl" "$WORK" /etc/shadow; do
        o=$(printf '{"session_id":"s1","transcript_path":"%s","model":{"display_name":"Opus"}}' "$p" |
            timeout 10 "$BIN" --now "$NOW" statusline 2>&1) || { echo "transcript_path=$p: exit $?"; return 1; }
    done
    rm -f "$WORK/sparse.jsonl"
}
s36() {
    fixture
    for _ in $(seq 3000); do "$BIN" --warn-at 150 prompt >/dev/null; done
    local size
    size=$(stat -c %s "$RUNWAY_CACHE_DIR/runway.log" 2>/dev/null || echo 0)
    [ "$size" -lt 65536 ] || { echo "the log grew to $size bytes"; return 1; }
}
s23() {
    big 1G || return 1
    rm -rf "$RUNWAY_CACHE_DIR"
    local kib
    kib=$("$BIN" --timings report --json 2>&1 >/dev/null | sed -n 's/.*peak-rss \([0-9]*\)KiB.*/\1/p')
    echo "(report --json, cold: peak RSS $((kib / 1024)) MiB)"
    [ "$kib" -lt $((64 * 1024)) ]
}
s41() {
    big 1G || return 1
    if [ ! -d "$WORK/big2/claude" ]; then "$SYNTH" --out "$WORK/big2" --size 800M --days 30 --seed 2 >/dev/null || return 1; fi
    export CLAUDE_CONFIG_DIR="$WORK/big/claude,$WORK/big2/claude"
    sync
    echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || echo "(the page cache cannot be dropped here)"
    cold_prompts 30
}

# Number, held or failed, what, and how it is checked (a test file and name, or a function above).
SCENARIOS=(
    "1|failed|tmux #()/#{}/#[]/%F in a rollout's limit_name|t hostile_text"
    "2|held|30 cold prompts on 1 GB: one helper, figures exact|heavy s02"
    "3|held|60 prompts in a row during catch-up: one helper|heavy s03"
    "4|held|kill -9 of the helper at 0.3 s and 0.8 s|heavy s04"
    "5|held|cache on a full 2 MB tmpfs during catch-up: blank while full, recovers|s05"
    "6|held|concurrent crossings, warm and cold: one notice per channel|t notices"
    "7|failed|read-only cache after the first notice|t notice_faults a_notice_that_cannot_be_recorded_is_said_by_doctor"
    "8|failed|full cache: notice repeated|t notice_faults a_full_disk_gives_a_notice_once"
    "9|held|clock back with --now|s09"
    "10|failed|status line: absurd figures, deep nesting, bad UTF-8 (a 900 KB model name printed)|t statusline; t sane_inputs absurd_status_line_figures_are_not_shown; t outside_text"
    "11|held|.claude.json torn, NaN, out of range, FIFO, /dev/zero, directory, loop, 100 MB, BOM|t claude_json"
    "12|failed|every cache file truncated, zeroed, flipped, a directory (kept copy unchecked; a FIFO)|t faults corrupt_truncated_and_missing_cache_files_are_rebuilt; t checked_cache; t owned_cache"
    "13|held|chmod 000, read-only dir, cache path a file, cache under /proc|s13"
    "14|held|two roots sharing a cache, concurrently|s14"
    "15|failed|symlink loops, names with newlines and escapes (loop + rewrite)|t rewritten a_link_loop; t outside_text"
    "16|failed|same-size rewrite, mtime kept|t rewritten"
    "17|held|future mtime, truncate to 0, regrow partial/full/mid-line|t faults truncated_replaced_rewritten_and_deleted_files; t sane_inputs an_idle_file_that_shrinks"
    "18|failed|100k tiny files: prompt time (the bench times it)|t many_files a_prompt_stats; t many_files a_walk_that_falls_due"
    "19|held|TZ unset/garbage/path/POSIX; --now 1970/0000/2100/9999/leap second/+99:00|s19; t local_time"
    "20|held|report across DST|t report a_generated_month_across_a_clock_change"
    "21|failed|report with invalid dates/zones/groupings (since > until)|t report since_and_until; t bad_input"
    "22|held|report equals an independent count in several zones|t report every_row"
    "23|held|report cold over a gigabyte: memory (the bench times it)|heavy s23"
    "24|held|closed pipe, /dev/full|s24"
    "25|held|hostile project and session names in status and report|t outside_text"
    "26|failed|lock held by a stuck process|t many_files a_lock_held_by_a_stuck_process"
    "27|failed|status line --then: escapes cleaned, 1 s bound (a process left holding the pipe)|t statusline another_tools_line; t init_claude another_tools_status_line"
    "28|held|a live writer with torn writes under concurrent prompt/statusline/status/catch-up|s28"
    "29|failed|odd types in Codex rate_limits|t odd_types odd_types_in_codex"
    "30|failed|odd types in Claude lines|t odd_types odd_types_in_claude"
    "31|failed|init claude on a FIFO or /dev/zero|t owned_cache init_claude_refuses"
    "32|failed|stopped tmux server|t notice_faults a_stopped_tmux_server"
    "33|held|a long line under a memory limit|t bounded a_two_hundred_megabyte_line"
    "34|held|init quoting and PS1/RPROMPT expansion with \$(..), backticks and %|t hosts dollars_and_percents; t bad_input flags_given_to_init"
    "35|held|status line transcript_path: /dev/zero, FIFO, 20 GB sparse, a directory, /etc/shadow|s35"
    "36|held|3,000 prompts with bad settings: the log stays small|s36"
    "37|failed|db folders of gone roots|t many_files the_caches_of_roots"
    "38|failed|foreign-owned cache directory with a planted link|t owned_cache a_cache_directory"
    "39|failed|40 concurrent status lines|t concurrent_readings"
    "40|failed|the same injection through the tmux status job|t hostile_text the_tmux_status_job"
    "41|held|30 cold prompts over 1.8 GB in two roots, page cache dropped|heavy s41"
)

want=" $* "
pass=0; fail=0; skipped=0
for s in "${SCENARIOS[@]}"; do
    IFS='|' read -r n was what how <<<"$s"
    [ $# -gt 0 ] && [[ $want != *" $n "* ]] && continue
    if [[ $how == heavy* ]]; then
        if [ "$HEAVY" = 0 ]; then
            printf '%2s %-6s skipped (HEAVY=0)  %s\n' "$n" "$was" "$what"
            skipped=$((skipped + 1))
            continue
        fi
        how=${how#heavy }
    fi
    ok=1
    IFS=';' read -ra checks <<<"$how"
    for c in "${checks[@]}"; do
        # shellcheck disable=SC2086 # each check is a function and its words
        ( eval $c ) >"$WORK/s$n.log" 2>&1 || { ok=0; break; }
    done
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
        printf '%2s %-6s ok       %s %s\n' "$n" "$was" "$what" "$(grep -h '^(' "$WORK/s$n.log" | tr '\n' ' ')"
    else
        fail=$((fail + 1))
        printf '%2s %-6s FAILED   %s (see %s)\n' "$n" "$was" "$what" "$WORK/s$n.log"
    fi
done
echo "hostile: $pass ok, $fail failed, $skipped skipped"
[ $fail = 0 ]
