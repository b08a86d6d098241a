"""Writes the search index: shards of postings by word hash, facet files, result titles in chunks.

Layout under the index folder (all JSON, every string escaped by the JSON encoder, nothing executed):
  meta.json          counts, shard count, stopwords, year -> document id range, facet values
  s/<n>.json         {"word": [df, id, weight, id, weight, ...]}; word pairs "a b" for phrases
  f/<facet>-<h>.json the ids of one facet value (delta list, or a base64 bitset from id "o" when
                     denser); <h> is the FNV-1a hash of the value in hex (search.js makes the same)
  f/all.json         the ids of every article (for a query of filters only: ids have gaps)
  d/<n>.json         [[title, url, date, source, summary, kind] or null, ...]: ids n*CHUNK onwards
Document ids are stable (ids.py): articles in time order with gaps, dated from 0 up, undated
below 0, tag and place pages below `first_article`, so "newest first" is "highest id first" and a
year is a range of ids: neither needs a file. Adding an article changes the files of its words,
its title chunk, its facet values and meta.json, not the others.
Each word keeps its CAP best postings (BM25 weight): a query downloads bounded lists whatever the
archive's size, and the articles that use a word most still come first."""
from __future__ import annotations

import base64
import hashlib
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import sitewrite
from ..atomicfile import holds, write_bytes
from . import rowtable, shardfiles
from .ids import allocate
from .termcache import key_of, splitter
from .tokens import shard_of, shards_of, stopwords

CHUNK = 16  # ids per result-title file: with the free ids (ids.py), about 7 titles
SHARD_BYTES = 6000  # target size of a shard file
SUMMARY_CHARS = 120


@dataclass
class Doc:
    """One searchable page. `fields` are (text, weight): title 3, summary/tags/places 2, body 1."""

    kind: str  # "a" article, "t" tag page, "p" place page
    title: str
    url: str
    date: str = ""
    source: str = ""
    summary: str = ""
    fields: list[tuple[str, int]] = field(default_factory=list)
    # A digest that stands for the last field (an article's body: its page file's digest), so
    # that `build` can tell an unchanged index without the body read (`load` gives it then).
    last_key: str | None = None


def _ids_file(ids: list[int]) -> dict:
    """The smaller of a delta list and a base64 bitset from the first id (a tag on half the
    archive: 1 bit per id between its first and last). In numpy: the 210 facet files of a
    10,000-article index, id by id in Python, were 0.04 CPU-s of every rebuild."""
    a = np.unique(np.asarray(ids, dtype=np.int64))
    deltas = np.diff(a, prepend=0).tolist()
    as_list = {"d": deltas}
    if not len(a):
        return as_list
    lo, span = int(a[0]), int(a[-1] - a[0]) + 1
    if len(json.dumps(deltas, separators=(",", ":"))) < (span + 7) // 8 * 4 // 3 + 16:
        return as_list
    bits = np.zeros(span, dtype=bool)
    bits[a - lo] = True
    return {"o": lo, "b": base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")}


def facet_file(value: str) -> str:
    """A facet value's file name part: stable whatever other values come and go (search.js: fileOf)."""
    return format(shard_of(value, 2**32), "x")


def _dump(path: Path, value, written: dict[str, int] | None = None) -> int:
    """Write one index file (`_put`), its value JSON-encoded."""
    return _put(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), written)


def _put(path: Path, data: bytes, written: dict[str, int] | None = None) -> int:
    """Write one index file, unless it already holds these bytes: then it is left alone, modification
    time too (the plugin confirms the index's files to sitewrite.py, and a server revalidating by
    date keeps it cached). `written`: path (as a string: 5,700 Paths hashed, compared and sorted
    were 0.05 CPU-s of a rebuild) -> size."""
    if written is not None:
        written[str(path)] = len(data)
    if not holds(path, data):
        _replace(path, data)
    return len(data)


def _replace(path: Path, data: bytes) -> None:
    """Write over the file in place, or create it (0644), as `archive build` writes pages
    (sitewrite.put). Not renamed over: on ext4 a file renamed over another is flushed to disk at the
    rename (its `auto_da_alloc` safeguard), about 0.6 ms a file on this machine's disk and the
    most of the index process's wall time after adding 10 articles to 10,000 (2,089 files rewritten;
    0.26 CPU-s against 0.02 for 2,000 files, and 1.2 s against 0.04 s wall). A build stopped midway
    has removed the index's state file first (`build`), so the next build compares every file's
    bytes again and rewrites any it left half written."""
    sitewrite.put(path, data, 0o644)


