"""Round 35 of trying the archive as a new user, an attacker and a tired editor would: every test
fails on the code before its fix (the commit messages say what happened before). Browser fixtures
come from test_browser.py (same server, same browser, same request check)."""
# ruff: noqa: F811 (the fixtures imported from test_browser.py are test arguments here)
from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import time

import pytest

from generator import cli, exits, pipeline, sources

from .conftest import ROOT, copy_project, run_archive
from .test_browser import _page, browser, project, server  # noqa: F401
from .test_hostile_30 import _page as _article
from .test_hostile_site import GOOD_PAGE

# For each shown input with a placeholder: its name, the placeholder's width in its own font, and
# the room inside the box (its width less padding), so a cut placeholder shows as width > room.
PLACEHOLDER_ROOM = """() => Array.from(document.querySelectorAll('input[placeholder]')).filter(i => i.offsetParent).map(i => {
  const p = getComputedStyle(i, '::placeholder'), s = getComputedStyle(i);
  const c = document.createElement('canvas').getContext('2d');
  c.font = p.fontStyle + ' ' + p.fontWeight + ' ' + p.fontSize + ' ' + p.fontFamily;
  return [i.closest('header') ? 'header' : i.name, Math.ceil(c.measureText(i.placeholder).width),
          i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight), parseFloat(s.fontSize)];
})"""


def test_exit_statuses_and_write_errors_are_defined_once():
    """`archive update` returned a literal 3 beside cli's EXIT_STOPPED, and the pipeline's errors
    that stop an ingest were a second list beside cli's CANNOT_WRITE: each is now one definition."""
    assert cli.EXIT_STOPPED is exits.EXIT_STOPPED and cli.CANNOT_WRITE is exits.CANNOT_WRITE
    stopped = sources.UpdateResult(entries=[pipeline.Entry("x", "rejected", stopped=True)])
    assert stopped.exit_code == exits.EXIT_STOPPED
    assert exits.OUT_OF_ROOM < exits.CANNOT_WRITE
    for code in exits.OUT_OF_ROOM:
        assert pipeline._out_of_room(OSError(code, "x"))
    assert not pipeline._out_of_room(OSError(errno.EACCES, "x"))  # one page's folder, not the whole run


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_search_pages_placeholder_is_whole_on_a_phone(browser, server, width):
    """At 320 px the words box showed "words or a phrase, e.g. Tal Al", its example cut. The
    placeholder now fits at every width, and what is typed keeps a size a phone does not zoom to
    (16 px or more)."""
    context, pg = _page(browser, viewport={"width": width, "height": 800}, is_mobile=width < 500, has_touch=width < 500)
    pg.goto(server + "/search/")
    boxes = pg.evaluate(PLACEHOLDER_ROOM)
    assert "q" in [name for name, *_ in boxes]
    for name, needed, room, typed in boxes:
        assert needed <= room, (width, name, needed, room)
        assert typed >= 16 or name == "header", (width, name, typed)
    context.close()


@pytest.mark.parametrize("command, option, value, reason", [
    ("build", "--content", "missing", "isn't an existing directory"),
    ("build", "--content", "mkdocs.yml", "isn't an existing directory"),
    ("build", "--site", "/", "should not be within the 'site_dir'"),
    ("serve", "--content", "missing", "isn't an existing directory"),
    ("serve", "--addr", "nonsense", "Must be a string of format 'IP:PORT'"),
])
def test_an_option_mkdocs_refuses_is_one_line_and_a_usage_error(tmp_path, command, option, value, reason):
    """`archive build --content missing` printed MkDocs' "ERROR: Config value 'docs_dir': …" and then
    "archive build: Aborted with a configuration error!", and exited 1, as a failed build does; the
    same for `--site /` and `serve --addr nonsense`. Now one line naming the option, exit status 2."""
    project = copy_project(tmp_path / "p")
    out = run_archive(command, option, value, cwd=project)
    said = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(said) == 1, out.stderr
    assert said[0].startswith(f"archive {command}: {option} {value}: ") and reason in said[0], said
    assert not (project / "site").exists()


