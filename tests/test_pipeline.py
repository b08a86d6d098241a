"""The ingest pipeline end to end: idempotence, counts that reconcile, rejects report, duplicates,
multi-record rejections, sidecars, the parallel path and the progress bar."""
from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path

import pytest

from generator import pipeline, readers, reading
from generator.model import Article, Block
from generator.pipeline import OUTCOMES, find_inputs, ingest, read_file
from generator.writers.markdown import read_page
from generator.writers.ledger import read_ledger

WORDS = ("convoy aid route checkpoint harbour valley council mission report ceasefire village market "
         "bridge river supply fuel clinic school road border patrol camp winter harvest talks").split()


def scrape(seed: int, paragraphs: int = 4) -> str:
    rng = random.Random(seed)
    title = f"Aid convoy story number {seed} reaches the {rng.choice(WORDS)}"
    paras = [" ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + "." for _ in range(paragraphs)]
    return "Home | World | Africa\n\n" + title + "\n\n" + "\n\n".join(paras) + "\n\nShare this article\n"


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(root.rglob("*")) if p.is_file()}


def counts(entries) -> dict[str, int]:
    return {k: sum(e.outcome == k for e in entries) for k in OUTCOMES}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i in range(12):
        (src / f"a{i:02}.txt").write_text(scrape(i), encoding="utf-8")
    (src / "sub" / "copy-of-a03.txt").write_text(scrape(3), encoding="utf-8")  # exact duplicate
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("   \n\n  ")
    (src / "binary.bin").write_bytes(bytes(range(256)) * 20)
    (src / "notitle.txt").write_text("one\n\ntwo\n")
    (src / "latin.txt").write_bytes(scrape(40).replace("convoy", "café convoy").encode("cp1252"))
    (src / ".hidden.txt").write_text(scrape(41))
    (src / "a00.txt.meta.json").write_text(json.dumps({"source": "Sidecar Wire", "url": "https://x.org/a0"}))
    return src


def test_idempotent_and_counts_reconcile(tmp_path, mixed):
    content = tmp_path / "content"
    first = ingest([mixed], content, jobs=1)
    files = list(find_inputs([mixed]))
    assert len(first) == len(files) == 18  # hidden file and sidecar are not inputs
    c1 = counts(first)
    assert c1 == {"new": 13, "updated": 0, "unchanged": 0, "duplicate": 1, "rejected": 4}
    assert sum(c1.values()) == len(files)
    snap = snapshot(content)
    second = ingest([mixed], content, jobs=1)
    assert counts(second) == {"new": 0, "updated": 0, "unchanged": 14, "duplicate": 0, "rejected": 4}
    assert snapshot(content) == snap  # byte-identical and not even rewritten: same mtimes
    assert [e.input for e in first] == [e.input for e in second]


def test_rejects_report_one_line_per_input_and_latest_outcome(tmp_path, mixed):
    content = tmp_path / "content"
    ingest([mixed], content, jobs=1)
    report = content / ".archive" / "rejects.jsonl"
    lines = [json.loads(l) for l in report.read_text().splitlines()]
    by_name = {Path(l["input"]).name: l["reason"] for l in lines}
    assert set(by_name) == {"empty.txt", "blank.txt", "binary.bin", "notitle.txt"}
    assert by_name["empty.txt"] == "empty file"
    assert "binary" in by_name["binary.bin"] and "title" in by_name["notitle.txt"]
    assert all("\n" not in r for r in by_name.values())
    # A rejected file that is fixed drops out of the report; other inputs' lines persist.
    (mixed / "notitle.txt").write_text(scrape(99))
    ingest([mixed / "notitle.txt"], content, jobs=1)
    names = [Path(json.loads(l)["input"]).name for l in report.read_text().splitlines()]
    assert names == ["blank.txt", "binary.bin", "empty.txt"] or set(names) == {"blank.txt", "binary.bin", "empty.txt"}


