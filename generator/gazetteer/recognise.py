"""Recognition: which capitalised spans of a text are place names (the precision rules of the
GeoNamesGazetteer, a mixin of it: see its docstring)."""
from __future__ import annotations

import re
from bisect import bisect_left
from operator import le, lt

from .build import KINDS, normalise
from .textrules import (
    FEATURE_WORDS,
    INSTITUTIONS,
    NEIGHBOURS_OK,
    _PERSON_AFTER,
    _DIRECTION_OF,
    _AFTER_COMMA,
    _HOME_OF,
    _CITY_OF,
    _DATELINE,
    _IN_BEFORE,
    _MONTHS,
    _PLACE_BEFORE,
    _WORD_RUN,
    _ends_sentence,
    _initial,
    _lower_article,
    _names_a_thing,
    _next_word,
    _prev_word,
    _sentence_start,
)

from .weights import (
    MAIN_REGION,
    MAJOR_CITY,
    PREFIX_CITY,
)


class Recogniser:
    """Finding mentions: word-bounded, leftmost-longest automaton matches, kept by the precision rules."""

    # --- recognition -------------------------------------------------------------------------------
    def recognise(self, text: str, exclude=()) -> list[tuple[int, int, int]]:
        """Mentions as (start, end, name index): word-bounded, leftmost-longest, precision rules applied."""
        return self._recognise(text, *_exclusion(len(text), exclude)[:3])

    def _recognise(self, text: str, ex_starts: list[int] | None, ex_ends: list[int] | None,
                   blocked: bytearray | None) -> list[tuple[int, int, int]]:
        """recognise() with the excluded spans as _exclusion() gives them."""
        n = len(text)
        names, forced = self._names, self._forced
        cands = []
        paired = []  # names before a hyphen and a capital: kept when a name follows ("Fargo-Moorhead")
        the_spans: set[int] = set()  # starts of names matched after "the" ("in the Gulf"): see below
        meta = self._meta
        # where " al-X" follows a word: a name ending there heads a longer Arabic name (found once per text,
        # and only in text that has one: a test in the loop below cost every hit of every article)
        heads = {m.start() for m in _ARABIC_HEAD.finditer(text) if text[m.end()].isupper()} \
            if " al-" in text or " Al-" in text or " el-" in text or " El-" in text or " AL-" in text else None
        # the automaton's hits in " " + normalise(text) + " ", from the scan shared with the tagger
        for end_idx, j in self._scan.hits(text)[0]:
            m = meta.get(j)
            if m is None:
                name = names[j]
                m = meta[j] = (len(name), name[-1] if not name[-1].isalnum() else "", name.isupper(), name,
                               " " in name)
            length, last, caps, name, _ = m
            start = end_idx - length - 1  # the key is " name ", and padded is shifted by one
            first = text[start]
            if not (first.isupper() or first.isdigit()) and (first not in "ae" or
                                                              not _lower_article(text, start, start + length)):
                if first != "t" or name[:4] != "the " or not text[start + 4].isupper() \
                        or not text.startswith("the ", start) or text.startswith(" of ", start + length):
                    continue  # (nor "the Gulf of Mexico": a longer name, not the Gulf)
                start += 4  # "in the Gulf": a curated name written with its article ("the Gulf", whose
                length -= 4  # bare "Gulf" is Papua New Guinea's province) is that name; the mention is "Gulf"
                the_spans.add(start)
            elif first == "T" and name[:4] == "the " and text.startswith("The ", start):
                if text.startswith(" of ", start + length):
                    continue
                start += 4  # "The Gulf states": the article is no part of the name here either
                length -= 4
                the_spans.add(start)
            end = start + length
            if ex_starts is not None:
                k = bisect_left(ex_starts, end) - 1  # the last excluded span starting before the end
                if k >= 0 and ex_ends[k] > start and not (
                        ex_starts[k] == start and end < ex_ends[k] and text[end] == " " and self._has_country(j)) \
                        and not (ex_starts[k] == start and ex_ends[k] == end and self._is_body(j)):
                    continue  # a tag beats a place, but "Syrian army", "U.S. military" name their country
            elif blocked is not None and blocked.find(1, start, end) >= 0 and not self._is_body(j):
                continue  # a tag beats a place
            if last and text[end - 1] != last:
                continue  # "U.S." needs its final dot; "Tal." never matches "Tal "
            if last and name == "B.C." and _era(text, start):
                continue  # "500 B.C.", "the third century B.C.": a date, not British Columbia
            if start > 2 and text[start - 1] == "-" and text[start - 3:start - 1] in _ARABIC_ARTICLES \
                    and (start == 3 or not text[start - 4].isalpha()):
                continue  # "Muqtada al-Sadr": a name we know only without its article is a surname there
            if heads and end in heads and not self._has_country(j):
                continue  # "Ras al-Ain", "Ain al-Asad": the head of a longer name we do not know ("Ras", India)
            hyphened = False  # "Iraq-based" and "Syrian-Turkish" are fine
            if end + 1 < n:
                c = text[end]
                if c in "-'’":
                    c2 = text[end + 1]
                    if c2.isupper() and not (c == "-" and self._has_country(j)):
                        if c != "-":
                            continue
                        hyphened = True  # "Fargo-Moorhead" if Moorhead is a name too, but not "Jean-Pierre"
                    if c != "-" and c2.isalpha() and \
                            not (c2 in "sS" and (end + 2 >= n or not text[end + 2].isalnum())):
                        continue  # "Syria's" is Syria, but "Jama'at" is not "Jama"
            if caps or (length > 1 and text[start + 1].isupper()):
                surface = text[start:end]
                if caps:
                    if surface != name:
                        continue
                elif surface.isupper() and (length <= 4 or sum(c.isalpha() for c in surface) <= 4) \
                        and surface not in forced:
                    continue  # "ISF", "SDF": short capitals are acronyms, not towns
            (paired if hyphened else cands).append((start, -end, j))
        if the_spans:  # a bare name at the same span is the mention ("the Pacific" is "Pacific"'s)
            cands = [c for c in cands if c[0] not in the_spans or names[c[2]][:4] != "the "
                     or not any(d[0] == c[0] and d[1] == c[1] and names[d[2]][:4] != "the " for d in cands)]
        if paired:
            starts = {c[0] for c in cands}
            cands.extend(c for c in paired if -c[1] + 1 in starts)
        if self._gated:
            cands = self._gated_ok(text, cands)
        # by start, longer first: no two candidates share a span (one automaton key per span), so the plain
        # tuple order is that order
        cands.sort()
        chosen = []
        surnames: set[int] = set()
        given: set[int] = set()  # names after a given name ("Michael Jones"): surnames unless vouched for
        speaking: list[tuple[int, int, int]] = []  # big towns before "said": see below
        heading: list[tuple[int, int, int]] = []  # towns before a capitalised word: see below
        last_end = -1
        rtext = None
        run = _WORD_RUN.match
        head = _title_case_head(text)
        split_at, split_end = -1, -1  # the last name set aside as part of a longer one
        for s, e, j in cands:
            if s < last_end or split_at < s < split_end:
                continue  # nor a name inside it: "TICKETS NEW JERSEY" names no Jersey
            e = -e
            if s < head:
                chosen.append((s, e, j))  # a headline in title case: its capitals say nothing of the name
                last_end = e
                continue
            # _split_name() inlined: the previous word is only looked at after a space (not after a comma
            # etc.: it is empty then), the next word only when it is capitalised
            pre = s > 1 and text[s - 1] == " " and text[s - 2] not in ",;:!?\n"
            if pre or (e + 1 < n and text[e] == " " and text[e + 1].isupper()):
                split = False
                prev = ""
                if pre:  # _prev_word(text, s): a plain word back to the last space, else the run read right
                    # to left in the reversed text (a regex call costs as much as the rest of this step)
                    prev = text[text.rfind(" ", 0, s - 1) + 1:s - 1]
                    if not prev.isalnum():
                        if rtext is None:
                            rtext = text[::-1]
                        k = n - s + 1
                        prev = text[s - 1 - (run(rtext, k).end() - k):s - 1]
                    if prev and prev[0].isupper() and (prev.lower().strip(".") not in NEIGHBOURS_OK or
                                                       _initial(prev)) and not prev.endswith(("'s", "’s")) \
                            and not _ends_sentence(prev) and not _sentence_start(text, s - len(prev) - 1) \
                            and not self._has_country(j):
                        split = True  # but "Air Zimbabwe", "Turkish-backed Syrian militiamen" name the country
                    elif prev in _PARTICLES and not meta[j][4] and not self._mainly_area(j):
                        k2 = s - len(prev) - 1  # "Mike de Kock", "Luc van den Brande": a surname
                        before = _prev_word(text, k2)
                        while before in _PARTICLES:
                            k2 -= len(before) + 1
                            before = _prev_word(text, k2)
                        if _given_name(before) and before.lower() not in NEIGHBOURS_OK:
                            surnames.add(j)
                            continue
                by_prev = split
                if not split and e + 1 < n and text[e] == " " and text[e + 1].isupper():
                    nxt = _next_word(text, e)
                    if nxt and nxt[0].isupper() and nxt.lower() not in NEIGHBOURS_OK \
                            and nxt.lower() not in INSTITUTIONS and not meta[j][4] and not self._has_country(j) \
                            and not (self._prefixes_names(j) and _names_a_thing(text, e, nxt)):
                        split = True  # country-level names and demonyms modify capitalised nouns
                if split:
                    split_at, split_end = s, e
                    if not by_prev and nxt.lower() not in _BUILT:
                        heading.append((s, e, j))
                    if by_prev and not meta[j][4] and _given_name(prev):
                        given.add(j)  # "Michael Jones": later, a bare "Jones" is the same person (not after
                        # "A429", nor before a capitalised word: "The Dublin Singers" names no person Dublin)
                    continue
            if e < n and text[e] in " ,'’" and not meta[j][4]:
                c = text[e]  # the pattern's cues before the regex call: a said-verb, an age, a relative
                if c == " ":
                    cue = text.startswith(_SAYS, e)
                elif c == ",":
                    cue = text[e + 2:e + 3].isdigit()
                else:
                    k = e + 2 if text.startswith("s ", e + 1) else e + 1
                    cue = text.startswith(" ", k) and text[k + 1:k + 2] in _KIN_INITIALS
                who = _PERSON_AFTER.match(text, e) if cue else None
                if who and who.group(1):
                    surnames.add(j)  # "Flores, 26,", "Flores' stepfather": a person, here and elsewhere
                    continue
                if who and not self._strong(j) and not _PLACE_BEFORE.search(text, max(0, s - 6), s):
                    if self._small_town(j):
                        surnames.add(j)  # "Sandberg said": a person, here and elsewhere ("Moscow said" stays)
                    else:
                        speaking.append((s, e, j))  # "Gainesville says": the city, if named as one elsewhere
                    continue  # "Nelson said": a person here ("the city of Sevierville said" stays a place)
            chosen.append((s, e, j))
            last_end = e
        if given - surnames:
            # a capitalised word before a town is weak evidence of a person ("Rodeo Gainesville"): where
            # the article vouches for the town as a place ("in Gainesville,"), its other mentions stay
            weak = given - surnames
            surnames |= weak - self._vouched(text, [c for c in cands if c[2] in weak], weak, countries=False)
        if surnames:
            chosen = [m for m in chosen if m[2] not in surnames or self._mainly_area(m[2])]
        if speaking or heading:
            # "Gainesville says", "the Augusta Herald": the town, where the article names it on its own too
            named = {m[2] for m in chosen}
            back = [m for m in speaking + heading if m[2] in named and m[2] not in surnames
                    and not any(a < m[1] and m[0] < b for a, b, _ in chosen)]
            if back:
                chosen = sorted(chosen + back)
        if "ounties" in text or "arishes" in text:
            chosen = self._county_lists(text, chosen, ex_starts, ex_ends, blocked)
        return chosen

    def _county_lists(self, text: str, mentions: list[tuple[int, int, int]], ex_starts: list[int] | None,
                      ex_ends: list[int] | None, blocked: bytearray | None) -> list[tuple[int, int, int]]:
        """Names listed before "counties" or "parishes" are counties ("Camden and Charlton counties",
        "Butler, Clark or Warren counties"): each is a mention of "Camden County", replacing a town of
        that name; the list's first word may be a sentence's ("Small Hitchcock and Hayes counties")."""
        extra = []
        for m in _COUNTY_LIST.finditer(text):
            suffix = " County" if m.group(2)[0] in "cC" else " Parish"
            for w in _LIST_ITEM.finditer(text, m.start(1), m.end(1)):
                s, e = w.start(), w.end()
                j = self._scan.index(" " + normalise(text[s:e] + suffix) + " ")
                if j < 0 and w.group(1):
                    s = w.start(1)
                    j = self._scan.index(" " + normalise(text[s:e] + suffix) + " ")
                if j < 0 or not any(KINDS[self._kind[i]] == "district" for i in self._cand[j]):
                    continue
                if ex_starts is not None:
                    k = bisect_left(ex_starts, e) - 1
                    if k >= 0 and ex_ends[k] > s:
                        continue
                elif blocked is not None and blocked.find(1, s, e) >= 0:
                    continue
                extra.append((s, e, j))
        if not extra:
            return mentions
        kept = [c for c in mentions if not any(a < c[1] and c[0] < b for a, b, _ in extra)]
        return sorted(kept + extra)

    def _gated_ok(self, text: str, cands: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Candidates without the gated names the article does not vouch for. A town named like a common
        word or surname ("Decatur", "Greer", "Middletown") is a place in an article that names it once
        with its region or country after a comma ("Greer, South Carolina", "Decatur, Ga.") or as "the
        city of Decatur"; then each of its mentions is, as any other name's."""
        todo = self._gated.intersection([j for _, _, j in cands])  # the set's own loop, in C
        if not todo:
            return cands
        ok = self._vouched(text, cands, todo)
        return [c for c in cands if c[2] not in todo or c[2] in ok]

    def _vouched(self, text: str, cands: list[tuple[int, int, int]], todo: set[int],
                 countries: bool = True) -> set[int]:
        """The names of `todo` that the article names as places at least once: with their region (or,
        with `countries`, their country) after a comma, "the city of", "north of", "downtown", "in X."
        before a stop, a dateline, or in a list with a town of the same state (see _gated_ok)."""
        gated = self._gated
        ok = set()
        by_start = by_end = None
        for s, e, j in cands:
            if j not in todo or j in ok:
                continue
            e = -e
            # each pattern only where a plain string test finds its cue (a regex call costs ~4,000 instructions)
            after = _LIST_NEXT.match(text, e) if text.startswith(_LIST_CUES, e) else None
            before = _LIST_PREV.search(text, max(0, s - 6), s) if text.endswith(_LIST_CUES_BEFORE, 0, s) else None
            if after is not None and after.group() == " to " and not text.endswith("from ", 0, s):
                after = None  # "from Greenville to Spartanburg" names two towns; "traded Greer to Boston" may not
            if before is not None and before.group() == " to " and not _FROM_BEFORE.search(
                    text, max(0, before.start() - 40), before.start()):
                before = None
            of = text.endswith(" of ", 0, s)
            if after or before:
                if by_start is None:
                    by_start = {a: k for a, _, k in cands if k not in gated}
                    by_end = {-b: k for _, b, k in cands if k not in gated}
                k = by_start.get(after.end(), -1) if after else -1
                if k < 0 and before:
                    k = by_end.get(before.start(), -1)
                if k >= 0 and self._siblings(k, j):
                    ok.add(j)  # "Newark, Heath and Pataskala", "Hamilton and Middletown": towns of one region
                    continue
            if (s > 2 and text[s - 1] == "-" and text[s - 2] in "RDI" and text[s - 3] in " (") or \
                    (of and _CITY_OF.search(text, max(0, s - 12), s)) or (
                    text[s:e].isupper() and _sentence_start(text, s - 1) and _DATELINE.match(text, e)) or (
                    e < len(text) and text[e] in ".,;)" and _IN_BEFORE.search(text, max(0, s - 6), s)
                    and text[s:e] not in _MONTHS) or (
                    (of or text.endswith("owntown ", 0, s)) and _DIRECTION_OF.search(text, max(0, s - 24), s)) or \
                    (of and _HOME_OF.search(text, max(0, s - 12), s) and not text[e + 1:e + 2].isupper()):
                ok.add(j)  # "the city of Decatur", a dateline "DECATUR —", "lives in Decatur.", "north of Decatur",
                # a legislator's party and home town ("Marty Seifert, R-Marshall"), a person's ("Bowers, 19, of
                # Martinez", "Durr, of Trenton", "formerly of Augusta"; not "of Greer Street")
                continue
            m = _AFTER_COMMA.match(text, e) if text.startswith(", ", e) else None
            if m is None:
                continue
            words = m.group(1).split(" ")
            for n in range(len(words), 0, -1):
                phrase = " ".join(words[:n])
                for name in (phrase, phrase[:-1]) if phrase.endswith(".") else (phrase,):
                    k = self._scan.index(" " + normalise(name) + " ")
                    if k >= 0 and k not in gated and self._contains(k, j, countries):
                        ok.add(j)
                        break
                if j in ok:
                    break
        return ok

    def _siblings(self, k: int, j: int) -> bool:
        """True when names k and j both name towns of one first-level region (a list of its towns)."""
        a1 = {self._admin1[i] for i in self._cand[k] if KINDS[self._kind[i]] == "city"}
        a1.discard(-1)
        return bool(a1) and any(self._admin1[i] in a1 for i in self._cand[j])

    def _contains(self, k: int, j: int, countries: bool = True) -> bool:
        """True when a region (or, with `countries`, a country) named by name k holds a town named by j."""
        towns = self._cand[j]
        for r in self._cand[k]:
            kind = KINDS[self._kind[r]]
            if kind == "region" and any(self._admin1[i] == r for i in towns):
                return True
            if countries and kind == "country" and any(self._cc[i] == self._cc[r] for i in towns):
                return True
        return False

    def _is_body(self, j: int) -> bool:
        """True when name j is an area that is also a body a tag names ("EU"): both the tag and the place."""
        return bool(self._bodies) and any(self._pname[i] in self._bodies for i in self._cand[j])

    def _strong(self, j: int) -> bool:
        """True when name j names a country, region or area (never a person's name), computed once."""
        v = self._strength.get(j)
        if v is None:
            v = self._strength[j] = any(KINDS[self._kind[i]] in ("country", "region", "area") for i in self._cand[j])
        return v

    def _small_town(self, j: int) -> bool:
        """True when name j, out of context, is a town of fewer than MAJOR_CITY people that no editor
        listed: a name a person may bear ("Nelson", "Sandberg"), unlike "Moscow" acting as the state."""
        i = self._first_row(j)[0]
        return KINDS[self._kind[i]] == "city" and self._pop[i] < MAJOR_CITY and i not in self._curated

    def _mainly_area(self, j: int) -> bool:
        """True when name j, out of context, is a country, an area, a region of MAIN_REGION people
        ("Georgia", "Alberta"), a big national capital ("Berlin") or a city of MAIN_REGION people
        ("Dubai", whatever "Smart Dubai Office" made of it): it stays a place where a person of that name
        is named too; a town that is also a small region's name ("Nelson"), or such a region
        ("Flores, 26,"), does not."""
        i = self._first_row(j)[0]
        kind = KINDS[self._kind[i]]
        return kind in ("country", "area") or (kind == "region" and self._pop[i] >= MAIN_REGION) or (
            kind == "city" and self._pop[i] >= (MAJOR_CITY if self._capital[i] else MAIN_REGION))  # "die Stadt Berlin"

    def _prefixes_names(self, j: int) -> bool:
        """True when the name is the main name of a region or a big town, known well enough to stay a place before another capitalised word:
        a first-level region or a big town ("Texas Parks and Wildlife", "Ohio Department of
        Development", "Dublin Arts Council"): names of things located there."""
        v = self._prefixing.get(j)
        if v is None:
            key = normalise(self._names[j])
            v = self._prefixing[j] = any(
                KINDS[self._kind[i]] in ("region", "city") and self._pop[i] >= PREFIX_CITY
                and normalise(self._pname[i]) == key for i in self._cand[j])
        return v

    def _has_country(self, j: int) -> bool:
        v = self._country_name.get(j)
        if v is None:
            v = self._country_name[j] = any(KINDS[self._kind[i]] == "country" for i in self._cand[j])
        return v



# Names listed before "counties" or "parishes" ("Camden and Charlton counties"), and one item of the
# list: a name of one or two capitalised words
_COUNTY_LIST = re.compile(r"((?:[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?(?:,? (?:and|or) |, ))+"
                          r"[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)?) ([Cc]ounties|[Pp]arishes)\b")
_LIST_ITEM = re.compile(r"[A-Z][\w'’.-]*(?: ([A-Z][\w'’.-]*))?")


# The Arabic article before a hyphen: our Arabic towns carry it in their names ("al-Qaim", "Al-Hasakah")
_ARABIC_ARTICLES = frozenset({"al", "Al", "el", "El", "AL", "EL"})
_ARABIC_HEAD = re.compile(r" (?:al|Al|el|El|AL)-(?=\w)")


# A list's separator after or before a name ("Newark, Heath and Pataskala")
_LIST_NEXT = re.compile(r",? (?:and|or|to) |, ")
_LIST_PREV = re.compile(r"(?:,? (?:and|or|to) |, )$")
_FROM_BEFORE = re.compile(r"\bfrom [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}$")  # "from Spartanburg" before " to X"
_LIST_CUES = (",", " and ", " or ", " to ")  # how a match of _LIST_NEXT starts
_LIST_CUES_BEFORE = (", ", " and ", " or ", " to ")  # how a match of _LIST_PREV ends

# How a match of _PERSON_AFTER starts after a space
_SAYS = (" said", " says", " told", " testified")
_KIN_INITIALS = frozenset("whsdmfbal")  # first letters of its relatives ("Flores' stepfather", "Nelson's wife")


# Words after a town's name that make one place of both ("Manila Cathedral", "Glenrock Lagoon", "Cleveland
# Drive"): the town alone is not the mention, though the article names it elsewhere
_BUILT = FEATURE_WORDS | {"cathedral", "estate", "lagoon", "castle", "abbey", "palace"}


# Particles of surnames ("Mike de Kock", "Luc van den Brande", "Ludwig von Mises")
# (not the Arabic "al", "bin": "Ras al Ain" is a town)
_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "del", "della", "dos", "das", "ter",
                        "ten"})


