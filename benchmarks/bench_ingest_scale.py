"""Ingest at scale (issue 12): first ingest, add-10 re-ingest and unchanged re-ingest of N articles.

    nice .venv/bin/python benchmarks/bench_ingest_scale.py --articles 10000 --cache /tmp/ingest-gaz \\
        [--keep DIR] [--profile DIR]

The corpus is bench_scale's (scrapes recombined from samples/, bench_build.make_inputs), the last 10
held back for the add-10 step; the steps run in bench_scale's order (first ingest,
add 10, nothing changed). Each step is a real `archive ingest` process; it prints wall seconds,
CPU seconds (user + system of the whole process tree, workers included), CPU-ms per article and
peak memory, beside the floor the issue sets: reading and hashing the inbox alone. Not a test.

With --profile DIR each step also runs once more under cProfile (DIR/<step>.prof, the ingest
process) after the timed run, and the worker side is profiled in-process: `_read_in_worker` over the
first 300 inputs (DIR/worker.prof), which is what a reading process does per file, without the pipe.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import make_inputs  # noqa: E402
from bench_scale import hash_inputs, run  # noqa: E402


def profile_workers(inbox: Path, out: Path, count: int = 300) -> None:
    """What a reading process does per file, profiled in this process (no pipe, no fork)."""
    from generator import dedup, reading

    reading._context()
    dedup.preload()
    files = sorted(inbox.glob("*.txt"))[:count]
    prof = cProfile.Profile()
    t = time.process_time()
    prof.enable()
    for f in files:
        prepared = reading._prepare(f)
        list(reading._read_in_worker(f, prepared[1]))
    prof.disable()
    cpu = time.process_time() - t
    prof.dump_stats(out / "worker.prof")
    print(f"worker side, in-process: {cpu / len(files) * 1000:.2f} CPU-ms per file over {len(files)} files "
          f"(profiled: {out / 'worker.prof'})", flush=True)
    pstats.Stats(str(out / "worker.prof")).sort_stats("cumulative").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--cache", type=Path, default=None, help="private gazetteer cache folder (compiled once)")
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    ap.add_argument("--profile", type=Path, default=None, help="also write cProfile files here")
    ap.add_argument("--jobs", type=int, default=None, help="`archive ingest --jobs`")
    args = ap.parse_args()
    n = args.articles
    tmp = None
    if args.keep:
        project = args.keep.resolve()
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        project = Path(tmp.name)
    (project / "content").mkdir()
    inbox = project / "inbox"
    inbox.mkdir()
    make_inputs(inbox, n + 10)
    held = project / "held"
    held.mkdir()
    for p in sorted(inbox.glob("*.txt"))[n:]:
        p.rename(held / p.name)
    env = {**os.environ, "NEWS_ARCHIVE_READ_CACHE": str(project / ".read-cache"),
           "NEWS_ARCHIVE_CACHE": str(args.cache or project / ".archive-cache")}
    ingest = [sys.executable, "-m", "generator", "ingest", "inbox", "--quiet"]
    if args.jobs:
        ingest += ["--jobs", str(args.jobs)]
    print(f"{n:,} articles in {project}, load average {os.getloadavg()[0]:.2f}", flush=True)
    run("(not counted) load or compile the gazetteer",
        [sys.executable, "-c", "from generator.pipeline import _context; _context()"], project, env)
    floor = hash_inputs(inbox)
    prof_dir = args.profile.resolve() if args.profile else None
    if prof_dir:
        prof_dir.mkdir(parents=True, exist_ok=True)

    def profiled(tag: str, restore=None) -> None:
        """The step once more under cProfile (its state put back first), after the timed run."""
        if prof_dir is None:
            return
        if restore:
            restore()
        cmd = [sys.executable, "-m", "cProfile", "-o", str(prof_dir / f"{tag}.prof"), "-m", "generator",
               *ingest[3:]]
        run(f"  (profiled again: {tag}.prof)", cmd, project, env)

    state = ("content", ".read-cache")

    def snapshot(name: str) -> None:
        for part in state:
            if (project / part).exists():
                shutil.copytree(project / part, project / name / part, symlinks=True)

    def restore(name: str) -> None:
        for part in state:
            shutil.rmtree(project / part, ignore_errors=True)
            if (project / name / part).exists():
                shutil.copytree(project / name / part, project / part, symlinks=True)

    if prof_dir:
        snapshot("before-first")
    first = run("ingest (first run)", ingest, project, env)
    profiled("first", lambda: restore("before-first"))
    for p in sorted(held.glob("*.txt")):
        p.rename(inbox / p.name)
    if prof_dir:
        snapshot("before-add10")
    add = run("add 10: re-ingest the whole inbox", ingest, project, env)
    profiled("add10", lambda: restore("before-add10"))
    same = run("re-ingest, nothing changed", ingest, project, env)
    profiled("unchanged")
    if prof_dir:
        profile_workers(inbox, prof_dir)
    print()
    print(f"- first ingest: {first.wall:.1f} s wall, {first.cpu:.1f} CPU-s = {first.cpu / n * 1000:.2f} CPU-ms "
          f"per article, peak {first.peak_mb:.0f} MB")
    print(f"- unchanged re-ingest: {same.wall:.1f} s wall, {same.cpu:.1f} CPU-s "
          f"(hashing the inbox alone: {floor.cpu:.1f} CPU-s)")
    print(f"- add-10 re-ingest: {add.wall:.1f} s wall, {add.cpu:.1f} CPU-s")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
