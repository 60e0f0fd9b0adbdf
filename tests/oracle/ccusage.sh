#!/bin/sh
# Remakes tests/oracle/ccusage/: what ccusage 20 prints for the real Claude Code fixture, the answer
# runway's ccusage-shaped JSON is checked against. Needs npm; installs ccusage outside the repository.
set -eu
VERSION=20.0.24
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --silent --no-audit --no-fund --prefix "$work/node" "ccusage@$VERSION" "@ccusage/ccusage-linux-x64@$VERSION" >/dev/null
ccusage() {
    HOME=$work CODEX_HOME=$work/no-codex CLAUDE_CONFIG_DIR=$here/../fixtures/claude-real \
        "$work/node/node_modules/.bin/ccusage" "$@" --json --offline
}
for r in daily weekly monthly session blocks; do
    TZ=UTC ccusage "$r" >"$here/ccusage/$r.json"
done
ccusage daily -z Asia/Tokyo >"$here/ccusage/daily-tokyo.json"
