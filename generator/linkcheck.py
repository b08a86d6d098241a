"""`archive linkcheck SITE`: every relative link and asset in a built site resolves, offline.

MkDocs' strict mode checks the links written in Markdown; this checks what was actually written to
disk: every `href`/`src` in every HTML file (navigation, templates, the plugin's generated pages),
including `#fragments` into other pages, and that no page loads anything from another host (the
site must work with no network). It reads files only: no server, no network.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .inputs import one_line

LINK_ATTRS = {"href", "src"}
# Elements whose `src`/`href` the browser fetches by itself when the page loads.
LOADED = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("source", "src"),
          ("video", "src"), ("audio", "src"), ("embed", "src")}
# Attributes that name what the browser fetches whatever the element: every URL of a srcset, a
# video's poster, an object's data, the old `background`, and each url()/@import of inline CSS.
ALWAYS_LOADED = {"srcset", "imagesrcset", "poster", "data", "background", "style"}
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))|@import\s+(?:"([^"]*)"|'([^']*)')"""
                      r"""|image-set\(([^)]*)""", re.I)
_QUOTED = re.compile(r""""([^"]*)"|'([^']*)'""")
# <link rel=...> values that are names for the page, not resources a browser fetches.
NOT_FETCHED_RELS = {"canonical", "alternate", "prev", "next", "search", "author", "license", "me"}


@dataclass(frozen=True)
class Problem:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return one_line(f"{self.page}: {self.url!r}: {self.reason}")  # a page's name may hold an ESC


def css_urls(css: str) -> list[str]:
    """Every URL a piece of CSS fetches (url(), image-set(), @import), its escapes decoded first,
    so `u\\72l(//host/x)` is seen as the browser sees it."""
    if "\\" in css:
        css = _CSS_ESCAPE.sub(lambda m: chr(min(int(m.group(1), 16), 0x10FFFF) or 0xFFFD) if m.group(1)
                              else m.group(2), css)
    urls = []
    for m in _CSS_URL.finditer(css):
        if m.group(6) is None:
            urls.append(next(g for g in m.groups() if g is not None))
        else:  # image-set("a.png" 1x, url(b.png) 2x): its strings here, its url()s by the next match
            urls += [q.group(1) if q.group(1) is not None else q.group(2) for q in _QUOTED.finditer(m.group(6))]
            urls += css_urls(m.group(6)[m.group(6).find("url("):] + ")") if "url(" in m.group(6).lower() else []
    return urls


def srcset_urls(value: str) -> list[str]:
    """The URL of each candidate of a srcset ("a.png 1x, //host/b.png 2x")."""
    return [words[0] for part in value.split(",") if (words := part.split())]


class _Page(HTMLParser):
    """The links (tag, attribute, value, rel) and the ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str, str]] = []
        self.ids: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name") if tag == "a" else ("id",):
            if key in values:
                self.ids.add(values[key])
        for attr in LINK_ATTRS & values.keys():
            self.links.append((tag, attr, values[attr], values.get("rel", "").lower()))
        for attr in ALWAYS_LOADED & values.keys():
            value = values[attr]
            urls = (css_urls(value) if attr == "style" else srcset_urls(value) if attr.endswith("srcset")
                    else [value])
            self.links += [(tag, attr, url, "") for url in urls]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:  # a <style> element's @import and url()s load as the page does
            self.links += [("style", "style", url, "") for url in css_urls(data)]


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def _target(site: Path, page: Path, path: str) -> Path | None:
    """The file a relative (or site-absolute) URL path names, or None when there is none."""
    base = site if path.startswith("/") else page.parent
    candidate = (base / unquote(path).lstrip("/")).resolve() if path else page.resolve()
    try:
        candidate.relative_to(site.resolve())
    except ValueError:
        return None  # leaves the site
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(site: Path) -> tuple[list[Problem], int, int]:
    """(problems, pages checked, links checked) for every HTML file under site."""
    site = Path(site)
    pages = sorted(site.rglob("*.html"))
    parsed = {p.resolve(): _parse(p) for p in pages}
    problems: list[Problem] = []
    count = 0
    for page in pages:
        name = page.relative_to(site).as_posix()
        for tag, attr, url, rel in parsed[page.resolve()].links:
            count += 1
            parts = urlsplit(url.strip())
            loaded = attr in ALWAYS_LOADED or ((tag, attr) in LOADED
                                               and not (tag == "link" and set(rel.split()) & NOT_FETCHED_RELS))
            if parts.scheme or parts.netloc:
                if loaded and parts.scheme in ("http", "https", "") and parts.netloc:
                    problems.append(Problem(name, url, "loaded from another host (the site must work offline)"))
                continue  # a link to another site, mailto:, data:, javascript:...
            if not parts.path and not parts.fragment:
                continue  # "" or "?query": this page
            target = _target(site, page, parts.path)
            if target is None:
                problems.append(Problem(name, url, "no such file in the site"))
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(Problem(name, url, f"no element with id {unquote(parts.fragment)!r}"))
    return problems, len(pages), count


def add_parser(sub) -> None:
    """`archive linkcheck`, registered by cli.py."""
    lc = sub.add_parser("linkcheck", help="check a built site offline: every relative link resolves, nothing loads from another host")
    lc.add_argument("site", type=Path, nargs="?", default=Path("site"), help="the built site (default: site)")
    lc.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Exit 0: every link resolves; 1: some do not (one line each on stderr); 2: no site there."""
    if not (args.site / "index.html").is_file():
        print(f"archive linkcheck: {args.site}: no built site (no index.html); run `archive build` first",
              file=sys.stderr)
        return 2
    problems, pages, links = check_site(args.site)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{links} links in {pages} pages: " + (f"{len(problems)} broken" if problems else "all resolve"))
    return 1 if problems else 0
