"""Where a process tree's wall time went, on a shared machine (Linux): on a CPU, waiting for one, or asleep.

    PYTHONPATH=<tree> nice python benchmarks/sched_tree.py [--out FILE] -- python -m generator ingest inbox --quiet

Runs the command and samples /proc/PID/schedstat (every thread's time on a CPU and time runnable but
waiting for one) of it and of its child processes (those its main thread forked) every 10 ms; at the end prints, per role (the
command's process, its children), the CPU seconds, the seconds spent waiting for a CPU (the other
sessions' load) and the rest of each process's life, asleep: waiting for work, a pipe, a lock or the
disk. The last is what a pipeline loses whatever the load, so two versions can be compared on a busy
machine where wall times swing by tens of seconds. Not a test.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def _schedstat(pid: int) -> tuple[int, int]:
    """(ns on a CPU, ns runnable and waiting for one), summed over the process's threads."""
    run = wait = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/schedstat") as fh:
            a, b, _ = fh.read().split()
        run, wait = run + int(a), wait + int(b)
    return run, wait


def measure(cmd: list[str]) -> tuple[int, float, dict[str, list[float]]]:
    """Run `cmd`; (exit status, wall seconds, role -> [processes, CPU s, waiting for a CPU s, asleep s])."""
    proc = subprocess.Popen(cmd)
    seen: dict[int, list] = {}  # pid -> [role, first seen, last seen, run ns, wait ns]
    start = time.monotonic()
    while proc.poll() is None:
        now = time.monotonic()
        for pid, role in [(proc.pid, "process")] + [(k, "children") for k in _children(proc.pid)]:
            try:
                run, wait = _schedstat(pid)
            except (OSError, ValueError):
                continue
            seen.setdefault(pid, [role, now, now, 0, 0])[2:] = [now, run, wait]
        time.sleep(0.01)
    wall = time.monotonic() - start
    roles: dict[str, list[float]] = {}
    for role, first, last, run, wait in seen.values():
        t = roles.setdefault(role, [0, 0.0, 0.0, 0.0])
        t[0] += 1
        t[1] += run / 1e9
        t[2] += wait / 1e9
        t[3] += max(0.0, (last - first) - run / 1e9 - wait / 1e9)
    return proc.returncode, wall, roles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="append the line here instead of stderr")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command")
    code, wall, roles = measure(cmd)
    line = f"wall {wall:.2f} " + " ".join(
        f"{role}(x{n}): cpu {cpu:.2f} waiting-for-cpu {wait:.2f} asleep {asleep:.2f}"
        for role, (n, cpu, wait, asleep) in roles.items())
    if args.out:
        with open(args.out, "a") as fh:
            print(line, file=fh)
    else:
        print(line, file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
