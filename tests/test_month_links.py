"""A month's archive page links the months before and after it that have articles, beside the
archive's index: a reader going through the archive month by month had to go back to the index
for every next month."""
from __future__ import annotations

import re
from pathlib import Path

from .sample_site import build, make_project


def _month_links(page: Path) -> tuple[str | None, str | None]:
    """The (older, newer) month titles the page's month line links to."""
    line = re.search(r'<p class="archive-months">(.*?)</p>', page.read_text(encoding="utf-8"))
    assert line, page
    texts = re.findall(r"<a [^>]*>([^<]*)</a>", line.group(1))
    older = next((t[2:] for t in texts if t.startswith("\u2190 ")), None)
    newer = next((t[:-2] for t in texts if t.endswith(" \u2192")), None)
    assert "Archive" in texts
    return older, newer


def test_each_month_links_the_months_before_and_after_it(tmp_path: Path):
    project = make_project(tmp_path / "p")
    build(project, project / "site")
    archive = project / "site" / "archive"
    months = sorted(archive.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]/index.html"))
    assert len(months) >= 2, months
    titles = [re.search(r"<h1[^>]*>([^<]*)</h1>", p.read_text(encoding="utf-8")).group(1) for p in months]
    for i, page in enumerate(months):  # oldest first
        older, newer = _month_links(page)
        assert older == (titles[i - 1] if i else None), page
        assert newer == (titles[i + 1] if i + 1 < len(months) else None), page
    # and the links lead there
    html = months[0].read_text(encoding="utf-8")
    href = re.search(r'<p class="archive-months">.*?<a href="([^"]+)">[^<]* \u2192</a>', html).group(1)
    assert (months[0].parent / href / "index.html").resolve() == months[1].resolve()
