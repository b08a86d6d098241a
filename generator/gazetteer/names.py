"""Names as English news writes them: ASCII folding, transliterated Arabic town names and their article
variants, English names of subdivisions. Used by build.py when it compiles the gazetteer."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product

# Letters NFKD does not decompose, which an ASCII fold would drop ("Diyarbakır" -> "Diyarbakr").
_FOLD = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "ø": "o", "Ø": "O",
                       "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "ħ": "h",
                       "‘": "", "ʻ": "", "’": "'", "ʼ": "'"})  # ayn marks dropped, apostrophes kept

# Words that say "this is an administrative area" in English names of subdivisions.
_ADMIN_WORDS = ("governorate", "province", "oblast", "region", "state", "district", "department",
                "prefecture", "county", "municipality", "territory", "division", "emirate", "canton")

# Types English news puts after the name ("Nangarhar Province", "Dhamar Governorate"); not "State"
# or "Region", which would make "Texas State" or "Lazio Region".
_SUFFIXED_TYPES = ("governorate", "province", "oblast", "department", "prefecture")

def ascii_fold(text: str) -> str:
    """Accents off, special letters transliterated: 'Şırnak' -> 'Sirnak', 'Ma‘ān' -> "Ma'an"."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return text.encode("ascii", "ignore").decode().strip().strip("'")

def english_region_name(name: str, type_: str, aliases: tuple[str, ...]) -> str:
    """The name English news uses for a subdivision: 'Cairo Governorate' rather than 'Al Qāhirah',
    'Cherkasy Oblast' rather than 'Cherkaska oblast': an ASCII alias naming its type (or another
    administrative word), else the name without accents, followed by its type when English puts it
    there ('Kandahār', a province -> 'Kandahar Province')."""
    usable = [a for a in aliases if a.isascii() and a[:1].isupper()]
    for words in ((type_.lower(),) if type_ else (), _ADMIN_WORDS):
        for a in usable:
            if any(w and w in a.lower().split() for w in words):
                return a
    folded = ascii_fold(name)
    if len(folded) < 2:
        return name
    low = folded.lower().split()
    if type_.lower() in _SUFFIXED_TYPES and not any(w in low for w in _ADMIN_WORDS):
        return f"{folded} {type_.capitalize()}"
    return folded

# Countries whose town names GeoNames gives in Arabic transliteration ("Al Ḩasakah", "Ash Shaddādah").
ARABIC_CC = frozenset("IQ SY SA YE JO LB PS EG LY TN DZ MA SD KW QA BH AE OM MR".split())

# The Arabic article as GeoNames writes it, assimilated or not: "Al Qā’im", "Ash Shaddādah", "Ar Ramādī".
_ARTICLE = re.compile(r"^(?:Al|El|Ar|As|Ash|Ad|Adh|An|At|Ath|Az|Aş|Aḑ|Aţ|Az̧)[ -](?=\w)", re.IGNORECASE)

# Combining marks of transliteration (macron, dot/line/breve below; a cedilla under h, d, t or z is
# an Arabic emphatic): a name with one is a transliteration, not a local spelling like "Şırnak".
_TRANSLIT_MARKS = {"\u0304", "\u0323", "\u0331", "\u032e"}

def transliterated(name: str) -> bool:
    """True for a scholarly transliteration ("Ālbū Kamāl", "Al Ḩasakah", "Sinjār") that English news
    never writes."""
    if any(c in name for c in "ʻʼ‘’"):
        return True
    for c in name:
        d = unicodedata.normalize("NFD", c)
        if len(d) > 1 and (d[1] in _TRANSLIT_MARKS or (d[1] == "\u0327" and d[0] in "hHdDtTzZ")):
            return True
    return False

def english_town_name(name: str) -> str:
    """The name as English news writes it: transliteration marks off, the Arabic article joined with a
    hyphen and unassimilated ("Al Ḩasakah" -> "Al-Hasakah", "Ash Shaddādah" -> "Al-Shaddadah", "Sinjār" ->
    "Sinjar"); other names unchanged ("Şırnak", "Zürich")."""
    if not transliterated(name):
        return name
    folded = ascii_fold(name)
    m = _ARTICLE.match(folded)
    if m:
        folded = "Al-" + folded[m.end():]
    folded = folded.replace("'", "")  # hamza and ayn: "Al-Qaim", not "Al-Qa'im"
    return folded if len(folded) >= 3 else name

# The article inside a name, assimilated as GeoNames writes it ("Jisr ash Shughur", "Ma'arrat an Nu'man"):
# English news writes "al-" there too ("Jisr al-Shughur").
_INNER_ARTICLE = re.compile(r"(?<= )(?:ash|ar|as|ad|adh|an|at|ath|az|el)(?= )", re.IGNORECASE)
_MAX_SPELLINGS = 16  # variants of one name at most: a long name of generic words would multiply


