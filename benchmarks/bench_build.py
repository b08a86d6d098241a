"""Site build at archive scale: N synthetic articles (recombined from our own samples) ingested and
built with the real `archive build`. Prints seconds and peak memory; not a test.

    .venv/bin/python benchmarks/bench_build.py --articles 3000
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.readers.text import parse_scrape  # noqa: E402


def make_inputs(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    articles = [parse_scrape(p.read_text(encoding="utf-8"), str(p)) for p in sorted((ROOT / "samples").glob("*.txt"))]
    paragraphs = [b.text for a in articles for b in a.blocks if b.kind == "p"]
    titles = [a.title for a in articles]
    for i in range(n):
        title = f"{rng.choice(titles)} (report {i})"
        body = "\n\n".join(rng.sample(paragraphs, 5))
        dated = rng.random() < 0.8
        dateline = f"Published: {rng.randint(1, 28)} {rng.choice(['March', 'June', 'October'])} {rng.randint(2015, 2025)}\n\n" if dated else ""
        (folder / f"{i:05d}.txt").write_text(f"Skip to content\n\n{title}\n\n{dateline}{body}\n\nBack to top\n", encoding="utf-8")


def run(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=3000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "mkdocs.yml", project)
        shutil.copytree(ROOT / "theme_overrides", project / "theme_overrides")
        (project / "content").mkdir()
        for page in (ROOT / "content").glob("*.md"):
            shutil.copy(page, project / "content")
        inputs = project / "inputs"
        inputs.mkdir()
        make_inputs(inputs, args.articles)
        archive = [sys.executable, "-m", "generator"]
        t_ingest = run(archive + ["ingest", str(inputs), "--quiet"], project)
        t_build = run(archive + ["build"], project)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = sum(1 for _ in (project / "site").rglob("index.html"))
        print(f"articles: {args.articles}")
        print(f"ingest: {t_ingest:.1f} s ({args.articles / t_ingest:.0f} articles/s)")
        print(f"build: {t_build:.1f} s for {pages} HTML pages")
        print(f"peak RSS of the largest child: {peak:.0f} MB")


if __name__ == "__main__":
    main()
