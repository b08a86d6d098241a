"""`archive review`: organisation-like names in the archive that the vocabulary does not know yet.

Editors grow data/vocabulary.yml from the archive itself: this lists, with how many articles name
them, (1) names written with their acronym, "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)", (2)
acronyms alone, and (3) capitalised names ending in a word that organisations use ("... Brigade",
"... Front"), each one skipped when the vocabulary (or the gazetteer, for a place) already knows it.
Read-only: it prints a report and changes nothing.
"""
from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# "(ACR)" after the name it abbreviates; the name is found by walking back from it (see _expansion)
_CONNECT = {"of", "the", "and", "for", "in", "on", "al", "el", "wal", "wa", "bin", "ibn", "de", "du", "des", "la",
            "le", "li", "fi", "an", "ash", "ad", "as", "at", "ar", "az", "&"}
_BRACKETED_ACRONYM = re.compile(r"\(([A-Z][A-Za-z&-]{1,9})\)")
_BESIDE = re.compile(r"\s*\(([A-Z][A-Za-z&-]{1,9})\)")  # the same, right after a name
_NAME_WORDS = re.compile(r"[\w'’&-]+")
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z&]{1,6})(?![\w-])")
ORG_WORDS = ("Army", "Brigade", "Brigades", "Front", "Movement", "Party", "Council", "Forces", "Force", "Group",
             "Battalion", "Battalions", "Committee", "Organisation", "Organization", "Union", "Alliance",
             "Coalition", "Ministry", "Agency", "Corps", "Militia", "Militias", "Authority", "Commission",
             "Guard", "Guards", "Division", "Regiment", "Mission", "Fund", "Institute", "Network", "Association")
