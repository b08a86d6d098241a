"""Two builds of the same content give byte-identical sites: another day, another checkout folder."""
from __future__ import annotations

import gzip
import os
import shutil
import time

from generator.mkdocs_plugin.reproducible import deterministic_gzip

from .sample_site import build, make_project, tree

DAY = 86400


def test_two_builds_on_different_days_in_different_folders_are_byte_identical(tmp_path):
    (tmp_path / "first").mkdir()
    first = make_project(tmp_path / "first")
    build(first, first / "site", env={"SOURCE_DATE_EPOCH": str(1_760_000_000)})
    # A fresh checkout elsewhere, later: new file times, another folder, another build date.
    second = tmp_path / "second"
    shutil.copytree(first, second, ignore=shutil.ignore_patterns("site"))
    later = time.time() + 3 * DAY
    for path in second.rglob("*"):
        os.utime(path, (later, later))
    build(second, second / "site", env={"SOURCE_DATE_EPOCH": str(1_760_000_000 + 40 * DAY)})

    a, b = tree(first / "site"), tree(second / "site")
    assert "sitemap.xml.gz" in a and "feed.xml" in a and len(a) > 40
    assert sorted(a) == sorted(b)
    differ = [name for name in a if a[name] != b[name]]
    assert differ == []


def test_mkdocs_alone_stamps_the_build_date_into_the_sitemap(tmp_path):
    """Why the plugin rewrites it: MkDocs' gzip header holds the build time (so the test above
    fails without the fix), while ours holds none and unpacks to the same bytes."""
    data = b"<urlset></urlset>\n"
    raw = tmp_path / "sitemap.xml.gz"
    with open(raw, "wb") as fh, gzip.GzipFile(fileobj=fh, filename=str(raw), mode="wb", mtime=1_700_000_000) as gz:
        gz.write(data)
    ours = deterministic_gzip(data, "sitemap.xml")
    assert raw.read_bytes()[4:8] == (1_700_000_000).to_bytes(4, "little")  # the header's mtime field
    assert ours[4:8] == b"\0\0\0\0"
    assert gzip.decompress(ours) == data == gzip.decompress(raw.read_bytes())
    assert ours == deterministic_gzip(data, "sitemap.xml")
