"""Hostile input at ingest: nothing outside the input folder is published (symbolic links), sidecars
cannot expand without bound, content sniffing never loses text silently, NUL bytes follow one rule,
and `archive ingest` tells a script by its exit status whether every input went through."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator import model
from generator.pipeline import ingest, read_file
from generator.writers.markdown import read_page

from .conftest import run_archive
from .test_hostile_site import body

OUTSIDE_LINK = "skipped: symbolic link to outside the input folder"
SECRET = "root:x:0:0:the secret line of a private file that must never be published"


def story(n: int, title: str | None = None) -> str:
    return (title or f"Story number {n} about the convoy") + "\n\n" + "\n\n".join(body(n)) + "\n"


def published_text(content: Path) -> str:
    # bytes, decoded leniently: the ledger is a binary SQLite file (its text would still show)
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in content.rglob("*") if p.is_file())


# ---- 2. symbolic links -------------------------------------------------------------------------

def test_a_link_out_of_the_input_folder_is_skipped_and_reported(tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    (private / "passwd").write_text(story(1, SECRET))
    (private / "folder").mkdir()
    (private / "folder" / "more.txt").write_text(story(2, SECRET + " again"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(story(3))
    (inbox / "passwd.txt").symlink_to(private / "passwd")
    (inbox / "linked-folder").symlink_to(private / "folder")
    (inbox / "sub").mkdir()
    (inbox / "sub" / "inside.txt").symlink_to(inbox / "good.txt")  # stays inside: read (once)
    content = tmp_path / "content"
    entries = ingest([inbox], content, jobs=1)
    reasons = {Path(e.input).name: (e.outcome, e.reason) for e in entries}
    assert reasons["passwd.txt"] == ("rejected", OUTSIDE_LINK)
    assert reasons["linked-folder"] == ("rejected", OUTSIDE_LINK)
    assert reasons["good.txt"][0] == "new"
    assert "secret line" not in published_text(content).replace(OUTSIDE_LINK, "")
    report = (content / ".archive" / "rejects.jsonl").read_text(encoding="utf-8")
    assert report.count(OUTSIDE_LINK) == 2


def test_a_link_named_on_the_command_line_is_read(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text(story(4, "A linked story the user named"))
    link = tmp_path / "named.txt"
    link.symlink_to(elsewhere)
    [entry] = ingest([link], tmp_path / "content", jobs=1)
    assert entry.outcome == "new" and read_page(Path(entry.page))[0]["title"] == "A linked story the user named"


def test_a_sidecar_linked_out_of_the_folder_is_refused(tmp_path):
    (tmp_path / "private.yml").write_text(f"title: {SECRET}\n")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "s.txt").write_text(story(5))
    (inbox / "s.txt.meta.yml").symlink_to(tmp_path / "private.yml")
    [entry] = ingest([inbox], tmp_path / "content", jobs=1)
    assert entry.outcome == "rejected" and "symbolic link to outside its folder" in entry.reason
    assert "secret line" not in published_text(tmp_path / "content")


# ---- 3. sidecars: aliases and field bounds -------------------------------------------------------

ALIAS_BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
author: [*e,*e,*e,*e,*e,*e,*e,*e,*e]
"""


@pytest.mark.parametrize("sidecar", [ALIAS_BOMB, "source: &s Wire\nauthor: *s\n"])
def test_yaml_aliases_in_a_sidecar_are_refused(tmp_path, sidecar):
    (tmp_path / "s.txt").write_text(story(6))
    (tmp_path / "s.meta.yml").write_text(sidecar)
    [entry] = ingest([tmp_path / "s.txt"], tmp_path / "content", jobs=1)
    assert entry.outcome == "rejected"
    assert "anchors and aliases are not allowed" in entry.reason and "s.meta.yml" in entry.reason
    assert sum(p.stat().st_size for p in (tmp_path / "content").rglob("*") if p.is_file()) < 10_000


