"""The site's pages as search documents and facets (the plugin calls this; build.py writes them)."""
from __future__ import annotations

import hashlib
import html
import json
import re
from collections import defaultdict
from functools import lru_cache
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
    spellings: dict[str, dict[str, tuple[str, ...]]] = {
        "tag": {name: aliases.get(name, ()) for name in tags}, "country": {}, "place": {}}
    for node in walk(tree):
        parent = parents.get(node.slug)
        facet = "country" if parent is None and node.kind == "country" else "place"  # not "Africa" (issue 10)
        facets[facet][_place_label(node, parent)] = [ids[r.src_uri] for r in node.articles]
        spellings[facet][_place_label(node, parent)] = place_aliases(node.name, (parent or node).name)
    for r in ordered:
        if r.source:
            facets["source"][r.source].append(ids[r.src_uri])
    return build(docs, facets, out_dir, state=state, salt=salt, load=load if load_bodies is not None else None,
                 extra={"aliases.json": alias_words(spellings)})


def alias_words(spellings: dict[str, dict[str, tuple[str, ...]]]) -> dict[str, dict[str, list[str]]]:
    """facet (tag, country, place) -> each of its values in the archive -> its aliases as the
    search's words: search.js reads a query that names an alias as the value's name too, among the
    articles filed under that value, so "Daesh" finds every article tagged Islamic State and "Kiev"
    every article placed in Kyiv, not only those whose text says so. A place's value is its filter
    label ("Kyiv, Ukraine"; "Middle East" for a world region), its name the part before the last
    ", ". A spelling two values share is left out. Grouped by value, each name is written once
    (27.5 -> 20.4 KB for the whole vocabulary, fetched by every first query)."""
    owner: dict[str, tuple[str, str]] = {}
    shared: set[str] = set()
    for facet, values in spellings.items():
        for value, aliases in sorted(values.items()):
            target = " ".join(words(value.rsplit(", ", 1)[0] if facet == "place" else value))
            for alias in aliases:
                key = " ".join(words(alias))
                if not key or not target or key == target:
                    continue
                if owner.setdefault(key, (facet, value)) != (facet, value):
                    shared.add(key)
    out: dict[str, dict[str, list[str]]] = {}
    for key, (facet, value) in sorted(owner.items()):
        if key not in shared:
            out.setdefault(facet, {}).setdefault(value, []).append(key)
    return {facet: dict(sorted(values.items())) for facet, values in sorted(out.items())}


@lru_cache(maxsize=1)
def _curated_aliases() -> dict[tuple[str, str], tuple[str, ...]]:
    """(name, country) -> the aliases places.yml gives a place (a country is its own country)."""
    from ..gazetteer.common import curated_overlay

    raw = curated_overlay()
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for section in ("countries", "regions", "places", "areas"):
        for entry in raw.get(section) or []:
            if isinstance(entry, dict) and entry.get("name") and entry.get("aliases"):
                country = entry["name"] if section == "countries" else entry.get("country")
                out[(str(entry["name"]), str(country))] = tuple(str(a) for a in entry["aliases"])
    return out


def place_aliases(name: str, country: str) -> tuple[str, ...]:
    """The curated spellings of a place (places.yml's aliases: "Kiev" for Kyiv)."""
    return _curated_aliases().get((name, country), ())


def keep_files(out_dir: Path) -> None:
    """Every file of the finished index is this build's (build.py removed the stale ones): kept by
    `archive build` (sitewrite.py) without touching the unchanged ones (it removes what a build
    neither wrote nor confirmed)."""
    for path in _files(out_dir):
        sitewrite.confirm(path)


# The search page's box, whose data-layout `stamp_page` fills once the index is written.
_LAYOUT = re.compile(r'(<div id="archive-search" [^>]*?data-layout=")[^"]*"')


