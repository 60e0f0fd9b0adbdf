#!/usr/bin/env python3
"""Times commands run by run, interleaved: each round runs every command once, in turn, so that a
busy machine slows them all alike. Prints each command's median and, against the first, the median
of the paired differences with /bin/true's time taken off both (what the process start costs is the
same for all, and is not what is compared).

Usage: benches/paired.py [--runs N] [--env NAME=VALUE ...] -- 'CMD A' -- 'CMD B' [-- 'CMD C' ...]
Each command is split on spaces (no shell); an `ENV=value` word before it sets that for it alone, and
a last word `<FILE` gives it FILE on stdin (else /dev/null).
"""
import argparse
import os
import statistics
import sys
import time


def spawn(argv, env, stdin):
    start = time.perf_counter_ns()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 0, stdin, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])
    os.waitpid(pid, 0)
    return (time.perf_counter_ns() - start) / 1e6


def parse(cmd, base_env):
    words, env, stdin = cmd.split(), dict(base_env), "/dev/null"
    while words and "=" in words[0] and not words[0].startswith("/"):
        k, v = words.pop(0).split("=", 1)
        env[k] = v
    if words and words[-1].startswith("<"):
        stdin = words.pop()[1:]
    return words, env, stdin


def main():
    args = sys.argv[1:]
    if "--" not in args:
        sys.exit(__doc__)
    i = args.index("--")
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=20)
    opts = ap.parse_args(args[:i])
    cmds = [c for c in " ".join(args[i + 1:]).split(" -- ")]
    runs = [("/bin/true", ["/bin/true"], dict(os.environ), "/dev/null")] + [(c, *parse(c, os.environ)) for c in cmds]
    times = {name: [] for name, *_ in runs}
    for r in range(opts.warmup + opts.runs):
        for name, argv, env, stdin in runs:
            t = spawn(argv, env, stdin)
            if r >= opts.warmup:
                times[name].append(t)
    true = times["/bin/true"]
    first = cmds[0]
    print("| command | median | over /bin/true | against the first, paired |")
    print("|---|---:|---:|---:|")
    for name, *_ in runs:
        med = statistics.median(times[name])
        own = statistics.median([a - t for a, t in zip(times[name], true)])
        if name in (first, "/bin/true"):
            vs = ""
        else:
            base = statistics.median([a - t for a, t in zip(times[first], true)])
            diff = statistics.median([b - a for a, b in zip(times[first], times[name])])
            vs = "%+.3f ms (%+.1f%%)" % (diff, 100 * diff / base if base else 0)
        print("| `%s` | %.3f ms | %.3f ms | %s |" % (name, med, own, vs))


if __name__ == "__main__":
    main()
