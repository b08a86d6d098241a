"""Hostile input against the built site: no markup from articles, in any field of any input format,
in any output (HTML pages, feeds, the exports, the search index, the map's data); and hand-edit mistakes in front matter never
crash a build (one line naming the file and the key instead).

Every input format gets a hostile value in every field it has; the archive is built with the real
command line (strict), and every built HTML file is parsed: a `<script>` the site does not write
itself (compared with a clean build), any `on*=` attribute it does not write itself, or any
`javascript:`/`data:`/`vbscript:` URL fails the test."""
from __future__ import annotations

import hashlib
import html
import json
import os
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.writers.markdown import read_page

from .conftest import ROOT, SAMPLES, copy_project, run_archive

XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
ATTR = "x\" onmouseover=\"alert(3)\" data-x='"
BAD_URLS = ["javascript:alert(4)", " JaVaScRiPt:alert(5)", "data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==",
            "vbscript:msgbox(7)", "java\tscript:alert(8)"]
UNSAFE_SCHEME = re.compile(r"^\s*(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|data|vbscript)\s*:", re.I)
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcset", "background", "cite"}

WORDS = ("convoy checkpoint harbour militia ceasefire governor drone patrol border refugees ministry "
         "council brigade tribunal embassy pipeline province garrison airstrike negotiators statement "
         "observers district barracks shipment customs envoy curfew protest villagers bridge clinic").split()


def body(n: int, paragraphs: int = 3) -> list[str]:
    """Distinct prose for input n (so no two hostile inputs are near-duplicates of each other)."""
    rng = random.Random(n)
    return [" ".join(["In report", str(n), "the"] + rng.sample(WORDS, 18)) + " moved on after the talks ended."
            for _ in range(paragraphs)]


def attr(value: str) -> str:
    return html.escape(value, quote=True)


def hostile_inputs(folder: Path) -> dict[str, Path]:
    """One file per input format, every field hostile. Returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def text_file(name: str, n: int) -> Path:
        p = folder / name
        paras = body(n)
        p.write_text(f"Breaking {XSS} convoy attacked near the border\n\n{ATTR} standfirst line without stop\n\n"
                     + "\n\n".join([paras[0] + " " + XSS + ".", *paras[1:]]) + "\n", encoding="utf-8")
        return p

    files["sidecar-json"] = text_file("a-sidecar.txt", 1)
    (folder / "a-sidecar.txt.meta.json").write_text(json.dumps({
        "title": f"Sidecar title {XSS} here", "author": XSS, "source": ATTR, "summary": f"Summary {XSS} of it",
        "url": BAD_URLS[0], "date": "2024-03-05"}), encoding="utf-8")
    files["sidecar-yml"] = text_file("b-sidecar.txt", 2)
    (folder / "b-sidecar.meta.yml").write_text(yaml.safe_dump({
        "title": f"YAML sidecar {ATTR} title", "author": ATTR, "source": XSS, "summary": f"{ATTR} summary text",
        "url": BAD_URLS[2], "date": "2024-03-06"}), encoding="utf-8")

    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": f"LD headline {XSS} words",
          "author": {"@type": "Person", "name": XSS}, "publisher": {"@type": "Organization", "name": ATTR},
          "url": BAD_URLS[4], "datePublished": f"2024-03-07{XSS}", "description": f"LD description {XSS} text"}
    paras = body(3)
    ld_json = json.dumps(ld).replace("</", "<\\/")
    (folder / "c-page.html").write_text(f"""<!doctype html><html><head>