def stamp_page(out_dir: Path, page) -> None:
    """Give the written search page (`page`: its MkDocs File, None without one) what search.js needs
    to pick a query's shards: their count, the stop words and the shards' version (a digest of
    their bytes, in their URLs, so that a browser never mixes shards of two builds). Why: search.js
    fetched meta.json and only then the query's shards, one round trip more than needed; with
    these it fetches the shards of a query in the URL beside meta.json. The page is rendered while
    the index's child is still writing it (searchjob.py), so the values are filled in here, after."""
    path = Path(page.abs_dest_path) if page is not None else None
    try:
        text = path.read_text(encoding="utf-8") if path is not None else ""
        meta = json.loads((out_dir / "meta.json").read_bytes())
    except FileNotFoundError:
        return  # no search page, or no index: search.js reads meta.json as before
    layout = {"shards": meta["shards"], "v": shards_version(out_dir / "s"), "stopwords": meta["stopwords"]}
    value = html.escape(json.dumps(layout, ensure_ascii=False, separators=(",", ":")), quote=True)
    stamped = _LAYOUT.sub(lambda m: m.group(1) + value + '"', text, count=1)
    if stamped != text:
        sitewrite.update(path, stamped.encode("utf-8"))


def shards_version(folder: Path) -> str:
    """A short digest of the shard files' names and bytes: it changes whenever one of them does."""
    digest = hashlib.blake2b(digest_size=6)
    for name in sorted(_files(folder)):
        digest.update(Path(name).name.encode("utf-8") + b"\0")
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()


# The search page's first step, run as it is parsed: the shards of the query in its address (q=)
# preloaded with meta.json, one round trip before search.js (loaded after the theme's scripts,
# then waiting for meta.json) could ask for them. It picks them as search.js does (its words(),
# termsOf() and shardFile(); tests/test_search_layout.py checks that the two agree). Fixed text: the
# page's data come from its attributes, the query from the address, and leave only as URLs.
_EARLY = ("(function(){var r=document.getElementById('archive-search'),q=new URLSearchParams(location.search).get('q'),l=null;"
          "try{l=JSON.parse(r.getAttribute('data-layout')||'null')}catch(e){}"
          "if(!q||!l||!(l.shards>0)||!Array.isArray(l.stopwords))return;"
          "var s=new Set(l.stopwords),e=new TextEncoder(),w=(q.normalize('NFKD').replace(/\\p{M}/gu,'').toLowerCase()"
          ".match(/[\\p{L}\\p{N}]+/gu)||[]).filter(function(x){return x.length<=40?!s.has(x):false}),t=w.slice();"
          "for(var i=1;i<=w.length-1;i++)t.push(w[i-1]+' '+w[i]);"
          "new Set(t.map(function(x){var h=0x811c9dc5,b=e.encode(x);for(var j=0;j!==b.length;j++){h^=b[j];h=Math.imul(h,0x01000193)>>>0}"
          "return h%l.shards})).forEach(function(n){var k=document.createElement('link');k.rel='preload';k.as='fetch';"
          "k.crossOrigin='anonymous';k.href=r.getAttribute('data-index')+'s/'+n+'.json?v='+encodeURIComponent(l.v);"
          "document.head.appendChild(k)})})()")
FACET_LABELS = (("tag", "Tag"), ("country", "Country"), ("place", "Place"), ("source", "Source"))


def form_html(base: str, index: str) -> str:
    """The search page's form (escaped attributes in); search.js fills the filters from meta.json."""
    selects = "\n".join(f'<label>{label} <select name="{name}"><option value="">any</option></select></label>'
                        for name, label in FACET_LABELS)
    # The two files search.js reads before any query, fetched as the page is parsed rather than once
    # the theme's scripts and search.js have run (a fetch with a crossorigin preload is reused by fetch()).
    return f"""<link rel="preload" href="{index}meta.json" as="fetch" crossorigin>
<link rel="preload" href="{index}aliases.json" as="fetch" crossorigin>
<div id="archive-search" class="archive-search" data-base="{base}" data-index="{index}" data-layout="">
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
<script>{_EARLY}</script>
"""
