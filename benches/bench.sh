#!/usr/bin/env bash
# runway's benchmark: generates a realistic history (1 GB of Claude Code and 200 MB of Codex CLI by
# default), then times runway on it next to /bin/true and ccusage 20's statusline (its native build), and prints one
# table of medians against the targets.
#
#   benches/bench.sh                 # the full table (with ccusage's uncached status line)
#   SIZE=200M CODEX_SIZE=40M RUNS=100 benches/bench.sh
#   CCUSAGE=0 benches/bench.sh       # skip ccusage (no npm needed)
#   BASELINE=/path/to/older/runway benches/bench.sh   # its warm prompt paired with this one's
#   TINY=0 benches/bench.sh          # skip the 100k one-call sessions (400 MB more on disk)
#
# Needs: cargo, hyperfine, python3; npm for ccusage. Installs hyperfine with apt-get when missing.
# Everything it writes goes to $WORK (a temporary directory unless set); nothing goes into the repo.
set -euo pipefail

SIZE=${SIZE:-1G}
CODEX_SIZE=${CODEX_SIZE:-200M}
DAYS=${DAYS:-30}
RUNS=${RUNS:-300}
COLD_RUNS=${COLD_RUNS:-5}
CCUSAGE=${CCUSAGE:-1}
# One-call sessions of the many-files case.
TINY=${TINY:-100000}
CCUSAGE_RUNS=${CCUSAGE_RUNS:-3}
# The incumbent users compare runway with: ccusage 20, native Rust (x86-64 Linux package).
CCUSAGE_VERSION=${CCUSAGE_VERSION:-20.0.24}
cd "$(dirname "$0")/.."
WORK=${WORK:-$(mktemp -d -t runway-bench.XXXXXX)}
mkdir -p "$WORK"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine; then
    echo "installing hyperfine..." >&2
    (apt-get install -y hyperfine >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y hyperfine >/dev/null 2>&1)) \
        || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
fi
need python3 || { echo "bench: python3 is needed" >&2; exit 1; }

cargo build --release --quiet -p runway-gauge -p runway-synth
# The binary is timed from a copy: started from the build folder (just written by the linker, and
# linked twice there) the same bytes measured 0.12 ms slower to start than a copy beside them.
mkdir -p "$WORK/bin"
cp target/release/runway "$WORK/bin/runway"
BIN=$WORK/bin/runway
SYNTH=$PWD/target/release/runway-synth
END=$(date -u +%Y-%m-%dT%H:%M:%SZ)

echo "== generating $SIZE of Claude Code and $CODEX_SIZE of Codex history over $DAYS days in $WORK/corpus" >&2
rm -rf "$WORK/corpus" "$WORK/cache"
"$SYNTH" --out "$WORK/corpus" --size "$SIZE" --codex-size "$CODEX_SIZE" --days "$DAYS" --end "$END" >&2
export CLAUDE_CONFIG_DIR=$WORK/corpus/claude
export CODEX_HOME=$WORK/corpus/codex
export RUNWAY_CACHE_DIR=$WORK/cache
mkdir -p "$CODEX_HOME"
FILES=$(find "$CLAUDE_CONFIG_DIR" -name '*.jsonl' | wc -l)
BYTES=$(du -sb "$CLAUDE_CONFIG_DIR" | cut -f1)
CODEX_FILES=$(find "$CODEX_HOME" -name '*.jsonl' | wc -l)
CODEX_BYTES=$(du -sb "$CODEX_HOME" | cut -f1)
LIVE=$(find "$CLAUDE_CONFIG_DIR" -name '*.jsonl' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2-)

