"""Sidecar metadata: `<file>.meta.json`, `<file>.meta.yml` or `<file>.meta.yaml` next to an input
(also `<stem>.meta.json` etc., e.g. `story.meta.yml` for `story.txt`) supplies what a scraped page
dump cannot: `url`, `date`, `source`, and optionally `title`, `author`, `summary`.

A sidecar describes a single-article file: articles read from a feed or an export (origins such
as `feed.xml#entry-2`, `export.jsonl:7`) are left alone. The sidecar is what the person who saved
the file says about it, so its values win over what the
reader found; fields it leaves out keep the reader's values. A sidecar that cannot be parsed, is not
a mapping, or has a date that is not a date rejects the input with that reason (fix and re-ingest),
rather than silently dropping the metadata.

Sidecars are untrusted input: YAML anchors and aliases are refused (a 352-byte alias bomb expanded
into a 44 MB author), a sidecar is at most MAX_SIDECAR_BYTES, and each field is held to the limits
declared in generator/model.py (FIELD_LIMITS); each breach rejects the input with its reason.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import yaml

from ..enrich.dates import parse_date, plausible
from ..model import EARLIEST_DATE, FIELD_LIMITS, Article, RejectedInput
from ..textutil import clean_spaces, refuse_aliases

SUFFIXES = (".meta.json", ".meta.yml", ".meta.yaml")
FIELDS = ("url", "date", "source", "title", "author", "summary")
MAX_SIDECAR_BYTES = 64 * 1024  # six short fields: far more than any real sidecar needs


class _OnceLoader(yaml.SafeLoader):
    """Safe YAML that refuses a field typed twice (anchors and aliases are refused before it runs)."""

    def construct_mapping(self, node, deep=False):
        _once([str(key.value).lower() for key, _ in node.value])
        return super().construct_mapping(node, deep)


def _once(keys: list[str]) -> None:
    """Refuse a field typed twice (`source: A` ... `source: B`): YAML and JSON silently keep the
    last, so the sidecar said something its writer may not have meant, and no one was told."""
    seen = set()
    for key in keys:
        if key in seen:
            raise yaml.YAMLError(f"{key!r} is given twice")
        seen.add(key)


def _json_object(pairs: list) -> dict:
    _once([str(k).lower() for k, _ in pairs])
    return dict(pairs)


def find_sidecar(path: Path) -> Path | None:
    path = Path(path)
    names = [path.name + s for s in SUFFIXES]
    if path.suffix:
        names += [path.stem + s for s in SUFFIXES]
    for name in names:
        candidate = path.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def load_sidecar(sidecar: Path) -> dict:
    if sidecar.is_symlink() and sidecar.resolve().parent != sidecar.parent.resolve():
        # Like a linked input met in a folder: a link must not publish a file from elsewhere.
        raise RejectedInput(f"sidecar {sidecar.name} is a symbolic link to outside its folder")
    size = sidecar.stat().st_size
    if size > MAX_SIDECAR_BYTES:
        raise RejectedInput(f"sidecar {sidecar.name} is {size:,} bytes (limit {MAX_SIDECAR_BYTES:,})")
    data = sidecar.read_bytes()
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # was "could not be read: UnicodeDecodeError…", naming the input
        how = "saved as UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data else "not UTF-8"
        raise RejectedInput(f"sidecar {sidecar.name} is {how} (byte {exc.start}): save it as UTF-8") from None
    try:
        if sidecar.name.endswith(".json"):
            data = json.loads(raw, object_pairs_hook=_json_object)
        else:
            refuse_aliases(raw, "a sidecar")
            data = yaml.load(raw, Loader=_OnceLoader)
    except RecursionError:
        raise RejectedInput(f"sidecar {sidecar.name} is nested too deeply") from None
    except (ValueError, yaml.YAMLError) as exc:
        raise RejectedInput(f"sidecar {sidecar.name} is not valid {'JSON' if sidecar.name.endswith('.json') else 'YAML'}: "
                            f"{_one_line(exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RejectedInput(f"sidecar {sidecar.name} is not a mapping of fields")
    return {str(k).lower(): v for k, v in data.items()}


def _one_line(exc: Exception) -> str:
    """A YAML error's problem and its line (its first line was the context, "while parsing a block
    mapping", without the problem or the line), else the error's first line."""
    mark = getattr(exc, "problem_mark", None)
    if getattr(exc, "problem", None) and mark is not None:
        return f"{exc.problem} (line {mark.line + 1})"
    return str(exc).splitlines()[0]


def _as_date(value, sidecar: Path) -> date:
    """The sidecar's date. YAML reads `date: 0001-01-01` as a date of its own, which was taken as
    it is (every reader refuses such a day): a page dated year 1, or 9999, with no word said."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if not plausible(value):
            raise RejectedInput(f"sidecar {sidecar.name}: date {value.isoformat()} is not a plausible publication "
                                f"date (from {EARLIEST_DATE.isoformat()} to today)")
        return value
    d = parse_date(str(value)) if isinstance(value, (str, int)) else None
    if d is None:
        raise RejectedInput(f"sidecar {sidecar.name}: date {value!r} is not a calendar date")
    return d


def _is_record(article: Article, path: Path) -> bool:
    """Articles read from a multi-record file carry origins like 'feed.xml#entry-2' or 'export.jsonl:7'."""
    base = str(path)
    origin = article.origin or ""
    return origin != base and origin.startswith(base) and origin[len(base):len(base) + 1] in ("#", ":")


def apply_sidecar(article: Article, path: Path) -> Article:
    """Fill/override url, date, source, title, author, summary from the input's sidecar, if any."""
    if _is_record(article, Path(path)):
        return article  # one entry of a feed or export: the file's sidecar does not describe it
    sidecar = find_sidecar(Path(path))
    if sidecar is None:
        return article
    data = load_sidecar(sidecar)
    for field in FIELDS:
        value = data.get(field)
        if value in (None, ""):
            continue
        if field == "date":
            article.date = _as_date(value, sidecar)
            continue
        if isinstance(value, dict) and field in ("source", "author"):
            value = value.get("name")
        if isinstance(value, list) and field == "author":
            value = ", ".join(str(v) for v in value)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise RejectedInput(f"sidecar {sidecar.name}: {field} must be text")
        text = clean_spaces(str(value))
        if len(text) > FIELD_LIMITS[field]:
            raise RejectedInput(f"sidecar {sidecar.name}: {field} is {len(text):,} characters "
                                f"(limit {FIELD_LIMITS[field]:,})")
        if text:
            setattr(article, field, text)
    return article
