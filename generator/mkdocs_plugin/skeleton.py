"""A page's HTML from a skeleton of its template, filled by string joins (issue 12).

Why: rendering Material's `main.html` was the largest part of a clean build's page loop (Jinja 11
of about 30 CPU-s at 10,000 articles, 0.8 ms a page), although an article page differs from its
neighbour in the same folder only by its title, description, author, canonical URL, Open Graph
values and content: the navigation, tabs and `__config` (already memoised, navmemo.py), header,
footer and every relative URL are the same.

So when a second page of a *shape* comes, the template is rendered once more with a stand-in page
whose values are sentinels (`\\ue000<n>\\ue001`, private-use characters); the output, cut at the sentinels, is
the shape's skeleton, and every page of that shape is its skeleton joined with its own values. A
shape is everything the templates test or print of a page besides those values: the template,
the page's depth and the leading run of its folder that leads some URL target the url filter
makes relative (so every relative URL: `relpath` of two paths depends on their common leading run;
the targets are recorded once per group of pages, round 31b), the base URL, the relative
extra_css and extra_javascript, the context's keys, which values are
empty, the other front matter keys and values, the Open Graph keys, whether the content holds an
`<h1` (Material's content.html tests it), and the page being out of the navigation with no table
of contents (or only its `<h1>`, which Material does not show but links to, and `<h2>`s under it:
their number is in the shape, every heading's title and id are slots), no edit URL, no previous or
next page (anything else is rendered by Jinja).

The skeleton is trusted only after proofs, per shape: (1) the same render with probe values full
of characters a filter would change (`<`, `&`, quotes, double spaces) must equal the skeleton
filled with them, so no value passes through `e`, `striptags`, `url` or another filter; (2) the
first `VERIFY` real pages of the shape (the first one, rendered before the skeleton was made,
and the next) are rendered by Jinja and must equal their fill. A shape of one page is rendered
by Jinja alone (an incremental build renders many: 131 shapes for 453 pages after adding 10
articles to 10,000).
A shape that fails either is rendered by Jinja for the rest of the build. A page the plugin
excludes (a listing announcing its own feed: main.html looks it up by the page's file in the
plugin's `page_feeds`) has two more slots, its feed's path after the relative `../`s and its
name escaped, while the stand-in's own file is looked up to sentinels (round 31b); a feed whose
path leads with the page's own first folder, and any build with another plugin than the
archive's (unchanged.allowed), are rendered by Jinja.
`tests/test_skeleton.py` checks the site is the same bytes with the option on and off.

Proved skeletons are kept in the build cache (`Kept`), under a key of the cache's global key (the
configuration file, templates, code and package versions) and the navigation (its titles and
URLs: a nav page's title can come from its heading): a later build with the same key fills a
shape's pages from its first one. An add-10 rebuild at 10,000 articles renders about 520 pages in
130 shapes, most of them of one page, so without the kept skeletons Jinja rendered nearly all of
them (issue 12). A kept skeleton was proved by the same proofs, in a build whose pages depended on
nothing the key leaves out: the page cache serves whole pages under the same global key.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Collection
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .navmemo import GLOBAL as MEMO

if TYPE_CHECKING:
    from .buildcache import BuildCache

ATTR = "archive_skeleton"  # the environment's attribute holding the build's Skeletons
SLOT_META = ("title", "description", "author")  # front matter values templates print as they are
STAND_URI = "\ue002stand-in.md"  # the stand-in's file while its own feed is rendered
VERIFY = 2  # real pages of each shape rendered by Jinja too and compared
_SENTINEL = re.compile("\ue000([0-9]+)(?:<h1)?\ue001")
_PROBE = "<b>&amp; \"q' x  y</b>\n"  # what `e`, `striptags`, `url`, `trim`, ... would change


class PageTemplate(jinja2.Template):
    """Jinja's Template, asking the environment's Skeletons first for a page's render."""

    def render(self, *args, **kwargs) -> str:
        skeletons = getattr(self.environment, ATTR, None)
        if skeletons is not None and len(args) == 1 and not kwargs and isinstance(args[0], dict):
            out = skeletons.render(self, args[0])
            if out is not None:
                return out
        return super().render(*args, **kwargs)


