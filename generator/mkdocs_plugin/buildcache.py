"""The build cache: a page whose inputs did not change is not parsed or rendered again.

An article page's HTML depends on its own file, the configuration, the theme's templates and the
generator's code and data, and on nothing else (articles are out of the navigation, so no other
page shows in it; its tag and place links are derived from its own front matter) and on its
related articles and older/newer neighbours, which change with OTHER articles: their digest is the
page's `context`, stored beside the key (the key alone still says the front matter is unchanged,
so the record is reused even when the context changed); a listing page
out of the navigation depends on its generated content instead of a file. So its key is a hash of
those; the value is the finished HTML and the search entries the page gave. A cached page
still goes through MkDocs (so the sitemap, the order of the search index and every plugin see the
same pages as in a clean build), but as an empty Markdown page whose template prints the cached
HTML. `tests/test_incremental.py` checks that an incremental build gives the clean build's bytes.

The cache is one SQLite file (`.cache/build/pages.sqlite` beside mkdocs.yml), written in one
transaction at the end of a successful build: a failed or killed build leaves the previous cache.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import shutil
import sqlite3
import zlib
from importlib import metadata
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..cachedir import ensure
from ..writers.markdown import split_page
from . import locator, pagezip, recordblob
from .index import Record

# A page file's stamp: size, mtime, inode, device, ctime (ns) and its digest (pagefiles.py).
Stamp = tuple[int, int, int, int, int, str]
SCHEMA = 9  # the tables' layout: another one is dropped and rebuilt

CACHED_TEMPLATE = "archive-cached-page.html"
TEMPLATE_SOURCE = "{{ page.content }}"  # the cached page is already the finished HTML
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions", "pyyaml")
_GENERATOR = Path(__file__).resolve().parent.parent


def _hash_files(h, root: Path, files) -> None:
    """Names relative to `root` (a checkout elsewhere has the same key) and contents."""
    for p in sorted(files):
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(p.read_bytes())


ICONS = ".icons"  # Material's icon folders: SVG files only, used through templates


def _theme_files(root: Path, skip_icons: bool) -> list[Path]:
    """Every file under a theme folder, but (`skip_icons`) its icon folders' (`root.rglob("*")` made
    a Path of each of Material's 14,500 icons only for the name check to drop it: 0.06 CPU-s a
    build). tests/test_buildcache_key.py checks that those folders hold no file the key would take."""
    out: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=True):  # as rglob, into linked folders
        if skip_icons:
            dirs[:] = [name for name in dirs if name != ICONS]
        out += [Path(folder, name) for name in files]
    return out


def global_key(config_file: str | None, theme_dirs: list[str], settings: dict) -> str:
    """What every page depends on: the config file and settings, templates, our code, versions."""
    h = hashlib.sha256()
    if config_file and Path(config_file).is_file():
        h.update(Path(config_file).read_bytes())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for d in theme_dirs:
        root = Path(d)
        # Templates, not the theme's thousands of icons (an icon is only used through a template).
        # The name is looked at before the file is stat'ed: 14,500 icons cost a stat each (0.2 s a build).
        every = "theme_overrides" in d  # the site's own overrides: all files, its own icons too
        _hash_files(h, root, [p for p in _theme_files(root, skip_icons=not every)
                              if (every or p.suffix in (".html", ".xml", ".yml")) and p.is_file()])
    _hash_files(h, _GENERATOR, [p for p in _GENERATOR.rglob("*") if p.suffix in (".py", ".yml", ".json", ".txt")
                    and "__pycache__" not in p.parts and p.is_file()])
    h.update(locator.drawing_digest().encode())  # the outline data the pages' map files are named after
    for name in PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()


def page_key(base: str, src_uri: str, source_digest: str) -> str:
    return hashlib.sha256(f"{base}\0{src_uri}\0{source_digest}".encode()).hexdigest()


class BuildCache:
    """Finished article pages by key; new results are kept in memory until `commit`."""

    def __init__(self, folder: Path) -> None:
        ensure(folder)
        self.path = folder / "pages.sqlite"
        self.db = sqlite3.connect(self.path)
        if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
            with self.db:
                self.db.execute("DROP TABLE IF EXISTS pages")
                self.db.execute("DROP TABLE IF EXISTS listings")
                self.db.execute("DROP TABLE IF EXISTS outputs")
                self.db.execute("DROP TABLE IF EXISTS stamps")
                self.db.execute("DROP TABLE IF EXISTS dicts")
                self.db.execute(f"PRAGMA user_version = {SCHEMA}")
        # The HTML last: a row's other columns are read without walking its HTML's overflow pages.
        self.db.execute("CREATE TABLE IF NOT EXISTS pages (src_uri TEXT PRIMARY KEY, key TEXT NOT NULL, "
                        "context TEXT NOT NULL, record BLOB, entries TEXT NOT NULL, dict TEXT NOT NULL, html BLOB NOT NULL)")
        # The dictionaries pages are compressed against (pagezip.py), by id; `base`: the global key then.
        self.db.execute("CREATE TABLE IF NOT EXISTS dicts (id TEXT PRIMARY KEY, base TEXT NOT NULL, data BLOB NOT NULL)")
        self.packer = pagezip.Packer({zid: data for zid, data in self.db.execute("SELECT id, data FROM dicts")})
        # A generated listing (a tag's, a place's, a month's pages) by a key of what it is made
        # from: the pages it gave, so an unchanged listing is not generated again (Listing.stored).
        self.db.execute("CREATE TABLE IF NOT EXISTS listings (key TEXT PRIMARY KEY, pages BLOB NOT NULL)")
        # The file each stored page was last written to, per site folder, as the file system saw
        # it then (size, mtime): an unchanged page whose file is still that is not written again.
        self.db.execute("CREATE TABLE IF NOT EXISTS outputs (site TEXT NOT NULL, src_uri TEXT NOT NULL, "
                        "key TEXT NOT NULL, context TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
                        "PRIMARY KEY (site, src_uri))")
        # Each article page's file as last read (size, mtime, inode, device, ctime) and its digest
        # (pagefiles.py).
        self.db.execute("CREATE TABLE IF NOT EXISTS stamps (src_uri TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                        "mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, dev INTEGER NOT NULL, "
                        "ctime_ns INTEGER NOT NULL, digest TEXT NOT NULL)")
        self.stamps: dict[str, Stamp] = {
            uri: tuple(rest) for uri, *rest in self.db.execute(
                "SELECT src_uri, size, mtime_ns, ino, dev, ctime_ns, digest FROM stamps")}
        self.new_stamps: dict[str, Stamp] = {}
        self.new_outputs: dict[tuple[str, str], tuple[str, str, int, int]] = {}
        self.gone_outputs: list[tuple[str, str]] = []
        self.outputs_site: str | None = None  # one site folder is remembered (`mkdocs serve` makes new ones)
        self.keys: dict[str, tuple[str, str]] = {uri: (key, context) for uri, key, context in
                                                 self.db.execute("SELECT src_uri, key, context FROM pages")}
        self.new: dict[str, tuple[str, str, bytes, str, bytes | None, str]] = {}
        self.base = ""
        self.records: dict[str, bytes] | None = None  # src_uri -> stored record, read at the first `record`
        self.loader = recordblob.Loader()
        self.listing_keys: set[str] = {k for (k,) in self.db.execute("SELECT key FROM listings")}
        self.new_listings: dict[str, bytes] = {}
        self.used_listings: set[str] = set()

    def start(self, base: str) -> None:
        """The build's global key: the last dictionary made under it is used again (pagezip.py)."""
        self.base = base
        row = self.db.execute("SELECT id FROM dicts WHERE base = ? ORDER BY rowid DESC LIMIT 1", (base,)).fetchone()
        if row is not None:
            self.packer.use(row[0])

    def has(self, src_uri: str, key: str) -> bool:
        return self.keys.get(src_uri, ("",))[0] == key

    def fits(self, src_uri: str, key: str, context: str) -> bool:
        """The stored page is this one's: same key and same context."""
        return self.keys.get(src_uri) == (key, context)

    def get(self, src_uri: str) -> tuple[str, list]:
        """(HTML, search entries) of a page `has` found."""
        html, zid, entries = self.db.execute("SELECT html, dict, entries FROM pages WHERE src_uri = ?",
                                             (src_uri,)).fetchone()
        return self.packer.unpack(html, zid).decode("utf-8"), json.loads(entries)

    def page_bytes(self, src_uri: str) -> bytes:
        """The stored page as MkDocs writes it (UTF-8, characters it cannot encode as references)."""
        return self.packer.unpack(*self.db.execute("SELECT html, dict FROM pages WHERE src_uri = ?",
                                                   (src_uri,)).fetchone())

    def stamp(self, src_uri: str, value: Stamp) -> None:
        """Keep the page file's stamp (size, mtime, inode, device, ctime, digest): pages not stamped in a
        build are forgotten."""
        self.new_stamps[src_uri] = value

    def outputs(self, site: str) -> dict[str, tuple[str, str, int, int]]:
        """src_uri -> (key, context, size, mtime_ns) of the files last written into `site`."""
        return {uri: (key, context, size, mtime) for uri, key, context, size, mtime in self.db.execute(
            "SELECT src_uri, key, context, size, mtime_ns FROM outputs WHERE site = ?", (site,))}

    def put_output(self, site: str, src_uri: str, key: str, context: str, size: int, mtime_ns: int) -> None:
        self.new_outputs[(site, src_uri)] = (key, context, size, mtime_ns)
        self.outputs_site = site

    def forget_outputs(self, site: str, uris) -> None:
        self.gone_outputs += [(site, uri) for uri in uris]
        self.outputs_site = site

    def record(self, src_uri: str, text: str | None = None) -> Record | None:
        """The article's front matter as read when its page was stored (no YAML parsing); its body
        (the search index reads it) is cut from `text` again, the page's unchanged text."""
        if self.records is None:  # one query for all (one per page was a tenth of a rebuild's record reading)
            self.records = {uri: blob for uri, blob in self.db.execute("SELECT src_uri, record FROM pages") if blob}
        blob = self.records.pop(src_uri, None)
        record = self.loader.loads(blob) if blob else None
        if record is not None and record.body == "" and text is not None:
            # The record is this call's own (just loaded): set, not dataclasses.replace (16 us a
            # record, 0.16 s a build at 10,000 articles).
            record.body = split_page(text)[1]
        return record

    def listing(self, key: str) -> object | None:
        """What `put_listing` stored under `key` (None when nothing)."""
        self.used_listings.add(key)
        if key not in self.listing_keys:
            return None
        row = self.db.execute("SELECT pages FROM listings WHERE key = ?", (key,)).fetchone()
        return pickle.loads(zlib.decompress(row[0])) if row else None

    def keep_listings(self, keys) -> None:
        """Entries not read this build but still wanted (a stored listing's older pages)."""
        self.used_listings.update(keys)

    def put_listing(self, key: str, value: object) -> None:
        self.used_listings.add(key)
        self.new_listings[key] = zlib.compress(pickle.dumps(value, protocol=5), 1)

    def put(self, src_uri: str, key: str, context: str, html: str, entries: list, record: Record | None) -> int:
        """Keep a rendered page; returns the size of its file (MkDocs' encoding of `html`)."""
        # The folder is ours only (cachedir.ensure), as for the read cache's pickles.
        # The body is not stored ("" = it had one, cut again from the text by `record`).
        blob = recordblob.dumps(record, None if record.body is None else "") if record else None
        data = html.encode("utf-8", "xmlcharrefreplace")  # as MkDocs writes it (_build_page)
        self.new[src_uri] = (key, context, *self.packer.pack(data), json.dumps(entries, ensure_ascii=False), blob)
        return len(data)

    def commit(self, present: set[str]) -> None:
        """Store this build's pages and forget pages that are gone, in one transaction (with the
        files written: `put_output`, `forget_outputs`)."""
        with self.db:
            if self.outputs_site is not None:
                self.db.execute("DELETE FROM outputs WHERE site != ?", (self.outputs_site,))
            self.db.executemany("INSERT OR REPLACE INTO outputs (site, src_uri, key, context, size, mtime_ns) "
                                "VALUES (?, ?, ?, ?, ?, ?)", [(*k, *v) for k, v in self.new_outputs.items()])
            self.db.executemany("DELETE FROM outputs WHERE site = ? AND src_uri = ?", self.gone_outputs)
            self.db.executemany("INSERT OR REPLACE INTO dicts (id, base, data) VALUES (?, ?, ?)",
                                [(zid, self.base, data) for zid, data in self.packer.new.items()])
            self.db.executemany("INSERT OR REPLACE INTO pages (src_uri, key, context, html, dict, entries, record) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                [(uri, *value) for uri, value in self.new.items()])
            self.db.executemany("DELETE FROM stamps WHERE src_uri = ?",
                                [(uri,) for uri in self.stamps if uri not in self.new_stamps])
            self.db.executemany("INSERT OR REPLACE INTO stamps (src_uri, size, mtime_ns, ino, dev, ctime_ns, "
                                "digest) VALUES (?, ?, ?, ?, ?, ?, ?)", [(uri, *v) for uri, v in self.new_stamps.items()
                                                           if self.stamps.get(uri) != v])
            self.stamps, self.new_stamps = dict(self.new_stamps), {}
            gone = [(uri,) for uri in self.keys if uri not in present]
            self.db.executemany("DELETE FROM pages WHERE src_uri = ?", gone)
            self.db.executemany("INSERT OR REPLACE INTO listings (key, pages) VALUES (?, ?)",
                                list(self.new_listings.items()))
            self.db.executemany("DELETE FROM listings WHERE key = ?",
                                [(k,) for k in self.listing_keys - self.used_listings])
            self.db.execute("DELETE FROM dicts WHERE id NOT IN (SELECT dict FROM pages)")
        self.new.clear()
        self.packer.new.clear()
        self.new_listings.clear()
        self.new_outputs.clear()
        self.gone_outputs.clear()
        self.outputs_site = None

    def close(self) -> None:
        self.db.close()


def skip_render(page) -> None:
    """A cached page's Markdown is empty: give it what MkDocs' render of "" gives (no content, an
    empty table of contents, no anchors) without building a Markdown instance with every extension
    for it (about 0.6 ms a page, 6 s of a 10,000-article rebuild, issue 12)."""
    from mkdocs.structure.toc import get_toc

    def render(config, files) -> None:
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        page.links_to_anchors = {}

    page.render = render


class _WarningCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _material_search(config) -> object | None | bool:
    """Material's search plugin (its index is what cached pages add to), None without a search
    plugin, False for another search engine (whose indexing this cache cannot replay)."""
    for name, plugin in config.plugins.items():
        if name.endswith("search"):
            ok = type(plugin).__module__.startswith("material.plugins.search") and hasattr(plugin, "search_index")
            return plugin if ok else False
    return None


def folder(config, typed: str) -> Path:
    """The build cache's folder: `build_cache_dir` (`typed`) beside mkdocs.yml, or where an absolute
    path puts it (a CI runner's cache disk), said in so many words. A relative path that leads out
    of the project (`../../elsewhere`, or a link out of it) wrote the cache into whatever folder it
    named, outside the repository and out of sight: refused in one line."""
    root = Path(config.config_file_path or config.docs_dir).resolve().parent
    path = root / typed
    if not Path(typed).is_absolute() and not path.resolve().is_relative_to(root):
        raise PluginError(f"archive: build_cache_dir: {typed!r} leads out of the project folder ({root}) "
                          f"to {path.resolve()}: give a folder inside it, or an absolute path")
    return path


class PageCache:
    """The plugin's side of the cache: which pages (src_uri -> content digest) are served from it,
    and what the plugin's events do with them."""

    def __init__(self, config, folder: Path) -> None:
        search = _material_search(config)
        self.enabled = search is not False
        self.entries: list = search.search_index.entries if search else []
        self.keys: dict[str, str] = {}
        self.contexts: dict[str, str] = {}
        self.cached: set[str] = set()
        self.store: BuildCache | None = None
        self._mark = 0
        if not self.enabled:
            return
        # A page whose rendering warned (a broken link in its body) must warn again next time:
        # a build that logged any warning stores nothing.
        self.warnings = _WarningCount()
        logging.getLogger("mkdocs").addHandler(self.warnings)
        self.store = BuildCache(folder)
        self.base = global_key(config.config_file_path, list(config.theme.dirs),
                               {"use_directory_urls": config.use_directory_urls, "site_url": config.site_url,
                                "docs_dir": Path(config.docs_dir).name})
        self.store.start(self.base)

    def add(self, uri: str, digest: str, context: str | None = "", text: str | None = None) -> Record | None:
        """Register a page by the digest of its content; when the cache holds it, an article's
        record (its front matter as the site reads it) is returned, and the page is served from
        there if its context matches too (context None: known later, see `settle`)."""
        if self.store is None:
            return None
        self.keys[uri] = key = page_key(self.base, uri, digest)
        if not self.store.has(uri, key):
            return None
        if context is not None:
            self.settle(uri, context)
        return self.store.record(uri, text)

    def add_page(self, uri: str, digest: str) -> bool:
        """Register a generated page by the digest of its content: is it served from the cache?"""
        if self.store is None:
            return False
        self.keys[uri] = page_key(self.base, uri, digest)
        self.settle(uri, "")
        return uri in self.cached

    def settle(self, uri: str, context: str) -> None:
        """The page's context (what else its HTML shows); it is served from the cache only if that matches."""
        self.contexts[uri] = context
        if self.store is not None and uri in self.keys and self.store.fits(uri, self.keys[uri], context):
            self.cached.add(uri)

    def template_loader(self, env) -> None:
        """The one-line template a cached page is rendered with; and Jinja's compiled templates kept
        in the cache folder, so that a rebuild does not compile Material's templates again. Jinja
        checks each against its template's source; the folder is named after the global key (the
        templates, the code and the packages' versions) and older ones are removed."""
        import jinja2

        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({CACHED_TEMPLATE: TEMPLATE_SOURCE}), env.loader])
        if self.store is None:
            return
        root = self.store.path.parent / "jinja"
        folder = ensure(root / self.base[:16])
        for old in root.iterdir():
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))

    def before_context(self, page) -> None:
        """Runs before the search plugin indexes the page: a cached page adds its entries here,
        in the place a clean build adds them, and carries its finished HTML."""
        self._mark = len(self.entries)
        uri = page.file.src_uri
        if uri in self.cached and self.store is not None:
            html, entries = self.store.get(uri)
            self.entries.extend(entries)
            page.content = html

    def after_page(self, page, output: str, record: Record | None) -> int | None:
        """Store a rendered page; the size of its file when stored."""
        uri = page.file.src_uri
        if self.store is not None and uri in self.keys and uri not in self.cached:
            return self.store.put(uri, self.keys[uri], self.contexts.get(uri, ""), output, self.entries[self._mark:],
                                  record)
        return None

    def finish(self, commit: bool) -> None:
        if self.store is None:
            return
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if commit and not self.warnings.count:
            self.store.commit(set(self.keys))
        self.store.close()
        self.store = None
