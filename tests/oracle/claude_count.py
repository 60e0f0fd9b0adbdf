#!/usr/bin/env python3
"""Independent count of Claude Code usage, written from docs/counting.md, not from runway's code.

Deliberately naive: reads every file whole with the json module, keeps everything in memory, no cache.
Usage: claude_count.py PROJECTS_DIR NOW_RFC3339  -> prints one JSON object with block and week figures.

Rules (docs/counting.md, Claude Code, 1-6):
- usage comes from `assistant` lines and from `progress` lines whose data.message.message carries usage;
- dedup key (message.id, requestId); without requestId the key is (message.id, sessionId); without
  message.id every line is its own entry; a sidechain line whose message.id matches a non-sidechain
  response with another requestId is that response; within a group the larger token total wins, then
  non-sidechain, then the earlier timestamp;
- `<synthetic>` lines are not API calls; entries stamped after NOW do not exist;
- cache writes split into 5-minute (1.25x input) and 1-hour (2x input) parts; reads 0.1x input;
- 5-hour blocks: start floored to the UTC hour; a new block when an entry is more than 5 h after the
  block start or after the previous entry; active when now < end and now - last < 5 h.
- the present rate of the last block (README, "The forecast"): every call weighs e^(-age/20 min), the
  sum divided by the weight the block has had, 20 min x (1 - e^(-elapsed/20 min)).
"""
import math
import json
import os
import sys
from datetime import datetime, timezone

# USD per million tokens: input, output (list prices).
PRICES = {
    "claude-opus-4-6": (5.0, 25.0),
    "claude-opus-4-5": (5.0, 25.0),
    "claude-sonnet-4-5": (3.0, 15.0),
    "claude-haiku-4-5": (1.0, 5.0),
    # Newer models, at Anthropic's list prices of the same page.
    "claude-opus-4-7": (5.0, 25.0),
    "claude-opus-4-8": (5.0, 25.0),
    "claude-opus-5": (5.0, 25.0),
    "claude-sonnet-4-6": (3.0, 15.0),
    "claude-sonnet-5": (2.0, 10.0),
    "claude-fable-5": (10.0, 50.0),
    "claude-mythos-5": (10.0, 50.0),
}
H5 = 5 * 3600 * 1000


def ms(ts):
    return int(datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp() * 1000)


def price_of(model):
    for key, p in PRICES.items():
        if model == key or model.startswith(key + "-"):
            return p
    return None


def lines(root):
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".jsonl"):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as fh:
                    for raw in fh:
                        try:
                            yield path, json.loads(raw)
                        except ValueError:
                            pass


def records(root):
    for _, d in lines(root):
        yield from records_from_line(d)


def records_from_line(d):
    """The usage record of one line, if it has one (a generator: zero or one)."""
    if d.get("type") == "assistant":
        holder, msg = d, d.get("message") or {}
    elif d.get("type") == "progress":
        holder = (d.get("data") or {}).get("message") or {}
        msg = holder.get("message") if isinstance(holder, dict) else None
        if not isinstance(msg, dict):
            return
    else:
        return
    u = msg.get("usage")
    if not isinstance(u, dict) or msg.get("model") == "<synthetic>":
        return
    cc = u.get("cache_creation")
    if isinstance(cc, dict):
        c5, c1 = cc.get("ephemeral_5m_input_tokens", 0), cc.get("ephemeral_1h_input_tokens", 0)
    else:
        c5, c1 = u.get("cache_creation_input_tokens", 0), 0
    yield {
        "mid": msg.get("id"),
        "req": holder.get("requestId") or ("session:" + str(d.get("sessionId"))),
        "side": bool(holder.get("isSidechain", False)),
        "ts": ms(holder.get("timestamp") or d["timestamp"]),
        "model": msg.get("model", ""),
        "inp": u.get("input_tokens", 0),
        "out": u.get("output_tokens", 0),
        "c5": c5,
        "c1": c1,
        "read": u.get("cache_read_input_tokens", 0),
    }


def total(r):
    return r["inp"] + r["out"] + r["c5"] + r["c1"] + r["read"]


def better(a, b):
    """True when a beats b."""
    return (total(a), not a["side"], -a["ts"]) > (total(b), not b["side"], -b["ts"])


def dedup(recs):
    by_mid = {}
    singles = []
    for r in recs:
        if r["mid"]:
            by_mid.setdefault(r["mid"], []).append(r)
        else:
            singles.append(r)
    out = list(singles)
    for mid, group in by_mid.items():
        main_reqs = sorted({r["req"] for r in group if not r["side"]})
        best = {}
        for r in group:
            if not r["side"] or r["req"] in main_reqs:
                g = r["req"]
            elif main_reqs:
                g = main_reqs[0]
            else:
                g = "*"
            if g not in best or better(r, best[g]):
                best[g] = r
        out.extend(best.values())
    return out


def cost(r):
    p = price_of(r["model"])
    if p is None:
        return 0.0
    i, o = p
    return (r["inp"] * i + r["out"] * o + r["c5"] * i * 1.25 + r["c1"] * i * 2 + r["read"] * i * 0.1) / 1e6


def summary(entries):
    return {
        "entries": len(entries),
        "input": sum(e["inp"] for e in entries),
        "output": sum(e["out"] for e in entries),
        "cache_creation": sum(e["c5"] + e["c1"] for e in entries),
        "cache_read": sum(e["read"] for e in entries),
        "total": sum(total(e) for e in entries),
        "cost_usd": round(sum(cost(e) for e in entries), 6),
    }


def main():
    root, now = sys.argv[1], ms(sys.argv[2])
    entries = sorted((e for e in dedup(records(root)) if e["ts"] <= now), key=lambda e: e["ts"])
    blocks = []
    for e in entries:
        b = blocks[-1] if blocks else None
        if b is None or e["ts"] - b["start"] > H5 or e["ts"] - b["items"][-1]["ts"] > H5:
            blocks.append({"start": e["ts"] // 3600000 * 3600000, "items": [e]})
        else:
            b["items"].append(e)
    out = {"unique": len(entries), "blocks": []}
    for b in blocks:
        s = summary(b["items"])
        s["start"] = datetime.fromtimestamp(b["start"] / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        s["active"] = now < b["start"] + H5 and now - b["items"][-1]["ts"] < H5
        s["first_ms"], s["last_ms"] = b["items"][0]["ts"], b["items"][-1]["ts"]
        out["blocks"].append(s)
    out["week"] = summary([e for e in entries if e["ts"] > now - 7 * 24 * 3600 * 1000])
    if blocks:
        b, tau = blocks[-1], 20 * 60000
        weight = tau * (1 - math.exp(-(now - b["start"]) / tau)) / 60000
        decay = [(e, math.exp(-(now - e["ts"]) / tau)) for e in b["items"]]
        out["rate"] = {
            "cost_per_minute": round(sum(cost(e) * d for e, d in decay) / weight, 9),
            "tokens_per_minute": round(sum(total(e) * d for e, d in decay) / weight, 6),
        }
    out["unpriced"] = sorted({e["model"] for e in entries if price_of(e["model"]) is None})
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