def _files(folder: str | Path) -> list[str]:
    """Every file under folder, from the directory entries (no stat of each: there are thousands)."""
    out: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            out += _files(e.path)
        elif e.is_file(follow_symlinks=False):
            out.append(e.path)
    return out


def _digest(docs: list[Doc], keys: list[bytes], facets: dict[str, dict[str, list[int]]], facet_limit: int,
            salt: str) -> str:
    """Everything the index files are made from (`salt`: the code and configuration that make them);
    a document's fields by their key (termcache.key_of), hashed once for this and the rows."""
    h = hashlib.sha256(f"{salt}\0{facet_limit}\0{len(docs)}".encode())
    h.update("\x1d".join(["\x1f".join([d.kind, d.title, d.url, d.date, d.source, d.summary]) for d in docs])
             .encode("utf-8", "surrogatepass"))
    h.update(b"".join(keys))
    h.update(json.dumps(facets, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _saved(state: Path | None) -> dict:
    """The last build's state file (read once: `_reuse` and `_last_shards` both look at it)."""
    if state is None:
        return {}
    try:
        saved = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def _reuse(saved: dict, digest: str, out_dir: Path) -> dict | None:
    """The last build's index when it was made from the same documents and its files are all
    there at their sizes: none is rewritten (or touched)."""
    try:
        if saved.get("digest") != digest:
            return None
        files = {os.path.join(out_dir, rel.replace("/", os.sep)): size for rel, size in saved["files"].items()}
        if any(os.stat(p).st_size != size for p, size in files.items()):
            return None
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None
    for stale in [p for p in _files(out_dir) if p not in files]:
        os.unlink(stale)
    return saved["sizes"]


def _last_shards(saved: dict, shards: int) -> dict[str, list]:
    """The last build's shard digests (shardfiles.py), when it split the index as this one does."""
    try:
        last = saved["shard_files"]
        return last["kept"] if last["shards"] == shards else {}
    except (KeyError, TypeError):
        return {}


def build(docs: list[Doc], facets: dict[str, dict[str, list[int]]], out_dir: Path,
          facet_limit: int = 400, state: Path | None = None, salt: str = "", load=None,
          extra: dict[str, object] | None = None) -> dict:
    """Write the whole index into out_dir (unchanged files kept, stale ones removed).
    `facets` maps a facet (tag, country, place, source) to value -> documents (places in `docs`).
    Returns sizes. With `state` (a file in the build cache), an index made from the same documents
    is not made again: the postings were 12 of 57 profiled seconds of a 10,000-article rebuild (issue 12).
    `load(docs)`, when given, completes those documents' last field (which their `last_key` stands
    for): called only when the index is made again, and only for documents whose words are not
    kept (reading 10,000 article bodies for nothing, otherwise). `extra`: file name -> value, more
    JSON files beside meta.json (aliases.json: search.js fetches it with meta.json)."""
    extra = extra or {}
    if extra:
        salt += json.dumps(extra, sort_keys=True)  # an index with other extra files is another index
    keys = [key_of(d.fields, d.last_key) for d in docs]
    digest = _digest(docs, keys, facets, facet_limit, salt) if state is not None else ""
    saved = _saved(state)
    if state is not None and (sizes := _reuse(saved, digest, out_dir)) is not None:
        return sizes
    layout = allocate([d.kind for d in docs], [d.date for d in docs], [d.url for d in docs])
    order = sorted(range(len(docs)), key=layout.ids.__getitem__)
    ids = [layout.ids[i] for i in order]
    docs = [docs[i] for i in order]
    keys = [keys[i] for i in order]
    # The postings' rows are kept beside `state`: a rebuild splits into words and adds the rows of
    # new and changed documents only, reading their last field (`load`) then (rowtable.py).
    words_of = splitter([d.fields for d in docs], [d.last_key for d in docs],
                        (lambda at: load([docs[i] for i in at])) if load is not None else None)
    rows = None
    if state is not None:
        rows = state.with_name(state.stem + "-rows.pickle")
        state.with_name(state.stem + "-terms.pickle").unlink(missing_ok=True)  # the words an older version kept
    made = rowtable.made([k + d.url.encode("utf-8", "surrogatepass") for k, d in zip(keys, docs)],
                         words_of, rows, salt, ids)
    names, enc, bounds = made.names, made.enc, made.bounds
    total = sum(map(len, names)) + 4 * len(names) + 4 * len(enc)  # each term's len(term) + 4 + 4 * len(list)
    shards = 1
    while shards * SHARD_BYTES < total:
        shards *= 2
    grouped: dict[int, list[int]] = defaultdict(list)  # shard -> its terms (indexes into names), sorted
    where = shards_of(names, shards).tolist()
    for t in sorted(range(len(names)), key=names.__getitem__):
        grouped[where[t]].append(t)
    last = _last_shards(saved, shards)
    if state is not None:
        state.unlink(missing_ok=True)  # files change from here: a build stopped midway leaves no state

    # Updated in place, file by file: with stable ids most files are the same bytes after a small
    # change, and only the changed ones are written.
    written: dict[str, int] = {}
    for sub in ("s", "f", "d"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    sizes = {"shards": shards, "shard_bytes": 0, "facet_bytes": 0, "doc_bytes": 0}
    kept: dict[str, list] = {}
    # A shard file keeps the entries of the terms whose postings did not change, when the last build
    # wrote it from the rows they are counted from (shardfiles.py).
    dirty = made.dirty if made.since is not None and saved.get("rows") == made.since else None
    sizes["shard_bytes"] = shardfiles.write(out_dir / "s", grouped, names, enc, bounds, salt, shards, last, kept,
                                            written, _put, dirty)
    chunks: dict[int, list] = defaultdict(lambda: [None] * CHUNK)
    for i, d in zip(ids, docs):
        chunks[i // CHUNK][i % CHUNK] = [d.title, d.url, d.date, d.source, d.summary[:SUMMARY_CHARS], d.kind]
    for n, rows in chunks.items():
        while rows[-1] is None:
            rows.pop()
        sizes["doc_bytes"] += _dump(out_dir / "d" / f"{n}.json", rows, written)
    position = {old: new for new, old in enumerate(order)}
    facet_meta: dict[str, list] = {}
    for name, values in facets.items():
        ranked = sorted(values.items(), key=lambda kv: (-len(set(kv[1])), kv[0].casefold()))[:facet_limit]
        listed, used = [], set()
        for value, members in sorted(ranked, key=lambda kv: kv[0].casefold()):
            stem, entry = facet_file(value), [value, len(set(members))]
            if stem in used:  # two values with one hash: the second names its file in meta.json
                stem += "-" + format(len(listed), "x")
                entry.append(stem)
            used.add(stem)
            sizes["facet_bytes"] += _dump(out_dir / "f" / f"{name}-{stem}.json",
                                          _ids_file([ids[position[m]] for m in members]), written)
            listed.append(entry)
        facet_meta[name] = listed
    articles = [i for i, d in zip(ids, docs) if d.kind == "a"]
    sizes["facet_bytes"] += _dump(out_dir / "f" / "all.json", _ids_file(articles), written)
    years: dict[str, list[int]] = {}
    for i, d in zip(ids, docs):
        if d.kind == "a" and d.date:
            lo_hi = years.setdefault(d.date[:4], [i, i])
            lo_hi[1] = i
    meta = {"version": 2, "docs": len(docs), "articles": len(articles), "first_article": layout.first_article,
            "shards": shards, "chunk": CHUNK, "stopwords": sorted(stopwords()), "years": years,
            "facets": facet_meta}
    meta_path = out_dir / "meta.json"
    for name, value in extra.items():
        _dump(out_dir / name, value, written)
    for stale in [p for p in _files(out_dir) if p not in written and p != str(meta_path)]:
        os.unlink(stale)  # shards of an earlier, larger split; facets that left the top list
    sizes["meta_bytes"] = _dump(meta_path, meta, written)  # last: it names the files above
    if state is not None:
        prefix = len(str(out_dir)) + 1
        files = {p[prefix:].replace(os.sep, "/"): size for p, size in sorted(written.items())}
        write_bytes(state, json.dumps({"digest": digest, "files": files, "sizes": sizes, "rows": made.key,
                                       "shard_files": {"shards": shards, "kept": kept}}).encode("utf-8"))
    return sizes