@lru_cache(maxsize=1)
def _word_spellings() -> dict[str, tuple[str, ...]]:
    """places.yml's `arabic_spellings`: the news' spellings of the generic words of Arabic names."""
    from .common import curated_overlay

    raw = curated_overlay().get("arabic_spellings") or {}
    return {str(k): tuple(str(v) for v in vs) for k, vs in raw.items()}


def _respelled(name: str) -> set[str]:
    """A name of two words or more with its generic words and inner article as the news writes them
    ("Tall Tamr" -> "Tal Tamr", "Tell Tamr"; "Ras al Ayn" -> "Ras al Ain"; "Jisr ash Shughur" -> "Jisr al
    Shughur"). One word alone is no variant: "Tal" or "Ain" is no town."""
    words = _INNER_ARTICLE.sub("al", name).split(" ")
    if len(words) < 2:
        return set()
    table = _word_spellings()
    options = [(w, *table.get(w, ())) for w in words]
    out = set()
    for combo in product(*options):
        out.add(" ".join(combo))
        if len(out) >= _MAX_SPELLINGS:
            break
    return out


# Where English news writes the generic words and the inner article as the table's first spelling ("Tal
# Tamr", "Deir al-Balah", "Beit Lahia"); the Maghreb's names keep their French transliteration ("Mers el
# Kebir", "Ain el Turk"), which the news uses too.
NEWS_SPELLING_CC = frozenset("IQ SY SA YE JO LB PS KW QA BH AE OM".split())
_INNER_ARTICLE_WORD = re.compile(r"(?<= )(?:al|ash|ar|as|ad|adh|an|at|ath|az|el) (?=[A-Za-z])", re.IGNORECASE)


def news_town_name(name: str, cc: str) -> str:
    """The display name of a town as English news of the region spells it: the generic words by the first
    spelling of `arabic_spellings` and the inner article as "al-" ("Tall Tamr" -> "Tal Tamr", "Dayr al
    Balah" -> "Deir al-Balah", "Jisr ash Shughur" -> "Jisr al-Shughur"); other names unchanged."""
    if cc not in NEWS_SPELLING_CC or " " not in name:
        return name
    table = _word_spellings()
    words = [table[w][0] if w in table and table[w] else w for w in name.split(" ")]
    return _INNER_ARTICLE_WORD.sub("al-", " ".join(words))


def arabic_variants(name: str) -> set[str]:
    """Spellings of an Arabic-script town name that English news uses: ASCII, apostrophes (ayn, hamza)
    dropped, the article as "al-", or none ("Al Qā’im" -> "Al Qaim", "Qaim"; "Ash Shaddādah" ->
    "Al Shaddadah", "Shaddadah"); with the article, a final "-ah" as "-a" too ("Ar Rutbah" -> "Al Rutba":
    not without it, where "Naftah" would make "NAFTA" a town); the generic words and an inner article as
    the news spells them (`_respelled`)."""
    folded = ascii_fold(name).replace("'", "")
    out = {folded}
    m = _ARTICLE.match(folded)
    if m:
        bare = folded[m.end():]
        if len(bare) >= 4:
            out |= {bare, "Al " + bare}
            if bare.endswith("ah") and len(bare) >= 5:
                out.add("Al " + bare[:-1])
    for v in list(out):
        out |= _respelled(v)
    return {v for v in out if v != name and len(v) >= 3}

_REGION_TYPE_WORDS = re.compile(r"(?:^(?:Republic|Respublika|Province|Governorate|Oblast) of |"
                                r",? (?:Respublika|Republic|Oblast'?|Kray|Krai|Governorate|Province|"
                                r"Muhafazat|Wilayah|Ostan)$)", re.IGNORECASE)

def region_variants(name: str) -> set[str]:
    """A subdivision's bare name from the forms GeoNames and ISO give ("Dagestan, Respublika",
    "Dagestan Republic", "Republic of Dagestan" -> "Dagestan")."""
    bare = _REGION_TYPE_WORDS.sub("", name).strip(" ,")
    return {bare} if bare != name and len(bare) >= 4 else set()


def demonym_forms(demonym: str, country: str = "") -> list[str]:
    """A country's demonym as `countryinfo` gives it and the plural that names the people ("Iraqi",
    "Iraqis"; "Filipino", "Filipinos"; "Greek", "Greeks"; "New Zealander", "New Zealanders"). Some entries
    list two, joined by a comma ("Antiguan,Barbudan"): each is a demonym. No plural where English has
    none ("Chinese", "Swiss", "Danish", "Malagasy") nor for a demonym that is the country's own name
    ("Djibouti")."""
    out = []
    for dem in (d.strip() for d in demonym.split(",")):
        if not dem:
            continue
        out.append(dem)
        if dem != country and (dem[-1] in "iknort" or dem.endswith("ch")):
            out.append(dem + "s")  # Czech -> Czechs, but not Danish -> Danishs
    return out