<title>Page title {html.escape(XSS)} words | Hostile Times</title>
<meta name="author" content="{attr(XSS)}"><meta name="description" content="{attr(ATTR)} described here">
<meta property="og:title" content="OG title {attr(XSS)} words"><meta property="og:site_name" content="{attr(ATTR)}">
<meta property="og:url" content="{attr(BAD_URLS[1])}"><link rel="canonical" href="{attr(BAD_URLS[0])}">
<meta property="article:published_time" content="{attr(XSS)}">
<script type="application/ld+json">{ld_json}</script>
<script>alert("page script")</script></head><body onload="alert(9)">
<article><h1>Page title {html.escape(XSS)} words</h1>
<p>{html.escape(paras[0])} {html.escape(XSS)} <a href="javascript:alert(10)">link text</a>.</p>
<p onclick="alert(11)">{html.escape(paras[1])} <img src="x" onerror="alert(12)"> {html.escape(ATTR)}.</p>
<h2>{html.escape(XSS)} heading</h2><p>{html.escape(paras[2])}<script>alert(13)</script></p>
</article></body></html>""", encoding="utf-8")
    files["html"] = folder / "c-page.html"

    paras = body(4)
    (folder / "d-feed.rss").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>{html.escape(XSS)}</title><link>{html.escape(BAD_URLS[0])}</link><description>{html.escape(XSS)}</description>
<item><title>RSS item {html.escape(XSS)} words</title><link>{html.escape(BAD_URLS[1])}</link>
<author>{html.escape(XSS)}</author><dc:creator>{html.escape(ATTR)}</dc:creator><category>{html.escape(XSS)}</category>
<source url="{attr(BAD_URLS[0])}">{html.escape(XSS)}</source><pubDate>{html.escape(XSS)}</pubDate>
<description>{html.escape(ATTR + ' description ' + XSS)}</description>
<content:encoded><![CDATA[<p onclick="alert(14)">{paras[0]} {XSS}</p><p>{paras[1]}</p><script>alert(15)</script><p>{paras[2]}</p>]]></content:encoded>
</item></channel></rss>""", encoding="utf-8")
    files["rss"] = folder / "d-feed.rss"

    paras = body(5)
    (folder / "e-feed.atom").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{html.escape(ATTR)}</title><id>urn:x</id><updated>2024-03-08T00:00:00Z</updated>
<entry><title type="html">{html.escape('Atom entry ' + XSS + ' words')}</title><link href="{attr(BAD_URLS[2])}"/>
<id>urn:y</id><published>{html.escape(XSS)}</published><updated>2024-03-08T00:00:00Z</updated>
<author><name>{html.escape(XSS)}</name><uri>{html.escape(BAD_URLS[0])}</uri></author>
<summary type="html">{html.escape(XSS + ' summary')}</summary>
<content type="html">{html.escape('<p>' + paras[0] + XSS + '</p><p>' + paras[1] + '</p><p>' + paras[2] + '</p>')}</content>
</entry></feed>""", encoding="utf-8")
    files["atom"] = folder / "e-feed.atom"

    def record(n: int, names: dict[str, str], text_key: str = "text") -> dict:
        paras = body(n)
        rec = {names["title"]: f"JSON record {n} {XSS} words", text_key: "\n\n".join(paras) + " " + XSS,
               names["summary"]: f"{ATTR} summary {XSS}", names["date"]: XSS, names["url"]: BAD_URLS[n % 5],
               names["source"]: {"name": XSS}, names["author"]: [{"name": ATTR}, XSS]}
        return rec

    first = dict(title="title", summary="summary", date="date", url="url", source="source", author="author")
    second = dict(title="headline", summary="description", date="datePublished", url="link", source="publisher",
                  author="byline")
    (folder / "f-export.json").write_text(json.dumps([record(6, first), record(7, second, "articleBody")]),
                                          encoding="utf-8")
    files["json"] = folder / "f-export.json"
    html_rec = record(8, first, "html")
    html_rec["html"] = "".join(f'<p onclick="alert(16)">{p}</p>' for p in body(8)) + f"<script>alert(17)</script>{XSS}"
    (folder / "g-export.jsonl").write_text("\n".join(json.dumps(r) for r in (html_rec, record(9, second, "content")))
                                           + "\n", encoding="utf-8")
    files["jsonl"] = folder / "g-export.jsonl"
    return files


# ---- scanning what was built -------------------------------------------------------------------

class Scan(HTMLParser):
    """Scripts (by src, or a hash of their text), on* attributes and unsafe URLs in one HTML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: set[str] = set()
        self.handlers: set[str] = set()
        self.unsafe: list[str] = []
        self.meta: dict[str, str] = {}
        self._in_script: list[str] | None = None
        self._src = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.add(f"{tag} {name}={value}")
            if name in URL_ATTRS and value and any(UNSAFE_SCHEME.match(v) for v in value.split(",")):
                self.unsafe.append(f"<{tag} {name}={value!r}>")
        a = dict(attrs)
        if tag == "meta":
            if a.get("name"):
                self.meta[a["name"]] = a.get("content") or ""
            if (a.get("http-equiv") or "").lower() == "refresh":
                self.unsafe.append(f"<meta http-equiv=refresh content={a.get('content')!r}>")
        if tag == "script":
            self._in_script = []
            self._src = a.get("src")

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            text = "".join(self._in_script).strip()
            self.scripts.add(f"src={self._src}" if self._src else "inline " + hashlib.sha256(text.encode()).hexdigest()[:16])
            self._in_script = None


