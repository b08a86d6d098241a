"""Byte-identical sites from the same content, whatever the day, the clock or the folder.

MkDocs gzips `sitemap.xml` with a header that stores the build date as the gzip mtime, so two
builds of the same pages differ on another day, and deploys and caches move a file that did not
change. After the build, the archive rewrites that file from `sitemap.xml` with a fixed header
(mtime 0).
"""
from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from .. import sitewrite

GZIPPED_TEMPLATES = ("sitemap.xml",)
LASTMOD = re.compile(r"\n\s*<lastmod>[^<]*</lastmod>")


def deterministic_gzip(data: bytes, name: str) -> bytes:
    """gzip bytes that depend on data and name only (no timestamp)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buffer.getvalue()


def on_post_build(config: MkDocsConfig) -> None:
    """Rewrite MkDocs' gzipped templates with fixed headers (called by the plugin's on_post_build)."""
    site = Path(config.site_dir)
    sitemap = site / "sitemap.xml"
    if sitemap.is_file():
        # With a site_url, MkDocs gives every page <lastmod> = the build date: not when the page
        # changed, and it makes two builds of the same pages differ. Left out.
        text = sitemap.read_text(encoding="utf-8")
        cleaned = LASTMOD.sub("", text)
        if cleaned != text:
            sitewrite.update(sitemap, cleaned.encode("utf-8"))
    for name in GZIPPED_TEMPLATES:
        plain, packed = site / name, site / f"{name}.gz"
        if plain.is_file() and packed.is_file():
            sitewrite.update(packed, deterministic_gzip(plain.read_bytes(), name))

