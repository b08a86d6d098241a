"""Text helpers shared by readers and writers: decoding bytes, slugs, and plain text made safe as Markdown."""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import yaml

from .model import RejectedInput


class YAML_LOADER(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when installed: ~10x faster
    """Safe YAML where a timestamp that is no real date (`date: 2024-02-30`) stays text: the safe
    loader raises on it, which lost a hand-edited page's whole front matter for one typo; as text,
    the field's own check names it ("date: '2024-02-30' is not a date")."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


YAML_LOADER.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

# Every scalar a string ("no", "on" stay words), read by libyaml when installed.
YAML_BASE_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


def refuse_aliases(text: str, where: str = "a page") -> None:
    """Raise a YAML error naming the line of the first anchor or alias in `text` (a page's front
    matter, a sidecar). Why: YAML expands an alias wherever it is used, so 300 bytes of them (`b: &b
    [*a,*a,…]`, nine levels) are a list of a billion entries: a hand-edited page like that made
    `archive build` and `archive ingest` run out of memory (2.9 GB and counting), and a 352-byte
    sidecar became a 44 MB author. The writer never writes one (_NoAliasDumper), nor does an editor
    need one. Read by libyaml's parser, before any loader builds a value."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=YAML_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(problem=f"YAML anchors and aliases are not allowed in {where} "
                                               "(write the value out)", problem_mark=event.start_mark)


def load_yaml(text: str):
    """Safe YAML (no tags, no objects) read with libyaml's C loader when available."""
    return yaml.load(text, Loader=YAML_LOADER)


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode(data: bytes) -> str:
    """Decode text in any common encoding (see decode_noting); what was removed is not reported."""
    return decode_noting(data)[0]


def decode_noting(data: bytes) -> tuple[str, list[str]]:
    """(text, notes): decode text in any common encoding; BOMs win, then strict UTF-8, then the
    charset an HTML page or XML feed declares (when its bytes agree), then detection, then cp1252.

    NUL bytes in a text that is not UTF-16 are removed wherever they are, and a note says how many
    (one rule, reported). Raises RejectedInput for bytes that are not text: many NULs or other
    control characters, or high bytes no supported encoding makes sense of."""
    notes: list[str] = []
    if b"\x00" in data and not _utf16_without_bom(data) and not data.startswith(tuple(b for b, _ in _BOMS)):
        nuls = data.count(0)
        sample = data[:100_000]
        controls = sum(sample.count(b) for b in _CONTROL_BYTES)
        if nuls > max(2, len(data) // 100) or controls > max(2, len(sample) // 100):
            raise RejectedInput(f"binary content ({nuls} NUL bytes, {controls} control bytes), not text")
        data = data.replace(b"\x00", b"")
        notes.append(f"{nuls} NUL byte{'s' if nuls > 1 else ''} removed")
    text = _decode(data)
    sample = text[:100_000]
    if sample:
        controls = len(_CONTROL_CHARS.findall(sample))
        if controls > max(2, len(sample) // 100):
            raise RejectedInput(f"binary content ({controls} control characters), not text")
        bad = sample.count("\ufffd")
        if bad > max(2, len(sample) // 100):
            raise RejectedInput(f"undecodable: {bad} bytes are invalid in the detected encoding")
    return text, notes


_CONTROL_BYTES = [bytes([b]) for b in (*range(9), *range(14, 26), *range(27, 32))]
# The characters below U+0020 but tab, line feed, carriage return, form feed, vertical tab and SUB,
# found by one regular expression (a Python loop over every character was most of decoding a file).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f]")


def page_text(data: bytes) -> tuple[str, str | None]:
    """(text, problem) of a page in content/: UTF-8, with or without a BOM, is read as it is.

    Why: an editor's program may save a page as UTF-16 (Windows Notepad's "Unicode") or cp1252;
    read as UTF-8 the page became mojibake, untitled and undated, with no word said, and ingest
    saw no id in it and wrote the article a second page. Such bytes are decoded as inputs are
    (decode_noting), and `problem` says so in a few words, for the one warning line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" not in data:  # UTF-16 of ASCII text is valid UTF-8, with a NUL in every other byte
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            where = exc.start
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data) is not None
    try:
        text, notes = decode_noting(data)
    except RejectedInput as exc:
        return data.decode("utf-8", errors="replace").replace("\x00", ""), f"the file is not text ({exc})"
    if utf16:
        return text, "the file is saved as UTF-16, not UTF-8 (read as UTF-16; save it as UTF-8)"
    try:
        data.replace(b"\x00", b"").decode("utf-8")
        return text, f"the file holds {', '.join(notes)}"
    except UnicodeDecodeError as exc:
        where = exc.start
    return text, f"the file is not UTF-8 (byte {where:,} is not; read as a single-byte encoding, save it as UTF-8)"


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order of a text without BOM (NULs in every other byte of its first 4 KB), or None."""
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) <= len(head) // 4:
        return None
    return "utf-16-be" if even > odd else "utf-16-le"


def _decode(data: bytes) -> str:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    utf16 = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data[:4096])
    if declared:
        try:
            return data.decode(declared)  # what the page says it is, when its bytes agree
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes  # only for bytes that are not UTF-8 (imported before readers fork)

    best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1", "iso8859_15", "cp1251", "utf_8"]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace")
    text = data.decode("cp1252", errors="replace")
    sample = text[:100_000]
    if sum(ch.isascii() for ch in sample) < 0.7 * len(sample):
        # No encoding makes sense of it and most of it is not even ASCII: garbage, not prose.
        raise RejectedInput("undecodable: not text in UTF-8, UTF-16, cp1252 or Latin-1")
    return text


