"""Page files read in forked processes (pagereads.py) give the records, digests and bodies the main
process gives when it reads them itself, in the same order, problems and stored records included;
and a clean build that reads its pages that way is the serial build's, byte for byte."""
from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path

import pytest

from generator.mkdocs_plugin import pagefiles, pagereads

from .sample_site import build, make_project, tree

PAGE = """---
id: {i:016x}
title: 'Report {i}: clashes {extra}'
date: 2019-03-{day:02d}
tags:
- Armed clashes
- Tag {t}
locations:
- Tripoli
- Typed By Hand {i}
places:
- name: Tripoli
  kind: city
  country: Libya
  region: Tripoli District
  lat: 32.8874
  lon: 13.1873
  geonameid: 2210247
---

Body of report {i}, *with* some Markdown.

Second paragraph.
"""

ODD = {
    "bad-yaml.md": "---\ntitle: [unclosed\ndate: 2020-01-01\n---\n\nBody.\n",
    "unclosed.md": "---\ntitle: no end\n\nBody without a closing line.\n",
    "no-front-matter.md": "Just a body.\n",
    "twice.md": "---\ntitle: one\ntitle: two\n---\n\nBody.\n",
    "bom-crlf.md": "\ufeff---\r\ntitle: 'BOM and CRLF'\r\ndate: 2021-05-02\r\n---\r\n\r\nBody.\r\n",
    "empty.md": "",
}


def _files(folder: Path, n: int) -> list:
    out = []
    for i in range(n):
        path = folder / f"a{i:04d}.md"
        path.write_text(PAGE.format(i=i, extra="é" * (i % 3), day=i % 28 + 1, t=i % 7), encoding="utf-8")
        out.append(path)
    for name, text in ODD.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="")
        out.insert(len(out) // 2, path)
    return [types.SimpleNamespace(src_uri=f"articles/{p.name}", abs_src_path=str(p)) for p in out]


def _plain(records: dict) -> list:
    """Each record as the plugin keeps it: without `meta` (the whole front matter, which it drops
    at once and a worker does not send)."""
    for r in records.values():
        r.meta = {}
    return [(uri, r, r.body, r.digest, r.problems, r.places) for uri, r in records.items()]


@pytest.mark.parametrize("workers", [1, 3])
def test_records_read_by_workers_are_the_main_process_s(tmp_path: Path, monkeypatch, workers: int):
    files = _files(tmp_path, 40)
    serial = pagefiles.read(None, files, pagefiles.Bodies())
    monkeypatch.setattr(pagefiles, "PARALLEL_MIN", 2)
    started = []
    real = pagereads.start
    monkeypatch.setattr(pagereads, "start", lambda todo, n: started.append(n) or real(todo, n))
    parallel = pagefiles.read(None, files, pagefiles.Bodies(), workers)
    assert started == [workers]
    assert list(parallel) == list(serial)
    assert _plain(parallel) == _plain(serial)
    # What the plugin derives from each record came made by the readers, as it makes it here.
    derived = [(uri, r.derived) for uri, r in parallel.items() if set(r.derived) - {"page_id"}]  # (the id: index.py)
    assert len(derived) >= len(files) // 3
    for uri, values in derived:
        assert set(values) - {"page_id"} == {"print", "view", "related_keys"}
        pagereads._derive(serial[uri])
        assert values == serial[uri].derived
    assert any(r.problems for r in serial.values()) and any(r.body is None for r in serial.values())


def test_a_failing_worker_s_files_are_read_here(tmp_path: Path, monkeypatch):
    files = _files(tmp_path, 20)
    serial = pagefiles.read(None, files, pagefiles.Bodies())
    monkeypatch.setattr(pagefiles, "PARALLEL_MIN", 2)
    real = pagereads._read

    def fail_in_worker(uri: str, path: str):
        if pagereads.multiprocessing.parent_process() is not None:
            raise RuntimeError("worker trouble")
        return real(uri, path)

    monkeypatch.setattr(pagereads, "_read", fail_in_worker)
    assert _plain(pagefiles.read(None, files, pagefiles.Bodies(), 1)) == _plain(serial)


# `archive build` with every page file read by a worker process once there are 2 to read
PARALLEL_READ_BUILD = """
import runpy
from generator.mkdocs_plugin import pagefiles, pagereads, parallel
pagefiles.PARALLEL_MIN = 2
parallel.cores = lambda: 2  # one worker, on any machine
real = pagereads.start
def start(todo, workers):
    print("read by workers:", len(todo) - -(-len(todo) // (workers + 1)))
    return real(todo, workers)
pagereads.start = start
runpy.run_module("generator", run_name="__main__", alter_sys=True)
"""


def test_a_clean_build_reading_in_workers_is_the_serial_build(tmp_path: Path):
    project = make_project(tmp_path / "p")
    build(project, project / "site-serial")
    serial = tree(project / "site-serial")
    shutil.rmtree(project / ".cache")
    command = [sys.executable, "-c", PARALLEL_READ_BUILD, "build", "--site", str(project / "site")]
    done = build(project, project / "site", command=command)
    assert "read by workers:" in done.stdout and "read by workers: 0" not in done.stdout
    assert tree(project / "site") == serial
    # The same files written again (new stamps, same digests: a fresh checkout or copy): read here,
    # their stored records taken unparsed; no worker parses pages the build cache holds.
    for page in (project / "content" / "articles").rglob("*.md"):
        page.write_bytes(page.read_bytes())
    done = build(project, project / "site", command=command)
    assert "read by workers:" not in done.stdout
    assert tree(project / "site") == serial
