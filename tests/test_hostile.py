"""Hostile input: markup that must stay text, titles that attack YAML or paths, huge files, and
property-based round trips (hypothesis) through reader -> writer -> front-matter parser."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.enrich import Context, enrich
from generator.model import Article, Block
from generator.pipeline import ingest, read_file
from generator.readers.text import parse_scrape
from generator.textutil import clean_spaces, md_escape, md_heading
from generator.writers.markdown import PageStore, read_page, render_body

ROOT = Path(__file__).resolve().parent.parent
CFG = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.SafeLoader)


def _extensions():
    exts, configs = [], {}
    for item in CFG.get("markdown_extensions", []):
        if isinstance(item, dict):
            (name, conf), = item.items()
            exts.append(name)
            configs[name] = conf or {}
        else:
            exts.append(item)
    return exts, configs


EXTS, EXT_CONFIGS = _extensions()


def render(md: str) -> str:
    return markdown.markdown(md, extensions=EXTS, extension_configs=EXT_CONFIGS)


BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote")


class Visible(HTMLParser):
    """Element names, attributes and visible text per block of rendered HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.blocks: list[str] = []
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._buf = []  # text between blocks is only the newline between elements
        self.tags.append(tag)
        self.attrs += [a for a in attrs if a[0] != "id"]  # toc adds ids to headings

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.blocks.append("".join(self._buf))
            self._buf = []

    def handle_data(self, data):
        self._buf.append(data)

    def handle_comment(self, data):
        self.tags.append("!--")


def visible(html: str) -> Visible:
    v = Visible()
    v.feed(html)
    v.close()
    return v


