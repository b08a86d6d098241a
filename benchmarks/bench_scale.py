"""Scale benchmark (issue 12): a deterministic synthetic archive of N articles, ingested and built
with the real `archive` commands, then updated the ways a daily run updates it. Not a test: it
prints figures and writes BENCHMARKS.md (with the machine it ran on).

    nice .venv/bin/python benchmarks/bench_scale.py --articles 10000 [--out BENCHMARKS.md]

Every step runs as its own process tree; for each it reports wall seconds, CPU seconds (user +
system of the whole tree) and peak memory (the sum of the tree's resident sets, sampled from /proc
every 0.1 s). Beside our build it times, in the same run, a bare `mkdocs build` of the same article
pages (Material, search plugin only, out of the navigation) and, when `hugo` is installed, Hugo on
the same pages with tags and locations taxonomies, so every figure has a ratio measured here.

The corpus: scrapes recombined from samples/ (bench_build.make_inputs), so tags and places are the
ones the generator itself gives them when it ingests them.
"""
from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import make_inputs  # noqa: E402


@dataclass
class Step:
    name: str
    wall: float
    cpu: float
    peak_mb: float


def _tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, from /proc (kB)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read().rsplit(b")", 1)[1].split()
            pid = int(entry.name)
            parent[pid] = int(stat[1])
            rss[pid] = int(stat[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, IndexError, ValueError):
            continue
    total, todo, seen = 0, [root], set()
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run(name: str, cmd: list[str], cwd: Path, env: dict | None = None) -> Step:
    """Run one step; wall, CPU of the whole tree (getrusage children delta), peak tree RSS.

    A step that fails stops the benchmark: a build that aborts in a second must not be reported as
    a fast one. Only ingest may exit 1 (some inputs rejected, each in the rejects report)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    allowed = (0, 1) if "ingest" in cmd else (0,)
    if proc.returncode not in allowed:
        sys.exit(f"{name}: {' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    step = Step(name, wall, cpu, peak / 1024)
    print(f"{name:<46} {wall:7.1f} s wall {cpu:7.1f} CPU-s {step.peak_mb:6.0f} MB", flush=True)
    return step


def folder_bytes(folder: Path) -> tuple[int, int, int]:
    """(total bytes, number of HTML pages, largest HTML page in bytes)."""
    total = pages = largest = 0
    for p in folder.rglob("*"):
        if p.is_file():
            size = p.stat().st_size
            total += size
            if p.suffix == ".html":
                pages += 1
                largest = max(largest, size)
    return total, pages, largest


def first_query_bytes(site: Path) -> tuple[int, int, str]:
    """Bytes (raw, gzip) of the search data a visitor downloads before the first result of a
    one-word query, read from the built site: with Material's search the one index file; with the
    archive's sharded index (search-index/, generator/search/build.py) meta.json, the largest word
    shard (s/) and the largest chunk of result rows (d/): the worst case of one query."""
    material = site / "search" / "search_index.json"
    folder = site / "search-index"
    if material.exists():
        chosen = [material]
    elif (folder / "meta.json").exists():
        chosen = [folder / "meta.json"]
        for sub in ("s", "d"):
            files = [p for p in (folder / sub).glob("*.json") if p.is_file()]
            if files:
                chosen.append(max(files, key=lambda p: p.stat().st_size))
    else:
        return 0, 0, "no search index"
    raw = sum(p.stat().st_size for p in chosen)
    gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in chosen)
    return raw, gz, ", ".join(str(p.relative_to(site)) for p in chosen)


BARE_CONFIG = """site_name: Bare
docs_dir: content
site_dir: site-bare
use_directory_urls: true
theme:
  name: material
  font: false
not_in_nav: |
  /articles/
plugins:
  - search
markdown_extensions:
  - attr_list
  - md_in_html
"""

HUGO_CONFIG = """baseURL = "/"
title = "Hugo"
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]
[taxonomies]
  tag = "tags"
  location = "locations"
[markup.goldmark.renderer]
  unsafe = false
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html><head><title>{{ .Title }}</title></head>"
                            "<body>{{ block \"main\" . }}{{ end }}</body></html>",
    "_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format \"2 January 2006\" }}</p>"
                            "<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>{{ .Content }}{{ end }}",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}"
                          "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2006-01-02\" }}"
                          " {{ .Summary }}</li>{{ end }}</ul>{{ end }}",
    "_default/terms.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}"
                           "<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> {{ .Count }}</li>"
                           "{{ end }}</ul>{{ end }}",
}