_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_XML_ENCODING = re.compile(rb"<\?xml[^>]+?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)", re.I)
# Labels browsers read as a wider encoding (the WHATWG Encoding Standard): pages labelled Latin-1 are
# cp1252, Shift_JIS pages use Microsoft's extensions, GB2312 is read as GB18030.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
                    "x-sjis": "cp932", "gb2312": "gb18030", "gbk": "gb18030", "euc-kr": "cp949",
                    "ks_c_5601-1987": "cp949", "tis-620": "cp874", "iso-8859-9": "cp1254"}


def declared_charset(head: bytes) -> str | None:
    """The encoding an HTML page (`<meta charset>`, `http-equiv`) or an XML feed (`<?xml encoding>`)
    declares in its first bytes, as Python names it; None without a declaration."""
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", "ignore").strip().lower()
    return _CHARSET_ALIASES.get(label, label) or None


_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _keep(m: re.Match) -> str:
    ch = m.group()
    return ch if ch == "\u200d" or unicodedata.category(ch)[0] != "C" else ""


_SPACE_RUNS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")  # (compiled once: called per line and block)


def clean_spaces(text: str) -> str:
    """Collapse whitespace and drop control characters that would break YAML or HTML, in composed
    Unicode (`composed`).

    Drops every character of Unicode category C (controls, format, private use, surrogates,
    unassigned) except tab, newline and the zero-width joiner; ASCII text takes a fast path."""
    text = _ASCII_CONTROLS.sub("", text)
    if not text.isascii():
        text = _SPACE_RUNS.sub(" ", composed(_NON_ASCII.sub(_keep, text)))
    elif "  " in text or "\t" in text:  # else each match is one space put back for itself: in ASCII
        text = _SPACE_RUNS.sub(" ", text)  # the runs are of ' ' and '\t' (8 of a block's 16 us)
    return text.strip()


# Characters with no width and no meaning in a word or a name: zero-width space, word joiner,
# byte-order mark, soft hyphen (clean_spaces drops them with the rest of category C).
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")


def composed(text: str) -> str:
    """`text` in composed Unicode (NFC), without the invisible characters above: what every text an
    input gives (through clean_spaces) and every front-matter text (the build's reading) is made
    into, by this one function. Why: "Zürich" decomposed (u + U+0308, as some keyboards, macOS file
    names and pasted text give it), or with a zero-width space after it, looks the same but is
    another name: the gazetteer did not know it, so an input's place was lost, and a page's was
    published under "Unplaced"; the page also held text a search of the files did not find."""
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


