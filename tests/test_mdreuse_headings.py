"""A listing's Markdown (ATX headings of literal text and placeholder comments) is turned into HTML
without Python-Markdown (mdreuse.heading_blocks) only when Python-Markdown and MkDocs' processors
give exactly that page: its HTML, table of contents, title and anchor ids. Checked on crafted texts
and on thousands of random ones made of the characters and lines that matter."""
from __future__ import annotations

import random
from types import SimpleNamespace

import markdown
import pytest

from generator.mkdocs_plugin import listings, mdreuse

EXTENSIONS = ["attr_list", "md_in_html", "toc", "tables", "fenced_code"]  # the site's, with MkDocs' own


def _renderer(fast: bool, toc: dict | None = None) -> mdreuse.Renderer:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": toc or {"permalink": False}})
    return mdreuse.Renderer(md, plain_ok=fast)


def _toc(items) -> list:
    return [(i.level, i.id, i.title, _toc(i.children)) for i in items]


def _page(renderer: mdreuse.Renderer, text: str) -> tuple:
    page = SimpleNamespace(markdown=text, file=None)
    renderer.render(page, None, None)
    return page.content, _toc(page.toc.items), page._title_from_render, page.present_anchor_ids


def _both(text: str, toc: dict | None = None) -> tuple[tuple, tuple, int]:
    fast = _renderer(True, toc)
    got = _page(fast, text)
    return got, _page(_renderer(False, toc), text), fast.plain


ACCEPTED = [
    "# Sudan: 3 May 2024 \u2013 28 May 2024\n\n\n" + listings.placeholder(0) + "\n\n\n" + listings.placeholder(1) + "\n\n",
    "# Fish & chips\n\n\n" + listings.placeholder(0) + "\n\n## Within Fish & chips\n\n\n" + listings.placeholder(1)
    + "\n\n## Articles\n\n\n" + listings.placeholder(2) + "\n\n",
    "## Articles\n\n## Articles\n\n## Articles 1\n\n# Late title\n",  # repeated ids; no title (not first)
    listings.placeholder(0) + "\n\n# Not the title\n",
    "# Z\u00fcrich, \"quoted\" 'x' (2024) 50% -- ok\n\n###### Six\n\n### \u039a\u03cd\u03c0\u03c1\u03bf\u03c2\n",
]
REJECTED = [
    "# Title\n" + listings.placeholder(0), "# A\n## B", "#Title", "# Title #", "#  Two spaces", "# trailing ",
    "# AT&T", "# a *b*", "# a_b", "# [link](x)", "# <b>x</b>", "# x {: .c }", "####### Seven", "    # code",
    "Text", "# A\n\nText", "<!-- other comment -->", "<!-- a 1 --> tail", "# tab\there", "# a  b",
    "Title\n=====", "- item", "# x\\y",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_headings_and_placeholders_are_what_markdown_makes_of_them(text: str):
    got, want, fast = _both(text)
    assert fast == 1
    assert got == want


@pytest.mark.parametrize("text", REJECTED)
def test_other_text_is_left_to_markdown(text: str):
    assert mdreuse.heading_blocks(text, _renderer(True).md) is None


def test_a_toc_that_adds_to_headings_is_left_to_markdown():
    text = "# Title\n\n## Articles\n"
    for toc in ({"permalink": True}, {"anchorlink": True}, {"baselevel": 2}):
        got, want, fast = _both(text, toc)
        assert fast == 0 and got == want
    got, want, fast = _both(text, {"toc_depth": "2-3"})  # fewer levels in the table: still the same page
    assert fast == 1 and got == want


def test_random_listings_are_either_left_to_markdown_or_what_it_makes_of_them():
    rng = random.Random(29)
    words = list("abcXYZ019 .,;:'\"()%$@/?-&\u00e9\u2014\u2019") + [" & ", "  ", "_1", "Articles", "#", "\t"]
    lines = ["", "", "\n", listings.placeholder(3), "<!-- x -->", " "]
    fast, slow = _renderer(True), _renderer(False)  # reused page after page, as in a build
    for _ in range(3000):
        out = []
        for _ in range(rng.randint(1, 6)):
            kind = rng.random()
            if kind < 0.6:
                text = "".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
                out.append("#" * rng.randint(1, 7) + rng.choice([" ", " ", ""]) + text)
            else:
                out.append(rng.choice(lines))
            out.append(rng.choice(["\n\n", "\n\n", "\n\n\n", "\n"]))
        text = "".join(out)
        assert _page(fast, text) == _page(slow, text), repr(text)
    assert fast.plain > 200  # enough texts taken the fast way to mean something (298 of the 3,000)
