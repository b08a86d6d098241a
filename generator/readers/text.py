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

import numpy as np

from ..model import Article, Block, RejectedInput
from ..textutil import clean_spaces, load_yaml
from .html_dates import dates_in_text
from .text_dates import _dateline, body_date, page_date
from .text_model import (BYLINE, MAX_CANDIDATE_CHARS, Model, body_probabilities, context, features, is_prose,
                         load_model, main_run, word_count)

DATA = Path(__file__).resolve().parent.parent / "data"
_SENTENCE_END = re.compile(r"""[.!?…:;。！？；：]["'”’»)\]」』]*$""")
MIN_TITLE_WORDS = 2
BODY_THRESHOLD = 0.5  # a unit the body model gives at least this probability is article text
GAP_THRESHOLD = 0.2  # ... or this much, between two such units
MAX_UNITS = 20_000  # units analysed on one page (real pages have a few thousand): bounds the time
MAX_CANDIDATES = 1000  # headline candidates: the first units and those around the main run (bounds the work)
TITLE_TRIES = 3  # headline candidates tried, best first, until one has an article under it
HEADING_WORDS = 20  # a unit without a final stop and longer than this is a paragraph, not a heading
MAX_CHROME_LEN = 300  # chrome is short: longer lines are never tested (and never backtrack for long)
JOIN_CHARS = 40  # on an unwrapped page only a unit at least this long is continued by a lower-case line


@dataclass(frozen=True)
class Chrome:
    drop: re.Pattern
    stop: re.Pattern
    dates: tuple[re.Pattern, ...]
    bylines: tuple[re.Pattern, ...]
    copyright: re.Pattern
    date_words: re.Pattern
    comments: re.Pattern
    commenter: re.Pattern
    notice: re.Pattern  # searched for in a line holding one of notice_words (casefolded)
    notice_words: tuple[str, ...] = ()
    notice_max_words: int = 25  # longer lines are prose, unless links between bars (a footer)


def _alternation(patterns: list[str], flags: int) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@lru_cache(maxsize=1)
def chrome_rules(path: Path = DATA / "chrome.yml") -> Chrome:
    raw = load_yaml(path.read_text(encoding="utf-8"))  # libyaml: same rules, a tenth of the time
    return Chrome(
        drop=_alternation(raw["drop_lines"], re.I),
        stop=_alternation(raw["stop_lines"], re.I),
        dates=tuple(re.compile(p, re.I) for p in raw["date_lines"]),
        bylines=tuple(re.compile(p) for p in raw["byline_lines"]),
        copyright=re.compile(raw["copyright_line"], re.I),
        date_words=re.compile(rf"\b(?:{raw['date_words']})\b|[\s,:/.+()-]+", re.I),
        comments=_alternation(raw["comment_lines"], re.I),
        commenter=re.compile(raw["commenter_line"], re.I),
        notice=re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in raw["notice_lines"]) + r")\b", re.I),
        notice_words=tuple(raw["notice_words"]),
        notice_max_words=int(raw["notice_max_words"]),
    )


# The drop rules' verdict per short line, remembered: a site prints the same furniture on every page
# ("Share", "Home | News", its footer), and the drop rules are one alternation of every chrome
# pattern tried at the line's start (about 37 us a line, a tenth of reading a synthetic scrape; of
# the short lines of 400 synthetic scrapes 31 % are distinct, of 908 real scrapes from many sites 57 %).
# Kept for one set of rules, emptied when full.
MAX_VERDICTS = 1 << 14
_VERDICTS: dict[str, bool] = {}
_VERDICTS_OF: list = [None]  # the rules the verdicts are for


def _dropped(unit: str, rules: Chrome) -> bool:
    """The line is chrome by the drop rules or is a notice (see is_notice), remembered per line."""
    if _VERDICTS_OF[0] is not rules:
        _VERDICTS.clear()
        _VERDICTS_OF[0] = rules
    verdict = _VERDICTS.get(unit)
    if verdict is None:
        if len(_VERDICTS) >= MAX_VERDICTS:
            _VERDICTS.clear()
        verdict = _VERDICTS[unit] = bool(rules.drop.fullmatch(unit)) or is_notice(unit, rules)
    return verdict


