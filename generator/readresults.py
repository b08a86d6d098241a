"""What a read gives back (split from reading.py): a rejected record, an input known by its key, the
key a worker found (Prepared), and how a worker's task or a failure becomes a result with reasons."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .inputs import display_name
from .model import Article, RejectedInput

if TYPE_CHECKING:
    from .readpool import Finished


@dataclass(frozen=True)
class RecordRejected:
    """A record of a multi-record input that could not become an article."""

    origin: str
    reason: str


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RejectedInput):
        return _one_line(exc) or "rejected"
    if isinstance(exc, OSError):
        return f"unreadable: {exc.strerror or exc}"
    return f"could not be read: {type(exc).__name__}: {_one_line(exc)}".rstrip(": ")


@dataclass(frozen=True)
class Prepared:
    """What a worker found preparing a file the ingest process did not hash (`_read_all`): its
    read-cache key, and the stat and clock taken before reading it (for the input index). Sent
    ahead of the file's items."""

    key: str
    stat: os.stat_result
    read_ns: int


def _finish(origin: str, items: list, error: BaseException | str | None) -> list[Article | RecordRejected] | RejectedInput:
    """A read's result: its items, with the rest of the file reported when it failed part way
    (nothing is lost silently), or one RejectedInput when nothing was read."""
    if error is not None:
        reason = error if isinstance(error, str) else _reason(error)
        if not items:
            return RejectedInput(reason)
        items = items + [RecordRejected(f"{origin} (after record {len(items)})", f"rest of file unreadable: {reason}")]
    if not items:
        return RejectedInput("no article found")
    return items


def _ended(task: Finished, path: Path, limit: float) -> list | RejectedInput:
    origin = display_name(path)
    if task.status == "timeout":
        return _finish(origin, task.items, f"gave up after {limit:g} s reading it (pathological input)")
    if task.status == "died":
        return _finish(origin, task.items, f"the reading process died ({task.detail}) while reading it")
    return _finish(origin, task.items, task.error)


@dataclass(frozen=True)
class Known:
    """An input whose read-cache key is recorded in the ledger: `PageStore.replay` may settle it
    without reading it (only hashing it)."""

    key: str