def test_exact_duplicate_lists_both_sources(tmp_path, mixed):
    content = tmp_path / "content"
    entries = ingest([mixed], content, jobs=1)
    dup = [e for e in entries if e.outcome == "duplicate"]
    assert len(dup) == 1 and dup[0].input.endswith("copy-of-a03.txt")
    original = next(e for e in entries if e.input.endswith("a03.txt") and "copy" not in e.input)
    assert dup[0].page == original.page
    meta, _ = read_page(Path(original.page))
    assert [s["file"] for s in meta["sources"]] == ["a03.txt", "copy-of-a03.txt"]


def test_same_article_in_a_later_run_from_another_source(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "one.txt").write_text(scrape(1))
    content = tmp_path / "content"
    [e1] = ingest([src / "one.txt"], content, jobs=1)
    (src / "two.txt").write_text(scrape(1))
    (src / "two.txt.meta.yml").write_text("source: Other Paper\nurl: https://other.example/story\n")
    [e2] = ingest([src / "two.txt"], content, jobs=1)
    assert e2.outcome == "duplicate" and e2.page == e1.page
    meta, _ = read_page(Path(e1.page))
    assert meta["sources"][-1] == {"name": "Other Paper", "url": "https://other.example/story", "file": "two.txt"}
    assert "source" not in meta  # the page's own fields stay those of the first input
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["unchanged", "unchanged"]


def test_sidecar_applied(tmp_path, mixed):
    entries = ingest([mixed / "a00.txt"], tmp_path / "content", jobs=1)
    meta, _ = read_page(Path(entries[0].page))
    assert meta["source"] == "Sidecar Wire" and meta["url"] == "https://x.org/a0"


def test_same_file_named_twice_is_read_once(tmp_path, mixed):
    files = list(find_inputs([mixed, mixed / "a01.txt", mixed / "sub" / ".." / "a01.txt"]))
    assert len(files) == len(set(files)) == 18


class _MultiReader:
    """A stand-in multi-record reader: two articles, one bad record, then a crash."""

    name = "multi"

    def sniff(self, head: str) -> bool:
        return head.startswith("MULTI")

    def read(self, text: str, origin: str):
        yield Article(title="First record in the file", blocks=[Block("p", scrape(7).split("\n\n")[2])], origin=origin + "#1")
        yield readers.Rejected(origin + "#2", "record 2 has no title") if hasattr(readers, "Rejected") else \
            pipeline.RecordRejected(origin + "#2", "record 2 has no title")
        yield Article(title="Third record in the file", blocks=[Block("p", scrape(8).split("\n\n")[2])], origin=origin + "#3")
        raise ValueError("truncated JSON at byte 900")


def test_multi_record_rejections_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "READERS", [_MultiReader()] + list(readers.READERS))
    f = tmp_path / "export.multi"
    f.write_text("MULTI\n...")
    entries = ingest([f], tmp_path / "content", jobs=1)
    assert [e.outcome for e in entries] == ["new", "rejected", "new", "rejected"]
    assert entries[1].input.endswith("#2") and entries[1].reason == "record 2 has no title"
    assert "truncated JSON" in entries[3].reason
    report = (tmp_path / "content" / ".archive" / "rejects.jsonl").read_text().splitlines()
    assert len(report) == 2
    again = ingest([f], tmp_path / "content", jobs=1)
    assert [e.outcome for e in again] == ["unchanged", "rejected", "unchanged", "rejected"]
    assert (tmp_path / "content" / ".archive" / "rejects.jsonl").read_text().splitlines() == report


