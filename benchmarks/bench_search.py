"""Search at archive scale: bytes a reader downloads and time to results, in a real browser.

Builds the search index (the same generator/search code `archive build` runs) for N synthetic
articles whose text is recombined from the real news texts in ../shared/eval (read at run time),
with tags, places, sources and dates drawn at random; serves it on 127.0.0.1 with a page holding
the real search form and search.js; drives Debian's Chromium and prints, per query, the bytes
fetched from the index and the milliseconds search.js reports. Not a test.

    nice .venv/bin/python benchmarks/bench_search.py --articles 10000
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.enrich.tags import default_vocabulary  # noqa: E402
from generator.mkdocs_plugin.index import Record, location_tree, newest_first, tag_index  # noqa: E402
from generator.model import Place  # noqa: E402
from generator.search import site as search_site  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
SOURCES = [f"Source {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + [f"Wire {i}" for i in range(40)]


def sentences() -> list[str]:
    out = []
    for name in ("geoparsing_lgl.jsonl.gz", "geoparsing_geowebnews.jsonl.gz"):
        with gzip.open(EVAL / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                out.extend(s.strip() + "." for s in text.replace("\n", " ").split(". ") if len(s.split()) > 5)
    return out


def places(rng: random.Random) -> list[Place]:
    out = []
    for c in range(120):
        country = f"Country{c}"
        out.append(Place(name=country, country=country, kind="country", lat=rng.uniform(-50, 60), lon=rng.uniform(-150, 150)))
        for r in range(rng.randint(1, 6)):
            region = f"Region{c}-{r}"
            out.append(Place(name=region, country=country, kind="region"))
            for p in range(rng.randint(0, 12)):
                out.append(Place(name=f"Town{c}-{r}-{p}", country=country, region=region, kind="place",
                                 lat=rng.uniform(-50, 60), lon=rng.uniform(-150, 150)))
    return out


def make_records(n: int, seed: int = 7) -> list[Record]:
    rng = random.Random(seed)
    sents = sentences()
    tags = list(default_vocabulary().terms)
    pool = places(rng)
    zipf = [1 / (i + 1) for i in range(len(pool))]
    tag_w = [1 / (i + 1) for i in range(len(tags))]
    out = []
    for i in range(n):
        body = " ".join(rng.sample(sents, rng.randint(8, 30)))
        first = body.split(". ")[0]
        title = " ".join(first.split()[:10]) + f" ({i})"
        d = date(rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.9 else None
        out.append(Record(src_uri=f"articles/{i:06d}.md", title=title, date=d, summary=first[:200],
                          source=rng.choice(SOURCES), url=f"https://example.org/{i}",
                          tags=list(dict.fromkeys(rng.choices(tags, tag_w, k=rng.randint(0, 4)))),
                          places=list({p.name: p for p in rng.choices(pool, zipf, k=rng.randint(0, 4))}.values()),
                          body=body))
    return out


def page(site: Path) -> None:
    (site / "assets").mkdir(parents=True)
    shutil.copy(ROOT / "theme_overrides" / "assets" / "search.js", site / "assets" / "search.js")
    (site / "search").mkdir()
    (site / "search" / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>search</title>"
        + search_site.form_html("../", "../search-index/") + '<script src="../assets/search.js"></script>',
        encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    ap.add_argument("--keep", type=Path, help="build the site here and keep it; if it is there, measure it again")
    args = ap.parse_args()
    records = make_records(args.articles)
    phrase_rec = records[len(records) // 3]
    phrase = " ".join(phrase_rec.body.split(". ")[2].split()[2:6])
    with tempfile.TemporaryDirectory() as tmp:
        site = (args.keep or Path(tmp)) / "site"
        if not (site / "search-index" / "meta.json").exists():
            t = time.perf_counter()
            recs = newest_first(records)
            sizes = search_site.write_index(
                records, {r.src_uri: r.src_uri[:-3] + "/" for r in records}, tag_index(recs),
                {name: term.aliases for name, term in default_vocabulary().terms.items()}, location_tree(recs),
                lambda uri: uri[:-3] + "/", lambda name: f"tags/{name}.md", lambda node: f"locations/{node.slug}.md",
                site / "search-index")
            secs = time.perf_counter() - t
            files = sum(1 for _ in (site / "search-index").rglob("*.json"))
            total = sum(p.stat().st_size for p in (site / "search-index").rglob("*.json"))
            print(f"{args.articles} articles: index built in {secs:.1f} s, peak RSS "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, {files} files, "
                  f"{total / 1e6:.1f} MB, {sizes['shards']} shards, meta.json {sizes['meta_bytes'] / 1024:.1f} KB")
        shutil.rmtree(site / "assets", ignore_errors=True)
        shutil.rmtree(site / "search", ignore_errors=True)
        page(site)
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a, **k: None
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        meta = json.loads((site / "search-index" / "meta.json").read_text(encoding="utf-8"))
        top_tag = max(meta["facets"]["tag"], key=lambda v: v[1])[0]
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox"])
            pg = browser.new_page()
            got: list[tuple[str, int, int]] = []

            def on_response(resp):
                if "/search-index/" in resp.url:
                    body = resp.body()
                    got.append((resp.url, len(body), len(gzip.compress(body))))

            pg.on("response", on_response)
            done = 0

            def measure(label: str, action, expect: str = "") -> None:
                nonlocal done
                got.clear()
                action()
                done += 1
                pg.wait_for_selector(f"#archive-search[data-done='{done}']", timeout=60000)
                ms = f'{pg.get_attribute("#archive-search", "data-ms"):>4} ms'
                if done == 1:  # from navigation: the page's own load, meta.json and aliases.json included
                    ms += f" ({pg.get_attribute('#archive-search', 'data-at')} ms from navigation)"
                count = pg.inner_text(".archive-search__count")
                titles = pg.locator(".archive-search__results li a").all_inner_texts()
                first = titles[0] if titles else "-"
                if expect:
                    first = f"{expect[:30]!r} at rank {titles.index(expect) + 1 if expect in titles else 'not in top 10'}"
                print(f"{label:48} {sum(g[1] for g in got) / 1024:7.1f} KB ({sum(g[2] for g in got) / 1024:6.1f} KB gzip)"
                      f" in {len(got):2} files, {ms}; {count}; first: {first[:50]}")

            measure(f"first query 'police' + tag={top_tag}",
                    lambda: pg.goto(base + "/search/?q=police&tag=" + top_tag.replace(" ", "+")))

            def ask(q: str):
                return lambda: (pg.fill("input[name=q]", q), pg.press("input[name=q]", "Enter"))

            measure("further: 'court'", ask("court"))
            measure("further: 'city council meeting'", ask("city council meeting"))
            measure("further: tag filter cleared", lambda: pg.select_option("select[name=tag]", ""))
            measure(f"further: phrase '{phrase}'", ask(phrase), phrase_rec.title)
            print(f"    ({sum(phrase in r.body for r in records)} synthetic articles contain this phrase: the text is recombined)")
            measure("further: 'police'", ask("police"))
            measure("further: alias 'Daesh' (read as the tag Islamic State too)", ask("Daesh"))
            measure("further: filter year=2019", lambda: pg.select_option("select[name=year]", "2019"))
            measure("further: sort newest", lambda: pg.select_option("select[name=sort]", "newest"))
            measure("further: 'government said on tuesday'", ask("government said on tuesday"))
            browser.close()
        httpd.shutdown()


if __name__ == "__main__":
    main()
