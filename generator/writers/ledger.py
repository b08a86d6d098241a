"""The ledger of generated values, in SQLite (`<content>/.archive/ledger.sqlite`).

Why SQLite: the ledger used to be one JSON file read and rewritten whole on every ingest (12 MB at
10,000 articles). Here a run reads only the records it needs (by id) plus the MinHash column for the
near-duplicate index, and writes only the records that changed, so its cost grows with what changed.

Crash safety (the invariant: a page the ledger records exists intact on disk):
* records are written inside a transaction; `commit()` first makes the pages written since the last
  commit durable with one `syncfs` of their file system (instead of one fsync per page, ~10 ms
  each), then commits. A run killed (or a machine losing power) before a commit loses at most the
  records of the pages written since: those pages are whole (atomic renames) and, having no record,
  are adopted on the next run when they hold exactly what the generator would write;
* `commit_after_sync()` does the same with the sync on another thread: the ingest process goes on
  writing pages (and feeding the reading workers) while the file system syncs, and the records of
  those later pages are held back in memory until the sync has returned and the batch's COMMIT is
  done, so no record is ever committed before the sync that covers its page;
* WAL journal mode with synchronous=NORMAL: a commit is atomic and survives a killed process; after
  a power loss the database is consistent (the last commits may be rolled back, which again only
  leaves pages without records).

A `ledger.json` (and its `ledger.journal.jsonl`) from earlier versions is migrated on first open and
then removed. A database SQLite cannot read is moved aside (`ledger.sqlite.unreadable`) and a new one
started: every page is then treated as it is when its record is missing (nothing an editor did is lost).
"""
from __future__ import annotations

import json
import json.scanner
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..atomicfile import write_bytes

FILE = "ledger.sqlite"
LEGACY_FILE = "ledger.json"
LEGACY_JOURNAL = "ledger.journal.jsonl"
# Commit (after one file-system sync) at least every this many recorded changes, so a killed run
# loses few records; a larger batch saves syncs, a smaller one re-adopts fewer pages after a crash.
BATCH = 64
# A batch synced on another thread is committed when that sync returns, so up to two batches are
# uncommitted at a time: half the size keeps what a killed run can lose at BATCH records.
SYNC_BATCH = BATCH // 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    minhash TEXT,
    entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inputs (
    origin TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS page_minhash (
    id TEXT PRIMARY KEY,
    page TEXT NOT NULL,
    minhash TEXT
);
"""
# Written into the state folder: the ledger is this machine's state, never committed (a binary file
# git cannot merge, rewritten by every run); a clone without it rebuilds what it needs from the pages.
GITIGNORE = "# Local state of `archive ingest` (see content/editing.md): never committed.\nledger.sqlite*\nlock\n"


def upgrade(entry: dict) -> dict:
    """Ledger entries of the first version were {field: fingerprint}."""
    if not isinstance(entry, dict):
        raise TypeError("ledger entry is not a mapping")
    if "fields" in entry:
        if not isinstance(entry["fields"], dict):
            raise TypeError("ledger entry fields are not a mapping")
        return entry
    return {"fields": dict(entry), "key": None, "minhash": None}


def _entry_json(entry: dict) -> str:
    """The entry without its MinHash, which has a column of its own (read alone to build the index)."""
    return json.dumps({k: v for k, v in entry.items() if k != "minhash"}, sort_keys=True, separators=(",", ":"))


# json.loads without its Python layers (loads -> decode -> raw_decode, two whitespace matches): the C
# scanner directly. A re-ingest parses every input's and every page's record (20,000 at 10,000
# articles): about a third of that time. Anything the scanner does not take whole goes to json.loads.
_SCAN = json.scanner.make_scanner(json.JSONDecoder())


def loads(text: str):
    """json.loads(text), the same value or error."""
    try:
        value, end = _SCAN(text, 0)
        if end == len(text):
            return value
    except (StopIteration, ValueError, TypeError, RecursionError):
        pass
    return json.loads(text)


def _entry(minhash: str | None, text: str) -> dict:
    entry = loads(text)
    if not isinstance(entry, dict):
        raise TypeError("ledger entry is not a mapping")
    entry["minhash"] = minhash
    return upgrade(entry)


def _syncfs_function():
    """libc's syncfs, looked up at the first sync (ctypes is imported then: a run that writes no
    page never needs it, and importing it cost about 15 ms of a nothing-changed re-ingest)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        return libc.syncfs
    except (OSError, AttributeError):  # not Linux: a whole-system sync does the same, slower
        return None