@lru_cache(maxsize=1 << 16)
def slugify(text: str, max_len: int = 80) -> str:
    """ASCII, lower-case, hyphenated: safe as a file name and a URL path part (never '..' or '/').
    Memoised: a build slugs the same tag and place names hundreds of thousands of times."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > max_len:
        text = text[:max_len].rsplit("-", 1)[0] or text[:max_len]
    if text in _DEVICE_NAMES:
        text += "-1"
    return text or "untitled"


# Names Windows keeps for devices, with any extension: a feed item titled "Con" or "NUL" became
# `con.md`, a path Git for Windows refuses to check out ("invalid path"), so the archive's repository
# could no longer be cloned there. A slug never is one of them.
_DEVICE_NAMES = frozenset(["con", "prn", "aux", "nul", *(f"{d}{n}" for d in ("com", "lpt") for n in range(10))])


# Inline syntax that Python-Markdown reads anywhere in a line (backslash-escapable in the core syntax).
_INLINE = re.compile(r"([\\`*_\[\]{}])")
# Block syntax only matters at the start of a paragraph line: neutralise it with a numeric entity.
_LEAD = re.compile(r"^(?:[^\w\s\"'\u2018\u201c(&]|\d+[.)])")


def md_escape(text: str) -> str:
    """Plain text as one line of Markdown that renders to the same visible text, never to markup."""
    text = clean_spaces(text.replace("\n", " "))
    text = html.escape(text, quote=False)  # & < > become entities: no raw HTML, autolink or entity survives
    text = _INLINE.sub(r"\\\1", text)
    m = _LEAD.match(text)
    if m:
        lead = m.group(0)
        if lead[0] != "\\":
            text = lead[:-1] + f"&#{ord(lead[-1])};" + text[len(lead):]
    return text


def md_heading(text: str, level: int = 2) -> str:
    return "#" * level + " " + md_escape(text)


def put_back(low: str, raw: bytes, spaced: str, keep) -> str:
    """`spaced` (`raw`, the ASCII encoding of `low` with "?" for each other character, translated
    byte for byte) with the characters of `low` that `keep` accepts put back where `raw` has "?".
    Why: str.translate looks up every character one by one once text leaves ASCII (most news has a
    curly quote); bytes.translate does not, and the few letters outside ASCII are put back here."""
    parts = []
    pos = 0
    find = raw.find
    k = find(b"?")
    while k >= 0:
        c = low[k]
        if c != "?" and keep(c):
            parts.append(spaced[pos:k])
            parts.append(c)
            pos = k + 1
        k = find(b"?", k + 1)
    if not parts:
        return spaced
    parts.append(spaced[pos:])
    return "".join(parts)


# Scripts whose letters look alike: a word mixing them ("Сonvoys" with a Cyrillic С, "Аleppo" with a
# Cyrillic А) reads as another name but is a name, a page and a filter value of its own.
_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_WORD = re.compile(r"[^\W\d_]+")


def mixed_scripts(text: str) -> tuple[str, str] | None:
    """The two scripts a word of text mixes (of Latin, Cyrillic and Greek), or None."""
    if text.isascii():
        return None
    for word in _WORD.findall(text):
        seen = {name.split(" ", 1)[0] for ch in word if (name := unicodedata.name(ch, "")).startswith(_LOOKALIKE_SCRIPTS)}
        if len(seen) > 1:
            a, b = sorted(seen)
            return a.title(), b.title()
    return None


def keys_given_twice(text: str) -> list[str]:
    """"'key' is given twice (lines a and b)" for each key typed twice in any mapping of a whole YAML
    file. YAML keeps the last silently: a second `plugins:` appended to mkdocs.yml dropped the
    archive plugin, a second `sources:` in archive.yml every feed listed under the first. The file
    is composed, not constructed (tags such as `!!python/name:` stay names, aliases are not expanded).
    (A page's front matter has its own, cheaper check: writers.pagefile.repeated_keys.)"""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # the loader that reads it says what is wrong
    out: list[tuple[int, str]] = []  # (the second line, what is said), said in the file's order
    stack, seen_nodes = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            lines: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    if key.value in lines:
                        line = key.start_mark.line + 1
                        out.append((line, f"{key.value!r} is given twice (lines {lines[key.value]} and {line})"))
                    else:
                        lines[key.value] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return [said for _, said in sorted(out, key=lambda pair: pair[0])]


def typed_twice(text: str, where: object) -> str | None:
    """The one line refusing a YAML file (`where`) with a key typed twice, or None. Written once for
    mkdocs.yml and archive.yml: archive.yml's line left out how many more keys were repeated."""
    if not (repeated := keys_given_twice(text)):
        return None
    others = len(repeated) - 1
    more = f" (and {others} more key{'s' if others > 1 else ''} given twice)" if others else ""
    return f"{where}: {repeated[0]}: YAML keeps only the last, the first is ignored; remove one{more}"
