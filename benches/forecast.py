#!/usr/bin/env python3
"""How far the warning can be trusted: runway's red warning replayed against what really happened.

For each history, the calls and costs come from the independent count (tests/oracle/claude_count.py),
never from runway. Method (the same for anyone who runs it):

- Accounts: the project folders of one person (`-Users-NAME-...` or `-home-NAME-...`) are one account.
- Blocks follow the 5-hour rule. The limit of an account is the median cost of its blocks with at least
  10 calls, given to runway as --limit-cost.
- Truth: a block "crosses" at the call whose running cost first reaches the limit.
- Samples: every 10 minutes from the block's start (once its first call has happened) until its end or
  its crossing, `runway prompt --shell plain --ascii --limit-cost L --now T`; a sample warns when the
  warning glyph (`!`) is in the segment.
- precision = warned samples in blocks that cross / all warned samples;
  recall = crossing blocks (crossing 30 minutes or more after their start) warned at least 15 minutes
  before the crossing / all such blocks;
  idle alarms = warned samples in blocks that never cross, with no call in the previous 30 minutes;
  lead = median of (crossing - first warning) over crossing blocks that were warned. A crossing block
  is "warnable" when it has a sample 15 minutes before its crossing at all: one that crosses within
  15 minutes of its first call cannot be caught by any forecast, and caps the recall.

Usage: benches/forecast.py [--bin target/release/runway] [--history NAME=PROJECTS_DIR ...]
Without --history: ../shared/fixtures/claude-history (when present), the real fixture in
tests/fixtures, and a generated history (runway-synth, 30 days) per person and for all.
"""
import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("oracle", os.path.join(ROOT, "tests/oracle/claude_count.py"))
oracle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(oracle)

H5 = 5 * 3600 * 1000
MIN = 60 * 1000


def account_of(folder):
    m = re.match(r"-(?:Users|home)-([^-]+)", folder)
    return m.group(1) if m else folder


