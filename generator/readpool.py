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

import gc
import multiprocessing
import os
import select
import signal
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Callable, Iterator


@dataclass
class Finished:
    """One task's outcome: what it yielded, and how it ended."""

    key: Any
    items: list = field(default_factory=list)
    error: BaseException | None = None  # what the work raised (a RejectedInput, a reader's crash...)
    status: str = "done"  # done / timeout / died
    detail: str = ""  # for died: how the worker ended
    args: tuple = field(default=(), repr=False)  # what the work was called with (to resend it)


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


def _serve(conn: Connection, parent: int, work: Callable[..., Iterator[Any]],
           setup: Callable[[], Any] | None = None) -> None:
    _worker_init(parent)
    if setup is not None:
        try:
            setup()
        except BaseException:  # noqa: BLE001 - the first task meets the same failure and reports it
            pass
        conn.send(("ready", None, None))  # the clock of the first task starts now
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
    def __init__(self, work: Callable[..., Iterator[Any]], setup: Callable[[], Any] | None = None) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, os.getpid(), work, setup), daemon=True)
        # Objects that exist now (the gazetteer, the vocabulary) are left out of the child's garbage
        # collections, whose passes would write to every one of them and so copy the memory pages it
        # shares with the parent; the parent collects them again at once.
        gc.freeze()
        try:
            self.proc.start()
        finally:
            gc.unfreeze()
        child.close()
        self.fd = self.conn.fileno()
        # One poll object for its pipe, kept: `Connection.poll` builds a selector for every look
        # (about 4 per result a worker sends, once per article in a first ingest).
        self.poller = select.poll()
        self.poller.register(self.fd, select.POLLIN)
        self.queue: deque[Finished] = deque()  # the task it is reading first, then those sent ahead
        self.deadline = float("inf")  # for the task at the head of the queue
        self.ready = setup is None  # a worker with a set-up starts no clock before it says "ready"

    def start(self, task: Finished, limit: float) -> None:
        self.queue.append(task)
        if len(self.queue) == 1 and self.ready:
            self.deadline = time.monotonic() + limit if limit else float("inf")
        self.conn.send((task.key, task.args))  # small (a path): never blocks on a full pipe

    def set_up(self, limit: float) -> None:
        """Its set-up is done: the clock of the task at the head of its queue starts now."""
        self.ready = True
        self.deadline = time.monotonic() + limit if self.queue and limit else float("inf")

    def next_task(self, limit: float) -> None:
        """The head task ended: the next one starts now (its clock with it)."""
        self.queue.popleft()
        self.deadline = time.monotonic() + limit if self.queue and limit else float("inf")

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
    """Up to `jobs` workers running `work(*args)` one task at a time each, `limit` seconds per task.

    Each worker gets up to `depth` tasks ahead, so it keeps reading while the ingest process writes
    pages; a task's clock starts when the one before it on the same worker ends. With `setup`, each
    worker runs it once after forking (loading what reading needs in the worker, in parallel with
    the ingest process) and no clock runs before it is done."""

    DEPTH = 4

    def __init__(self, work: Callable[..., Iterator[Any]], jobs: int, limit: float,
                 setup: Callable[[], Any] | None = None, depth: int = DEPTH) -> None:
        self.work = work
        self.jobs = max(1, jobs)
        self.limit = limit
        self.setup = setup
        self.depth = max(1, depth)
        self.workers: list[_Worker] = []
        # Every worker's pipe, registered once (multiprocessing.connection.wait made and filled a
        # selector for every poll and wait: one of each per result in a first ingest).
        self._poller = select.poll()
        self._by_fd: dict[int, _Worker] = {}

    def _add(self, worker: _Worker) -> _Worker:
        self.workers.append(worker)
        self._watch(worker)
        return worker

    def _watch(self, worker: _Worker) -> None:
        """Its pipe is looked at by `poll` and `wait` (from its first task on)."""
        if self._by_fd.get(worker.fd) is not worker:
            self._poller.register(worker.fd, select.POLLIN)
            self._by_fd[worker.fd] = worker

    def _unwatch(self, worker: _Worker) -> None:
        if self._by_fd.get(worker.fd) is worker:
            del self._by_fd[worker.fd]
            self._poller.unregister(worker.fd)

    def _remove(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        self._unwatch(worker)

    def _ready(self, timeout: float | None) -> list[_Worker]:
        """The busy workers whose pipe has something to read (or was closed), waiting up to `timeout`
        seconds (None: until one has)."""
        ms = None if timeout is None else max(0, int(timeout * 1000 + 0.999))
        while True:
            try:
                events = self._poller.poll(ms)
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for old interpreters
                continue
        ready = []
        for fd, _ in events:
            w = self._by_fd.get(fd)
            if w is None:
                continue
            if w.queue:
                ready.append(w)
            else:  # an idle worker's pipe (its "ready", or closed as it died): not waited on, as
                self._unwatch(w)  # before; left registered it would end every wait at once
        return ready

    def busy(self) -> int:
        return sum(len(w.queue) for w in self.workers)

    def has_room(self) -> bool:
        return len(self.workers) < self.jobs or any(len(w.queue) < self.depth for w in self.workers)

    def submit(self, key: Any, *args: Any) -> None:
        self._assign(Finished(key, args=args))

    def _assign(self, task: Finished) -> None:
        idle = [w for w in self.workers if not w.queue]
        if not idle and len(self.workers) < self.jobs:
            idle = [self._add(_Worker(self.work, self.setup))]
        worker = idle[0] if idle else min(self.workers, key=lambda w: len(w.queue))
        worker.start(task, self.limit)
        self._watch(worker)

    def start(self) -> None:
        """Fork a worker now (it runs its set-up while the caller goes on), before any task."""
        if len(self.workers) < self.jobs:
            self._add(_Worker(self.work, self.setup))

    def poll(self) -> list[Finished]:
        """The tasks that ended already, without waiting (their results do not pile up in the pipe)."""
        out: list[Finished] = []
        for w in self._ready(0):
            self._drain(w, out)
        return out

    def wait(self) -> list[Finished]:
        """Block until at least one task ends (done, past its deadline, or its worker died)."""
        out: list[Finished] = []
        while not out and self.busy():
            busy = [w for w in self.workers if w.queue]
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            for w in self._ready(None if timeout == float("inf") else timeout):
                if w in self.workers:
                    self._drain(w, out)
            now = time.monotonic()
            for w in [w for w in busy if w in self.workers and w.queue and w.deadline <= now]:
                w.queue[0].status = "timeout"
                self._lose(w, out, w.kill())
        return out

    def _drain(self, w: _Worker, out: list[Finished]) -> None:
        try:
            while w.queue and w.poller.poll(0):
                kind, _key, payload = w.conn.recv()
                if kind == "ready":
                    w.set_up(self.limit)
                elif kind == "item":
                    w.queue[0].items.append(payload)
                else:
                    w.queue[0].error = payload
                    out.append(w.queue[0])
                    w.next_task(self.limit)
        except (EOFError, OSError):  # the worker died (e.g. the OOM killer): its task is reported
            w.queue[0].status = "died"
            self._lose(w, out, w.kill())

    def _lose(self, w: _Worker, out: list[Finished], how: str) -> None:
        """A killed worker: its current task ends as marked, the ones sent ahead go to other workers."""
        task = w.queue.popleft()
        task.detail = how
        out.append(task)
        self._remove(w)
        ahead = list(w.queue)
        w.queue.clear()
        for t in ahead:
            self._assign(Finished(t.key, args=t.args))

    def close(self) -> None:
        for w in self.workers:
            if w.queue:
                w.kill()
            else:
                w.close()
            self._unwatch(w)
        self.workers = []
