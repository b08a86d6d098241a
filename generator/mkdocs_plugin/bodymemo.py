"""An article body's converted HTML, kept so that a page rendered again only for what is around its
body is not converted by Python-Markdown again (issue 12).

Why: adding 10 articles to a 10,000-article archive changes the related articles or older/newer
neighbours of a few hundred others. Their pages are rendered again (their footer changed: the
build cache's `context`), and Markdown -> HTML of a body that did not change was most of each
render. What a render gives depends on the Markdown text MkDocs hands it (after every plugin's
`on_page_markdown`), the page's file (its `src_uri` and URL), the configuration's Markdown
extensions, the code and the packages (all in the build cache's global key, `base`) and, through
relative links, on which other files exist. So a body is kept under a hash of the first ones,
and only when its conversion resolved no link against the site's files (every link external or to
an anchor of the page itself, as footnotes' are); then restoring it gives what converting it again
gives: the HTML, the table of contents, the title found in it, its anchors and the links to them.

It is stored in the page's build cache row (`BuildCache.put`, column `body`), so it lives and goes
with the page; the bodies of the pages about to be rendered again with an unchanged file are read
once, before any page is rendered (forked page workers, parallel.py, inherit them: no SQLite
connection is used across a fork). `tests/test_bodymemo.py` checks that a page assembled from a
kept body is a fresh render's bytes and that an edited body is converted again.
"""
from __future__ import annotations

import hashlib
import json
import logging
import zlib
from urllib.parse import urlsplit

from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

VERSION = "1"  # the kept value's layout


class BodyMemo:
    """Kept bodies of the pages to render (`restore`), and the bodies rendered now (`kept`)."""

    def __init__(self, base: str, stored: dict[str, bytes], wanted: set[str]) -> None:
        self.base = base
        self.stored = stored  # src_uri -> the kept body (compressed JSON), read before rendering
        self.wanted = wanted  # pages whose bodies are kept (articles)
        self.kept: dict[str, bytes] = {}  # src_uri -> this build's body, for the page's cache row
        self.restored = 0  # pages given a kept body (tests read it)

    def key(self, page) -> str:
        """What the conversion of the page's Markdown depends on, but for the site's other files."""
        h = hashlib.sha256(f"{VERSION}\0{self.base}\0{page.file.src_uri}\0{page.file.url}\0".encode())
        h.update(page.markdown.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def restore(self, page, key: str) -> bool:
        """Give the page its kept body when it was converted from the same input; False otherwise."""
        blob = self.stored.get(page.file.src_uri)
        if blob is None:
            return False
        value = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
        if value[0] != key:
            return False
        _key, page.content, tokens, page._title_from_render, anchors, own = value
        page.toc = get_toc(tokens)
        page.present_anchor_ids = set(anchors)
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:  # as Page.render
            page.links_to_anchors = {page.file: own} if own else {}
        self.kept[page.file.src_uri] = blob
        self.restored += 1
        return True

    def keep(self, page, key: str, toc_tokens: list, local_links: int, links_to_anchors: dict) -> None:
        """Keep a page's fresh conversion, unless it depends on other files (a link MkDocs resolved
        against them); `links_to_anchors`: the links to anchors it found (MkDocs checks them later),
        then only to the page's own."""
        if local_links or any(target is not page.file for target in links_to_anchors):
            return
        value = [key, page.content, toc_tokens, page._title_from_render, sorted(page.present_anchor_ids),
                 next(iter(links_to_anchors.values()), {})]
        self.kept[page.file.src_uri] = zlib.compress(
            json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"), 1)


def local_link(url: str) -> bool:
    """A link MkDocs resolves against the site's files: not external, not only an anchor or query
    (of the page itself)."""
    scheme, netloc, path = urlsplit(url)[:3]
    return not (scheme or netloc) and bool(path)