def blocks_of(calls):
    blocks = []
    for e in calls:
        b = blocks[-1] if blocks else None
        if b is None or e["ts"] - b["start"] > H5 or e["ts"] - b["items"][-1]["ts"] > H5:
            blocks.append({"start": e["ts"] // 3600000 * 3600000, "items": [e]})
        else:
            b["items"].append(e)
    return blocks


def accounts(projects):
    """{name: {"dirs", "calls", "blocks", "limit"}} for every person in a projects/ dir."""
    by = {}
    for folder in sorted(os.listdir(projects)):
        if os.path.isdir(os.path.join(projects, folder)):
            by.setdefault(account_of(folder), []).append(folder)
    out = {}
    for name, folders in by.items():
        recs = []
        for f in folders:
            recs.extend(oracle.records(os.path.join(projects, f)))
        calls = sorted(oracle.dedup(recs), key=lambda e: e["ts"])
        for e in calls:
            e["cost"] = oracle.cost(e)
        blocks = blocks_of(calls)
        big = [sum(x["cost"] for x in b["items"]) for b in blocks if len(b["items"]) >= 10]
        limit = statistics.median(big) if big else None
        for b in blocks:
            run, b["cross"] = 0.0, None
            for x in b["items"]:
                run += x["cost"]
                if limit and b["cross"] is None and run >= limit:
                    b["cross"] = x["ts"]
        out[name] = {"folders": folders, "calls": calls, "blocks": blocks, "limit": limit}
    return out


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def samples(b):
    first, end = b["items"][0]["ts"], b["start"] + H5
    stop = min(end, b["cross"]) if b["cross"] else end
    t = b["start"]
    while t < stop:
        if t >= first:
            yield t
        t += 10 * MIN


def replay(binary, projects, acct, work):
    """Runs runway at every sample of every block of one account: [(block, t, warned)]."""
    home = os.path.join(work, "claude")
    os.makedirs(os.path.join(home, "projects"), exist_ok=True)
    for f in acct["folders"]:
        link = os.path.join(home, "projects", f)
        if not os.path.exists(link):
            os.symlink(os.path.join(projects, f), link)
    # An empty config file: the person's own settings must not change the measurement.
    open(os.path.join(work, "config.toml"), "w").close()
    env = dict(os.environ, CLAUDE_CONFIG_DIR=home, CODEX_HOME=os.path.join(work, "codex"),
               RUNWAY_CACHE_DIR=os.path.join(work, "cache"), HOME=work, RUNWAY_CONFIG=os.path.join(work, "config.toml"))
    limit = "%.6f" % acct["limit"]
    run = lambda t: subprocess.run(
        [binary, "prompt", "--shell", "plain", "--ascii", "--color", "never", "--limit-cost", limit, "--now", iso(t)],
        env=env, capture_output=True, text=True).stdout
    run(acct["calls"][-1]["ts"])  # builds the cache once
    jobs = [(i, t) for i, b in enumerate(acct["blocks"]) for t in samples(b)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        segs = list(ex.map(lambda j: run(j[1]), jobs))
    return [(acct["blocks"][i], t, "!" in s) for (i, t), s in zip(jobs, segs)]


def figures(results):
    warned = [(b, t) for b, t, w in results if w]
    crossing = [(b, t) for b, t in warned if b["cross"]]
    idle = 0
    for b, t in warned:
        if not b["cross"] and not any(t - 30 * MIN < x["ts"] <= t for x in b["items"]):
            idle += 1
    blocks = {id(b): b for b, _, _ in results}.values()
    due = [b for b in blocks if b["cross"] and b["cross"] - b["start"] >= 30 * MIN]
    first_warn = {}
    for b, t, w in results:
        if w and b["cross"]:
            first_warn[id(b)] = min(first_warn.get(id(b), t), t)
    caught = [b for b in due if id(b) in first_warn and first_warn[id(b)] <= b["cross"] - 15 * MIN]
    # Blocks that cross so soon after their first call that no sample comes 15 minutes before: no
    # forecast can be counted as catching them.
    reachable = [b for b in due if any(t <= b["cross"] - 15 * MIN for t in samples(b))]
    leads = [(b["cross"] - first_warn[id(b)]) / MIN for b in blocks if b["cross"] and id(b) in first_warn]
    return {
        "samples": len(results),
        "warned": len(warned),
        "precision": len(crossing) / len(warned) if warned else None,
        "recall": len(caught) / len(due) if due else None,
        "due": len(due),
        "caught": len(caught),
        "reachable": len(reachable),
        "idle": idle,
        "lead": statistics.median(leads) if leads else None,
        "blocks": len(blocks),
    }


def fmt(v, f):
    return "-" if v is None else f % v


def row(f, b=""):
    warnable = f["caught"] / f["reachable"] if f["reachable"] else None
    return "%d | %d | %d | %d | %s%s%s | %s%s%s | %s | %s%d%s | %s" % (
        f["blocks"], f["due"], f["reachable"], f["warned"], b, fmt(f["precision"], "%.2f"), b, b,
        fmt(f["recall"], "%.2f"), b, fmt(warnable, "%.2f"), b, f["idle"], b, fmt(f["lead"], "%.0f min"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/runway"))
    ap.add_argument("--history", action="append", default=[], metavar="NAME=PROJECTS_DIR")
    a = ap.parse_args()
    histories = [h.split("=", 1) for h in a.history]
    work = tempfile.mkdtemp(prefix="runway-forecast-")
    if not histories:
        shared = os.path.join(ROOT, "../shared/fixtures/claude-history/projects")
        if os.path.isdir(shared):
            histories.append(("claude-history", shared))
        histories.append(("spotter fixture", os.path.join(ROOT, "tests/fixtures/claude-real/projects")))
        synth = os.path.join(ROOT, "target/release/runway-synth")
        gen = os.path.join(work, "generated")
        subprocess.run([synth, "--out", gen, "--size", "150M", "--days", "30", "--end", "2026-02-12T22:00:00Z",
                        "--seed", "3"], check=True, capture_output=True)
        histories.append(("generated", os.path.join(gen, "claude/projects")))
    print("| history | account | limit | blocks | crossing (>= 30 min) | of them warnable | warned samples | precision | recall | recall of the warnable | idle alarms | median lead |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, projects in histories:
        everyone = []
        for acct_name, acct in sorted(accounts(projects).items()):
            if not acct["limit"]:
                continue
            res = replay(a.bin, projects, acct, os.path.join(work, name.replace(" ", "-"), acct_name))
            everyone.extend(res)
            f = figures(res)
            print("| %s | %s | $%.2f | %s |" % (name, acct_name, acct["limit"], row(f)))
            sys.stdout.flush()
        f = figures(everyone)
        print("| **%s** | all | | %s |" % (name, row(f, "**")))


if __name__ == "__main__":
    main()
