#!/usr/bin/env python3
"""Flat profile per thread from async-profiler's collapsed stacks (bench/real-swarm.py --profile).

For every thread (threads of one pool together: trailing numbers dropped), its share of the
process's samples and its top frames: by default the frame a sample was taken in (self time);
with --under FRAME, the frames called from FRAME's first occurrence instead (time below it).
Kernel frames end in _[k]. async-profiler's CPU samples undercount time spent in long system
calls (several timer expiries there give one signal, so one sample): cross-check a thread's total
against --threads' /proc figures.

Usage: bench/flat-profile.py FILE.collapsed [--top N] [--thread NAME] [--under FRAME]
"""
import argparse
import collections
import re


def thread_of(frame):
    m = re.match(r"\[(.*?) tid=\d+\]", frame)
    return re.sub(r"[-#_ 0-9]+$", "", m.group(1)) or m.group(1) if m else frame


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--thread", default=None, help="only this thread (pool) name")
    ap.add_argument("--under", default=None, help="a frame (substring): show the frames it calls")
    args = ap.parse_args()
    per_thread = collections.Counter()
    frames = collections.defaultdict(collections.Counter)
    with open(args.file) as f:
        for line in f:
            stack, count = line.rstrip("\n").rsplit(" ", 1)
            stack = stack.split(";")
            name = thread_of(stack[0])
            if args.thread and name != args.thread:
                continue
            count = int(count)
            per_thread[name] += count
            if args.under:
                at = next((i for i, fr in enumerate(stack[1:], 1) if args.under in fr), None)
                if at is None:
                    continue
                frames[name][stack[at + 1] if at + 1 < len(stack) else "(itself)"] += count
            else:
                frames[name][stack[-1] if len(stack) > 1 else "(no frame)"] += count
    total = sum(per_thread.values())
    print("%d samples" % total)
    for name, n in per_thread.most_common():
        if n < total / 100:
            continue
        print("\n%s: %d samples, %.1f %%" % (name, n, 100.0 * n / total))
        for frame, c in frames[name].most_common(args.top):
            print("  %5.1f %%  %s" % (100.0 * c / n, frame[:140]))


if __name__ == "__main__":
    main()
