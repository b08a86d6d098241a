"""Benchmark (not a test): tagging + geoparsing throughput on a ~5 KB article, gazetteer load time, memory.

    .venv/bin/python benchmarks/bench_places.py [--seconds 5] [--profile N] [--reuse] [--step] [--texts F.jsonl.gz]

The article is the seed article repeated to ~5 KB (or any text file given with --file); with --texts, the
real articles of those files in turn (the seed is pure ASCII and one article: real news has curly quotes,
accents and other lengths). Prints JSON.
Run it once before to have the compiled gazetteer cached; the first build takes about half a minute.
`--profile N` prints a cProfile of N articles (by own time) instead of timing them: where the time goes.
Each article is a new text object, as in a build: the normalised text and the automaton's scan shared
by tags and places are remembered for the last text object, so `--reuse` (the same object every time,
as this benchmark ran before) makes both once and times neither: its figure flatters and is kept only
to compare with earlier runs. `--step` times what the
enrich step runs per article: tags, the language check, places and metonyms. The tagger and the gazetteer
are linked as the enrich step's Context links them (one scan of each text for both, when it can).
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = ROOT.parent / "shared" / "seeds" / "000_815d620d0f45be36.txt"

FALLBACK = ("Fighting resumed near Mosul in Nineveh on Tuesday as Iraqi forces pushed toward Tal Afar, while "
            "the SDF said Islamic State cells were active around Deir ez-Zor and Raqqa in Syria. In Tripoli, "
            "Libya, officials met envoys from Washington and Paris. Aid reached Kirkuk and Erbil in Iraqi Kurdistan.\n")


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, default=None)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="print a cProfile of N articles")
    ap.add_argument("--top", type=int, default=30, help="with --profile: how many functions to print")
    ap.add_argument("--fresh", action="store_true", help="(the default) a new text object per article, as in a build")
    ap.add_argument("--reuse", action="store_true",
                    help="the same text object every time: normalising and scanning happen once (flatters)")
    ap.add_argument("--step", action="store_true", help="the whole enrich step: tags, language, places, metonyms")
    ap.add_argument("--texts", type=Path, action="append", default=[], metavar="JSONL",
                    help="real articles instead of one: the 'text' of each line of a .jsonl(.gz) file, "
                         "taken in turn (repeatable; e.g. ../shared/eval/geoparsing_*.jsonl.gz)")
    args = ap.parse_args()
    src = args.file or (SEED if SEED.exists() else None)
    base = src.read_text(encoding="utf-8") if src else FALLBACK
    text = base
    while len(text.encode("utf-8")) < 5000:
        text += "\n\n" + base
    text = text.encode("utf-8")[:5120].decode("utf-8", "ignore")
    texts = [text]
    if args.texts:
        texts = [json.loads(line)["text"] for f in args.texts
                 for line in (gzip.open(f, "rt", encoding="utf-8") if f.suffix == ".gz" else f.open(encoding="utf-8"))
                 if line.strip()]
    turn = [0]

    rss0 = rss_mb()
    from generator.enrich.tags import default_vocabulary
    from generator.gazetteer import GeoNamesGazetteer
    from generator.gazetteer.build import compiled_path, load_compiled

    load_compiled()  # make sure the cache exists (the build is not what we time)
    t = time.perf_counter()
    gaz = GeoNamesGazetteer.load()
    load_s = time.perf_counter() - t
    vocab = default_vocabulary()
    from generator.enrich import Context

    # as the enrich step: its Context lets the tagger share the gazetteer's scan of each text when it can
    shared = getattr(Context(vocabulary=vocab, gazetteer=gaz).vocabulary._matcher, "_shared", None) is not None
    rss1 = rss_mb()

    from generator.enrich.language import looks_english

    fresh, step = not args.reuse, args.step

    def one() -> int:
        text = texts[turn[0] % len(texts)]
        turn[0] += 1
        t = "".join((text[:1], text[1:])) if fresh else text  # equal text, another object
        tags = vocab.find(t)
        if step:
            found = gaz.find(t, exclude=[(m.start, m.end) for m in tags], major_only=not looks_english(t))
            gaz.metonyms(t, found)
            return len(found)
        return len(gaz.find(t, exclude=[(m.start, m.end) for m in tags]))

    # every text once before timing: what a process loads on its first use (the airport table, ~0.4 s, on
    # the first text naming an airport) is paid once per build, not per article, and had landed in the
    # timed loop of a --texts run (on a busy machine half its CPU-seconds: 500 to 1,300 a second)
    c = time.process_time()
    for _ in range(len(texts)):
        one()
    warm_cpu = time.process_time() - c
    if args.profile:
        profile(one, args.profile, args.top)
        return 0
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < args.seconds:
        one()
        n += 1
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({
        "articles_given": len(texts),
        "article_bytes": round(sum(len(t.encode("utf-8")) for t in texts) / len(texts)),  # the mean
        "fresh": fresh,
        "step": step,
        "shared_scan": shared,
        "articles_per_second": round(n / elapsed, 1),
        "articles_per_cpu_second": round(n / cpu, 1),  # per core, whatever else the machine is doing
        "ms_per_article": round(1000 * elapsed / n, 3),
        "warm_up_cpu_seconds": round(warm_cpu, 3),  # the first pass over the texts (not in the figures above)
        "gazetteer_load_seconds": round(load_s, 3),
        "resident_mb_after_load": round(rss1, 1),
        "resident_mb_before_load": round(rss0, 1),
        "resident_mb_end": round(rss_mb(), 1),
        "compiled_file": str(compiled_path()),
        "compiled_file_mb": round(compiled_path().stat().st_size / 1e6, 1),
        "names": len(gaz._names),
        "places": len(gaz._pname),
    }, indent=2))
    return 0


def profile(one, n: int, top: int) -> None:
    """A cProfile of n calls of `one`, the functions by their own time: what to make faster."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        one()
    prof.disable()
    print(f"cProfile of {n} articles")
    pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    raise SystemExit(main())
