#!/usr/bin/env python3
"""The calls of GitHub Copilot CLI, OpenCode, Gemini CLI and Kimi Code, read from their files as
docs/providers.md describes them (not from runway's code), for agents_report.py.

Token kinds: input = fresh prompt tokens (neither read from nor written to a cache); cache_creation =
cache writes; cache_read; output = everything generated, reasoning included; reasoning = the part of
output that was reasoning (never added a second time).

Copilot (session-state/*/events.jsonl and flat session-state/*.jsonl; session = the folder, or the
flat file's stem):
- a call is one API request, keyed by apiCallId (else messageId). Its counts are those of its
  `session.usage_record` (fresh input = inputTokens - cacheReadTokens - cacheWriteTokens; output =
  outputTokens, reasoning included; reasoning = reasoningTokens) when it has one, else the largest
  `outputTokens` among its `assistant.message` events (output only). A message without outputTokens
  counts nothing (and makes no call); outputTokens 0 is a call.
- model of a message: data.model, else the latest session.model_change newModel, else
  session.start selectedModel; of a usage record: usage.model.
- time of a call: the timestamp of the first event that made it.
- events are read in file order. At each `session.shutdown` / `session.usage_checkpoint`, for every
  model in `modelMetrics` (else `accountingSnapshot.modelMetrics`), each of its totals (fresh input,
  output, cache read, cache write, reasoning; fresh input as above) is compared, field by field, with
  what the file's calls of that model already count (their own counts plus what earlier events
  added): the excess (never negative) is added to the last call of that model made so far, or, when
  there is none, becomes a call of its own at the event. "Already count": with
  session.start.data.copilotVersion below 1.0.66 (suffixes like "-1" ignored), the calls made since
  the previous session.shutdown (each shutdown covers its own process); from 1.0.66, or no version,
  every call of the file so far (each shutdown covers the whole session).
- premium requests: `totalPremiumRequests` (else `accountingSnapshot.totalPremiumRequestCost`) of the
  same events, by the same rule over all models, the excess added to the last call made so far (a call
  of its own at the event when there is no call yet; the data has no such case).

OpenCode (every `opencode*.db`, copied to a temporary folder with its -wal/-shm and opened read-only,
table `message`; and storage/message/<session>/<message>.json):
- a call is an assistant message with `tokens`, keyed by its id across all sources; of several copies
  the one with the larger token total (input + output + reasoning + cache read + cache write) counts,
  the first read on a tie (databases in name order, then the JSON files in path order). A message
  whose counts are all 0 is no call. Session: the `session_id` column, else `sessionID`, else the
  folder. Time: data.time.created (ms).
- input = tokens.input; cache_read = tokens.cache.read; cache_creation = tokens.cache.write;
  when tokens.total equals input + output + reasoning + cache.read + cache.write, or the provider is
  google or the model contains "gemini": output = output + reasoning, reasoning = reasoning;
  otherwise output = output and reasoning = min(reasoning, output).
- a model no price table knows takes OpenCode's own `cost` (USD) when it is > 0.

Gemini (tmp/*/chats/session-*.json: one document {sessionId, messages}; tmp/*/chats/**/*.jsonl:
metadata lines carrying sessionId, message lines; `$set` and `$rewindTo` lines ignored):
- a call is a message of type "gemini" with tokens, keyed by (sessionId, message id) across all
  files (files read in path order); the first copy that has tokens counts. A message whose input,
  output, thoughts and tool are all 0 is no call. Time: the message's timestamp.
- input = input - cached + tool; cache_read = cached; output = output + thoughts; reasoning = thoughts.

Kimi (sessions/*/session_*/agents/*/wire.jsonl; session = the folder's id without `session_`):
- a call is a `usage.record` line (both usageScope values), at `time` (ms): input = inputOther,
  cache_read = inputCacheRead, cache_creation = inputCacheCreation, output = output, reasoning 0.
- identical records (same model, time and four counts) are one call. A file with a `forked` line
  begins with a copy of its parent's records: those before its last `forked` line count for a file
  that has them as its own (not copied), and here only when no such file does; among equals, the
  file whose path sorts first.
"""
import glob
import json
import os
import shutil
import sqlite3
import tempfile
from datetime import datetime

KINDS = ("input", "output", "cache_creation", "cache_read", "reasoning")


def ms(ts):
    return int(datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp() * 1000)


def call(session, model, ts, **tokens):
    c = {"session": session, "model": model, "ts": ts, "premium": 0.0}
    for k in KINDS:
        c[k] = int(tokens.get(k, 0) or 0)
    return c


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            try:
                out.append(json.loads(raw))
            except ValueError:
                pass
    return out


def num(x):
    return x if isinstance(x, (int, float)) and not isinstance(x, bool) else 0


# ---------------------------------------------------------------- Copilot