def scan(path: Path) -> Scan:
    s = Scan()
    s.feed(path.read_text(encoding="utf-8"))
    s.close()
    return s


def site_wide(site: Path) -> tuple[set[str], set[str]]:
    scripts: set[str] = set()
    handlers: set[str] = set()
    for p in site.rglob("*.html"):
        s = scan(p)
        scripts |= s.scripts
        handlers |= s.handlers
    return scripts, handlers


def lenient_build(project: Path) -> subprocess.CompletedProcess[str]:
    """The same MkDocs build with strict off: what the site looks like despite warnings."""
    code = ("from mkdocs.config import load_config; from mkdocs.commands.build import build; "
            "build(load_config('mkdocs.yml', strict=False))")
    return subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # this tree's code, as run_archive


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("clean"))
    inputs = sorted(SAMPLES.glob("*.txt"))[:3]
    assert run_archive("ingest", *map(str, inputs), "--quiet", cwd=project).returncode == 0
    build = run_archive("build", cwd=project)
    assert build.returncode == 0, build.stderr
    return project / "site"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    files = hostile_inputs(project / "inbox")
    ingest = run_archive("ingest", str(project / "inbox"), "--json", cwd=project)
    report = json.loads(ingest.stdout)
    build = run_archive("build", cwd=project)
    assert build.returncode == 0, build.stderr
    return project, files, report


def test_every_hostile_input_is_accounted_for(hostile_site):
    project, files, report = hostile_site
    by_file: dict[str, list[dict]] = {}
    for e in report["entries"]:
        for name, path in files.items():
            if e["input"].startswith(str(path)):
                by_file.setdefault(name, []).append(e)
    assert set(by_file) == set(files)
    for name, entries in by_file.items():
        assert all(e["outcome"] == "new" for e in entries), (name, entries)
    # Every unsafe URL was dropped at ingest, and the report says so.
    notes = " ".join(e.get("reason") or "" for e in report["entries"])
    assert "url left out" in notes
    pages = [project / e["page"] for e in report["entries"] if e.get("page")]
    assert len(pages) >= 9
    for page in pages:
        meta, _ = read_page(page)
        urls = [meta.get("url")] + [src.get("url") for src in meta.get("sources") or []]
        assert all(u is None or u.startswith("https://") for u in urls), (page, urls)


def test_no_script_handler_or_unsafe_url_anywhere_in_the_built_site(hostile_site, clean_site):
    project, _, _ = hostile_site
    site = project / "site"
    own_scripts, own_handlers = site_wide(clean_site)
    htmls = sorted(site.rglob("*.html"))
    articles = [p for p in htmls if "/articles/" in p.as_posix()]
    assert len(articles) >= 9
    for p in htmls:
        s = scan(p)
        assert s.scripts <= own_scripts, (p, s.scripts - own_scripts)
        assert s.handlers <= own_handlers, (p, s.handlers - own_handlers)
        assert not s.unsafe, (p, s.unsafe)
    # The hostile values are there, as text: the author meta holds the whole string, unbroken.
    authors = {scan(p).meta.get("author") for p in articles}
    assert XSS in authors and ATTR in authors


def test_feed_xml_has_no_unsafe_url_and_no_markup(hostile_site):
    project, _, _ = hostile_site
    root = ET.parse(project / "site" / "feed.xml").getroot()
    allowed = {"rss", "channel", "title", "link", "description", "item", "guid", "pubDate", "category", "source"}
    items = root.findall("./channel/item")
    assert len(items) >= 2
    for el in root.iter():
        assert el.tag in allowed, el.tag
        for value in [el.get("url"), el.text if el.tag == "link" else None]:
            assert not (value and UNSAFE_SCHEME.match(value)), value
    titles = [i.findtext("title") for i in items]
    assert any(XSS in (t or "") for t in titles)  # shown as text, not dropped


