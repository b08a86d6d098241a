"""Byte-identical sites from the same content, whatever the day, the clock or the folder.

MkDocs gzips `sitemap.xml` with a header that stores the build date as the gzip mtime, so two
builds of the same pages differ on another day, and deploys and caches move a file that did not
change. After the build, the archive rewrites that file from `sitemap.xml` with a fixed header
(mtime 0).
"""
from __future__ import annotations

import gzip
import io
import os
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

GZIPPED_TEMPLATES = ("sitemap.xml",)


def deterministic_gzip(data: bytes, name: str) -> bytes:
    """gzip bytes that depend on data and name only (no timestamp)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buffer.getvalue()


def on_post_build(config: MkDocsConfig) -> None:
    """Rewrite MkDocs' gzipped templates with fixed headers (called by the plugin's on_post_build)."""
    site = Path(config.site_dir)
    for name in GZIPPED_TEMPLATES:
        plain, packed = site / name, site / f"{name}.gz"
        if plain.is_file() and packed.is_file():
            _replace_bytes(packed, deterministic_gzip(plain.read_bytes(), name))


def _replace_bytes(path: Path, data: bytes) -> None:
    """Atomic: a temporary file beside the target, renamed over it, keeping the target's mode."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".tmp")
    try:
        os.fchmod(fd, path.stat().st_mode & 0o777)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