def version_tuple(v):
    parts = []
    for p in str(v).split("-")[0].split("."):
        digits = "".join(ch for ch in p if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def metric_tokens(usage):
    inp = num(usage.get("inputTokens"))
    cr = num(usage.get("cacheReadTokens"))
    cw = num(usage.get("cacheWriteTokens"))
    return {
        "input": inp - cr - cw,
        "output": num(usage.get("outputTokens")),
        "cache_read": cr,
        "cache_creation": cw,
        "reasoning": num(usage.get("reasoningTokens")),
    }


def copilot_file(path, session):
    events = read_jsonl(path)
    version, selected, current = None, None, None
    for e in events:
        if e.get("type") == "session.start":
            d = e.get("data") or {}
            version = d.get("copilotVersion")
            selected = d.get("selectedModel")
            break
    per_process = version is not None and version_tuple(version) < (1, 0, 66)

    calls = []  # in the order they were made; each has "pos" (event index), "keyed" (record or message)
    by_key = {}
    last_shutdown = -1
    for pos, e in enumerate(events):
        t, d = e.get("type"), e.get("data") or {}
        ts = e.get("timestamp")
        if t == "session.start":
            selected = d.get("selectedModel")
        elif t == "session.model_change":
            current = d.get("newModel") or current
        elif t == "session.usage_record":
            u = d.get("usage") or {}
            key = u.get("apiCallId") or (u.get("accounting") or {}).get("usageId") or e.get("id")
            toks = metric_tokens(u)
            c = by_key.get(key)
            if c is None:
                c = call(session, u.get("model"), ms(ts))
                c["pos"], c["base_from_record"] = pos, False
                by_key[key] = c
                calls.append(c)
            if not c["base_from_record"] or sum(toks.values()) > sum(c[k] for k in KINDS):
                for k in KINDS:
                    c[k] = toks[k]
                c["model"] = u.get("model") or c["model"]
            c["base_from_record"] = True
        elif t == "assistant.message":
            if "outputTokens" not in d or d.get("outputTokens") is None:
                continue
            key = d.get("apiCallId") or d.get("messageId")
            model = d.get("model") or current or selected
            c = by_key.get(key)
            if c is None:
                c = call(session, model, ms(ts))
                c["pos"], c["base_from_record"] = pos, False
                by_key[key] = c
                calls.append(c)
            if not c["base_from_record"]:
                c["output"] = max(c["output"], int(num(d.get("outputTokens"))))
        elif t in ("session.shutdown", "session.usage_checkpoint"):
            snap = d.get("accountingSnapshot") or {}
            metrics = d.get("modelMetrics")
            if metrics is None:
                metrics = snap.get("modelMetrics")
            start = last_shutdown if per_process else -1
            window = [c for c in calls if c["pos"] > start]
            for model, m in (metrics or {}).items():
                total = metric_tokens((m or {}).get("usage") or {})
                counted = {k: sum(c[k] for c in window if c["model"] == model) for k in KINDS}
                extra = {k: max(0, total[k] - counted[k]) for k in KINDS}
                mine = [c for c in calls if c["model"] == model]
                if mine:
                    for k in KINDS:
                        mine[-1][k] += extra[k]
                else:
                    c = call(session, model, ms(ts), **extra)
                    c["pos"], c["base_from_record"] = pos, True
                    calls.append(c)
                    window.append(c)
            premium = d.get("totalPremiumRequests")
            if premium is None:
                premium = snap.get("totalPremiumRequestCost")
            if premium is not None:
                more = max(0.0, num(premium) - sum(c["premium"] for c in window))
                if more > 0:
                    if not calls:
                        c = call(session, d.get("currentModel"), ms(ts))
                        c["pos"], c["base_from_record"] = pos, True
                        calls.append(c)
                    calls[-1]["premium"] += more
            if t == "session.shutdown":
                last_shutdown = pos
    return calls


def copilot(root):
    out = []
    base = os.path.join(root, "session-state")
    for path in sorted(glob.glob(os.path.join(base, "*", "events.jsonl"))):
        out += copilot_file(path, os.path.basename(os.path.dirname(path)))
    for path in sorted(glob.glob(os.path.join(base, "*.jsonl"))):
        out += copilot_file(path, os.path.basename(path)[: -len(".jsonl")])
    return out


# ---------------------------------------------------------------- OpenCode


def opencode_message(d, session, cost_field=True):
    t = d.get("tokens")
    if d.get("role") != "assistant" or not isinstance(t, dict):
        return None
    cache = t.get("cache") or {}
    inp, out, rea = num(t.get("input")), num(t.get("output")), num(t.get("reasoning"))
    cr, cw = num(cache.get("read")), num(cache.get("write"))
    raw_total = inp + out + rea + cr + cw
    model = d.get("modelID") or ""
    whole = "total" in t and t.get("total") == raw_total
    google = d.get("providerID") == "google" or "gemini" in model.lower()
    if whole or google:
        output, reasoning = out + rea, rea
    else:
        output, reasoning = out, min(rea, out)
    c = call(session, model, int(num((d.get("time") or {}).get("created"))),
             input=inp, output=output, reasoning=reasoning, cache_read=cr, cache_creation=cw)
    c["own_cost"] = num(d.get("cost"))
    c["raw_total"] = raw_total
    return c


def opencode(root):
    found = {}  # message id -> call; larger raw token total wins, first on a tie

    def keep(mid, c):
        if c is None:
            return
        if mid not in found or c["raw_total"] > found[mid]["raw_total"]:
            found[mid] = c

    for db in sorted(glob.glob(os.path.join(root, "opencode*.db"))):
        tmp = tempfile.mkdtemp()
        try:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    shutil.copyfile(db + suffix, os.path.join(tmp, "x.db" + suffix))
            con = sqlite3.connect("file:" + os.path.join(tmp, "x.db") + "?mode=ro", uri=True)
            rows = list(con.execute("SELECT id, session_id, data FROM message"))
            con.close()
        finally:
            shutil.rmtree(tmp)
        for mid, sid, data in rows:
            try:
                d = json.loads(data)
            except ValueError:
                continue
            keep(mid, opencode_message(d, sid))
    for path in sorted(glob.glob(os.path.join(root, "storage", "message", "*", "*.json"))):
        with open(path, encoding="utf-8") as fh:
            try:
                d = json.load(fh)
            except ValueError:
                continue
        folder = os.path.basename(os.path.dirname(path))
        mid = d.get("id") or os.path.basename(path)[: -len(".json")]
        keep(mid, opencode_message(d, d.get("sessionID") or folder))
    return [c for c in found.values() if any(c[k] for k in KINDS)]


# ---------------------------------------------------------------- Gemini


def gemini(root):
    chats = os.path.join(root, "tmp", "*", "chats")
    files = sorted(glob.glob(os.path.join(chats, "session-*.json")))
    files += sorted(glob.glob(os.path.join(chats, "**", "*.jsonl"), recursive=True))
    files.sort()
    seen = {}  # (sessionId, message id) -> call (the first copy with tokens)
    for path in files:
        messages = []  # (sessionId, message)
        if path.endswith(".jsonl"):
            sid = None
            for d in read_jsonl(path):
                if not isinstance(d, dict) or "$set" in d or "$rewindTo" in d:
                    continue
                if "sessionId" in d and "type" not in d:
                    sid = d["sessionId"]
                    continue
                messages.append((sid, d))
        else:
            with open(path, encoding="utf-8") as fh:
                try:
                    doc = json.load(fh)
                except ValueError:
                    continue
            if not isinstance(doc, dict):
                continue
            for m in doc.get("messages") or []:
                messages.append((doc.get("sessionId"), m))
        for sid, m in messages:
            t = m.get("tokens")
            if m.get("type") != "gemini" or not isinstance(t, dict):
                continue
            key = (sid, m.get("id"))
            if key in seen:
                continue
            inp, cached = num(t.get("input")), num(t.get("cached"))
            out, th, tool = num(t.get("output")), num(t.get("thoughts")), num(t.get("tool"))
            seen[key] = call(sid, m.get("model"), ms(m["timestamp"]), input=inp - cached + tool,
                             cache_read=cached, output=out + th, reasoning=th)
            seen[key]["zero"] = not (inp or out or th or tool)
    return [c for c in seen.values() if not c["zero"]]


# ---------------------------------------------------------------- Kimi


def kimi(root):
    found = {}  # key -> (copied, call)
    pattern = os.path.join(root, "sessions", "*", "session_*", "agents", "*", "wire.jsonl")
    for path in sorted(glob.glob(pattern)):
        session = os.path.basename(os.path.dirname(os.path.dirname(os.path.dirname(path))))[len("session_"):]
        lines = [d for d in read_jsonl(path) if isinstance(d, dict)]
        forks = [i for i, d in enumerate(lines) if d.get("type") == "forked"]
        last_fork = forks[-1] if forks else -1
        for i, d in enumerate(lines):
            if d.get("type") != "usage.record":
                continue
            copied = i < last_fork
            u = d.get("usage") or {}
            key = (d.get("model"), d.get("time"), u.get("inputOther"), u.get("output"),
                   u.get("inputCacheRead"), u.get("inputCacheCreation"))
            if key in found and (copied or not found[key][0]):
                continue
            found[key] = (copied, call(session, d.get("model"), int(num(d.get("time"))), input=num(u.get("inputOther")),
                                       cache_read=num(u.get("inputCacheRead")),
                                       cache_creation=num(u.get("inputCacheCreation")), output=num(u.get("output"))))
    return [c for _, c in found.values()]
