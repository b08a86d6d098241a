"""More hostile input and tired-editor mistakes, each found by trying it on a scratch project: the
test fails on the code before its fix (commit messages say what happened before)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from .conftest import copy_project, run_archive
from .test_hostile_site import GOOD_PAGE


HEADLINE = "Convoy reaches the border crossing after long talks"


def ingested_story(tmp_path: Path, seed: int = 41) -> tuple[Path, Path, list[str], Path, Path]:
    """A story ingested once into tmp_path/content: (inbox, the story's file, its paragraphs, the
    content folder, its page)."""
    from .test_hostile_site import body

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    story = inbox / "story.txt"
    paras = body(seed, 4)
    story.write_text(HEADLINE + "\n\n" + "\n\n".join(paras) + "\n")
    content = tmp_path / "content"
    first = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    assert first.returncode == 0 and "1 new" in first.stdout, first.stdout + first.stderr
    return inbox, story, paras, content, next((content / "articles").rglob("*.md"))


def _page(project: Path, text: str = GOOD_PAGE, name: str = "edited.md") -> Path:
    page = project / "content" / "articles" / "2024" / "05" / name
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def test_a_symbolic_link_out_of_the_content_folder_is_never_published(tmp_path):
    """A link committed into content/ (to a file, to a folder, as an article page) was followed by
    MkDocs and its target copied into the site: `content/notes.txt -> /etc/passwd` published the
    build machine's file. Now each is left out, in one line naming the link, and the strict build fails."""
    outside = tmp_path / "home"
    (outside / "keys").mkdir(parents=True)
    (outside / "secret.txt").write_text("SECRET-FILE-TEXT\n")
    (outside / "keys" / "id.txt").write_text("SECRET-IN-FOLDER\n")
    (outside / "story.md").write_text(GOOD_PAGE.replace("The convoy reached", "SECRET-AS-PAGE The convoy"))
    project = copy_project(tmp_path / "p")
    content = project / "content"
    page = _page(project)
    os.symlink(outside / "secret.txt", content / "notes.txt")
    os.symlink(outside / "keys", content / "files")
    os.symlink(outside / "story.md", page.parent / "linked.md")
    os.symlink("edited.md", page.parent / "inside.md")  # a link that stays inside is fine
    os.symlink(tmp_path / "missing", content / "dangling.txt")
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    for link in ("notes.txt", "files", "articles/2024/05/linked.md", "dangling.txt"):
        lines = [line for line in out.splitlines() if f"{link}: symbolic link to " in line]
        assert len(lines) == 1 and "outside the content folder" in lines[0], out
    assert "inside.md: symbolic link" not in out
    site = project / "site"
    published = [p for p in site.rglob("*") if p.is_file()]
    assert published, "the site was built"
    for p in published:
        data = p.read_bytes()
        assert b"SECRET-" not in data, p
    assert not (site / "notes.txt").exists() and not (site / "files").exists()
    assert (site / "articles" / "2024" / "05" / "edited" / "index.html").is_file()


