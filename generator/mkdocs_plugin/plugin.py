"""The archive plugin: tag, location and date indices, the home page's latest list, article headers.

Generated pages are virtual files (nothing is written into content/) and are kept out of the
navigation; article pages are never in the navigation either, which keeps large builds fast.
"""
from __future__ import annotations

import html
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url


from ..enrich.tags import default_vocabulary
from ..search import site as search_site
from ..textutil import slugify
from . import article, charts, exports, feedset, map as sitemap, mapsvg, pages, related, reproducible
from .config import ArchiveConfig
from .index import (LocationNode, Record, by_month, load_record, location_tree, newest_first, place_slug,
                    tag_index, tags_by_kind, template_meta, walk)

log = get_plugin_logger(__name__)


class ArchivePlugin(BasePlugin[ArchiveConfig]):
    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        self.titles: dict[str, str] = {}  # generated page -> its plain-text title
        self.urls: dict[str, str] = {}  # article src_uri -> site-relative URL
        self.map_nodes: list[LocationNode] = []
        self.neighbours: dict[str, related.Neighbours] = {}
        self.page_records: dict[str, tuple[list[Record], dict]] = {}  # tag/place page -> its articles, skips
        self.feed_links: dict[str, str] = {}  # tag/country page -> its feed (site path)
        self.notes: list[str] = []  # what the build chose not to do, printed by `archive build`
        self.link = pages.Linker()

    # -- where generated pages live -------------------------------------------------------------
    def tag_uri(self, name: str) -> str:
        return f"{self.config.tags_dir}/{slugify(name)}.md"

    def node_uri(self, node: LocationNode) -> str:
        return f"{self.config.locations_dir}/{node.slug}.md"

    def place_uri(self, place) -> str:
        return f"{self.config.locations_dir}/{place_slug(place)}.md"

    def month_uri(self, key: str) -> str:
        return f"{self.config.archive_dir}/{key}.md"

    # -- events -----------------------------------------------------------------------------------
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        prefix = self.config.articles_dir.rstrip("/") + "/"
        self.records = {}
        self.link = pages.Linker(config.use_directory_urls)
        for f in files.documentation_pages():
            if f.src_uri.startswith(prefix):
                record = self.records[f.src_uri] = load_record(Path(f.abs_src_path), f.src_uri)
                for problem in record.problems:  # a hand-edit mistake: one line, and a strict build fails
                    log.warning(problem)
                self.urls[f.src_uri] = f.url
        self.neighbours = related.compute(list(self.records.values()))
        self.titles = {}
        for uri, (title, text) in self._generated_pages().items():
            self.titles[uri] = title
            files.append(File.generated(config, uri, content=text))
        self._exports(files, config)
        self._check_links(files)
        return files

    def _check_links(self, files: Files) -> None:
        """The generated HTML links bypass MkDocs' link validation: check them here, as strictly."""
        for target, source in sorted(self.link.targets.items()):
            if files.get_file_from_path(target) is None:
                log.warning("archive: %s links to %s, which is not a page of the site", source, target)
        self.link.targets.clear()

    def _generated_pages(self) -> dict[str, tuple[str, str]]:
        """Every generated page: source URI -> (plain-text title, Markdown)."""
        c = self.config
        records = newest_first(list(self.records.values()))
        out: dict[str, tuple[str, str]] = {}

        tags = tag_index(records)
        vocab = default_vocabulary()
        tags_index = f"{c.tags_dir}/index.md"
        counts = {t: len(r) for t, r in tags.items()}
        aliases = {n: vocab.terms[n].aliases for n in tags if n in vocab.terms}
        out[tags_index] = c.tags_title, pages.tags_index_page(tags_index, tags_by_kind(tags), self.tag_uri, counts,
                                                              c.tags_title, self.link, aliases)
        self.page_records, self.feed_links = {}, {}
        for name, recs in tags.items():
            uri = self.tag_uri(name)
            out[uri] = name, pages.tag_page(uri, name, vocab.kind_of(name), recs, tags_index, self.link)
            self.page_records[uri] = recs, {"skip_tag": name}
            self.feed_links[uri] = feedset.tag_feed(name)

        tree = location_tree(records)
        loc_index = f"{c.locations_dir}/index.md"
        out[loc_index] = c.locations_title, pages.locations_index_page(loc_index, tree, self.node_uri,
                                                                       c.locations_title, self.link)

        def emit(node: LocationNode, parents: list[LocationNode]) -> None:
            uri = self.node_uri(node)
            out[uri] = node.name, pages.location_page(uri, node, parents, self.node_uri, loc_index, self.link)
            self.page_records[uri] = node.articles, {"skip_places": frozenset([node.slug] + [p.slug for p in parents])}
            if not parents:
                self.feed_links[uri] = feedset.country_feed(node)
            for child in node.children.values():
                emit(child, parents + [node])

        for node in tree.values():
            emit(node, [])
        self.map_nodes = list(walk(tree))
        out[c.map_page] = c.map_title, pages.heading(c.map_title) + MAP_MARKER + "\n"
        out[c.find_page] = c.find_title, pages.heading(c.find_title) + FIND_MARKER + "\n"

        months, undated = by_month(records)
        arch_index = f"{c.archive_dir}/index.md"
        undated_uri = f"{c.archive_dir}/undated.md"
        out[arch_index] = c.archive_title, pages.archive_index_page(arch_index, months, undated, self.month_uri,
                                                                    undated_uri, c.archive_title, self.link)
        for key, recs in months.items():
            uri = self.month_uri(key)
            out[uri] = pages.month_title(key), pages.month_page(uri, key, recs, arch_index, self.link)
        out[undated_uri] = ("Undated articles", pages.heading("Undated articles")
                            + pages.article_list(undated_uri, undated, self.link))
        return out

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """An article's body as read at build start, behind an empty front matter block (so that
        MkDocs neither parses the front matter again nor reads a first line "Key: value" as
        MultiMarkdown metadata); on_page_markdown restores the page's metadata."""
        record = self.records.get(page.file.src_uri) if self.config.enabled else None
        if record is None or record.body is None:
            return None
        return "---\n{}\n---\n\n" + record.body + "\n"

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        uri = page.file.src_uri
        record = self.records.get(uri)
        if record is not None:
            # Front matter is article text: only declared fields reach the templates, escaped (index.py).
            page.meta.clear()
            page.meta.update(template_meta(record))
            page.meta["og"] = article.open_graph(record, config.site_name, (config.site_url or "") + page.url)
            header = pages.article_header(record, self.tag_uri, self.place_uri, self.link) + article.locator(record)
            footer = article.footer(record, self.neighbours.get(uri), self.link)
            self._check_links(files)
            return header + markdown + footer
        if uri in self.titles:
            # Tag and place names may come from hand-edited front matter: escape them too.
            page.meta["title"] = html.escape(self.titles[uri], quote=False)
            if uri in self.page_records and self.config.charts:
                markdown = self._with_charts(uri, markdown, page, config)
                self._check_links(files)  # the charts' links to tags and places
                return markdown
            if uri == self.config.map_page:
                return markdown.replace(MAP_MARKER, self._map(page, files))
            if uri == self.config.find_page:
                base = html.escape(get_relative_url(".", page.url).rstrip("/") + "/", quote=True)
                return markdown.replace(FIND_MARKER, search_site.form_html(base, base + SEARCH_DIR + "/"))
            return None
        if uri == "index.md" and self.config.home_marker in markdown:
            latest = newest_first(list(self.records.values()))[: self.config.home_latest]
            listing = pages.article_list(uri, latest, self.link)
            self._check_links(files)
            return markdown.replace(self.config.home_marker, listing)
        return None

    def _with_charts(self, uri: str, markdown: str, page: Page, config: MkDocsConfig) -> str:
        """The page's charts (and its feed, when feeds are written) right below its heading."""
        records, skip = self.page_records[uri]
        extra = charts.panel(uri, records, self.tag_uri, self.place_uri, self.link, **skip)
        if uri in self.feed_links and config.site_url and self.config.feed_enabled:
            href = html.escape(get_relative_url(self.feed_links[uri], page.url), quote=True)
            extra = f'<p class="archive-feedlink"><a href="{href}">Feed of this page (RSS)</a></p>\n\n' + extra
        head, sep, rest = markdown.partition("\n\n")
        return head + sep + extra + rest

    def _exports(self, files: Files, config: MkDocsConfig) -> None:
        """data/articles.json, .csv and places.geojson, as site files (About links to them)."""
        records = list(self.records.values())
        data = exports.rows(records, self.urls, config.site_url or "")
        site_url = config.site_url or ""
        for uri, text in ((exports.ARTICLES_JSON, exports.articles_json(data)),
                          (exports.ARTICLES_CSV, exports.articles_csv(data)),
                          (exports.PLACES_GEOJSON, exports.places_geojson(
                              self.map_nodes, lambda n: self.link.url(self.node_uri(n)), site_url))):
            files.append(File.generated(config, uri, content=text))

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
        self.notes = []
        reproducible.on_post_build(config)
        if not self.config.enabled:
            return
        site = Path(config.site_dir)
        sitemap.copy_vendor(site)
        sitemap.write_places(site, self.map_nodes, lambda n: self.link.url(self.node_uri(n)),
                             lambda r: self.urls[r.src_uri])
        self._search_index(config)
        if not self.config.feed_enabled:
            return
        if not config.site_url:
            self.notes.append(feedset.NO_SITE_URL)
            log.info(feedset.NO_SITE_URL)
            return
        records = list(self.records.values())
        countries = list(location_tree(newest_first(records)).values())
        feedset.write_all(site, records, tag_index(newest_first(records)), countries, self.urls, config.site_name,
                          config.site_url, config.site_description or "", self.config.feed_path,
                          self.config.feed_length)


    def _search_index(self, config: MkDocsConfig) -> None:
        records = list(self.records.values())
        vocab = default_vocabulary()
        aliases = {name: term.aliases for name, term in vocab.terms.items()}
        search_site.write_index(records, self.urls, tag_index(records), aliases, location_tree(newest_first(records)),
                                self.link.url, self.tag_uri, self.node_uri, Path(config.site_dir) / SEARCH_DIR)


SEARCH_DIR = "search-index"
MAP_MARKER = "<!-- archive:map -->"
FIND_MARKER = "<!-- archive:find -->"
