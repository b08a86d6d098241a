"""Article pages: front matter (the single source of truth) plus the body as escaped Markdown.

Editors' changes win. The ledger (`<content>/.archive/ledger.json`) remembers, per article id, the
values the generator last wrote. On re-ingest, a front-matter field whose value differs from the
ledger was changed by hand and is kept; a field still equal to the ledger takes the new value.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import frontmatter
import yaml

from ..model import Article, Place
from ..textutil import md_escape, md_heading, slugify

EDITABLE = ("title", "date", "summary", "source", "url", "author", "tags", "locations", "places", "body")


def render_body(article: Article) -> str:
    parts = []
    for block in article.blocks:
        parts.append(md_heading(block.text) if block.kind == "h2" else md_escape(block.text))
    return "\n\n".join(parts) + "\n"


def generated_fields(article: Article) -> dict:
    """What the generator has to say about an article, as front-matter values."""
    return {
        "title": article.title,
        "date": article.date,
        "summary": article.summary,
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "tags": list(article.tags),
        "locations": article.locations,
        "places": [p.to_dict() for p in article.places],
        "body": render_body(article),
    }


def _fingerprint(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def atomic_write(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, fsync, then rename: never a half-written page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def dump_page(meta: dict, body: str) -> str:
    post = frontmatter.Post(body, **{k: v for k, v in meta.items() if v not in (None, [], "")})
    return frontmatter.dumps(post, sort_keys=False, allow_unicode=True, width=1000) + "\n"


@dataclass
class WriteResult:
    outcome: str  # new / updated / unchanged / duplicate
    path: Path


@dataclass
class PageStore:
    """The article pages under `<content>/articles`, indexed by id, plus the ledger of generated values."""

    content: Path
    pages: dict[str, Path] = field(default_factory=dict)
    ledger: dict[str, dict[str, str]] = field(default_factory=dict)
    seen_this_run: set[str] = field(default_factory=set)

    @property
    def root(self) -> Path:
        return self.content / "articles"

    @property
    def ledger_path(self) -> Path:
        return self.content / ".archive" / "ledger.json"

    @classmethod
    def open(cls, content: Path) -> "PageStore":
        store = cls(content=content)
        for path in sorted(store.root.rglob("*.md")) if store.root.exists() else []:
            try:
                meta = frontmatter.load(path).metadata
            except (yaml.YAMLError, UnicodeDecodeError, ValueError):
                continue  # a page an editor broke is left alone; it is reported by the site build
            ids = [meta.get("id")] + list(meta.get("duplicate_ids") or [])
            for i in ids:
                if i:
                    store.pages.setdefault(str(i), path)
        if store.ledger_path.exists():
            store.ledger = json.loads(store.ledger_path.read_text(encoding="utf-8"))
        return store

    def save_ledger(self) -> None:
        atomic_write(self.ledger_path, json.dumps(self.ledger, indent=1, sort_keys=True) + "\n")

    def _new_path(self, article: Article) -> Path:
        folder = self.root / (f"{article.date:%Y/%m}" if article.date else "undated")
        slug = slugify(article.title)
        path = folder / f"{slug}.md"
        if path.exists() or path in self.pages.values():
            path = folder / f"{slug}-{article.id[:8]}.md"
        assert self.root.resolve() in path.resolve().parents  # slugs cannot climb out of content/
        return path

    def write(self, article: Article) -> WriteResult:
        aid = article.id
        duplicate = aid in self.seen_this_run
        self.seen_this_run.add(aid)
        generated = generated_fields(article)
        path = self.pages.get(aid)
        current: dict = {}
        current_body = None
        if path is not None and path.exists():
            post = frontmatter.load(path)
            current, current_body = dict(post.metadata), post.content.strip("\n") + "\n"
        else:
            path = self._new_path(article)
        previous = self.ledger.get(aid)
        merged: dict = {"id": current.get("id", aid)}
        for key in EDITABLE:
            have = current_body if key == "body" else current.get(key)
            if current and (previous is None or duplicate or _fingerprint(have) != previous.get(key)):
                # Changed by hand since we last wrote it (or no record of what we wrote, or a second
                # copy in this run): the page keeps its value.
                merged[key] = have
            else:
                merged[key] = generated[key]
        sources = _merge_sources(current.get("sources"), article)
        if len(sources) > 1:
            merged["sources"] = sources
        for key, value in current.items():  # fields we do not manage (added by editors) are kept
            merged.setdefault(key, value)
        body = merged.pop("body") or ""
        text = dump_page(merged, body)
        if not duplicate:
            self.ledger[aid] = {k: _fingerprint(generated[k]) for k in EDITABLE}
        self.pages[aid] = path
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            return WriteResult("duplicate" if duplicate else "unchanged", path)
        atomic_write(path, text)
        if duplicate:
            return WriteResult("duplicate", path)
        return WriteResult("new" if old is None else "updated", path)


def _merge_sources(existing, article: Article) -> list[dict]:
    sources = [dict(s) for s in existing or [] if isinstance(s, dict)]
    entry = {k: v for k, v in (("name", article.source), ("url", article.url)) if v}
    if entry and entry not in sources:
        sources.append(entry)
    return sources


def read_page(path: Path) -> tuple[dict, str]:
    post = frontmatter.load(path)
    meta = dict(post.metadata)
    if isinstance(meta.get("date"), str):
        try:
            meta["date"] = date.fromisoformat(meta["date"][:10])
        except ValueError:
            pass
    return meta, post.content


def places_from_meta(meta: dict) -> list[Place]:
    return [Place.from_dict(p) for p in meta.get("places") or [] if isinstance(p, dict) and p.get("name")]
