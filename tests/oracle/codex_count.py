#!/usr/bin/env python3
"""Independent count of Codex CLI usage, written from docs/counting.md, not from runway's code.

Usage: codex_count.py CODEX_HOME NOW_RFC3339 -> JSON with the block and week figures.

Rules (docs/counting.md, Codex CLI): every `event_msg` of type `token_count`
with `info` gives one call: `info.last_token_usage`, else the difference of successive
`info.total_token_usage`; all-zero deltas are skipped; cached input is part of input; reasoning part
of output. runway's names: input = input - cached, cache_read = cached, cache_creation = 0,
output = output, total = input_tokens + output_tokens. Priced per MTok (gpt-5.5: $5 input,
$0.50 cached input, $30 output). 5-hour blocks as for Claude.
"""
import json
import os
import sys
from datetime import datetime, timezone

PRICES = {"gpt-5.5": (5.0, 0.5, 30.0)}
H5 = 5 * 3600 * 1000


def ms(ts):
    return int(datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp() * 1000)


def calls(home):
    for sub in ("sessions", "archived_sessions"):
        for dirpath, _, files in os.walk(os.path.join(home, sub)):
            for name in sorted(files):
                if not (name.startswith("rollout-") and name.endswith(".jsonl")):
                    continue
                model, prev = None, None
                for raw in open(os.path.join(dirpath, name), encoding="utf-8"):
                    d = json.loads(raw)
                    p = d.get("payload") or {}
                    if d.get("type") == "turn_context" and p.get("model"):
                        model = p["model"]
                    if d.get("type") != "event_msg" or p.get("type") != "token_count" or not p.get("info"):
                        continue
                    info = p["info"]
                    total, last = info.get("total_token_usage"), info.get("last_token_usage")
                    if last is None and total is not None:
                        last = {k: total[k] - (prev or {}).get(k, 0) for k in total}
                    if total is not None:
                        prev = total
                    if not last or not any(last.get(k, 0) for k in ("input_tokens", "cached_input_tokens", "output_tokens")):
                        continue
                    cached = min(last.get("cached_input_tokens", 0), last["input_tokens"])
                    yield {
                        "ts": ms(d["timestamp"]),
                        "model": model,
                        "input": last["input_tokens"] - cached,
                        "cache_read": cached,
                        "output": last["output_tokens"],
                    }


def cost(c):
    i, r, o = PRICES[c["model"]]
    return (c["input"] * i + c["cache_read"] * r + c["output"] * o) / 1e6


def summary(cs):
    return {
        "entries": len(cs),
        "input": sum(c["input"] for c in cs),
        "output": sum(c["output"] for c in cs),
        "cache_creation": 0,
        "cache_read": sum(c["cache_read"] for c in cs),
        "total": sum(c["input"] + c["cache_read"] + c["output"] for c in cs),
        "cost_usd": round(sum(cost(c) for c in cs), 6),
    }


def main():
    home, now = sys.argv[1], ms(sys.argv[2])
    cs = sorted((c for c in calls(home) if c["ts"] <= now), key=lambda c: c["ts"])
    blocks = []
    for c in cs:
        if not blocks or c["ts"] - blocks[-1]["start"] > H5 or c["ts"] - blocks[-1]["items"][-1]["ts"] > H5:
            blocks.append({"start": c["ts"] // 3600000 * 3600000, "items": [c]})
        else:
            blocks[-1]["items"].append(c)
    out = {"blocks": []}
    for b in blocks:
        s = summary(b["items"])
        s["start"] = datetime.fromtimestamp(b["start"] / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        s["active"] = now < b["start"] + H5 and now - b["items"][-1]["ts"] < H5
        out["blocks"].append(s)
    out["week"] = summary([c for c in cs if c["ts"] > now - 7 * 24 * 3600 * 1000])
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
