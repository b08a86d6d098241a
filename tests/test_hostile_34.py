"""Round 34 of hostile input and tired-editor mistakes, each found by trying it on a scratch project:
every test fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

import fcntl
import json
import os
import random
import select
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.model import MAX_JSON_VALUES, MAX_REJECTED_RECORDS
from generator.readers.jsonl import read_json

from .conftest import ROOT, SAMPLES, copy_project, run_archive
from .test_hostile_more import HEADLINE
from .test_hostile_site import body, lenient_build

RAW_CONTROLS = "\u202e\u009b\u2066"  # reverse the rest of the line; a CSI to some terminals; an isolate


def _article(title: str = HEADLINE) -> dict:
    return {"title": title, "body": "\n\n".join(body(3, 3)), "date": "2024-05-01"}


def test_json_reports_write_bidi_and_c1_characters_as_escapes(tmp_path):
    """`ingest --json` and rejects.jsonl kept U+202E (and C1 controls such as U+009B) raw inside
    their strings: json.dumps escapes only characters below U+0020, so a file named with one
    reversed the rest of the report's line on the terminal that printed it. They are written as
    \\uXXXX escapes now: the same values for whatever reads the JSON."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = f"a{RAW_CONTROLS}b.json"
    (inbox / name).write_text(json.dumps([_article(), {"title": 5}]), encoding="utf-8")
    content = tmp_path / "content"
    out = run_archive("ingest", str(inbox), "--content", str(content), "--json", cwd=tmp_path)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    report = (content / ".archive" / "rejects.jsonl").read_text(encoding="utf-8")
    for text in (out.stdout, report):
        assert not any(c in text for c in RAW_CONTROLS), text
        assert "\\u202e\\u009b\\u2066" in text, text
    inputs = [e["input"] for e in json.loads(out.stdout)["entries"]]
    assert inputs == [str(inbox / name) + "#1", str(inbox / name) + "#2"], inputs
    assert json.loads(report.splitlines()[0])["input"] == str(inbox / name) + "#2"


def test_the_count_of_unlisted_rejects_points_to_what_json_really_lists(tmp_path):
    """Past a file's first MAX_REJECTED_RECORDS rejected records, `--json` lists only those first
    ones and counts the rest, but the line counting the records not listed on the terminal said
    "`archive ingest --json FILE` lists every one"."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "export.jsonl").write_text(json.dumps(_article()) + "\n" + "nope\n" * (MAX_REJECTED_RECORDS + 50),
                                        encoding="utf-8")
    (inbox / "small.jsonl").write_text(json.dumps(_article("Another headline about the convoys")) + "\n"
                                       + "nope\n" * 150, encoding="utf-8")
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    counting = {line.split(": rejected: ")[0]: line for line in out.stderr.splitlines() if "not listed here" in line}
    assert counting[str(inbox / "export.jsonl")].endswith(
        f"(`archive ingest --json {inbox / 'export.jsonl'}` lists the first {MAX_REJECTED_RECORDS:,})"), counting
    assert counting[str(inbox / "small.jsonl")].endswith("lists every one)"), counting


def test_a_json_array_of_a_million_tiny_records_is_refused_before_it_is_parsed(tmp_path):
    """A JSON array (not JSON Lines) of millions of tiny records was parsed whole: 20 MiB of `{}`
    took 580 MB and 28 CPU-s to become as many rejected records. Past MAX_JSON_VALUES values a JSON
    document is one rejected file, refused before it is parsed; the line says to write it as JSON
    Lines, which are read (and bounded) a line at a time."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    tiny = MAX_JSON_VALUES // 2 + 1000
    (inbox / "array.json").write_text("[" + ",".join(["{}"] * tiny) + "]", encoding="utf-8")
    (inbox / "wrapped.json").write_text('{"articles": [' + ",".join(["[]"] * tiny) + "]}", encoding="utf-8")
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), "--json", cwd=tmp_path)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert report["total"] == 2, report["counts"]
    for entry in report["entries"]:
        assert entry["outcome"] == "rejected" and entry["reason"].startswith(
            f"JSON document of more than {MAX_JSON_VALUES:,} values"), entry
        assert "JSON Lines" in entry["reason"], entry


