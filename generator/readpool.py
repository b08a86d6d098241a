"""Worker processes that read files under a wall-clock limit that holds whatever the reader is doing.

A signal cannot interrupt C code (lxml's XPath ran for 680 s on a page past a 300 s SIGALRM), but a
process can always be killed. So each file is read in a forked worker; the ingest process waits for
its results with a deadline and kills the worker when the deadline passes, then forks a fresh one
for the next file. Workers stream what they read item by item, so a multi-record file cut short
keeps the records read before the limit.

Workers are forked after the vocabulary and the gazetteer are loaded (they share those memory
pages) and die with the ingest process (PR_SET_PDEATHSIG on Linux).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator


@dataclass
class Finished:
    """One task's outcome: what it yielded, and how it ended."""

    key: Any
    items: list = field(default_factory=list)
    error: BaseException | None = None  # what the work raised (a RejectedInput, a reader's crash...)
    status: str = "done"  # done / timeout / died
    detail: str = ""  # for died: how the worker ended


def _worker_init(parent: int) -> None:
    """Workers die with the ingest process: a SIGKILLed run leaves no orphans behind (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _serve(conn: Connection, parent: int, work: Callable[..., Iterator[Any]]) -> None:
    _worker_init(parent)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        key, args = task
        try:
            for item in work(*args):
                conn.send(("item", key, item))
            conn.send(("done", key, None))
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the parent
            try:
                conn.send(("done", key, exc))
            except Exception:  # an exception that cannot be pickled: send its text
                conn.send(("done", key, RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, work: Callable[..., Iterator[Any]]) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, os.getpid(), work), daemon=True)
        self.proc.start()
        child.close()
        self.task: Finished | None = None
        self.deadline = 0.0

    def start(self, key: Any, args: tuple, limit: float) -> None:
        self.task = Finished(key)
        self.deadline = time.monotonic() + limit if limit else float("inf")
        self.conn.send((key, args))

    def kill(self) -> str:
        self.proc.kill()
        self.proc.join()
        self.conn.close()
        code = self.proc.exitcode
        return f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"

    def close(self) -> None:
        try:
            self.conn.send(None)
            self.proc.join(timeout=5)
        except (OSError, ValueError):
            pass
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class ReadPool:
    """Up to `jobs` workers, each running `work(*args)` for one task at a time, `limit` seconds each."""

    def __init__(self, work: Callable[..., Iterator[Any]], jobs: int, limit: float) -> None:
        self.work = work
        self.jobs = max(1, jobs)
        self.limit = limit
        self.workers: list[_Worker] = []

    def busy(self) -> int:
        return sum(1 for w in self.workers if w.task is not None)

    def has_room(self) -> bool:
        return self.busy() < self.jobs

    def submit(self, key: Any, *args: Any) -> None:
        worker = next((w for w in self.workers if w.task is None), None)
        if worker is None:
            worker = _Worker(self.work)
            self.workers.append(worker)
        worker.start(key, args, self.limit)

    def wait(self) -> list[Finished]:
        """Block until at least one task ends (done, past its deadline, or its worker died)."""
        out: list[Finished] = []
        while not out and self.busy():
            busy = [w for w in self.workers if w.task is not None]
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout=None if timeout == float("inf") else timeout)
            for w in busy:
                if w.conn in ready:
                    self._drain(w, out)
            now = time.monotonic()
            for w in [w for w in busy if w.task is not None and w.deadline <= now]:
                task = w.task
                task.status = "timeout"
                w.kill()
                self.workers.remove(w)
                out.append(task)
        return out

    def _drain(self, w: _Worker, out: list[Finished]) -> None:
        try:
            while w.conn.poll():
                kind, _key, payload = w.conn.recv()
                if kind == "item":
                    w.task.items.append(payload)
                else:
                    w.task.error = payload
                    out.append(w.task)
                    w.task = None
                    return
        except (EOFError, OSError):  # the worker died (e.g. the OOM killer): its task is reported
            task = w.task
            task.status = "died"
            task.detail = w.kill()
            self.workers.remove(w)
            out.append(task)

    def close(self) -> None:
        for w in self.workers:
            if w.task is not None:
                w.kill()
            else:
                w.close()
        self.workers = []
