"""The page file format: YAML front matter (the single source of truth) and a Markdown body.

Reading (C loader when available, split as python-frontmatter splits), writing (safe YAML, no
aliases, empty values left out) and atomic replacement; kept apart from PageStore's merge rules.
"""
from __future__ import annotations

import io
import itertools
import os
import re
import stat
from datetime import date
from pathlib import Path
from typing import Iterator

import yaml

from ..atomicfile import _UMASK, TMP_PREFIX
from ..textutil import YAML_LOADER, refuse_aliases  # noqa: F401 (pagefiles reads it from here)
from . import pageyaml
from .fastyaml import FastEmitter, Unsure, float_text, implicit_tag

_LOADER = YAML_LOADER
# The same boundary python-frontmatter uses, so pages stay readable by it (and by MkDocs).
_FM_BOUNDARY = re.compile(r"^-{3,}\s*$", re.MULTILINE)


def atomic_write(path: Path, text: str, *, sync: bool = True) -> None:
    """Write to a temporary file beside the target (fsync'd unless the caller syncs a whole batch
    later, as PageStore does), then rename: never a half-written page.

    atomicfile.write_bytes' steps, for the one file per article an ingest writes: the temporary
    file is named by this process and a counter (created with O_EXCL and O_NOFOLLOW, so it never
    opens an existing file or a planted link: another name is tried), not by mkstemp's random
    draws, and the folder is made only when the file cannot be created in it (mkstemp and a mkdir
    per page were about half the Python time of a page's write). Same mode as write_bytes gives:
    the replaced file's, else what the umask leaves of 0666."""
    data = text.encode("utf-8")
    name = os.fspath(path)
    folder = os.path.dirname(name)
    try:
        mode = stat.S_IMODE(os.stat(name).st_mode)
    except OSError:
        mode = 0o666 & ~_UMASK
    fd, tmp = _create_temp(folder)
    try:
        try:
            os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_TEMPS = itertools.count()


def _create_temp(folder: str) -> tuple[int, str]:
    """A new, empty, private temporary file in `folder` (made when missing): (descriptor, name)."""
    for attempt in range(10_000):
        tmp = os.path.join(folder, f"{TMP_PREFIX}{os.getpid()}-{next(_TEMPS)}.tmp")
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o600), tmp
        except FileExistsError:
            continue  # a stray temp file of an earlier run with this process id: the next number
        except FileNotFoundError:
            if attempt:
                raise
            os.makedirs(folder or ".", exist_ok=True)
    raise FileExistsError(f"no free temporary file name in {folder}")


def write_if_changed(path: Path, text: str) -> bool:
    """Atomically write `text` unless the file already holds exactly it (so mtimes stay put)."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write(path, text)
    return True


def dump_page(meta: dict, body: str) -> str:
    """Front matter (safe YAML, no tags, no aliases) and body; empty values are left out."""
    meta = {k: v for k, v in meta.items() if v not in (None, [], "")}
    fm = _dump_yaml(meta).strip() if meta else ""
    return f"---\n{fm}\n---\n\n{body}".strip() + "\n"


_OPTIONS = {"default_flow_style": False, "allow_unicode": True, "sort_keys": False, "width": 1000}


def _dump_yaml(meta: dict) -> str:
    """yaml.dump(meta, **_OPTIONS), with the nodes built here for the plain types a page holds.

    PyYAML's representer (pure Python, even with the C emitter) walks every value through generic
    dispatch, alias bookkeeping and style decisions: it was most of the cost of writing a page. The
    nodes made here are the ones it makes (tests/test_writer.py compares the output byte for byte);
    any other type falls back to yaml.dump itself. Before that, the plain shapes are written as text
    by fastyaml (0.19 -> 0.03 ms a page), which gives up (Unsure) on anything it is not sure of."""
    if not _NoAliasDumper.yaml_path_resolvers:
        try:
            return FastEmitter(_NoAliasDumper.yaml_implicit_resolvers, _IMPLICIT, _TEXTS, _KEYS).dump(meta)
        except Unsure:
            pass
    try:
        node = _node(meta)
    except _Unplain:
        return yaml.dump(meta, Dumper=_NoAliasDumper, **_OPTIONS)
    stream = io.StringIO()
    dumper = _NoAliasDumper(stream, **_OPTIONS)
    try:
        dumper.open()
        dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


class _Unplain(Exception):
    pass


_TAG = "tag:yaml.org,2002:"


def _node(value) -> yaml.Node:
    """The node SafeRepresenter makes for `value` (block style, no aliases), or _Unplain."""
    kind = type(value)
    if kind is str:
        return yaml.ScalarNode(_TAG + "str", value)
    if kind is dict:
        return yaml.MappingNode(_TAG + "map", [(_node(k), _node(v)) for k, v in value.items()], flow_style=False)
    if kind is list:
        return yaml.SequenceNode(_TAG + "seq", [_node(v) for v in value], flow_style=False)
    if kind is bool:
        return yaml.ScalarNode(_TAG + "bool", "true" if value else "false")
    if kind is int:
        return yaml.ScalarNode(_TAG + "int", str(value))
    if kind is float:
        return yaml.ScalarNode(_TAG + "float", float_text(value))
    if kind is date:
        return yaml.ScalarNode(_TAG + "timestamp", value.isoformat())
    if value is None:
        return yaml.ScalarNode(_TAG + "null", "null")
    raise _Unplain(kind.__name__)


# Implicit tags of the scalars pages repeat (field names, tags, place names, countries): the emitter
# asks the resolver twice per scalar, and its regular expressions (pure Python) were a quarter of
# writing a page. Long values (titles, summaries) are rarely repeated and are not kept.
_IMPLICIT: dict[str, str] = {}
_TEXTS: dict[str, str] = {}  # fastyaml's written form of short strings
_KEYS: dict[str, str] = {}  # and of keys


class _NoAliasDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Never writes `&anchor` / `*alias` (a shared list would otherwise come out as an alias)."""

    def ignore_aliases(self, data) -> bool:
        return True

    def resolve(self, kind, value, implicit):
        """BaseResolver.resolve, with a scalar's implicit tag remembered by value (it depends on the
        value alone: the safe resolvers' table is fixed and no path resolvers are registered)."""
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        return implicit_tag(value, self.yaml_implicit_resolvers, _IMPLICIT)


