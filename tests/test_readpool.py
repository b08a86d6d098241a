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
