"""An article page's links made once per folder of pages (article.Links) are Linker's, for every
pair of page kinds and both URL styles, in any order of pages; every target is still recorded."""
from __future__ import annotations

import itertools
import random

import pytest

from generator.mkdocs_plugin import article
from generator.mkdocs_plugin.pages import Linker

URIS = ["index.md", "about.md", "tags/index.md", "tags/al-shabaab.md", "tags/x/page-2019-01-02-ab.md",
        "articles/2019/03/a.md", "articles/2019/03/b.md", "articles/2019/03/index.md", "articles/2019/03/a/sub.md",
        "articles/2019/04/a.md", "articles/undated/c.md", "articles/2019/03/ab.md", "locations/somalia.md",
        "assets/locator/x.svg", "articles/a.md"]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_are_linkers_in_any_order(directory_urls: bool):
    pairs = list(itertools.product(URIS, URIS))
    random.Random(3).shuffle(pairs)
    plain, memo = Linker(directory_urls), Linker(directory_urls)
    links = article.Links(memo, lambda name: f"tags/{name}.md", lambda place: f"locations/{place}.md")
    for _ in range(2):  # the second time every shared link is a hit
        for source, target in pairs:
            assert links(source, target, "Text & <b>") == plain(source, target, "Text & <b>"), (source, target)
    assert memo.targets == plain.targets
    assert links.tag_uri("al-shabaab") == "tags/al-shabaab.md" and links.place_uri("somalia") == "locations/somalia.md"
