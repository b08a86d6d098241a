"""Scraped plain-text pages: strip the page chrome, then title, standfirst, headings and paragraphs.

The rules live in data/chrome.yml; the structure rules are the ones a page dump keeps:
the first real line is the title, a line with no final full stop followed by a paragraph is a
standfirst (right after the title) or a section heading (later on).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import yaml

from ..enrich.dates import parse_date
from ..model import Article, Block, RejectedInput
from ..textutil import clean_spaces

DATA = Path(__file__).resolve().parent.parent / "data"
_SENTENCE_END = re.compile(r"""[.!?…:;]["'”’»)\]]*$""")
MIN_TITLE_WORDS = 3


@dataclass(frozen=True)
class Chrome:
    drop: re.Pattern
    stop: re.Pattern
    dates: tuple[re.Pattern, ...]
    bylines: tuple[re.Pattern, ...]


def _alternation(patterns: list[str], flags: int) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@lru_cache(maxsize=1)
def chrome_rules(path: Path = DATA / "chrome.yml") -> Chrome:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Chrome(
        drop=_alternation(raw["drop_lines"], re.I),
        stop=_alternation(raw["stop_lines"], re.I),
        dates=tuple(re.compile(p, re.I) for p in raw["date_lines"]),
        bylines=tuple(re.compile(p) for p in raw["byline_lines"]),
    )


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _units(text: str) -> list[str]:
    """Lines joined into paragraphs: blank lines separate; hard-wrapped lines are re-joined.

    A line continues the previous one when the previous one does not end a sentence and either
    this one starts in lower case or the page is wrapped at a fixed width and the previous line
    reaches it (a menu of short lines is never joined into a fake headline).
    """
    lines = [clean_spaces(l) for l in text.splitlines()]
    longest = max((len(l) for l in lines), default=0)
    wrapped = 40 <= longest <= 120 and sum(len(l) >= 0.6 * longest for l in lines) >= 3
    units: list[str] = []
    current, last_len, last_words = "", 0, 0
    for line in lines:
        if not line:
            if current:
                units.append(current)
            current = ""
            continue
        continues = current and not ends_sentence(current) and (
            (line[0].islower() and last_words >= 2) or (wrapped and last_len >= 0.6 * longest))
        if continues:
            current += " " + line
        else:
            if current:
                units.append(current)
            current = line
        last_len, last_words = len(line), len(line.split())
    if current:
        units.append(current)
    return units


def _dateline(unit: str, rules: Chrome) -> tuple[bool, object, str | None]:
    """(is a dateline/byline, date found, author found)."""
    if len(unit) > 160:
        return False, None, None
    for pattern in rules.dates:
        m = pattern.fullmatch(unit)
        if m:
            d = parse_date(m.group("date"))
            if d is not None:
                author = m.groupdict().get("author")
                return True, d, clean_spaces(author) if author else None
    for pattern in rules.bylines:
        m = pattern.fullmatch(unit)
        if m:
            return True, None, clean_spaces(m.group("author"))
    return False, None, None


def parse_scrape(text: str, origin: str) -> Article:
    rules = chrome_rules()
    units = _units(text.replace("\r\n", "\n").replace("\r", "\n"))
    found_date = None
    author = None
    kept: list[str] = []
    title = None
    for i, unit in enumerate(units):
        is_dateline, d, a = _dateline(unit, rules)
        if is_dateline:
            found_date = found_date or d
            author = author or a
            continue
        if rules.drop.fullmatch(unit):
            continue
        if title is None:
            if len(unit.split()) < MIN_TITLE_WORDS or len(unit) > 300:
                continue  # menu items and lone labels before the headline
            title = unit
            continue
        if kept and rules.stop.fullmatch(unit):
            break
        kept.append(unit)
    if title is None:
        raise RejectedInput("no title line found (no line of three or more words)")
    summary, blocks = _structure(kept)
    if not any(b.kind == "p" for b in blocks):
        raise RejectedInput("no article body found under the title")
    return Article(title=title.rstrip(), blocks=blocks, origin=origin, summary=summary,
                   date=found_date, author=author)


def _structure(units: list[str]) -> tuple[str | None, list[Block]]:
    """Standfirst, headings and paragraphs from the units after the title."""
    summary = None
    blocks: list[Block] = []
    for i, unit in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        next_is_paragraph = nxt is not None and ends_sentence(nxt)
        if ends_sentence(unit):
            blocks.append(Block("p", unit))
        elif next_is_paragraph:
            if i == 0:
                summary = unit
            else:
                blocks.append(Block("h2", unit))
        elif len(unit.split()) > 12:
            blocks.append(Block("p", unit))  # a real paragraph that just lacks its full stop
        # else: a short orphan line (leftover menu, label, caption): chrome
    while blocks and blocks[-1].kind == "h2":
        blocks.pop()
    return summary, blocks


class TextReader:
    """Reads scraped page dumps (.txt and anything that decodes to prose)."""

    name = "text"
    extensions = (".txt", ".text", "")

    def sniff(self, head: str) -> bool:
        return True  # the fallback reader: plain text is whatever the others do not claim

    def read(self, text: str, origin: str) -> Iterator[Article]:
        yield parse_scrape(text, origin)