@pytest.mark.parametrize("folder, said", [
    ("/", "is outside the repository"),
    ("../outside", "is outside the repository"),
    ("linked", "is outside the repository"),  # a folder of the repository that is a link out of it
    (".", "holds the archive's own pages"),
    ("content/", "holds the archive's own pages"),
    ("content/articles", "holds the archive's own pages"),
])
def test_a_source_folder_outside_the_repository_or_over_its_pages_is_refused(tmp_path, folder, said):
    """`folder: /` (or `../..`, or a link to the home folder) in archive.yml read the machine's files
    and published every text and HTML file among them as an article; `folder: .` or `content/` read
    the archive's own pages (about.md, index.md…) in as new articles. Now `archive update` stops
    before reading anything, with one line naming archive.yml, the source and the reason (exit 2)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private-notes.txt").write_text("Private notes about the convoy\n\n" + " ".join(["word"] * 80) + "\n")
    project = copy_project(tmp_path / "p")
    os.symlink(outside, project / "linked")
    (project / "archive.yml").write_text(f"sources:\n  - folder: {folder}\n", encoding="utf-8")
    out = run_archive("update", "--offline", cwd=project)
    errors = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert len(errors) == 1 and "archive.yml: sources[0]: folder" in errors[0] and said in errors[0], errors
    assert not (project / "content" / "articles").exists()
    (project / "inbox").mkdir()
    (project / "inbox" / "story.txt").write_text((outside / "private-notes.txt").read_text())
    (project / "archive.yml").write_text("sources:\n  - folder: inbox/\n", encoding="utf-8")
    ok = run_archive("update", "--offline", cwd=project)
    assert ok.returncode == 0 and "1 new" in ok.stdout, ok.stdout + ok.stderr


def test_a_page_copied_with_its_id_is_one_line_naming_both(tmp_path):
    """An editor copies a page to start a new one and keeps its `id`. The build published both without
    a word, and a re-ingest of the article updated only the page found first by id (the copy, when its
    name sorts first: the editor's new page took the article's revised summary, the original stayed
    stale). Now the strict build fails with one line naming the copy and the page it copies."""
    project = copy_project(tmp_path / "p")
    _page(project, name="original.md")
    _page(project, GOOD_PAGE.replace("title: A hand-edited page about the convoy", "title: My new page"),
          name="a-copy.md")
    _page(project, GOOD_PAGE.replace("0123456789abcdef", "fedcba9876543210").replace("about the convoy", "other"),
          name="other.md")
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    lines = [line for line in out.splitlines() if "is also the id of" in line]
    assert len(lines) == 1 and ("articles/2024/05/a-copy.md: its id 0123456789abcdef is also the id of "
                                "articles/2024/05/original.md: one article on two pages") in lines[0], out
    (project / "content" / "articles" / "2024" / "05" / "a-copy.md").write_text(
        GOOD_PAGE.replace("id: 0123456789abcdef\n", "").replace("about the convoy", "mine"), encoding="utf-8")
    again = run_archive("build", cwd=project)
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_file_name_with_a_line_break_is_still_one_report_line(tmp_path):
    """A rejected input named `empty\\nall good: 0 rejected.txt` printed two lines, the second one
    passing for a report line of its own (a carriage return could overwrite the line on a terminal).
    Now every report line is one line, with the control character shown as its escape."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty\nall good: 0 rejected.txt").write_text("")
    (inbox / "ok\rfine.txt").write_text("")
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    lines = out.stderr.splitlines()
    assert sorted(lines) == [f"{inbox}/empty\\nall good: 0 rejected.txt: rejected: empty file",
                             f"{inbox}/ok\\rfine.txt: rejected: empty file"], lines
    assert "\r" not in out.stderr


def test_an_article_page_moved_out_of_the_articles_folder_is_one_line(tmp_path):
    """An editor moves a page to content/ (or another folder). It was published as a plain page, and
    the next ingest, which finds pages under articles/ only, wrote the article's page again there:
    the article twice on the site, the moved copy's edits on neither, without a word. Now the strict
    build fails with one line naming the page; a hand-written page with an `id` of another shape is fine."""
    project = copy_project(tmp_path / "p")
    (project / "content" / "moved.md").write_text(GOOD_PAGE, encoding="utf-8")
    (project / "content" / "notes").mkdir()
    (project / "content" / "notes" / "own.md").write_text("---\nid: contact\ntitle: Contact\n---\n\nWrite to us.\n")
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    lines = [line for line in out.splitlines() if "outside articles/" in line]
    assert len(lines) == 1 and "moved.md: an article page (id 0123456789abcdef) outside articles/" in lines[0], out
    (project / "content" / "moved.md").unlink()
    _page(project, name="moved.md")
    again = run_archive("build", cwd=project)
    assert again.returncode == 0, again.stdout + again.stderr


