"""A stored page's HTML compressed against a dictionary: another page of the site (issue 12).

Why: the build cache keeps every page's finished HTML, zlib-compressed (level 1), and a clean
build compressed all of them: 0.24 ms for a 20 KB article page, 3 CPU-s at 10,000 articles, and
the compressed pages are held in memory until the cache is committed at the build's end (about
6 KB each: 0.6 GB at 100,000 articles). Two thirds of a page are Material's header, navigation
and footer, the same on every page: with another page as deflate's preset dictionary they cost
next to nothing (0.10-0.12 ms a page, 2.7 KB).

The dictionary is the first page this process stores in a build (or the last build's, when made
with the same templates, code and configuration: `start`), kept in the cache's `dicts` table by a
hash of its bytes; each row names its dictionary (`""`: plain zlib). Forked page workers use the
dictionary chosen before the fork and never choose one (`seal`), so every row's dictionary is one
the main process stores.
"""
from __future__ import annotations

import hashlib
import zlib


class Packer:
    """Compresses pages against the build's dictionary; decompresses any stored page."""

    def __init__(self, dicts: dict[str, bytes]) -> None:
        self.dicts = dicts  # id -> bytes, every dictionary the cache holds
        self.new: dict[str, bytes] = {}  # chosen in this build, stored at commit
        self.current: str | None = None
        self.sealed = False
        self._primed: zlib._Compress | None = None  # type: ignore[name-defined]

    def use(self, zid: str) -> None:
        self.current = zid
        self._primed = zlib.compressobj(1, zdict=self.dicts[zid]) if zid else None

    def seal(self) -> None:
        """No dictionary is chosen from here on (before forking workers)."""
        if self.current is None:
            self.use("")
        self.sealed = True

    def pack(self, data: bytes) -> tuple[bytes, str]:
        """(compressed bytes, the dictionary's id)."""
        if self.current is None:
            zid = hashlib.sha256(data).hexdigest()[:16]
            self.dicts[zid] = self.new[zid] = data
            self.use(zid)
        if self._primed is None:
            return zlib.compress(data, 1), ""
        c = self._primed.copy()
        return c.compress(data) + c.flush(), self.current or ""

    def unpack(self, blob: bytes, zid: str) -> bytes:
        if not zid:
            return zlib.decompress(blob)
        d = zlib.decompressobj(zdict=self.dicts[zid])
        return d.decompress(blob) + d.flush()