@pytest.mark.parametrize("field", ["title", "author", "source", "summary", "url"])
@pytest.mark.parametrize("kind", ["json", "yml"])
def test_every_sidecar_field_is_bounded(tmp_path, field, kind):
    value = ("https://example.org/" if field == "url" else "") + "x" * (model.FIELD_LIMITS[field] + 1)
    (tmp_path / "s.txt").write_text(story(7))
    data = {field: value}
    (tmp_path / f"s.meta.{kind}").write_text(json.dumps(data))  # JSON is YAML too
    [entry] = ingest([tmp_path / "s.txt"], tmp_path / "content", jobs=1)
    assert entry.outcome == "rejected"
    assert entry.reason == (f"sidecar s.meta.{kind}: {field} is {len(value):,} characters "
                            f"(limit {model.FIELD_LIMITS[field]:,})")


@pytest.mark.parametrize("field", ["author", "source", "summary"])
def test_an_over_long_field_from_a_reader_is_left_out_and_reported(tmp_path, field):
    record = {"title": "A record with one field far too long", "text": "\n\n".join(body(8)),
              field: "word " * model.FIELD_LIMITS[field]}
    (tmp_path / "x.json").write_text(json.dumps(record))
    [entry] = ingest([tmp_path / "x.json"], tmp_path / "content", jobs=1)
    assert entry.outcome == "new" and f"{field} left out" in entry.reason
    assert field not in read_page(Path(entry.page))[0]


def test_an_over_long_title_rejects_the_record(tmp_path):
    record = {"title": "Title " * model.FIELD_LIMITS["title"], "text": "\n\n".join(body(9))}
    good = {"title": "A record with a title of usual length", "text": "\n\n".join(body(10))}
    (tmp_path / "x.jsonl").write_text(json.dumps(record) + "\n" + json.dumps(good) + "\n")
    entries = ingest([tmp_path / "x.jsonl"], tmp_path / "content", jobs=1)
    assert [(e.input.rsplit(":", 1)[1], e.outcome) for e in entries] == [("1", "rejected"), ("2", "new")]
    assert entries[0].reason == (f"title is {len(record['title'].strip()):,} characters "
                                 f"(limit {model.FIELD_LIMITS['title']:,})")


# ---- 6. content sniffing never loses text ------------------------------------------------------

def tag_heavy_scrape() -> str:
    """A .txt scrape whose first line starts with a tag, with 8+ tags up front and a literal '<!--'."""
    lines = ["<b>Three</b> <i>different</i> <u>articles</u> <em>in</em> <s>one</s> <q>scrape</q> <sub>file</sub> <sup>today</sup>"]
    for n in range(3):
        lines.append(f"Article {n}: " + " ".join(body(20 + n)))
        if n == 0:
            lines.append("The code sample showed <!-- as the start of a comment, and the text went on.")
    return "\n\n".join(lines) + "\n"


def test_a_txt_scrape_is_read_as_text_even_when_it_starts_with_tags(tmp_path):
    f = tmp_path / "scrape.txt"
    f.write_text(tag_heavy_scrape())
    [article] = read_file(f)
    for n in range(3):
        assert " ".join(body(20 + n)[:1])[:60] in article.body_text


def test_an_html_document_named_txt_is_still_read_as_html(tmp_path):
    f = tmp_path / "saved.txt"
    f.write_text("<!DOCTYPE html><html><head><title>A saved page about the convoy</title></head><body><article>"
                 + "".join(f"<p>{p}</p>" for p in body(30)) + "</article></body></html>")
    [article] = read_file(f)
    assert "<p>" not in article.body_text and body(30)[1] in article.body_text


def test_an_html_reader_that_keeps_a_fragment_reports_it(tmp_path):
    f = tmp_path / "page.html"
    visible = "".join(f"<p>{p}</p>" for p in body(31))
    hidden = " ".join(" ".join(body(40 + i)) for i in range(12))
    f.write_text(f"<html><head><title>A page whose text hides in a comment</title></head><body><article>{visible}"
                 f"<p>A literal <!-- in the text: {hidden}</p></article></body></html>")
    result = read_file(f)
    assert isinstance(result, Exception)
    assert str(result).startswith("an unclosed '<!--' hides the last ") and "fragment" in str(result)


# ---- 7. smaller ones -----------------------------------------------------------------------------

