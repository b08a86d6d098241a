"""The read pool's worker set-up (a daily update's worker loads the readers and the enrichment
context itself, after forking): no task's clock runs while it sets up, and finished tasks can be
collected without waiting."""
from __future__ import annotations

import time

from generator.readpool import ReadPool


def _echo(value):
    yield value


def _slow_setup():
    time.sleep(1.5)


def _failing_setup():
    raise RuntimeError("no gazetteer")


def test_a_workers_set_up_is_not_timed_against_its_first_task():
    pool = ReadPool(_echo, 1, 1.0, setup=_slow_setup, depth=4)
    try:
        pool.start()
        for i in range(3):
            pool.submit(i, f"value {i}")
        finished = []
        while len(finished) < 3:
            finished += pool.wait()
        assert sorted((t.key, t.status, t.items) for t in finished) == [
            (0, "done", ["value 0"]), (1, "done", ["value 1"]), (2, "done", ["value 2"])]
    finally:
        pool.close()


def test_a_failed_set_up_leaves_the_worker_serving():
    pool = ReadPool(_echo, 1, 30.0, setup=_failing_setup)
    try:
        pool.submit("a", "still read")
        (task,) = pool.wait()
        assert (task.status, task.items) == ("done", ["still read"])
    finally:
        pool.close()


def test_poll_collects_finished_tasks_without_waiting():
    pool = ReadPool(_echo, 1, 30.0, setup=lambda: None, depth=8)
    try:
        assert pool.poll() == []  # nothing sent: nothing to wait for
        for i in range(5):
            pool.submit(i, i)
        got: list = []
        deadline = time.monotonic() + 30
        while len(got) < 5 and time.monotonic() < deadline:
            got += pool.poll()
            time.sleep(0.01)
        assert sorted(t.items[0] for t in got) == [0, 1, 2, 3, 4]
        assert pool.busy() == 0
    finally:
        pool.close()


def _nap(value):
    time.sleep(value)
    yield value


class _CountingPoller:
    """The pool's poll object, counting its polls."""

    def __init__(self, real) -> None:
        self.real, self.polls = real, 0

    def register(self, fd, events):
        self.real.register(fd, events)

    def unregister(self, fd):
        self.real.unregister(fd)

    def poll(self, timeout=None):
        self.polls += 1
        return self.real.poll(timeout)


def test_an_idle_workers_closed_pipe_does_not_end_every_wait():
    """The pool's poll object keeps the workers' pipes registered between tasks: an idle worker whose
    pipe became readable (it died) must not end each wait at once, so `wait` would spin until the
    busy worker's task ends; it waits for the busy one, as waiting on the busy pipes alone did."""
    import os
    import signal

    pool = ReadPool(_nap, 2, 30.0)
    try:
        pool.submit("a", 0)
        pool.submit("b", 0)
        got: list = []
        while len(got) < 2:
            got += pool.wait()
        idle = pool.workers[1]
        os.kill(idle.proc.pid, signal.SIGKILL)
        idle.proc.join()
        pool.submit("slow", 1.0)  # to the first idle worker: the living one
        assert pool.workers[0].queue and not idle.queue
        pool._poller = counting = _CountingPoller(pool._poller)
        (task,) = pool.wait()
        assert (task.key, task.status, task.items) == ("slow", "done", [1.0])
        assert counting.polls <= 3  # the dead idle pipe seen once, then only the busy worker's
    finally:
        pool.close()
