#!/usr/bin/env python3
"""Independent report of Claude Code usage: the de-duplicated calls of claude_count.py, grouped the
way `runway report` groups them, written from the README's words, not from runway's code.

Usage: claude_report.py PROJECTS_DIR NOW_RFC3339 TIME_ZONE -> JSON {by: {key: summary}}.

- day, week (from Monday), month: the call's local date in TIME_ZONE (an IANA name);
- session: the file's name without `.jsonl`, or for `<session>/subagents/*.jsonl` the folder;
- project: the directory the session ran in, as the file records it: the top-level `cwd` of its first
  line (in file order) that carries usage; the folder right under `projects/` when none has one;
- model: the model name;
- block: 5-hour blocks as claude_count.py makes them, keyed by their UTC start.
"""
import json
import os
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import claude_count as cc  # noqa: E402

H5 = 5 * 3600 * 1000
CWD = {}


def records_with_paths(root):
    """claude_count.records, with the path of the line each record came from, oldest file first:
    dedup keeps the first of copies alike in every count, and a call a resumed session repeats
    belongs to the older file (README, "How the numbers are computed"). Also each file's `cwd`."""
    out = []
    for path, d in cc.lines(root):
        for r in cc.records_from_line(d):
            r["path"] = path
            out.append(r)
            cwd = d.get("cwd")
            if isinstance(cwd, str) and cwd and path not in CWD:
                CWD[path] = cwd
    out.sort(key=lambda r: (os.stat(r["path"]).st_mtime_ns, r["path"].encode()))
    return out


def origin(path):
    parts = path.split(os.sep)
    i = len(parts) - 1 - parts[::-1].index("projects")
    rest = parts[i + 1:]
    project = CWD.get(path, rest[0])
    if len(rest) == 2:
        return project, rest[1][: -len(".jsonl")]
    return project, rest[1]


def main():
    root, now, tz = sys.argv[1], cc.ms(sys.argv[2]), ZoneInfo(sys.argv[3])
    entries = sorted((e for e in cc.dedup(records_with_paths(root)) if e["ts"] <= now), key=lambda e: e["ts"])
    groups = {b: {} for b in ("day", "week", "month", "session", "project", "model", "block")}
    block_start, block_last = None, None
    for e in entries:
        local = datetime.fromtimestamp(e["ts"] / 1000, timezone.utc).astimezone(tz).date()
        monday = local - timedelta(days=local.weekday())
        project, session = origin(e["path"])
        if block_start is None or e["ts"] - block_start > H5 or e["ts"] - block_last > H5:
            block_start = e["ts"] // 3600000 * 3600000
        block_last = e["ts"]
        start = datetime.fromtimestamp(block_start / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        keys = {
            "day": local.isoformat(),
            "week": monday.isoformat(),
            "month": local.strftime("%Y-%m"),
            "session": session,
            "project": project,
            "model": e["model"],
            "block": start,
        }
        for by, key in keys.items():
            groups[by].setdefault(key, []).append(e)
    out = {by: {k: cc.summary(v) for k, v in g.items()} for by, g in groups.items()}
    print(json.dumps(out, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