_SYNCFS: object = False  # not looked up yet


def sync_filesystem(folder: Path) -> None:
    """Make every write on `folder`'s file system durable with one call (syncfs), rather than one
    fsync per file: the pages of a batch (data and renames) reach the disk together."""
    global _SYNCFS
    if _SYNCFS is False:
        _SYNCFS = _syncfs_function()
    if _SYNCFS is None:
        os.sync()
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        if _SYNCFS(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


class Ledger(Mapping):
    """Ledger records by article id, read from SQLite when first asked for and written on change.

    A mapping (id -> entry dict) for reading; `set` / `drop` change it inside the open transaction,
    `commit(sync_folder)` makes it durable after syncing the pages it describes."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = Path(state_dir)
        self.path = self.state_dir / FILE
        self._cache: dict[str, dict | None] = {}
        self._pending = 0
        self._conn: sqlite3.Connection | None = None
        self._in_transaction = False  # opened by the first change only: an idle ledger holds no lock
        self._inputs: dict[str, tuple[str, str]] | None = None  # origin -> (key, result JSON), once read
        self._raw: dict[str, tuple[str | None, str]] | None = None  # id -> (minhash, entry JSON), prefetched
        self._syncing: threading.Thread | None = None  # the sync the open transaction's COMMIT waits for
        self._sync_error: BaseException | None = None
        self._held: list[tuple[str, tuple]] = []  # changes made while syncing: executed after its COMMIT

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, state_dir: Path) -> "Ledger":
        ledger = cls(state_dir)
        if ledger.path.exists():
            ledger._reader()
        ledger._migrate_legacy()
        return ledger

    def _reader(self) -> sqlite3.Connection | None:
        """The connection, or None while there is no database yet (it is created by the first change,
        so a run that records nothing leaves no file)."""
        if self._syncing is not None:
            self._land()  # a read sees every change made, as without the background sync
        if self._conn is None and self.path.exists():
            try:
                self._connect()
            except sqlite3.DatabaseError:
                self._close_quietly()
                for suffix in ("", "-wal", "-shm"):
                    bad = self.path.with_name(FILE + suffix)
                    if bad.exists():
                        os.replace(bad, bad.with_name(FILE + ".unreadable" + suffix))
        return self._conn

    def _connect(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        ignore_locally(self.state_dir)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn = conn
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        conn.execute("SELECT count(*) FROM entries").fetchone()  # raises now if the file is not a database

    def _close_quietly(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def _migrate_legacy(self) -> None:
        """Fold an old ledger.json and its journal into the database (once), then remove them."""
        legacy = self.state_dir / LEGACY_FILE
        journal = self.state_dir / LEGACY_JOURNAL
        if not legacy.exists() and not journal.exists():
            return
        records: dict[str, dict | None] = {}
        if legacy.exists():
            try:
                raw = json.loads(legacy.read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                raw = {}  # e.g. merge-conflict markers: every page is then treated as editor-owned
            for k, v in (raw.items() if isinstance(raw, dict) else ()):
                try:
                    records[str(k)] = upgrade(v)
                except (TypeError, ValueError):
                    continue
        if journal.exists():
            for line in journal.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    record = json.loads(line)
                    records[str(record["id"])] = None if record["entry"] is None else upgrade(record["entry"])
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # the last line of a killed run may be cut short
        for aid, entry in records.items():
            if entry is None:
                self.drop(aid)
            else:
                self.set(aid, entry)
        self.commit(None)
        sync_filesystem(self.state_dir)  # the migrated records are durable before the JSON goes
        legacy.unlink(missing_ok=True)  # a crash before this line migrates again: same records
        journal.unlink(missing_ok=True)

    # -- reading -------------------------------------------------------------------------------

    def get(self, aid, default=None):
        aid = str(aid)
        if aid not in self._cache:
            if self._raw is not None:
                row = self._raw.pop(aid, None)
            else:
                db = self._reader()
                row = db and db.execute("SELECT minhash, entry FROM entries WHERE id = ?", (aid,)).fetchone()
            entry = None
            if row is not None:
                try:
                    entry = _entry(row[0], row[1])
                except (ValueError, TypeError):
                    entry = None  # an unreadable record counts as none
            self._cache[aid] = entry
        entry = self._cache[aid]
        return default if entry is None else entry

    def __getitem__(self, aid) -> dict:
        entry = self.get(aid)
        if entry is None:
            raise KeyError(aid)
        return entry

    def __contains__(self, aid) -> bool:
        return self.get(aid) is not None

    def __iter__(self) -> Iterator[str]:
        db = self._reader()
        return iter([row[0] for row in db.execute("SELECT id FROM entries ORDER BY id")] if db else [])

    def __len__(self) -> int:
        db = self._reader()
        return db.execute("SELECT count(*) FROM entries").fetchone()[0] if db else 0

    def prefetch(self) -> None:
        """Read every record in one query (kept as text, parsed when asked for): a re-ingest asks for
        nearly all of them, and one query per record cost more than reading them."""
        db = self._reader()
        rows = db.execute("SELECT id, minhash, entry FROM entries ORDER BY id").fetchall() if db else []
        self._raw = {aid: (minhash, entry) for aid, minhash, entry in rows if aid not in self._cache}

    def minhashes(self) -> Iterator[tuple[str, str]]:
        """(id, encoded MinHash) of every record that has one, in id order, without the rest."""
        if self._raw is not None:
            yield from sorted((aid, row[0]) for aid, row in self._raw.items() if row[0])
            return
        db = self._reader()
        if db is not None:
            yield from db.execute(
                "SELECT id, minhash FROM entries WHERE minhash IS NOT NULL AND minhash != '' ORDER BY id").fetchall()

    def minhashes_later(self):
        """A function giving `minhashes()` as they are now, computed only when it is called (a
        re-ingest that reads nothing never calls it: 10,000 rows not listed and sorted)."""
        if self._raw is None:
            rows = list(self.minhashes())
            return lambda: rows
        snapshot = list(self._raw.items())  # `get` takes rows out of _raw as it parses them
        return lambda: sorted((aid, row[0]) for aid, row in snapshot if row[0])

    def input_record(self, origin: str) -> tuple[str, list] | None:
        """(read-cache key, recorded result) of the input file last ingested under this name."""
        if self._inputs is not None:
            row = self._inputs.get(origin)
        else:
            db = self._reader()
            row = db and db.execute("SELECT key, result FROM inputs WHERE origin = ?", (origin,)).fetchone()
        if not row:
            return None
        try:
            result = loads(row[1])
        except ValueError:
            return None
        return (row[0], result) if isinstance(result, list) else None

    def input_keys(self) -> dict[str, str]:
        """origin -> read-cache key of every input recorded (a re-ingest checks each file against it).
        The records are read in the same query and kept for input_record: one query, not one per input."""
        db = self._reader()
        rows = db.execute("SELECT origin, key, result FROM inputs").fetchall() if db else []
        self._inputs = {origin: (key, result) for origin, key, result in rows}
        return {origin: key for origin, key, _ in rows}

    def page_minhashes(self) -> dict[str, tuple[str, str | None]]:
        """id -> (page hash, MinHash) computed from page bodies (pages without a ledger record)."""
        db = self._reader()
        return {aid: (page, mh) for aid, page, mh in db.execute("SELECT id, page, minhash FROM page_minhash")} if db else {}

    # -- writing -------------------------------------------------------------------------------

    def set_input(self, origin: str, key: str, result: list) -> None:
        """Remember what an input file (by name and read-cache key) gave, so an unchanged one is skipped."""
        text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
        self._execute("INSERT OR REPLACE INTO inputs (origin, key, result) VALUES (?, ?, ?)", (origin, key, text))
        if self._inputs is not None:
            self._inputs[origin] = (key, text)
        self._pending += 1

    def drop_input(self, origin: str) -> None:
        if self._conn is None and self._reader() is None:
            return  # no database yet: nothing to forget (and none created for it)
        self._execute("DELETE FROM inputs WHERE origin = ?", (origin,))
        if self._inputs is not None:
            self._inputs.pop(origin, None)

    def set_page_minhashes(self, rows: list[tuple[str, str, str | None]]) -> None:
        if self._syncing is not None:
            self._land()
        self._begin()
        self._db.executemany("INSERT OR REPLACE INTO page_minhash (id, page, minhash) VALUES (?, ?, ?)", rows)
        self._pending += 1

    def _begin(self) -> None:
        if not self._in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
            self._in_transaction = True

    def _commit_open(self) -> None:
        """COMMIT the open transaction, unless SQLite rolled it back itself: on a full disk it does,
        and the COMMIT after it was a traceback ("cannot commit - no transaction is active") that
        hid the real error. Its records are lost, not its pages: the next run reads those inputs
        again and finds their pages (the pages are the record that counts)."""
        if self._db.in_transaction:
            self._db.execute("COMMIT")
        self._in_transaction = False

    def _execute(self, sql: str, params: tuple) -> None:
        """One change: in the open transaction, or held back while that transaction waits for its sync."""
        if self._syncing is not None:
            if self._syncing.is_alive():
                self._held.append((sql, params))
                return
            self._land()
        self._begin()
        self._db.execute(sql, params)

    def set(self, aid: str, entry: dict) -> None:
        self._cache[aid] = entry
        self._execute("INSERT OR REPLACE INTO entries (id, minhash, entry) VALUES (?, ?, ?)",
                      (aid, entry.get("minhash"), _entry_json(entry)))
        self._pending += 1

    def drop(self, aid: str) -> None:
        self._cache[aid] = None
        self._execute("DELETE FROM entries WHERE id = ?", (aid,))
        self._pending += 1

    @property
    def pending(self) -> int:
        """Changes recorded since the last commit."""
        return self._pending

    def commit(self, sync_folder: Path | None) -> None:
        """Sync the pages (the file system holding `sync_folder`), then commit the recorded changes."""
        if self._syncing is not None:
            self._land()
        if self._in_transaction:
            if self._pending and sync_folder is not None and Path(sync_folder).exists():
                sync_filesystem(Path(sync_folder))
            self._commit_open()
            self._pending = 0

    def commit_after_sync(self, sync_folder: Path) -> None:
        """Commit the recorded changes once the file system holding `sync_folder` is synced, the sync
        running on another thread: changes made meanwhile are held back until the COMMIT is done
        (`_land`, at the next change after the sync returned, or the next commit or read)."""
        if self._syncing is not None:
            self._land()  # the batch before: its sync returned (or is waited for) and it is committed
        if not self._in_transaction:
            return
        if not self._pending:
            self.commit(None)
            return

        def sync() -> None:
            try:
                sync_filesystem(Path(sync_folder))
            except BaseException as exc:  # noqa: BLE001 - raised again in the ingest's thread
                self._sync_error = exc

        self._syncing = threading.Thread(target=sync, name="ledger-sync", daemon=True)
        self._syncing.start()
        self._pending = 0  # the next batch counts from here

    def _land(self) -> None:
        """Wait for the background sync, COMMIT the batch it covered, then apply the changes held back."""
        thread, self._syncing = self._syncing, None
        thread.join()
        error, self._sync_error = self._sync_error, None
        if error is not None:
            self._held.clear()
            raise error
        self._commit_open()
        held, self._held = self._held, []
        if held:
            self._begin()
            for sql, params in held:
                self._db.execute(sql, params)

    def close(self, sync_folder: Path | None) -> None:
        """Commit, then close (the WAL is checkpointed into the database file and removed)."""
        if self._conn is None:
            return
        self.commit(sync_folder)
        self._conn.close()
        self._conn = None

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._connect()  # the first change creates the database (or reopens it after close)
        return self._conn


def ignore_locally(state_dir: Path) -> None:
    """A `.gitignore` in the state folder, so `git add content` (the update workflow) never commits the
    ledger, even in an archive that keeps `content/.archive/` in Git for its rejects report."""
    path = Path(state_dir) / ".gitignore"
    try:
        if path.read_text(encoding="utf-8") == GITIGNORE:
            return
    except OSError:
        pass
    try:
        write_bytes(path, GITIGNORE.encode("utf-8"))
    except OSError:
        pass  # a read-only state folder still ingests; the owner's .gitignore then decides


def read_ledger(content: Path) -> dict[str, dict]:
    """Every record of a content folder's ledger (for tools and tests), read without changing it."""
    path = Path(content) / ".archive" / FILE
    if not path.exists():
        return {}
    conn = sqlite3.connect(path)  # not mode=ro: a read-only connection would leave a -wal file behind
    try:
        return {aid: _entry(minhash, entry)
                for aid, minhash, entry in conn.execute("SELECT id, minhash, entry FROM entries ORDER BY id")}
    finally:
        conn.close()
