"""What a new user's afternoon with the archive found (round 32): each test failed before its fix.
Browser fixtures come from test_browser.py (same server, same browser, same request check)."""
# ruff: noqa: F811 (the fixtures imported from test_browser.py are test arguments here)
from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import frontmatter
import pytest

from generator.cli import parser
from generator.readers.text import parse_scrape

from .conftest import ROOT, copy_project, run_archive
from .sample_site import make_project

from .test_browser import after, browser, map_settled, page, phone, project, serve, server  # noqa: F401

FEED_LINK = re.compile(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"')


def test_pages_with_a_feed_fetch_no_sitemap_and_keep_their_feed_links(page, server):
    """Material's language switcher fetched sitemap.xml beside every <link rel=alternate>: beside the
    archive's feed that was the whole sitemap on every page load (about 100 bytes an article: a
    megabyte at 10,000), and beside a tag's or country's feed a 404 in the console. The feed links
    must stay, in the page's source (for feed readers) and in its DOM after load, in their order."""
    for path in ("/", "/tags/islamic-state/", "/locations/iraq/"):
        responses: list[tuple[int, str]] = []

        def seen(r, responses=responses) -> None:
            responses.append((r.status, r.url))
        page.on("response", seen)
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        page.remove_listener("response", seen)
        source = page.request.get(server + path).text()
        assert FEED_LINK.findall(source), path  # announced in the page's source, for feed readers
        live = page.eval_on_selector_all("link[rel=alternate][type='application/rss+xml']",
                                         "links => links.map(l => l.getAttribute('href'))")
        assert live == FEED_LINK.findall(source), path
        assert [u for _, u in responses if urlparse(u).path.endswith("sitemap.xml")] == [], path
        assert [(s, u) for s, u in responses if s >= 400] == [], path


PAGE = """Harbour desk | World | Opinion

Patrol boats seized in the northern bay

Coastal police said on Tuesday they had seized two patrol boats used to move fuel across the bay.

The boats were stopped at dawn near the old harbour wall, officers said, and their crews were questioned.

A spokesman said the inquiry would look at who paid for the fuel and where it was sold.

Back to top

{footer}
"""


@pytest.mark.parametrize("footer", ["© Copyright 2021, The Lagoon Ledger | Terms of Use | Privacy",
                                    "Copyright © 2021 The Lagoon Ledger. Limited",
                                    "© Copyright The Lagoon Ledger 2021"])
def test_a_copyright_line_with_two_marks_gives_the_bare_site_name(footer):
    """'© Copyright 2019, The X' was published as the source 'Copyright , The X', 'Copyright © 2019 X'
    as '© X': the source shown under every listing and offered by the search's source filter."""
    article = parse_scrape(PAGE.format(footer=footer), "dump.txt")
    assert article.source == "The Lagoon Ledger"


def test_every_option_and_argument_of_every_command_says_what_it_is():
    """`archive build --help` showed `--config CONFIG` and `archive serve --help` `--addr ADDR` with no
    word on what they take or their default; `archive ingest --help` listed `paths` bare."""
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    bare = [f"archive {name} {action.dest}" for name, sub in commands.choices.items()
            for action in sub._actions if not action.help and not isinstance(action, argparse._HelpAction)]
    assert bare == []


def test_serve_says_where_the_site_is_served(tmp_path):
    """`archive serve` printed nothing at all while it served: no address to open, no sign it was up."""
    project = make_project(tmp_path / "project")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--addr", f"127.0.0.1:{port}"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines: list[str] = []
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{_wait_for(port)}/", timeout=300) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        lines = proc.communicate(timeout=30)[0].splitlines()
    assert [line for line in lines if line.endswith(f"Serving on http://127.0.0.1:{port}/")], lines


def _wait_for(port: int, seconds: float = 300) -> int:
    """port, once something answers on it (the first build comes before the server)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return port
        time.sleep(0.5)
    raise AssertionError(f"nothing served on {port} after {seconds} s")


CITIES = ("Seattle", "Lima", "Sydney", "Tokyo", "Cape Town", "Oslo")


@pytest.fixture(scope="module")
def spread_site(tmp_path_factory):
    """A small archive of our own whose places span the world, built and served."""
    project = copy_project(tmp_path_factory.mktemp("spread"))
    inbox = project.parent / "inbox"
    inbox.mkdir()
    for n, city in enumerate(CITIES):
        (inbox / f"{n}.txt").write_text(
            f"Harbour police in {city} seize a cargo of rifles\n\n12 May 2024\n\n"
            f"Police in {city} said on Sunday they had seized a cargo of rifles hidden in a container at the port.\n\n"
            f"Officers in {city} arrested two men and said the weapons had been shipped from abroad last month.\n\n"
            f"The port authority of {city} said it would check every container from the same ship this week.\n",
            encoding="utf-8")
    assert run_archive("ingest", str(inbox), "--quiet", cwd=project).returncode == 0
    built = run_archive("build", cwd=project)
    assert built.returncode == 0, built.stderr
    httpd = serve(project / "site")
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_the_map_opens_on_every_marker_on_a_phone(phone, spread_site):
    """On a 390 px phone the map opened at zoom 1 (its least), wider than the screen: the markers of
    the Americas or of east Asia and Australia were off the map until the reader panned."""
    phone.goto(spread_site + "/map/")
    phone.wait_for_selector("#archive-map[data-ready]", timeout=20000)
    map_settled(phone)
    shown = phone.evaluate("""() => { const box = document.getElementById('archive-map').getBoundingClientRect();
      let n = 0;
      document.querySelectorAll('#archive-map .archive-marker, #archive-map .marker-cluster').forEach(e => {
        const r = e.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
        if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom)
          n += e.classList.contains('marker-cluster') ? parseInt(e.textContent, 10) : 1; });
      return n; }""")  # a cluster counts its markers; Leaflet leaves markers off screen out of the page
    assert shown == int(phone.get_attribute("#archive-map", "data-markers"))


def test_a_filter_alone_sorted_oldest_first_shows_the_oldest_first(page, server, project):
    """With no words, only a filter, "oldest first" still showed the newest first."""
    dated = sorted((p["date"], p["title"]) for p in (frontmatter.load(md) for md in (project / "content" / "articles").rglob("*.md"))
                   if p.get("date") and any(pl.get("country") == "Iraq" for pl in p.get("places") or []))
    assert len({d for d, _ in dated}) >= 2  # two dates at least, or the order shows nothing
    page.goto(server + "/search/?country=Iraq&sort=oldest")
    page.wait_for_selector("#archive-search[data-done]")
    titles = page.locator(".archive-search__results > li > a").all_inner_texts()
    assert titles[0] in [t for d, t in dated if d == dated[0][0]], (titles[:3], dated[:3])
    after(page, lambda: page.select_option("select[name=sort]", "newest"))
    titles = page.locator(".archive-search__results > li > a").all_inner_texts()
    assert titles[0] in [t for d, t in dated if d == dated[-1][0]], (titles[:3], dated[-3:])