def _names(n: int) -> list[str]:
    syllables = ["ka", "lo", "ri", "ven", "tar", "mu", "sel", "dor", "pha", "zin", "bek", "ul"]
    return [(a + b + c).capitalize() for a in syllables for b in syllables for c in syllables][:n]


def test_a_page_with_a_thousand_and_one_tags_is_one_line_not_a_site_of_gigabytes(tmp_path):
    """A hand-edited page with 10,000 tags made 10,000 tag pages, each listing the other 9,999: a
    3.7 GB site in 207 s (7 s without it). Now a list past MAX_LIST_ENTRIES is ignored, in one line."""
    from generator.model import MAX_LIST_ENTRIES

    project = copy_project(tmp_path / "p")
    tags = "".join(f"- {name}\n" for name in _names(MAX_LIST_ENTRIES + 1))
    _page(project, GOOD_PAGE.replace("tags:\n- Convoys\n", "tags:\n" + tags))
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    lines = [line for line in out.splitlines() if "articles/2024/05/edited.md" in line]
    assert len(lines) == 1 and f"tags: {MAX_LIST_ENTRIES + 1:,} entries (limit {MAX_LIST_ENTRIES:,})" in lines[0], out
    assert len(list((project / "site" / "tags").iterdir())) < 10


def test_an_input_naming_more_places_than_a_page_holds_gets_the_first(monkeypatch):
    """An input naming every place of the gazetteer (323 names of the overlay gave 323 locations)
    made a page whose lists the build refuses; the enricher keeps the first MAX_LIST_ENTRIES."""
    from generator import enrich
    from generator.enrich.places import ListGazetteer
    from generator.enrich.tags import Term, Vocabulary
    from generator.model import Article, Block, Place

    monkeypatch.setattr(enrich, "MAX_LIST_ENTRIES", 40)
    names = _names(60)
    gazetteer = ListGazetteer([(Place(name=n, country="Syria", kind="city"), ()) for n in names[:50]])
    vocabulary = Vocabulary([Term(name=n, kind="topic") for n in names[50:]] +
                            [Term(name=f"{n} group", kind="topic") for n in names[:45]])
    text = " ".join(f"Fighting was reported in {n} on Tuesday, the {n} group said." for n in names)
    article = Article(title="Fighting in many towns", blocks=[Block("p", text)], origin="x.txt")
    out = enrich.tags_and_places(article, enrich.Context(vocabulary=vocabulary, gazetteer=gazetteer))
    assert len(out.places) == 40 and [p.name for p in out.places] == names[:40]
    assert len(out.tags) == 40


@pytest.mark.parametrize("edit", ["duplicate_ids: 5", "sources: 5", "duplicate_ids: {a: 1}", "sources: {file: x}"])
def test_a_mistyped_duplicate_ids_or_sources_never_stops_the_ingest(tmp_path, edit):
    """`duplicate_ids: 5` typed into a page was a traceback that stopped every later ingest of the
    content folder (TypeError in the page finder); `sources: 5` rejected the page's input, when it was
    revised, with "could not be written: TypeError: 'int' object is not iterable". Now a value that
    is not a list counts as none: the revised input updates its page."""
    inbox, story, paras, content, page = ingested_story(tmp_path)
    text = page.read_text(encoding="utf-8")
    key = edit.split(":")[0]
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:") or line == "---" and i > 0)
    end = start + 1
    while lines[start].startswith(f"{key}:") and end < len(lines) and lines[end].startswith(("- ", "  ")):
        end += 1
    if lines[start].startswith(f"{key}:"):
        lines[start:end] = [edit]
    else:
        lines.insert(start, edit)
    page.write_text("\n".join(lines), encoding="utf-8")
    story.write_text("Convoy reaches the border crossing after long talks\n\n" + "\n\n".join(paras)
                     .replace("the talks ended", "the long talks ended", 1) + "\n")
    again = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    out = again.stdout + again.stderr
    assert again.returncode == 0 and "Traceback" not in out and "1 updated" in again.stdout, out
    assert "the long talks ended" in page.read_text(encoding="utf-8")


