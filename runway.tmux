#!/usr/bin/env bash
# runway's tmux plugin. TPM runs every *.tmux file at a plugin's root; the work is in tmux/runway.tmux.
#   set -g @plugin '<this repository>'     then prefix + I
CURRENT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$CURRENT_DIR/tmux/runway.tmux" "$@"