ATTACKS = [
    '<script>alert("x")</script> and then text.',
    "<img src=x onerror=alert(1)> image attack.",
    "<b>bold</b> <i>it</i> <a href='javascript:alert(1)'>link</a>.",
    "[click](javascript:alert(1)) and ![img](x.png) and <https://evil.example>.",
    "A paragraph with attributes {: onclick=\"alert(1)\" } at the end.",
    "<div markdown=\"1\">*md in html*</div>",
    "<!-- a comment --> &amp; &lt;script&gt; &#60;script&#62; &copy;",
    "# not a heading",
    "1. not a list item",
    "- not a bullet",
    "> not a quote",
    "    four spaces are not code",
    "``` not a fence",
    "*** not a rule",
    "Setext\n===",
    "Trailing backslash \\",
    "_under_ *star* **strong** `code` ~~strike~~",
    "<style>body{display:none}</style>",
    "<iframe src=//evil></iframe>",
    "javascript:alert(document.cookie)",
    "<svg onload=alert(1)>",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_markup_in_text_stays_visible_text(text):
    html = render(md_escape(text))
    v = visible(html)
    assert v.tags == ["p"], html
    assert v.attrs == [], html
    assert v.blocks == [clean_spaces(text.replace("\n", " "))]


@pytest.mark.parametrize("text", ATTACKS)
def test_markup_in_heading_stays_visible_text(text):
    v = visible(render(md_heading(text)))
    assert v.tags == ["h2"] and v.attrs == []
    assert v.blocks == [clean_spaces(text.replace("\n", " "))]


def test_script_in_a_scraped_file_never_executes(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("Breaking: <script>alert(1)</script> attack on the port\n\n"
                 + "\n\n".join(a if a.rstrip().endswith(".") else a + " end." for a in ATTACKS) + "\n")
    [entry] = ingest([f], tmp_path / "content", jobs=1)
    meta, body = read_page(Path(entry.page))
    assert meta["title"] == "Breaking: <script>alert(1)</script> attack on the port"
    v = visible(render(body))
    assert "script" not in v.tags and "img" not in v.tags and "a" not in v.tags and "iframe" not in v.tags
    assert set(v.tags) <= {"p", "h2"} and v.attrs == []
    assert '<script>alert("x")</script> and then text.' in v.blocks


HOSTILE_TITLES = [
    'He said "no": talks collapse',
    "Key: value: another: colon",
    "--- three dashes ---",
    "---",
    "# hash at start",
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/object:__main__.X {}",
    "&anchor value here",
    "*alias here",
    "../../../etc/passwd",
    "..\\..\\windows\\system32",
    "/absolute/path/title",
    "'single' and \"double\" quotes",
    "? question key",
    "- dash item",
    "{flow: map}",
    "[flow, seq]",
    "null",
    "true",
    "2024-01-01",
    "0x1F",
    "1e3",
    "~",
    "@at %percent `tick` |pipe >gt",
    "title with trailing spaces and tab",
    "Emoji 💥 and RTL \u202e text",
    "%YAML 1.1",
    "...",
    "= equals",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_title_round_trips_and_stays_inside(tmp_path, title):
    content = tmp_path / "content"
    a = Article(title=title, blocks=[Block("p", "A plain paragraph of the article.")], origin="x.txt",
                summary=title, author=title, source=title, tags=[title], date=date(2024, 1, 2))
    store = PageStore.open(content)
    r = store.write(a)
    store.save_ledger()
    assert r.path.resolve().is_relative_to((content / "articles").resolve())
    meta, body = read_page(r.path)
    for key in ("title", "summary", "author", "source"):
        assert meta[key] == title, key
    assert meta["tags"] == [title]
    assert body.strip() == "A plain paragraph of the article."
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(content.resolve()) for p in files)
    store = PageStore.open(content)
    assert store.write(a).outcome == "unchanged"


@pytest.mark.parametrize("title", [t for t in HOSTILE_TITLES if len(t.split()) >= 3])
def test_hostile_title_through_the_reader(tmp_path, title):
    f = tmp_path / "in.txt"
    f.write_text(f"{title}\n\nThe first paragraph of the story ends here.\n\nA second paragraph follows it.\n")
    [article] = read_file(f)
    assert article.title == clean_spaces(title)
    [entry] = ingest([f], tmp_path / "content", jobs=1)
    assert read_page(Path(entry.page))[0]["title"] == clean_spaces(title)


def test_fifty_megabyte_file_rejected_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        line = b"All work and no play makes a very long article indeed, line after line.\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    small = tmp_path / "small.txt"
    small.write_text("A small article title here\n\nIt has one paragraph that ends.\n")
    script = f"""
import json, resource
from pathlib import Path
from generator.pipeline import read_file, ingest
read_file(Path({str(small)!r}))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
r = read_file(Path({str(big)!r}))
entries = ingest([Path({str(big)!r})], Path({str(tmp_path / 'content')!r}), jobs=1)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"before_kb": before, "after_kb": after, "reason": str(r), "outcome": entries[0].outcome}}))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    res = json.loads(out.stdout)
    assert res["outcome"] == "rejected" and res["reason"].startswith("too large")
    assert res["after_kb"] - res["before_kb"] < 10 * 1024, res  # far less than the 50 MB file


# ---- property-based -------------------------------------------------------------------------

# Printable text from every Unicode category except controls, surrogates and unassigned.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), min_size=1, max_size=80)
ASCII_HOSTILE = st.text(alphabet=st.sampled_from(list("ab <>&\"'`*_[](){}#!|:-=+.\\/~^%@$;?,\t\n\u00a0é€—“”")),
                        min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, ASCII_HOSTILE))
def test_md_escape_renders_to_the_same_visible_text(text):
    expected = clean_spaces(text.replace("\n", " "))
    if not expected:
        return
    v = visible(render(md_escape(text)))
    assert v.attrs == []
    assert set(v.tags) <= {"p"}
    assert "".join(v.blocks) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.one_of(TEXT, ASCII_HOSTILE), paras=st.lists(st.one_of(TEXT, ASCII_HOSTILE), min_size=1, max_size=3))
def test_article_writer_front_matter_round_trip(tmp_path_factory, title, paras):
    content = tmp_path_factory.mktemp("c")
    a = Article(title=title, blocks=[Block("p", p) for p in paras], origin="in.txt", summary=title, tags=[title])
    a = enrich(a, _ctx())
    if not a.title or not a.blocks:
        return
    store = PageStore.open(content)
    r = store.write(a)
    store.save_ledger()
    assert r.path.resolve().is_relative_to((content / "articles").resolve())
    meta, body = read_page(r.path)
    assert meta["title"] == a.title
    assert meta["tags"][0] == a.tags[0] if a.tags else True
    assert body.strip() == render_body(a).strip()
    v = visible(render(body))
    assert v.attrs == [] and set(v.tags) <= {"p"}
    assert v.blocks == [clean_spaces(b.text.replace("\n", " ")) for b in a.blocks]
    assert PageStore.open(content).write(a).outcome == "unchanged"


LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(LINE.filter(lambda s: s.strip() and " " not in s.strip()), min_size=3, max_size=8),
       paras=st.lists(LINE, min_size=1, max_size=3),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
@example(words=["0", "0", "0", "0", "end."], paras=["0"], encoding="utf-8")  # once flaky: "Report 0 0 0 0 end."
@example(words=["0", "0", "0", "0", "end."], paras=["0", "A longer line of text that", "x"], encoding="utf-16")
def test_reader_writer_parser_round_trip(tmp_path_factory, words, paras, encoding):
    """Text file -> text reader -> enrich -> writer -> front matter: what the reader found is what the
    page says, and the page body renders to the reader's paragraphs."""
    folder = tmp_path_factory.mktemp("r")
    title = "Report " + " ".join(w.strip() for w in words)
    text = title + "\n\n" + "\n\n".join(p + " end." for p in paras) + "\n"
    f = folder / "in.txt"
    f.write_bytes(text.encode(encoding))
    result = read_file(f)
    if isinstance(result, Exception):
        return  # e.g. the title line looks like page chrome; rejection is an allowed outcome
    [article] = result
    direct = parse_scrape(text, str(f))
    assert article.title == clean_spaces(direct.title)
    [entry] = ingest([f], folder / "content", jobs=1)
    meta, body = read_page(Path(entry.page))
    assert meta["title"] == article.title
    v = visible(render(body))
    assert v.attrs == [] and set(v.tags) <= {"p", "h2"}
    assert v.blocks == [clean_spaces(b.text.replace("\n", " ")) for b in article.blocks]


_CTX = None


def _ctx():
    global _CTX
    if _CTX is None:
        _CTX = Context.default()
    return _CTX


def _clean_spaces_reference(text: str) -> str:
    import re
    import unicodedata

    text = "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch)[0] != "C" or ch == "\u200d")
    text = unicodedata.normalize("NFC", text)  # composed, as every input's text (textutil.composed)
    return re.sub(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+", " ", text).strip()


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_fast_clean_spaces_equals_the_reference(text):
    assert clean_spaces(text) == _clean_spaces_reference(text)


def test_file_names_that_are_not_utf8_never_crash_a_run(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    good = os.path.join(os.fsencode(src), b"good\xfename.txt")
    with open(good, "wb") as fh:
        fh.write(b"A story with an odd file name\n\nThe first paragraph ends here.\n")
    with open(os.path.join(os.fsencode(src), b"empty\xff.txt"), "wb"):
        pass
    content = tmp_path / "content"
    entries = ingest([src], content, jobs=1)
    assert sorted(e.outcome for e in entries) == ["new", "rejected"]
    report = (content / ".archive" / "rejects.jsonl").read_text(encoding="utf-8")
    assert "empty\ufffd.txt" in report
    page = next(Path(e.page) for e in entries if e.page)
    assert read_page(page)[0]["sources"] == [{"file": "good\ufffdname.txt"}]
    out = subprocess.run([sys.executable, "-m", "generator", "ingest", str(src), "--content", str(content)],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "CI": "1"})
    assert out.returncode == 1 and "1 unchanged" in out.stdout and "1 rejected" in out.stdout  # 1: a reject


def test_titles_with_no_ascii_letters_get_distinct_stable_paths(tmp_path):
    titles = ["💥💥💥", "日本語のタイトル", "!!! ??? ...", "Ελληνικά νέα σήμερα", "x" * 400]
    arts = [Article(title=t, blocks=[Block("p", f"Paragraph {i} of the story.")], origin=f"{i}.txt")
            for i, t in enumerate(titles)]
    store = PageStore.open(tmp_path)
    paths = [store.write(a).path for a in arts]
    store.save_ledger()
    assert len(set(paths)) == len(paths)
    assert all(p.parent == tmp_path / "articles" / "undated" and len(p.name) <= 100 for p in paths)
    store = PageStore.open(tmp_path)
    again = [store.write(a) for a in reversed(arts)]
    assert [r.path for r in again] == list(reversed(paths)) and {r.outcome for r in again} == {"unchanged"}
    assert [read_page(p)[0]["title"] for p in paths] == titles
