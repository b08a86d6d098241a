"""Text rules of the GeoNames gazetteer's recogniser: word lists and patterns that tell a place name
from its neighbours (a person, an organisation, a street), kept apart from the gazetteer's data and
ranking in __init__.py. Pure functions of the text; nothing here reads the compiled gazetteer."""
from __future__ import annotations

import re
from collections import Counter

from ..model import Place
from .build import fold, load_stopwords

_WORD_RUN = re.compile(r"(?:[^\W_]|['’.-])*")  # what _prev_word() reads: alphanumerics and '’.-


_IN_CONTAINER = re.compile(r" (?:region|district|area|mountains?|valley|plain|village|town|city|"
                           r"subdistrict|countryside) (?:of|in) (?:the )?")


# Features the gazetteer lacks: a capitalised name of one to three words with its feature word after it
# ("Haifa Street", "Sacramento River", "Ain al-Asad Air Base") or before it ("Mount Sinjar", "Lake Lanier").
_FEATURE_WORDS_AFTER = ("Street|St\\.|Road|Rd\\.|Avenue|Ave\\.|Drive|Boulevard|Blvd\\.|Lane|Parkway|River|Creek|Lake|Bay|"
                        "Islands?|Valley|Mountains?|Crossing|Border Crossing|Air Base|Airbase|Base|Dam|Canal|Park|"
                        "Square|Bridge|Township|Twp\\.|Forest|Wilderness|Lagoon|Sound|Point|Bypass|(?<!Real )Estate|"
                        "(?:International |Regional |Municipal )?Airport")


_FEATURE = re.compile(r"(?<![\w'’-])((?:(?:[A-Z][a-z]{0,2}\.|[A-Z][\w'’-]*)\s|(?:al|el|ad|as|ash|ar|at|az|an)-[A-Z][\w'’-]*\s){1,3}"
                      r"(?:" + _FEATURE_WORDS_AFTER + r")|(?:Mount|Mt\.|Lake|Cape|Point|Jebel|Jabal|Jabal al|Jebel al)\s[A-Z][\w'’-]+)"
                      r"(?![\w'’-])")


_FEATURE_KEYS = ("Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Drive", "Boulevard", "Blvd.", "Lane", "Parkway",
                 "River", "Creek", "Lake", "Bay", "Island", "Valley", "Mountain", "Crossing", "Base", "Dam", "Canal",
                 "Park", "Square", "Bridge", "Mount", "Mt.", "Jebel", "Jabal", "Township", "Twp.", "Forest",
                 "Wilderness", "Lagoon", "Sound", "Point", "Bypass", "Estate", "Cape", "Airport")


_FEATURE_AFFIX = re.compile(r"(?:\s(?:" + _FEATURE_WORDS_AFTER + r")$|^(?:Mount|Mt\.|Lake|Cape|Point|Jebel|Jabal)(?: al)?\s)")


_STREETS = ("Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Drive", "Boulevard", "Blvd.", "Lane", "Parkway", "Way",
            "Square", "Park", "Bridge", "Township", "Twp.", "Forest", "Wilderness")
# named after a place, not in it ("Jackson Township", "Monongahela National Forest"): placed at the
# article's own place


# A capital acting as its government (see GeoNamesGazetteer.metonyms).
_STANCE_AFTER = re.compile(
    r"(?:'s? (?:government|position|stance|decision|response|demands?|officials?)\b|,? (?:has |had |have |is |was |"
    r"will |would |also |then )?(?:said|says|say|announced|warned|accused|demanded|demands|wants|wanted|insisted|"
    r"rejected|denied|responded|threatened|urged|condemned|welcomed|agreed|refused|claimed|blamed|imposed|"
    r"sanctioned|backs|backed|supports|supported|opposes|opposed|recognised|recognized|pledged|vowed|"
    r"is busy|hopes|fears|believes)\b)")


# A country name or demonym before the words of a state acting ("US military presence", "Iranian officials")
_STATE_MODIFIED = re.compile(r" (?:military|army|forces|troops|government|officials?|president|prime minister|"
                             r"foreign minister|minister|ministry|envoy|embassy|ambassador|administration|"
                             r"diplomats?|sanctions|presence|intelligence|authorities|leaders?|regime)\b")