def hugo_project(project: Path) -> Path:
    """The same article pages as a Hugo site (front matter as written; Hugo reads YAML)."""
    site = project / "hugo"
    (site / "content").mkdir(parents=True)
    shutil.copytree(project / "content" / "articles", site / "content" / "articles")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        (site / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / rel).write_text(text, encoding="utf-8")
    return site


def compile_package(project: Path, env: dict) -> Step:
    """Byte-compile the generator package the steps import (not counted), as installing it does: with
    PYTHONDONTWRITEBYTECODE set (this machine's agent shells set it) no step writes its bytecode, so
    every `archive` process compiled each of its modules from source again, work no installed archive
    does: importing the 74 modules of the package an add-10 rebuild loads took 0.50-0.55 CPU-s from
    source and 0.37-0.47 with bytecode (five alternated runs each), and a daily update runs three such
    processes (the ingest, its reading worker, the build). `compileall` writes the bytecode whatever
    that variable says; Python reads it back either way. Run with the steps' environment, so it is the
    package their PYTHONPATH finds that is compiled."""
    return run("(not counted) byte-compile the generator", [sys.executable, "-c",
               "import compileall, os, generator; compileall.compile_dir(os.path.dirname(generator.__file__), quiet=1)"],
               project, env)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores ({cpu}), "
            f"{mem:.0f} GB RAM, load average at start {load[0]:.2f}")