def test_255_nested_divs_still_give_the_text(tmp_path):
    f = tmp_path / "deep.html"
    f.write_text("<html><head><title>Deeply nested page about the convoy</title></head><body>" + "<div>" * 255
                 + "".join(f"<p>{p}</p>" for p in body(50)) + "</div>" * 255 + "</body></html>")
    [article] = read_file(f)
    assert body(50)[2] in article.body_text


@pytest.mark.parametrize("where", ["head", "tail"])
def test_nul_bytes_are_stripped_and_reported_wherever_they_are(tmp_path, where):
    text = story(51).encode()
    cut = 40 if where == "head" else len(text) - 40
    f = tmp_path / "nul.txt"
    f.write_bytes(text[:cut] + b"\x00\x00" + text[cut:])
    [entry] = ingest([f], tmp_path / "content", jobs=1)
    assert entry.outcome == "new" and entry.reason == "2 NUL bytes removed"
    assert "\x00" not in Path(entry.page).read_text(encoding="utf-8")


def test_the_size_limit_is_printed_in_mebibytes(tmp_path):
    f = tmp_path / "big.txt"
    with open(f, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    result = read_file(f)
    assert str(result) == "too large (21.0 MiB > 20 MiB limit)"


# ---- 9. exit status -------------------------------------------------------------------------------

def test_ingest_exit_status_tells_a_script_what_happened(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text(story(60))
    ok = run_archive("ingest", str(good), "--quiet", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    again = run_archive("ingest", str(good), "--quiet", cwd=tmp_path)  # unchanged: still success
    assert again.returncode == 0 and "1 unchanged" in again.stdout
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "b.txt").write_text(story(60))  # the same article again
    dup = run_archive("ingest", str(copy), "--quiet", cwd=tmp_path)
    assert dup.returncode == 0 and "0 rejected" in dup.stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "c.txt").write_text(story(61))
    some = run_archive("ingest", str(bad), "--quiet", cwd=tmp_path)
    assert some.returncode == 1 and "1 rejected" in some.stdout and "empty.txt: rejected: empty file" in some.stderr
    allbad = run_archive("ingest", str(bad / "empty.txt"), "--json", cwd=tmp_path)
    assert allbad.returncode == 1 and json.loads(allbad.stdout)["counts"]["rejected"] == 1
    missing = run_archive("ingest", str(good), str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert missing.returncode == 2 and "nope.txt: no such file or folder" in missing.stderr
    assert missing.stdout == ""  # nothing was ingested
    usage = run_archive("ingest", cwd=tmp_path)
    assert usage.returncode == 2
    helptext = run_archive("ingest", "--help", cwd=tmp_path)
    assert helptext.returncode == 0
    for line in ("0  every input became a page or is a known duplicate", "1  some inputs", "2  usage error"):
        assert line in helptext.stdout


def test_a_record_rejected_inside_a_file_also_gives_status_1(tmp_path):
    f = tmp_path / "export.jsonl"
    f.write_text(json.dumps({"title": "A good record about the convoy", "text": "\n\n".join(body(62))})
                 + "\n" + json.dumps({"text": "no title here"}) + "\n")
    out = run_archive("ingest", str(f), "--quiet", cwd=tmp_path)
    assert out.returncode == 1 and "1 new" in out.stdout and "1 rejected" in out.stdout
    assert os.path.exists(tmp_path / "content" / ".archive" / "rejects.jsonl")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252"])
def test_a_page_saved_in_another_encoding_keeps_its_article_one_page(tmp_path, encoding):
    """An editor's program saved an article's page as UTF-16: the next ingest saw no id in it and
    wrote the article a second page. The page is still known by its id and left as the editor
    saved it (the site build names the encoding)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(story(70, "Story about the convoy at Zahlé"), encoding="utf-8")
    assert run_archive("ingest", str(inbox), "--quiet", cwd=tmp_path).returncode == 0
    pages = list((tmp_path / "content").rglob("*.md"))
    assert len(pages) == 1
    saved = pages[0].read_text(encoding="utf-8").encode(encoding)
    pages[0].write_bytes(saved)
    again = run_archive("ingest", str(inbox), "--quiet", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert list((tmp_path / "content").rglob("*.md")) == pages
    assert pages[0].read_bytes() == saved