def split_page(text: str) -> tuple[str | None, str]:
    """(front matter YAML text, None when the page has none; body), split as python-frontmatter does.

    Raises ValueError when the front matter is not closed."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").strip()
    if not text.startswith("---"):
        return None, text
    parts = _FM_BOUNDARY.split(text, 2)
    if len(parts) < 3:
        raise ValueError("front matter is not closed by a '---' line")
    return parts[1], parts[2].strip()


def parse_page(text: str) -> tuple[dict, str]:
    """(front matter, body) like python-frontmatter, with the C YAML loader when available; the
    writer's plain layout is read by pageyaml.py, to the same values (YAML's Python constructors
    were most of a clean build's reading).

    Raises ValueError (or yaml.YAMLError) when the front matter is broken."""
    front, body = split_page(text)
    if front is None:
        return {}, body
    try:
        meta = pageyaml.load(front)
    except pageyaml.Unsure:
        refuse_aliases(front)
        meta = yaml.load(front, Loader=_LOADER)
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            raise ValueError("front matter is not a mapping") from None  # not pageyaml's Unsure
    if isinstance(meta.get("id"), int) and not isinstance(meta["id"], bool) and (m := _NUMBER_ID.search(front)):
        meta["id"] = m.group(1)  # the digits typed (_NUMBER_ID)
    return meta, body


# An id typed without quotes that YAML reads as a number: `id: 0000000000000000` is the octal 0 and
# `id: 0123456701234567` another number, so the page lost its id (its article's own text became a
# "near-duplicate of 0" there) or changed it. An id is text: the digits as typed.
_NUMBER_ID = re.compile(r"^id:[ \t]*([0-9_]+)[ \t]*(?:#.*)?$", re.MULTILINE)


def read_page(path: Path) -> tuple[dict, str]:
    meta, body = parse_page(Path(path).read_text(encoding="utf-8"))
    meta = dict(meta)
    if isinstance(meta.get("date"), str):
        try:
            meta["date"] = date.fromisoformat(meta["date"][:10])
        except ValueError:
            pass
    return meta, body


def id_list(value) -> list[str]:
    """A page's `duplicate_ids` as the writer uses it, whatever an editor typed: a list as it is, one
    id (`duplicate_ids: 1a09…`, not a list) as a list of it, anything else (a number, a mapping) as
    no ids. `duplicate_ids: 5` was a traceback that stopped the ingest."""
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int)) and not isinstance(v, bool)]
    return [value] if isinstance(value, str) and value.strip() else []


def entry_list(value) -> list:
    """A page's `sources` as the writer uses it: the mappings of a list; anything else is none
    (`sources: 5` rejected the page's input with "TypeError: 'int' object is not iterable")."""
    return [s for s in value if isinstance(s, dict)] if isinstance(value, list) else []


def quick_ids(text: str) -> dict | None:
    """{'id': ..., 'duplicate_ids': [...]} read from the front matter without parsing all of it,
    or None when the page is not in the plain shape the writer produces (then parse it fully).

    Each pattern is tried only where a line starts with its literal beginning (found with str.find):
    the same matches as searching the whole text with the multi-line patterns, which try every
    position (22 -> 4 us a page; a re-ingest after a first one reads every page it wrote)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None
    end = _first(_FM_BOUNDARY, text, "---", 4)
    if end is None:
        return None
    fm = text[4:end.start()]
    ids = [m.group(1) for m in _matches(_ID_LINE, fm, "id: ")]
    if len(ids) != 1:
        return None
    out: dict = {"id": ids[0]}
    m = _first(_DUP_BLOCK, fm, "duplicate_ids:")
    if m:
        try:
            value = yaml.load(m.group(0), Loader=_LOADER)
        except yaml.YAMLError:
            return None
        dups = value.get("duplicate_ids") if isinstance(value, dict) else None
        if not isinstance(dups, list):
            return None
        out["duplicate_ids"] = [str(d) for d in dups]
    elif _first(_DUP_WORD, fm, "duplicate_ids"):
        return None
    return out


def _line_starts(text: str, prefix: str, start: int = 0) -> Iterator[int]:
    """Where a line (at the start of `text` or after a newline, as a multi-line `^`) begins with
    `prefix`, from `start` on, in order."""
    if text.startswith(prefix, start) and (start == 0 or text[start - 1] == "\n"):
        yield start
    at = text.find("\n" + prefix, start)
    while at >= 0:
        yield at + 1
        at = text.find("\n" + prefix, at + 1)


def _matches(pattern: re.Pattern, text: str, prefix: str, start: int = 0) -> Iterator[re.Match]:
    """pattern.finditer(text, start) for a multi-line pattern `^<prefix>...` whose matches are whole
    lines (so they never overlap)."""
    for at in _line_starts(text, prefix, start):
        m = pattern.match(text, at)
        if m:
            yield m


def _first(pattern: re.Pattern, text: str, prefix: str, start: int = 0) -> re.Match | None:
    """pattern.search(text, start) for a multi-line pattern `^<prefix>...`."""
    return next(_matches(pattern, text, prefix, start), None)


_ID_LINE = re.compile(r"^id: ([0-9a-f]{16})$", re.MULTILINE)
_DUP_WORD = re.compile(r"^duplicate_ids\b", re.MULTILINE)
_DUP_BLOCK = re.compile(r"^duplicate_ids:[ \t]*\n(?:[ \t]*- .*\n?)+", re.MULTILINE)


# A top-level key as block YAML writes it: at the start of a line, before ": " or the line's end.
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)", re.MULTILINE)


def repeated_keys(text: str) -> list[str]:
    """Top-level front-matter keys given twice (`tags:` added again at the end by hand): YAML keeps
    the last value and drops the first without a word. A regular expression finds candidates
    cheaply; YAML's own node tree confirms them (a key-like line inside a quoted value is not a key)."""
    end = text.find("\n---", 3)  # a first look at the front matter, without split_page's copies
    keys = _TOP_KEY.findall(text, 0, end if end > 0 else len(text))
    if len(keys) == len(set(keys)):
        return []
    try:
        front = split_page(text)[0]
    except ValueError:
        return []
    if not front:
        return []
    try:
        node = yaml.compose(front, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: set[str] = set()
    repeated: list[str] = []
    for key, _ in node.value:
        if key.value in seen and key.value not in repeated:
            repeated.append(key.value)
        seen.add(key.value)
    return repeated


_TITLE_LINE = re.compile(r"^title:[^\n]*(?:\n|$)", re.MULTILINE)


def page_title(text: str) -> str | None:
    """The title a page's front matter gives (an editor's fix included), or None when it gives no
    text: what `archive ingest --json` reports, since front matter is the truth. Read from the one
    `title:` line when that line holds the whole value (a re-ingest's unchanged pages are not
    parsed), else from the whole front matter."""
    end = text.find("\n---", 3)
    fm = text[:end if end > 0 else len(text)]
    lines = list(_matches(_TITLE_LINE, fm, "title:"))
    if len(lines) == 1 and not fm.startswith((" ", "\t"), lines[0].end()):  # no continuation line
        try:
            value = yaml.load(lines[0].group(0), Loader=_LOADER)
        except yaml.YAMLError:
            value = None
        if isinstance(value, dict) and isinstance(value.get("title"), str):
            return value["title"]
    try:
        title = parse_page(text)[0].get("title")
    except (yaml.YAMLError, ValueError):
        return None
    return title if isinstance(title, str) else None