# A country or area inside the name of a body ("Russian Foreign Ministry", "British Airways", "Bank of
# England", "Embassy of the Republic of Armenia", "European Court of Human Rights"): the body, not the
# land, is what the story names (see GeoNamesGazetteer.metonyms)
_BODY_NOUNS = (r"(?:Embassy|Embassies|Consulate|High Commission|Ministry|Department|Government|Army|Navy|Air Force|"
               r"Armed Forces|Coast Guard|Central Bank|Bank|Airways|Airlines|Air Lines|University|College|Institute|"
               r"Commission|Council|Parliament|Court|Agency|Authority|Federation|Corporation)")
_BODY_LAST_WORDS = frozenset(n.split(" ")[-1] for n in _BODY_NOUNS[3:-1].split("|"))  # "Bank", "Force", ...
_BODY_AFTER = re.compile(r"(?: [A-Z][\w'’.&-]*){0,3}? " + _BODY_NOUNS + r"\b")
_BODY_BEFORE = re.compile(r"\b" + _BODY_NOUNS + r"(?: (?:for|on) [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*)? of (?:the )?$")


def in_body_name(text: str, s: int, e: int) -> bool:
    """Whether text[s:e] (a country, area or region) is part of a body's name: "Russian Foreign
    Ministry", "Bank of England", an airline ("Air Canada", "Air India")."""
    # each pattern only where a plain string test finds its cue: a capitalised word after; "of" before,
    # after a body's word or a capitalised one of a "for"/"on" phrase (a search of _BODY_BEFORE costs ~25 µs)
    if text[e + 1:e + 2].isupper() and text[e:e + 1] == " " and _BODY_AFTER.match(text, e):
        return True
    before = text[max(0, s - 8):s]
    if before.endswith(" of ") or before == " of the ":
        k = s - (4 if before.endswith(" of ") else 8)
        word = text[text.rfind(" ", max(0, k - 40), k) + 1:k].lstrip("([\"'“‘")  # "(Department of"
        if (word in _BODY_LAST_WORDS or word[:1].isupper() and (text.find(" for ", max(0, s - 60), k) >= 0
                                                                 or text.find(" on ", max(0, s - 60), k) >= 0)) \
                and _BODY_BEFORE.search(text, max(0, s - 60), s):
            return True
    return before.endswith("Air ")


_PARTNER_BEFORE = re.compile(r"\b(?:with|between|and|against|toward|towards|from)\s+$")


_DIPLOMACY = re.compile(r"(?i)\b(?:relations|talks|ties|discuss\w*|negotiat\w*|deal|agreement|pressure|dialogue|"
                        r"diplomatic|diplomacy|sanctions?|alliance|rapprochement|dispute|row|rift|spat)\b")


_BRACKETED = re.compile(r" \(([^()]{2,40})\)")


_NAME_BEFORE = re.compile(r"(?<![\w'’-])((?:[A-Z][\w'’-]+)(?: [A-Z][\w'’-]+){0,3})$")


# Capitalised words that may sit next to a place name without making it part of a longer name.
NEIGHBOURS_OK = {
    # calendar words ("in Baghdad Monday")
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    # sentence-initial function words ("In Baghdad", "From Iraq")
    "in", "at", "on", "from", "to", "of", "and", "but", "for", "with", "by", "as", "near", "across", "outside",
    "inside", "throughout", "since", "after", "before", "while", "when", "where", "the", "a", "an", "into",
    "if", "like", "unlike", "both", "between", "around", "through", "within", "toward", "towards", "over",
    "under", "against", "during", "until", "via", "about", "than", "or", "nor", "so", "yet", "also",
    "i", "we", "he", "she", "they", "it", "this", "that", "these", "those", "there", "here", "his", "her",
    "then", "meanwhile", "later", "earlier", "yesterday", "today", "tonight", "now", "however", "still", "once",
    # numbers and quantifiers that start a sentence or a headline ("Two Abkhaz servicemen", "Only Cornwall")
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "dozens",
    "hundreds", "thousands", "only", "some", "many", "most", "all", "several", "each", "every", "few", "other",
    "another", "no", "more", "former", "senior", "missing", "major", "top", "local", "area", "nearby", "new",
    "old", "historic", "suburban",
    # directions and qualifiers (see QUALIFIERS)
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
    "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
    "upper", "lower", "greater", "downtown", "rural", "coastal", "mainland", "metro", "metropolitan",
}


# Directions and qualifiers ("Northern Iraq", "Greater London"): next to a name, not part of it, but they
# may start one we do not know ("Upper Tal Kaif (Nineveh)").
QUALIFIERS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
    "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
    "upper", "lower", "greater", "downtown", "rural", "coastal", "mainland", "metro", "metropolitan",
}