def test_every_command_is_in_the_usage_line_whatever_went_wrong(tmp_path):
    """`archive build extra` (a stray word) answered with a usage line listing only ingest, build,
    serve and eval (the commands parsed without importing the others), as if `archive update`,
    `review`, `add-tag` and `linkcheck` did not exist. Both usage lines now list the same commands."""
    full = run_archive("nonsense", cwd=tmp_path).stderr.splitlines()
    core = run_archive("build", "extra", cwd=tmp_path).stderr.splitlines()
    usage = " ".join(full[:full.index(next(line for line in full if line.startswith("archive: error")))])
    assert usage == " ".join(core[:-1]) and all(c in usage for c in cli.COMMANDS), (full, core)
    assert set(cli.COMMANDS) == set(cli.parser()._subparsers._group_actions[0].choices)


def test_a_long_country_and_region_keep_their_own_location_pages(tmp_path):
    """A place's page address is its country's, region's and name's words, cut at 80 characters: with
    a country and region of 80 characters or more (a long name typed by hand, a long first-level
    region), the country's, the region's and the place's pages had one address, and the place's
    page replaced the other two without a word (the country's page was titled with the place's
    name, and the region had no page). A cut address now ends with a digest of the whole name."""
    country, region = "Federated Provinces of the Long Northern Coast and Islands", "Coastal Autonomous Governorate of the North"
    place = f"""places:
- name: Harbour Town
  kind: city
  country: {country}
  region: {region}
  lat: 36.2
  lon: 37.16"""
    project = copy_project(tmp_path / "p")
    _article(project, GOOD_PAGE.replace("- Aleppo\n", "- Harbour Town\n").split("places:")[0] + place + "\n---\n\nText.\n")
    out = run_archive("build", cwd=project)
    assert out.returncode == 0, out.stderr
    titles = sorted(page.read_text(encoding="utf-8").split("<title>")[1].split(" - ")[0]
                    for page in (project / "site" / "locations").glob("*/index.html"))
    assert titles == sorted([country, region, "Harbour Town"]), titles


@pytest.mark.parametrize("typed", ["title: ''", "title:", "title: \"\\u200b \""])
def test_an_emptied_title_is_one_line_not_a_page_titled_by_its_file_name(tmp_path, typed):
    """A title emptied by hand (cleared to retype it, or left as `title:`) built without a word: the
    page, the listings, the feeds and the data exports showed the file name ("edited") as its
    title, and the strict build passed. Now one line naming the file and the key."""
    project = copy_project(tmp_path / "p")
    _article(project, GOOD_PAGE.replace("title: A hand-edited page about the convoy", typed))
    out = run_archive("build", cwd=project)
    said = [line for line in out.stderr.splitlines() if "edited.md" in line]
    assert out.returncode == 1 and said == [
        "WARNING: generator: articles/2024/05/edited.md: title: empty, so the page would show its file name as its "
        "title (ignored)"], out.stderr


SEEN = """() => { const e = document.activeElement, r = e.getBoundingClientRect();
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return [e.textContent.trim(), r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight
          && !!top && (top === e || e.contains(top))]; }"""


@pytest.mark.parametrize("width", [320, 390, 1000])
def test_tabbing_into_the_drawer_shows_the_link_that_has_the_focus(browser, server, width):
    """Below 1220 px the navigation is Material's drawer, off the screen until the menu button (a
    label, not a Tab stop) opens it, but its links were Tab stops: a keyboard reader pressed Tab a
    dozen times with the focus on links nobody could see, behind the page; in the About section
    the drawer scrolled sideways to a blank panel. Each link the focus reaches must be in sight."""
    context, pg = _page(browser, viewport={"width": width, "height": 700})
    pg.goto(server + "/")
    seen = {}
    for _ in range(16):
        pg.keyboard.press("Tab")
        pg.wait_for_timeout(300)  # the drawer's slide (0.25 s)
        name, shown = pg.evaluate(SEEN)
        seen[name] = shown
    context.close()
    assert {"Archive", "Tags", "Map", "About this archive", "Input formats"} <= set(seen), seen
    assert [name for name, shown in seen.items() if not shown] == [], seen


