"""Tags from the controlled vocabulary (data/vocabulary.yml): organisations, forces, operations, topics."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..textutil import load_yaml

from ..model import Article
from .matcher import Match, PhraseMatcher

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Term:
    name: str
    kind: str
    aliases: tuple[str, ...] = field(default=())
    not_before: frozenset[str] = field(default=frozenset())  # next words that mean the term is not meant
    not_after: frozenset[str] = field(default=frozenset())  # previous words that make it another name


class Vocabulary:
    """Canonical terms and their aliases; finds mentions in text."""

    def __init__(self, terms: list[Term]):
        self.terms = {t.name: t for t in terms}
        self._not_before = {t.name: t.not_before for t in terms if t.not_before}
        self._not_after = {t.name: t.not_after for t in terms if t.not_after}
        self._matcher = PhraseMatcher((alias, t.name) for t in terms for alias in (t.name, *t.aliases))
        self._typed = _typed_names(terms)

    @classmethod
    def load(cls, path: Path) -> "Vocabulary":
        raw = load_yaml(path.read_text(encoding="utf-8")) or []
        terms = []
        for i, entry in enumerate(raw):
            if not isinstance(entry, dict) or not entry.get("name") or not entry.get("kind"):
                raise ValueError(f"{path}: entry {i + 1} needs a 'name' and a 'kind'")
            words = {}
            for field_name in ("not_before", "not_after"):
                listed = entry.get(field_name) or ()
                if isinstance(listed, str) or not all(isinstance(w, str) for w in listed):
                    raise ValueError(f"{path}: entry {i + 1} ({entry['name']}): '{field_name}' must be a list of words")
                words[field_name] = frozenset(w.lower() for w in listed)
            terms.append(Term(str(entry["name"]), str(entry["kind"]), tuple(str(a) for a in entry.get("aliases") or ()),
                              words["not_before"], words["not_after"]))
        return cls(terms)

    def find(self, text: str) -> list[Match[str]]:
        # the not_before words are tested in the matcher's own pass over its matches (a second pass here
        # cost a comprehension over every match of every article)
        return self._matcher.find(text, self._not_before or None, self._not_after or None)

    def whole(self, name: str) -> str | None:
        """The term `name` is a whole spelling of (its name or an alias, as `find` reads text), or None:
        what `archive review` and `archive add-tag` ask of a name before calling it new."""
        return next((m.key for m in self.find(name) if m.start == 0 and m.end == len(name)), None)

    def canonical(self, name: str) -> str:
        """The term an editor means by a tag typed by hand: an alias ("Daesh", "ISIL") is filed under its
        term ("Islamic State"), as ingest files the text, so one term keeps one tag page, feed and filter
        value. A name no term claims, or two terms claim, stays as typed."""
        if name in self.terms:
            return name
        return self._typed.get(name) or self._typed.get(name.casefold(), name)

    def kind_of(self, name: str) -> str:
        term = self.terms.get(name)
        return term.kind if term else "other"


def _typed_names(terms: list[Term]) -> dict[str, str]:
    """Each alias as typed, and (longer than 4 characters) case-folded, to its term's name. Short aliases
    keep their case ("IS", "LeT", "MoD" are acronyms only in that case), and a spelling two terms share
    is left out: it names neither for sure."""
    claims: dict[str, set[str]] = {}
    for t in terms:
        for alias in (t.name, *t.aliases):
            claims.setdefault(alias, set()).add(t.name)
            if len(alias) > 4:
                claims.setdefault(alias.casefold(), set()).add(t.name)
    return {typed: next(iter(names)) for typed, names in claims.items() if len(names) == 1}


@lru_cache(maxsize=4)
def default_vocabulary(path: Path = DATA / "vocabulary.yml") -> Vocabulary:
    return Vocabulary.load(path)


def analysis_text(article: Article) -> str:
    """The text that tagging and geoparsing read: title, standfirst and body."""
    return "\n\n".join(x for x in (article.title, article.summary or "", article.body_text) if x)


def tag_names(matches: list[Match[str]]) -> list[str]:
    """Canonical names in order of first mention, without repeats."""
    return list(dict.fromkeys(m.key for m in matches))
