"""Unchanged pages stay out of MkDocs' page loop (issue 12).

A page the build cache serves whole (buildcache.py: an article or a listing out of the navigation
whose key and context are the stored ones) needs none of MkDocs' per-page work: no Page object,
no page events, no template render, no write. MkDocs has no hook to leave a page out, so the
plugin hands it a `Files` whose `documentation_pages()` omits those pages, while
`get_file_from_path` still finds them (links to them are checked as before) and the sitemap,
which lists every page, is given all of them in their usual order.

The page's file is then the stored HTML: `Outputs` remembers, per page, the file last written into
the site folder (its key, context, size and modification time, committed with the cache at the
end of a successful build). When the file is still that one it is left alone (`sitewrite.confirm`
keeps it from being removed as stale); otherwise the stored bytes are written. A failed build
commits nothing, so a file it wrote no longer matches its record and is written again next time.

Only when no other plugin looks at pages (Material's search plugin indexes every page, for
instance): otherwise a cached page goes through MkDocs as an empty page (buildcache.py).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from mkdocs import utils
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_build_date

from .. import sitewrite
from .buildcache import BuildCache

# Plugins known not to need every page's events (the archive's own). With any other one, every page
# goes through MkDocs.
PAGE_BLIND_PLUGINS = frozenset({"archive"})


def allowed(config) -> bool:
    """May unchanged pages skip MkDocs' page loop in this configuration?"""
    return set(config.plugins) <= PAGE_BLIND_PLUGINS


class PageFiles(Files):
    """The site's files, of which MkDocs renders the pages not in `skipped`."""

    def __init__(self, files: Iterable[File], skipped: set[str]) -> None:
        super().__init__(files)
        self.skipped = skipped
        self._listed: dict[tuple, list[File]] | None = None  # documentation pages, once `settled`

    def settled(self) -> None:
        """Every file's inclusion and the skipped pages are final (the plugin's on_nav, after
        parallel.plan: MkDocs set the last inclusions after on_files): the documentation pages are
        listed once per rule from here on. MkDocs and the
        plugin ask for them about six more times a build, each a walk of every file (5 ms per
        10,000); a file added or removed lists them again."""
        self._listed = {}

    def append(self, file: File) -> None:
        super().append(file)
        if self._listed is not None:
            self._listed.clear()

    def remove(self, file: File) -> None:
        super().remove(file)
        if self._listed is not None:
            self._listed.clear()

    def _pages(self, skip: bool, inclusion) -> list[File]:
        key = (skip, inclusion, len(self.skipped))  # parallel.plan adds to `skipped` (before settled)
        if self._listed is not None and key in self._listed:
            return list(self._listed[key])
        pages = super().documentation_pages(inclusion=inclusion)
        pages = [f for f in pages if f.src_uri not in self.skipped] if skip and self.skipped else list(pages)
        if self._listed is not None:
            self._listed[key] = list(pages)
        return pages

    def documentation_pages(self, *, inclusion=InclusionLevel.is_included) -> list[File]:
        return self._pages(True, inclusion)

    def every_page(self, config) -> list:
        """Every page in MkDocs' order, skipped ones too (what the sitemap lists): a skipped page
        as a stand-in with what the sitemap reads of a Page (making 13,000 Pages took 1-2 s)."""
        site_url = config.site_url or ""
        base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
        base_path = urlsplit(base).path
        built = get_build_date()
        out: list = []
        for f in self._pages(False, InclusionLevel.is_included):
            if f.src_uri not in self.skipped:
                out.append(f)
                continue
            url = "" if f.url in (".", "./") else f.url
            if not base:
                out.append(_Listed(None, None, built))
            elif _PLAIN_URL.match(url) and not _DOT_SEGMENT.search(url):
                out.append(_Listed(base + url, base_path + url, built))  # what urljoin gives for these
            else:
                canonical = urljoin(base, url)
                out.append(_Listed(canonical, urlsplit(canonical).path, built))
        return out


class _Listed:
    """A skipped page as the sitemap template reads it (`file.page.…`, as Page sets them)."""

    __slots__ = ("page", "canonical_url", "abs_url", "update_date")
    is_link = False

    def __init__(self, canonical_url: str | None, abs_url: str | None, update_date: str) -> None:
        self.page = self
        self.canonical_url, self.abs_url, self.update_date = canonical_url, abs_url, update_date


# A relative URL of plain segments ('a/b/c/' or ''): urljoin(base, url) is base + url.
_PLAIN_URL = re.compile(r"^(?:[A-Za-z0-9%_~.!$&'()*+,=@-]+/)*[A-Za-z0-9%_~.!$&'()*+,=@-]*$")
_DOT_SEGMENT = re.compile(r"(?:^|/)\.{1,2}(?:/|$)")


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class Outputs:
    """The site files of the pages the build cache holds: which are still what it stored, which
    must be written from it, and what to record for the next build."""

    def __init__(self, store: BuildCache, site_dir: str, root: Path) -> None:
        self.store = store
        # Named from the project's folder (`root`): a project restored elsewhere (a CI cache, a copy)
        # keeps its records; the files' own size and time say whether they are still those.
        self.site = os.path.relpath(Path(site_dir).resolve(), root.resolve())
        self.recorded = store.outputs(self.site)
        self.rendered: dict[str, tuple[str, int]] = {}  # page rendered this build -> (its file, its size)
        self.written = 0  # skipped pages whose file was written from the cache (tests read it)

    def rendered_page(self, uri: str, dest: str, size: int) -> None:
        """A page MkDocs rendered and the cache stored: its file is recorded after the build."""
        self.rendered[uri] = (dest, size)

    def finish(self, files: PageFiles, keys: dict[str, str], contexts: dict[str, str]) -> None:
        """Put the skipped pages' files in place and record every stored page's file (at the end
        of the build, after MkDocs wrote the rendered pages)."""
        kept: set[str] = set()
        for uri in files.skipped:
            if uri in self.rendered:
                continue  # rendered outside MkDocs' loop this build (parallel.py): recorded below
            dest = files.src_uris[uri].abs_dest_path
            key, context = keys[uri], contexts.get(uri, "")
            record = self.recorded.get(uri)
            kept.add(uri)
            if record is not None and record[:2] == (key, context) and _stat(dest) == record[2:]:
                sitewrite.confirm(dest)
                continue
            data = self.store.page_bytes(uri)
            if not data.strip():
                continue  # MkDocs writes no empty page
            utils.write_file(data, dest)  # looked up now: `archive build` swaps it (sitewrite.py)
            self.written += 1
            self._record(uri, key, context, dest, len(data))
        for uri, (dest, size) in self.rendered.items():
            kept.add(uri)
            self._record(uri, keys[uri], contexts.get(uri, ""), dest, size)
        self.store.forget_outputs(self.site, [uri for uri in self.recorded if uri not in kept])

    def _record(self, uri: str, key: str, context: str, dest: str, size: int) -> None:
        found = _stat(dest)
        if found is not None and found[0] == size:
            self.store.put_output(self.site, uri, key, context, *found)