_CAP = r"[A-Z][\w'’-]*"
_ORG_NAME = re.compile(rf"\b((?:{_CAP}\s+)(?:(?:{_CAP}|of|the|and|for|al-\w+)\s+){{0,5}}(?:{'|'.join(ORG_WORDS)}))\b")
# Capitalised words that start sentences or name ranks, not organisations
_NOT_ACRONYMS = {"I", "A", "AM", "PM", "TV", "OK", "UTC", "GMT", "AD", "BC", "ID", "PDF", "URL", "HTML", "II", "III",
                 "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "CEO", "PS"}
_LEADING = {"The", "A", "An", "In", "On", "At", "But", "And", "For", "From", "With", "By", "As", "Of", "To", "This",
            "That", "Its", "His", "Her", "Their", "Our", "When", "While", "After", "Before", "Both"}


@dataclass
class Candidate:
    """One name to review: how often and in how many articles it occurs, and where first."""

    name: str
    kind: str  # expanded (name with its acronym) / acronym / name / qualified (a term's name without its qualifier)
    acronym: str | None = None
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
    first: dict[str, int] = field(default_factory=dict)  # article -> where the name first occurs in it
    known_as: str | None = None  # the tag whose spelling is written beside it: "National Liberation Army (ELN)"
    spelling: str | None = None  # what to add to that tag: the name, or (the name known) its acronym

    @property
    def example(self) -> str:
        return min(self.articles)

    def to_dict(self, texts: dict[str, str] | None = None) -> dict:
        d = {"name": self.name, "kind": self.kind, "mentions": self.mentions, "articles": len(self.articles),
             "example": self.example}
        if texts is not None:
            d["sentence"] = sentence(texts[self.example], self.first[self.example])
        if self.acronym:
            d["acronym"] = self.acronym
        if self.kind == "qualified":
            d["term"] = self.known_as  # no add line: the bare name is ambiguous on purpose
            return d
        if self.known_as:
            d["spelling_of"] = self.known_as
        d["add"] = add_command(self)
        return d


# Where a sentence ends: a line break, or a full stop after a small letter, digit or closing mark and
# before a capital ("U.S. Air Force" and "Nov. 6" go on).
_SENTENCE_BREAK = re.compile(r"\n\s*|(?<=[a-z0-9)”\"’][.!?])\s+(?=[A-Z“\"‘])")


def sentence(text: str, at: int, width: int = 220) -> str:
    """The sentence of `text` around position `at`, on one line, cut to about `width` characters
    around `at` when it is longer: what an editor reads to judge a name without opening the page."""
    starts = [m.end() for m in _SENTENCE_BREAK.finditer(text, max(0, at - 2000), at)]
    start = starts[-1] if starts else max(0, at - 2000)
    after = _SENTENCE_BREAK.search(text, at)
    end = after.start() + 1 if after else len(text)
    while start < at and not text[start].isalnum() and text[start] not in "“\"‘(":
        start += 1  # a line of its own that holds only a stray full stop (a list's bullet): not the sentence
    line = " ".join(text[start:end].split())
    lead = " ".join(text[start:at].split())
    if len(line) <= width:
        return line
    cut = max(0, len(lead) - width // 3)
    cut = line.find(" ", cut) + 1 if cut else 0  # at a word's start and end
    return ("…" if cut else "") + line[cut:cut + width].rsplit(" ", 1)[0] + "…"


# The kind `archive add-tag` is offered for a name ending in an organisation word (the editor may change it)
_FORCE_WORDS = {"Forces", "Force", "Guard", "Guards", "Corps", "Division", "Regiment", "Battalion", "Battalions"}
_GROUP_WORDS = {"Army", "Brigade", "Brigades", "Front", "Movement", "Party", "Group", "Militia", "Militias"}


def add_command(c: Candidate) -> str:
    """The `archive add-tag` line that adds the candidate: as a spelling of the tag written beside it,
    else as a new tag of the kind its last word suggests (an acronym alone: its full name to fill in)."""
    def q(text: str) -> str:  # for a shell: "Jama'at …" reads better than shlex's '…'"'"'…'
        return f'"{text}"' if not set(text) & set('"$`\\!') else shlex.quote(text)

    if c.known_as:
        return f"archive add-tag {q(c.known_as)} --alias {q(c.spelling or c.name)}"
    if c.kind == "acronym":
        return f"archive add-tag \"FULL NAME\" --kind organisation --alias {q(c.name)}"
    last = c.name.split()[-1]
    kind = "force" if last in _FORCE_WORDS else "group" if last in _GROUP_WORDS else "organisation"
    return f"archive add-tag {q(c.name)} --kind {kind}" + (f" --alias {q(c.acronym)}" if c.acronym else "")


def _expansion(text: str, end: int, acronym: str) -> str | None:
    """The name just before `end` that "(ACRONYM)" abbreviates: the shortest run of capitalised words
    (small words such as "of", "al-", "wal-" between them) starting with the acronym's first letter,
    at most twelve words back. "Fighters of Jama'at Nusrat al-Islam wal-Muslimin (JNIM)" ->
    "Jama'at Nusrat al-Islam wal-Muslimin"."""
    words = list(_NAME_WORDS.finditer(text, max(0, end - 200), end))[-12:]
    if not words or text[words[-1].end():end].strip():
        return None  # something other than spaces between the name and the bracket
    for k in range(len(words) - 1, -1, -1):
        w = words[k].group()
        if k < len(words) - 1 and text[words[k].end():words[k + 1].start()].strip(" -"):
            return None  # punctuation breaks the name
        if not (w[0].isupper() or w.lower().split("-")[0] in _CONNECT):
            return None
        if w[0] == acronym[0] and w[0].isupper():
            name = text[words[k].start():words[-1].end()]
            if _initials_hold(name, acronym):
                return name
    return None


def _initials_hold(name: str, acronym: str) -> bool:
    """Whether the acronym's letters are the name's capitals, in order (some may be left out):
    "Envoys of the National Liberation Army (ELN)" is not a name for ELN (E, N, L, A), and
    "Jama'at Nusrat al-Islam wal-Muslimin" is one for JNIM."""
    capitals = iter(re.findall(r"(?:^|[\s-])([A-Z])", name))
    return all(letter in capitals for letter in acronym.upper() if letter.isalpha())


_CAPS_RUN = re.compile(r"[A-Z]{2,}(?:[ ,'’-]+[A-Z]{2,}){2,}")  # three all-caps words in a row


def _in_caps_run(text: str, start: int, end: int) -> bool:
    """Whether the word at start:end is one of three or more all-caps words in a row."""
    return any(r.start() <= start and end <= r.end()
               for r in _CAPS_RUN.finditer(text, max(0, start - 80), min(len(text), end + 80)))


def _strip_leading(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return " ".join(words)


def candidates(texts: dict[str, str], vocabulary=None, gazetteer=None) -> list[Candidate]:
    """Names the vocabulary lacks, most articles first. `texts`: article id -> text."""
    from .enrich.tags import default_vocabulary

    vocab = vocabulary or default_vocabulary()

    tag_of = vocab.whole  # the tag `name` is a whole spelling of, if any

    def known(name: str) -> bool:
        return tag_of(name) is not None or (gazetteer is not None and gazetteer.lookup(name) is not None)

    qualified = _qualified_terms(vocab)
    found: dict[tuple[str, str], Candidate] = {}
    expanded_acronyms: set[str] = set()

    def add(key: str, kind: str, doc: str, at: int, acronym: str | None = None, tag: str | None = None,
            spelling: str | None = None) -> None:
        term = None if tag else qualified.get(key.casefold())
        if term:  # "National Liberation Army", no "(ELN)" beside it: a term's name without its qualifier,
            kind, acronym, tag, spelling = "qualified", None, term, None  # ambiguous on purpose, not new
        c = found.setdefault((kind, key), Candidate(key, kind, acronym))
        c.mentions += 1
        c.articles.add(doc)
        c.first.setdefault(doc, at)
        if tag and not c.known_as:
            c.known_as, c.spelling = tag, spelling

    for doc, text in texts.items():
        spans = [(t.start, t.end) for t in vocab.find(text)]

        def inside_known(a: int, b: int) -> bool:
            # "International Committee" of "International Committee of the Red Cross", which the
            # vocabulary knows as a whole: the regex below stops at its organisation word
            return any(s <= a and b <= e for s, e in spans)

        for m in _BRACKETED_ACRONYM.finditer(text):
            acr = m.group(1)
            name = _expansion(text, m.start(), acr)
            if name and not (known(name) and known(acr)):
                # one half known: the other is a new spelling of its tag
                tag, spelling = tag_of(acr), name
                if tag is None:
                    tag, spelling = tag_of(name), acr
                add(name, "expanded", doc, m.start() - len(name) - 1, acr, tag, spelling)
                expanded_acronyms.add(acr)
        for m in _ORG_NAME.finditer(text):
            words = m.group(1).split()
            small = [k for k, w in enumerate(words[:-1]) if w[0].islower()]
            if small:  # "Fighters of the Coastal Shield Brigade": the name starts after the small words
                words = words[small[-1] + 1:] if len(words) - small[-1] > 2 else words
            name = _strip_leading(" ".join(words))
            if " " not in name or inside_known(m.end(1) - len(name), m.end(1)) or known(name):
                continue
            if " and " in name and known(name.split(" and ")[0]):
                continue  # "SDF and Coalition": two names the vocabulary knows, not one
            after = _BESIDE.match(text, m.end(1))  # "National Liberation Army (ELN)", ELN a known spelling
            add(name, "name", doc, m.end(1) - len(name), tag=tag_of(after.group(1)) if after else None, spelling=name)
        for m in _ACRONYM.finditer(text):
            acr = m.group(1)
            if text[m.start() - 1:m.start()] == "(" and text[m.end():m.end() + 1] == ")":
                continue  # "Name (ACR)": counted with the name
            if _in_caps_run(text, m.start(), m.end()):
                continue  # "STAY AWAY FROM THE COASTAL ROAD": a shouted line, not acronyms
            if acr not in _NOT_ACRONYMS and not known(acr) and not inside_known(m.start(), m.end()):
                add(acr, "acronym", doc, m.start())
    expanded = {c.acronym: c for c in found.values() if c.kind == "expanded"}
    for c in [c for c in found.values() if c.kind == "acronym" and c.name in expanded]:
        expanded[c.name].mentions += c.mentions  # "JNIM" alone later in the text: the same name
        expanded[c.name].articles |= c.articles
        for doc, at in c.first.items():
            expanded[c.name].first.setdefault(doc, at)
    out = [c for c in found.values() if not (c.kind == "acronym" and c.name in expanded_acronyms)]
    names = {c.name for c in out if c.kind == "expanded"}
    # listed with its acronym already
    out = [c for c in out if not (c.kind == "name" and any(c.name in n for n in names))]
    return sorted(out, key=lambda c: (-len(c.articles), -c.mentions, c.kind, c.name.casefold()))


def _qualified_terms(vocab) -> dict[str, str]:
    """Case-folded name -> the terms named so with a qualifier: "National Liberation Army (Colombia)" is
    written "National Liberation Army", which the vocabulary leaves untagged on purpose (several groups
    bear it), so the name is known, not one to add."""
    out: dict[str, list[str]] = {}
    for name in vocab.terms:
        m = _QUALIFIED.match(name)
        if m:
            out.setdefault(m.group(1).casefold(), []).append(name)
    return {base: ", ".join(sorted(names)) for base, names in out.items()}


_QUALIFIED = re.compile(r"(.+?) \([^()]+\)$")


def article_texts(content: Path) -> dict[str, str]:
    """Article id (path under `content`) -> title and body, from the pages under content/articles (or
    every page when there is no such folder). A page that cannot be read is reported and skipped."""
    from .inputs import one_line
    from .mkdocs_plugin.index import page_parts
    from .textutil import page_text

    root = content / "articles" if (content / "articles").is_dir() else content
    out = {}
    for path in sorted(root.rglob("*.md")):
        try:
            meta, body, _ = page_parts(page_text(path.read_bytes())[0])
        except OSError as exc:
            print(one_line(f"archive review: {path}: unreadable ({exc.__class__.__name__}), skipped"), file=sys.stderr)
            continue
        title = meta.get("title") if isinstance(meta, dict) and isinstance(meta.get("title"), str) else ""
        out[str(path.relative_to(content))] = f"{title}\n\n{body or ''}"
    return out


def report(cands: list[Candidate], min_articles: int = 1, limit: int = 200, texts: dict[str, str] | None = None,
           content: Path | None = None) -> str:
    """Plain-text report, grouped by kind, most articles first: each name with its counts, the page it
    first appears in (under `content`, a path to open) and that sentence (from `texts`), and the
    `archive add-tag` line that adds it."""
    by_kind: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        if len(c.articles) >= min_articles:
            by_kind[c.kind].append(c)
    titles = {"expanded": "Names written with their acronym not in the vocabulary",
              "name": "Organisation-like names not in the vocabulary", "acronym": "Acronyms not in the vocabulary",
              "qualified": "Names the vocabulary knows only with a qualifier (ambiguous, so not tagged)"}
    lines = []
    for kind in ("expanded", "name", "acronym", "qualified"):
        rows = by_kind.get(kind, [])[:limit]
        if kind == "qualified" and not rows:
            continue
        lines.append(f"{titles[kind]}: {len(by_kind.get(kind, []))}")
        for c in rows:
            label = f"{c.name} ({c.acronym})" if c.acronym else c.name
            n = len(c.articles)
            lines.append(f"  {label}: {n} article{'s' * (n != 1)}, {c.mentions} mention{'s' * (c.mentions != 1)}")
            page = (content / c.example) if content else c.example
            if texts is not None:
                lines.append(f"      {page}: \u201c{sentence(texts[c.example], c.first[c.example])}\u201d")
            else:
                lines.append(f"      e.g. {page}")
            if c.kind == "qualified":
                lines.append(f"      the tag {c.known_as} bears it with its qualifier; tag such an article by hand")
                continue
            if c.known_as:
                lines.append(f"      a spelling of the tag {c.known_as} is written beside it")
            lines.append(f"      add it: {add_command(c)}")
    if any(by_kind.values()):
        lines.append("\n`archive add-tag` writes generator/data/vocabulary.yml; re-ingest (archive update) to tag "
                     "the articles.")
    return "\n".join(lines)


def add_parser(sub) -> None:
    """`archive review`, registered by cli.py."""
    from .cli import whole_number

    rv = sub.add_parser("review", help="list organisation-like names in the archive that the vocabulary lacks")
    rv.add_argument("--content", type=Path, default=None, help="content folder (default: mkdocs.yml's docs_dir)")
    rv.add_argument("--min-articles", type=whole_number(1, "articles"), default=1,
                    help="only names in at least this many articles")
    rv.add_argument("--limit", type=whole_number(1, "names"), default=200, help="at most this many names per group")
    rv.add_argument("--json", action="store_true", help="print JSON instead of text")
    rv.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from .cli import content_folder

    args.content = content_folder(args.content)
    if not args.content.is_dir():
        print(f"archive review: {args.content}: no such folder", file=sys.stderr)
        return 2
    from .enrich.places import default_gazetteer
    from .inputs import terminal_text

    texts = article_texts(args.content)
    cands = candidates(texts, gazetteer=default_gazetteer())
    if args.json:
        rows = [c.to_dict(texts) for c in cands if len(c.articles) >= args.min_articles]
        kinds = Counter(r["kind"] for r in rows)
        print(json.dumps({"names": rows, "counts": dict(kinds)}, indent=2, ensure_ascii=False))
    else:
        # names pages by their file names, and quotes their text
        print(terminal_text(report(cands, args.min_articles, args.limit, texts, args.content)))
    return 0