def install(env: jinja2.Environment, exclude: Collection[str] = (), kept: Kept | None = None) -> Skeletons:
    """Render pages of known shapes from skeletons in this environment (templates loaded from now on);
    `kept`: the skeletons earlier builds proved."""
    skeletons = Skeletons(exclude, kept)
    env.template_class = PageTemplate
    url = env.filters.get("url")
    if url is not None:  # the targets of relative URLs, seen while a shape's targets are recorded
        @jinja2.pass_context
        def recording(context, value):
            if skeletons.seen is not None:
                skeletons.seen.add(str(value))
            return url(context, value)
        env.filters["url"] = recording
    env.cache.clear() if env.cache is not None else None  # templates loaded before are Jinja's plain class
    setattr(env, ATTR, skeletons)
    return skeletons


def _kinds(meta: dict) -> list[tuple[str, str]]:
    """Each front matter key and how the skeleton takes it: "slot" (a value printed as it is), "og"
    (Open Graph pairs: the keys in the shape, the values slots) or "keep" (its repr in the shape)."""
    out = []
    for key, value in meta.items():
        if key in SLOT_META and isinstance(value, str) and value:
            out.append((key, "slot"))
        elif key == "og" and isinstance(value, list) and all(
                isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], str) and p[1]
                for p in value):
            out.append((key, "og"))
        else:
            out.append((key, "keep"))
    return out


def _toc_kind(toc) -> int | None:
    """0: no table of contents; 1: only the page's <h1>, which Material shows as none (its skip link
    goes to it: the heading's title and id are slots); 2: the <h1> with <h2>s under it and nothing
    under them (a listing's first page: "Articles", a place's "Within ..."; each heading's title and
    id are slots, their number is in the shape: 120 such pages a rebuild were Jinja's, round 31);
    None: Jinja renders the page."""
    if toc is None or not isinstance(toc, TableOfContents):
        return None
    if not toc.items:
        return 0
    if len(toc.items) == 1 and _plain_heading(toc.items[0], 1):
        children = toc.items[0].children
        if not children:
            return 1
        if all(_plain_heading(child, 2) and not child.children for child in children):
            return 2
    return None


def _plain_heading(item, level: int) -> bool:
    return (type(item) is AnchorLink and item.level == level and isinstance(item.title, str) and bool(item.title)
            and isinstance(item.id, str) and bool(item.id))


def _toc_values(toc) -> list[str]:
    """The slot values of a table of contents of kind 1 or 2: each heading's title and id, in order."""
    top = toc.items[0]
    return [top.title, top.id] + [v for child in top.children for v in (child.title, child.id)]


def _stand_toc(toc, values) -> TableOfContents:
    """A table of contents like `toc` (kind 1 or 2) with its titles and ids taken from `values`."""
    top = AnchorLink(next(values), next(values), 1)
    top.children = [AnchorLink(next(values), next(values), 2) for _child in toc.items[0].children]
    return TableOfContents([top])


class _Stand:
    """The page as the skeleton's render sees it: its values replaced, everything else its own."""

    def __init__(self, page, title, content, canonical_url, meta) -> None:
        self._page, self.title, self.content, self.canonical_url, self.meta = page, title, content, canonical_url, meta

    def __getattr__(self, name: str):
        return getattr(self._page, name)


class _First:
    """A shape seen once: its page's values and HTML (a shape of one page costs no skeleton)."""

    def __init__(self, values: list[str], html: str) -> None:
        self.values, self.html = values, html


_NEW = object()


class _Shape:
    """A skeleton: literal pieces, with the value each slot position takes."""

    def __init__(self, pieces: list[str], slots: list[tuple[int, int]]) -> None:
        self.pieces, self.slots = pieces, slots
        self.verified = 0

    def fill(self, values: list[str]) -> str:
        out = list(self.pieces)
        for pos, i in self.slots:
            out[pos] = values[i]
        return "".join(out)


def _cut(html: str, count: int) -> _Shape | None:
    """The skeleton of a render with sentinel values, or None when the sentinels do not stand alone."""
    pieces: list[str] = []
    slots: list[tuple[int, int]] = []
    last = 0
    for m in _SENTINEL.finditer(html):
        i = int(m.group(1))
        if i >= count:
            return None
        pieces.append(html[last:m.start()])
        slots.append((len(pieces), i))
        pieces.append("")
        last = m.end()
    pieces.append(html[last:])
    if any("\ue000" in p or "\ue001" in p for p in pieces):
        return None  # a sentinel a filter cut or changed
    return _Shape(pieces, slots)


