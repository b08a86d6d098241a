"""Limits that hold: the read time limit in wall-clock time even inside C code, pathological HTML
rejected cheaply by its structure, and caches that another local user cannot plant code or data in."""
from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from generator import pipeline, readers, reading
from generator.pipeline import ingest, read_file

from .conftest import ROOT, run_archive
from .test_hostile_ingest import story


class QuadraticXPath:
    """A reader plugin (registered as real ones are) whose XPath costs O(n²) inside libxml2: about
    35 s for 50,000 paragraphs, during which no Python signal handler can run."""

    name = "quadratic-xpath"

    def sniff(self, head: str) -> bool:
        return head.startswith("SLOW-XPATH")

    def read(self, text: str, origin: str):
        import lxml.html

        tree = lxml.html.document_fromstring(text.split("\n", 2)[2])
        tree.xpath("count(//p[count(preceding::p) >= 0])")
        raise AssertionError("the XPath should have been cut short")
        yield  # pragma: no cover


def test_the_time_limit_cuts_a_reader_stuck_in_c_code(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "READERS", list(readers.READERS))
    readers.register(QuadraticXPath())
    monkeypatch.setattr(reading, "READ_TIMEOUT", 2.0)
    inbox = tmp_path / "in"
    inbox.mkdir()
    # No tag in the first 4 KB, so that the plugin, not the HTML reader, takes the file.
    (inbox / "a-slow.dat").write_text("SLOW-XPATH\n" + "x" * 5000 + "\n<html><body>" + "<p>x</p>" * 50_000
                                      + "</body></html>")
    (inbox / "b-fine.txt").write_text(story(70))
    pipeline._context()  # the gazetteer is loaded before any file's clock starts
    started = time.monotonic()
    entries = ingest([inbox], tmp_path / "content", jobs=1)
    elapsed = time.monotonic() - started
    assert [e.outcome for e in entries] == ["rejected", "new"]
    assert entries[0].reason == "gave up after 2 s reading it (pathological input)"
    assert elapsed < 15, elapsed  # uninterrupted, the XPath alone runs for about 35 s


def many_paragraphs(n: int) -> str:
    return ("<html><head><title>A page of very many paragraphs</title></head><body><article>"
            + "".join(f"<p>Paragraph {i} of the report says the convoy moved on.</p>" for i in range(n))
            + "</article></body></html>")


def test_the_time_limit_holds_through_the_command_line(tmp_path):
    """A real page under the structure bounds that the HTML reader needs many seconds for, with
    `--time-limit 2`: rejected at the limit, and the run goes on."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a-heavy.html").write_text(many_paragraphs(45_000))
    (inbox / "b-fine.txt").write_text(story(71))
    out = run_archive("ingest", str(inbox), "--time-limit", "2", "--json", cwd=tmp_path)
    report = json.loads(out.stdout)
    assert out.returncode == 1
    assert [(Path(e["input"]).name, e["outcome"]) for e in report["entries"]] == [("a-heavy.html", "rejected"),
                                                                                  ("b-fine.txt", "new")]
    assert report["entries"][0]["reason"] == "gave up after 2 s reading it (pathological input)"


def test_a_page_built_to_make_extraction_crawl_is_rejected_by_its_structure(tmp_path):
    """The issue's page: 200,000 paragraphs (12.9 MB) took 680 s; its structure rejects it in one pass."""
    f = tmp_path / "huge.html"
    f.write_text(many_paragraphs(200_000))
    started = time.monotonic()
    result = read_file(f)
    assert str(result) == "HTML page too large to read: more than 50,000 elements"
    assert time.monotonic() - started < 60


def test_a_page_nested_past_the_depth_bound_is_rejected(tmp_path):
    f = tmp_path / "deep.html"
    f.write_text("<html><head><title>Nested far too deep for any page</title></head><body>" + "<div>" * 2000
                 + "<p>The convoy text at the bottom of it all, in one paragraph.</p>" + "</div>" * 2000 + "</body></html>")
    assert str(read_file(f)).startswith("HTML page nested too deeply:")


# ---- 8. caches ---------------------------------------------------------------------------------

def test_cache_folders_are_created_private(tmp_path, monkeypatch):
    cache = tmp_path / "fresh" / "reads"
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(cache))
    f = tmp_path / "a.txt"
    f.write_text(story(72))
    assert ingest([f], tmp_path / "content", jobs=1)[0].outcome == "new"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    entries = list(cache.rglob("*"))
    assert any(p.is_file() for p in entries)
    for p in entries:
        if p.is_dir():
            assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p


def test_a_read_cache_entry_is_data_that_cannot_run_code(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "cache"))
    f = tmp_path / "a.txt"
    f.write_text(story(73))
    [article] = read_file(f)
    [entry] = [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.name != "CACHEDIR.TAG"]
    assert json.loads(zlib.decompress(entry.read_bytes()))[0]["article"]["title"] == article.title
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    entry.write_bytes(zlib.compress(pickle.dumps([Payload()])))
    again = read_file(f)  # the planted entry is not loaded: the file is read again
    assert not marker.exists()
    assert isinstance(again, list) and again[0].title == article.title


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making a folder owned by another user needs root")