def test_exports_are_data_with_declared_fields_and_safe_urls(hostile_site):
    import csv

    project, _, _ = hostile_site
    data = json.loads((project / "site" / "data" / "articles.json").read_text(encoding="utf-8"))
    assert set(data) == {"articles"}
    assert len(data["articles"]) >= 9
    for a in data["articles"]:
        assert set(a) == {"id", "title", "url", "page", "date", "source", "tags", "places"}
        assert a["url"] is None or re.match(r"^https?://", a["url"]), a["url"]
        assert not UNSAFE_SCHEME.match(a["page"]), a["page"]
        assert all(isinstance(a[k], (str, type(None))) for k in ("title", "source"))
    assert any(XSS in a["title"] for a in data["articles"])
    for row in csv.reader((project / "site" / "data" / "articles.csv").open(encoding="utf-8")):
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row), row  # no spreadsheet formulas
    raw = (project / "site" / "data" / "articles.json").read_text(encoding="utf-8")
    assert "</script" not in raw.lower()


def test_search_index_is_data_and_links_stay_on_the_site(hostile_site):
    """Every file of the search index is JSON; every result link is a path on the site; the
    hostile titles are there as text (search.js shows them with textContent)."""
    project, _, _ = hostile_site
    index = project / "site" / "search-index"
    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    assert meta["articles"] >= 9
    titles = []
    for f in sorted((index / "d").glob("*.json")):
        for title, url, *_ in filter(None, json.loads(f.read_text(encoding="utf-8"))):  # null: a free id
            titles.append(title)
            assert not re.match(r"^[a-zA-Z][\w+.-]*:", url) and not url.startswith("//"), url
    assert any(XSS in t for t in titles)
    for f in (index / "s").glob("*.json"):
        json.loads(f.read_text(encoding="utf-8"))
    places = json.loads((project / "site" / "assets" / "map" / "places.json").read_text(encoding="utf-8"))
    for row in places:
        assert not re.match(r"^[a-zA-Z][\w+.-]*:", row[5])
        assert all(not re.match(r"^[a-zA-Z][\w+.-]*:", a[1]) for a in row[6])


def in_chromium(site: Path, visit) -> tuple[list[str], list[str]]:
    """`visit(page, base)` in Chromium over the built `site` served on 127.0.0.1: (the messages of
    the dialogs that opened, the URLs requested from another host)."""
    from playwright.sync_api import sync_playwright

    from .test_browser import ARGS, CHROMIUM, serve

    httpd = serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    dialogs: list[str] = []
    elsewhere: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))
            visit(page, base)
            browser.close()
    finally:
        httpd.shutdown()
    return dialogs, elsewhere


def test_hostile_pages_run_no_script_in_a_real_browser(hostile_site):
    """Chromium opens every article page: no dialog (alert) may open."""
    project, _, _ = hostile_site

    def visit(page, base: str) -> None:
        pages = sorted((project / "site" / "articles").rglob("index.html"))
        for p in pages + [project / "site" / "map" / "index.html"]:
            page.goto(base + "/" + p.parent.relative_to(project / "site").as_posix() + "/")
            page.mouse.move(200, 200)
            page.mouse.move(400, 300)
        # The search page shows the hostile titles (a query every hostile input matches), and the map's lists.
        for query in ("script alert", "onerror", "report"):
            page.goto(base + "/search/?q=" + query.replace(" ", "+"))
            page.wait_for_selector("#archive-search[data-done]")
            page.mouse.move(300, 300)
            assert page.locator(".archive-search__results li").count() >= 1, query
        page.goto(base + "/map/")
        page.wait_for_selector("#archive-map[data-ready]")
        for marker in page.locator(".archive-marker").all()[:5]:
            marker.dispatch_event("click")
            page.mouse.move(250, 250)

    dialogs, _ = in_chromium(project / "site", visit)
    assert dialogs == []


# ---- hand edits ---------------------------------------------------------------------------------