def _folder(url: str) -> tuple[str, ...]:
    """The folder a page's relative URLs are made from, as `mkdocs.utils.get_relative_url` sees it."""
    head, tail = posixpath.split(url)
    return tuple(c for c in posixpath.normpath("/" + (head if "." in tail else url)).split("/") if c)


def _relative(target: str) -> bool:
    """Whether the url filter makes `target` relative to the page (mkdocs.utils.normalize_url)."""
    if target.startswith(("/", "#")):
        return False
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)


def _prefixes(targets: Collection[str]) -> frozenset[tuple[str, ...]]:
    """Every leading run of folders of every target the url filter makes relative."""
    out: set[tuple[str, ...]] = {()}
    for target in filter(_relative, targets):
        parts = tuple(c for c in posixpath.normpath("/" + target).split("/") if c)
        out.update(parts[:i] for i in range(1, len(parts) + 1))
    return frozenset(out)


def _anchor(folder: tuple[str, ...], prefixes: frozenset[tuple[str, ...]]) -> tuple[str, ...]:
    """The longest leading run of `folder` that leads some target too: a relative URL to a target
    shares with `folder` only folders of it, so pages of one depth and one anchor get the same
    relative URLs to every target (`relpath` of two paths depends on their common leading run)."""
    for i in range(len(folder), 0, -1):
        if folder[:i] in prefixes:
            return folder[:i]
    return ()


def _strings(value) -> tuple | None:
    """A context list of URLs MkDocs made relative to the page (extra_css, extra_javascript), for a key."""
    return tuple(map(str, value)) if isinstance(value, (list, tuple)) else None


def _feeds(context: dict) -> dict | None:
    """The archive plugin's own feed of each tag and country page, where main.html looks it up."""
    plugins = getattr(context.get("config"), "plugins", None)
    feeds = getattr(plugins.get("archive"), "page_feeds", None) if hasattr(plugins, "get") else None
    return feeds if isinstance(feeds, dict) else None


def _own_feed(context: dict, page) -> tuple[str, str] | bool:
    """A listing's own feed (path, name), which main.html announces (two slots: its path after the
    relative '../'s, its name escaped); False: Jinja renders the page."""
    own = (_feeds(context) or {}).get(page.file.src_uri)
    ok = isinstance(own, tuple) and len(own) == 2 and all(isinstance(v, str) and v for v in own)
    return own if ok else False


class _StandFile:
    """The stand-in page's file, under which the stand-in's own feed is looked up."""

    def __init__(self, src_uri: str) -> None:
        self.src_uri = src_uri


def _passthrough(part: str, caller) -> Markup:
    """navmemo's `archive_memo` rendering every part (so every target goes through the url filter)."""
    return Markup(caller())


class Kept:
    """Skeletons proved in earlier builds, and the URL targets of each group of them: one build cache
    entry (`BuildCache.listing`), read at the first page a build meets, written again when the build
    proved new ones."""

    def __init__(self, store: BuildCache, base: str, nav) -> None:
        self.store = store
        self.key = hashlib.sha256("\0".join(["skeletons", base, repr(_nav_facts(nav))])
                                  .encode("utf-8", "surrogatepass")).hexdigest()
        store.keep_listings([self.key])  # kept while the key is the same, read or not
        self.shapes: dict[str, tuple[list[str], list[tuple[int, int]]]] | None = None
        self.targets: dict[str, list[str]] = {}

    def _read(self) -> dict[str, tuple[list[str], list[tuple[int, int]]]]:
        if self.shapes is None:
            stored = self.store.listing(self.key)  # ("skeletons", shapes, targets): told apart from other entries
            ok = isinstance(stored, tuple) and len(stored) == 3 and stored[0] == "skeletons"
            self.shapes, self.targets = (stored[1], stored[2]) if ok else ({}, {})
        return self.shapes

    def get(self, shape: str) -> tuple[list[str], list[tuple[int, int]]] | None:
        return self._read().get(shape)

    def targets_of(self, group: str) -> list[str] | None:
        self._read()
        return self.targets.get(group)

    def add(self, proved: dict[str, tuple[list[str], list[tuple[int, int]]]], targets: dict[str, list[str]]) -> None:
        """Keep the skeletons this build proved, and their groups' targets, with the earlier ones
        (stored when the cache is committed)."""
        shapes = self._read()
        if proved and any(k not in shapes for k in proved):
            shapes.update(proved)
            self.targets.update(targets)
            self.store.put_listing(self.key, ("skeletons", shapes, self.targets))


