"""The date a page dump prints for its article: the dateline near the headline.

Why a module of its own: the rules that tell an article's dateline ("Published 12 March 2024 |
Updated 13 March 2024", "By Jane Doe, 3 May 2021") from the other dates of a page (a related
articles list, an event's period, a copyright year) are half of the text reader and share nothing
with its title and body model but the page's units. When unsure, the page stays undated rather
than wrong (issue 8).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from datetime import date

from ..enrich.dates import parse_date
from ..enrich.language import looks_english
from ..textutil import clean_spaces
from .html_dates import _make_day, dates_in_text, month_names
from .text_model import is_prose

if TYPE_CHECKING:
    from .text import Chrome, Page

DATE_BEFORE, DATE_AFTER = 10, 12  # units above and below the headline where its dateline is looked for (--cv: above 6 -> 10, date right 0.729 -> 0.739, wrong 4.5 % unchanged; 12: 0.739, 5.0 %)
DATELINE_CHARS = 120  # a dateline is short: dates inside longer units are the text's own


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


_UPDATED = re.compile(r"(updated|aktualisiert|modifi|actualiz|aggiornat|bijgewerkt|ge[äa]ndert|mis [àa] jour)\w*\W*$"
                      r"|(update[ds]?|aktualisiert|mis [àa] jour|actualizado|aggiornato)\b.{0,12}$", re.I)
# A label starts a word ("Vorstandssitzung vom" holds no "Stand" label, "Updated on" no "date"), but a
# compound ending in "datum" is one ("Erscheinungsdatum:"); a weekday may stand between label and date.
_PUBLISHED = re.compile(r"(?:\b(published|posted|veröffentlicht|erschienen|publié|publicado|pubblicato|gepubliceerd"
                        r"|publicerad|date|stand)|datum)\w*\W{0,3}(am|on|le|el|il|op|vom|den)?\W{0,3}([^\W\d_]+,\s*)?$", re.I)
_NOT_A_DATELINE = re.compile(r"\b(reply|antwort(en)?|répondre|responder|rispondi)\b", re.I)  # a comment's
_LINKED = re.compile(r"https?://|www\.|\(@\w")  # a date in a link or an embedded post's: looked for where dates are read
DATE_IN_LONG_UNIT = 40  # in a paragraph, only a date at its start is a dateline ("Berlin, 12.11.2021 – ...")
IN_ARTICLE = 2  # paragraphs below the headline after which an unlabelled date is the text's own
LIST_BEYOND = 6  # units below the window looked at to tell a list of dates (tune, CV titles: 0 -> 3, 6, 10: wrong 19 -> 18, right same)
LIST_GAP = 4  # units: a date below the window counts for the list only this close to the list's last date
NEAR = 0  # units: among a list of dates only a labelled one is taken (--cv: 3 -> 0, wrong 6.2 -> 5.3 %, right 0.733 -> 0.725)


# A dump glues what the page set apart with markup: WordPress prints the published and the updated
# day side by side ("22. Dezember 201922. Dezember 2019", "19.11.202119.11.2021"), a label runs into
# its date ("Posted on28. Juli 2019", "eröffnet20.10.2021"), a year into the next word or a count
# ("November 5, 2023By Jane", "7. Januar 20220" with no comments). A space is put back where a year is followed by a day or a word, and
# between a word and the digits after it, so the dates are read as the page shows them.
_GLUED = re.compile(r"((?<!\d)(?:19|20)\d\d)(?=\d{1,2}(?:[./]|\s+[^\W\d_]|\s*$)|[^\W\d_])|([^\W\d_])(?=\d)")


def _unglued(unit: str) -> str:
    return _GLUED.sub(lambda m: (m.group(1) or m.group(2)) + " ", unit) if _ANY_YEAR.search(unit) else unit


_ANY_YEAR = re.compile(r"(?:19|20)\d\d")


_TWO_DIGITS = re.compile(r"\d\d")


def _dates_of(page: Page, i: int) -> list[tuple[bool, bool, object]]:
    """(labelled as an update, labelled as published, day) for each dateline date in unit i; remembered
    for the page (the fallbacks of page_date and body_date look at the same units again)."""
    if not _TWO_DIGITS.search(page.units[i]):
        return []  # every date form holds a two-digit year at least: most units have none
    known = page.__dict__.setdefault("_dates_of", {})
    if i not in known:
        known[i] = _read_dates(page, i)
    return known[i]


def _read_dates(page: Page, i: int) -> list[tuple[bool, bool, object]]:
    unit = _unglued(page.units[i])
    if _NOT_A_DATELINE.search(unit):
        return []
    entry = len(unit) <= ENTRY_NOTE_CHARS and bool(_ENTRY_NOTE.match(unit))  # "This entry was posted in News on 3 May 2021": a blog's own note
    limit = len(unit) if len(unit) <= DATELINE_CHARS or entry else DATE_IN_LONG_UNIT
    if _LINKED.search(unit, 0, limit + 40):
        return []  # a paragraph that opens with a dateline may name a web address further on
    out = []
    found = dates_in_text(unit[:limit + 40])
    found = _more_dates(page, unit[:limit + 40], found)
    ranged = {k for k in range(len(found) - 1)  # "28.01.2022 – 29.01.2022": a period (an event's), both ends
              if found[k + 1][0] - found[k][0] <= RANGE_CHARS and _RANGE.search(unit[found[k][0]:found[k + 1][0]])}
    ranged |= {k + 1 for k in ranged}
    ranged |= {k for k, (pos, _) in enumerate(found) if _DAY_SPAN_BEFORE.search(unit, max(0, pos - 8), pos)
               or _DAY_SPAN_AFTER.match(unit, pos)}
    twins = {k for k in range(len(found) - 1) if found[k + 1][1] == found[k][1] and found[k + 1][0] - found[k][0] <= TWIN_CHARS}
    for k, (pos, day) in enumerate(found):
        if pos <= limit and k not in ranged:
            before = unit[max(0, pos - 30):pos]
            published = entry or bool(_PUBLISHED.search(before))
            if not _BOUND.search(before) and not _COPYRIGHT.search(unit, _segment_start(unit, pos), pos) \
                    and (published or k in twins or _in_dateline(unit, pos)):
                out.append((bool(_UPDATED.search(before)), published, day))
    return out


# Forms dates_in_text leaves out, read here because a dateline's place vouches for them: a two-digit
# year after a day and a month's name ("Publié le 27 Mar 20 à 9:21", "Datum: 03.Mär.19"; --cv: date
# right 0.831 -> 0.837, wrong 4.9 % unchanged) or after a day and a month with dots ("19.10.19,
# 11:29 Uhr", "Artikel vom 31.10.23"; Engadget writes "11.03.17" for 3 November), and a slash date
# whose day and month could be swapped ("Publié le 02/11/2023", "Por Ana Ribeiro | 03/05/2022
# 20:36", "30/10/23"), read in the order the page uses (_day_first).
_SHORT_DOT = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d\d)(?![\d.])")
_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)?\d\d)(?![\d/])")
_DAY_MONTH = re.compile(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(?:19|20)?\d\d(?![\d/.])")
PROSE_SAMPLE = 20  # paragraphs of a page that tell its language


def _more_dates(page: Page, text: str, found: list[tuple[int, object]]) -> list[tuple[int, object]]:
    """`found` with the two-digit-year and ambiguous slash dates of `text` added, in reading order."""
    taken = {pos for pos, _ in found}
    extra = []
    for m in _short_named().finditer(text):
        if m.start() not in taken:
            y = int(m.group(3))
            day = _make_day(y + (2000 if y <= date.today().year % 100 else 1900), month_names()[m.group(2).lower()], int(m.group(1)))
            if day is not None:
                extra.append((m.start(), day))
                taken.add(m.start())
    for rx in (_SHORT_DOT, _SLASH):
        for m in rx.finditer(text):
            if m.start() in taken:
                continue
            a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if y < 100:
                y += 2000 if y <= date.today().year % 100 else 1900
            if a > 12 >= b:
                day = _make_day(y, b, a)
            elif b > 12 >= a:
                day = _make_day(y, a, b)
            else:
                first = _day_first(page)
                day = None if first is None else _make_day(y, b, a) if first else _make_day(y, a, b)
            if day is not None:
                extra.append((m.start(), day))
                taken.add(m.start())
    return sorted(found + extra, key=lambda f: f[0]) if extra else found


_SHORT_NAMED: list = []


def _short_named() -> re.Pattern:
    """A day, a month's name and a two-digit year: '27 Mar 20 à 9:21', '14 Gennaio 20', '03.Mär.19'."""
    if not _SHORT_NAMED:
        months = "|".join(sorted((re.escape(m) for m in month_names()), key=len, reverse=True))
        _SHORT_NAMED.append(re.compile(r"(?<![\d.])(\d{1,2})\.?\s*(" + months + r")\.?\s*(\d\d)(?![\d:.,]|\s*(?:\d|[^\W\d_]{2,}\b(?<!\bà)))", re.I))
    return _SHORT_NAMED[0]