def _title_case_head(text: str) -> int:
    """The end of the text's first line or sentence when it is a headline in title case ("Freemason
    Bogdanov Joins Sochi Mayor Race."), else 0."""
    stop = len(text)
    for mark in (". ", "\n"):
        k = text.find(mark, 0, 200)
        if 0 <= k < stop:
            stop = k
    if stop == len(text) and stop > 200:
        return 0
    words = [w for w in _HEAD_WORD.findall(text, 0, stop) if len(w) >= 4]
    if len(words) < 3 or sum(w[0].isupper() for w in words) < 0.8 * len(words):
        return 0
    return stop


_HEAD_WORD = re.compile(r"[^\W\d_][\w'’-]*")


_ERA_WORDS = ("century", "centuries", "millennium", "c.", "circa")


def _era(text: str, start: int) -> bool:
    """True when "B.C." follows a year or a century ("500 B.C.", "the 5th century B.C.")."""
    word = _prev_word(text, start)
    return bool(word) and (word[0].isdigit() or word in _ERA_WORDS or word.rstrip("s").isdigit())


def _given_name(word: str) -> bool:
    """A word that may be a given name, an initial or a title before a surname ("Michael", "D.", "Mr."):
    not a number, a hyphenated or all-capital word ("A429", "Philadelphia-based", "NBC")."""
    core = word[:-1] if word.endswith(".") else word
    return core.isalpha() and (len(core) == 1 or core[1:].islower())


