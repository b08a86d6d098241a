"""Where a first ingest's CPU goes, step by step (not a test): N scrapes read in one process with a
reading worker's steps timed one by one (after the same set-up as the ingest's `_before_fork`),
then the articles written by a PageStore into a fresh content folder, as the ingest process does.

    PYTHONPATH=<tree> NEWS_ARCHIVE_CACHE=<gazetteer cache> nice python benchmarks/bench_ingest_steps.py INBOX [N]

Prints CPU microseconds per article for each worker step and user/system time per page for the
writing side. Entries go to a private temporary read cache; nothing is kept.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inbox", type=Path)
    ap.add_argument("n", type=int, nargs="?", default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ingest-steps-") as tmp:
        os.environ["NEWS_ARCHIVE_READ_CACHE"] = str(Path(tmp) / "read-cache")
        run(args.inbox, args.n, Path(tmp))


def run(inbox: Path, n: int, tmp: Path) -> None:
    from multiprocessing.reduction import ForkingPickler

    from generator import dedup, readcache, reading
    from generator.model import bound_fields
    from generator.textutil import decode_noting
    from generator.writers.ledger import Ledger
    from generator.writers.markdown import PageStore

    files = sorted(inbox.glob("*.txt"), key=lambda p: (len(p.stem), p.stem))[:n]
    reading._before_fork()
    ctx = reading._context()
    reading._LISTINGS = {}  # as inside read_all: one listing per folder for sidecars
    from generator.enrich import enrich
    from generator.readers import choose, lost_text

    spent: dict[str, float] = {}

    def timed(label: str, f, *a):
        start = time.process_time()
        out = f(*a)
        spent[label] = spent.get(label, 0.0) + time.process_time() - start
        return out

    entries = tmp / "entries"
    entries.mkdir()
    articles = []
    for i, path in enumerate(files):
        data = timed("read and hash the file (_prepare)", reading._prepare, path)[0]
        text, _ = timed("decode", decode_noting, data)
        reader = choose(text, path.name)
        item = timed("text reader", lambda: next(iter(reader.read(text, f"inbox/{path.name}"))))
        item = timed("tags, places, language (enrich)", enrich, bound_fields(item), ctx)
        timed("lost-text check", lost_text, reader.name, text, item)
        item.signature = timed("MinHash", dedup.signature, item.body_text)
        raw = timed("read-cache entry: JSON", readcache.to_json, [item])
        packed = timed("read-cache entry: zlib", zlib.compress, raw, 1)
        timed("read-cache entry: create and write its file", (entries / f"{i}.json.z").write_bytes, packed)
        timed("pickle for the pipe", ForkingPickler.dumps, ("item", i, item))
        articles.append(item)
    total = sum(spent.values())
    stored = sum(v for k, v in spent.items() if k.startswith("read-cache entry"))
    print(f"worker steps, {len(files)} scrapes: {total / len(files) * 1000:.2f} CPU-ms an article; "
          f"{(total - stored) / len(files) * 1000:.2f} without the read-cache entry, which a first ingest's "
          f"workers do not store (only the files the ingest process hashed: a daily update's, the first "
          f"FEW_FILES + 1 of a first ingest)")
    for label, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {label:46s} {s / len(files) * 1e6:7.0f} us  {100 * s / total:5.1f} %")

    content = tmp / "content"
    (content / "articles").mkdir(parents=True)
    before = resource.getrusage(resource.RUSAGE_SELF)
    store = PageStore.open(content, Ledger.open(content / ".archive"))
    for i, item in enumerate(articles):
        store.remember(item.origin, f"key{i}", [item], [store.write(item)])
    store.save_ledger()
    after = resource.getrusage(resource.RUSAGE_SELF)
    per = 1e6 / max(1, len(articles))
    print(f"writing side (PageStore.write + remember + save), {len(articles)} pages: "
          f"user {(after.ru_utime - before.ru_utime) * per:.0f} us, system {(after.ru_stime - before.ru_stime) * per:.0f} us a page")


if __name__ == "__main__":
    main()