def _day_first(page: Page) -> bool | None:
    """Whether the page's numeric dates put the day first: as its unambiguous ones do (13/05/2020 or
    05/13/2020, with slashes or dots), else yes for a page not in English (the month first is
    American), else unknown."""
    known = page.__dict__.get("_day_first", "")
    if known != "":
        return known
    orders: set[bool] = set()
    for unit in page.units:
        for m in _DAY_MONTH.finditer(unit) if "/" in unit or "." in unit else ():
            a, b = int(m.group(1)), int(m.group(3))
            if a > 12 >= b or b > 12 >= a:
                orders.add(a > 12)
    if len(orders) == 1:
        answer: bool | None = orders.pop()
    elif orders:
        answer = None
    else:
        prose = [u for u in page.units if is_prose(u)][:PROSE_SAMPLE]
        answer = None if looks_english(" ".join(prose)) else True
    page.__dict__["_day_first"] = answer
    return answer


# A blog's note on its entry, one sentence that names when it was published among its categories and
# tags: "This entry was posted in News, Harbour and tagged flood on 3 May 2021", "Dieser Beitrag wurde
# am 3. Mai 2021 von Anna veröffentlicht". Its date is the entry's, however many words stand before it.
_ENTRY_NOTE = re.compile(r"(this (entry|post|article) was|dieser (eintrag|beitrag|artikel) wurde|cet article a été)\b"
                         r"(?:[^.!?]|(?<=\d)\.){0,200}\b(posted|published|written|veröffentlicht|geschrieben|publié)", re.I)
