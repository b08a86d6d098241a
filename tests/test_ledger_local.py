"""The ledger is local state (issue 12): an unchanged input is settled from its record without being
read, and a clone without the ledger (it is never committed) still keeps editors' fixes and still
recognises exact and near duplicates, from the pages' front matter and bodies."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator import readers
from generator.pipeline import ingest
from generator.writers.ledger import FILE
from generator.writers.markdown import read_page
from tests.test_dedup import body, edited, page_text


class Refuses:
    """A reader that takes every text and fails: any input actually read is rejected."""

    name = "refuses"

    def sniff(self, head):
        return True

    def read(self, text, origin):
        raise RuntimeError("the reader was called")


def inbox(tmp_path: Path, n: int = 6) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(n):
        (src / f"{i:02}.txt").write_text(page_text(f"Story number {i} of the day", body(100 + i)))
    return src


def by_input(entries) -> dict[str, object]:
    return {Path(e.input).name: e for e in entries}


def test_unchanged_inputs_are_not_read_again(tmp_path, monkeypatch):
    src = inbox(tmp_path)
    content = tmp_path / "content"
    assert {e.outcome for e in ingest([src], content, jobs=1)} == {"new"}
    monkeypatch.setenv("NEWS_ARCHIVE_READ_CACHE", str(tmp_path / "empty-cache"))  # no read cache either
    monkeypatch.setattr(readers, "READERS", [Refuses()])
    again = ingest([src], content, jobs=1)
    assert [e.outcome for e in again] == ["unchanged"] * 6  # settled from the ledger: nothing was read
    assert all(e.title.startswith("Story number") for e in again)
    # A changed input is read (here by the refusing reader: rejected, and its page is left as it was).
    (src / "03.txt").write_text(page_text("Story number 3, corrected", body(103)))
    third = by_input(ingest([src], content, jobs=1))
    assert third["03.txt"].outcome == "rejected" and "the reader was called" in third["03.txt"].reason
    assert third["02.txt"].outcome == "unchanged"


def test_an_edited_page_sends_its_input_the_long_way(tmp_path):
    src = inbox(tmp_path)
    content = tmp_path / "content"
    first = by_input(ingest([src], content, jobs=1))
    page = Path(first["01.txt"].page)
    page.write_text(page.read_text().replace("title: Story number 1 of the day", "title: Fixed by an editor"))
    again = by_input(ingest([src], content, jobs=1))
    assert again["01.txt"].outcome == "unchanged" and again["01.txt"].page == str(page)
    assert read_page(page)[0]["title"] == "Fixed by an editor"


def fresh_clone(content: Path) -> None:
    """What a clone of an archive repository holds: the pages and what Git tracks, no ledger."""
    for p in (content / ".archive").glob(FILE + "*"):
        p.unlink()


def test_a_clone_without_the_ledger_keeps_fixes_and_knows_its_duplicates(tmp_path):
    src = inbox(tmp_path)
    content = tmp_path / "content"
    first = by_input(ingest([src], content, jobs=1))
    fresh_clone(content)
    edited_page = Path(first["00.txt"].page)
    edited_page.write_text(edited_page.read_text().replace("title: Story number 0 of the day", "title: An editor's title"))
    later = tmp_path / "later"
    later.mkdir()
    shutil.copy(src / "04.txt", later / "copy-of-4.txt")  # an exact copy under another name
    (later / "near-5.txt").write_text(page_text("Story five, syndicated", edited(body(105), 4)))
    (later / "new.txt").write_text(page_text("Something else entirely", body(999)))
    # Only the new inputs: the pages they match were not re-ingested in this run, so the MinHash of
    # page 5 comes from its body on disk.
    again = by_input(ingest([later], content, jobs=1))
    assert again["copy-of-4.txt"].outcome == "duplicate" and again["copy-of-4.txt"].page == first["04.txt"].page
    assert again["near-5.txt"].outcome == "duplicate" and again["near-5.txt"].page == first["05.txt"].page
    assert "near-duplicate" in again["near-5.txt"].reason
    assert again["new.txt"].outcome == "new"
    assert len(list((content / "articles").rglob("*.md"))) == 7
    meta = read_page(Path(first["05.txt"].page))[0]
    assert any(s.get("near_duplicate") and s["file"] == "near-5.txt" for s in meta["sources"])
    old = by_input(ingest([src], content, jobs=1))
    assert old["00.txt"].outcome == "unchanged" and old["04.txt"].page == first["04.txt"].page
    assert read_page(edited_page)[0]["title"] == "An editor's title"


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_add_content_leaves_the_ledger_out(tmp_path):
    src = inbox(tmp_path, 2)
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    ingest([src], repo / "content", jobs=1)
    assert (repo / "content" / ".archive" / FILE).exists()
    subprocess.run(["git", "add", "content"], cwd=repo, check=True)  # what the update workflow does
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=repo, check=True,
                            capture_output=True, text=True).stdout.split()
    assert staged and all(not Path(p).name.startswith(FILE) for p in staged)
    assert any(p.startswith("content/articles/") for p in staged)