def test_json_lines_are_bounded_line_by_line_not_as_a_whole():
    """JSON Lines are read a line at a time, so a file of many records stays readable however many
    values it holds in all; one line past MAX_JSON_VALUES is that record rejected (it was parsed
    whole and published with its 1,200,000-entry list of junk beside a title and a body)."""
    per_line = 600
    lines = [json.dumps({**_article(f"Record {i} about the convoys"), "tags": [1] * per_line}) for i in range(2000)]
    assert 2000 * per_line > MAX_JSON_VALUES
    junk = json.dumps({**_article("The line of junk"), "junk": [[]] * (MAX_JSON_VALUES + 200_000)})
    read = list(read_json("\n".join(lines[:3] + [junk] + lines[3:]) + "\n", "export.jsonl"))
    rejected = [r for r in read if hasattr(r, "reason")]
    assert len(read) == 2001 and len(rejected) == 1, rejected
    assert rejected[0].origin == "export.jsonl:4" and f"more than {MAX_JSON_VALUES:,} JSON values" in rejected[0].reason
    assert all(not hasattr(r, "reason") and r.title.startswith("Record ") for r in read[:3] + read[4:])


def test_a_broken_sidecar_is_named_with_its_problem_and_line(tmp_path):
    """A sidecar's YAML error was reported by its first line, which for most mistakes is the
    context without the problem or where it is: `sidecar s.meta.yml is not valid YAML: while
    scanning a quoted scalar`. Now the problem and its line: `found unexpected end of stream (line
    3)`. (Anchors and aliases are refused by the same check as a page's, also with the line.)"""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, meta in (("s", 'url: https://example.org/a\ntitle: "unclosed\n'),
                       ("t", "url: https://example.org/b\nsource: &s Agency\nauthor: *s\n")):
        (inbox / f"{name}.txt").write_text(f"{HEADLINE}\n\n" + "\n\n".join(body(3, 3)) + "\n", encoding="utf-8")
        (inbox / f"{name}.meta.yml").write_text(meta, encoding="utf-8")
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), "--json", cwd=tmp_path)
    reasons = {Path(e["input"]).name: e.get("reason") for e in json.loads(out.stdout)["entries"]}
    assert reasons["s.txt"] == "sidecar s.meta.yml is not valid YAML: found unexpected end of stream (line 3)", reasons
    assert reasons["t.txt"] == ("sidecar t.meta.yml is not valid YAML: YAML anchors and aliases are not allowed in a "
                                "sidecar (write the value out) (line 2)"), reasons


def _export(path: Path, n: int, seed: int = 0) -> None:
    """A JSON Lines export of n distinct articles (each its own words, so none is a near-duplicate)."""
    words = ("convoy border aid talks ceasefire village district officials fighters road bridge hospital water "
             "clinic market school council police river port drone patrol night families camp north south").split()
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            paras = [". ".join(" ".join(rng.choice(words) for _ in range(14)).capitalize() for _ in range(4)) + "."
                     for _ in range(6)]
            f.write(json.dumps({"title": f"Report {i}: " + " ".join(rng.choice(words) for _ in range(6)),
                                "body": "\n\n".join(paras), "date": f"2024-05-{i % 28 + 1:02d}"}) + "\n")


def _pages(content: Path) -> list[Path]:
    return sorted((content / "articles").rglob("*.md")) if (content / "articles").is_dir() else []