# Capitalised words that follow a place name in the name of something located there ("Gainesville
# Police", "Mosul University"): the place is still mentioned.
INSTITUTIONS = {
    "police", "sheriff", "fire", "council", "commission", "commissioners", "school", "schools", "university",
    "college", "hospital", "airport", "times", "post", "herald", "tribune", "news", "journal", "gazette",
    "government", "army", "navy", "senate", "house", "department", "office", "board", "court", "county",
    "city", "state", "province", "governorate", "district", "region", "museum", "library", "church", "mosque",
    "stadium", "station", "port", "harbor", "harbour", "bridge", "dam", "road", "street", "avenue", "highway",
    "chamber", "club", "festival", "symphony", "zoo", "mall", "center", "centre", "park", "public", "supreme",
    # offices and bodies ("Oklahoma Gov. Mary Fallin", "Harare Mayor", "the Karnataka Assembly")
    "gov", "governor", "mayor", "premier", "sen", "rep", "assembly", "legislature", "regional", "guard", "pd",
    "republicans", "democrats", "authorities", "officials", "residents", "voters",
}


# Capitalised words that make a longer place name with the name before them ("Sacramento River",
# "Cleveland Drive"): the shorter name is not the place meant, whatever its size.
FEATURE_WORDS = {
    "river", "bay", "lake", "creek", "drive", "boulevard", "blvd", "turnpike", "island", "islands", "mountain",
    "mountains", "valley", "canyon", "falls", "beach", "parkway", "circle", "lane", "court", "colony", "heights",
    "springs", "sound", "point", "hills", "square", "terrace", "trail", "ave", "rd", "hall", "walk",
}


def _feature_matches(text: str, hits: list[int]) -> list[tuple[int, int]]:
    """_FEATURE's matches, looked for only around the feature words found (`hits`: their last index)."""
    out: list[tuple[int, int]] = []
    for end in hits:
        w0 = max(0, end - 80)
        for m in _FEATURE.finditer(text, w0, min(len(text), end + 40)):
            s, e = m.span(1)
            if s <= end < e + 1 and (not out or s >= out[-1][1]) and (s > w0 or w0 == 0):
                out.append((s, e))
    return out


# A name before a lowercase feature word ("the Caucasus mountains", "Heathrow airport", "the Cranberry
# rivers", "the Loop Head peninsula"): the corpora mark the name alone as the toponym. The words are
# found with str.find (each one more search of every text, ~2 µs), the name by a regex anchored at
# the word, so most texts cost four searches and no regex.
_LOWER_FEATURE_WORDS = (" river", " mountains", " peninsula", " airport")
_NAME_AT_END = re.compile(r"(?<![\w'’.-])([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)$")


def _named_before_feature(text: str) -> list[tuple[int, int]]:
    """Spans of the capitalised names right before a lowercase feature word (_LOWER_FEATURE_WORDS, "rivers"
    too), in order; not a single word that starts a sentence ("Mountain river ...") nor one of
    NEIGHBOURS_OK, which is left off before a name ("The Kaveri river": Kaveri)."""
    out = []
    n = len(text)
    for w in _LOWER_FEATURE_WORDS:
        k = text.find(w)
        while k >= 0:
            end = k + len(w)
            if w == " river" and text.startswith("s", end):
                end += 1
            if end >= n or not (text[end].isalnum() or text[end] in "'’-"):
                m = _NAME_AT_END.search(text, max(0, k - 60), k)
                if m is not None:
                    s, e = m.span(1)
                    first = text[s:e].split(" ", 1)[0]
                    if first.lower() in NEIGHBOURS_OK and " " in text[s:e]:
                        s += len(first) + 1  # "The Kaveri river", "In Heathrow airport": the name after it
                        first = text[s:e]
                    if first.lower() not in NEIGHBOURS_OK and (" " in text[s:e] or not _sentence_start(text, s - 1)):
                        out.append((s, e))
            k = text.find(w, end)
    out.sort()
    return out


