"""`archive linkcheck SITE`: every relative link and asset in a built site resolves, offline.

MkDocs' strict mode checks the links written in Markdown; this checks what was actually written to
disk: every `href`/`src` in every HTML file (navigation, templates, the plugin's generated pages),
including `#fragments` into other pages, and that no page loads anything from another host (the
site must work with no network). It reads files only: no server, no network.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"href", "src"}
# Elements whose `src`/`href` the browser fetches by itself when the page loads.
LOADED = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("source", "src"),
          ("video", "src"), ("audio", "src"), ("embed", "src")}
# <link rel=...> values that are names for the page, not resources a browser fetches.
NOT_FETCHED_RELS = {"canonical", "alternate", "prev", "next", "search", "author", "license", "me"}


@dataclass(frozen=True)
class Problem:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url!r}: {self.reason}"


class _Page(HTMLParser):
    """The links (tag, attribute, value, rel) and the ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id", "name") if tag == "a" else ("id",):
            if key in values:
                self.ids.add(values[key])
        for attr in LINK_ATTRS & values.keys():
            self.links.append((tag, attr, values[attr], values.get("rel", "").lower()))


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
            loaded = (tag, attr) in LOADED and not (tag == "link" and set(rel.split()) & NOT_FETCHED_RELS)
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
