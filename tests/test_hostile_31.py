"""Round 31 of hostile input and tired-editor mistakes, each found by trying it on a scratch project:
every test fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from generator.writers.pagefile import parse_page

from .conftest import copy_project, run_archive
from .test_hostile_more import ingested_story
from .test_hostile_site import GOOD_PAGE


def _set(project: Path, key: str, value: str) -> None:
    """mkdocs.yml with `key` set to `value` (a YAML scalar as typed)."""
    config = project / "mkdocs.yml"
    lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in config.read_text().splitlines()]
    if f"{key}: {value}" not in lines:
        lines.insert(1, f"{key}: {value}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("key, value, env", [
    ("site_url", """'https://x/"><script>alert(1)</script>'""", {}),
    ("site_url", "'ftp://archive.example.org/'", {}),
    ("site_url", "http://127.0.0.1:8000/", {"SITE_URL": "https://x/?a=<b>"}),
    ("site_name", """'News "><script>alert(2)</script>'""", {}),
    ("site_description", """'About "><img src=x onerror=alert(3)>'""", {}),
])
def test_a_site_url_or_site_name_the_theme_would_print_as_markup_is_refused(tmp_path, key, value, env):
    """Material prints site_url (the canonical link), site_name (the logo's aria-label) and
    site_description (the meta description) unescaped: `site_url: 'https://x/"><script>…'` put a
    script in every page of the demo and the strict build passed. Now the build stops with one line
    naming the key, and writes nothing."""
    project = copy_project(tmp_path / "p")
    _set(project, key, value)
    out = run_archive("build", cwd=project, env=env)
    text = out.stdout + out.stderr
    assert out.returncode == 1 and "Traceback" not in text, text
    said = text.strip().splitlines()  # the reason alone, not also "archive build: Aborted with a BuildError!"
    assert len(said) == 1 and f"{key} " in said[0], said
    assert not list((project / "site").rglob("*.html")) if (project / "site").exists() else True


def test_a_plain_site_url_still_builds(tmp_path):
    project = copy_project(tmp_path / "p")
    _set(project, "site_url", "https://user.example.org/my_archive/")
    out = run_archive("build", cwd=project, env={"SITE_URL": "http://[::1]:8080/news%20archive/"})
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("name, data, said", [
    ("deep.json", "[" * 1_000_000 + "]" * 1_000_000, "nested too deeply"),
    ("deep.jsonl", "[" * 1_000_000 + "]" * 1_000_000 + "\n", "nested too deeply"),
    ("lists.json", "[[1, 2], [3]]", "not an object"),
])
def test_a_json_file_of_nested_lists_says_what_it_is(tmp_path, name, data, said):
    """A 1,000,000-deep JSON list (or any list of lists) opens with no record, so it was read as
    plain text and rejected with "no title line found": true of the text, no help to the one who
    sent a JSON file. A .json/.jsonl file opening with [ or { now goes to the JSON reader, which
    names what it is, in one line per file (or record) naming it."""
    project = copy_project(tmp_path / "p")
    (tmp_path / name).write_text(data, encoding="utf-8")
    out = run_archive("ingest", str(tmp_path / name), cwd=project)
    lines = out.stderr.splitlines()
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert lines and all(name in line and said in line and "title line" not in line for line in lines), lines


@pytest.mark.parametrize("typed", ["0000000000000000", "0123456701234567", "1234567890123456"])
def test_an_id_typed_as_digits_is_the_digits_not_a_number(tmp_path, typed):
    """`id: 0000000000000000` typed without quotes is the YAML number 0 (`0123…` an octal number):
    the page's id read as 0, falsy, so the page seemed to have none; the article's own input was
    then listed on its page as a "near-duplicate (similarity 1.00) of 0", its id moved into
    duplicate_ids and the page kept `id: 0`. An id is text: the digits as typed, and the ingest
    treats it as any id typed over the page's (the page takes its article's id back, and says so)."""
    assert parse_page(f"---\nid: {typed}\ntitle: A page\n---\nText.\n")[0]["id"] == typed
    inbox, _story, _paras, content, page = ingested_story(tmp_path)
    real = parse_page(page.read_text())[0]["id"]
    page.write_text(page.read_text().replace(f"id: {real}", f"id: {typed}"))
    again = run_archive("ingest", str(inbox), "--content", str(content), "--json", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    meta = parse_page(page.read_text())[0]
    assert meta["id"] == real and "duplicate_ids" not in meta, page.read_text()[:400]
    assert '"outcome": "duplicate"' not in again.stdout and typed in again.stdout, again.stdout


@pytest.mark.parametrize("args, said", [
    (["build", "--config", "content"], "--config content: Is a directory"),
    (["serve", "--config", "content"], "--config content: Is a directory"),
    (["build", "--config", "broken.yml"], "broken.yml"),
    (["serve", "--config", "broken.yml"], "broken.yml"),
    (["serve", "--config", "list.yml"], "key-value mapping"),
    (["serve", "--addr", "127.0.0.1:99999"], "--addr 127.0.0.1:99999"),
])
def test_a_config_that_is_a_folder_or_broken_yaml_or_a_bad_address_is_one_line(tmp_path, args, said):
    """`archive build --config content` was a traceback (UnboundLocalError: SiteDirError, imported
    after the config load that raised IsADirectoryError); `archive serve` caught nothing, so any bad
    mkdocs.yml (a folder, broken YAML, a list) or an --addr it cannot bind was a traceback; and a
    YAML error printed four lines. Now one line naming the file or the option."""
    project = copy_project(tmp_path / "p")
    (project / "broken.yml").write_text("site_name: [Conflict news\n", encoding="utf-8")
    (project / "list.yml").write_text("- site_name\n", encoding="utf-8")
    out = run_archive(*args, cwd=project)
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode in (1, 2) and "Traceback" not in out.stderr, out.stderr
    assert any(said in line for line in lines) and len(lines) <= 2, lines


@pytest.mark.parametrize("old, new, said", [
    ("  - assets/search.js", "  - assets/search.js\n  - https://cdn.example.org/tracker.js", "extra_javascript"),
    ("  - assets/search.js", "  - assets/search.js\n  - path: //cdn.example.org/m.js\n    type: module", "extra_javascript"),
    ("  - assets/archive.css", "  - assets/archive.css\n  - https://fonts.example.org/x.css", "extra_css"),
    ("  font: false", "  font: false\n  favicon: https://img.example.org/icon.png", "theme.favicon"),
    ("  font: false", "  font:\n    text: Lato", "theme.font"),
    ("  font: false", "", "theme.font"),  # Material's default: Roboto from Google Fonts
    ("site_name:", "repo_url: https://github.com/example/archive\nsite_name:", "repo_url"),
])
def test_a_setting_that_makes_pages_load_from_another_host_fails_the_strict_build(tmp_path, old, new, said):
    """The site fetches nothing from other hosts, but `extra_javascript: [https://cdn…/tracker.js]`,
    a remote favicon, Material's Google Fonts (any `font:` but false) or repo_url (whose facts
    Material fetches from api.github.com on every page) built strictly without a word: only
    `archive linkcheck` saw the first ones, and nothing the last. Now each is one line naming the
    setting, and the strict build fails."""
    lines = _build_with_mkdocs_edit(tmp_path, old, new, said)
    assert "mkdocs.yml" in lines[0]


@pytest.mark.parametrize("spell", [lambda text: unicodedata.normalize("NFD", text),
                                   lambda text: text.replace("Zürich", "Zürich\u200b").replace("civile", "ci\u00advile")],
                         ids=["decomposed", "zero-width"])
def test_a_name_typed_in_decomposed_unicode_is_the_same_name(tmp_path, spell):
    """"Zürich" typed with u + U+0308 (as some keyboards and pasted text give it), or pasted with a
    zero-width space after it, looks the same as "Zürich" but was another name: the gazetteer did
    not know it, so the page's place was published under "Unplaced" (locations/unplaced-zurich/)
    beside the real Zürich, and a tag spelled so was a second value in the data and the search
    filters. The build now reads every front-matter text composed (NFC), without zero-width spaces,
    word joiners, byte-order marks or soft hyphens."""
    project = copy_project(tmp_path / "p")
    folder = project / "content" / "articles" / "2024" / "05"
    folder.mkdir(parents=True)
    for form, name in ((lambda text: text, "composed"), (spell, "decomposed")):
        typed = form("tags:\n- Convoys\n- Sécurité civile\nlocations:\n- Zürich\n")
        page = GOOD_PAGE.replace("tags:\n- Convoys\nlocations:\n- Aleppo\n", typed)
        page = page.replace("0123456789abcdef", f"{len(name):016x}").replace("the convoy", f"the {name} convoy")
        (folder / f"{name}.md").write_text(page, encoding="utf-8")
    out = run_archive("build", cwd=project)
    assert out.returncode == 0, out.stderr
    assert not [p for p in (project / "site" / "locations").iterdir() if p.name.startswith("unplaced")]
    data = json.loads((project / "site" / "data" / "articles.json").read_text())
    rows = data if isinstance(data, list) else data["articles"]
    tags = {t for r in rows for t in r["tags"]}
    places = {(p["name"], p["country"]) for r in rows for p in r["places"] if p["name"] != "Aleppo"}
    assert tags == {"Convoys", "Sécurité civile"} and places == {("Zürich", "Switzerland")}, (tags, places)


def test_a_file_name_that_is_not_utf8_in_the_content_folder_is_one_line(tmp_path):
    """`café.md` saved with a Latin-1 name (an archive unpacked on another system), as an article
    page or a hand-written page, made the whole build a traceback (UnicodeEncodeError in the build
    cache's key, or in MkDocs' URL quoting). Now the file is left out with one line naming it, and
    the strict build fails; the rest of the site is built."""
    from .test_hostile_site import lenient_build

    project = copy_project(tmp_path / "p")
    folder = project / "content" / "articles" / "2024" / "05"
    folder.mkdir(parents=True)
    (folder / "good.md").write_text(GOOD_PAGE, encoding="utf-8")
    with open(bytes(folder) + b"/caf\xe9.md", "wb") as page:
        page.write(GOOD_PAGE.replace("0123456789abcdef", "1111111111111111").encode())
    with open(bytes(project / "content") + b"/notes-\xff.md", "wb") as page:
        page.write(b"# Notes\n\nA note kept by the desk.\n")
    out = run_archive("build", cwd=project)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    named = [line for line in out.stderr.splitlines() if "not UTF-8" in line]
    assert len(named) == 2 and any("caf\\xe9.md" in line for line in named), named
    assert lenient_build(project).returncode == 0
    assert (project / "site" / "articles" / "2024" / "05" / "good" / "index.html").exists()


@pytest.mark.parametrize("typed", ["''", "'  '"])
def test_an_empty_home_marker_is_a_configuration_error(tmp_path, typed):
    """`home_marker: ''` was taken: str.replace put the latest-articles list between every two
    characters of index.md, a 1.6 MB home page of repeated lists, and the strict build passed."""
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - archive\n", f"  - archive:\n      home_marker: {typed}\n"))
    out = run_archive("build", cwd=project)
    assert out.returncode == 1 and "home_marker" in out.stderr and "Traceback" not in out.stderr, out.stderr


@pytest.mark.parametrize("entry, said", [
    ("  - Desk: 'https://desk.example.org/\" onmouseover=\"alert(7)'", "nav[6]: the link"),
    ("  - Desk: 'javascript:alert(5)'", "nav[6]: the link"),
    ("  - 'Desk <img src=x onerror=alert(8)>': 'https://desk.example.org/'", "nav[6]: the title"),
    ("  - More:\n      - Desk: 'data:text/html,<script>alert(6)</script>'", "nav[6].More[0]: the link"),
])
def test_a_nav_title_or_link_the_theme_would_print_as_markup_is_refused(tmp_path, entry, said):
    """Material writes nav titles and external nav links into every page's tabs and menu as they
    are: `https://x/" onmouseover="…` added an attribute, `javascript:`/`data:` links and a title
    with `<img onerror=…>` ran on every page, and the strict build passed. Now one line naming the
    entry stops the build; pages' paths and plain http(s)/mailto: links still build."""
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text()
    config.write_text(text.replace("  - Search: search.md\n", f"  - Search: search.md\n{entry}\n", 1))
    out = run_archive("build", cwd=project)
    said_lines = [line for line in out.stderr.splitlines() if said in line]
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(said_lines) == 1, out.stderr
    fine = "  - Desk: 'https://desk.example.org/a?b=1&c=2'\n  - Mail: 'mailto:desk@example.org'\n"
    config.write_text(text.replace("  - Search: search.md\n", f"  - Search: search.md\n{fine}", 1))
    assert run_archive("build", cwd=project).returncode == 0


def test_a_feed_url_python_cannot_split_is_one_line(tmp_path):
    """`feed: 'http://[::1'` (a bracket left open) in archive.yml was a traceback (ValueError: Invalid
    IPv6 URL) while archive.yml was read, even with --offline. Now one line naming the source, exit 2."""
    project = copy_project(tmp_path / "p")
    (project / "archive.yml").write_text("sources:\n  - feed: 'http://[::1'\n", encoding="utf-8")
    out = run_archive("update", "--offline", cwd=project)
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert len(lines) == 1 and "archive.yml: sources[0]: feed" in lines[0], lines


PARAGRAPH = ("The convoy waited at the river crossing while the engineers looked at the old bridge, and the "
             "drivers talked with the villagers about the rain, the border and the long winter ahead.")


def test_an_html_page_with_a_url_python_cannot_split_is_still_read(tmp_path):
    """One canonical link with an open bracket (`http://[::1/story`) rejected the whole article:
    'could not be read: ValueError: Invalid IPv6 URL' (the site-name guess split it). Now the page is
    read and the unusable address is left out with a note, as any other bad URL."""
    head = '<link rel="canonical" href="http://[::1/story">'
    page = tmp_path / "inbox" / "story.html"
    page.parent.mkdir()
    page.write_text(f"<!doctype html><html><head><title>Convoy waits at the river crossing</title>{head}</head>"
                    f"<body><article><h1>Convoy waits at the river crossing</h1><p>{PARAGRAPH}</p>"
                    f"<p>{PARAGRAPH} Again.</p></article></body></html>", encoding="utf-8")
    project = copy_project(tmp_path / "p")
    out = run_archive("ingest", str(page), "--json", cwd=project)
    assert out.returncode == 0 and '"outcome": "new"' in out.stdout, out.stdout + out.stderr


def test_a_summary_named_as_a_device_or_pipe_is_written_into_not_replaced(tmp_path):
    """`archive update --summary /dev/stdout` (or a pipe) had the summary written beside it and renamed
    over it: run as root, as in a CI container, /dev/stdout, /dev/null or /dev/full became a plain
    file of the summary for every later process. A pipe stands in for the device here: it must still
    be a pipe, and its reader gets the summary."""
    import os
    import stat
    import threading

    project = copy_project(tmp_path / "p")
    (project / "inbox").mkdir()
    (project / "archive.yml").write_text("sources:\n  - folder: inbox/\n", encoding="utf-8")
    pipe = tmp_path / "summary.pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    out = run_archive("update", "--offline", "--summary", str(pipe), cwd=project)
    reader.join(5)  # a daemon: left waiting when the pipe was replaced
    assert out.returncode == 0, out.stderr
    assert stat.S_ISFIFO(pipe.lstat().st_mode), "the pipe was replaced by a file"
    assert got and got[0].startswith(b"## New articles"), got


@pytest.mark.parametrize("what", ["extract", "geoparse", "tags", "scrapes"])
@pytest.mark.parametrize("data, said", [("[[1, 2], [3]]\n", "not a record"),
                                        ("[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply")])
def test_an_eval_file_of_json_that_is_not_records_is_one_line(tmp_path, what, data, said):
    """`archive eval tags lists.jsonl` (JSON, but lists) was a traceback (AttributeError: 'list' object
    has no attribute 'get'), and a deeply nested line one too (RecursionError); hostile30 made a file
    that is not JSON one line. Now these are one line naming the file and the line, exit 2."""
    gold = tmp_path / "gold.jsonl"
    gold.write_text(data, encoding="utf-8")
    out = run_archive("eval", what, str(gold), cwd=tmp_path)
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert len(lines) == 1 and str(gold) in lines[0] and said in lines[0], lines


@pytest.mark.parametrize("old, new, said", [
    ("      primary: blue grey", "      primary: 'blue\"><script>alert(21)</script>'", "theme.palette[0].primary"),
    ("extra_css:", "extra:\n  homepage: 'javascript:alert(22)'\n\nextra_css:", "extra.homepage"),
    ("extra_css:", "extra:\n  social:\n    - icon: fontawesome/brands/github\n      link: 'javascript:alert(23)'\n\n"
                   "extra_css:", "extra.social[0].link"),
])
def test_a_theme_or_extra_value_the_theme_would_print_as_markup_is_refused(tmp_path, old, new, said):
    """Material prints theme options and `extra` values unescaped: a palette colour
    `blue"><script>…` became a script in every page's body tag, `extra.homepage: javascript:…` the
    logo's link and `extra.social` links the footer's, and the strict build passed."""
    _build_with_mkdocs_edit(tmp_path, old, new, said)


def _build_with_mkdocs_edit(tmp_path, old: str, new: str, said: str) -> list[str]:
    """Build a copy of the project with `old` replaced by `new` in mkdocs.yml; the build must stop
    with exit 1, no traceback and exactly one line naming `said`, which is returned."""
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    assert old in config.read_text()
    config.write_text(config.read_text().replace(old, new, 1), encoding="utf-8")
    out = run_archive("build", cwd=project)
    lines = [line for line in out.stderr.splitlines() if said in line]
    assert out.returncode == 1 and "Traceback" not in out.stderr and len(lines) == 1, out.stderr
    return lines