ENTRY_NOTE_CHARS = 300  # a longer unit is prose that happens to start so


TWIN_CHARS = 25  # the same day printed twice this close: a blog's published and updated stamps side by side
RANGE_CHARS = 40  # two dates this close with a dash or "to" between them bound a period
_RANGE = re.compile(r"\s[-–—]\s*$|[-–—]$|\b(bis|to|until|au|al|tot)\s*$", re.I)


_COPYRIGHT = re.compile(r"©|\(c\)|\bcopyright\b", re.I)  # "© 12.03.2024 Harbour Times": the footer's (a credit "© dpa | 07.11.2023" is another part)

# a period written as one date and a second day: "11-12 May 2021", "2020/7/11-12"
_DAY_SPAN_BEFORE = re.compile(r"(?<![\d.:/])\d{1,2}\.?\s?[-–]\s?$")
_DAY_SPAN_AFTER = re.compile(r"(?:19|20)\d\d([/.-])\d{1,2}\1\d{1,2}\s?[-–]\s?\d{1,2}(?![\d:.,/])")


# a date that bounds a period is a deadline or an event's, not the page's: "(bis 28.02.2021)", "until 3 May"
_BOUND = re.compile(r"\b(bis|bis zum|ab|until|till|through|from|to|deadline|jusqu'au|à partir du|hasta|desde|fino al)"
                    r"\W{0,3}$", re.I)


_SEGMENT_BREAK = re.compile(r"\s*[|·•⋅∙]\s*|\s[-–—/]\s")
_TIME_WORD = re.compile(r"\d{1,2}[:.h]\d\d\S*|\d{1,2}|(?i:uhr|um|at|am|pm|a\.m\.|p\.m\.|h|gmt|utc)")
_BYLINE_START = re.compile(r"(by|von|par|por|di|door|posted|published|written|geschrieben|publié|publicado)\b", re.I)
DATELINE_WORDS = 4  # words before the date in its part of the line: a label, a name, a weekday
BYLINE_WORDS = 8  # ... or after "By", "Posted by" and the like: a name and a label


