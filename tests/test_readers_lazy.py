"""The HTML and Markdown-page readers are imported only when a file is offered to them: an inbox of
text files never loads them (nor Python-Markdown), and the lazily named readers are the real ones."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator import readers
from generator.readers.html import HtmlReader
from generator.readers.page import PageReader

ROOT = Path(__file__).resolve().parent.parent


def test_lazy_readers_name_the_real_ones():
    lazy = {r.name: r for r in readers.READERS}
    for real in (HtmlReader, PageReader):
        assert lazy[real.name].extensions == real.extensions
        assert type(lazy[real.name].load()) is real


def test_choose_still_finds_html_and_pages():
    assert readers.choose("<!doctype html><html><body><p>x</p></body></html>", "a.html").name == "html"
    assert readers.choose("---\ntitle: A page\n---\nText.\n", "a.md").name == "page"
    assert readers.choose("---\ntitle: A page\n---\nText.\n", "a.txt").name == "text"


def test_reading_text_files_leaves_html_and_markdown_unloaded(tmp_path):
    scrape = tmp_path / "a.txt"
    scrape.write_text("Floods reach the valley\n\nPublished: 12 October 2023\n\n" + "The river rose overnight. " * 20,
                      encoding="utf-8")
    code = ("import sys; from generator import reading; from pathlib import Path; "
            f"reading.read_file(Path({str(scrape)!r})); "
            "print(sorted(m for m in ('generator.readers.html', 'generator.readers.page', 'markdown') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "NEWS_ARCHIVE_READ_CACHE": str(tmp_path / "rc")})
    assert out.stdout.strip() == "[]"
