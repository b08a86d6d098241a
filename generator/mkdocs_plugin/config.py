"""Typed options of the archive plugin, grouped by prefix like Material's own plugins."""
from __future__ import annotations

import re
from datetime import date, datetime

from mkdocs.config import base
from mkdocs.config import config_options as opt

from ..model import EARLIEST_DATE


class SitePath(opt.Type):
    """A folder or file inside the site, as written in mkdocs.yml: relative, without `..` or `\\`.
    Why: `feed_path: ../feed.xml` wrote the feed beside mkdocs.yml, outside the site, and `tags_dir:
    ../x` failed later on a missing page that named no option; now it is one line naming it."""

    def __init__(self, default: str, suffix: str = "") -> None:
        super().__init__(str, default=default)
        self.suffix = suffix

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value).strip().rstrip("/")
        parts = value.split("/")
        if not value or value.startswith("/") or "\\" in value or ":" in value or any(p in ("", ".", "..") for p in parts):
            raise opt.ValidationError(f"{value!r} must be a path inside the site, such as "
                                      f"{self.default!r}: relative, with no '..', '//' or '\\'")
        if self.suffix and not value.endswith(self.suffix):
            raise opt.ValidationError(f"{value!r} must name a {self.suffix} file, such as {self.default!r}")
        return value


class Count(opt.Type):
    """A whole number from `low` up (`page_size: 0` was accepted, `home_latest: -3` too)."""

    def __init__(self, default: int, low: int) -> None:
        super().__init__(int, default=default)
        self.low = low

    def run_validation(self, value: object) -> int:
        value = super().run_validation(value)
        if isinstance(value, bool) or value < self.low:
            raise opt.ValidationError(f"{value!r} must be a whole number of at least {self.low}")
        return value


class TileURL(opt.Type):
    """A tile server URL template: http(s), or a path served by the site; empty: no tiles."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value).strip()
        scheme = value.split(":", 1)[0].lower() if ":" in value.split("/", 1)[0] else ""
        if scheme not in ("", "http", "https"):
            raise opt.ValidationError(f"{value!r} must be an http(s) URL template such as "
                                      "'https://tiles.example.org/{z}/{x}/{y}.png', or empty")
        return value


class Marker(opt.Type):
    """The line of the home page where the latest articles go: an HTML comment, alone on its line
    (marker_span). `home_marker: ''` put the list between every two characters of index.md (a 1.6 MB
    home page), and `home_marker: the` replaced every "the" of the page with it: a marker that is
    text can be met in prose, an invisible comment on a line of its own cannot."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value).strip()
        if not (value.startswith("<!--") and value.endswith("-->") and len(value) >= 7) or "\n" in value:
            raise opt.ValidationError(f"{value!r} must be an HTML comment such as {self.default!r}, which "
                                      "index.md holds on a line of its own")
        return value


def marker_span(text: str, marker: str) -> tuple[int, int] | None:
    """Where `marker` stands alone on a line of `text` (spaces around it allowed), or None."""
    m = re.search(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", text, re.M)
    return m.span() if m else None


class Day(opt.BaseConfigOption):
    """A calendar day, typed as YAML reads it (`1900-01-01`) or quoted."""

    def __init__(self, default: date) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(value) if isinstance(value, str) else date.fromisoformat("")
        except ValueError:
            raise opt.ValidationError(f"{value!r} must be a day, YYYY-MM-DD, such as {self.default.isoformat()}") from None


class ArchiveConfig(base.Config):
    enabled = opt.Type(bool, default=True)
    articles_dir = SitePath("articles")

    home_latest = Count(20, 0)
    home_marker = Marker("<!-- archive:latest -->")

    tags_dir = SitePath("tags")
    tags_title = opt.Type(str, default="Tags")

    locations_dir = SitePath("locations")
    locations_title = opt.Type(str, default="Locations")

    map_page = SitePath("map.md", ".md")
    map_title = opt.Type(str, default="Map")
    # A tile server URL template ({z}/{x}/{y}); empty: country outlines only, nothing fetched elsewhere.
    map_tiles = TileURL()
    map_attribution = opt.Type(str, default="")

    find_page = SitePath("search.md", ".md")
    find_title = opt.Type(str, default="Search")

    charts = opt.Type(bool, default=True)

    feed_enabled = opt.Type(bool, default=True)
    feed_path = SitePath("feed.xml", ".xml")
    feed_length = Count(50, 1)

    page_size = Count(50, 1)  # articles per older listing page (listings.paginate)
    build_cache = opt.Type(bool, default=True)  # buildcache.py: unchanged article pages are not rendered again
    build_cache_dir = opt.Type(str, default=".cache/build")  # beside mkdocs.yml
    nav_memo = opt.Type(bool, default=True)  # navmemo.py: Material's nav, tabs and config JSON once per page group
    reuse_markdown = opt.Type(bool, default=True)  # mdreuse.py: one Markdown instance for every page
    page_skeleton = opt.Type(bool, default=True)  # skeleton.py: a page filled into its shape's rendered template
    parallel_render = opt.Type(bool, default=True)  # parallel.py: uncached pages rendered on every core
    parallel_workers = Count(0, 0)  # worker processes beside the main one; 0: one per extra core
    parallel_min_pages = Count(1000, 0)  # fewer uncached pages: all rendered by MkDocs' loop (parallel.py)

    archive_dir = SitePath("archive")
    earliest_date = Day(EARLIEST_DATE)  # a page dated before it is named (a typo such as 0001-01-01)
    archive_title = opt.Type(str, default="Archive")
