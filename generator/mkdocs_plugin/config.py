"""Typed options of the archive plugin, grouped by prefix like Material's own plugins."""
from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as opt


class ArchiveConfig(base.Config):
    enabled = opt.Type(bool, default=True)
    articles_dir = opt.Type(str, default="articles")

    home_latest = opt.Type(int, default=20)
    home_marker = opt.Type(str, default="<!-- archive:latest -->")

    tags_dir = opt.Type(str, default="tags")
    tags_title = opt.Type(str, default="Tags")

    locations_dir = opt.Type(str, default="locations")
    locations_title = opt.Type(str, default="Locations")

    map_page = opt.Type(str, default="map.md")
    map_title = opt.Type(str, default="Map")
    # A tile server URL template ({z}/{x}/{y}); empty: country outlines only, nothing fetched elsewhere.
    map_tiles = opt.Type(str, default="")
    map_attribution = opt.Type(str, default="")

    find_page = opt.Type(str, default="search.md")
    find_title = opt.Type(str, default="Search")

    charts = opt.Type(bool, default=True)

    feed_enabled = opt.Type(bool, default=True)
    feed_path = opt.Type(str, default="feed.xml")
    feed_length = opt.Type(int, default=50)

    page_size = opt.Type(int, default=50)  # articles per older listing page (listings.paginate)
    build_cache = opt.Type(bool, default=True)  # buildcache.py: unchanged article pages are not rendered again
    build_cache_dir = opt.Type(str, default=".cache/build")  # beside mkdocs.yml
    nav_memo = opt.Type(bool, default=True)  # navmemo.py: Material's nav, tabs and config JSON once per page group
    reuse_markdown = opt.Type(bool, default=True)  # mdreuse.py: one Markdown instance for every page
    page_skeleton = opt.Type(bool, default=True)  # skeleton.py: a page filled into its shape's rendered template
    parallel_render = opt.Type(bool, default=True)  # parallel.py: uncached pages rendered on every core
    parallel_workers = opt.Type(int, default=0)  # worker processes beside the main one; 0: one per extra core
    parallel_min_pages = opt.Type(int, default=1000)  # fewer uncached pages: all rendered by MkDocs' loop (parallel.py)

    archive_dir = opt.Type(str, default="archive")
    archive_title = opt.Type(str, default="Archive")
