"""A reader's first search on a cold page, many times, in a real browser: the time search.js reports
(from the query to the results shown) and the time from the start of navigation (the page,
meta.json, aliases.json and the query). One figure on a shared machine says little: this prints the
median and the range of N loads, each in a new browser context (nothing cached), alternating
between the sites given so that they share the machine's load. Not a test.

    nice .venv/bin/python benchmarks/bench_search.py --articles 10000 --keep /tmp/bs   # makes /tmp/bs/site
    nice .venv/bin/python benchmarks/bench_search_cold.py /tmp/bs/site [another/site ...] --runs 15

--latency 100 answers every request 100 ms late (in the server, so requests still overlap and the
browser's cache works as usual): a round trip more or less shows.

--typed-from / times the usual way in: a reader on the home page types the words into the header's
box and presses Enter (the site must then be a full build, e.g. the demo's site/ with the 10,000-article
search-index/ put in its place).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

# When search.js marks its search done (data-done), from navigation start: works with any version.
WATCH = """new MutationObserver((_, obs) => {
  const root = document.getElementById('archive-search');
  if (root && root.dataset.done) { window.__doneAt = performance.now(); obs.disconnect(); }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-done']});"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    latency = 0.0  # seconds before each answer

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        time.sleep(self.latency)
        super().do_GET()


def serve(folder: Path, latency: float = 0.0) -> str:
    handler = type("Late", (Quiet,), {"latency": latency})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sites", nargs="+", type=Path, help="built sites (search/ and search-index/ inside)")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--query", default="q=police&tag=Islamic+State", help="the search page's address query")
    ap.add_argument("--typed-from", metavar="PATH",
                    help="instead, open this page of each site (e.g. /), type the query's q into the header's box "
                         "(a key every 120 ms, as a reader types) and press Enter: from the search page's "
                         "navigation to its results (needs sites built with the theme)")
    ap.add_argument("--latency", type=float, default=0, help="milliseconds before each answer of the server")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args()
    bases = {site: serve(site, args.latency / 1000) for site in args.sites}
    own: dict[Path, list[float]] = {s: [] for s in args.sites}
    nav: dict[Path, list[float]] = {s: [] for s in args.sites}
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--headless", "--no-sandbox"])
        for _ in range(args.runs):
            for site, base in bases.items():
                context = browser.new_context()
                context.add_init_script(WATCH)
                page = context.new_page()
                if args.typed_from:
                    page.goto(base + args.typed_from)
                    page.click("header .archive-searchbox input")
                    page.keyboard.type(parse_qs(args.query)["q"][0], delay=120)
                    with page.expect_navigation():
                        page.keyboard.press("Enter")
                else:
                    page.goto(f"{base}/search/?{args.query}")
                page.wait_for_function("window.__doneAt !== undefined", timeout=60000)
                own[site].append(float(page.get_attribute("#archive-search", "data-ms")))
                nav[site].append(page.evaluate("window.__doneAt"))
                context.close()
        browser.close()
    how = f"typed into {args.typed_from}'s header box" if args.typed_from else "cold loads"
    how += f", {args.latency:.0f} ms latency" if args.latency else ""
    for site in args.sites:
        o, n = sorted(own[site]), sorted(nav[site])
        print(f"{site}: {args.runs} {how}; search.js's own time median {statistics.median(o):.0f} ms "
              f"({o[0]:.0f}-{o[-1]:.0f}); from navigation median {statistics.median(n):.0f} ms ({n[0]:.0f}-{n[-1]:.0f})")


if __name__ == "__main__":
    main()