def test_a_printed_search_ends_with_its_words_and_filters(browser, server):
    """Printed, a page ends with its permanent address: a search's gave the search page's address
    without the query ("…/search/"), so the reader of the paper could not run the search again."""
    context, pg = _page(browser)
    pg.goto(server + "/search/?q=convoy&sort=newest")
    pg.wait_for_selector("#archive-search[data-done]")
    pg.emulate_media(media="print")
    printed = pg.inner_text(".archive-printed-from")
    context.close()
    assert printed.endswith("/search/?q=convoy&sort=newest"), printed


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_an_archive_yml_not_saved_as_utf8_is_one_line(tmp_path, encoding):
    """archive.yml saved as UTF-16 (Windows Notepad's "Unicode") or Latin-1 by an editor made
    `archive update` a traceback (UnicodeDecodeError). Now one line naming the file, status 2."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "archive.yml").write_text("sources:\n  - folder: inbox  # Zürich desk\n", encoding=encoding)
    out = run_archive("update", "--offline", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert out.stderr.strip().startswith("archive update: archive.yml: not UTF-8 text (byte "), out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


@pytest.mark.parametrize("setting, key", [
    ("extra:\n  social:\n    - icon: fontawesome/brands/githb\n      link: https://example.org/\n", "extra.social[0].icon"),
    ("extra:\n  social:\n    - icon: ../../../../etc/passwd\n      link: https://example.org/\n", "extra.social[0].icon"),
    ("extra:\n  homepage: javascript:alert(1)\n", "extra.homepage"),
])
def test_an_icon_the_theme_lacks_is_one_line_not_a_traceback(tmp_path, setting, key):
    """A typo in a social link's icon (`fontawesome/brands/githb`) made `archive build` a 30-line
    traceback (jinja2 TemplateNotFound from the first page rendered). Now one line naming the key;
    the lines mkdocs.yml's values are refused with are one line each too (they were followed by
    "archive build: Aborted with a BuildError!")."""
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n" + setting, encoding="utf-8")
    out = run_archive("build", cwd=project)
    said = (out.stdout + out.stderr).strip().splitlines()
    assert out.returncode == 1 and len(said) == 1, out.stdout + out.stderr
    assert said[0].startswith(f"archive build: mkdocs.yml: {key}: "), said


def test_serve_still_prints_why_a_rebuild_failed(tmp_path):
    """The reason MkDocs logs before "Aborted with a BuildError!" is kept for the command's one line
    when the build stops; once `archive serve` serves, a rebuild's reason must still be printed (the
    server goes on, and the reader must see why the page does not change)."""
    project = copy_project(tmp_path / "p")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--addr", f"127.0.0.1:{_free_port()}"],
                            cwd=project, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        said = _wait_for(proc, "Serving on")
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "\nextra:\n  homepage: javascript:alert(1)\n", encoding="utf-8")
        said += _wait_for(proc, "An error happened during the rebuild")
    finally:
        proc.kill()
        proc.wait()
    assert "extra.homepage: 'javascript:alert(1)' is a script or data link" in said, said


def _free_port() -> int:
    """A free port on 127.0.0.1 (closed again before serve binds it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(proc: subprocess.Popen, text: str, timeout: float = 120) -> str:
    """stderr lines of `proc` up to and including one holding `text`."""
    lines, end = [], time.monotonic() + timeout
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            break
    return "".join(lines)


def test_the_count_of_other_keys_typed_twice_reads_as_english():
    """'(and 1 more keys given twice)': one more key is singular, two or more plural."""
    from generator.textutil import typed_twice

    one = typed_twice("a: 1\nb: 1\na: 2\nb: 2\n", "x.yml")
    two = typed_twice("a: 1\nb: 1\nc: 1\na: 2\nb: 2\nc: 2\n", "x.yml")
    assert one.endswith("(and 1 more key given twice)") and two.endswith("(and 2 more keys given twice)")
    assert typed_twice("a: 1\n", "x.yml") is None