def _exclusion(n: int, exclude) -> tuple:
    """(starts, ends, mask, maskable) for the excluded spans. Sorted, disjoint, non-empty spans (the tagger's)
    give their starts and ends, for a bisection; others a byte mask built as it always was (`maskable`: the
    mask means what the span list means for an overlap test)."""
    if not exclude:
        return None, None, None, True
    starts, ends = zip(*exclude)
    # 0 <= a0 < b0 <= a1 < b1 <= ...: tested pairwise in C (a loop here cost ~0.1 µs a tag)
    if starts[0] >= 0 and all(map(lt, starts, ends)) and all(map(le, ends, starts[1:])):
        return list(starts), list(ends), None, True
    return None, None, _mask(n, exclude), _maskable(exclude)


def _mask(n: int, exclude) -> bytearray | None:
    """Excluded positions as a byte mask (1 = excluded), so an overlap test is one `find`; None when nothing
    is excluded."""
    if not exclude:
        return None
    blocked = bytearray(n + 1)
    for a, b in exclude:
        blocked[a:b] = b"\x01" * (b - a)
    return blocked


def _maskable(exclude) -> bool:
    """True when the mask means what the span list means for an overlap test: no empty, reversed or negative
    span (tags never are)."""
    for a, b in exclude:
        if not 0 <= a < b:
            return False
    return True