def is_notice(unit: str, rules: Chrome) -> bool:
    """A notice to the reader somewhere in a short line (notice_lines; at most notice_max_words words
    unless it is links between bars, a footer), looked for only when the line holds one of its words:
    the line is scanned once for each word, not once for every rule."""
    low = unit.casefold()
    return (any(w in low for w in rules.notice_words)
            and (len(unit.split()) <= rules.notice_max_words or unit.count("|") + unit.count("•") >= 2)
            and bool(rules.notice.search(unit)))


_YEARS = re.compile(r"\b(19|20)\d\d\b(\s*[-–]\s*\b(19|20)\d\d\b)?")
# A run of marks is one: "© Copyright 2019, The X" gave the site "Copyright , The X".
_MARK = r"(?:©|\(c\)|\bcopyright\b)"
_MARKS = re.compile(rf"{_MARK}(?:[\s,]*(?:(?:19|20)\d\d[\s,]*)?{_MARK})*", re.I)
_RIGHTS = re.compile(r"\b(all rights reserved|all content|content may not.*|terms.*|privacy.*)", re.I)


def site_names(units: list[str], rules: Chrome) -> list[str]:
    """Site names from copyright lines: '© 2024 The Harbour Post. All rights reserved.', 'Lagoon Times © 2023'."""
    names = []
    for unit in units:
        if len(unit) > 200:
            continue
        m = _MARKS.search(unit)
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


# A row of short items set apart by runs of spaces or tabs ("Home  World  Africa") is a menu the dump
# lost its separators from: the gaps become the " | " the one-line-menu chrome rule knows. Items of at
# most three words, so prose with two spaces after its full stops is never taken for a menu.
_MENU_ROW = re.compile(r"[^\s|]+(?: [^\s|]+){0,2}(?:(?: {2,}|\t+)[^\s|]+(?: [^\s|]+){0,2}){2,}")
_MENU_GAPS = re.compile(r" {2,}|\t+")


def _units(text: str) -> list[tuple[str, int]]:
    """Lines joined into paragraphs: blank lines separate; hard-wrapped lines are re-joined.

    A line continues the previous one when the previous one does not end a sentence and either
    this one starts in lower case after a long unit (or on a wrapped page) or the page is wrapped at a
    fixed width and the previous line reaches it. A browser's dump never wraps, so a short line
    followed by a lower-case one (a headline and its tagline or byline) stays two units, and a menu
    of short lines is never joined into a fake headline.
    """
    lines = [clean_spaces(_MENU_GAPS.sub(" | ", l) if _MENU_ROW.fullmatch(l.strip()) else l) for l in text.splitlines()]
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
        continues = current and not ends_sentence(current) and not (BYLINE.match(line) and len(line.split()) <= 10) and (
            (line[0].islower() and last_words >= 2 and (wrapped or len(current) >= JOIN_CHARS))
            or (wrapped and last_len >= 0.6 * longest))
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


@dataclass
class Page:
    """A page dump cut into units, with what the rules say about each unit and its features."""

    units: list[str]
    blocks: list[int]
    chrome: list[bool]
    stop: list[bool]
    datelines: list[tuple[bool, object, str | None]]
    sites: list[str]
    vectors: list[list[float]]
    tail: list[str]  # prose after the part of a huge page that was analysed (kept as body)