def _make_feature_scan() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """A regex for the feature words that no other one starts ("Mount", not "Mountain"), grouped by first
    letter so the engine skips to the capitals it could start with, and for each the endings that make
    a longer one ("Mount" + "ain"). Every key starts with a capital and has none inside, so no two
    occurrences overlap except a key and its longer forms."""
    roots = [k for k in _FEATURE_KEYS if not any(o != k and k.startswith(o) for o in _FEATURE_KEYS)]
    longer = {k: tuple(sorted((o[len(k):] for o in _FEATURE_KEYS if o != k and o.startswith(k)), key=len))
              for k in roots}
    by_first: dict[str, list[str]] = {}
    for k in roots:
        by_first.setdefault(k[0], []).append(re.escape(k[1:]))
    pattern = "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items())
    return re.compile(pattern), {k: v for k, v in longer.items() if v}


def _feature_hits(text: str) -> list[int]:
    """The index of the last character of every occurrence of a word of _FEATURE_KEYS, in order (the
    ends an Aho-Corasick scan over the keys gives): where _feature_matches() looks."""
    out = []
    add = out.append
    for m in _FEATURE_SCAN.finditer(text):
        b = m.end()
        add(b - 1)
        more = _FEATURE_LONGER.get(m.group())
        if more:
            for rest in more:
                if text.startswith(rest, b):
                    add(b + len(rest) - 1)
    return out


def _most_named(found: list[tuple[int, int, Place]]) -> Place | None:
    """The place an article names most often, a town or region before a country (first named on a tie)."""
    for countries in (False, True):
        counts = Counter(p.name for _, _, p in found if (p.kind == "country") == countries and p.lat is not None)
        if counts:
            top = counts.most_common(1)[0][0]
            return next(p for _, _, p in found if p.name == top)
    return None


def _prev_word(text: str, s: int) -> str:
    k = s - 1
    if k < 0 or text[k] != " ":
        return ""
    j = k
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "'’.-"):
        j -= 1
    return text[j:k]


def _next_word(text: str, e: int) -> str:
    if e >= len(text) or text[e] != " ":
        return ""
    j = e + 1
    while j < len(text) and (text[j].isalnum() or text[j] in "'’-"):
        j += 1
    return text[e + 1:j]


# Countries whose first-level regions English news names with "State" ("Benue State", "Oaxaca State",
# "Kachin State"): the type word is part of the mention there
STATE_COUNTRIES = frozenset({"Nigeria", "Mexico", "Sudan", "South Sudan", "Myanmar", "Malaysia", "Venezuela"})


# Words that say what kind of place a name is ("Duhok province", "Cork city", "Minnesota State"): the
# mention is the name before them; the entry found with them is kept.
TYPE_WORDS = {"province", "governorate", "district", "region", "state", "city", "oblast", "municipality",
              "prefecture", "wilaya", "emirate"}


def _type_word_trimmed(text: str, s: int, e: int, name: str, kind: str = "", country: str = "") -> int:
    """The end of the mention without a final type word ("Duhok province", "Mississippi State
    started", "Colorado State University"), unless the entry's own name ends with it ("Kansas City",
    "Dublin City", but not a region's before another name: "Dublin City Council") or the entry (of
    `kind`) is a town English names with "City" ("Quebec City")."""
    k = text.rfind(" ", s, e)
    if k < 0 or text[k + 1:e].lower() not in TYPE_WORDS:
        return e
    if kind == "region" and country in STATE_COUNTRIES and text[k + 1:e].lower() == "state":
        return e  # "Benue State", "Oaxaca State": how English news names these states
    named_on = e + 1 < len(text) and text[e] == " " and text[e + 1].isupper()
    if text[k + 1].isupper() and name.lower().endswith(text[k:e].lower()) and not (
            named_on and kind in ("region", "district") and text.startswith("City", k + 1)):
        return e  # but "Dublin City Council": the council of the town, not the region "Dublin City"
    if kind == "city" and text.startswith("City", k + 1) and not named_on:
        return e  # "Quebec City", "Gaza City": the town's English name, but "Springfield City Council"
    return k


def _city_suffixed(text: str, e: int, kind: str) -> int:
    """The end of a town's mention with a "City" after it that the gazetteer does not list ("Kanawha
    City", "Birmingham City" the club, "CALAMBA CITY"), unless another capitalised word follows: then it
    names a body of the town ("Springfield City Council")."""
    if kind not in ("city", "district") or not text.startswith((" City", " CITY"), e):
        return e
    k = e + 5
    if k < len(text) and (text[k].isalnum() or (text[k] == " " and text[k + 1:k + 2].isupper())):
        return e
    return k


_ARTICLES = ("al-", "el-", "ash-", "as-", "ad-", "ar-", "at-", "az-", "an-", "adh-", "ath-")