@needs_root
def test_a_read_cache_folder_owned_by_someone_else_is_refused(tmp_path):
    foreign = tmp_path / "planted"
    foreign.mkdir(mode=0o777)
    os.chown(foreign, 4242, 4242)
    f = tmp_path / "a.txt"
    f.write_text(story(74))
    out = subprocess.run([sys.executable, "-m", "generator", "ingest", str(f)], cwd=tmp_path, capture_output=True,
                         text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                     "NEWS_ARCHIVE_READ_CACHE": str(foreign)})
    assert out.returncode == 2
    assert f"cache folder {foreign} belongs to another user (uid 4242" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "content" / "articles").exists()


@needs_root
def test_the_shared_temporary_fallback_is_refused_when_someone_else_made_it(tmp_path, monkeypatch):
    from generator.gazetteer import build

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the user cache folder would be")
    monkeypatch.delenv("NEWS_ARCHIVE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # ~/.cache cannot be used: the fallback is tried
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    planted = tmp_path / f"news-archive-{os.getuid()}"
    planted.mkdir(mode=0o777)
    os.chown(planted, 4242, 4242)
    with pytest.raises(OSError, match="belongs to another user"):
        build.cache_dir()
    os.chown(planted, os.getuid(), os.getgid())
    assert build.cache_dir() == planted and stat.S_IMODE(planted.stat().st_mode) == 0o700


def test_a_planted_gazetteer_cache_file_is_not_loaded(tmp_path, monkeypatch):
    """The compiled gazetteer is a pickle: a file another user could have written is refused, so
    the code a planted pickle carries never runs."""
    from generator.gazetteer import build

    monkeypatch.setenv("NEWS_ARCHIVE_CACHE", str(tmp_path / "cache"))
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = build.compiled_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(Payload()))
    path.chmod(0o666)
    with pytest.raises(OSError, match="writable by other users"):
        build.load_compiled()
    assert not marker.exists()
    link = tmp_path / "elsewhere.pickle"
    path.rename(link)
    path.symlink_to(link)
    with pytest.raises(OSError, match="not a regular file"):
        build.load_compiled()
    assert not marker.exists()


def test_a_cache_pointed_at_a_folder_that_is_not_one_leaves_it_as_it_was(tmp_path):
    """`build_cache_dir: /etc` or `NEWS_ARCHIVE_CACHE=/tmp`: the folder was filled with cache files
    and tightened to 0700, taking it from every other user of the machine. An existing folder is
    used only when it is a cache of ours (tagged), empty, or 0700 as ours always were."""
    from generator.cachedir import TAG_NAME, CacheDirError, ensure

    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "passwd").write_text("someone else's file")
    shared.chmod(0o755)
    with pytest.raises(CacheDirError, match="is not a cache of ours"):
        ensure(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755 and sorted(p.name for p in shared.iterdir()) == ["passwd"]
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    assert ensure(empty) == empty and stat.S_IMODE(empty.stat().st_mode) == 0o700 and (empty / TAG_NAME).is_file()
    legacy = tmp_path / "legacy"  # a cache made before the tag: 0700 with its files (a CI cache restored by tar)
    legacy.mkdir(mode=0o700)
    (legacy / "pages.sqlite").write_bytes(b"")
    assert ensure(legacy) == legacy and (legacy / TAG_NAME).read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    home = tmp_path / "home"  # NEWS_ARCHIVE_READ_CACHE=$HOME: 0700 too, but not a cache (its prune removed .pyenv)
    (home / ".pyenv" / "versions").mkdir(parents=True)
    home.chmod(0o700)
    (home / ".bashrc").write_text("export PATH")
    with pytest.raises(CacheDirError, match="is not a cache of ours"):
        ensure(home)
    assert sorted(p.name for p in home.iterdir()) == [".bashrc", ".pyenv"]
    fresh = ensure(tmp_path / "new" / "cache")
    assert (fresh / TAG_NAME).is_file()
    sub = ensure(fresh / "exports")  # a cache's own subfolder needs no tag of its own
    assert sub.is_dir() and not (sub / TAG_NAME).exists()


def test_a_build_cache_option_naming_a_folder_of_other_files_is_one_line(tmp_path):
    from .conftest import copy_project

    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - archive\n", "  - archive:\n      build_cache_dir: .\n"))
    mode = stat.S_IMODE(project.stat().st_mode)
    out = run_archive("build", cwd=project)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "build_cache_dir: cache folder" in out.stderr and "is not a cache of ours" in out.stderr
    assert stat.S_IMODE(project.stat().st_mode) == mode and not (project / "pages.sqlite").exists()


def test_pruning_the_read_cache_removes_only_its_own_versions(tmp_path, monkeypatch):
    """The read cache's pruning removed every folder in its root but the current version's: pointed
    at a folder of other things (a home folder), it removed them all."""
    from generator import readcache

    cache = tmp_path / "reads"
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(cache))
    f = tmp_path / "a.txt"
    f.write_text(story(75))
    read_file(f)
    (cache / "0123456789abcdef" / "aa").mkdir(parents=True)  # an entry version of another generator
    (cache / "notes").mkdir()  # something else put there later
    readcache.prune()
    assert not (cache / "0123456789abcdef").exists() and (cache / "notes").is_dir()
    assert (cache / readcache.fingerprint()).is_dir()