def test_special_and_missing_files_rejected(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    entries = ingest([tmp_path], tmp_path / "content", jobs=1)
    reasons = {Path(e.input).name: e.reason for e in entries}
    assert reasons["pipe.txt"] == "not a regular file"
    assert reasons["gone.txt"].startswith("unreadable")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_rejected(tmp_path):
    f = tmp_path / "secret.txt"
    f.write_text(scrape(1))
    f.chmod(0)
    [e] = ingest([f], tmp_path / "content", jobs=1)
    assert e.outcome == "rejected" and "ermission" in e.reason


def test_permission_denied_rejected_simulated(tmp_path, monkeypatch):
    """The same as above when running as root: open() fails with EACCES for one file."""
    f = tmp_path / "secret.txt"
    f.write_text(scrape(1))
    ok = tmp_path / "fine.txt"
    ok.write_text(scrape(2))
    real_open = open

    def fake_open(path, *a, **kw):
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr("builtins.open", fake_open)
    entries = ingest([f, ok], tmp_path / "content", jobs=1)
    assert [e.outcome for e in entries] == ["rejected", "new"]
    assert entries[0].reason == "unreadable: Permission denied"


def test_reader_crash_is_a_rejection_not_a_stop(tmp_path, monkeypatch):
    class Boom:
        name = "boom"

        def sniff(self, head):
            return "BOOM" in head

        def read(self, text, origin):
            raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(readers, "READERS", [Boom()] + list(readers.READERS))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("BOOM\n" + scrape(1))
    (tmp_path / "in" / "b.txt").write_text(scrape(2))
    entries = ingest([tmp_path / "in"], tmp_path / "content", jobs=1)
    assert [e.outcome for e in entries] == ["rejected", "new"]
    assert entries[0].reason.startswith("could not be read: RecursionError")


def test_parallel_equals_serial(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(80):
        (src / f"{i:03}.txt").write_text(scrape(i % 70))  # 10 exact duplicates
    (src / "zz-empty.txt").write_bytes(b"")
    serial = ingest([src], tmp_path / "serial", jobs=1)
    parallel = ingest([src], tmp_path / "parallel", jobs=2)
    assert [(e.input, e.outcome, e.reason) for e in serial] == [(e.input, e.outcome, e.reason) for e in parallel]
    # The ledger is local state holding page mtimes (what `replay` checks): compared by its records.
    strip = lambda snap: {k: v[1] for k, v in snap.items() if not k.endswith(("lock", "ledger.sqlite"))}  # noqa: E731
    assert strip(snapshot(tmp_path / "serial")) == strip(snapshot(tmp_path / "parallel"))
    assert read_ledger(tmp_path / "serial") == read_ledger(tmp_path / "parallel")
    assert counts(parallel)["duplicate"] == 10 and counts(parallel)["rejected"] == 1


def test_a_worker_that_dies_loses_one_file_not_the_run(tmp_path, monkeypatch):
    """A reading process killed from outside (the OOM killer, here SIGKILL to itself) rejects the
    file it was reading, with a reason; a fresh worker reads the rest, in order."""
    import signal as _signal

    class Dies:
        name = "dies"

        def sniff(self, head):
            return head.startswith("DIE")

        def read(self, text, origin):
            os.kill(os.getpid(), _signal.SIGKILL)
            yield from ()

    monkeypatch.setattr(readers, "READERS", [Dies()] + list(readers.READERS))
    files = []
    for i in range(6):
        files.append(tmp_path / f"{i:03}.txt")
        files[-1].write_text("DIE\n" if i == 2 else scrape(i))
    results = list(pipeline.read_all(files, jobs=2))
    assert [p for p, _, _ in results] == files
    assert [isinstance(r, list) for _, r, _ in results] == [True, True, False, True, True, True]
    assert str(results[2][1]) == "the reading process died (signal 9) while reading it"
    assert results[2][2] is None and results[1][2]  # a death is not remembered: the file is read again


def test_progress_bar_shown_only_when_asked(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_text(scrape(i))
    ingest([src], tmp_path / "c1", jobs=1, progress=True)
    assert "3/3" in capsys.readouterr().err
    ingest([src], tmp_path / "c2", jobs=1, progress=False)
    assert capsys.readouterr().err == ""


def test_cli_quiet_in_ci_and_json(tmp_path):
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(scrape(1))
    (src / "b.txt").write_bytes(b"")
    env = {**os.environ, "CI": "1"}
    out = subprocess.run([sys.executable, "-m", "generator", "ingest", str(src), "--content", str(tmp_path / "c"), "--json"],
                         capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parent.parent)
    report = json.loads(out.stdout)
    assert report["counts"]["new"] == 1 and report["counts"]["rejected"] == 1 and report["total"] == 2
    assert "it/s" not in out.stderr and "file/s" not in out.stderr


def test_read_file_never_raises(tmp_path):
    for name, data in {"nul": b"\x00" * 100, "ctrl": bytes(range(1, 32)) * 50, "ws": b"\n\n\t",
                       "bom-only": b"\xef\xbb\xbf", "utf16-bom-only": b"\xff\xfe"}.items():
        p = tmp_path / name
        p.write_bytes(data)
        assert isinstance(read_file(p), Exception), name


def test_sidecar_added_later_updates_the_page_not_a_duplicate(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "story.txt").write_text(scrape(5))
    content = tmp_path / "content"
    [e1] = ingest([src], content, jobs=1)
    (src / "story.txt.meta.json").write_text(json.dumps({"source": "The Paper", "url": "https://paper.example/s"}))
    [e2] = ingest([src], content, jobs=1)
    assert e2.outcome == "updated" and e2.page == e1.page
    meta, _ = read_page(Path(e1.page))
    assert meta["source"] == "The Paper" and meta["url"] == "https://paper.example/s"
    assert meta["sources"] == [{"name": "The Paper", "url": "https://paper.example/s", "file": "story.txt"}]
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["unchanged"]


def test_ingesting_a_parent_of_content_does_not_read_the_pages_back(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(scrape(1))
    content = tmp_path / "content"
    ingest([tmp_path / "in"], content, jobs=1)
    entries = ingest([tmp_path], content, jobs=1)
    assert [e.outcome for e in entries] == ["unchanged"]
    assert len(list((content / "articles").rglob("*.md"))) == 1


def test_new_vocabulary_entry_reaches_untouched_pages_not_edited_ones(tmp_path, monkeypatch):
    """The editors-win rule end to end: a vocabulary term added later tags every page whose tags
    nobody edited; a page whose tags an editor fixed keeps exactly the editor's tags; an edited
    title and date survive too, and the page stays at its path."""
    import frontmatter

    from generator.enrich import Context
    from generator.enrich.tags import DATA, Vocabulary

    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_text(scrape(i).replace("convoy", "zebra-convoy", 1))
    content = tmp_path / "content"
    first = ingest([src], content, jobs=1)
    edited_page = Path(first[0].page)
    post = frontmatter.load(edited_page)
    post.metadata.update(tags=["Hand Tag"], title="Edited: a better headline", date="2001-02-03")
    edited_page.write_text(frontmatter.dumps(post) + "\n")

    vocab = tmp_path / "vocabulary.yml"
    vocab.write_text((DATA / "vocabulary.yml").read_text() + "\n- name: Zebra Convoys\n  kind: topic\n  aliases: [zebra-convoy]\n")
    base = Context.default()
    monkeypatch.setattr(reading, "_CTX", Context(vocabulary=Vocabulary.load(vocab), gazetteer=base.gazetteer))
    second = ingest([src], content, jobs=1)
    assert [e.outcome for e in second] == ["unchanged", "updated", "updated"]  # the edited page has nothing new
    assert [e.page for e in second] == [e.page for e in first]
    meta0, _ = read_page(edited_page)
    assert meta0["tags"] == ["Hand Tag"] and meta0["title"] == "Edited: a better headline"
    assert str(meta0["date"]) == "2001-02-03"
    for e in second[1:]:
        assert "Zebra Convoys" in read_page(Path(e.page))[0]["tags"]
    third = ingest([src], content, jobs=1)
    assert [e.outcome for e in third] == ["unchanged"] * 3


def test_pathological_input_is_rejected_after_the_time_limit(tmp_path, monkeypatch):
    """A file that makes extraction crawl (here: a reader that never finishes) is rejected after
    READ_TIMEOUT; the run goes on, and a multi-record file keeps the records read before."""
    import time as _time

    class Slow:
        name = "slow"

        def sniff(self, head):
            return head.startswith("SLOW")

        def read(self, text, origin):
            if "TWO" in text:
                yield Article(title="The record read before the stall", blocks=[Block("p", "Its text ends here.")],
                              origin=origin + "#1")
            try:
                while True:
                    _time.sleep(0.01)
            except Exception:  # a reader's catch-all must not swallow the time limit
                pass

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "c.txt").write_text(scrape(3))
    assert isinstance(read_file(tmp_path / "in" / "c.txt"), list)  # warm the lazy lookups outside the limit
    monkeypatch.setattr(readers, "READERS", [Slow()] + list(readers.READERS))
    monkeypatch.setattr(reading, "READ_TIMEOUT", 1.0)
    (tmp_path / "in" / "a.txt").write_text("SLOW\n")
    (tmp_path / "in" / "b.txt").write_text("SLOW TWO\n")
    entries = ingest([tmp_path / "in"], tmp_path / "content", jobs=1)
    assert [e.outcome for e in entries] == ["rejected", "new", "rejected", "new"]
    assert entries[0].reason.startswith("gave up after 1 s")
    assert "gave up" in entries[2].reason


def test_revised_text_of_the_same_input_updates_its_page(tmp_path):
    """A correction re-scraped into the same file is a new version of that page's article (updated in
    place, the editor's fixes kept), while the same revision under another file name is a copy."""
    import frontmatter

    src = tmp_path / "in"
    src.mkdir()
    story = src / "story.txt"
    story.write_text(scrape(8), encoding="utf-8")
    content = tmp_path / "content"
    first = ingest([src], content, jobs=1)
    page = Path(first[0].page)
    post = frontmatter.load(page)
    old_id = post.metadata["id"]
    post.metadata["tags"] = ["Hand Tag"]
    page.write_text(frontmatter.dumps(post) + "\n")

    revised = scrape(8).replace("Share this article", "A correction was added to this report.\n\nShare this article")
    story.write_text(revised, encoding="utf-8")
    second = ingest([src], content, jobs=1)
    assert [(e.outcome, e.page) for e in second] == [("updated", str(page))]
    meta, body = read_page(page)
    assert "A correction was added to this report." in body
    assert meta["tags"] == ["Hand Tag"]
    assert meta["id"] != old_id
    ledger = read_ledger(content)
    assert old_id not in ledger and meta["id"] in ledger

    before = snapshot(content)
    assert [e.outcome for e in ingest([src], content, jobs=1)] == ["unchanged"]
    assert snapshot(content) == before

    (src / "syndicated.txt").write_text(revised.replace("Share this article", "Reprinted with permission."),
                                        encoding="utf-8")
    third = ingest([src], content, jobs=1)
    assert [(Path(e.input).name, e.outcome) for e in third] == [("story.txt", "unchanged"), ("syndicated.txt", "duplicate")]
    assert "A correction was added" in read_page(page)[1] and len(list((content / "articles").rglob("*.md"))) == 1


# The read cache's fingerprint needs the gazetteer's version key (generator.gazetteer.cache) and the
# libraries' versions (remembered in the cache folder): not the gazetteer itself, nor the enrichers it
# imports, nor importlib.metadata.
_READING_MODULES = ("numpy", "lxml", "trafilatura", "charset_normalizer", "generator.readers", "generator.readpool",
                    "generator.enrich", "generator.gazetteer.geonames", "generator.gazetteer.recognise",
                    "generator.gazetteer.resolve", "generator.gazetteer.build", "importlib.metadata", "ctypes")
_IMPORTED = ("import json, sys\nfrom generator.cli import main\nstatus = main(sys.argv[1:])\n"
             f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {_READING_MODULES!r} "
             f"or m.startswith({_READING_MODULES!r}))))\n")


def _ingest_in_new_process(tmp_path: Path, *args: str) -> list[str]:
    """Run `archive ingest` in a fresh interpreter; the reading modules it imported."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", _IMPORTED, "ingest", "in", "--quiet", *args], cwd=tmp_path,
                         capture_output=True, text=True, timeout=600, check=True,
                         env={**os.environ, "PYTHONPATH": str(root)})
    return json.loads(out.stdout.splitlines()[-1])


def test_a_reingest_that_reads_nothing_imports_no_reader(tmp_path):
    """Readers, enrichers, the gazetteer and numpy are imported when a file has to be read: a
    re-ingest whose inputs are all settled from the ledger's record does not import them; a new
    file among them (a daily update) is read by a worker that loads the readers itself, so the
    ingest process still does not import them (nor numpy for its near-duplicate queries), and the
    file gets its page."""
    (tmp_path / "in").mkdir()
    for i in range(3):
        (tmp_path / "in" / f"{i}.txt").write_text(scrape(i), encoding="utf-8")
    first = _ingest_in_new_process(tmp_path)  # read by a worker (a MinHash per article, with numpy, there)
    assert "generator.readpool" in first and "generator.readers" not in first and "numpy" not in first
    assert _ingest_in_new_process(tmp_path) == []
    (tmp_path / "in" / "3.txt").write_text(scrape(3), encoding="utf-8")
    imported = _ingest_in_new_process(tmp_path)
    # ...and its near-duplicate query, in the ingest process, compares bytes: no numpy there either
    assert "generator.readpool" in imported and "generator.readers" not in imported and "numpy" not in imported
    assert len(list((tmp_path / "content" / "articles").rglob("*.md"))) == 4


def test_files_hashed_by_their_workers_give_the_same_run(tmp_path, monkeypatch):
    """Once the workers are forked, a file the ledger has no record of is hashed by its worker, not
    in the ingest process too (`_read_all`'s `unrecorded`): cached reads, an empty and a binary
    file, a duplicate and new files give the same report, pages, ledger and input index as when
    every file is hashed in the ingest process."""
    import shutil

    from generator import readcache
    from generator.writers.pageindex import InputIndex

    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "in"
    src.mkdir()
    warm = tmp_path / "warm"
    warm.mkdir()
    for i in range(40, 60):
        (src / f"{i:03}.txt").write_text(scrape(i), encoding="utf-8")
    (src / "050.txt").write_bytes(b"")
    (src / "051.txt").write_bytes(b"\x00\x01\x02" * 200)
    (src / "052.txt").write_text(scrape(45), encoding="utf-8")  # a copy of 045
    ingest([src], warm, jobs=2)  # these reads are now in the read cache...
    for i in range(40):  # ...these not: the first of them fork the workers, the others are theirs to hash
        (src / f"{i:03}.txt").write_text(scrape(i), encoding="utf-8")
    shutil.copytree(tmp_path / "cache", tmp_path / "cache-warm")

    asked: list[str] = []
    real = reading._read_all

    def spying(files, jobs, known=None, inputs=None, entries=None, unrecorded=None):
        def told(origin: str) -> bool:
            asked.append(origin)
            return unrecorded(origin)
        return real(files, jobs, known, inputs, entries, told if unrecorded else None)

    runs = {}
    for name, delegate in (("here", False), ("workers", True)):
        asked.clear()
        shutil.rmtree(tmp_path / "cache")  # each run starts from the same read cache
        shutil.copytree(tmp_path / "cache-warm", tmp_path / "cache")
        if not delegate:
            monkeypatch.setattr(reading, "_read_all", lambda f, j, k=None, i=None, e=None, u=None: real(f, j, k, i, e))
        else:
            monkeypatch.setattr(reading, "_read_all", spying)
        content = tmp_path / f"content-{name}"
        entries = ingest([src], content, jobs=2)
        rows = InputIndex(content).rows
        runs[name] = ([(e.input, e.outcome, Path(e.page).relative_to(content).as_posix() if e.page else None,
                        e.reason, e.title) for e in entries],
                      {str(p.relative_to(content)): p.read_bytes() for p in sorted((content / "articles").rglob("*.md"))},
                      read_ledger(content),
                      {k: v[2] for k, v in rows.items()})
        if delegate:
            assert len(asked) > 30  # most files were the workers' to hash
    assert runs["here"] == runs["workers"]
    report = {Path(e[0]).name: e for e in runs["workers"][0]}
    assert report["050.txt"][1] == "rejected" and report["050.txt"][3] == "empty file"
    assert report["051.txt"][1] == "rejected"
    assert report["052.txt"][1] == "duplicate"
    assert len(runs["workers"][3]) == 60 - 1  # every input but the empty one is in the input index
    assert readcache.ENABLED
