"""Material's nav, tabs and config JSON rendered once per page group (navmemo.py) and one Markdown
instance for every page (mdreuse.py) give the site MkDocs and Material give, byte for byte."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import material

from .conftest import ROOT
from .sample_site import build, make_project, tree

# Pages whose Markdown keeps per-page state in Python-Markdown's extensions: footnotes (with
# UNIQUE_IDS, whose ids count the instance's resets), duplicate headings (toc's unique ids),
# attributes and Markdown in HTML; one in the navigation, two out of it (one at another depth,
# one hiding the navigation).
PAGES = {
    "notes/one.md": "# One\n\nA claim.[^a] Another.[^b]\n\n## Same\n\n## Same {: #kept .wide }\n\n"
                    "[^a]: First note.\n[^b]: Second note.\n",
    "notes/two.md": "# Two\n\nText.[^a]\n\n## Same\n\n<div markdown>\n## Inside\n*em*\n</div>\n\n"
                    "[^a]: A note of page two.\n\n[Back](one.md#kept)\n",
    "notes/deep/three.md": "---\nhide:\n  - navigation\n---\n# Three\n\n## Same\n\nNote.[^z]\n\n[^z]: Z.\n",
}


def _project(folder: Path, source: Path, **options: bool) -> Path:
    """A copy of `source` with the pages above and the archive plugin's `options`."""
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("site", ".cache"))
    for uri, text in PAGES.items():
        (folder / "content" / uri).parent.mkdir(parents=True, exist_ok=True)
        (folder / "content" / uri).write_text(text, encoding="utf-8")
    cfg = folder / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    text = text.replace("  - archive\n", "  - archive:\n" + "".join(f"      {k}: {str(v).lower()}\n"
                                                                    for k, v in options.items()), 1)
    text = text.replace("  - toc:\n", "  - footnotes:\n      UNIQUE_IDS: true\n  - toc:\n", 1)
    text = text.replace("      - about.md\n", "      - about.md\n      - notes/one.md\n", 1)
    text = text.replace("not_in_nav: |\n", "not_in_nav: |\n  /notes/two.md\n  /notes/deep/\n", 1)
    cfg.write_text(text, encoding="utf-8")
    return folder


def test_memoised_nav_and_reused_markdown_give_the_same_bytes(tmp_path: Path):
    source = make_project(tmp_path / "p")
    on = _project(tmp_path / "on", source)
    off = _project(tmp_path / "off", source, nav_memo=False, reuse_markdown=False)
    build(on, on / "site")
    build(off, off / "site")
    got, want = tree(on / "site"), tree(off / "site")
    assert got.keys() == want.keys()
    assert [p for p in want if got[p] != want[p]] == []
    # Where state shared between pages would show: footnote ids (the same count on every page, as
    # each had a fresh instance), headings' ids, Markdown inside HTML.
    one, two = got["notes/one/index.html"].decode(), got["notes/two/index.html"].decode()
    assert re.findall(r'<li id="fn:(\d+)-a"', one) == re.findall(r'<li id="fn:(\d+)-a"', two) != []
    assert 'id="same"' in two and "<em>em</em>" in two
    assert 'id="same_1"' not in one and 'id="kept"' in one and 'class="wide"' in one
    # An article carries the nav with its links relative to its own folder.
    article = next(p for p in got if p.startswith("articles/") and p.endswith("index.html"))
    depth = article.count("/")
    assert f'href="{"../" * depth}tags/"' in got[article].decode()


def test_memo_is_used_for_pages_out_of_the_nav_only(tmp_path: Path):
    """In-process build: the parts were reused, and Markdown rendered every page on one instance."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    source = make_project(tmp_path / "p")
    project = _project(tmp_path / "on", source, page_skeleton=False)  # a page filled from its skeleton asks no part
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    mkdocs_build(config)
    plugin = config.plugins["archive"]
    memo, renderer = plugin.navmemo, plugin.renderer
    pages = len(list((project / "site").rglob("index.html")))
    assert memo is not None and renderer is not None
    # Three parts a page; pages in the nav (or hiding it) are rendered, the others mostly reused.
    assert memo.rendered + memo.reused >= 3 * (pages - 1)
    assert memo.reused > memo.rendered
    assert renderer.pages >= pages - 1


def test_site_nav_override_is_materials_block_with_the_nav_include_wrapped():
    """theme_overrides/main.html copies Material's site_nav block: it must follow the installed Material."""
    base = (Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")
    ours = (ROOT / "theme_overrides" / "main.html").read_text(encoding="utf-8")
    block = re.search(r"\{% block site_nav %\}(.*?)\{% endblock %\}", base, re.S).group(1)
    mine = re.search(r"\{% block site_nav %\}\{% if archive_memo is defined %\}(.*?)\{% else %\}\{\{ super\(\) \}\}"
                     r"\{% endif %\}\{% endblock %\}", ours, re.S).group(1)
    include = '{% include "partials/nav.html" %}'
    assert mine == block.replace(include, '{% call archive_memo("nav") %}' + include + "{% endcall %}")
