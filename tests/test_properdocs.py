"""The site also builds with ProperDocs, the maintained continuation of MkDocs 1.6.

ProperDocs reads the same `mkdocs.yml` (passed with `-f`), finds the `archive` plugin and the
Material theme through their `mkdocs.plugins` / `mkdocs.themes` entry points, and aliases every
`mkdocs.*` import to `properdocs.*`, so the plugin and Material run unchanged. The two builds must
agree byte for byte, except the generator's name in each page's <meta name="generator">.
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from .sample_site import build, make_project, tree

PROPERDOCS = Path(sys.executable).with_name("properdocs")
GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path):
    if not PROPERDOCS.exists() and not shutil.which("properdocs"):
        pytest.fail("properdocs is not installed: run `make install-test`")
    project = make_project(tmp_path)
    build(project, tmp_path / "mkdocs-site")
    cmd = [str(PROPERDOCS if PROPERDOCS.exists() else shutil.which("properdocs")), "build", "--strict",
           "-f", "mkdocs.yml", "-d", str(tmp_path / "properdocs-site")]
    build(project, tmp_path / "properdocs-site", command=cmd)

    ours, theirs = tree(tmp_path / "mkdocs-site"), tree(tmp_path / "properdocs-site")
    page = theirs["index.html"].decode()
    assert 'content="mkdocs-ProperDocs ' in page  # it really was ProperDocs
    # The archive plugin ran under ProperDocs: its generated pages, index and feed are there.
    assert {"data/articles.json", "search-index/meta.json", "feed.xml", "tags/index.html", "locations/index.html", "map/index.html"} <= set(theirs)
    assert sorted(ours) == sorted(theirs)
    differ = [name for name in ours
              if GENERATOR_META.sub(b"", ours[name]) != GENERATOR_META.sub(b"", theirs[name])]
    assert differ == []