def _segment_start(unit: str, pos: int) -> int:
    """Where the part of the line that holds `pos` starts: after the last separator before it."""
    starts = [m.end() for m in _SEGMENT_BREAK.finditer(unit, 0, pos)]
    return starts[-1] if starts else 0


def _in_dateline(unit: str, pos: int) -> bool:
    """The date at `pos` opens a dateline, not a sentence: the part of the unit it sits in (after the
    last separator such as '|' or ' - ') has at most a few words before it, a few more after "By"
    ("Der nächste Stammtisch findet am 5. Februar", "Protokoll der letzten Sitzung vom 5.8.2019" are
    sentences). What follows the date is not looked at: datelines go on with names and categories."""
    segment = unit[_segment_start(unit, pos):pos]
    words = sum(not _TIME_WORD.fullmatch(w.strip(",.;:()")) for w in segment.split())
    return words <= (BYLINE_WORDS if _BYLINE_START.match(segment.lstrip()) else DATELINE_WORDS)


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def page_date(page: Page, title_at: int) -> object:
    """The page's date (see _date_choice), or None. A date that comes from an "Updated" stamp is the
    last revision's: it stands for the publication only when nothing says the article is older. A
    headline naming years ("The best films of 2017", "... in 2020") that all precede the update was
    written before it: the publication day is not printed, so undated rather than wrong."""
    choice = _date_choice(page, title_at) or _copy_date(page, title_at)
    if choice is None:
        return None
    updated, day = choice[0], choice[3]
    years = [int(y) for y in _YEAR.findall(page.units[title_at])]
    if updated and years and day.year > max(years):
        return None
    return day


BODY_DATE_GAP = 3  # units between the headline and the first paragraph past which the paragraph's own dateline is looked for
COMMENT_CHARS = 300  # a comment section's heading or commenter's line is short (longer units are not tested)
BODY_DATE_BEFORE = 6  # units above the first paragraph where it is looked for


def body_date(page: Page, title_at: int, first: int | None) -> object:
    """With no date at the headline: the dateline above the article's first paragraph, when that is
    more than a few units below the headline. The headline picked may be a teaser or a menu item away
    from the article (more often on sites the model never saw); the article prints its dateline above
    its text. As for an update stamp, a date later than every year the headline names ("The 21 best
    movies of 2017") is not taken.
    (--cv by site, same fold models: date right 0.809 -> 0.829, wrong 4.6 -> 4.9 % of the dates given;
    without the headline's years 5.1 % wrong; looked for when the paragraph is more than 0 or 12
    units below the headline: 0.829 with 5.3 % wrong, 0.827 with 4.9 %.)"""
    if first is None or first - title_at <= BODY_DATE_GAP or any(page.stop[title_at + 1:first]):
        return None  # under a "Related" or "Read more" line, the dates above the paragraph are teasers'
    from .text import _comments_start
    if any(_comments_start(page, i) for i in range(title_at + 1, first) if len(page.units[i]) <= COMMENT_CHARS):
        return None  # the "paragraph" is a comment's, the date above it the comment's (--cv: 2 wrong fewer)
    choice = _date_choice(page, first, before=BODY_DATE_BEFORE, after=0)
    if choice is None:
        return None
    years = [int(y) for y in _BARE_YEAR.findall(page.units[title_at])]
    return None if years and choice[3].year > max(years) else choice[3]


_BARE_YEAR = re.compile(r"(?<![\d./-])(?:19|20)\d\d(?![\d])")  # a year, not the end of a date ("bis 28.02.2021")


COPIES = 3  # other places of the page that print the headline looked at for its dateline
COPY_AFTER = 4  # units below such a copy where its dateline is looked for (--cv: 3 -> 4 or 6, date right 0.829 -> 0.831, wrong 4.9 % unchanged)