GOOD_PAGE = """---
id: 0123456789abcdef
title: A hand-edited page about the convoy
date: 2024-05-01
summary: A summary an editor wrote.
source: Wire
url: https://example.org/story
tags:
- Convoys
locations:
- Aleppo
places:
- name: Aleppo
  kind: city
  country: Syria
  lat: 36.2
  lon: 37.16
---

The convoy reached the checkpoint on Tuesday after a long delay.
"""

HAND_EDITS = {
    "unclosed-quote": ('title: A hand-edited page about the convoy', 'title: "unclosed quote', "title"),
    "lat-north": ("lat: 36.2", "lat: north", "places[0].lat"),
    "tag-dict": ("- Convoys", "- {kind: force, name: Convoys}", "tags[0]"),
    "date-not-date": ("date: 2024-05-01", "date: last Tuesday", "date"),
    "date-impossible": ("date: 2024-05-01", "date: 2024-02-30", "date"),
    "tags-twice": ("tags:\n- Convoys\n", "tags:\n- Convoys\nnote: checked by hand\ntags:\n- Aid\n", "tags"),
    "url-javascript": ("url: https://example.org/story", "url: javascript:alert(1)", "url"),
    "places-not-list": ("places:\n- name: Aleppo\n  kind: city\n  country: Syria\n  lat: 36.2\n  lon: 37.16",
                        "places: Aleppo", "places"),
    "title-list": ("title: A hand-edited page about the convoy", "title: [a, b]", "title"),
    "author-script": ("source: Wire", 'source: Wire\nauthor: "\\"><script>alert(1)</script>"\ntemplate: ../../x.html', None),
}


