"""Pages rendered by forked workers (generator/mkdocs_plugin/parallel.py) give the serial build's
site, byte for byte (search index included); a page whose Markdown warns in a worker still warns in
the main process, fails a strict build and is not stored in the build cache; an incremental build
after a parallel one is still the clean build's site."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator.mkdocs_plugin import parallel

from .conftest import SAMPLES, run_archive
from .sample_site import build, make_project, tree

CACHE = Path(".cache/build/pages.sqlite")
BROKEN = "\n\nSee [the missing page](../../../no-such-page.md).\n"


def _options(project: Path, **options) -> Path:
    """The archive plugin with `options` (listing pages of one article: many pages from few articles)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines = "".join(f"      {k}: {str(v).lower() if isinstance(v, bool) else v}\n"
                    for k, v in {"page_size": 1, **options}.items())
    assert "\n  - archive\n" in text
    config.write_text(text.replace("\n  - archive\n", "\n  - archive:\n" + lines, 1), encoding="utf-8")
    return project


def _copy(source: Path, folder: Path, **options) -> Path:
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("site", ".cache"))
    return _options(folder, **options)


def _serial_site(project: Path, scratch: Path) -> dict[str, bytes]:
    """The same pages built from scratch with every page in MkDocs' loop."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(project, scratch, ignore=shutil.ignore_patterns("site", ".cache"))
    config = scratch / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("parallel_min_pages: 1\n", "parallel_render: false\n")
    config.write_text(text, encoding="utf-8")
    build(scratch, scratch / "site")
    return tree(scratch / "site")


def _same(got: dict[str, bytes], want: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []


@pytest.fixture
def main_renders_one_chunk(monkeypatch):
    """The main process renders its first chunk only (before the fork): the workers render the rest,
    so the test does not depend on which process is faster."""
    main, real = os.getpid(), parallel._Job.run

    def run(self, until_done=False, done=None):
        if until_done and os.getpid() == main:
            return 0
        return real(self, until_done, done)

    monkeypatch.setattr(parallel._Job, "run", run)
    monkeypatch.setattr(parallel, "CHUNK", 4)
    monkeypatch.setattr(parallel, "BATCH", 5)  # a worker's results come in several messages


def _in_process(project: Path):
    """A strict MkDocs build in this process (so the fixture above applies); the plugin after it."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True)
    mkdocs_build(config)
    return config.plugins["archive"]


def test_a_parallel_build_is_the_serial_build_byte_for_byte(tmp_path: Path, main_renders_one_chunk):
    source = make_project(tmp_path / "p")
    project = _copy(source, tmp_path / "par", parallel_min_pages=1, parallel_workers=2)
    plugin = _in_process(project)
    share = plugin.share
    assert share is not None and share.rendered_here == parallel.CHUNK and share.rendered_there > 20
    assert any(f.src_uri.startswith("articles/") for f in share.files)
    assert any(f.src_uri.startswith("tags/") for f in share.files)
    want = _serial_site(project, tmp_path / "serial")
    got = tree(project / "site")
    assert any(name.startswith("search-index/") for name in got)  # the search index is compared too
    _same(got, want)
    # The workers' pages were stored in the cache: a build after no change renders none of them.
    db = sqlite3.connect(project / CACHE)
    stored = {uri for (uri,) in db.execute("SELECT src_uri FROM pages")}
    db.close()
    assert {f.src_uri for f in share.files} <= stored
    again = _in_process(project)
    assert again.share is None  # nothing left to render
    _same(tree(project / "site"), want)
    # An article nav shows About's title (from its heading), not "None" (a page read earlier freed).
    article = next(name for name in got if name.startswith("articles/") and name.endswith("index.html"))
    assert "About this archive" in got[article].decode() and "\n    None\n" not in got[article].decode()


def test_a_warning_in_a_worker_fails_the_strict_build_and_nothing_is_cached(tmp_path: Path, caplog,
                                                                           main_renders_one_chunk):
    source = make_project(tmp_path / "p")
    project = _copy(source, tmp_path / "par", parallel_min_pages=1, parallel_workers=1)
    page = sorted((project / "content" / "articles").rglob("*.md"))[-1]  # the last page: a worker's
    page.write_text(page.read_text(encoding="utf-8") + BROKEN, encoding="utf-8")
    with pytest.raises(Abort, match="in strict mode"):
        _in_process(project)
    uri = page.relative_to(project / "content").as_posix()
    assert any(uri in r.getMessage() and "no-such-page.md" in r.getMessage() and r.levelname == "WARNING"
               for r in caplog.records)
    db = sqlite3.connect(project / CACHE)
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 0  # the failed build stored nothing
    db.close()
    # The real command fails too, and says why.
    done = run_archive("build", cwd=project)
    assert done.returncode != 0 and "no-such-page.md" in done.stderr


def test_an_incremental_build_after_a_parallel_one_is_the_clean_build(tmp_path: Path):
    source = make_project(tmp_path / "p")
    project = _copy(source, tmp_path / "par", parallel_min_pages=1)
    build(project, project / "site")
    extra = [str(p) for p in sorted(SAMPLES.glob("*.txt"))[6:9]]
    assert run_archive("ingest", *extra, "--quiet", cwd=project).returncode == 0
    page = sorted((project / "content" / "articles").rglob("*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nA line added by hand.\n", encoding="utf-8")
    build(project, project / "site")
    _same(tree(project / "site"), _serial_site(project, tmp_path / "serial"))


def test_few_uncached_pages_stay_in_mkdocs_loop(tmp_path: Path):
    source = make_project(tmp_path / "p")
    project = _copy(source, tmp_path / "few")  # the default threshold: more pages than this project has
    plugin = _in_process(project)
    assert plugin.share is None


DRIVER = """
import os, signal, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from generator.mkdocs_plugin import parallel

project, pids = Path(sys.argv[1]), Path(sys.argv[2])
main, real_run, real_work = os.getpid(), parallel._Job.run, parallel._Job.work

def run(self, until_done=False, done=None):
    if until_done and os.getpid() == main:
        os.kill(main, signal.SIGKILL)  # the main process dies once its workers are forked
    return real_run(self, until_done, done)

def work(self, *args):
    with open(pids, "a") as fh:
        fh.write(f"{os.getpid()}\\n")
    return real_work(self, *args)

parallel._Job.run, parallel._Job.work, parallel.CHUNK = run, work, 2
build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_worker_whose_main_process_is_killed_exits(tmp_path: Path):
    """SIGKILL of `archive build` while a worker renders: the worker's results cannot be delivered, and it
    exits instead of blocking for ever on its pipe (it held the pipe's read end itself: an orphan that
    never ended was found on the machine). Many small listing pages make its results larger than a pipe
    buffer, so the send blocks unless the pipe is broken."""
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    project = _copy(make_project(tmp_path / "p"), tmp_path / "killed", parallel_min_pages=1, parallel_workers=2)
    pids = tmp_path / "workers.txt"
    log = tmp_path / "driver.log"
    with open(log, "wb") as err:  # not a pipe: an orphaned worker would hold it open
        done = subprocess.run([sys.executable, "-c", DRIVER, str(project), str(pids)], cwd=project,
                              stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              timeout=300)
    assert done.returncode == -9, log.read_text(errors="replace")[-2000:]
    deadline = time.monotonic() + 120
    # The main process dies as soon as it has forked: on a loaded machine a worker may not yet have
    # written its pid when the test gets here.
    while len(pids.read_text().split() if pids.exists() else []) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = [int(line) for line in pids.read_text().split()]
    assert len(workers) == 2
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:
        os.kill(pid, 9)
    assert left == []