PASTED = """

An embed pasted from the source: <blockquote class="twitter-tweet">a post</blockquote>
<script async src="https://platform.twitter.com/widgets.js"></script>

<meta http-equiv="refresh" content="0;url=https://evil.example/"> [read more](javascript:alert(1)) and
[there](JaVa&#115;cript:alert(2)) <img src="x" onerror="alert(3)"> <script><img src=x onerror=alert(4)></script>

<!-- a comment --!><img src=x onerror=alert(5)> [a fine link](https://example.org/a) and *emphasis*.
"""


def test_raw_html_pasted_into_a_body_is_shown_as_text_and_named(tmp_path):
    """An editor pastes an embed code, a meta refresh or a javascript: link into a page's text:
    published as it was, it ran on the site (and loaded a script from another host). Now each such
    tag is shown as text, one line names the file and the tag, and the strict build fails; Markdown
    links to http(s) and emphasis still work."""
    from .test_hostile_site import scan

    project = copy_project(tmp_path / "p")
    _page(project, GOOD_PAGE + PASTED)
    for _ in range(2):  # the warning is given again by the next build: the page is not kept as built
        strict = run_archive("build", cwd=project)
        out = strict.stdout + strict.stderr
        assert strict.returncode == 1 and "Traceback" not in out, out
        lines = [line for line in out.splitlines() if "articles/2024/05/edited.md: body: " in line]
        assert len(lines) >= 7 and all("is shown as text" in line for line in lines), out
    built = project / "site" / "articles" / "2024" / "05" / "edited" / "index.html"
    text = built.read_text(encoding="utf-8")
    s = scan(built)
    assert not s.unsafe, s.unsafe
    assert "<script async" not in text and 'http-equiv="refresh"' not in text and "onerror=\"alert" not in text
    assert '<a href="https://example.org/a">a fine link</a>' in text and "<em>emphasis</em>" in text


def test_an_attribute_list_in_a_body_cannot_add_a_handler(tmp_path):
    """attr_list (mkdocs.yml) reads `{ onmouseover=… }` after a heading or paragraph as attributes:
    a body holding no `<` and no link added a handler to the page."""
    from .test_hostile_site import scan

    project = copy_project(tmp_path / "p")
    _page(project, GOOD_PAGE + "\n## A heading { onmouseover=alert(1) }\n\nA paragraph.\n{: onclick=\"alert(2)\" }\n")
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "body: onmouseover= on <h2>" in out and "body: onclick= on <p>" in out, out
    assert not scan(project / "site" / "articles" / "2024" / "05" / "edited" / "index.html").unsafe


def test_a_site_folder_of_other_files_is_not_built_into(tmp_path):
    """`site` linked to a folder of other files (or `--site` naming one: a home folder, a web root)
    lost every one of them at the end of a successful `archive build`, which removes what it did not
    write. Now such a folder is refused in one line, exit status 2, and keeps its files; an empty
    folder, a site this archive built, and an MkDocs site built before are built into as before."""
    project = copy_project(tmp_path / "p")
    _page(project)
    victim = tmp_path / "victim"
    (victim / "docs").mkdir(parents=True)
    (victim / "precious.txt").write_text("keep me\n")
    (victim / "docs" / "notes.md").write_text("keep me too\n")
    os.symlink(victim, project / "site")
    for args in (("build",), ("build", "--site", str(victim))):
        out = run_archive(*args, cwd=project)
        assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
        errors = out.stderr.strip().splitlines()
        assert len(errors) == 1 and "holds files no build wrote (docs, precious.txt)" in errors[0], errors
        assert sorted(p.name for p in victim.iterdir()) == ["docs", "precious.txt"]
        assert (victim / "docs" / "notes.md").read_text() == "keep me too\n"
    (project / "site").unlink()
    first = run_archive("build", cwd=project)
    assert first.returncode == 0, first.stderr
    (project / "site" / "stale.html").write_text("from an earlier build")
    again = run_archive("build", cwd=project)
    assert again.returncode == 0 and not (project / "site" / "stale.html").exists(), again.stderr
    bad = _page(project, GOOD_PAGE.replace("lat: 36.2", "lat: north"), name="bad.md")
    shutil.rmtree(project / "site")
    failed = run_archive("build", cwd=project)  # a strict build that fails halfway: its folder stays ours
    assert failed.returncode == 1 and (project / "site").is_dir(), failed.stderr
    bad.unlink()
    assert run_archive("build", cwd=project).returncode == 0


