#!/usr/bin/env python3
"""The check of agents_report.py against what is known of the fixtures without it: the mock runs'
calls are what the mock model answered, copies of the same calls count once, a day's and a session's
rows add up to the total in any zone. Prints each folder's totals and "self-check passed".

Usage: agents_check.py
"""
import glob
import json
import os
import shutil
import tempfile
from zoneinfo import ZoneInfo

from agents_report import UNPRICED, ms, report


def self_check():
    """Every fixture folder in both zones; rows add up to the total; the mock runs give what the mock
    model answered; copies of the same calls count once."""
    fx = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
    folders = [
        ("copilot", "agents/copilot"),
        ("copilot", "agents-runs/copilot-1.0.64/.copilot"),
        ("copilot", "agents-runs/copilot-1.0.66/.copilot"),
        ("copilot", "agents-runs/copilot-1.0.102/.copilot"),
        ("opencode", "agents/opencode"),
        ("opencode", "agents-runs/opencode-1.2.1/.local/share/opencode"),
        ("opencode", "agents-runs/opencode-1.18.33/.local/share/opencode"),
        ("gemini", "agents/gemini"),
        ("gemini", "agents-extra/gemini"),
        ("gemini", "agents-runs/gemini-0.61.0/.gemini"),
        ("kimi", "agents/kimi-code"),
        ("kimi", "agents-runs/kimi-code-2.1.0/.kimi-code"),
    ]
    fields = ("calls", "input", "output", "cache_read", "cache_creation", "reasoning", "premium", "cost")
    totals = {}
    for tool, rel in folders:
        for zone in ("UTC", "Asia/Tokyo"):
            r = report(tool, os.path.join(fx, rel), ZoneInfo(zone))
            for by in ("day", "session"):
                for f in fields:
                    s = sum(row[f] for row in r[by].values())
                    assert abs(s - r["total"][f]) < 1e-5, (tool, rel, zone, by, f, s, r["total"][f])
            if zone == "UTC":
                totals[rel] = r["total"]
                print("%-8s %-50s " % (tool, rel) + " ".join("%s=%s" % (f, r["total"][f]) for f in fields))
            else:
                assert r["total"] == totals[rel], (tool, rel)

    def tokens(rel):
        t = totals[rel]
        return (t["calls"], t["input"], t["output"], t["cache_read"], t["cache_creation"], t["reasoning"])

    # The mock model answered every call with prompt 1000 (600 cached), completion 300 (100 reasoning);
    # Gemini's mock with prompt 1000 (600 cached), 50 output and 150 thoughts. Kimi writes no reasoning.
    for v in ("1.0.64", "1.0.66", "1.0.102"):
        assert tokens("agents-runs/copilot-%s/.copilot" % v) == (2, 800, 600, 1200, 0, 200), v
    assert tokens("agents-runs/kimi-code-2.1.0/.kimi-code") == (2, 800, 600, 1200, 0, 0)
    assert tokens("agents-runs/gemini-0.61.0/.gemini") == (3, 1200, 600, 1800, 0, 450)
    # OpenCode 1.2.1 imported the JSON files; 1.18.33 is that database plus two mock calls.
    a, b = tokens("agents/opencode"), tokens("agents-runs/opencode-1.2.1/.local/share/opencode")
    c = tokens("agents-runs/opencode-1.18.33/.local/share/opencode")
    assert a == b and c == (a[0] + 2, a[1] + 800, a[2] + 600, a[3] + 1200, a[4], a[5] + 200), (a, b, c)

    tmp = tempfile.mkdtemp()
    try:
        # The JSON files next to the database that holds the same messages: one call each.
        oc = os.path.join(tmp, "opencode")
        shutil.copytree(os.path.join(fx, "agents-runs/opencode-1.18.33/.local/share/opencode"), oc)
        shutil.copytree(os.path.join(fx, "agents/opencode/storage"), os.path.join(oc, "storage"))
        assert report("opencode", oc, ZoneInfo("UTC"))["total"] == totals[
            "agents-runs/opencode-1.18.33/.local/share/opencode"]
        # A Gemini session copied into a second project folder and into a .jsonl: one session.
        gm = os.path.join(tmp, "gemini")
        shutil.copytree(os.path.join(fx, "agents/gemini"), gm)
        src = glob.glob(os.path.join(gm, "tmp", "7e89*", "chats", "session-*.json"))
        os.makedirs(os.path.join(gm, "tmp", "copy", "chats"))
        for p in src:
            shutil.copyfile(p, os.path.join(gm, "tmp", "copy", "chats", os.path.basename(p)))
            with open(p, encoding="utf-8") as fh:
                doc = json.load(fh)
            with open(p + "l", "w", encoding="utf-8") as fh:
                meta = {k: v for k, v in doc.items() if k != "messages"}
                fh.write(json.dumps(meta) + "\n")
                for m in doc["messages"]:
                    fh.write(json.dumps(m) + "\n")
                    fh.write(json.dumps({"$set": {"lastUpdated": m.get("timestamp")}}) + "\n")
                    fh.write(json.dumps(dict(m, tokens=None)) + "\n")
        assert report("gemini", gm, ZoneInfo("UTC"))["total"] == totals["agents/gemini"]
        # Kimi: the forked session alone has the two calls; with its parent they are counted once.
        km = os.path.join(tmp, "kimi")
        shutil.copytree(os.path.join(fx, "agents-runs/kimi-code-2.1.0/.kimi-code"), km)
        for d in glob.glob(os.path.join(km, "sessions", "*", "session_bf6c9e37*")):
            shutil.rmtree(d)
        assert tokens_of(report("kimi", km, ZoneInfo("UTC"))) == tokens("agents-runs/kimi-code-2.1.0/.kimi-code")
        # NOW: calls after it do not exist.
        r = report("copilot", os.path.join(fx, "agents/copilot"), ZoneInfo("UTC"), ms("2026-06-24T00:00:00Z"))
        assert sorted(r["day"]) == ["2026-06-23"], sorted(r["day"])
    finally:
        shutil.rmtree(tmp)
    print("unpriced models: " + ", ".join(sorted(str(m) for m in UNPRICED)))
    print("self-check passed")


def tokens_of(r):
    t = r["total"]
    return (t["calls"], t["input"], t["output"], t["cache_read"], t["cache_creation"], t["reasoning"])


if __name__ == "__main__":
    self_check()
