"""Paragraphs of literal text are turned into HTML without Python-Markdown (mdreuse.plain_paragraphs)
only when Python-Markdown, with the site's extensions, gives exactly that HTML: checked on crafted
texts and on thousands of random ones made of the characters that matter."""
from __future__ import annotations

import random

import markdown
import pytest
from mkdocs.config import load_config

from generator.mkdocs_plugin import mdreuse

from .conftest import ROOT

EXTENSIONS = ["attr_list", "md_in_html", "toc", "tables", "fenced_code"]  # the site's, with MkDocs' own


def _markdown(text: str) -> str:
    md = markdown.Markdown(extensions=EXTENSIONS)
    out = md.convert(text)
    assert md.toc_tokens == []
    return out


ACCEPTED = [
    "One paragraph.\n",
    "First line\nsecond line of the same paragraph.\n\nSecond paragraph, \"quoted\" and 'quoted'.\n",
    "Fish & chips cost 5.50 (about $7) at 10:30 on 2019-03-17; 50% -- maybe.\n\n\n\nAfter blank lines.",
    "-5 degrees and 1.5 million people, caf\u00e9 \u2014 \u2018curly\u2019 \u201cquotes\u201d.\n",
    "\n\nLeading blank lines.\n\n",
]
REJECTED = [
    "AT&T", "&amp; an entity", "&#169;", "a *b*", "a_b_c", "`code`", "[link](x)", "<b>x</b>", "# Heading",
    "Title\n=====", "Title\n---", "--  --  --", "- item", "1. item", "2024. The year", "> quote",
    "    code", "line  \nbreak", "trailing \nspace", "tab\there", "a\\b", "{: .class }", "a | b", "x\r\ny",
    "!image", "a\x02b", "a~b", "x^2", "1 + 1 = 2", "\u00a0no-break space first", "last\u2003", "a\u2028b",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_plain_text_is_what_markdown_makes_of_it(text: str):
    assert mdreuse.plain_paragraphs(text) == _markdown(text)


@pytest.mark.parametrize("text", REJECTED)
def test_text_markdown_may_read_otherwise_is_left_to_it(text: str):
    assert mdreuse.plain_paragraphs(text) is None


def test_random_texts_are_either_left_to_markdown_or_what_it_makes_of_them():
    rng = random.Random(12)
    alphabet = list("abcXYZ019 .,;:'\"()%$@/?-&\u00e9\u2014\u2019\u00a0\u2028") + ["\n", "\n\n", "  ", " & ", "1. ", "- ", "--"]
    accepted = 0
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        plain = mdreuse.plain_paragraphs(text)
        if plain is not None:
            accepted += 1
            assert plain == _markdown(text), repr(text)
    assert accepted > 500


def test_only_extensions_that_leave_plain_text_alone_allow_it():
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert mdreuse.Renderer.for_config(config).plain_ok
    config["markdown_extensions"].append("smarty")  # quotes and dashes become entities
    assert not mdreuse.Renderer.for_config(config).plain_ok


def test_site_is_the_same_bytes_as_markdown_makes_it(tmp_path):
    """The sample site (its articles' bodies partly plain) with the shared renderer and without it."""
    import shutil

    from mkdocs.commands.build import build as mkdocs_build

    from .sample_site import build, make_project, tree

    source = make_project(tmp_path / "p")
    for page in sorted((source / "content" / "articles").rglob("*.md"))[:2]:  # plain bodies, one with " & "
        text = page.read_text(encoding="utf-8")
        end = text.index("\n---\n", 4) + 5
        page.write_text(text[:end] + "\nFirst paragraph, \"quoted\", 5% & more.\nSame paragraph.\n\nSecond.\n",
                        encoding="utf-8")
    sites = {}
    for name, reuse in (("on", True), ("off", False)):
        folder = tmp_path / name
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("site", ".cache"))
        cfg = folder / "mkdocs.yml"
        text = cfg.read_text(encoding="utf-8")
        cfg.write_text(text.replace("\n  - archive\n", f"\n  - archive:\n      reuse_markdown: {str(reuse).lower()}\n", 1),
                       encoding="utf-8")
        build(folder, folder / "site")
        sites[name] = tree(folder / "site")
    assert sorted(sites["on"]) == sorted(sites["off"])
    assert [p for p in sites["off"] if sites["on"][p] != sites["off"][p]] == []
    shutil.rmtree(tmp_path / "on" / ".cache")  # every page rendered again, in this process
    config = load_config(str(tmp_path / "on" / "mkdocs.yml"), site_dir=str(tmp_path / "again"))
    mkdocs_build(config)
    assert config.plugins["archive"].renderer.plain > 0
