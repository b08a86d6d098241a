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
MAX_CHROME_LEN = 300  # chrome is short: longer lines are never tested (and never backtrack for long)


@dataclass(frozen=True)
class Chrome:
    drop: re.Pattern
    stop: re.Pattern
    dates: tuple[re.Pattern, ...]
    bylines: tuple[re.Pattern, ...]
    copyright: re.Pattern
    date_words: re.Pattern


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
        copyright=re.compile(raw["copyright_line"], re.I),
        date_words=re.compile(rf"\b(?:{raw['date_words']})\b|[\s,:/.+()-]+", re.I),
    )


_YEARS = re.compile(r"\b(19|20)\d\d\b(\s*[-–]\s*\b(19|20)\d\d\b)?")
_RIGHTS = re.compile(r"\b(all rights reserved|all content|content may not.*|terms.*|privacy.*)", re.I)


def site_names(units: list[str], rules: Chrome) -> list[str]:
    """Site names from copyright lines: '© 2024 The Harbour Post. All rights reserved.', 'Lagoon Times © 2023'."""
    names = []
    for unit in units:
        if len(unit) > 200:
            continue
        m = re.search(r"©|\(c\)|\bcopyright\b", unit, re.I)
        if not m:
            continue
        before, after = unit[: m.start()], unit[m.end():]
        for part in (after, before):
            part = re.split(r"\s[|·•—–]\s|\.\s|\s-\s", _YEARS.sub(" ", part))[0]
            part = _RIGHTS.sub("", part).strip(" .,;|·•—–-")
            part = re.sub(r"^(by|the property of)\s+", "", part, flags=re.I)
            if 1 <= len(part.split()) <= 6 and any(c.isupper() for c in part):
                names.append(clean_spaces(part))
                break
    return names


def _masthead(unit: str, sites: set[str]) -> bool:
    """A site name before the headline: the copyright line's name, or a short all-capitals line."""
    letters = [c for c in unit if c.isalpha()]
    return unit.casefold() in sites or (len(unit.split()) <= 6 and bool(letters) and all(c.isupper() for c in letters))


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line[-12:]))


def _units(text: str) -> list[tuple[str, int]]:
    """Lines joined into paragraphs: blank lines separate; hard-wrapped lines are re-joined.

    A line continues the previous one when the previous one does not end a sentence and either
    this one starts in lower case or the page is wrapped at a fixed width and the previous line
    reaches it (a menu of short lines is never joined into a fake headline).
    """
    lines = [clean_spaces(l) for l in text.splitlines()]
    longest = max((len(l) for l in lines), default=0)
    wrapped = 40 <= longest <= 120 and sum(len(l) >= 0.6 * longest for l in lines) >= 3
    units: list[tuple[str, int]] = []
    current, last_len, last_words, block = "", 0, 0, 0
    for line in lines:
        if not line:
            if current:
                units.append((current, block))
            current = ""
            block += 1
            continue
        continues = current and not ends_sentence(current) and (
            (line[0].islower() and last_words >= 2) or (wrapped and last_len >= 0.6 * longest))
        if continues:
            current += " " + line
        else:
            if current:
                units.append((current, block))
            current = line
        last_len, last_words = len(line), len(line.split())
    if current:
        units.append((current, block))
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
    if len(unit) <= 60 and not rules.date_words.sub("", unit):
        d = parse_date(unit)
        if d is not None:
            return True, d, None
    for pattern in rules.bylines:
        m = pattern.fullmatch(unit)
        if m:
            return True, None, clean_spaces(m.group("author"))
    return False, None, None


def _title_index(units: list[tuple[str, int]], chrome: list[bool], datelines: list[bool],
                 site_keys: set[str]) -> int | None:
    """The headline: the first line standing alone between blank lines (mastheads and menus come in
    runs of short lines), of three words or more, not in capitals; failing that, the first such line."""

    def plausible(unit: str) -> bool:
        return len(unit.split()) >= MIN_TITLE_WORDS and len(unit) <= 300 and not _masthead(unit, site_keys)

    by_block: dict[int, list[int]] = {}
    for i, (unit, block) in enumerate(units):
        if not datelines[i]:  # a byline under the headline does not make it part of a menu
            by_block.setdefault(block, []).append(i)
    for members in by_block.values():
        if len(members) == 1 and not chrome[members[0]] and plausible(units[members[0]][0]):
            return members[0]
    return next((i for i, (u, _) in enumerate(units) if not chrome[i] and plausible(u)), None)


def parse_scrape(text: str, origin: str) -> Article:
    rules = chrome_rules()
    units = _units(text.replace("\r\n", "\n").replace("\r", "\n"))
    sites = site_names([u for u, _ in units], rules)
    site_keys = {s.casefold() for s in sites}
    datelines = [_dateline(u, rules) for u, _ in units]
    chrome = [d[0] or (len(u) <= MAX_CHROME_LEN and (bool(rules.drop.fullmatch(u)) or u.casefold() in site_keys
                                                     or bool(rules.copyright.fullmatch(u))))
              for (u, _), d in zip(units, datelines)]
    title_at = _title_index(units, chrome, [d[0] for d in datelines], site_keys)
    if title_at is None:
        raise RejectedInput("no title line found (no line of three or more words)")
    found_date = author = None
    for is_dateline, d, a in datelines:
        if is_dateline:
            found_date = found_date or d
            author = author or a
    kept: list[str] = []
    for i in range(title_at + 1, len(units)):
        unit = units[i][0]
        if kept and len(unit) <= MAX_CHROME_LEN and (rules.stop.fullmatch(unit) or rules.copyright.fullmatch(unit)):
            break  # the footer starts: related links, copyright and whatever follows them
        if not chrome[i]:
            kept.append(unit)
    summary, blocks = _structure(kept)
    if not any(b.kind == "p" for b in blocks):
        raise RejectedInput("no article body found under the title")
    return Article(title=units[title_at][0], blocks=blocks, origin=origin, summary=summary,
                   date=found_date, author=author, source=sites[0] if sites else None)


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
