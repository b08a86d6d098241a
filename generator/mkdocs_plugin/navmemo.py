"""Render Material's page-independent template parts once per group of pages (issue 12).

Material renders its navigation drawer (`partials/nav.html`), its tabs and the `__config` JSON for
every page. On a page that is not in the navigation (every article and listing: about 10,000 of
the pages at 10,000 articles) no navigation item is active and the page itself is in no item, so
what these parts print depends on the page only through the relative URLs the `url` filter makes
of the navigation's links, the home page, the logo and Material's assets. Pages for which those
URLs are the same (all articles, at the same depth, outside the folders the navigation links
into) get the same HTML: it is rendered for the first one and reused for the others.

`theme_overrides/main.html` wraps those parts in `{% call archive_memo("nav") %}`; without the
`archive_memo` global (the plugin's `nav_memo: false`) Material renders them itself. A page in the
navigation, a page with `hide` in its front matter, and a page without a file are always
rendered by Material. `tests/test_navmemo.py` checks the site is the same bytes either way.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from jinja2 import pass_context
from markupsafe import Markup
from mkdocs.utils import normalize_url

GLOBAL = "archive_memo"
# Where Material's `__config` block points (its search worker): a URL target as the nav's links are.
ASSETS = "assets/javascripts/workers/"


def _urls(items: Iterable) -> Iterable[str]:
    """The URL of every page and link of the navigation, sections walked."""
    for item in items:
        url = getattr(item, "url", None)
        if isinstance(url, str):
            yield url
        yield from _urls(getattr(item, "children", None) or ())


class NavMemo:
    """The rendered parts by (part, page group); one per build (a new Jinja environment each)."""

    def __init__(self, config) -> None:
        self.config = config
        self.html: dict[tuple, Markup] = {}
        self.targets: tuple[str, ...] | None = None
        self.in_nav: set[str] = set()
        self.rendered = 0  # parts Material rendered (tests read it)
        self.reused = 0
        self.last: tuple[object, tuple | None] = (None, None)  # the page of the last call and its group

    def install(self, env) -> None:
        env.globals[GLOBAL] = self.memo

    def _prepare(self, nav) -> None:
        extra = self.config.extra or {}
        homepage = getattr(nav, "homepage", None)
        targets = [*_urls(nav.items), ASSETS, ".",
                   *(u for u in (extra.get("homepage"), getattr(homepage, "url", None), self.config.theme.get("logo"))
                     if isinstance(u, str))]
        self.targets = tuple(dict.fromkeys(targets))
        self.in_nav = {p.file.src_uri for p in nav.pages}

    def group(self, page, nav) -> tuple | None:
        """What the memoised parts show of this page (None: render it with Material)."""
        if page is None or nav is None or getattr(page, "file", None) is None:
            return None
        if self.targets is None:
            self._prepare(nav)
        if page.file.src_uri in self.in_nav or (page.meta and "hide" in page.meta):
            return None
        return tuple(normalize_url(t, page=page) for t in self.targets)

    @pass_context
    def memo(self, context, part: str, caller: Callable[[], str]) -> Markup:
        page = context.get("page")
        if self.last[0] is not page:  # three parts a page: its group is computed once
            self.last = (page, self.group(page, context.get("nav")))
        group = self.last[1]
        if group is None:
            self.rendered += 1
            return Markup(caller())
        key = (part, group)
        html = self.html.get(key)
        if html is None:
            self.rendered += 1
            html = self.html[key] = Markup(caller())
        else:
            self.reused += 1
        return html