def analyse(text: str) -> Page:
    """Units, rule flags and feature vectors of a page dump (what the reader and the trainer share)."""
    rules = chrome_rules()
    pairs = _units(text.replace("\r\n", "\n").replace("\r", "\n"))
    tail: list[str] = []
    if len(pairs) > MAX_UNITS:  # a pathological page: read the part around its prose, keep the prose after it
        lo = max(0, main_run([u for u, _ in pairs])[0] - MAX_UNITS // 10)
        tail = [u for u, _ in pairs[lo + MAX_UNITS:] if is_prose(u)]
        pairs = pairs[lo:lo + MAX_UNITS]
    units = [u for u, _ in pairs]
    blocks = [b for _, b in pairs]
    sites = site_names(units, rules)
    site_keys = {s.casefold() for s in sites}
    datelines = [_dateline(u, rules) for u in units]
    short = [len(u) <= MAX_CHROME_LEN for u in units]
    chrome = [d[0] or (ok and (_dropped(u, rules) or u.casefold() in site_keys
                               or bool(rules.copyright.fullmatch(u))))
              for u, d, ok in zip(units, datelines, short)]
    stop = [ok and bool(rules.stop.fullmatch(u)) for u, ok in zip(units, short)]
    dated = [d[0] or (ok and bool(dates_in_text(u))) for u, d, ok in zip(units, datelines, short)]
    vectors = features(units, blocks, chrome, stop, dated)
    return Page(units, blocks, chrome, stop, datelines, sites, vectors, tail)


def title_candidates(page: Page) -> list[int]:
    """Units that may be the headline: short enough, two words or more, not chrome or a dateline.

    Only units: of the tune pages whose gold headline is no unit (49 of 345), 2 print it as two
    consecutive lines and 2 as a part of a line ("Kicker – Headline", "Headline | Site"). Such spans
    added as candidates scored by the same model (features computed for the span, with "joined" and
    "split" kind features) lost in --cv title exact: 0.655 -> 0.635 (both), 0.638 (joins of two short
    lines with no blank line between), 0.643 (parts at a separator), 0.649 (joins after a line ending
    in a colon)."""
    start = main_run(page.units)[0]
    return [i for i, u in enumerate(page.units)
            if not page.chrome[i] and len(u) <= MAX_CANDIDATE_CHARS and word_count(u) >= MIN_TITLE_WORDS
            and (i < MAX_CANDIDATES or abs(i - start) <= MAX_CANDIDATES)]


def title_context(page: Page, model: Model, candidates: list[int]) -> list[list[float]]:
    """The candidates' features against the body `model` finds, when its title score reads them."""
    if not model.context:
        return [[] for _ in candidates]
    return context(page.units, body_probabilities(model, page.vectors, page.chrome), candidates, BODY_THRESHOLD)


def parse_scrape(text: str, origin: str) -> Article:
    return read_page(analyse(text), load_model(), origin)


def read_page(page: Page, model: Model, origin: str) -> Article:
    """The article of an analysed page, as `model` reads it (the trainer's cross-validation passes
    models fitted without the page's site)."""
    candidates = title_candidates(page)
    if not candidates:
        raise RejectedInput("no title line found (no line of two or more words)")
    extra = title_context(page, model, candidates) if model.context else None
    scores = dict(zip(candidates, model.title_scores([page.vectors[i] for i in candidates], extra)))
    ranked = sorted(candidates, key=lambda i: (-scores[i], i))
    ranked = [_headline_above(page, i, set(candidates)) for i in ranked]
    for title_at in ranked[:TITLE_TRIES]:  # the best headline with an article under it
        summary, blocks = _body_under(page, title_at, model)
        if any(b.kind == "p" for b in blocks):
            break
    else:
        raise RejectedInput("no article body found under the title")
    found_date = page_date(page, title_at) or body_date(page, title_at, _first_paragraph(page, title_at, blocks))
    author = next((a for i, (is_d, _, a) in enumerate(page.datelines) if is_d and a and abs(i - title_at) <= 12), None)
    return Article(title=_headline_text(page.units[title_at]), blocks=blocks, origin=origin, summary=summary,
                   date=found_date, author=author, source=page.sites[0] if page.sites else None)


# A headline's line may carry what the page set before it: a link arrow or a bullet ("[> Mara Lindqvist",
# "›Energie: ..."), or the breadcrumb it ends ("Home » Section • Brand » Headline"). A guillemet that
# opens a quotation closed in the line ("»Zitat«") is the headline's own.
_LEAD_MARKS = re.compile(r"^(?:(?:\[>|[>›»•·|])\s*)+")
_CLOSES = {"»": "«", "›": "‹"}
_CRUMB = re.compile(r"\s[»›>]\s")
_CRUMB_FIRST = re.compile(r"(home|start|startseite|accueil|inicio|início|home page)\b", re.I)


def _headline_text(unit: str) -> str:
    """The headline of the unit picked as the headline: without the marks and the breadcrumb before it."""
    parts = _CRUMB.split(unit)
    if len(parts) >= 3 and _CRUMB_FIRST.match(parts[0]) and word_count(parts[-1]) >= MIN_TITLE_WORDS:
        unit = parts[-1]
    m = _LEAD_MARKS.match(unit)
    if m and m.end() < len(unit) and not any(c in m.group() and _CLOSES[c] in unit for c in _CLOSES):
        unit = unit[m.end():]
    return unit


def _first_paragraph(page: Page, title_at: int, blocks: list[Block]) -> int | None:
    """The unit of the body's first paragraph."""
    para = next((b.text for b in blocks if b.kind == "p"), None)
    return next((i for i in range(title_at + 1, len(page.units)) if page.units[i] == para), None)


STANDFIRST_MIN_WORDS = 13  # longer than most headlines: a line this long under a headline is its standfirst
HEADLINE_MIN_WORDS = 6  # a kicker ("Analysis", "Middle East") above a headline is not the headline


def _headline_above(page: Page, at: int, candidates: set[int]) -> int:
    """A long sentence picked as the headline with a shorter headline candidate right above it is
    that headline's standfirst: the headline is the line above."""
    above = at - 1
    words = word_count(page.units[at])
    if above in candidates and words >= STANDFIRST_MIN_WORDS and word_count(page.units[above]) < words \
            and not ends_sentence(page.units[above]) and word_count(page.units[above]) >= HEADLINE_MIN_WORDS:
        return above
    return at


def _body_under(page: Page, title_at: int, model: Model) -> tuple[str | None, list[Block]]:
    """Standfirst and blocks under the headline: the units the body model takes, up to the footer."""
    rules = chrome_rules()
    units = page.units
    title = units[title_at].casefold()
    scored = _page_body(page, model)
    probability = [0.0] * len(units)
    for i in range(title_at + 1, len(units)):
        if not page.chrome[i] and units[i].casefold() != title:
            probability[i] = float(scored[i])
    kept: list[str] = []
    first = None  # the body's first unit
    inserted = False  # inside a "Read more" box between two paragraphs
    for i in range(title_at + 1, len(units)):
        unit = units[i]
        if kept and (page.stop[i] or _copyright(unit, rules)) and not _prose_resumes(page, probability, i) \
                or (kept and len(unit) <= MAX_CHROME_LEN and _comments_start(page, i)):
            break  # the footer starts: related links, copyright, comments and whatever follows them
        if page.stop[i] or inserted and not is_prose(unit):
            inserted = True  # "Read more:" and its links inside the article: the article goes on below them
            continue
        inserted = False
        between = 0 < i < len(units) - 1 and min(probability[i - 1], probability[i + 1]) >= BODY_THRESHOLD
        if probability[i] >= (GAP_THRESHOLD if between else BODY_THRESHOLD):
            kept.append(unit)  # a weaker unit between two of the body's units is body too
            first = i if first is None else first
    else:
        kept += page.tail
    standfirst = _standfirst(page, title_at, first)
    if standfirst is not None:
        kept.insert(0, standfirst)
    summary, blocks = _structure(kept)
    if not any(b.kind == "p" for b in blocks):  # a page the model finds no prose in: the rules alone
        summary, blocks = _structure([u for i, u in enumerate(units[title_at + 1:], title_at + 1)
                                      if not page.chrome[i] and u.casefold() != title])
    return summary, blocks


def _page_body(page: Page, model: Model) -> np.ndarray:
    """The body model's probability of every unit of the page, kept on the page for `model` (the reader
    tries up to TITLE_TRIES headlines on one page)."""
    kept = page.__dict__.get("_body")
    if kept is None or kept[0] is not model:
        kept = page.__dict__["_body"] = (model, body_probabilities(model, page.vectors, page.chrome))
    return kept[1]


def _copyright(unit: str, rules: Chrome) -> bool:
    """A copyright line. With the article's prose right below it, it is a photo's credit or a notice
    inside the text, not the footer (--cv by site, body F1 0.8989 -> 0.9037: 2 pages, none lost)."""
    return len(unit) <= MAX_CHROME_LEN and bool(rules.copyright.fullmatch(unit))


COMMENT_DATE_BELOW = 2  # units under a commenter's line where the comment's date stands


def _comments_start(page: Page, at: int) -> bool:
    """The comment section starts at unit `at`: its heading, or a commenter's line ("Anna says:")
    with a date or time under it (an article's "The minister says:" before a quote has none)."""
    rules = chrome_rules()
    unit = page.units[at]
    if rules.comments.fullmatch(unit):
        return True
    return len(unit) <= 60 and bool(rules.commenter.fullmatch(unit)) and any(
        dates_in_text(u) or _CLOCK.search(u) for u in page.units[at + 1:at + 1 + COMMENT_DATE_BELOW])


_CLOCK = re.compile(r"\b\d{1,2}[:.]\d\d\s*(am|pm|uhr|h)?\b|\b(ago|vor \d+)\b", re.I)


STOP_LOOKAHEAD = 4  # units below a stop line looked at (tune body F1: 0 -> 0.8586, 2 -> 0.8653, 4 -> 0.8701, 6 -> 0.8687)


def _prose_resumes(page: Page, probability: list[float], at: int) -> bool:
    """A "Read more"/"Related" line with the article's prose right below it is an insert inside the
    article (a link box between paragraphs), not the start of the footer."""
    return any(probability[j] >= BODY_THRESHOLD and is_prose(page.units[j])
               for j in range(at + 1, min(len(page.units), at + 1 + STOP_LOOKAHEAD)))


STANDFIRST_WORDS = (8, 60)  # a standfirst is a sentence, not a label and not a paragraph block
STANDFIRST_GAP = 3  # units between the headline and the body it may sit in (dateline, byline, photo credit)


def _standfirst(page: Page, title_at: int, first: int | None) -> str | None:
    """The sentence between the headline and the body the model took (a standfirst, which the body
    model, trained on pages whose gold body leaves it out, scores low): kept, as the page prints it."""
    if first is None or first - title_at - 1 > STANDFIRST_GAP:
        return None
    lo, hi = STANDFIRST_WORDS
    for i in range(title_at + 1, first):
        unit = page.units[i]
        if not page.chrome[i] and not page.datelines[i][0] and lo <= word_count(unit) <= hi \
                and unit.casefold() != page.units[title_at].casefold():
            return unit
    return None


def _structure(units: list[str]) -> tuple[str | None, list[Block]]:
    """Standfirst, headings and paragraphs from the units after the title. A short line that ends no
    sentence and heads no paragraph is kept when it sits inside the text, after a paragraph and before
    a sentence (--cv by site, body F1: dropped 0.8927, kept 0.8979; kept only when a sentence follows
    within 2, 5 or 20 units: 0.8962, 0.8976, 0.8980): the gold bodies keep lists and code."""
    summary = None
    blocks: list[Block] = []
    last_sentence = max((i for i, u in enumerate(units) if ends_sentence(u)), default=-1)
    for i, unit in enumerate(units):
        nxt = units[i + 1] if i + 1 < len(units) else None
        next_is_paragraph = nxt is not None and ends_sentence(nxt)
        if ends_sentence(unit):
            blocks.append(Block("p", unit))
        elif next_is_paragraph and (i == 0 or word_count(unit) <= HEADING_WORDS):
            if i == 0:
                summary = unit
            else:
                blocks.append(Block("h2", unit))
        elif word_count(unit) > 12:
            blocks.append(Block("p", unit))  # a real paragraph that just lacks its full stop
        elif blocks and blocks[-1].kind == "p" and i < last_sentence:
            blocks.append(Block("p", unit))  # a short line inside the text (a list's item, a label, code): the body model took it
        # else: a short orphan line before the text or after it (leftover menu, label, caption): chrome
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