def _lower_article(text: str, start: int, end: int) -> bool:
    """'al-Qaim', 'ash-Shaddadi': the Arabic article in lower case before a capitalised name."""
    if text[start] not in "ae":
        return False
    k = text.find("-", start, min(end, start + 5))
    return k > start and k + 1 < end and text[k + 1].isupper() and text[start:k + 1] in _ARTICLES


def _names_a_thing(text: str, e: int, nxt: str) -> bool:
    """After a place name ending at e, `nxt` (capitalised) starts the name of something located there
    ("Dublin Arts Council", "Ohio Department of Development", "Texas Parks & Wildlife") rather than a
    longer place ("Sacramento River") or a person ("Paris Hilton arrived"): a word of FEATURE_WORDS makes
    a place; an organisation's name goes on with another capitalised word, "of" or "&", a person's
    name mostly stops after the surname."""
    if nxt.lower() in FEATURE_WORDS:
        return False
    k = e + 1 + len(nxt)
    if text.startswith((" of ", " & "), k):
        return True
    if len(nxt) > 4 and nxt[-1] == "s" and nxt[-2] not in "'’s" and nxt[1:].islower() \
            and fold(nxt) not in _STOPWORDS:
        return True  # a team or a body named in the plural ("Houston Rockets"), not a surname ("Kingston James")
    after = _next_word(text, k)
    return len(after) > 2 and after[0].isupper()


def _initial(word: str) -> bool:
    """'A.' in 'Roy A. Nelson': a capital letter and a dot is a middle initial, not the article."""
    return len(word) == 2 and word[1] == "." and word[0].isupper()


# After a one-word name, words that make it a person ("Nelson said", "Flores, 26,", "Flores' stepfather")
_PERSON_AFTER = re.compile(r"(?:(, \d{1,3},|['’]s? (?:wife|husband|son|daughter|mother|father|stepfather|"
                           r"stepmother|brother|sister|family|attorney|lawyer)\b)| (?:said|says|told|testified)\b)")


# What vouches for a gated town's name (see GeoNamesGazetteer._gated_ok): "city of" before it, or its
# region or country after a comma (up to three capitalised words, "Ga." or "South Carolina").
_CITY_OF = re.compile(r"\b(?:[Cc]ity|[Tt]own|[Vv]illage|[Tt]ownship|[Bb]orough) of $")
# "DECATUR —", "GREER, S.C. (AP) —", "(NEW YORK) —"
_DATELINE = re.compile(r"\)?(?:,? [A-Z][\w.]*)?(?: \(\w+\))? ?[—–-]{1,2} ")
_IN_BEFORE = re.compile(r"\b(?:in|near|from) $")
# ... or a person's home town after their name and age, or "formerly", "both", "native" ("Christopher
# Bowers, 19, of Martinez", "Michael Durr, of Trenton", "formerly of Hershey")
_HOME_OF = re.compile(r"(?:, (?:\d{1,3}, )?|\b(?:formerly|both|native) )of $")
# ... or a direction from it, or its downtown ("north of Decatur", "45 miles southeast of Champaign",
# "downtown Decatur")
_DIRECTION_OF = re.compile(r"\b(?:(?:north|south|east|west|northeast|northwest|southeast|southwest) of|"
                           r"[Dd]owntown) $")
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"}
_AFTER_COMMA = re.compile(r", ((?:[A-Z][\w.'’-]*)(?: [A-Z][\w.'’-]*){0,2})")


_STOPWORDS = load_stopwords()  # folded; its frequent surnames ("James", "Matthews") are no team's name


_PLACE_BEFORE = re.compile(r"(?:\b(?:of|in|from|the|at)\s|-)$")


def _ends_sentence(word: str) -> bool:
    """'Baghdad.' before 'BAGHDAD —': a word of three letters or more with one final dot ends a sentence, so
    the next word does not continue its name ('St.' and 'U.S.' do not end one)."""
    return len(word) > 3 and word[-1] == "." and "." not in word[:-1]


def _sentence_start(text: str, k: int) -> bool:
    """True if position k (the space before a word, or -1) begins a sentence or a line."""
    while k >= 0 and text[k] == " ":
        k -= 1
    return k < 0 or text[k] in ".!?:\n\"“”'‘’()[]—–-"


_FEATURE_SCAN, _FEATURE_LONGER = _make_feature_scan()  # the feature words of _FEATURE_KEYS, for find()
