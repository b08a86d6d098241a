"""The demo corpus (samples/, written by us like scrapes of news sites) read as a user would see it:
each page's headline is its title, its standfirst is kept, and no article text is lost."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.pipeline import read_file
from generator.readers.text import chrome_rules

from .conftest import SAMPLES

TEXTS = sorted(SAMPLES.glob("*.txt"))


def _words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_sample_headline_is_the_title(path: Path):
    """Every sample is named after its headline (a shortened slug): most of the slug's words are in the title."""
    article = read_file(path)[0]
    slug = _words(path.stem.split("_", 1)[1].replace("-", " "))
    assert len(slug & _words(article.title)) * 3 >= len(slug), article.title


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_sample_prose_is_kept(path: Path):
    """Between the headline and the last paragraph, every line of prose (12+ words: a standfirst or a
    paragraph) that is not a chrome line of data/chrome.yml (a photo credit) ends in the article as its summary or
    body: the reader drops chrome, never the story."""
    article = read_file(path)[0]
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    start = lines.index(article.title) if article.title in lines else 0
    last = article.blocks[-1].text[:40]
    end = max(i for i, line in enumerate(lines) if line.startswith(last))
    kept = " ".join([article.summary or "", article.body_text])
    drop = chrome_rules().drop
    lost = [line for line in lines[start + 1:end + 1]
            if len(line.split()) >= 12 and line not in kept and not drop.fullmatch(line)]
    assert not lost, lost[:3]
