"""Round 32 of hostile input and tired-editor mistakes, each found by trying it on a scratch project:
every test fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, copy_project, run_archive
from .test_hostile_30 import _page
from .test_hostile_more import HEADLINE, ingested_story
from .test_hostile_site import GOOD_PAGE, body


def _plugin_option(project: Path, text: str) -> None:
    """mkdocs.yml with the archive plugin given `text` (option lines, indented for it)."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - archive\n", "  - archive:\n" + text), encoding="utf-8")


def _dated(day: str, n: int) -> str:
    return (GOOD_PAGE.replace("date: 2024-05-01", f"date: {day}").replace("0123456789abcdef", f"{n:016x}")
            .replace("about the convoy", f"about convoy {n}"))


def test_a_date_typed_before_any_article_could_be_is_one_line(tmp_path):
    """`date: 0001-01-01` (or 0202 for 2020, 1066 for 2016) typed by hand built without a word: the
    article went to a year-1 archive page ("1-01", sorted by text, so year 999 came before 2024),
    last everywhere, and the strict build passed. Now each is one line naming the file and the
    date (as a day past the build was), and the strict build fails; `earliest_date` lowers the
    bound for an archive of older articles."""
    project = copy_project(tmp_path / "p")
    for n, day in enumerate(("0001-01-01", "1066-10-14", "9999-12-31")):
        _page(project, _dated(day, n + 1), name=f"d{n}.md")
    _page(project)
    strict = run_archive("build", cwd=project, env={"SOURCE_DATE_EPOCH": "1714608000"})
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    named = [line for line in out.splitlines() if "date: " in line and "articles/2024/05/d" in line]
    assert len(named) == 3, out
    assert "d0.md: date: 0001-01-01 is before 1950-01-01" in named[0] and "d1.md: date: 1066-10-14" in named[1], named
    assert "d2.md: date: 9999-12-31 is after the day of the build" in named[2], named
    _plugin_option(project, "      earliest_date: 1000-01-01\n")
    (project / "content" / "articles" / "2024" / "05" / "d2.md").unlink()
    lowered = run_archive("build", cwd=project)
    out = lowered.stdout + lowered.stderr
    assert lowered.returncode == 1 and "0001-01-01 is before 1000-01-01" in out and "1066" not in out, out


