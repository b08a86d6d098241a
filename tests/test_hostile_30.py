"""Round 30 of hostile input and tired-editor mistakes, each found by trying it on a scratch project:
every test fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import copy_project, run_archive
from .test_hostile_site import GOOD_PAGE, lenient_build

TITLE = "title: A hand-edited page about the convoy"


def _page(project: Path, text: str = GOOD_PAGE, name: str = "edited.md") -> Path:
    page = project / "content" / "articles" / "2024" / "05" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def _lines(result, needle: str = "articles/2024/05/edited.md") -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if needle in line]


@pytest.mark.parametrize("old, new, key", [
    (TITLE, r'title: "A hand-edited page about the convoy \x01\x1b[31m"', "title"),
    ("- Convoys", r'- "Convoys \x00"', "tags[0]"),
    ("source: Wire", r'source: "Wire \uffff"', "source"),
])
def test_a_control_character_typed_as_a_yaml_escape_is_one_line_not_a_broken_feed(tmp_path, old, new, key):
    """A YAML escape (`"\\x01"`, `"\\x00"`, `"\\uffff"`) puts a character XML forbids in a field: the
    strict build passed and feed.xml (and the tag's feed) was not well-formed XML, so every feed
    reader refused the whole feed. Ingest drops such characters; a hand edit is now one line naming
    the file and the key, and the value is left out."""
    project = copy_project(tmp_path / "p")
    assert old in GOOD_PAGE
    _page(project, GOOD_PAGE.replace(old, new))
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    lines = _lines(strict)
    assert len(lines) == 1 and f": {key}: " in lines[0] and "control character" in lines[0], lines
    assert lenient_build(project).returncode == 0
    for feed in (project / "site").rglob("*.xml"):
        ET.parse(feed)  # well-formed


PRIVATE = "Private draft about the convoy\n\n" + "\n\n".join(
    f"PRIVATE-LINE {i}: a draft kept in the home folder, never meant for the archive, paragraph {i}." for i in range(6)) + "\n"


@pytest.mark.parametrize("where", ["outside", "linked"])
def test_a_file_feed_outside_the_repository_is_refused_like_a_folder(tmp_path, where):
    """`feed: file:///etc/passwd` in archive.yml published the machine's user list as an article page
    (and any local text file the same way), though `folder: /` had been refused: a `file:` feed is a
    local file like a folder's. Now it must lie inside the repository too, or `archive update` stops
    before reading anything, with one line naming archive.yml and the source (exit status 2)."""
    outside = tmp_path / "home"
    outside.mkdir()
    (outside / "draft.txt").write_text(PRIVATE, encoding="utf-8")
    project = copy_project(tmp_path / "p")
    (project / "linked").symlink_to(outside)
    feed = (outside / "draft.txt").as_uri() if where == "outside" else (project / "linked" / "draft.txt").as_uri()
    (project / "archive.yml").write_text(f"sources:\n  - feed: {feed}\n", encoding="utf-8")
    out = run_archive("update", cwd=project)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stdout + out.stderr
    assert len(errors) == 1 and "archive.yml: sources[0]: feed" in errors[0] and "outside the repository" in errors[0], errors
    assert not (project / "content" / "articles").exists()
    (project / "feeds").mkdir()  # a feed saved inside the repository is still read
    (project / "feeds" / "draft.txt").write_text(PRIVATE, encoding="utf-8")
    (project / "archive.yml").write_text(f"sources:\n  - feed: {(project / 'feeds' / 'draft.txt').as_uri()}\n")
    ok = run_archive("update", cwd=project)
    assert ok.returncode == 0 and "1 new" in ok.stdout, ok.stdout + ok.stderr


def test_a_nul_character_in_a_source_is_one_line_not_a_traceback(tmp_path):
    """`folder: "inbox\\0/"` (a YAML escape) was a traceback (ValueError: embedded null byte)."""
    project = copy_project(tmp_path / "p")
    (project / "archive.yml").write_text('sources:\n  - folder: "inbox\\0/"\n', encoding="utf-8")
    out = run_archive("update", "--offline", cwd=project)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert len(errors) == 1 and "archive.yml: sources[0]: `folder`" in errors[0] and "NUL" in errors[0], errors


@pytest.mark.parametrize("path", [".", "", "content/about.md"])
def test_ingesting_the_repository_or_its_pages_is_refused(tmp_path, path):
    """`archive ingest .` in the repository (or `archive ingest "$INBOX"` with INBOX unset, which
    argparse reads as ".") took the hand-written pages (about.md, index.md…), mkdocs.yml, archive.yml
    and the whole built site (listings, tag pages) in as new articles: 282 new pages from a 35-article
    archive, a page per listing titled with the site's name. `folder: .` in archive.yml was refused
    already; the command line now refuses it the same way, before reading anything (exit status 2)."""
    project = copy_project(tmp_path / "p")
    (project / "site" / "archive").mkdir(parents=True)
    (project / "site" / "archive" / "index.html").write_text(
        "<html><head><title>Archive of the site</title></head><body><main><h1>Archive</h1>"
        + "".join(f"<p>Listing line {i} of a built page, naming the convoy and the checkpoint once more.</p>"
                  for i in range(12)) + "</main></body></html>", encoding="utf-8")
    out = run_archive("ingest", path, cwd=project)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stdout + out.stderr
    assert len(errors) == 1 and "content folder" in errors[0], errors
    assert not (project / "content" / "articles").exists()


@pytest.mark.parametrize("args, said", [
    (("ingest", "--content", "mkdocs.yml", "inbox"), "archive ingest: --content mkdocs.yml: is a file, not a folder"),
    (("update", "--offline", "--content", "mkdocs.yml"), "archive update: --content mkdocs.yml: is a file, not a folder"),
    (("update", "--offline", "--summary", "content"), "archive update: --summary content: is a folder"),
    (("build", "--site", "mkdocs.yml"), "the site folder is a file, not a folder"),
    (("ingest", "--time-limit", "nan", "inbox"), "--time-limit must be a positive number"),
])
def test_a_command_line_option_naming_the_wrong_kind_of_file_is_one_line(tmp_path, args, said):
    """Each was a traceback (NotADirectoryError, IsADirectoryError after the whole update had run,
    FileExistsError), or, for `--time-limit nan`, a read limit that never fired. Now one line, exit 2."""
    project = copy_project(tmp_path / "p")
    (project / "inbox").mkdir()
    (project / "inbox" / "story.txt").write_text(PRIVATE, encoding="utf-8")
    (project / "archive.yml").write_text("sources:\n  - folder: inbox/\n", encoding="utf-8")
    out = run_archive(*args, cwd=project)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stdout + out.stderr
    assert len(errors) == 1 and said in errors[0], errors
    assert not (project / "content" / "articles").exists()


def test_a_hand_written_file_at_an_address_the_archive_writes_is_one_line(tmp_path):
    """An editor adds a page of their own at a generated page's address (`content/tags/convoys.md`,
    `content/archive/2024-05.md`) or a file at an export's or the feed's (`content/data/articles.json`,
    `content/feed.xml`): one of the two was dropped without a word and the strict build passed (the
    generated one won, so the editor's page never appeared). Now each is one line naming the file."""
    project = copy_project(tmp_path / "p")
    _page(project)
    content = project / "content"
    for name, text in (("tags/convoys.md", "# Our convoy notes\n\nEDITOR-TAG-PAGE\n"),
                       ("archive/2024-05.md", "EDITOR-MONTH\n"), ("data/articles.json", "[]\n"),
                       ("feed.xml", "<rss/>\n"), ("notes/feed.xml", "<rss/>\n")):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    named = sorted(line.split("generator: ")[1].split(":")[0] for line in out.splitlines() if "where the archive writes" in line)
    assert named == ["archive/2024-05.md", "data/articles.json", "feed.xml", "tags/convoys.md"], out
    for name in ("tags/convoys.md", "archive/2024-05.md", "data/articles.json", "feed.xml"):
        (content / name).unlink()
    assert run_archive("build", cwd=project).returncode == 0


@pytest.mark.parametrize("typed", ["2024-05-012", "2024-05-01x", "2024-05-0123:00", "2024-05-01 by the desk"])
def test_a_date_with_a_slip_after_it_is_one_line_not_a_silently_cut_date(typed):
    """`date: 2024-05-012` (one key pressed twice) was read as its first ten characters, 1 May 2024:
    a wrong date published without a word. Only a date, or a date and a time, is a date now."""
    from generator.mkdocs_plugin.index import checked_meta

    fields, _, problems = checked_meta({"date": typed})
    assert fields["date"] is None and problems == [f"date: {typed!r} is not a date (YYYY-MM-DD)"]
    for fine in ("2024-05-01", " 2024-05-01 ", "2024-05-01T10:30:00Z", "2024-05-01 10:30", "2024-05-01 10:30:15.5 +02:00"):
        fields, _, problems = checked_meta({"date": fine})
        assert fields["date"].isoformat() == "2024-05-01" and problems == [], fine


@pytest.mark.parametrize("mark", ["\u202e", "\u2067"])
def test_a_direction_override_in_a_title_is_one_line(mark):
    """A right-to-left override pasted into a title (`Aid report \\u202egpj.exe`) was published as it
    was: left open, it reversed the rest of the listing line (date, source) and disguised the title.
    Ingest drops such characters; a hand edit is now named like any bad value. Arabic text itself,
    and the marks U+200E/U+200F that mixed lines use, are fine."""
    from generator.mkdocs_plugin.index import checked_meta

    fields, _, problems = checked_meta({"title": f"Aid report {mark}gpj.exe"})
    assert fields["title"] is None and len(problems) == 1 and problems[0].startswith("title: ")
    fields, _, problems = checked_meta({"title": "تقرير \u200fعن القافلة"})
    assert fields["title"] == "تقرير \u200fعن القافلة" and problems == []


def test_a_tag_named_index_does_not_replace_the_index_of_tags(tmp_path):
    """A tag named `Index` (or `INDEX.`) had its page at tags/index.md, the address of the index of
    all tags: the index page was replaced by the one tag's listing, every other tag unreachable from
    the navigation, and the strict build passed. Its page now has an address of its own."""
    from generator.mkdocs_plugin.index import name_slug

    assert name_slug("Index") != "index" and name_slug("Index") == name_slug("index.")
    assert name_slug("Convoys") == "convoys" and name_slug("Index funds") == "index-funds"  # URLs kept
    project = copy_project(tmp_path / "p")
    _page(project, GOOD_PAGE.replace("- Convoys\n", "- Index\n- Convoys\n"))
    built = run_archive("build", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    index = (project / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert 'href="convoys/"' in index and f'href="{name_slug("Index")}/"' in index
    own = (project / "site" / "tags" / name_slug("Index") / "index.html").read_text(encoding="utf-8")
    assert "A hand-edited page about the convoy" in own


def _built_site(project: Path) -> Path:
    """A folder as every MkDocs build leaves it (404.html, sitemap.xml) with one listing page."""
    site = project / "site"
    (site / "archive").mkdir(parents=True)
    for name in ("404.html", "sitemap.xml"):
        (site / name).write_text("<html></html>\n" if name.endswith("html") else "<urlset></urlset>\n", encoding="utf-8")
    (site / "archive" / "index.html").write_text(
        "<html><head><title>Archive of the site</title></head><body><main><h1>Archive</h1>"
        + "".join(f"<p>Listing line {i} of a built page, naming the convoy and the checkpoint once more.</p>"
                  for i in range(12)) + "</main></body></html>", encoding="utf-8")
    return site


@pytest.mark.parametrize("path", ["site", "site/archive"])
def test_ingesting_the_built_site_is_refused(tmp_path, path):
    """`archive ingest site/` (the built site beside the content folder) read the archive's own
    published pages back as new articles, a page per listing; now refused in one line, exit 2."""
    project = copy_project(tmp_path / "p")
    _built_site(project)
    out = run_archive("ingest", path, cwd=project)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stdout + out.stderr
    assert len(errors) == 1 and f"archive ingest: {path}: is or lies in a built site" in errors[0], errors
    assert not (project / "content" / "articles").exists()


def test_a_folder_source_in_the_built_site_or_naming_a_file_is_one_line(tmp_path):
    """`folder: site/` in archive.yml read the built site in as articles; `folder:` naming a file said
    "no such folder", which sent the editor looking for a typo in a name that exists."""
    project = copy_project(tmp_path / "p")
    _built_site(project)
    (project / "archive.yml").write_text("sources:\n  - folder: site/\n", encoding="utf-8")
    out = run_archive("update", "--offline", cwd=project)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stdout + out.stderr
    assert len(errors) == 1 and "built site" in errors[0], errors
    assert not (project / "content" / "articles").exists()
    (project / "notes.txt").write_text(PRIVATE, encoding="utf-8")
    (project / "archive.yml").write_text("sources:\n  - folder: notes.txt\n", encoding="utf-8")
    out = run_archive("update", "--offline", cwd=project)
    assert "notes.txt" in out.stderr and "a file, not a folder" in out.stderr, out.stderr


@pytest.mark.parametrize("command", ["ingest", "update"])
@pytest.mark.parametrize("jobs", ["0", "-3", "two"])
def test_a_number_of_jobs_below_one_is_a_usage_error(tmp_path, command, jobs):
    """`--jobs 0` and `--jobs -3` were taken without a word; now argparse's one usage line, exit 2."""
    project = copy_project(tmp_path / "p")
    (project / "inbox").mkdir()
    (project / "inbox" / "story.txt").write_text(PRIVATE, encoding="utf-8")
    args = ("ingest", "--jobs", jobs, "inbox") if command == "ingest" else ("update", "--offline", "--jobs", jobs)
    out = run_archive(*args, cwd=project)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert "--jobs" in out.stderr and "1 or more" in out.stderr, out.stderr
    assert not (project / "content" / "articles").exists()


def _break(page: Path, how: str) -> None:
    text = page.read_text(encoding="utf-8")
    if how == "bad yaml":  # an unclosed quote typed into a field
        page.write_text(text.replace("\ntitle: ", '\nsubtitle: "unclosed\ntitle: ', 1), encoding="utf-8")
    elif how == "a list":  # the front matter replaced by a list
        page.write_text("---\n- one\n- two\n---\n" + text.split("\n---\n", 1)[1], encoding="utf-8")
    else:  # emptied
        page.write_text("", encoding="utf-8")


@pytest.mark.parametrize("how", ["bad yaml", "a list", "emptied"])
def test_a_revised_input_whose_page_an_editor_broke_is_rejected_not_lost_or_doubled(tmp_path, how):
    """An editor breaks a page's front matter (an unclosed quote, a list, an emptied file), then the
    page's input is revised. The revision was reported `unchanged` and never shown (unclosed quote),
    or the article got a second page (list, empty). Now the input is rejected with one line naming
    its page, again each run while the page stays broken, and the revision lands once it is fixed."""
    from .test_hostile_more import ingested_story

    inbox, story, paras, content, page = ingested_story(tmp_path, seed=43)
    good = page.read_text(encoding="utf-8")
    _break(page, how)
    story.write_text("Convoy reaches the border crossing after long talks\n\n" + "\n\n".join(paras)
                     + "\n\nA late paragraph: the drivers were given two days of rest in the town.\n")
    for _ in range(2):
        again = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
        out = again.stdout + again.stderr
        assert again.returncode == 1 and "Traceback" not in out and "1 rejected" in again.stdout, out
        lines = [line for line in out.splitlines() if "rejected:" in line]
        rel = page.relative_to(content).as_posix()
        assert len(lines) == 1 and "story.txt" in lines[0] and f"its page {rel} cannot be read" in lines[0], lines
        assert list((content / "articles").rglob("*.md")) == [page]
    page.write_text(good, encoding="utf-8")  # fixed by hand
    fixed = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    assert fixed.returncode == 0 and "1 updated" in fixed.stdout, fixed.stdout + fixed.stderr
    assert list((content / "articles").rglob("*.md")) == [page]
    assert "two days of rest" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("what", ["geoparse", "scrapes", "extract"])
@pytest.mark.parametrize("name, data", [("mkdocs.yml", b"site_name: x\n"), ("gold.jsonl.gz", b"not gzip at all"),
                                        ("gold.jsonl", b"\xff\xfe\x00bad")])
def test_an_eval_command_given_a_file_that_is_not_gold_data_is_one_line(tmp_path, what, name, data):
    """`archive eval geoparse mkdocs.yml` (a slip of the tab key) was a traceback (JSONDecodeError)."""
    (tmp_path / name).write_bytes(data)
    out = run_archive("eval", what, name, cwd=tmp_path)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert len(errors) == 1 and f"archive eval {what}: {name}: not JSON Lines of gold records" in errors[0], errors