def _copy_date(page: Page, title_at: int) -> tuple | None:
    """With no date at the headline: the dateline under another copy of it. A page that shows its
    headline in a teaser or a menu above the article prints the dateline under the article's own
    copy ("Headline", "By J.Q. Writer", "November 5, 2023"), or on the copy's line in a list of posts
    ("Headline 12 Dezember, 2015"); such a line names its own day. A longer line that merely starts
    with the headline's words ("Nuevo puerto abre hoy") is another item unless it is
    dated. A date under a copy with other dates below it is a list's (related articles): skipped."""
    title = page.units[title_at].casefold()
    copies = [i for i, u in enumerate(page.units)
              if i != title_at and u.casefold().startswith(title) and len(u) <= len(title) + DATELINE_CHARS
              and (len(u) == len(title) or _dates_of(page, i))][:COPIES]
    for at in copies:
        for i in range(at, min(len(page.units), at + COPY_AFTER + 1)):
            dates = _dates_of(page, i)
            if dates:
                updated, _, day = min(dates, key=lambda d: (d[0], d[2]))
                if i > at and any(d != day for j in range(i + 1, min(len(page.units), i + LIST_BEYOND + 1))
                                  for _, _, d in _dates_of(page, j)):
                    break  # the copy is an item of a list of dated teasers: the date under it may be the next item's
                return (updated, False, float(i - at), day)
    return None


def _date_choice(page: Page, title_at: int, before: int = DATE_BEFORE, after: int = DATE_AFTER) -> tuple | None:
    """The dateline the page prints nearest its headline, from `before` units above it to `after` below
    it; an "Updated" date only when no other is there. Among a list of dates (related articles, an
    archive) only a date labelled "Published" is taken: the headline's own looks like the others, so
    unsure. With no date near the headline, the first date labelled "Published" on the page. Unsure:
    undated. (Lost in --cv, 2026-12-07: counting in the list test the dates skipped as the article's own,
    for a headline in a list of dated teasers: date right 0.845 -> 0.837 with as many wrong; and with
    3 dated units of 2 days already a list: 0.831, one more wrong.)"""
    found = []
    beyond = set()  # days of the units just below the window: a list that goes on past it is a list
    last_dated = -1  # the last unit whose date counts (a byline's date is no list with one far below it)
    prose_above = 0  # paragraphs between the headline and unit i: the article has begun
    listed = False  # a "Related"/"Read more" line between the headline and unit i
    for i in range(max(0, title_at - before), min(len(page.units), title_at + after + LIST_BEYOND + 1)):
        if i > title_at + 1 and is_prose(page.units[i - 1]):
            prose_above += 1
        if i > title_at and page.stop[i - 1]:
            listed = True
        for updated, published, day in _dates_of(page, i):
            if (prose_above >= IN_ARTICLE or listed) and not published:
                continue  # a date inside the article's text is an event's, not the page's; under "Related", a teaser's
            if i > title_at + after:
                if last_dated >= 0 and i - last_dated <= LIST_GAP:
                    beyond.add(day)
                    last_dated = i
            else:
                last_dated = i
                found.append((updated, not published, abs(i - title_at) + (0.5 if i < title_at else 0.0), day))
    if found and len({f[3] for f in found} | beyond) >= 3:  # a list of dates: keep what is labelled
        found = [f for f in found if not f[1] or f[2] <= NEAR]
    if not found:
        found = [(updated, False, 0.0, day) for i in range(len(page.units)) for updated, published, day
                 in _dates_of(page, i) if published and not updated][:1]
    if not found:
        found = _lone_dateline(page, title_at)
    if not found:
        return None
    return min(found, key=lambda f: (f[0], f[2], f[3]))  # in one dateline the earliest: published, then updated


WIDE_AFTER = 40  # units below the headline where a lone dateline is still its date (above: a masthead's today)
LONE_DATELINE_CHARS = 80


def _lone_dateline(page: Page, title_at: int) -> list[tuple[bool, bool, float, object]]:
    """With no date at the headline: the date of the one short dateline further below it (a byline
    block under a standfirst and a picture), when only one unit there prints dates; several are a
    list or comments, and unsure is undated."""
    end = min(len(page.units), title_at + WIDE_AFTER + 1)
    from .text import _comments_start
    end = next((i for i in range(title_at + 1, end) if page.stop[i] or _comments_start(page, i)), end)  # not past "Related" or the comments
    found = [(i, (updated, False, float(abs(i - title_at)), day))
             for i in range(max(0, title_at - DATE_BEFORE), end)
             if len(page.units[i]) <= LONE_DATELINE_CHARS for updated, _, day in _dates_of(page, i)]
    return [f for _, f in found] if len({i for i, _ in found}) == 1 else []