def _nav_facts(nav) -> list:
    """What every page's navigation shows: each item's kind, title and URL, in order."""
    return [(type(item).__name__, item.title, getattr(item, "url", None), _nav_facts(item.children or []))
            for item in (nav.items if hasattr(nav, "items") else nav)]


class Skeletons:
    """The build's skeletons by shape (one per build: a new Jinja environment each)."""

    def __init__(self, exclude: Collection[str] = (), kept: Kept | None = None) -> None:
        self.exclude = exclude
        self.kept = kept
        self.proved: dict[str, tuple[list[str], list[tuple[int, int]]]] = {}  # by repr(shape key): for `kept`
        self.shapes: dict[tuple, _Shape | _First | None] = {}
        self.filled = 0  # pages made from a skeleton (tests read them)
        self.rendered = 0  # pages Jinja rendered
        self.reused = 0  # shapes taken from `kept` (tests read them)
        self.groups: dict[tuple, frozenset[tuple[str, ...]]] = {}  # the targets' folder runs of each group
        self.targets: dict[str, list[str]] = {}  # by repr(group): the targets recorded in this build, for `kept`
        self.seen: set[str] | None = None  # the url filter's targets while one render is recorded

    def _values(self, page) -> tuple[tuple, list[str]] | None:
        """(shape key part, slot values, content marker) of a page, or None when Jinja must render it."""
        if (page is None or getattr(page, "file", None) is None
                or _toc_kind(page.toc) is None or page.edit_url or page.previous_page is not None
                or page.next_page is not None or page.parent is not None or page.is_homepage or page.ancestors):
            return None
        content, title, canonical = page.content, page.title, page.canonical_url
        meta = page.meta if isinstance(page.meta, dict) else None
        if meta is None or not isinstance(content, str) or content == "":
            return None
        values = [content]
        shape: list = [type(title).__name__ if not title else "T", "C" if canonical else repr(canonical),
                       "<h1" in content]
        if title:
            if not isinstance(title, str):
                return None
            values.append(title)
        if canonical:
            if not isinstance(canonical, str):
                return None
            values.append(canonical)
        for key, kind in _kinds(meta):
            value = meta[key]
            if kind == "slot":
                shape.append((key, "S"))
                values.append(value)
            elif kind == "og":
                shape.append((key, tuple(k for k, _v in value)))
                values.extend(v for _k, v in value)
            else:
                shape.append((key, repr(value)))
        if _toc_kind(page.toc):
            shape.append(f"toc{len(page.toc.items[0].children)}")
            values += _toc_values(page.toc)
        return tuple(shape), values

    def render(self, template: jinja2.Template, context: dict) -> str | None:
        """The page's HTML from its shape's skeleton; None: Jinja renders it (the caller does)."""
        page = context.get("page")
        found = self._values(page)
        own = _own_feed(context, page) if found is not None and page.file.src_uri in self.exclude else None
        if found is None or own is False:
            self.rendered += 1
            return None
        part, values = found
        folder = _folder(page.url)
        if own is not None:  # its href is relative: '../' per folder, then the feed's path
            if not (_relative(own[0]) and posixpath.normpath(own[0]) == own[0]
                    and own[0].split("/", 1)[0] not in folder[:1]):
                self.rendered += 1
                return None
            part += ("feed",)
            values = values + [own[0], str(escape(own[1]))]
        group = (template.name, len(folder), context.get("base_url"), tuple(context),
                 _strings(context.get("extra_css")), _strings(context.get("extra_javascript")), part)
        prefixes = self.groups.get(group)
        real = None
        if prefixes is None and self.kept is not None and (stored := self.kept.targets_of(repr(group))) is not None:
            prefixes = self.groups[group] = _prefixes(stored)
        if prefixes is None:  # the group's first page: Jinja's, every URL target it makes recorded
            real, seen = self._record(template, context)
            prefixes = self.groups[group] = _prefixes(seen)
            self.targets[repr(group)] = sorted(seen)
        key = group + (_anchor(folder, prefixes),)
        shape = self.shapes.get(key, _NEW)
        if shape is _NEW and self.kept is not None and (stored := self.kept.get(repr(key))) is not None:
            shape = self.shapes[key] = _Shape(*stored)  # proved in an earlier build with the same key
            shape.verified = VERIFY
            self.reused += 1
        if shape is _NEW:  # a shape's first page: Jinja's, kept to prove the skeleton if a second comes
            if real is None:
                real = jinja2.Template.render(template, context)
            self.rendered += 1
            self.shapes[key] = _First(values, real)
            return real
        if isinstance(shape, _First):  # its second page: the skeleton, which must give the first page too
            first = shape
            shape = self._make(template, context, page, part, values)
            if shape is not None:
                if shape.fill(first.values) == first.html:
                    shape.verified += 1
                else:
                    shape = None
            self.shapes[key] = shape
        if shape is None:
            self.rendered += 1
            return None
        out = shape.fill(values)
        if shape.verified < VERIFY:  # the first pages of a shape: Jinja too, compared
            real = jinja2.Template.render(template, context)
            self.rendered += 1
            if real != out:
                self.shapes[key] = None
                return real
            shape.verified += 1
            if shape.verified == VERIFY:
                self.proved[repr(key)] = (shape.pieces, shape.slots)
            return real
        self.filled += 1
        return out

    def keep(self) -> None:
        """Hand the skeletons proved in this build to the build cache (`Kept`)."""
        if self.kept is not None:
            self.kept.add(self.proved, self.targets)

    def _record(self, template: jinja2.Template, context: dict) -> tuple[str, set[str]]:
        """Jinja's render of a page and every target its url filter saw; navmemo's parts are rendered
        too (a memoised part would hide its targets), which gives their same bytes."""
        if MEMO in template.environment.globals:
            context = {**context, MEMO: _passthrough}
        self.seen = set()
        try:
            return jinja2.Template.render(template, context), self.seen
        finally:
            self.seen = None

    def _make(self, template: jinja2.Template, context: dict, page, part: tuple, values: list[str]) -> _Shape | None:
        """The shape's skeleton, proved against a render with probe values; None when not proved."""
        def marks(make) -> list[str]:
            out = []
            for i in range(len(values)):
                h1 = "<h1" if i == 0 and part[2] else ""
                out.append(make(i, h1))
            return out

        sentinels = marks(lambda i, h1: f"\ue000{i}{h1}\ue001")
        probes = marks(lambda i, h1: f"p{i}{h1}{_PROBE}")
        filled = list(probes)
        feed = part[-1] == "feed"
        if feed:  # the feed's name is printed escaped (`e`): its slot holds the escaped name
            filled[-1] = str(escape(probes[-1]))
        try:
            self.seen = set()
            shape = _cut(self._render(template, context, page, sentinels, feed), len(values))
            if any("\ue000" in target for target in filter(_relative, self.seen)
                   if not (feed and target == sentinels[-2])):
                return None  # a value made a relative URL: it depends on the page's folder
            if shape is None or shape.fill(filled) != self._render(template, context, page, probes, feed):
                return None
        except Exception:  # noqa: BLE001 - a stand-in the templates cannot take: Jinja renders the shape
            return None
        finally:
            self.seen = None
        return shape

    @staticmethod
    def _render(template: jinja2.Template, context: dict, page, values: list[str], feed: bool = False) -> str:
        """The template rendered for a stand-in of `page` carrying `values` in place of its own (and,
        with `feed`, a stand-in file whose own feed is the last two values, for the time of the render)."""
        it = iter(values)
        content = next(it)
        title = next(it) if page.title else page.title
        canonical = next(it) if page.canonical_url else page.canonical_url
        meta = {}
        for key, kind in _kinds(page.meta):
            value = page.meta[key]
            meta[key] = next(it) if kind == "slot" else [(k, next(it)) for k, _v in value] if kind == "og" else value
        stand = _Stand(page, title, content, canonical, meta)
        if _toc_kind(page.toc):
            stand.toc = _stand_toc(page.toc, it)
        if not feed:
            return jinja2.Template.render(template, {**context, "page": stand})
        feeds = _feeds(context)
        assert feeds is not None and STAND_URI not in feeds
        stand.file = _StandFile(STAND_URI)
        feeds[STAND_URI] = (next(it), next(it))
        try:
            return jinja2.Template.render(template, {**context, "page": stand})
        finally:
            del feeds[STAND_URI]
