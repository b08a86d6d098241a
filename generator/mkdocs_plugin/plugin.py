"""The archive plugin: tag, location and date indices, the home page's latest list, article headers.

Generated pages are virtual files (nothing is written into content/) and are kept out of the
navigation; article pages are never in the navigation either, which keeps large builds fast.
"""
from __future__ import annotations

import html
import zlib
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..enrich.tags import default_vocabulary
from ..search import site as search_site
from ..cachedir import CacheDirError, ensure
from . import (article, buildcache, catalogue, charts, clashes, exports, feedset, gctune, listings, locator, map as sitemap,
               mapsvg, mdreuse, navmemo, outside, pagefiles, pages, parallel, rawhtml, related, reproducible, searchjob, siteconfig,
               skeleton, unchanged)
from .catalogue import FIND_MARKER, MAP_MARKER
from .listingcache import fingerprint
from .config import ArchiveConfig, marker_span
from .index import (LocationNode, Record, build_day, derive, implausible_dates, name_slug, place_slug, shared_ids,
                    template_meta)

log = get_plugin_logger(__name__)


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        self.titles: dict[str, str] = {}  # generated page -> its plain-text title
        self.blocks: dict[str, list[str]] = {}  # generated page -> its HTML blocks (listings.fill)
        self.urls: dict[str, str] = {}  # article src_uri -> site-relative URL
        self.prints: dict[str, bytes] = {}  # article src_uri -> hash of what listings show of it (_listing)
        self.map_nodes: list[LocationNode] = []
        self.tags: dict[str, list[Record]] = {}  # tag -> its articles, newest first (catalogue.py)
        self.tree: dict[str, LocationNode] = {}  # the location tree (catalogue.py)
        self.newest: list[Record] = []  # the records, newest first (catalogue.indexes)
        self.neighbours: dict[str, related.Neighbours] = {}
        self.related_job: related.Pending | None = None  # the neighbours, until the listings are made
        self.cooc: charts.Cooccurrence | None = None  # the charts' counts (_lead), made at the first chart
        self.site_url = ""  # feed links are shown only when feeds are written (they need it)
        self.page_feeds: dict[str, tuple[str, str]] = {}  # tag/country page -> (its feed, its name): main.html
        self.notes: list[str] = []  # what the build chose not to do, printed by `archive build`
        self.link = pages.Linker()
        self.cache: buildcache.PageCache | None = None
        self.parked: dict[str, bytes | str] = {}  # page -> its HTML, compressed until written (_park)
        self.search_job: searchjob.SearchJob | None = None  # the search index's child (searchjob.py)
        self.files: Files | None = None
        self.outputs: unchanged.Outputs | None = None  # pages left out of MkDocs' page loop (unchanged.py)
        self.navmemo: navmemo.NavMemo | None = None
        self.renderer: mdreuse.Renderer | None = None  # one Markdown instance for every page (mdreuse.py)
        self.nav = None
        self.share: parallel.Share | None = None  # pages rendered outside MkDocs' loop (parallel.py)
        self.skeletons: skeleton.Skeletons | None = None
        self._found: tuple[Files | None, set[str]] = (None, set())  # link targets found in these files
        self.article_links: article.Links | None = None

    # -- where generated pages live -------------------------------------------------------------
    def tag_uri(self, name: str) -> str:
        return f"{self.config.tags_dir}/{name_slug(name)}.md"

    def node_uri(self, node: LocationNode) -> str:
        return f"{self.config.locations_dir}/{node.slug}.md"

    def place_uri(self, place) -> str:
        return f"{self.config.locations_dir}/{place_slug(place)}.md"

    def month_uri(self, key: str) -> str:
        return f"{self.config.archive_dir}/{key}.md"

    # -- events -----------------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> None:
        if problem := siteconfig.problem(config):  # values the theme prints as they are
            raise PluginError(problem)
        for remote in siteconfig.remote_loads(config):  # the site fetches nothing from other hosts
            log.warning(remote)

    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        gctune.relax()  # until on_post_build or on_build_error (gctune.py)
        for problem in (outside.drop(files, config.docs_dir, config.theme.custom_dir)  # links out, and names
                        + outside.undecodable(files) + outside.page_copies(files)):  # not UTF-8; `x.md~`
            log.warning(problem)
        hand = clashes.addresses(files)  # before the archive adds its own pages (clashes.py)
        prefix = self.config.articles_dir.rstrip("/") + "/"
        self.parked = {}
        self.bodies = pagefiles.Bodies()  # article bodies not read yet (pagefiles.py)
        self.renderer = mdreuse.Renderer.for_config(config) if self.config.reuse_markdown else None
        self.link = pages.Linker(config.use_directory_urls)
        self.site_url = config.site_url or ""
        self._open_cache(config)
        articles = [f for f in files.documentation_pages() if f.src_uri.startswith(prefix)]
        for problem in outside.strays(files, prefix):  # an article page moved out of articles/
            log.warning(problem)
        # Front matter read (or, for a file unchanged since the last build, taken from the cache: pagefiles.py).
        readers = (self.config.parallel_workers or parallel.cores() - 1) if self.config.parallel_render else 0
        self.records = pagefiles.read(self.cache, articles, self.bodies, readers)
        for f in articles:
            record = self.records[f.src_uri]
            record.meta = {}  # the whole front matter: nothing reads it after record_from_text
            for problem in record.problems:  # a hand-edit mistake: one line, and a strict build fails
                log.warning(problem)
            self.urls[f.src_uri] = f.url
        for problem in shared_ids(list(self.records.values())):  # a page copied with its id
            log.warning(problem)
        for problem in implausible_dates(list(self.records.values()), build_day(), self.config.earliest_date):
            log.warning(problem)
        self.link.known(self.urls)
        catalogue.indexes(self)  # the tags and places, for the listings and the search child
        self.prints = {uri: derive(r, "print", fingerprint) for uri, r in self.records.items()}
        store = self.cache.store if self.cache is not None else None
        # Related articles: stored, or computed first by the search index's child, beside the
        # listings (related.Pending.hand_over), or here when there is no second core.
        self._stop_related()
        self.related_job = related.start(list(self.records.values()), self.prints, store,
                                         self.cache.base if store is not None else "")
        first = self.related_job.hand_over() if self.config.parallel_render and parallel.cores() > 1 else None
        gctune.freeze()  # the records, MkDocs' files: no collection walks them again (nor the child's)
        # The search index needs the records only: its child starts now, beside everything below.
        self._start_search(config, first)
        self.related_job.handed()
        self._locator_files(files, config)
        self.titles = {}
        self.blocks = {}
        for page in catalogue.generated_pages(self):
            self.titles[page.uri] = page.title
            if page.standalone and self.cache:
                self.cache.add_page(page.uri, page.digest)
            if page.blocks and not self._cached(page.uri):  # a cached page's HTML is in the cache
                self.blocks[page.uri] = page.blocks
            files.append(File.generated(config, page.uri, content=page.markdown))
        self.neighbours, self.related_job = self.related_job.result(), None
        if self.cache:
            # Related articles and older/newer change when OTHER articles change: part of the key.
            for uri in self.records:
                self.cache.settle(uri, related.digest(self.neighbours.get(uri)))
        self._exports(files, config)
        for problem in clashes.clashes(hand, files, (self.config.feed_path, "feeds/", f"{SEARCH_DIR}/", sitemap.PLACES)):
            log.warning(problem)
        self._check_links(files)
        self.outputs = None
        if self.cache is not None and self.cache.store is not None and unchanged.allowed(config):
            # Pages served whole from the cache are not MkDocs' to render: on_post_build puts them in place.
            files = unchanged.PageFiles(files, set(self.cache.cached))
            self.outputs = unchanged.Outputs(self.cache.store, config.site_dir,
                                           Path(config.config_file_path or config.docs_dir).parent)
        self.files = files
        return files

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        if template_name == "sitemap.xml" and isinstance(self.files, unchanged.PageFiles):
            context["pages"] = self.files.every_page(config)  # the skipped pages too, in their order
        return context

    def _start_search(self, config: MkDocsConfig, first=None) -> None:
        """The search index is made from the records only: in a child process started as soon as
        they are read (searchjob.py), which runs `first` before it (the related articles)."""
        self._stop_search()
        out = Path(config.site_dir).resolve() / SEARCH_DIR
        state, salt = None, ""
        if self.cache is not None and self.cache.store is not None:
            # An index made from the same documents (by the same code, for this folder) is reused.
            state, salt = self.cache.store.path.parent / "search-index.json", f"{self.cache.base}\0{out}"
        self.search_job = searchjob.SearchJob(self._search_index, out, state, salt, first)
        self.search_job.start()

    def _stop_related(self) -> None:
        if self.related_job is not None:
            self.related_job.stop()
        self.related_job = None

    def _stop_search(self) -> None:
        if self.search_job is not None:
            self.search_job.stop()
        self.search_job = None

    def _open_cache(self, config: MkDocsConfig) -> None:
        """Article pages and listings out of the navigation are served from the build cache when
        their content, the templates, the code and the configuration are those it was built with."""
        if self.cache is not None:
            self.cache.finish(commit=False)
        self.cache = None
        if self.config.build_cache:
            try:
                self.cache = buildcache.PageCache(config, buildcache.folder(config, self.config.build_cache_dir))
            except CacheDirError as exc:  # one line, not a traceback (`build_cache_dir: /etc`)
                raise PluginError(f"archive: build_cache_dir: {exc}") from None

    def _locator_files(self, files: Files, config: MkDocsConfig) -> None:
        """One outline file per map view the article pages show (locator.py), drawn once: kept in
        the build cache folder, from where MkDocs copies it into the site."""
        views = {v for r in self.records.values() if (v := derive(r, "view", article.view))}
        folder = None
        if self.config.build_cache:
            folder = ensure(buildcache.folder(config, self.config.build_cache_dir) / "locator")
        used: set[str] = set()
        for uri, path, data in sorted(locator.ensure_file(v, folder) for v in views):
            used.add(Path(uri).name)
            files.append(File.generated(config, uri, abs_src_path=str(path)) if path is not None
                         else File.generated(config, uri, content=data))
        if folder is not None:
            for old in folder.glob("*.svg"):  # views no article shows any more
                if old.name not in used:
                    old.unlink(missing_ok=True)

    def _cached(self, uri: str) -> bool:
        return self.cache is not None and uri in self.cache.cached

    def _check_links(self, files: Files) -> None:
        """The generated HTML links bypass MkDocs' link validation: check them here, as strictly.
        A target found in `files` is not looked up again (20 links an article page, each a PurePath).
        A target that is a file's own address (the Linker makes them so: nearly every one) is found
        by a dict look-up; `get_file_from_path`, which normalises the path through a PurePath first
        and finds the same file, is asked only for the others (this check was 0.09-0.11 CPU-s of an
        add-10 rebuild at 10,000 articles, 0.02 after)."""
        if self._found[0] is not files:
            self._found = (files, set())
        found = self._found[1]
        uris = files.src_uris  # (its keys are normalised addresses: a key found is the file it gives)
        for target, source in sorted(self.link.targets.items()):
            if target in found:
                continue
            if target not in uris and files.get_file_from_path(target) is None:
                log.warning("archive: %s links to %s, which is not a page of the site", source, target)
            else:
                found.add(target)
        self.link.targets.clear()

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """An article's body as read at build start, behind an empty front matter block (so that
        MkDocs neither parses the front matter again nor reads a first line "Key: value" as
        MultiMarkdown metadata); on_page_markdown restores the page's metadata."""
        if self.config.enabled and self._cached(page.file.src_uri):
            buildcache.skip_render(page)
            return ""  # its finished HTML comes from the build cache (buildcache.py)
        record = self.records.get(page.file.src_uri) if self.config.enabled else None
        if record is not None:
            self.bodies.load(record)
        elif self.config.enabled and page.file.src_uri not in self.titles:  # an editor's own page
            source, problem = pagefiles.hand_written(page.file)
            if problem:
                log.warning(problem)
            return source
        if record is None or record.body is None:
            return None
        return "---\n{}\n---\n\n" + record.body + "\n"

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        uri = page.file.src_uri
        if self._cached(uri):
            page.meta.clear()
            page.meta.update({"template": buildcache.CACHED_TEMPLATE, "search": {"exclude": True}})
            return ""
        record = self.records.get(uri)
        if record is not None:
            # Front matter is article text: only declared fields reach the templates, escaped (index.py).
            page.meta.clear()
            page.meta.update(template_meta(record))
            page.meta["og"] = article.open_graph(record, config.site_name, (config.site_url or "") + page.url)
            self._check_links(files)
            return None
        if uri in self.titles:
            # Tag and place names may come from hand-edited front matter: escape them too.
            page.meta["title"] = html.escape(self.titles[uri], quote=False)
            if uri in self.blocks:
                # A listing only repeats its articles' titles and summaries: searching it would
                # find every article a second time (half of the search index, issue 12).
                page.meta["search"] = {"exclude": True}
            if uri == self.config.map_page:
                return markdown.replace(MAP_MARKER, self._map(page, files))
            if uri == self.config.find_page:
                base = html.escape(get_relative_url(".", page.url).rstrip("/") + "/", quote=True)
                return markdown.replace(FIND_MARKER, search_site.form_html(base, base + SEARCH_DIR + "/"))
            return None
        if uri == "index.md":
            c, markdown = self.config, listings.inert(markdown)
            at = marker_span(markdown, c.home_marker)
            if at is None:  # no list, and no word said why (a marker deleted with the text around it)
                if c.home_latest:
                    log.warning("index.md: no line %s (home_marker) where the latest articles go: the home "
                                "page lists none (home_latest: 0 if that is meant)", c.home_marker)
                return None
            self.blocks[uri] = [listings.home(uri, self.newest, c.home_latest,
                                              f"{c.archive_dir}/index.md", f"{c.archive_dir}/undated.md", self.link)]
            self._check_links(files)
            return markdown[:at[0]] + listings.placeholder(0) + markdown[at[1]:]
        return None

    def _exports(self, files: Files, config: MkDocsConfig) -> None:
        """data/articles.json, .csv and places.geojson, as site files (About links to them). With
        the build cache, each is kept in its folder under a key of what it is made from (the
        articles' fingerprints, their URLs, the places, the code and configuration) and only made
        when that changed."""
        site_url = config.site_url or ""
        folder, base = None, ""
        if self.cache is not None and self.cache.store is not None:
            folder, base = ensure(self.cache.store.path.parent / "exports"), self.cache.base
        records = self.newest  # catalogue.indexes
        articles_key = exports.key_of("articles", base, site_url, [self.urls[r.src_uri] for r in records],
                                      prints=[self.prints[r.src_uri] for r in records])
        node_url = lambda n: self.link.url(self.node_uri(n))  # noqa: E731
        places_key = exports.key_of("places", base, site_url, [(n.name, n.kind, n.slug, n.place, len(n.articles),
                                                                node_url(n)) for n in self.map_nodes])
        data: list[dict] | None = None

        def rows() -> list[dict]:
            nonlocal data
            data = data if data is not None else exports.rows(records, self.urls, site_url)
            return data

        used = set()
        for uri, key, make in ((exports.ARTICLES_JSON, articles_key, lambda: exports.articles_json(rows())),
                               (exports.ARTICLES_CSV, articles_key, lambda: exports.articles_csv(rows())),
                               (exports.PLACES_GEOJSON, places_key,
                                lambda: exports.places_geojson(self.map_nodes, node_url, site_url))):
            path, text = exports.cached_file(folder, key, uri, make)
            if path is None:
                files.append(File.generated(config, uri, content=text))
            else:
                used.add(path.name)
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        if folder is not None:
            for old in folder.iterdir():  # exports of earlier archives
                if old.name not in used:
                    old.unlink(missing_ok=True)

    def on_page_content(self, output: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Generated HTML goes in after Markdown, never through it: the article header in front of
        the body, a listing's blocks in place of their placeholders (listings.fill)."""
        uri = page.file.src_uri
        if not self.config.enabled or self._cached(uri):
            return None
        record = self.records.get(uri)
        if record is not None:
            links = self.article_links  # made once per folder of pages (article.Links)
            if links is None or links.link is not self.link:
                links = self.article_links = article.Links(self.link, self.tag_uri, self.place_uri)
            if record.body is None or rawhtml.might_hold(record.body):  # an editor's raw HTML (rawhtml.py)
                output, unsafe = rawhtml.neutralise(output)
                for why in unsafe:
                    log.warning("%s: body: %s is shown as text (raw HTML that could run or load)", uri, why)
            header = (pages.article_header(record, links.tag_uri, links.place_uri, links)
                      + article.locator(record, lambda target: self.link.href(uri, target)))
            footer = article.footer(record, self.neighbours.get(uri), links)
            self._check_links(files)
            return self._park(uri, header + output + footer)
        blocks = self.blocks.get(uri)
        if not blocks:
            return None
        del self.blocks[uri]  # filled in once: not held to the end of the build
        return self._park(uri, listings.fill(output, blocks))

    def _park(self, uri: str, content: str) -> str:
        """MkDocs reads every page before it writes any, so every page's HTML is held at once (the
        build's peak, growing with the archive): an article's or listing's is held compressed
        (about a third) until on_page_context gives it back, just before its template is rendered."""
        # A page parallel.py renders is built right after (held for one page): not compressed.
        self.parked[uri] = content if parallel.busy() else zlib.compress(content.encode("utf-8", "surrogatepass"), 1)
        return ""

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        """Pages the cache keys but does not hold leave MkDocs' loop when they are many (parallel.py)."""
        self.nav = nav
        self.share = parallel.plan(files, nav, self.cache, self.config) if self.outputs is not None else None
        if isinstance(files, unchanged.PageFiles):
            files.settled()  # inclusions and skipped pages are final: its page list is made once
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if self.config.enabled and self.cache is not None:
            self.cache.template_loader(env)
        self.navmemo = navmemo.NavMemo(config) if self.config.enabled and self.config.nav_memo else None
        if self.navmemo is not None:
            self.navmemo.install(env)
        self.skeletons = None  # pages filled from their shape's skeleton (skeleton.py); a feed's page looks itself up
        if self.config.enabled and self.config.page_skeleton and unchanged.allowed(config):
            store = self.cache.store if self.cache is not None else None
            kept = skeleton.Kept(store, self.cache.base, self.nav) if store is not None and self.nav is not None else None
            self.skeletons = skeleton.install(env, exclude=set(self.page_feeds), kept=kept)
        if self.share is not None:  # MkDocs read the pages it keeps: the others are rendered now, on every core
            parallel.render(self.share, config, files, self.nav, env, self.cache, self.outputs)
            for file in self.share.files:
                self.blocks.pop(file.src_uri, None)  # a worker's listing: filled in there
        return env

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        if self.renderer is not None:
            self.renderer.adopt(page)  # a cached page's render is replaced again (on_page_read_source)
        return page

    @event_priority(100)  # before the search plugin indexes the page
    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        parked = self.parked.pop(page.file.src_uri, None) if self.config.enabled else None
        if parked is not None:
            page.content = parked if isinstance(parked, str) else zlib.decompress(parked).decode("utf-8", "surrogatepass")
        if self.config.enabled and self.cache is not None and page.file.src_uri in self.cache.keys:
            self.cache.before_context(page)
        return context

    @event_priority(-100)  # the page as it is written, after every other plugin
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.config.enabled and self.cache is not None and page.file.src_uri in self.cache.keys:
            size = self.cache.after_page(page, output, self.records.get(page.file.src_uri))
            if size is not None and self.outputs is not None:
                self.outputs.rendered_page(page.file.src_uri, page.file.abs_dest_path, size)
        if self.config.enabled:
            # Written next: MkDocs would keep every page's HTML and Markdown to the end of the build
            # (a cached page's whole finished HTML: 24 KB a page, 0.3 GB at 10,000 articles). The
            # Markdown becomes "", not None: Page.title is None for a page not read yet, and a nav
            # page's title (About's, from its heading) is in the nav of every page built after it.
            page.content, page.markdown = None, ""
        return None

    def on_build_error(self, *, error: Exception) -> None:
        gctune.restore()
        self._stop_search()
        self._stop_related()
        if self.cache is not None:
            self.cache.finish(commit=False)
            self.cache = None

    def _map(self, page: Page, files: Files) -> str:
        def href(node: LocationNode) -> str:
            return self.link.href(page.file.src_uri, self.node_uri(node))

        located = sum(1 for n in self.map_nodes if n.place and n.place.lat is not None)
        svg = mapsvg.svg(self.map_nodes, href)
        self._check_links(files)
        base = get_relative_url(".", page.url).rstrip("/") + "/"
        return (sitemap.page_html(base, self.config.map_tiles, self.config.map_attribution, svg) + "\n\n"
                + f"{located} places with coordinates; a marker's size grows with its number of articles, "
                + "nearby markers are grouped until you zoom in, and a marker lists the newest articles there. "
                + "Country outlines: [Natural Earth](https://www.naturalearthdata.com/), public domain. "
                + "Places whose position is only known from their region are drawn at the region's centre. "
                + "Place data: [GeoNames](https://www.geonames.org/), CC BY 4.0.\n")

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._post_build(config)
        finally:
            gctune.restore()

    def _post_build(self, config: MkDocsConfig) -> None:
        self.notes = []
        reproducible.on_post_build(config)
        if not self.config.enabled:
            return
        if self.cache is not None:
            if self.outputs is not None and isinstance(self.files, unchanged.PageFiles):
                self.outputs.finish(self.files, self.cache.keys, self.cache.contexts)
            if self.skeletons is not None:
                self.skeletons.keep()  # the shapes proved in this build, for the next (skeleton.Kept)
            self.cache.finish(commit=True)
            self.cache = None
        site = Path(config.site_dir)
        sitemap.copy_vendor(site)
        sitemap.write_places(site, self.map_nodes, lambda n: self.link.url(self.node_uri(n)),
                             lambda r: self.urls[r.src_uri])
        self._feeds(config, site)  # while the search child may still be writing the index
        job, self.search_job = self.search_job, None
        if job is not None:  # started in on_files whenever the plugin is enabled
            job.finish()
            search_site.stamp_page(site / SEARCH_DIR, self.files.get_file_from_path(self.config.find_page))

    def _feeds(self, config: MkDocsConfig, site: Path) -> None:
        if not self.config.feed_enabled:
            return
        if not config.site_url:
            self.notes.append(feedset.NO_SITE_URL)
            log.info(feedset.NO_SITE_URL)
            return
        records = list(self.records.values())
        countries = list(self.tree.values())  # made for the listings, from the same records in the same order
        feedset.write_all(site, records, self.tags, countries, self.urls, config.site_name,
                          config.site_url, config.site_description or "", self.config.feed_path,
                          self.config.feed_length, lambda name: self.link.url(self.tag_uri(name)),
                          lambda node: self.link.url(self.node_uri(node)))

    def _search_index(self, out: Path, state: Path | None, salt: str) -> None:
        # The tags and the location tree as the listings have them (catalogue.indexes, made before the fork).
        records = list(self.records.values())
        vocab = default_vocabulary()
        aliases = {name: term.aliases for name, term in vocab.terms.items()}
        search_site.write_index(records, self.urls, self.tags, aliases, self.tree,
                                self.link.url, self.tag_uri, self.node_uri, out, state=state, salt=salt,
                                load_bodies=self.bodies.load_all)


SEARCH_DIR = "search-index"
