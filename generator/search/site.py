"""The site's pages as search documents and facets (the plugin calls this; build.py writes them)."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .. import sitewrite
from ..mkdocs_plugin.index import LocationNode, Record, walk
from .build import Doc, _files, build
from .tokens import words


def _place_label(node: LocationNode, parent: LocationNode | None) -> str:
    return f"{node.name}, {parent.name}" if parent is not None else node.name


def _articles(n: int) -> str:
    """A tag or place result's count as a reader says it (shown under its title, search.js)."""
    return f"{n} article" if n == 1 else f"{n} articles"


def write_index(records: list[Record], urls: dict[str, str], tags: dict[str, list[Record]],
                aliases: dict[str, tuple[str, ...]], tree: dict[str, LocationNode], page_url,
                tag_uri, node_uri, out_dir: Path, state: Path | None = None, salt: str = "",
                load_bodies=None) -> dict:
    """records: every article; urls: article src_uri -> site URL; page_url(uri): a generated page's
    site URL. The documents' ids are given by build.py (ids.py), whatever their order here.
    `load_bodies(records)`, when given, gives those of the records whose body was not read
    (pagefiles.py) their body: an article's body is then stood for by its page file's digest, and
    read only when the index is made again and its words are not kept (termcache.py)."""
    ordered = sorted(records, key=lambda r: (r.date is not None, r.date or "", r.title))
    ids = {r.src_uri: i for i, r in enumerate(ordered)}
    if load_bodies is not None and not all(r.digest for r in ordered):
        load_bodies(ordered)  # a record without its file's digest: its body is its own key
        load_bodies = None
    docs = [Doc("a", r.title, urls[r.src_uri], r.date.isoformat() if r.date else "", r.source or "",
                r.summary or "", [(r.title, 3), (r.summary or "", 2), (" ".join(r.tags), 2),
                                  (" ".join(p.name for p in r.places), 2), (r.body or "", 1)],
                last_key=r.digest if load_bodies is not None else None)
            for r in ordered]

    record_of = {id(d): r for d, r in zip(docs, ordered)}

    def load(which: list[Doc]) -> None:
        rs = [record_of[id(d)] for d in which]
        load_bodies(rs)
        for d, r in zip(which, rs):
            d.fields[-1] = (r.body or "", 1)
    for name, recs in tags.items():
        docs.append(Doc("t", name, page_url(tag_uri(name)), summary=f"Tag · {_articles(len(recs))}",
                        fields=[(name, 3), (" ".join(aliases.get(name, ())), 2)]))
    parents: dict[str, LocationNode | None] = {}
    for country in tree.values():
        parents[country.slug] = None
        for child in walk(country.children):
            parents.setdefault(child.slug, country)
    for node in walk(tree):
        docs.append(Doc("p", node.name, page_url(node_uri(node)), summary=f"{node.kind.capitalize()} · "
                        f"{_articles(len(node.articles))}", fields=[(node.name, 3)]))

    facets: dict[str, dict[str, list[int]]] = {"tag": {}, "country": {}, "place": {}, "source": defaultdict(list)}
    for name, recs in tags.items():
        facets["tag"][name] = [ids[r.src_uri] for r in recs]
    for node in walk(tree):
        parent = parents.get(node.slug)
        facet = "country" if parent is None else "place"
        facets[facet][_place_label(node, parent)] = [ids[r.src_uri] for r in node.articles]
    for r in ordered:
        if r.source:
            facets["source"][r.source].append(ids[r.src_uri])
    return build(docs, facets, out_dir, state=state, salt=salt, load=load if load_bodies is not None else None,
                 extra={"aliases.json": alias_words(tags, aliases)})


def alias_words(tags, aliases: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Each tag in the archive -> its aliases as the search's words: search.js reads a query that
    names an alias as the tag's name too, among the articles filed under the tag, so "Daesh" finds
    every article tagged Islamic State, not only those whose text says Daesh. A spelling two tags
    share is left out. Grouped by tag, the tag's name is written once (27.5 KB -> 20.4 KB for the
    whole vocabulary, fetched by every first query)."""
    owner: dict[str, str] = {}
    shared: set[str] = set()
    for name in sorted(tags):
        target = " ".join(words(name))
        for alias in aliases.get(name, ()):
            key = " ".join(words(alias))
            if not key or not target or key == target:
                continue
            if owner.setdefault(key, name) != name:
                shared.add(key)
    out: dict[str, list[str]] = {}
    for key, name in sorted(owner.items()):
        if key not in shared:
            out.setdefault(name, []).append(key)
    return dict(sorted(out.items()))


def keep_files(out_dir: Path) -> None:
    """Every file of the finished index is this build's (build.py removed the stale ones): kept by
    `archive build` (sitewrite.py) without touching the unchanged ones (it removes what a build
    neither wrote nor confirmed)."""
    for path in _files(out_dir):
        sitewrite.confirm(path)


FACET_LABELS = (("tag", "Tag"), ("country", "Country"), ("place", "Place"), ("source", "Source"))


def form_html(base: str, index: str) -> str:
    """The search page's form (escaped attributes in); search.js fills the filters from meta.json."""
    selects = "\n".join(f'<label>{label} <select name="{name}"><option value="">any</option></select></label>'
                        for name, label in FACET_LABELS)
    return f"""<div id="archive-search" class="archive-search" data-base="{base}" data-index="{index}">
<form class="archive-search__form" role="search" action="" method="get">
<label class="archive-search__q">Words <input name="q" type="search" placeholder="words or a phrase, e.g. Tal Abita"></label>
{selects}
<label>Year <select name="year"><option value="">any</option></select></label>
<label>Order <select name="sort"><option value="relevance">best match</option><option value="newest">newest first</option><option value="oldest">oldest first</option></select></label>
</form>
<p class="archive-search__count" aria-live="polite"></p>
<ul class="archive-search__results archive-list"></ul>
<button type="button" class="md-button archive-search__more" hidden>More results</button>
<noscript><p>The search runs in the browser and needs JavaScript; the <a href="{base}tags/">tags</a>, <a href="{base}locations/">locations</a> and <a href="{base}archive/">archive</a> work without it.</p></noscript>
</div>
"""