def test_ctrl_c_during_an_ingest_is_one_line_and_the_next_run_goes_on(tmp_path):
    """Ctrl-C during `archive ingest` printed a 27-line KeyboardInterrupt traceback from wherever
    the run was (the reading pool's poll). Now one line says the pages written are whole and to
    run it again (exit status 130, as a shell reports Ctrl-C); the next run writes the rest, and
    the pages already written are unchanged, none twice."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _export(inbox / "export.jsonl", 1500)
    content = tmp_path / "content"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "ingest", str(inbox), "--content", str(content)],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 300
    while not _pages(content) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # interrupted while it writes pages: the first one is there
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (proc.returncode, err[-3000:])
    said = [line for line in err.splitlines() if line.strip()]
    assert said == ["archive ingest: interrupted (Ctrl-C): the pages written so far are complete; run it again "
                    "to go on (what is done is not done twice)"], err[-3000:]
    before = len(_pages(content))
    assert 0 < before < 1500
    again = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"{1500 - before} new, 0 updated, {before} unchanged, 0 duplicate, 0 rejected" in again.stdout, again.stdout
    assert len(_pages(content)) == 1500


def test_a_full_disk_stops_the_ingest_with_one_line_and_the_next_run_goes_on(tmp_path):
    """On a full disk each page's write failed with its own line, then the run ended in a traceback
    from the ledger ("cannot commit - no transaction is active": SQLite had rolled back the
    transaction when the disk filled), with no summary and no rejects report. Now the first write
    that finds no room stops the run: one line naming the content folder and the error, exit status
    3 (1, "some inputs rejected", is what `make update` lets pass), the pages written are whole, no
    temporary file is left, and once there is room the next run goes on.
    The disk is a small tmpfs in a mount namespace of its own (skipped where one cannot be made)."""
    _namespace_or_skip()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _export(inbox / "export.jsonl", 120, seed=1)
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    ingest = f"{shlex.quote(sys.executable)} -m generator ingest {inbox} --content {disk}/content"
    script = f"""
        mount -t tmpfs -o size=256k tmpfs {disk} || exit 97
        {ingest} >{out}/1.out 2>{out}/1.err; echo $? >{out}/1.rc
        cp -r {disk}/content {out}/full
        mount -o remount,size=8m {disk} || exit 98
        {ingest} >{out}/2.out 2>{out}/2.err; echo $? >{out}/2.rc
        cp -r {disk}/content {out}/roomy
    """
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if ran.returncode in (97, 98):
        pytest.skip(f"no tmpfs can be mounted here: {ran.stderr.strip()}")
    err = (out / "1.err").read_text()
    assert (out / "1.rc").read_text().strip() == "3" and "Traceback" not in err, err[-3000:]  # not 1: `make update` goes on
    said = err.splitlines()
    assert len(said) == 1 and said[0].startswith(f"{disk}/content: rejected: "), said
    assert "No space left on device" in said[0] or "disk is full" in said[0], said
    assert "pages written, each whole" in said[0] and "run it again" in said[0], said
    written = _pages(out / "full")
    assert 0 < len(written) < 120, len(written)
    assert not list((out / "full").rglob(".tmp-*"))
    for page in written:  # whole: the front matter closed and the body's last paragraph there
        text = page.read_text(encoding="utf-8")
        assert text.startswith("---\n") and text.count("\n---\n") >= 1 and text.rstrip().endswith("."), page
    assert (out / "2.rc").read_text().strip() == "0", (out / "2.err").read_text()[-2000:]
    first = (out / "1.out").read_text()
    new = int(first.split(" new")[0])  # one more page may be there: written, then its record found the disk full
    assert new <= len(written) <= new + 1, (first, len(written))
    done = len(written)
    assert f"{120 - done} new, 0 updated, {done} unchanged, 0 duplicate, 0 rejected" in (out / "2.out").read_text()
    assert len(_pages(out / "roomy")) == 120


def _namespace_or_skip() -> None:
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"]).returncode:
        pytest.skip("no mount namespace can be made here")


def test_a_read_only_content_or_site_folder_is_one_line(tmp_path):
    """A content folder on a read-only file system made `archive ingest` and `archive update` a
    traceback from their lock file (OSError: [Errno 30] Read-only file system), and a read-only
    site folder made `archive build` one from its start marker: one line each now, naming the file,
    and exit status 3 (stopped), not 1 (some inputs rejected), which `make update` lets pass."""
    _namespace_or_skip()
    project = copy_project(tmp_path / "p")
    (project / "archive.yml").write_text("sources:\n  - folder: inbox/\n", encoding="utf-8")
    (project / "inbox").mkdir()
    _export(project / "inbox" / "export.jsonl", 3)
    (project / "site").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    run = f"{shlex.quote(sys.executable)} -m generator"
    script = f"""
        for d in content site; do mount --bind {project}/$d {project}/$d && mount -o remount,bind,ro {project}/$d || exit 97; done
        {run} ingest inbox 2>{out}/ingest.err; echo $? >{out}/ingest.rc
        {run} update --offline 2>{out}/update.err; echo $? >{out}/update.rc
        {run} build 2>{out}/build.err; echo $? >{out}/build.rc
    """
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=project, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if ran.returncode == 97:
        pytest.skip(f"no read-only bind mount can be made here: {ran.stderr.strip()}")
    for command, file in (("ingest", "content/.archive"), ("update", "content/.archive"),
                          ("build", f"{project}/site/.archive-build-started")):
        said = (out / f"{command}.err").read_text().splitlines()
        assert (out / f"{command}.rc").read_text().strip() == "3", (command, said[-5:])
        assert said == [f"archive {command}: {file}: Read-only file system: stopped, nothing half-written; once it "
                        "can be written, run it again"], (command, said[-5:])


def test_a_second_ingest_into_the_same_folder_says_it_waits(tmp_path):
    """Two ingests into one content folder at once: the second waited for the first's lock without a
    word, like a command that hung. It says what it waits for, then goes on when the lock is free."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _export(inbox / "export.jsonl", 2)
    content = tmp_path / "content"
    (content / ".archive").mkdir(parents=True)
    with open(content / ".archive" / "lock", "a") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)  # what a running ingest holds (another process: POSIX record locks)
        proc = subprocess.Popen([sys.executable, "-m", "generator", "ingest", str(inbox), "--content", str(content)],
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        said = select.select([proc.stderr], [], [], 120)[0]  # the old code said nothing while it waited
        first = proc.stderr.readline() if said else ""
        fcntl.lockf(held, fcntl.LOCK_UN)
    rest, _ = proc.communicate(timeout=300)
    assert first == f"waiting for the other ingest or update into {content} to finish…\n", first
    assert proc.returncode == 0 and "2 new" in rest, rest


def test_aliases_in_archive_yml_are_one_short_line(tmp_path):
    """archive.yml was read by yaml.safe_load, which expands aliases: `sources: [*a5]` with five levels
    of ten made the error line about that source spell out 100,000 items (722 KB on one line; nine
    levels, 300 bytes, would be a billion). Refused as in pages and sidecars: one line with the line."""
    levels = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 6)]
    (tmp_path / "archive.yml").write_text("\n".join(levels) + "\nsources:\n  - *a5\n", encoding="utf-8")
    out = run_archive("update", "--offline", cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr[-500:]
    assert out.stderr.splitlines() == ["archive update: archive.yml: not valid YAML (line 1): YAML anchors and "
                                       "aliases are not allowed in archive.yml (write the value out)"], out.stderr[:500]


def test_a_page_saved_under_another_extension_is_named_not_published(tmp_path):
    """An editor's backup of a page (`x.md~`, `x.md.bak`) or a page renamed `x.MD` is not a page to
    MkDocs, which copied it into the site as it is: the raw page, front matter and all, at a public
    address, and the renamed article gone from the site without a word; the strict build passed.
    Now one line each names the file, it is not published, and the strict build fails."""
    project = copy_project(tmp_path / "p")
    sample = sorted(SAMPLES.glob("*.txt"))[:2]
    assert run_archive("ingest", *map(str, sample), "--quiet", cwd=project).returncode == 0
    first, second = sorted((project / "content" / "articles").rglob("*.md"))
    shutil.copy(first, first.with_name(first.name + "~"))
    shutil.copy(first, first.with_name(first.name + ".bak"))
    second.rename(second.with_suffix(".MD"))
    strict = run_archive("build", cwd=project)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr, strict.stderr[-2000:]
    said = [line for line in strict.stderr.splitlines() if "named like a page but not one" in line]
    names = sorted(line.split(": named like")[0].rsplit("/", 1)[-1] for line in said)
    assert names == sorted([first.name + "~", first.name + ".bak", second.with_suffix(".MD").name]), said
    lenient = lenient_build(project)
    assert lenient.returncode == 0, lenient.stderr[-2000:]
    published = [p.name for p in (project / "site").rglob("*") if ".md" in p.name.lower()]
    assert published == [], published


def test_a_title_that_is_a_windows_device_name_gets_another_file_name(tmp_path):
    """A feed item titled "Con" (or "NUL", "Aux", "COM1") was written as `con.md`: Windows keeps those
    names for devices whatever the extension, and Git for Windows refuses to check out such a path,
    so one hostile title made the archive's repository impossible to clone there."""
    from generator.textutil import slugify

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _export(inbox / "e.jsonl", 2, seed=3)
    records = [{**json.loads(line), "title": title}
               for line, title in zip((inbox / "e.jsonl").read_text().splitlines(), ("Con", "NUL"))]
    (inbox / "e.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    names = sorted(p.stem.split("-")[0] for p in _pages(tmp_path / "content"))
    assert names == ["con", "nul"] and not {p.stem for p in _pages(tmp_path / "content")} & {"con", "nul"}
    assert {slugify(t) for t in ("Aux", "com1", "LPT9", "prn")}.isdisjoint({"aux", "com1", "lpt9", "prn"})


def test_a_rejected_file_named_with_a_line_separator_stays_in_the_report(tmp_path):
    """rejects.jsonl is read back with splitlines(), which also splits at U+2028, U+2029 and U+0085:
    a rejected file named with one was written raw (json.dumps leaves them), so the next run read its
    line as two halves that are not JSON and dropped it, and the rejection left the report unseen.
    Written as escapes, the line survives the next run."""
    inbox, other = tmp_path / "inbox", tmp_path / "other"
    inbox.mkdir()
    other.mkdir()
    (inbox / "bad\u2028name.json").write_text('[{"title": 5}]', encoding="utf-8")
    (other / "empty.txt").write_text("   \n", encoding="utf-8")
    content = tmp_path / "content"
    run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    run_archive("ingest", str(other), "--content", str(content), cwd=tmp_path)
    report = [json.loads(line) for line in (content / ".archive" / "rejects.jsonl").read_text(encoding="utf-8")
              .split("\n") if line]
    assert sorted(Path(r["input"]).name for r in report) == ["bad\u2028name.json#1", "empty.txt"], report


def test_a_record_dated_by_a_huge_number_loses_its_date_not_the_rest_of_the_file():
    """A JSON export's `date` read as Unix seconds (or milliseconds) was divided before the overflow
    check: a record dated `10**400` raised OverflowError out of the reader, and every record after it
    was rejected as "rest of file unreadable". Now that record is read undated, the others as they are."""
    later = [_article(f"Record {i} about the convoys") for i in range(3)]
    records = [later[0], {**_article("The record with a huge date"), "date": 10 ** 400}, *later[1:]]
    read = list(read_json(json.dumps(records), "export.json"))
    assert [getattr(r, "title", None) for r in read] == [r["title"] for r in records], read
    assert read[1].date is None and all(r.date is not None for r in (read[0], *read[2:]))


@pytest.mark.parametrize("value", ["''", "'   '", "'\u200b'"])
def test_an_empty_site_name_is_one_line_not_an_untitled_site(tmp_path, value):
    """A tired editor's `site_name: ""` built a site whose every page, tab title, feed and Open Graph
    card had no name (a blank header, "<title> - </title>"), and the strict build passed. The build
    now stops with one line naming the key, and writes nothing."""
    from .conftest import copy_project, run_archive
    from .test_hostile_31 import _set

    project = copy_project(tmp_path / "p")
    _set(project, "site_name", value)
    out = run_archive("build", cwd=project)
    text = out.stdout + out.stderr
    assert out.returncode == 1 and "Traceback" not in text, text
    said = text.strip().splitlines()  # the reason alone, not also "archive build: Aborted with a BuildError!"
    assert len(said) == 1 and "site_name" in said[0] and "mkdocs.yml" in said[0], said
    assert not (project / "site").exists() or not list((project / "site").rglob("*.html"))


def test_a_json_number_of_more_digits_than_python_converts_leaves_out_that_value(tmp_path):
    """Python converts integers of at most 4,300 digits (sys.get_int_max_str_digits): one longer
    number anywhere in a JSON export made the whole file "not valid JSON or JSON Lines", every
    record of it rejected. Now that value alone is left out and the records are read."""
    from .conftest import copy_project, run_archive

    project = copy_project(tmp_path / "p")
    body = "The convoy reached the harbour after a long night on the coast road. " * 20
    export = tmp_path / "export.json"
    export.write_text('[{"title": "Convoy reaches the harbour after a night on the road", "body": "' + body
                      + '", "views": ' + "9" * 5000 + '}, {"title": "Harbour board opens the new ferry pier", '
                      '"body": "' + body.replace("convoy", "ferry") + '", "date": ' + "1" * 4400 + '}]',
                      encoding="utf-8")
    out = run_archive("ingest", str(export), cwd=project)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stdout + out.stderr
    assert len(list((project / "content" / "articles").rglob("*.md"))) == 2