@pytest.mark.parametrize("case", sorted(HAND_EDITS))
def test_a_hand_edit_mistake_is_one_line_never_a_traceback(tmp_path, case):
    """Decision (README, content/editing.md): the page is still built with the bad value ignored; the
    strict `archive build` fails with one warning line naming the file and the key."""
    old, new, key = HAND_EDITS[case]
    project = copy_project(tmp_path / "p")
    page = project / "content" / "articles" / "2024" / "05" / "edited.md"
    page.parent.mkdir(parents=True)
    assert old in GOOD_PAGE
    page.write_text(GOOD_PAGE.replace(old, new), encoding="utf-8")
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert "Traceback" not in out, out
    lines = [l for l in out.splitlines() if "articles/2024/05/edited.md" in l]
    if key is None:  # nothing wrong for the site: undeclared fields are simply not used
        assert strict.returncode == 0, out
    else:
        assert strict.returncode == 1, out
        assert len(lines) == 1 and (f": {key}: " in lines[0] or f"key '{key}'" in lines[0]), lines
    lenient = lenient_build(project)
    assert lenient.returncode == 0 and "Traceback" not in lenient.stderr, lenient.stderr
    built = project / "site" / "articles" / "2024" / "05" / "edited" / "index.html"
    text = built.read_text(encoding="utf-8")
    assert "The convoy reached the checkpoint" in text
    if key != "title":  # one bad field never costs the page its other fields
        assert "A hand-edited page about the convoy" in text
    s = scan(built)
    assert not s.unsafe and "<script>alert" not in text
    feed = (project / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "javascript:" not in feed and "<script>" not in feed
    assert s.meta.get("author") in (None, '"><script>alert(1)</script>')


ENCODINGS = {  # how an editor's program may save a page, and what the warning must name
    "utf-16": ("utf-16", "saved as UTF-16"),  # Windows Notepad's "Unicode": a BOM, then UTF-16-LE
    "utf-16-le": ("utf-16-le", "saved as UTF-16"),  # no BOM: ASCII in it is still valid UTF-8, with NULs
    "cp1252": ("cp1252", "is not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(ENCODINGS))
def test_a_page_saved_in_another_encoding_is_read_and_named(tmp_path, case):
    """A page saved as UTF-16 was built as mojibake, untitled and undated, without a word; cp1252
    gave replacement characters. Now it is read as what it is, and the strict build fails with one
    line naming the file and the encoding."""
    encoding, said = ENCODINGS[case]
    project = copy_project(tmp_path / "p")
    page = project / "content" / "articles" / "2024" / "05" / "edited.md"
    page.parent.mkdir(parents=True)
    page.write_bytes(GOOD_PAGE.replace("convoy", "convoy at Zahlé").encode(encoding))
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert "Traceback" not in out and strict.returncode == 1, out
    lines = [line for line in out.splitlines() if "articles/2024/05/edited.md" in line]
    assert len(lines) == 1 and said in lines[0], lines
    assert lenient_build(project).returncode == 0
    text = (project / "site" / "articles" / "2024" / "05" / "edited" / "index.html").read_text(encoding="utf-8")
    assert "A hand-edited page about the convoy at Zahlé" in text and "\x00" not in text and "\ufffd" not in text
    assert "Convoys" in text and "1 May 2024" in text
    page.write_text(GOOD_PAGE, encoding="utf-8")  # saved again as UTF-8: the warning goes
    again = run_archive("build", cwd=project)
    assert again.returncode == 0, again.stdout + again.stderr


def test_tags_spelled_two_ways_are_one_page_and_non_latin_tags_each_their_own(tmp_path):
    """Hand-typed tags: `Kurdish forces` on one page and `Kurdish Forces` on another made two tags on
    one URL (the tag page listed one spelling's article, the index showed both names); every tag in
    Arabic script slugged to `tags/untitled/`, one page for all of them."""
    from generator.mkdocs_plugin.index import name_slug

    assert name_slug("Islamic State") == "islamic-state" and name_slug("Qamişli") == "qamisli"  # URLs kept
    assert name_slug("داعش") != name_slug("الشباب") and "untitled" not in name_slug("داعش")
    project = copy_project(tmp_path / "p")
    folder = project / "content" / "articles" / "2024" / "05"
    folder.mkdir(parents=True)
    for n, tags in enumerate((["Kurdish forces", "داعش"], ["Kurdish Forces", "الشباب"])):
        page = GOOD_PAGE.replace("0123456789abcdef", f"0123456789abcde{n}").replace(
            "about the convoy", f"about convoy {n}").replace("- Convoys\n", "".join(f"- {t}\n" for t in tags))
        (folder / f"page{n}.md").write_text(page, encoding="utf-8")
    built = run_archive("build", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    site = project / "site"
    merged = (site / "tags" / "kurdish-forces" / "index.html").read_text(encoding="utf-8")
    assert "about convoy 0" in merged and "about convoy 1" in merged
    index = (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert index.count('href="kurdish-forces/"') == 1
    for n, tag in enumerate(("داعش", "الشباب")):
        own = (site / "tags" / name_slug(tag) / "index.html").read_text(encoding="utf-8")
        assert tag in own and f"about convoy {n}" in own and f"about convoy {1 - n}" not in own


BAD_OPTIONS = {  # a plugin option typed wrong in mkdocs.yml -> what its one error line must say
    "feed_path: ../feed.xml": "must be a path inside the site",  # wrote the feed beside mkdocs.yml
    "tags_dir: /etc": "must be a path inside the site",
    "page_size: 0": "at least 1",  # accepted before
    "home_latest: -3": "at least 0",
    "map_tiles: 'javascript:alert(1)'": "must be an http(s) URL template",
}


def test_a_plugin_option_typed_wrong_is_one_line_naming_it(tmp_path):
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    good = config.read_text()
    for option, said in BAD_OPTIONS.items():
        config.write_text(good.replace("  - archive\n", f"  - archive:\n      {option}\n"))
        out = run_archive("build", cwd=project)
        name = option.split(":")[0]
        errors = out.stderr.splitlines()  # one line: the reason, not also "Aborted with a configuration error!"
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
        assert len(errors) == 1 and f"option '{name}'" in errors[0] and said in errors[0], errors
    assert not (tmp_path / "feed.xml").exists() and not (project / "site").exists()
    config.write_text(good.replace("  - archive\n", "  - archive:\n      map_tiles: 'https://tiles.example.org/{z}/{x}/{y}.png'\n"
                                                    "      feed_path: news/feed.xml\n"))
    ok = run_archive("build", cwd=project)
    assert ok.returncode == 0 and (project / "site" / "news" / "feed.xml").is_file(), ok.stderr
