"""Dates from what the input says (metadata, datelines, URLs): never invented, unknown stays None."""
from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil import parser as dateparser

from ..model import EARLIEST_DATE, Article

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# Year first (2024-03-12, 2024/03/12, 2024.03.12): always year, month, day, never day-first.
_ISO = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_URL_DATE = re.compile(r"/(19[5-9]\d|20\d\d)[/-](0?[1-9]|1[0-2])(?:[/-](0?[1-9]|[12]\d|3[01]))?(?=[/-]|$)")
_URL_COMPACT = re.compile(r"/(19[5-9]\d|20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[-/_.]|$)")


# "tzname IST identified but not understood": the day is still right, and a page's odd zone name
# is no news for the person running an ingest (dateutil and htmldate both trigger it).
warnings.filterwarnings("ignore", category=dateparser.UnknownTimezoneWarning)


def plausible(d: date, today: date | None = None) -> bool:
    """A date an article can have been published on: from EARLIEST_DATE to two days from today."""
    return EARLIEST_DATE <= d <= (today or date.today()) + timedelta(days=2)


def parse_date(text: str | None) -> date | None:
    """A calendar date from free text such as '12 March 2024', 'March 12, 2024 09:30' or '2024-03-12T09:30Z'."""
    if not text:
        return None
    return _parse_date(text.strip(), date.today())


# The same date texts come back on page after page ("14 March 2024": a day's articles, a page's
# dateline looked at twice), and dateutil parses each twice (about 0.1 ms): a text's answer is
# remembered for the day (`today` is in the key, as the plausibility check depends on it).
@lru_cache(maxsize=8192)
def _parse_date(text: str, today: date) -> date | None:
    m = _ISO.search(text)
    try:
        if m:
            d = date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            return d if plausible(d, today) else None
        if not _YEAR.search(text):
            return None
        nums = re.match(r"\s*(\d{1,2})[/.](\d{1,2})[/.]\d{4}", text)
        dayfirst = True if not nums else int(nums.group(1)) <= 31 and int(nums.group(2)) <= 12
        # Parse twice with different defaults: a field that changes was not in the text (no invented day).
        a = dateparser.parse(text, fuzzy=True, dayfirst=dayfirst, default=datetime(2000, 1, 1))
        b = dateparser.parse(text, fuzzy=True, dayfirst=dayfirst, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError, dateparser.ParserError):
        return None
    if a.date() != b.date():
        return None
    d = a.date()
    return d if plausible(d, today) else None


def date_from_url(url: str | None) -> date | None:
    """Many news URLs carry /2024/03/12/ or /20240312-: a day only when the day is there."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m and m.group(3) and url[m.end():m.end() + 1] == "-" and "/" in m.group(0)[1:]:
        m = None  # '/2023/10/3-questions-for…': the number starts the slug, it is not a day
    if m and m.group(3):
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d if plausible(d) else None
        except ValueError:
            return None
    m = _URL_COMPACT.search(url)
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d if plausible(d) else None
        except ValueError:
            return None
    return None


def add_date(article: Article) -> Article:
    """Enricher: fill a missing date from the URL; keep what the reader found."""
    if article.date is None:
        article.date = date_from_url(article.url)
    return article


_STAMP = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2})?", re.I)
_UTC = ("Z", "+00:00", "+0000", "-00:00", "-0000")


def parse_timestamp(text: str | None) -> tuple[date | None, str]:
    """The day a metadata time stamp names, and how far to trust that day: "utc" when the stamp is in
    UTC (Z / +00:00), whose day can be the publisher's previous or next day; "local" otherwise
    (an offset, a bare day, or a local clock time). A UTC stamp at exactly 22:00 or 23:00 is a
    publisher's local midnight (UTC+1/+2) stored in UTC: its local day is the next one."""
    d = parse_date(text)
    if d is None or not text:
        return None, "none"
    m = _STAMP.search(text)
    if m and m.group(7) and m.group(7).upper() in _UTC:
        hh, mm, ss = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
        if hh in (22, 23) and mm == 0 and ss == 0:
            nxt = d + timedelta(days=1)
            return (nxt, "local") if plausible(nxt) else (d, "utc")
        return d, "utc"
    return d, "local"
