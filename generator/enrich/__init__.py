"""Enrichers: each takes an Article and returns it refined. They run in the order of `ENRICHERS`."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

from ..model import MAX_LIST_ENTRIES, Article, Block
from ..textutil import clean_spaces
from .dates import add_date
from .language import looks_english
from .places import Gazetteer, default_gazetteer, unique_places
from .tags import Vocabulary, analysis_text, default_vocabulary, tag_names


@dataclass
class Context:
    """What enrichers share: the vocabulary and the gazetteer (swappable, e.g. for GeoNames)."""

    vocabulary: Vocabulary
    gazetteer: Gazetteer
    _fingerprint: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # one scan of each text for tags and places, when the gazetteer's automaton holds the vocabulary's
        # aliases too (GeoNames: gazetteer/automaton.py); the tags and places are the same either way
        link = getattr(self.gazetteer, "link_tagger", None)
        if link is not None:
            link(self.vocabulary._matcher)

    @classmethod
    def default(cls) -> "Context":
        return cls(vocabulary=default_vocabulary(), gazetteer=default_gazetteer())

    def fingerprint(self) -> str:
        """A hash of what the enrichers will use (the vocabulary's terms, the kind and size of the
        gazetteer): a read cached under another vocabulary is not reused."""
        if self._fingerprint is None:
            terms = sorted((t.name, t.kind, tuple(t.aliases)) for t in self.vocabulary.terms.values())
            g = self.gazetteer
            size = len(getattr(g, "by_name", ()))  # a list gazetteer; GeoNames' data is in the read cache's key
            self._fingerprint = hashlib.sha256(repr((terms, type(g).__name__, size)).encode()).hexdigest()[:16]
        return self._fingerprint


Enricher = Callable[[Article, Context], Article]


def clean_fields(article: Article, ctx: Context) -> Article:
    """One-line fields without control characters; empty blocks dropped."""
    article.title = clean_spaces(article.title.replace("\n", " "))
    article.summary = clean_spaces(article.summary.replace("\n", " ")) if article.summary else None
    if article.summary == article.title:
        article.summary = None
    article.blocks = [Block(b.kind, text) for b in article.blocks if (text := clean_spaces(b.text))]  # (cleaned once)
    for attr in ("source", "url", "author"):
        value = getattr(article, attr)
        setattr(article, attr, clean_spaces(value.replace("\n", " ")) or None if value else None)
    return article


def dates(article: Article, ctx: Context) -> Article:
    return add_date(article)


def tags_and_places(article: Article, ctx: Context) -> Article:
    """Tags first, then places outside the tagged spans: a tag beats a place ('Isis' is never a place)."""
    text = analysis_text(article)
    tag_matches = ctx.vocabulary.find(text)
    article.tags = tag_names(tag_matches)[:MAX_LIST_ENTRIES]  # the page's bound (model.MAX_LIST_ENTRIES)
    # The place matcher's precision rules are written for English: in other languages only major
    # places count ("Ende" and "Grund" are German nouns before they are towns).
    mentions = ctx.gazetteer.find(text, exclude=[(m.start, m.end) for m in tag_matches],
                                  major_only=not looks_english(text))
    metonyms = getattr(ctx.gazetteer, "metonyms", None)  # the curated-list gazetteer has no such rule
    article.places = unique_places(mentions, metonyms(text, mentions) if metonyms else frozenset())[:MAX_LIST_ENTRIES]
    return article


ENRICHERS: list[Enricher] = [clean_fields, dates, tags_and_places]


def enrich(article: Article, ctx: Context) -> Article:
    for step in ENRICHERS:
        article = step(article, ctx)
    return article