def edit_tags(content: Path) -> Path:
    """Add a tag to the first article page, as an editor would (one line of its front matter)."""
    page = sorted((content / "articles").rglob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"^tags:\n", "tags:\n- Benchmark edit\n", text, count=1, flags=re.M)
    if "Benchmark edit" not in text:
        text = text.replace("---\n", "---\ntags:\n- Benchmark edit\n", 1)
    page.write_text(text, encoding="utf-8")
    return page


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--out", type=Path, default=None, help="write the results here (e.g. BENCHMARKS.md)")
    ap.add_argument("--label", default="", help="a word for the results heading (e.g. 'before')")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare MkDocs build")
    ap.add_argument("--no-hugo", action="store_true", help="skip Hugo even when installed")
    ap.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    ap.add_argument("--clean-only", action="store_true",
                    help="only the first ingest and the clean build (with peak memory and the largest page): "
                         "for 100,000 articles")
    ap.add_argument("--ingest-only", action="store_true",
                    help="only the ingest steps (first run, re-ingest after adding 10, re-ingest with nothing "
                         "changed): no build, so ingest can be measured alone")
    ap.add_argument("--cache", type=Path, default=None,
                    help="the gazetteer cache folder (default: one inside the project). A private one: on a "
                         "shared machine another checkout's version of the gazetteer replaces ours in "
                         "~/.cache/news-archive, and an ingest step would then time its 30 s compile")
    ap.add_argument("--source-only", action="store_true",
                    help="leave the generator's bytecode as it is (see compile_package): with "
                         "PYTHONDONTWRITEBYTECODE set, every step then compiles the modules it imports")
    args = ap.parse_args()
    n = args.articles
    tmp = None
    if args.keep:
        project = args.keep
        if project.exists():
            shutil.rmtree(project)
        project.mkdir(parents=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        project = Path(tmp.name)
    start_machine = machine()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "theme_overrides", project / "theme_overrides")
    (project / "content").mkdir()
    for page in (ROOT / "content").glob("*.md"):
        shutil.copy(page, project / "content")
    inbox = project / "inbox"
    inbox.mkdir()
    make_inputs(inbox, n + 10)
    extra = sorted(inbox.glob("*.txt"))[n:]  # the daily update: held back from the first ingest
    held = project / "held"
    held.mkdir()
    for p in extra:
        p.rename(held / p.name)
    env = {**os.environ, "NEWS_ARCHIVE_READ_CACHE": str(project / ".read-cache"),
           "NEWS_ARCHIVE_CACHE": str(args.cache or project / ".archive-cache")}
    archive = [sys.executable, "-m", "generator"]
    ingest = archive + ["ingest", "inbox", "--quiet"]
    print(f"{n:,} articles in {project}\n{start_machine}", flush=True)
    if not args.source_only:
        compile_package(project, env)
    # Not counted: compiling the gazetteer happens once per machine and version, not per ingest.
    run("(not counted) load or compile the gazetteer", [sys.executable, "-c",
        "from generator.pipeline import _context; _context()"], project, env)
    hashing = hash_inputs(inbox)

    if args.ingest_only:
        report = ingest_only(args, n, project, ingest, env, held, inbox, start_machine, hashing)
        return publish(args, n, "ingest only", report, tmp)
    steps = [run("ingest (first run)", ingest, project, env),
             run("build (clean)", archive + ["build"], project, env)]
    size, pages, largest = folder_bytes(project / "site")
    q_raw, q_gz, q_files = first_query_bytes(project / "site")
    if args.clean_only:
        report = results(args, n, steps, None, None, size, pages, largest, q_raw, q_gz, q_files, start_machine,
                         _version(), hashing)
        return publish(args, n, "clean build only", report, tmp)
    for p in sorted(held.glob("*.txt")):
        p.rename(inbox / p.name)
    steps.append(run("add 10: re-ingest the whole inbox", ingest, project, env))
    steps.append(run("add 10: rebuild", archive + ["build"], project, env))
    steps.append(run("re-ingest, nothing changed", ingest, project, env))
    edit_tags(project / "content")
    steps.append(run("rebuild after editing one page's tags", archive + ["build"], project, env))
    steps.append(run("rebuild, nothing changed", archive + ["build"], project, env))
    bare = hugo = None
    if not args.no_bare:
        (project / "mkdocs-bare.yml").write_text(BARE_CONFIG, encoding="utf-8")
        bare = run("bare mkdocs build (same pages, search only)",
                   [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs-bare.yml"], project, env)
    if not args.no_hugo and shutil.which("hugo"):
        site = hugo_project(project)
        hugo = run("hugo (same pages, tags + locations)", ["hugo", "--quiet", "-s", str(site)], project, env)
    report = results(args, n, steps, bare, hugo, size, pages, largest, q_raw, q_gz, q_files, start_machine,
                     _version(), hashing)
    print(report)
    if args.out:
        write_report(args.out, n, args.label, report)
    if tmp:
        tmp.cleanup()


def publish(args, n: int, label: str, report: str, tmp) -> None:
    """Print a partial run's report, write it to --out (headed by --label, else `label`), clean up."""
    print(report)
    if args.out:
        write_report(args.out, n, args.label or label, report)
    if tmp:
        tmp.cleanup()


def ingest_only(args, n: int, project: Path, ingest: list[str], env: dict, held: Path, inbox: Path,
                start_machine: str, hashing: Step) -> str:
    """The three ingest steps of a daily run, without building: first ingest, re-ingest after adding
    10 articles, re-ingest with nothing changed (what `--ingest-only` measures)."""
    steps = [run("ingest (first run)", ingest, project, env)]
    for p in sorted(held.glob("*.txt")):
        p.rename(inbox / p.name)
    steps.append(run("add 10: re-ingest the whole inbox", ingest, project, env))
    steps.append(run("re-ingest, nothing changed", ingest, project, env))
    first = steps[0]
    lines = [f"Command: `nice .venv/bin/python benchmarks/bench_scale.py --articles {n} --ingest-only`"
             + (f" (label {args.label})" if args.label else "") + f", commit {_version()}.",
             f"Machine: {start_machine}.", "",
             "| step | wall s | CPU s | peak MB (process tree) |", "|---|---:|---:|---:|"]
    lines += [f"| {s.name} | {s.wall:.1f} | {s.cpu:.1f} | {s.peak_mb:.0f} |" for s in steps]
    lines += [f"| {hashing.name} | {hashing.wall:.1f} | {hashing.cpu:.1f} | |", "",
              f"- ingest throughput: {n / first.wall:.0f} articles/s wall ({first.cpu / n * 1000:.1f} CPU-ms per article)"]
    return "\n".join(lines) + "\n"


def _version() -> str:
    """The commit measured: ROOT's git HEAD, else $BENCH_COMMIT (a frozen copy made by `git archive`)."""
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else os.environ.get("BENCH_COMMIT", "unknown")


def hash_inputs(inbox: Path) -> Step:
    """The floor for re-ingesting an unchanged inbox: list it, read every file and hash it (SHA-256)."""
    import hashlib

    before = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    for p in sorted(inbox.rglob("*")):
        if p.is_file():
            hashlib.sha256(p.read_bytes()).digest()
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    step = Step("hashing the inbox alone (in the benchmark process)", wall, cpu, 0)
    print(f"{step.name:<46} {wall:7.1f} s wall {cpu:7.1f} CPU-s", flush=True)
    return step


def results(args, n: int, steps: list[Step], bare: Step | None, hugo: Step | None, size: int, pages: int,
            largest: int, q_raw: int, q_gz: int, q_files: str, start_machine: str, version: str,
            hashing: Step | None = None) -> str:
    by = {s.name: s for s in steps}
    ingest, build = by["ingest (first run)"], by["build (clean)"]
    adding = [by[k] for k in ("add 10: re-ingest the whole inbox", "add 10: rebuild") if k in by]
    add = sum(s.wall for s in adding)
    lines = [f"Command: `nice .venv/bin/python benchmarks/bench_scale.py --articles {n}"
             + (" --clean-only" if args.clean_only else "") + (" --source-only" if args.source_only else "") + "`"
             + (f" (label {args.label})" if args.label else "") + f", commit {version}.",
             f"Machine: {start_machine}.", "",
             "| step | wall s | CPU s | peak MB (process tree) |", "|---|---:|---:|---:|"]
    for s in steps + [x for x in (bare, hugo) if x]:
        lines.append(f"| {s.name} | {s.wall:.1f} | {s.cpu:.1f} | {s.peak_mb:.0f} |")
    if hashing:
        lines.append(f"| {hashing.name} | {hashing.wall:.1f} | {hashing.cpu:.1f} | |")
    lines += ["",
              f"- ingest throughput: {n / ingest.wall:.0f} articles/s wall ({ingest.cpu / n * 1000:.1f} CPU-ms per article)",
              f"- ingest + clean build: {ingest.wall + build.wall:.1f} s wall, {ingest.cpu + build.cpu:.1f} CPU-s "
              "(target ≤ 34 s wall at 10,000)"]
    if adding:
        lines.append(f"- adding 10 articles (re-ingest + rebuild): {add:.1f} s wall, "
                     f"{sum(s.cpu for s in adding):.1f} CPU-s (target ≤ 6 s)")
    lines += [f"- peak memory: ingest {ingest.peak_mb:.0f} MB, clean build {build.peak_mb:.0f} MB (process trees)",
              f"- site: {size / 2**20:.0f} MB, {pages:,} HTML pages, largest page {largest / 1024:.0f} KB "
              "(target ≤ 200 KB)",
              f"- search data before the first result: {q_raw / 1024:.0f} KB ({q_gz / 1024:.0f} KB gzip): {q_files}"]
    if bare:
        lines.append(f"- clean build / bare mkdocs build: {build.wall / bare.wall:.2f}× wall, "
                     f"{build.cpu / bare.cpu:.2f}× CPU (bare MkDocs renders the article pages only)")
    if hugo:
        lines.append(f"- clean build / Hugo: {build.wall / hugo.wall:.1f}× wall")
    elif not args.no_hugo and not args.clean_only:
        lines.append("- Hugo: not installed, not measured")
    return "\n".join(lines) + "\n"


def write_report(path: Path, n: int, label: str, report: str) -> None:
    """BENCHMARKS.md keeps one section per (size, label): a new run replaces its own section only."""
    heading = f"## {n:,} articles" + (f" ({label})" if label else "")
    text = path.read_text(encoding="utf-8") if path.exists() else (
        "# Benchmarks\n\nWritten by `benchmarks/bench_scale.py` (issue 12); each section is one run.\n")
    sections = re.split(r"(?m)^(?=## )", text)
    kept = [s for s in sections if not s.startswith(heading + "\n")]
    path.write_text("".join(kept).rstrip("\n") + "\n\n" + heading + "\n\n" + report, encoding="utf-8")


if __name__ == "__main__":
    main()
