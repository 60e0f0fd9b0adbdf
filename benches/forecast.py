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
- The plain rule, computed here beside runway on the same samples: once 40% of the limit is used, the
  slower of the rates of the last 10 and the last 30 minutes; it warns when at that rate the limit
  comes before the block's end. In the "use elsewhere" month it reads the
  service's readings instead of the calls (the share and its rises over 10 and 30 minutes).
- The "use elsewhere" month (three people's month, when present): a third of each person's sessions
  (every third, by name) is hidden from runway, as if run on another machine or in a browser; while
  the visible sessions work, `runway statusline` is fed the readings the whole account would have
  produced (the 5-hour share of the whole block and the week's share of a weekly limit ten times the
  5-hour one, whole percents, one reading a minute at most), in time order between the samples, so
  that each sample knows the readings of its past only, as it would live. runway gets no --limit-cost
  there: the readings are all it has. Blocks, crossings and idle time are the whole account's.
- precision = warned samples in blocks that cross / all warned samples;
  recall = crossing blocks (crossing 30 minutes or more after their start) warned at least 15 minutes
  before the crossing / all such blocks;
  idle alarms = warned samples in blocks that never cross, with no call in the previous 30 minutes;
  lead = median of (crossing - first warning) over crossing blocks that were warned. A crossing block
  is "warnable" when it has a sample 15 minutes before its crossing at all: one that crosses within
  15 minutes of its first call cannot be caught by any forecast, and caps the recall.

Usage: benches/forecast.py [--bin target/release/runway] [--history NAME=PROJECTS_DIR ...] [--elsewhere NAME=DIR]
Without --history: ../shared/fixtures/claude-history (when present), the real fixture in
tests/fixtures, and a generated history (runway-synth, 30 days) per person and for all; and the
"use elsewhere" month from ../shared/fixtures/claude-history.
"""
import argparse
import bisect
import importlib.util
import json
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
            for path, d in oracle.lines(os.path.join(projects, f)):
                for r in oracle.records_from_line(d):
                    r["path"] = path
                    recs.append(r)
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
        out[name] = {"folders": folders, "calls": calls, "blocks": blocks, "limit": limit,
                     "times": [e["ts"] for e in calls], "running": running_costs(calls)}
    return out


def running_costs(calls):
    run, out = 0.0, []
    for e in calls:
        run += e["cost"]
        out.append(run)
    return out


def cost_upto(acct, t):
    """The account's cost of calls at or before t, since the start of its history."""
    i = bisect.bisect_right(acct["times"], t)
    return acct["running"][i - 1] if i else 0.0


def plain_rule(used, r10, r30, left_to_end, horizon=float("inf")):
    """The plain rule: once 40% is used, the slower of the two rates (percent a minute) reaches 100%
    before the end."""
    rate = min(r10, r30)
    if used < 40 or used >= 100 or rate <= 0:
        return False
    minutes = (100 - used) / rate
    return minutes <= min(horizon, left_to_end)


def plain_on_calls(acct, b, t):
    """The plain rule on the local calls of block b at t."""
    L = acct["limit"]
    base = cost_upto(acct, b["start"] - 1)
    used = (cost_upto(acct, t) - base) / L * 100
    r = lambda m: (cost_upto(acct, t) - max(cost_upto(acct, t - m * MIN), base)) / L * 100 / m
    return plain_rule(used, r(10), r(30), (b["start"] + H5 - t) / MIN)


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


def sandbox(work, projects, folders, only=None):
    """A home for runway over some of a history's folders (`only`: the session files to show, by path;
    the others are left out): its environment."""
    home = os.path.join(work, "claude")
    os.makedirs(os.path.join(home, "projects"), exist_ok=True)
    for f in folders:
        src, link = os.path.join(projects, f), os.path.join(home, "projects", f)
        if os.path.exists(link):
            continue
        if only is None:
            os.symlink(src, link)
            continue
        for dirpath, _, files in os.walk(src):
            for name in files:
                path = os.path.join(dirpath, name)
                if path in only:
                    dest = os.path.join(link, os.path.relpath(path, src))
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                    os.symlink(path, dest)
    # An empty config file: the person's own settings must not change the measurement.
    open(os.path.join(work, "config.toml"), "w").close()
    return dict(os.environ, CLAUDE_CONFIG_DIR=home, CODEX_HOME=os.path.join(work, "codex"),
                RUNWAY_CACHE_DIR=os.path.join(work, "cache"), HOME=work, RUNWAY_CONFIG=os.path.join(work, "config.toml"))


def prompt_at(binary, env, extra):
    return lambda t: subprocess.run(
        [binary, "prompt", "--shell", "plain", "--ascii", "--color", "never"] + extra + ["--now", iso(t)],
        env=env, capture_output=True, text=True).stdout


def build(binary, env, t):
    """Reads the whole history once (a prompt reads within its budget and leaves the rest to a helper)."""
    subprocess.run([binary, "--now", iso(t), "status", "--json"], env=env, capture_output=True, check=True)


def replay(binary, projects, acct, work):
    """Runs runway at every sample of every block of one account: [(block, t, runway warned, plain
    rule warned)]."""
    env = sandbox(work, projects, acct["folders"])
    run = prompt_at(binary, env, ["--limit-cost", "%.6f" % acct["limit"]])
    build(binary, env, acct["calls"][-1]["ts"])
    jobs = [(i, t) for i, b in enumerate(acct["blocks"]) for t in samples(b)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        segs = list(ex.map(lambda j: run(j[1]), jobs))
    return [(acct["blocks"][i], t, "!" in s, plain_on_calls(acct, acct["blocks"][i], t))
            for (i, t), s in zip(jobs, segs)]


def elsewhere(binary, projects, acct, work):
    """The "use elsewhere" replay of one account (see the module comment)."""
    sessions = sorted({e["path"] for e in acct["calls"]})
    hidden = set(sessions[2::3])
    visible = [e for e in acct["calls"] if e["path"] not in hidden]
    env = sandbox(work, projects, acct["folders"], only=set(sessions) - hidden)
    L, L7 = acct["limit"], acct["limit"] * 10
    week0 = acct["calls"][0]["ts"]
    week_of = lambda t: week0 + (t - week0) // (7 * 24 * 60 * MIN) * (7 * 24 * 60 * MIN)
    readings = []  # (t, 5-hour share, its reset, week share, its reset)
    last = None
    for e in visible:
        t = e["ts"]
        if last is not None and t - last < MIN:
            continue
        last = t
        b = next(b for b in acct["blocks"] if b["start"] <= t < b["start"] + H5 and b["items"][0]["ts"] <= t)
        five = round((cost_upto(acct, t) - cost_upto(acct, b["start"] - 1)) / L * 100)
        w = week_of(t)
        seven = round((cost_upto(acct, t) - cost_upto(acct, w - 1)) / L7 * 100)
        readings.append((t, e["path"], five, (b["start"] + H5) // 1000, seven, (w + 7 * 24 * 60 * MIN) // 1000))

    def feed(reading):
        t, path, five, r5, seven, r7 = reading
        payload = {"session_id": os.path.basename(path)[:-6], "transcript_path": path.replace(projects, os.path.join(env["CLAUDE_CONFIG_DIR"], "projects")),
                   "model": {"id": "claude-opus-4-6", "display_name": "Opus"},
                   "rate_limits": {"five_hour": {"used_percentage": five, "resets_at": r5},
                                   "seven_day": {"used_percentage": seven, "resets_at": r7}}}
        subprocess.run([binary, "--now", iso(t), "statusline"], input=json.dumps(payload), env=env,
                       capture_output=True, text=True)
    times = [r[0] for r in readings]

    def reading_at(t, b):
        """The newest 5-hour share reported at or before t in block b, or None."""
        i = bisect.bisect_right(times, t) - 1
        return readings[i][2] if i >= 0 and readings[i][0] >= b["start"] else None

    def plain(b, t):
        now = reading_at(t, b)
        if now is None:
            return False
        r = lambda m: (now - (reading_at(t - m * MIN, b) or 0)) / m
        return plain_rule(now, r(10), r(30), (b["start"] + H5 - t) / MIN)

    build(binary, env, acct["calls"][-1]["ts"])
    run = prompt_at(binary, env, [])
    # In time order, each prompt after the readings of its past and before those of its future: what
    # the status line had handed over by then is all runway knows, as it would be live.
    jobs = sorted(((i, t) for i, b in enumerate(acct["blocks"]) for t in samples(b)), key=lambda j: j[1])
    segs, fed = [], 0
    for _, t in jobs:
        while fed < len(readings) and readings[fed][0] <= t:
            feed(readings[fed])
            fed += 1
        segs.append(run(t))
    return [(acct["blocks"][i], t, "!" in s, plain(acct["blocks"][i], t)) for (i, t), s in zip(jobs, segs)]


def figures(all_results, k):
    """Precision, recall, idle alarms of warner k (0 runway, 1 the plain rule)."""
    results = [(r[0], r[1], r[2 + k]) for r in all_results]
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


def row(res, b=""):
    f, p = figures(res, 0), figures(res, 1)
    warnable = f["caught"] / f["reachable"] if f["reachable"] else None
    return "%d | %d | %d | %d | %s%s%s | %s%s%s | %s | %s%d%s | %s | %s / %s / %d" % (
        f["blocks"], f["due"], f["reachable"], f["warned"], b, fmt(f["precision"], "%.2f"), b, b,
        fmt(f["recall"], "%.2f"), b, fmt(warnable, "%.2f"), b, f["idle"], b, fmt(f["lead"], "%.0f min"),
        fmt(p["precision"], "%.2f"), fmt(p["recall"], "%.2f"), p["idle"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/runway"))
    ap.add_argument("--history", action="append", default=[], metavar="NAME=PROJECTS_DIR")
    ap.add_argument("--elsewhere", action="append", default=[], metavar="NAME=PROJECTS_DIR")
    a = ap.parse_args()
    histories = [(n, os.path.abspath(d)) for n, d in (h.split("=", 1) for h in a.history)]
    hidden = [(n, os.path.abspath(d)) for n, d in (h.split("=", 1) for h in a.elsewhere)]
    work = tempfile.mkdtemp(prefix="runway-forecast-")
    if not histories and not hidden:
        shared = os.path.join(ROOT, "../shared/fixtures/claude-history/projects")
        if os.path.isdir(shared):
            histories.append(("claude-history", shared))
            hidden.append(("claude-history, a third elsewhere", shared))
        histories.append(("spotter fixture", os.path.join(ROOT, "tests/fixtures/claude-real/projects")))
        synth = os.path.join(ROOT, "target/release/runway-synth")
        gen = os.path.join(work, "generated")
        subprocess.run([synth, "--out", gen, "--size", "150M", "--days", "30", "--end", "2026-02-12T22:00:00Z",
                        "--seed", "3"], check=True, capture_output=True)
        histories.append(("generated", os.path.join(gen, "claude/projects")))
    print("| history | account | limit | blocks | crossing (>= 30 min) | of them warnable | warned samples | precision | recall | recall of the warnable | idle alarms | median lead | plain rule: precision / recall / idle |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    runs = [(n, p, replay) for n, p in histories] + [(n, p, elsewhere) for n, p in hidden]
    for name, projects, how in runs:
        everyone = []
        for n, (acct_name, acct) in enumerate(sorted(accounts(projects).items()), 1):
            if not acct["limit"]:
                continue
            slug = "".join(c if c.isalnum() else "-" for c in name)
            res = how(a.bin, projects, acct, os.path.join(work, slug, acct_name))
            everyone.extend(res)
            # Numbered, not named: the folders carry people's names.
            print("| %s | %d | $%.2f | %s |" % (name, n, acct["limit"], row(res)))
            sys.stdout.flush()
        print("| **%s** | all | | %s |" % (name, row(everyone, "**")))


if __name__ == "__main__":
    main()
