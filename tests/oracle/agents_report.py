#!/usr/bin/env python3
"""Independent report of GitHub Copilot CLI, OpenCode, Gemini CLI and Kimi Code usage, written from
docs/providers.md (and docs/counting.md), not from runway's code.

Deliberately naive: reads every file whole, keeps everything in memory, no cache, no incremental reading.
Usage: agents_report.py TOOL DIR TIME_ZONE [NOW_RFC3339]    (its own check: agents_check.py)
  TOOL: copilot | opencode | gemini | kimi; DIR: the tool's own folder (`.copilot`,
  `.local/share/opencode`, `.gemini`, `.kimi-code`); TIME_ZONE: an IANA name.
Prints {"day": {date: ROW}, "session": {id: ROW}, "total": ROW}, ROW = {calls, input, output,
cache_creation, cache_read, reasoning, premium, cost}. A call stamped after NOW does not exist.

Prices (USD per million tokens: input, output, cache write, cache read), matched on the model name
lower-cased, '.' replaced by '-', anything up to the last '/' dropped; exact names, and for
gemini-3-pro also names that continue with '-' and a non-digit. gemini-3-pro bills the whole call at
its >200K prices when input + cache_read + cache_creation exceeds 200,000. Any other model costs 0
(OpenCode: its own cost, see agents_read.py). Row costs are rounded to 6 decimals, premium as well.
"""
import json
import os
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from agents_read import KINDS, copilot, gemini, kimi, ms, opencode

# in, out, cache write, cache read; USD per million tokens.
PRICES = {
    "claude-sonnet-4-6": (3.0, 15.0, 3.75, 0.30),
    "claude-opus-4-8": (5.0, 25.0, 6.25, 0.50),
    "gpt-5-2-codex": (1.75, 14.0, 1.75, 0.175),
    "gpt-5-4-mini": (0.75, 4.5, 0.75, 0.075),
    "gemini-2-5-flash": (0.30, 2.50, 0.30, 0.03),
    "gemini-3-pro": (2.0, 12.0, 2.0, 0.20),
    "kimi-k2-7-code": (0.95, 4.0, 0.95, 0.19),
}
GEMINI_3_PRO_OVER_200K = (4.0, 18.0, 4.0, 0.40)
UNPRICED = set()


def normal(model):
    return (model or "").lower().replace(".", "-").rsplit("/", 1)[-1]


def prices_of(model):
    m = normal(model)
    if m in PRICES:
        return m, PRICES[m]
    k = "gemini-3-pro"
    if m.startswith(k + "-") and len(m) > len(k) + 1 and not m[len(k) + 1].isdigit():
        return k, PRICES[k]
    return None, None


def cost_of(c):
    """USD of one call, as (nano-USD integer from the tables, float USD from OpenCode's own cost)."""
    key, p = prices_of(c["model"])
    if p is None:
        UNPRICED.add(c["model"])
        own = c.get("own_cost") or 0
        return 0, (own if own > 0 else 0.0)
    if key == "gemini-3-pro" and c["input"] + c["cache_read"] + c["cache_creation"] > 200000:
        p = GEMINI_3_PRO_OVER_200K
    # Prices times 1000 are integers: keep the sum exact in units of 1e-9 USD.
    pin, pout, pcw, pcr = (round(x * 1000) for x in p)
    nano = c["input"] * pin + c["output"] * pout + c["cache_creation"] * pcw + c["cache_read"] * pcr
    return nano, 0.0


# ---------------------------------------------------------------- report


def summary(calls):
    row = {k: 0 for k in KINDS}
    row["calls"] = len(calls)
    nano, own, premium = 0, 0.0, 0.0
    for c in calls:
        for k in KINDS:
            row[k] += c[k]
        n, o = cost_of(c)
        nano += n
        own += o
        premium += c["premium"]
    row["cost"] = round(nano / 1e9 + own, 6)
    row["premium"] = round(premium, 6)
    return row


def report(tool, root, tz, now=None):
    read = {"copilot": copilot, "opencode": opencode, "gemini": gemini, "kimi": kimi}[tool]
    calls = [c for c in read(root) if now is None or c["ts"] <= now]
    days, sessions = {}, {}
    for c in calls:
        day = datetime.fromtimestamp(c["ts"] / 1000, timezone.utc).astimezone(tz).date().isoformat()
        days.setdefault(day, []).append(c)
        sessions.setdefault(c["session"], []).append(c)
    return {
        "day": {k: summary(v) for k, v in days.items()},
        "session": {k: summary(v) for k, v in sessions.items()},
        "total": summary(calls),
    }


def main():
    tool, root, tz = sys.argv[1], sys.argv[2], ZoneInfo(sys.argv[3])
    now = ms(sys.argv[4]) if len(sys.argv) > 4 else None
    print(json.dumps(report(tool, root, tz, now), indent=1, sort_keys=True))
    if os.environ.get("AGENTS_REPORT_UNPRICED") and UNPRICED:
        print("unpriced models: " + ", ".join(sorted(str(m) for m in UNPRICED)), file=sys.stderr)


if __name__ == "__main__":
    main()