# hyperfine's median, in milliseconds, from its JSON export.
median() { python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$1"; }
time_it() { # name, hyperfine args...
    local name=$1; shift
    if ! hyperfine -N --style none --export-json "$WORK/$name.json" "$@" >"$WORK/$name.log" 2>&1; then
        echo "bench: hyperfine failed for $name, see $WORK/$name.log" >&2
        echo "-"
        return
    fi
    median "$WORK/$name.json"
}

# The peak RSS (VmHWM) --timings prints, in MiB, of one run of runway with these arguments.
rss_of() {
    local kib
    kib=$("$BIN" --timings "$@" 2>&1 >/dev/null | sed -n 's/.*peak-rss \([0-9]*\)KiB.*/\1/p' | sort -n | tail -1)
    python3 -c 'import sys; print("%.1f" % (int(sys.argv[1] or 0) / 1024))' "$kib"
}

# runway's own peak RSS (VmHWM, printed by --timings) over N runs, in MiB. A parent's rusage would
# count the parent's memory too: ru_maxrss survives exec.
peak_rss() { # runs, extra env...
    local peak=0 kib
    for _ in $(seq "$1"); do
        kib=$(env "${@:2}" "$BIN" --timings prompt --shell zsh 2>&1 >/dev/null | sed -n 's/.*peak-rss \([0-9]*\)KiB.*/\1/p')
        [ "${kib:-0}" -gt "$peak" ] && peak=$kib
    done
    python3 -c 'import sys; print("%.1f" % (int(sys.argv[1]) / 1024))' "$peak"
}

echo "== cold: no cache ($COLD_RUNS runs)" >&2
# The first prompt reads its budget and leaves the rest to `runway catch-up` in the background (kept
# from starting here, so that runs do not overlap); catch-up is the whole first read.
COLD=$(RUNWAY_NO_HELPER=1 time_it cold --runs "$COLD_RUNS" --prepare "rm -rf $WORK/cache" "$BIN prompt --shell zsh")
COLD_FULL=$(time_it cold-full --runs "$COLD_RUNS" --prepare "rm -rf $WORK/cache" "$BIN catch-up")
COLD_RSS=$(rm -rf "$WORK/cache"; "$BIN" --timings catch-up 2>&1 >/dev/null | sed -n 's/.*peak-rss \([0-9]*\)KiB.*/\1/p' | sort -n | tail -1)
COLD_RSS=$(python3 -c 'import sys; print("%.1f" % (int(sys.argv[1] or 0) / 1024))' "$COLD_RSS")
"$BIN" catch-up
CACHE_BYTES=$(du -sb "$WORK/cache" | cut -f1)

# What a cold `status` and a cold `report` hold at most, each reading the whole history itself.
STATUS_COLD_RSS=$(rm -rf "$WORK/cache"; rss_of status)
REPORT_COLD_RSS=$(rm -rf "$WORK/cache"; rss_of report --json)
"$BIN" catch-up

echo "== warm: nothing new ($RUNS runs)" >&2
WARM=$(time_it warm --warmup 20 --runs "$RUNS" "$BIN prompt --shell zsh")
WARM_RSS=$(peak_rss 50)
TRUE=$(time_it true --warmup 20 --runs "$RUNS" /bin/true)
VERSION=$(time_it version --warmup 20 --runs "$RUNS" "$BIN --version")
# The same warm prompt with a config file of five settings: what reading it with a TOML parser costs.
cat >"$WORK/config.toml" <<'EOF2'
warn_at = 60
danger_at = 85
color_warn = "214"
format = "{label} {mark}{used} {reset} {warning}"
statusline_fields = ["context", "5h", "7d"]
EOF2
CONFIGURED=$(RUNWAY_CONFIG=$WORK/config.toml time_it configured --warmup 20 --runs "$RUNS" "$BIN prompt --shell zsh")

echo "== paired: warm prompts run by run, interleaved ($RUNS rounds)" >&2
# BASELINE=an older runway binary: its warm prompt beside this one's (copied beside it, see BIN), each
# cache caught up at the same moment, and before the sync folder below is made: its `cp -al` moves the
# history's ctimes, which this runway takes for a possible rewrite in place (ba275e9 did not look), so
# it reads the recent files again and keeps 54 records pending compaction, 0.035 ms on its warm prompt
# (paired) until the helper compacts them. The later pairs keep that handicap.
: >"$WORK/baseline.md"
if [ -n "${BASELINE:-}" ]; then
    cp "$BASELINE" "$WORK/bin/baseline"
    "$BIN" catch-up
    RUNWAY_CACHE_DIR=$WORK/cache-baseline "$WORK/bin/baseline" catch-up >/dev/null 2>&1 || true
    python3 benches/paired.py --runs "$RUNS" \
        -- "RUNWAY_CACHE_DIR=$WORK/cache-baseline $WORK/bin/baseline prompt --shell zsh" \
        -- "$BIN prompt --shell zsh" >"$WORK/baseline.md"
fi
# The other tools' folders, idle: each holds the real files of tests/fixtures/agents (months old), as
# on a machine where they were tried once. Two tools read against all six, in one home.
AGENTS_HOME=$WORK/agents-home
rm -rf "$AGENTS_HOME"; mkdir -p "$AGENTS_HOME/.local/share"
cp -r tests/fixtures/agents/copilot "$AGENTS_HOME/.copilot"
cp -r tests/fixtures/agents/gemini "$AGENTS_HOME/.gemini"
cp -r tests/fixtures/agents/kimi-code "$AGENTS_HOME/.kimi-code"
cp -r tests/fixtures/agents/opencode "$AGENTS_HOME/.local/share/opencode"
# Idle means not written lately: a copy made now is a file written now, and a prompt reads the tail of
# the newest few Copilot files written in the last hour (a session still open: `App::session_open`),
# which read +0.14 ms (+21%) here, not the idle folders the pair is about.
find "$AGENTS_HOME" -exec touch -h -d '2 days ago' {} +
for p in claude,codex claude,codex,copilot,opencode,gemini,kimi; do HOME=$AGENTS_HOME RUNWAY_PROVIDERS=$p "$BIN" catch-up; done
python3 benches/paired.py --runs "$RUNS" \
    -- "HOME=$AGENTS_HOME RUNWAY_PROVIDERS=claude,codex $BIN prompt --shell zsh" \
    -- "HOME=$AGENTS_HOME RUNWAY_PROVIDERS=claude,codex,copilot,opencode,gemini,kimi $BIN prompt --shell zsh" >"$WORK/paired.md"
# Five other devices in a sync folder, each a runway over a copy of the same history (hard links: other
# paths), their files written as they would be: this device's warm prompt with them and without a sync
# folder. Each stands for a machine of its own (a test knob): five cache directories of this machine
# reading one history would be this machine's own use, read again.
SYNC=$WORK/sync
rm -rf "$SYNC" "$WORK"/device-*; mkdir -p "$SYNC"
for i in 1 2 3 4 5; do
    cp -al "$CLAUDE_CONFIG_DIR" "$WORK/device-$i"
    CLAUDE_CONFIG_DIR=$WORK/device-$i RUNWAY_CACHE_DIR=$WORK/device-$i.cache RUNWAY_SYNC_DIR=$SYNC \
        RUNWAY_DEVICE_NAME=device-$i RUNWAY_MACHINE_MARK=bench-machine-$i "$BIN" status >/dev/null
done
RUNWAY_SYNC_DIR=$SYNC "$BIN" status >/dev/null
# A look within two seconds of a change to the folder is not trusted and spares no later one
# (`sync/folder.rs::RACY_MS`, for coarse file times): measured at once, most of the 300 rounds fell in
# that window (+0.27 ms where the settled folder a prompt mostly sees costs +0.02 to +0.05 ms).
sleep 3
echo >>"$WORK/paired.md"
python3 benches/paired.py --runs "$RUNS" -- "$BIN prompt --shell zsh" \
    -- "RUNWAY_SYNC_DIR=$SYNC $BIN prompt --shell zsh" >>"$WORK/paired.md"
if [ -s "$WORK/baseline.md" ]; then
    { echo; cat "$WORK/baseline.md"; } >>"$WORK/paired.md"
fi

echo "== where the usage went: reports and status from the warm cache (50 runs each)" >&2
# Runs a minute apart would each walk the whole tree first (`rescan_secs`); these are back to back.
REPORT_DAY=$(time_it report-day --warmup 3 --runs 50 "$BIN report --by day --json")
REPORT_SESSION=$(time_it report-session --warmup 3 --runs 50 "$BIN report --by session --json")
STATUS=$(time_it status --warmup 3 --runs 50 "$BIN status")

echo "== one appended API call per run ($RUNS runs)" >&2
APPEND=$(time_it append --warmup 5 --runs "$RUNS" --prepare "$SYNTH --append-to $LIVE" "$BIN prompt --shell zsh")

echo "== a full rescan falls due (at most once a minute: the walk is the helper's; 30 runs)" >&2
RESCAN=$(RUNWAY_RESCAN_SECS=0 time_it rescan --warmup 2 --runs 30 "$BIN prompt --shell zsh")

echo "== a 20 GB sparse file appears (10 runs), then warm with it there ($RUNS runs)" >&2
SPARSE=$(dirname "$LIVE")/sparse-20g.jsonl
# (hyperfine -N runs --prepare without a shell too.)
SPARSE_FIRST=$(time_it sparse-first --runs 10 --prepare "sh -c 'rm -f $SPARSE; $BIN catch-up; truncate -s 20G $SPARSE'" "$BIN prompt --shell zsh")
"$BIN" catch-up
SPARSE_WARM=$(time_it sparse-warm --warmup 20 --runs "$RUNS" "$BIN prompt --shell zsh")
rm -f "$SPARSE"
"$BIN" catch-up

TINY_WARM="-"; TINY_RESCAN="-"; TINY_WALK="-"; TINY_SESSION_RSS="-"; TINY_TABLE_RSS="-"
if [ "$TINY" != 0 ]; then
    echo "== $TINY one-call sessions, every file written in the last hours" >&2
    rm -rf "$WORK/tiny" "$WORK/tiny-cache"
    "$SYNTH" --tiny-files "$TINY" --out "$WORK/tiny" >&2
    mkdir -p "$WORK/tiny/codex"
    tiny() { CLAUDE_CONFIG_DIR=$WORK/tiny/claude CODEX_HOME=$WORK/tiny/codex RUNWAY_CACHE_DIR=$WORK/tiny-cache "$@"; }
    tiny "$BIN" catch-up
    TINY_WARM=$(tiny time_it tiny-warm --warmup 5 --runs 50 "$BIN prompt --shell zsh")
    # The prompt that falls on the rescan period: a walk is due (the last was over a second ago) and
    # is left to the helper (kept from starting here, so that it does not walk under the next run).
    TINY_RESCAN=$(RUNWAY_RESCAN_SECS=1 RUNWAY_NO_HELPER=1 tiny time_it tiny-rescan --runs 20 --prepare "sleep 1.1" "$BIN prompt --shell zsh")
    # The helper's walk itself, in the background.
    TINY_WALK=$(RUNWAY_RESCAN_SECS=0 tiny time_it tiny-walk --runs 10 "$BIN catch-up")
    TINY_SESSION_RSS=$(tiny rss_of report --by session --json)
    TINY_TABLE_RSS=$(tiny rss_of report --by session)
fi

echo "== the surfaces, timed from inside a running zsh ($RUNS calls each)" >&2
# Each as its host runs it: the zsh hook ($(...) in precmd), tmux's job (/bin/sh -c), and Claude Code's
# status-line command with a payload on stdin. Medians in ms, next to forking /bin/true the same way.
SESSION_ID=$(basename "$LIVE" .jsonl)
RESET=$(( $(date +%s) + 7200 ))
cat >"$WORK/payload.json" <<EOF2
{"session_id":"$SESSION_ID","transcript_path":"$LIVE","model":{"id":"claude-opus-4-6","display_name":"Opus 4.6"},"cost":{"total_cost_usd":1.84},"context_window":{"context_window_size":200000,"used_percentage":32},"rate_limits":{"five_hour":{"used_percentage":23.5,"resets_at":$RESET},"seven_day":{"used_percentage":41.2,"resets_at":$((RESET + 86400))}}}
EOF2
HOOK="-"; TMUXJOB="-"; SL="-"; ZTRUE="-"; SHTRUE="-"
if need zsh; then
    read -r ZTRUE HOOK SHTRUE TMUXJOB SL < <(RUNS=$RUNS BIN=$BIN PAYLOAD=$WORK/payload.json zsh -f <<'EOF2'
zmodload zsh/datetime
eval "$("$BIN" init zsh)"
median() { local -a s; s=(${(n)@}); print -r -- ${s[$(( (${#s} + 1) / 2 ))]} }
time_it() { local -a t; local i a; for i in {1..$RUNS}; do a=$EPOCHREALTIME; eval "$1"; t+=$(( (EPOCHREALTIME - a) * 1000 )); done; median $t }
q=${(q)BIN}
printf '%.2f %.2f %.2f %.2f %.2f\n' \
    $(time_it 'x=$(/bin/true 2>/dev/null)') \
    $(time_it '_runway_precmd >/dev/null') \
    $(time_it '/bin/sh -c "/bin/true </dev/null 2>/dev/null"') \
    $(time_it "/bin/sh -c \"$q prompt --shell tmux </dev/null 2>/dev/null\" >/dev/null") \
    $(time_it "$q statusline <$PAYLOAD >/dev/null")
EOF2
)
fi
# BASELINE: the status line beside the older binary's, then the prompt again, now that the status line
# has left readings (the state of a Claude Code user's prompt).
if [ -n "${BASELINE:-}" ]; then
    {
        echo
        python3 benches/paired.py --runs "$RUNS" \
            -- "RUNWAY_CACHE_DIR=$WORK/cache-baseline $WORK/bin/baseline statusline <$WORK/payload.json" \
            -- "$BIN statusline <$WORK/payload.json"
        echo
        python3 benches/paired.py --runs "$RUNS" \
            -- "RUNWAY_CACHE_DIR=$WORK/cache-baseline $WORK/bin/baseline prompt --shell zsh" \
            -- "$BIN prompt --shell zsh"
    } >>"$WORK/paired.md"
fi

CCU_HIT="-"; CCU_MISS="-"; CCU_RSS="-"; CCU_DAILY="-"; CCU_SESSION="-"; CCU_BLOCKS="-"
if [ "$CCUSAGE" != 0 ] && need npm; then
    echo "== ccusage@$CCUSAGE_VERSION statusline ($CCUSAGE_RUNS uncached runs)" >&2
    if [ ! -x "$WORK/node/node_modules/.bin/ccusage" ]; then
        npm install --silent --no-audit --no-fund --prefix "$WORK/node" "ccusage@$CCUSAGE_VERSION" "@ccusage/ccusage-linux-x64@$CCUSAGE_VERSION" >/dev/null 2>&1
    fi
    CCU=$WORK/node/node_modules/.bin/ccusage
    SESSION=$(basename "$LIVE" .jsonl)
    cat >"$WORK/hook.json" <<EOF
{"session_id":"$SESSION","transcript_path":"$LIVE","cwd":"/home/dev/src/project-0","model":{"id":"claude-opus-4-6","display_name":"Opus 4.6"},"workspace":{"current_dir":"/home/dev/src/project-0","project_dir":"/home/dev/src/project-0"},"version":"2.1.39","cost":{"total_cost_usd":1.2}}
EOF
    # Its stdin is the status-line payload (a script, since older hyperfine has no --input).
    printf '#!/bin/sh\nexec %s statusline --offline "$@" < %s\n' "$CCU" "$WORK/hook.json" >"$WORK/ccusage.sh"
    chmod +x "$WORK/ccusage.sh"
    CCU_MISS=$(time_it ccu-miss --runs "$CCUSAGE_RUNS" "$WORK/ccusage.sh --no-cache")
    CCU_HIT=$(time_it ccu-hit --warmup 3 --runs 30 "$WORK/ccusage.sh")
    # Its reports over the same history, next to `runway report` (ccusage reads every file each time).
    CCU_DAILY=$(time_it ccu-daily --runs "$CCUSAGE_RUNS" "$CCU daily --json --offline")
    CCU_SESSION=$(time_it ccu-session --runs "$CCUSAGE_RUNS" "$CCU session --json --offline")
    CCU_BLOCKS=$(time_it ccu-blocks --runs "$CCUSAGE_RUNS" "$CCU blocks --json --offline")
    CCU_RSS=$(python3 - "$CCU" "$WORK/hook.json" <<'EOF'
import os, subprocess, sys
p = subprocess.Popen([sys.argv[1], "statusline", "--offline", "--no-cache"], stdin=open(sys.argv[2]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.1f" % (os.wait4(p.pid, 0)[2].ru_maxrss / 1024))
EOF
)
fi

verdict() { python3 -c 'import sys; v = sys.argv[1]; print("?" if v == "-" else "ok" if float(v) <= float(sys.argv[2]) else "MISSED")' "$1" "$2"; }
cat <<EOF

runway $("$BIN" --version | cut -d' ' -f2), $(nproc) cores, $(uname -sr); history over $DAYS days: Claude Code $FILES files, $((BYTES / 1048576)) MiB; Codex CLI $CODEX_FILES files, $((CODEX_BYTES / 1048576)) MiB; cache: $((CACHE_BYTES / 1048576)) MiB

| case | median | target | |
|---|---:|---:|---|
| runway prompt, warm (nothing new) | $WARM ms | ≤ 3 ms | $(verdict "$WARM" 3) |
| runway prompt, warm, with a 5-line config.toml | $CONFIGURED ms | | |
| runway prompt, one appended API call | $APPEND ms | ≤ 5 ms | $(verdict "$APPEND" 5) |
| runway prompt, cold (no cache): its budget read, the rest left | $COLD ms | ≤ 100 ms | $(verdict "$COLD" 100) |
| runway catch-up, cold (no cache): the whole history | $COLD_FULL ms | ≤ 2500 ms | $(verdict "$COLD_FULL" 2500) |
| runway prompt when a full rescan falls due (≤ once a minute; the walk left to the helper) | $RESCAN ms | | |
| runway report --by day --json, warm | $REPORT_DAY ms | ≤ 20 ms | $(verdict "$REPORT_DAY" 20) |
| runway report --by session --json, warm | $REPORT_SESSION ms | ≤ 20 ms | $(verdict "$REPORT_SESSION" 20) |
| runway status (with what used each window), warm | $STATUS ms | ≤ 10 ms | $(verdict "$STATUS" 10) |
| runway peak RSS, warm | $WARM_RSS MiB | ≤ 16 MiB | $(verdict "$WARM_RSS" 16) |
| runway peak RSS, cold (catch-up) | $COLD_RSS MiB | | |
| runway status, cold (no cache): peak RSS | $STATUS_COLD_RSS MiB | ≤ 64 MiB | $(verdict "$STATUS_COLD_RSS" 64) |
| runway report --json, cold (no cache): peak RSS | $REPORT_COLD_RSS MiB | ≤ 64 MiB | $(verdict "$REPORT_COLD_RSS" 64) |
| runway prompt, warm, $TINY one-call sessions written in the last hours | $TINY_WARM ms | ≤ 40 ms | $(verdict "$TINY_WARM" 40) |
| runway prompt on the rescan period, $TINY sessions (the walk left to the helper) | $TINY_RESCAN ms | ≤ 40 ms | $(verdict "$TINY_RESCAN" 40) |
| runway catch-up: the helper's walk of $TINY sessions | $TINY_WALK ms | | |
| runway report --by session --json over $TINY sessions: peak RSS | $TINY_SESSION_RSS MiB | ≤ 64 MiB | $(verdict "$TINY_SESSION_RSS" 64) |
| runway report --by session (the table) over $TINY sessions: peak RSS | $TINY_TABLE_RSS MiB | ≤ 64 MiB | $(verdict "$TINY_TABLE_RSS" 64) |
| runway prompt, first run after a 20 GB sparse file appeared | $SPARSE_FIRST ms | ≤ 100 ms | $(verdict "$SPARSE_FIRST" 100) |
| runway prompt, warm, with the 20 GB sparse file there | $SPARSE_WARM ms | ≤ 3 ms | $(verdict "$SPARSE_WARM" 3) |
| zsh precmd hook (\$(runway prompt)), from zsh | $HOOK ms | $ZTRUE ms + 3 ms | $(verdict "$HOOK" "$(python3 -c "print($ZTRUE + 3)" 2>/dev/null || echo 0)") |
| tmux job (/bin/sh -c 'runway prompt --shell tmux'), from zsh | $TMUXJOB ms | $SHTRUE ms + 3 ms | $(verdict "$TMUXJOB" "$(python3 -c "print($SHTRUE + 3)" 2>/dev/null || echo 0)") |
| Claude Code status line (payload with rate_limits on stdin), from zsh | $SL ms | $ZTRUE ms + 3 ms | $(verdict "$SL" "$(python3 -c "print($ZTRUE + 3)" 2>/dev/null || echo 0)") |
| /bin/true through \$(…), and through /bin/sh -c, from zsh | $ZTRUE / $SHTRUE ms | | |
| runway --version (process start) | $VERSION ms | | |
| /bin/true | $TRUE ms | | |
| ccusage@$CCUSAGE_VERSION statusline, its 1 s cache hit | $CCU_HIT ms | | |
| ccusage@$CCUSAGE_VERSION statusline, --no-cache | $CCU_MISS ms | | |
| ccusage@$CCUSAGE_VERSION peak RSS, --no-cache | $CCU_RSS MiB | | |
| ccusage@$CCUSAGE_VERSION daily --json | $CCU_DAILY ms | | |
| ccusage@$CCUSAGE_VERSION session --json | $CCU_SESSION ms | | |
| ccusage@$CCUSAGE_VERSION blocks --json | $CCU_BLOCKS ms | | |

Paired, run by run against the first of each table: two tools read against all six with the other
four's folders idle; no sync folder against one with five other devices' files; and, when BASELINE is
set, the older runway's warm prompt against this one's, then its status line, then its warm prompt
again with the status line's readings kept:

$(cat "$WORK/paired.md")
EOF
