#!/usr/bin/env bash
# The Windows binary's warm prompt and warm status line, run under Wine on Linux: Wine's figures, not a
# Windows machine's (Wine adds its own process start; NTFS and Defender are not in them). Medians in
# ms from hyperfine, beside `runway.exe --version` under the same Wine (the floor: starting a process).
#
#   cargo build --release --target x86_64-pc-windows-gnu && benches/wine.sh [RUNS]
#
# Needs: wine, x86_64-w64-mingw32-gcc (for the test shim, tests/windows/bcryptprimitives.c),
# hyperfine, python3. RUNWAY_WINDOWS_EXE names another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-100}
EXE=${RUNWAY_WINDOWS_EXE:-target/x86_64-pc-windows-gnu/release/runway.exe}
[ -f "$EXE" ] || { echo "wine.sh: no $EXE (cargo build --release --target x86_64-pc-windows-gnu)" >&2; exit 1; }
WORK=$(mktemp -d)
export WINEPREFIX=$WORK/prefix WINEDEBUG=-all WINEDLLOVERRIDES=winemenubuilder.exe=d HOME=$WORK/home
server=
trap 'wineserver -k 2>/dev/null; [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$HOME"
cp "$EXE" "$WORK/runway.exe"
x86_64-w64-mingw32-gcc -O2 -shared -o "$WORK/bcryptprimitives.dll" tests/windows/bcryptprimitives.c -ladvapi32
cp -R tests/fixtures/claude-real "$WORK/claude"

win() { printf 'Z:%s' "$1" | sed 's|/|\\|g'; }
CLAUDE_CONFIG_DIR=$(win "$WORK/claude")
RUNWAY_CACHE_DIR=$(win "$WORK/cache")
export CLAUDE_CONFIG_DIR RUNWAY_CACHE_DIR LANG=C.UTF-8
# The fixture's last block is live at this time; a spend limit makes the Claude gauge show.
NOW=2026-02-11T23:00:00Z
RW="wine $WORK/runway.exe --now $NOW --limit-cost 10"
cat >"$WORK/payload.json" <<JSON
{"session_id":"8463c716-a2ea-4c14-9efa-87158ebd9f20","transcript_path":"$(win "$WORK/claude/projects/-home-USER-projects-spotter/8463c716-a2ea-4c14-9efa-87158ebd9f20.jsonl" | sed 's/\\/\\\\/g')","model":{"id":"claude-opus-4-6","display_name":"Opus 4.6"},"context_window":{"context_window_size":200000,"used_percentage":32},"rate_limits":{"five_hour":{"used_percentage":62,"resets_at":1770858000},"seven_day":{"used_percentage":20,"resets_at":1771200000}}}
JSON
printf '#!/bin/sh\nexec %s statusline <%s\n' "$RW" "$WORK/payload.json" >"$WORK/statusline.sh"
chmod +x "$WORK/statusline.sh"

# Wine's server kept up for the whole run (-p), so that each run does not start its own (it stays in
# the foreground); the first run makes the prefix, the next two fill the cache (the prompt's and the
# status line's).
mkdir -p "$WINEPREFIX"
wineserver -p >/dev/null 2>&1 &
server=$!
wine "$WORK/runway.exe" --version >/dev/null
$RW prompt >/dev/null
"$WORK/statusline.sh" >/dev/null
echo "prompt: $($RW prompt)   status line: $("$WORK/statusline.sh" | head -1)" >&2

median() { # name, hyperfine args...
    local name=$1
    shift
    hyperfine -N --style none --warmup 10 --runs "$RUNS" --export-json "$WORK/$name.json" "$@" >"$WORK/$name.log" 2>&1 \
        || { echo "wine.sh: hyperfine failed for $name:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f" % (r["median"]*1000))' "$WORK/$name.json"
}
echo "under $(wine --version), $RUNS runs each, medians in ms:"
echo "  runway.exe --version   $(median version "wine $WORK/runway.exe --version")"
echo "  warm prompt            $(median prompt "$RW prompt")"
echo "  warm status line       $(median statusline "$WORK/statusline.sh")"
