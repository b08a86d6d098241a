"""Linker.known takes the URLs MkDocs gave the article files instead of making a File per link
target again: they are the URLs Linker.url computes, for odd names too, with and without
directory URLs, so every link is the same."""
from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.structure.files import File

from generator.mkdocs_plugin.pages import Linker

NAMES = ["articles/2020/01/plain.md", "articles/2020/01/README.md", "articles/undated/index.md",
         "articles/2020/02/with space.md", "articles/2020/02/ünïcode-é.md", "articles/2020/02/a%20b#c?.md",
         "articles/x.y.z.md", "articles/deep/er/still/page.md"]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_known_urls_are_the_ones_url_computes(tmp_path: Path, directory_urls: bool):
    files = [File(name, src_dir=str(tmp_path), dest_dir=str(tmp_path / "site"), use_directory_urls=directory_urls)
             for name in NAMES]
    plain, seeded = Linker(directory_urls), Linker(directory_urls)
    seeded.known({f.src_uri: f.url for f in files})
    for a in NAMES + ["tags/x.md", "index.md"]:
        for b in NAMES:
            assert seeded.href(a, b) == plain.href(a, b)
            assert seeded(a, b, "<t>") == plain(a, b, "<t>")
    assert seeded.targets == plain.targets