def test_a_date_typed_years_ahead_is_one_line_and_the_strict_build_fails(tmp_path):
    """An editor types 2062 for 2026: the article sorted above every other on the home page, its tag
    and place listings and the feeds, for decades, and the strict build passed without a word. Now one
    line names the page and the day of the build (SOURCE_DATE_EPOCH's when set, so the verdict on an
    old commit is the same later); a date up to a day ahead (another time zone) is fine."""
    project = copy_project(tmp_path / "p")
    _page(project, GOOD_PAGE.replace("date: 2024-05-01", "date: 2062-05-01"))
    _page(project, GOOD_PAGE.replace("0123456789abcdef", "fedcba9876543210").replace("date: 2024-05-01", "date: 2024-05-03")
          .replace("about the convoy", "other"), name="tomorrow.md")
    day = "1714608000"  # 2024-05-02 00:00 UTC
    strict = run_archive("build", cwd=project, env={"SOURCE_DATE_EPOCH": day})
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    lines = [line for line in out.splitlines() if "after the day of the build" in line]
    assert len(lines) == 1 and ("articles/2024/05/edited.md: date: 2062-05-01 is after the day of the build "
                                "(2024-05-02)") in lines[0], out
    (project / "content" / "articles" / "2024" / "05" / "edited.md").write_text(GOOD_PAGE, encoding="utf-8")
    again = run_archive("build", cwd=project, env={"SOURCE_DATE_EPOCH": day})
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_revised_input_still_updates_its_page_after_an_editor_typed_over_its_id(tmp_path):
    """An editor types over a page's `id` (a slip of the keyboard, or "tidying" it). The next revised
    text of the page's input was then taken for a near-duplicate of its own page: listed in its
    `duplicate_ids`, the revision never shown, and every later ingest called it unchanged. Now the
    ledger's record of what this input wrote at that page finds it: the page takes the revision and
    the revised text's id, the editor's other fixes stay, one line says what happened."""
    inbox, story, paras, content, page = ingested_story(tmp_path)
    text = page.read_text(encoding="utf-8")
    old_id = text.split("\nid: ", 1)[1].split("\n", 1)[0].strip("'\"")
    typed = old_id[:-1] + ("a" if old_id[-1] != "a" else "b")  # one key slipped
    text = text.replace(f"id: {old_id}", f"id: {typed}", 1)
    text = text.replace("\ntitle: Convoy reaches", "\ntitle: Convoy finally reaches", 1)
    page.write_text(text, encoding="utf-8")
    story.write_text("Convoy reaches the border crossing after long talks\n\n" + "\n\n".join(paras)
                     .replace("the talks ended", "the long talks ended", 1) + "\n")
    again = run_archive("ingest", str(inbox), "--content", str(content), "--json", cwd=tmp_path)
    out = again.stdout + again.stderr
    assert again.returncode == 0 and "Traceback" not in out, out
    (entry,) = [e for e in json.loads(again.stdout)["entries"] if e["outcome"] != "unchanged"]
    assert entry["outcome"] == "updated" and f"was typed over {old_id} by hand" in entry["reason"], out
    pages = list((content / "articles").rglob("*.md"))
    after = page.read_text(encoding="utf-8")
    assert pages == [page] and "the long talks ended" in after and "title: Convoy finally reaches" in after
    assert f"id: {typed}" not in after and "duplicate_ids" not in after, after
    third = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    assert third.returncode == 0 and "1 unchanged" in third.stdout, third.stdout + third.stderr