def test_a_sidecar_date_yaml_reads_as_a_day_is_held_to_the_readers_bounds(tmp_path):
    """YAML reads `date: 0001-01-01` in a sidecar as a date of its own, which was taken as it was
    (no reader yields a day before 1950 or after tomorrow): the article was published in year 1, or
    9999, at the top of every listing. Now such a sidecar rejects its input, as any other date
    that is not one does, with a line naming the sidecar and the date."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n, day in enumerate(("0001-01-01", "9999-12-31")):
        (inbox / f"s{n}.txt").write_text(f"{HEADLINE} {n}\n\n" + "\n\n".join(body(n, 3)) + "\n", encoding="utf-8")
        (inbox / f"s{n}.txt.meta.yml").write_text(f"date: {day}\nsource: Wire\n", encoding="utf-8")
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), "--json", cwd=tmp_path)
    entries = json.loads(out.stdout)["entries"]
    assert out.returncode == 1 and [e["outcome"] for e in entries] == ["rejected", "rejected"], out.stdout
    assert "s0.txt.meta.yml: date 0001-01-01 is not a plausible" in entries[0]["reason"], entries
    assert not (tmp_path / "content" / "articles").exists() or not list((tmp_path / "content" / "articles").rglob("*.md"))


@pytest.mark.parametrize("typed", ["the", "'Latest articles'", '"<!-- one\\n two -->"'])
def test_a_home_marker_that_prose_can_hold_is_a_configuration_error(tmp_path, typed):
    """`home_marker: the` was taken: every "the" of the home page became a list of the latest
    articles (the heading's, the introduction's), and the strict build passed. A marker is now an
    HTML comment on a line of its own, which prose cannot hold by accident."""
    project = copy_project(tmp_path / "p")
    _plugin_option(project, f"      home_marker: {typed}\n")
    out = run_archive("build", cwd=project)
    said = [line for line in out.stderr.splitlines() if "home_marker" in line]
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(said) == 1, out.stderr
    assert "HTML comment" in said[0], said


def test_a_home_page_without_its_marker_line_is_one_line(tmp_path):
    """An index.md whose marker line went with the text around it (or never had one) built a home
    page with no latest articles, without a word. Now one line names index.md and the marker, and
    the strict build fails; `home_latest: 0` says the list is not wanted. The marker counts only on
    a line of its own: the same comment quoted inside a sentence stays as it is."""
    project = copy_project(tmp_path / "p")
    _page(project)
    home = project / "content" / "index.md"
    typed = home.read_text(encoding="utf-8")
    home.write_text(typed.replace("<!-- archive:latest -->", "Put `<!-- archive:latest -->` on a line."),
                    encoding="utf-8")
    out = run_archive("build", cwd=project)
    said = [line for line in out.stderr.splitlines() if "home_marker" in line]
    assert out.returncode == 1 and len(said) == 1 and said[0].startswith("WARNING") and "index.md" in said[0], out.stderr
    _plugin_option(project, "      home_latest: 0\n")
    assert run_archive("build", cwd=project).returncode == 0
    home.write_text(typed.replace("<!-- archive:latest -->", "  <!-- archive:latest -->  \r"), encoding="utf-8")
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text().replace("      home_latest: 0\n", ""))
    again = run_archive("build", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "A hand-edited page about the convoy" in (project / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, env, said", [
    (("review", "--limit", "-1"), {}, "--limit"),
    (("review", "--limit", "0"), {}, "--limit"),
    (("review", "--min-articles", "-5"), {}, "--min-articles"),
    (("eval", "tags", "gold.jsonl", "--limit", "-1"), {}, "--limit"),
    (("eval", "extract", "gold.jsonl", "--limit", "0"), {}, "--limit"),
    (("eval", "extract", "gold.jsonl"), {"ARCHIVE_EVAL_JOBS": "two"}, "ARCHIVE_EVAL_JOBS"),
])
def test_a_count_below_what_it_can_mean_is_a_usage_error(tmp_path, args, env, said):
    """`review --limit -1` left out each group's last name, `--min-articles -5` was taken, `eval
    --limit -1` read one record in one evaluation and none in another, `--limit 0` none in one and
    all in another; ARCHIVE_EVAL_JOBS=two was a traceback. Each is now one line naming it, exit 2."""
    (tmp_path / "gold.jsonl").write_text('{"text": "A gold record.", "title": "Gold"}\n', encoding="utf-8")
    (tmp_path / "content").mkdir()
    out = run_archive(*args, cwd=tmp_path, env=env)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    errors = [line for line in out.stderr.splitlines() if "error" in line or "ARCHIVE_EVAL_JOBS" in line]
    assert len(errors) == 1 and said in errors[0] and "or more" in errors[0], out.stderr


def test_an_input_in_decomposed_unicode_is_read_composed(tmp_path):
    """An input whose text is decomposed Unicode ("Zürich" as u + U+0308: macOS, some keyboards,
    some exports) was written to its page as it was: the gazetteer did not know the name, so the
    article lost its place (no `locations`, no map), and the page held text a search of the files
    for "Zürich" does not find. Every text field an input gives is now composed (NFC) by the same
    function that reads front matter, without zero-width spaces and soft hyphens (which were already
    dropped); the article's id, made from NFKC text, is the one the composed input has."""
    import unicodedata

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    paras = [p + " Officials in Zürich said the café by the quai stayed shut." for p in body(7, 4)]
    record = {"title": "Zürich police reopen the Sécurité civile depot", "text": "\n\n".join(paras),
              "author": "Renée Mül\u00adler", "summary": "The depot in Zü\u200brich reopens.", "source": "Le Téléjournal"}
    line = json.dumps({k: unicodedata.normalize("NFD", v) for k, v in record.items()}, ensure_ascii=False)
    (inbox / "export.jsonl").write_text(line + "\n", encoding="utf-8")
    content = tmp_path / "content"
    first = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    assert first.returncode == 0 and "1 new" in first.stdout, first.stdout + first.stderr
    (page,) = (content / "articles").rglob("*.md")
    text = page.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text) and "\u200b" not in text and "\u00ad" not in text, ascii(text[:300])
    assert "- Zürich\n" in text and "author: Renée Müller" in text and "Le Téléjournal" in text, text[:600]
    composed_copy = tmp_path / "composed"
    composed_copy.mkdir()
    (composed_copy / "copy.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    again = run_archive("ingest", str(inbox), str(composed_copy), "--content", str(content), cwd=tmp_path)
    assert again.returncode == 0 and "1 unchanged" in again.stdout and "1 duplicate" in again.stdout, again.stdout
    assert page.read_text(encoding="utf-8").split("sources:")[0] == text.split("sources:")[0]


def test_a_build_cache_folder_leading_out_of_the_project_is_refused(tmp_path):
    """`build_cache_dir: ../elsewhere` (a path copied from another layout) wrote the build cache
    into a folder outside the repository, created for it, out of sight of `git status` and
    `make clean`; a `.cache` linked out of the project did the same. A relative path must stay
    inside the project (one line, exit status 1, nothing written); an absolute one is taken as
    meant, as a CI runner's cache disk would be."""
    import os

    project = copy_project(tmp_path / "p")
    _page(project)
    _plugin_option(project, "      build_cache_dir: ../elsewhere/cache\n")
    out = run_archive("build", cwd=project)
    said = [line for line in out.stderr.splitlines() if "build_cache_dir" in line]
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(said) == 1, out.stderr
    assert "leads out of the project folder" in said[0] and not (tmp_path / "elsewhere").exists(), said
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../elsewhere/cache", ".cache/linked"))
    (tmp_path / "outside").mkdir()
    (project / ".cache").mkdir()
    os.symlink(tmp_path / "outside", project / ".cache" / "linked")
    linked = run_archive("build", cwd=project)
    assert linked.returncode == 1 and "leads out of the project folder" in linked.stderr, linked.stderr
    assert not list((tmp_path / "outside").iterdir())
    config.write_text(config.read_text().replace(".cache/linked", str(tmp_path / "ci-cache" / "build")))
    absolute = run_archive("build", cwd=project)
    assert absolute.returncode == 0, absolute.stderr
    assert (tmp_path / "ci-cache" / "build" / "CACHEDIR.TAG").is_file()


RAW_TEXT_BODIES = {
    # a browser reads these elements' content as text up to the closing tag; Python's parser does not
    "noembed": '<noembed><img title="</noembed><img src=x onerror=alert(101)>"></noembed>',
    "noframes": '<noframes><img title="</noframes><img src=x onerror=alert(102)>"></noframes>',
    "xmp": '<xmp><img title="</xmp><img src=x onerror=alert(103)>"></xmp>',
    "textarea": 'A note: <textarea><img title="</textarea><img src=x onerror=alert(104)>"></textarea>',
    "title": 'A note: <title><img title="</title><img src=x onerror=alert(105)>"></title>',
    "plaintext": "A note. <plaintext>",
    # fetched from another host as the page loads (a tracking pixel pasted with an embed code)
    "pixel": '<img src="https://tracker.example/p.gif" alt=""> <img srcset="//tracker.example/s.gif 1x">',
    "styled": '<span style="background: url(https://tracker.example/c.gif)">styled</span>',
}


def test_raw_text_elements_and_remote_loads_in_a_body_are_shown_as_text(tmp_path):
    """`<noembed><img title="</noembed><img src=x onerror=…>">` pasted into a page's text (as any
    raw-text element: noframes, xmp, textarea, title) passed the raw-HTML check, which saw one <img>
    with a title, and ran its handler in Chromium: the browser ends such an element at its closing
    tag, wherever that is. An `<img src="https://…">`, a `srcset` or a `style` with url() fetched from
    another host as the page loaded, and the strict build passed. Each is now shown as text and
    named in one line; the page opens in Chromium with no dialog and no request to another host."""
    from .test_hostile_site import in_chromium, lenient_build

    project = copy_project(tmp_path / "p")
    for n, (name, text) in enumerate(RAW_TEXT_BODIES.items()):
        _page(project, _dated("2024-05-01", n + 1).replace("The convoy reached", text + "\n\nThe convoy reached"),
              name=f"{name}.md")
    strict = run_archive("build", cwd=project)
    named = {line.split("articles/2024/05/")[1].split(".md")[0] for line in strict.stderr.splitlines()
             if ": body: " in line}
    assert strict.returncode == 1 and named == set(RAW_TEXT_BODIES), strict.stderr
    assert lenient_build(project).returncode == 0

    def visit(page, base: str) -> None:
        for name in RAW_TEXT_BODIES:
            page.goto(f"{base}/articles/2024/05/{name}/")
            page.wait_for_load_state("load")
            assert page.locator("footer").count() >= 1, name  # <plaintext> swallowed the rest of the page

    dialogs, elsewhere = in_chromium(project / "site", visit)
    assert dialogs == [] and elsewhere == [], (dialogs, elsewhere)


def _alias_bomb(levels: int = 9) -> str:
    """YAML of a few hundred bytes that expands to 10**levels strings (each level ten of the last)."""
    lines = ['l0: &l0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _capped(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command line under a 3 GB address-space limit and a 150 s timeout: what took more
    fails here instead of taking the machine's memory."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=150, preexec_fn=cap, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_yaml_aliases_in_a_page_are_one_line_not_a_build_out_of_memory(tmp_path):
    """A page whose front matter holds a YAML alias bomb (300 bytes, a billion entries once
    expanded: a bad merge, or a pull request meant to hurt) took `archive build` past 3 GB and 100 s
    (an article page: the warning printed the list; a page of the editors' own: a MemoryError
    traceback), and `archive ingest` rejected the page's article with "MemoryError" after 80 s.
    Anchors and aliases are refused as in sidecars: one line naming the page, which is built from
    its text alone; the ingest leaves the page as it is and says why."""
    project = copy_project(tmp_path / "p")
    bomb = _alias_bomb()
    _page(project, GOOD_PAGE.replace("---\nid:", "---\n" + bomb + "id:", 1).replace("- Convoys\n", "- *l8\n"))
    (project / "content" / "notes.md").write_text("---\n" + bomb + "title: Notes\n---\n\n# Notes\n\nKept by the desk.\n")
    out = _capped("build", cwd=project)
    said = [line for line in out.stderr.splitlines() if "anchors and aliases" in line]
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(said) == 2, out.stderr[-2000:]
    assert "articles/2024/05/edited.md" in said[0] and "notes.md" in said[1] and "line 2" in said[1], said

    (tmp_path / "ingest").mkdir()
    inbox, story, paras, content, page = ingested_story(tmp_path / "ingest")
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("---\nid:", "---\n" + bomb + "id:", 1).replace("\ntags:\n", "\ntags:\n- *l8\n", 1))
    again = _capped("ingest", str(inbox), "--content", str(content), "--json", cwd=tmp_path)
    (entry,) = json.loads(again.stdout)["entries"]
    assert again.returncode == 0 and entry["outcome"] == "unchanged" and "aliases" in entry["reason"], again.stdout


def test_a_symbolic_link_out_of_the_theme_folder_is_never_published(tmp_path):
    """MkDocs copies the theme folder's files (`theme_overrides/`) into the site following links, as
    it did the content folder's: `theme_overrides/robots.txt -> /proc/self/environ`, committed by
    mistake or in a pull request, published the deploy job's environment, and the strict build
    passed. A link out of the theme folder is now left out, in one line naming it (strict fails)."""
    import os

    from .test_hostile_site import lenient_build

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OF-THE-MACHINE\n")
    project = copy_project(tmp_path / "p")
    _page(project)
    os.symlink(secret, project / "theme_overrides" / "robots.txt")
    os.symlink("archive.css", project / "theme_overrides" / "assets" / "same.css")  # a link that stays inside
    strict = run_archive("build", cwd=project)
    said = [line for line in strict.stderr.splitlines() if "symbolic link" in line]
    assert strict.returncode == 1 and len(said) == 1 and "robots.txt" in said[0] and "theme" in said[0], strict.stderr
    assert lenient_build(project).returncode == 0
    assert not (project / "site" / "robots.txt").exists() and (project / "site" / "assets" / "same.css").is_file()
    assert not [p for p in (project / "site").rglob("*") if p.is_file() and b"SECRET-OF" in p.read_bytes()]


@pytest.mark.parametrize("how", ["deleted", "null"])
def test_a_page_whose_id_line_was_deleted_keeps_its_article_on_one_page(tmp_path, how):
    """An editor deletes (or blanks) the `id` line of an article's page, fixing its title in the
    same sitting. The next ingest of its input wrote the article a second page and reported it
    `new`: the article published twice, without a word. The ledger's record of the page this input
    wrote finds it: the page takes its id back (the editor's title stays), one line says so. A copy
    made to start a new page, id deleted, is still a page of its own (its input never wrote it)."""
    inbox, story, paras, content, page = ingested_story(tmp_path)
    text = page.read_text(encoding="utf-8")
    old_id = text.split("\nid: ", 1)[1].split("\n", 1)[0]
    typed = {"deleted": "", "blanked": "id:\n", "null": "id: null\n"}[how]
    edited = text.replace(f"id: {old_id}\n", typed, 1).replace("\ntitle: Convoy reaches", "\ntitle: Convoy finally reaches", 1)
    page.write_text(edited, encoding="utf-8")
    copy = page.with_name("my-own-notes.md")
    copy.write_text(edited.replace("Convoy finally reaches", "Notes on the convoy reaching"), encoding="utf-8")
    again = run_archive("ingest", str(inbox), "--content", str(content), "--json", cwd=tmp_path)
    (entry,) = json.loads(again.stdout)["entries"]
    assert again.returncode == 0 and entry["outcome"] == "updated" and "id line was deleted" in entry["reason"], again.stdout
    assert sorted(p.name for p in (content / "articles").rglob("*.md")) == sorted([page.name, copy.name])
    after = page.read_text(encoding="utf-8")
    assert f"\nid: {old_id}\n" in after and "title: Convoy finally reaches" in after, after[:400]
    assert "\nid: " not in copy.read_text(encoding="utf-8").replace("\nid: null\n", "\n").replace("\nid:\n", "\n")
    third = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    assert third.returncode == 0 and "1 unchanged" in third.stdout, third.stdout + third.stderr


def test_a_placeholder_typed_in_the_home_page_is_text_not_a_traceback(tmp_path):
    """The plugin marks where generated HTML goes with `<!-- archive:block N -->`. Typed into
    index.md (copied from a built page's source), `<!-- archive:block 5 -->` made the whole build a
    traceback (IndexError), and `<!-- archive:block 0 -->` a second list of the latest articles
    wherever it stood. The home page's own such text is now left inert (an invisible comment)."""
    project = copy_project(tmp_path / "p")
    _page(project)
    home = project / "content" / "index.md"
    home.write_text(home.read_text() + "\n<!-- archive:block 5 -->\n\nSee <!-- archive:block 0 --> also.\n")
    out = run_archive("build", cwd=project)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-1500:]
    assert (project / "site" / "index.html").read_text(encoding="utf-8").count("A hand-edited page about the convoy") == 1


@pytest.mark.parametrize("typed", ["2024-05-01 25:00", "2024-05-01T10:61:00Z", "2024-05-01 10:30:75"])
def test_a_date_with_a_time_that_is_no_time_is_one_line(typed):
    """`date: 2024-05-01 25:00` (a slip in the time): YAML leaves a time that is no time as text, and
    the build read its first ten characters, a date published as if nothing were wrong. Now it is
    one line, as any other date that is not one."""
    from generator.mkdocs_plugin.index import checked_meta

    fields, _, problems = checked_meta({"date": typed})
    assert fields["date"] is None and problems == [f"date: {typed!r} is not a date (YYYY-MM-DD)"]
    fields, _, problems = checked_meta({"date": "2024-05-01 23:59:60"})  # a leap second is a time
    assert fields["date"].isoformat() == "2024-05-01" and problems == []


def test_a_markdown_page_in_an_inbox_is_read_by_its_front_matter(tmp_path):
    """An archive page moved into an inbox (or a Jekyll or Hugo post sent for import) was read as a
    scraped dump: its article was titled "- Ceasefires" (a line of its tag list), the YAML and the
    Markdown escapes published as its text, under a new id. Such a file is now read by its front
    matter (title, date, summary, source, url, author) and its rendered Markdown: a page of ours is
    the same article again (a duplicate of its page), a post is an article, its markup never kept."""
    inbox, story, paras, content, page = ingested_story(tmp_path)
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    post = ("---\nlayout: post\ntitle: \"Ferry service resumes after repairs\"\ndate: 2024-03-12 10:00:00 +0100\n"
            "description: The ferry is back.\nauthor: Ines Calloway\n---\n\nThe **ferry** is back on the "
            "[harbour route](https://example.org/ferry) after weeks of repairs.\n\n<script>alert(1)</script>\n\n"
            "## Timetable\n\nCrossings every 90 minutes, the operator said on Tuesday.\n")
    (moved / "2024-03-12-ferry.markdown").write_text(post, encoding="utf-8")
    out = run_archive("ingest", str(moved), "--content", str(content), "--json", cwd=tmp_path)
    entries = {Path(e["input"]).name: e for e in json.loads(out.stdout)["entries"]}
    old_id = page.read_text(encoding="utf-8").split("\nid: ", 1)[1].split("\n", 1)[0]
    assert out.returncode == 0 and entries[page.name]["outcome"] in ("duplicate", "updated"), out.stdout
    assert Path(entries[page.name]["page"]).resolve() == page.resolve(), out.stdout  # its own page, no second one
    assert f"\nid: {old_id}\n" in page.read_text(encoding="utf-8")
    assert entries["2024-03-12-ferry.markdown"]["outcome"] == "new", out.stdout
    made = content / entries["2024-03-12-ferry.markdown"]["page"].split("content/", 1)[1]
    text = made.read_text(encoding="utf-8")
    assert made.parent.as_posix().endswith("articles/2024/03") and "title: Ferry service resumes after repairs" in text
    assert "summary: The ferry is back." in text and "author: Ines Calloway" in text, text
    assert "The ferry is back on the harbour route after weeks of repairs." in text and "**" not in text
    assert "## Timetable" in text and "layout" not in text and "<script>" not in text, text


def test_a_title_cannot_mention_people_or_issues_from_the_update_pull_request():
    """The daily update's pull request description lists every new title. A feed titling an item
    "Statement to @maintainers on owner/repo#1" made GitHub notify that team and mark that issue from
    the archive's pull request (GitHub finds `@name`, `#12`, `GH-12` in the rendered text, escaped or
    not). A word joiner (invisible) now follows each such `@`, `#` or `GH-`: the same visible text,
    no reference."""
    import html
    import re

    import markdown

    from generator.sources import Entry, UpdateResult, summary_markdown

    titles = ["Statement to @maintainers on owner/repo#1", "@lead writes: GH-42 and #7 are closed", "#3 in a series"]
    entries = [Entry(input=f"inbox/{n}.txt", outcome="new", page=f"content/articles/{n}.md", title=t)
               for n, t in enumerate(titles)]
    shown = html.unescape(re.sub(r"<[^>]+>", "", markdown.markdown(summary_markdown(UpdateResult(entries, [])))))
    assert not re.search(r"@\w|#\w|GH-\d", shown), shown
    assert all(t in shown.replace("\u2060", "") for t in titles), shown


def test_an_alias_typed_as_a_tag_is_filed_under_its_term(tmp_path):
    """An editor who types `tags: [Daesh]` (an alias of Islamic State in the vocabulary) got a tag page
    of its own, beside Islamic State's, with its own feed and filter value: the vocabulary's promise
    (ISIS = Isis = Islamic State = Daesh) held for ingest only. The build files it under its term."""
    project = copy_project(tmp_path / "p")
    for n, tag in enumerate(("Daesh", "Islamic State", "daesh")):
        text = _dated("2024-05-01", n + 1).replace("- Convoys", f"- {tag}")
        _page(project, text, name=f"t{n}.md")
    result = run_archive("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    tags = project / "site" / "tags"
    assert not (tags / "daesh").exists()
    listing = (tags / "islamic-state" / "index.html").read_text(encoding="utf-8")
    assert all(f"about convoy {n}" in listing for n in (1, 2, 3)), listing[:2000]
