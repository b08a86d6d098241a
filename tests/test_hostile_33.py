"""Round 33 of hostile input and tired-editor mistakes, each found by trying it on a scratch project:
every test fails on the code before its fix (the commit messages say what happened before)."""
from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

from generator.linkcheck import check_site
from generator.sources import FetchError, fetch_feed

from .conftest import copy_project, run_archive
from .test_hostile_30 import _page
from .test_hostile_more import HEADLINE
from .test_hostile_site import GOOD_PAGE, body, lenient_build


def _html(root: Path, name: str, body: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head></head><body>{body}</body></html>", encoding="utf-8")


def test_linkcheck_sees_what_srcset_poster_and_css_load(tmp_path):
    """`archive linkcheck` read `href` and `src` only: a page whose <img srcset>, <video poster>,
    style="background:url(//host/…)" or <style>@import pulled from another host (or named a file
    the site does not have) passed with "all resolve", though the browser fetched each one."""
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(b"\x89PNG")
    _html(tmp_path, "index.html",
          '<img src="img/a.png" srcset="img/a.png 1x, https://track.example/p.png 2x">'
          '<picture><source srcset="img/gone.webp"></picture>'
          '<video poster="//cdn.example/v.jpg"></video>'
          '<p style="background: u\\72l(//cdn.example/bg.png)">x</p>'
          '<div style="background-image: url(\'img/a.png\')">fine</div>'
          '<style>@import "https://fonts.example/css"; .x{background:image-set("img/none.png" 1x)}</style>'
          '<a href="img/a.png">ok</a>')
    problems, _, _ = check_site(tmp_path)
    found = {(p.url, p.reason.split(" (")[0]) for p in problems}
    assert found == {
        ("https://track.example/p.png", "loaded from another host"),
        ("img/gone.webp", "no such file in the site"),
        ("//cdn.example/v.jpg", "loaded from another host"),
        ("//cdn.example/bg.png", "loaded from another host"),
        ("https://fonts.example/css", "loaded from another host"),
        ("img/none.png", "no such file in the site"),
    }, problems


def test_a_file_of_many_bad_records_leaves_a_bounded_report_and_ledger(tmp_path):
    """A JSON Lines file of 1,000,000 bad records left a 102 MB rejects.jsonl, a 102 MB ledger, a
    million lines on the terminal and 1.1 GB of memory in the ingest process (a 20 MiB file holds 7
    million). Now a file's rejected records past MAX_REJECTED_RECORDS are counted in one more
    record; each file lists its first LISTED_REJECTS on the terminal and in rejects.jsonl, one line
    counting the rest; the ledger does not keep such an input (it is read again, from the read
    cache); a re-ingest reports the same."""
    from generator.pipeline import LISTED_REJECTS
    from generator.reading import MAX_REJECTED_RECORDS

    bad = MAX_REJECTED_RECORDS + 2000
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = json.dumps({"title": HEADLINE, "body": "\n\n".join(body(3, 3)), "date": "2024-05-01"})
    (inbox / "export.jsonl").write_text(good + "\n" + "{\"title\": 5}\nnot json\n" * (bad // 2), encoding="utf-8")
    content = tmp_path / "content"
    first = run_archive("ingest", str(inbox), "--content", str(content), cwd=tmp_path)
    assert first.returncode == 1 and "Traceback" not in first.stderr, first.stderr[-2000:]
    said = first.stderr.splitlines()
    name = str(inbox / "export.jsonl")
    assert len(said) == LISTED_REJECTS + 2, said[-3:]
    assert said[-2].startswith(f"{name} (records rejected past the first {MAX_REJECTED_RECORDS:,}): rejected: "
                               "2,000 more records rejected"), said[-2]
    assert said[-1].startswith(f"{name}: rejected: {MAX_REJECTED_RECORDS - LISTED_REJECTS:,} more of its records"), said[-1]
    assert f"1 new, 0 updated, 0 unchanged, 0 duplicate, {MAX_REJECTED_RECORDS + 1} rejected" in first.stdout, first.stdout
    lines = [json.loads(line) for line in (content / ".archive" / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == LISTED_REJECTS + 2 and lines[-1]["more"] == MAX_REJECTED_RECORDS - LISTED_REJECTS, lines[-1]
    assert lines[0]["input"].endswith("export.jsonl:2") and "2,000 more records" in lines[-2]["reason"], lines[-2:]
    assert (content / ".archive" / "ledger.sqlite").stat().st_size < 1_000_000
    again = run_archive("ingest", str(inbox), "--content", str(content), "--json", cwd=tmp_path)
    counts = json.loads(again.stdout)["counts"]
    assert counts == {"new": 0, "updated": 0, "unchanged": 1, "duplicate": 0, "rejected": MAX_REJECTED_RECORDS + 1}, counts


ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\u202e"  # retitle the terminal, clear it, reverse the rest of the line


def test_file_names_printed_to_the_terminal_cannot_drive_it(tmp_path):
    """A page named with an escape sequence (`\\x1b]0;…\\x07` retitles the terminal, `\\x1b[2J`
    clears it) was printed raw by the build's warning about it, and by linkcheck's line about its
    built page; a right-to-left override in an input's name (escaped nowhere) reversed the rest of
    ingest's line; `archive review` printed such names raw too. Each is now shown as its escape,
    as ingest already showed line breaks."""
    project = copy_project(tmp_path / "p")
    name = f"evil{ESCAPES}.md"
    _page(project, GOOD_PAGE.replace("date: 2024-05-01", "date: last Tuesday"), name=name)
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, repr(out)
    (said,) = [line for line in out.splitlines() if "last Tuesday" in line]
    assert "articles/2024/05/evil\\x1b]0;PWNED\\x07\\x1b[2J\\u202e.md: date: " in said, said
    site = tmp_path / "site"
    _html(site, "index.html", "")
    _html(site, f"a{ESCAPES}/index.html", '<img src="gone.png">')
    checked = run_archive("linkcheck", str(site), cwd=tmp_path)
    assert checked.returncode == 1 and "\x1b" not in checked.stderr and "\u202e" not in checked.stderr, repr(checked.stderr)
    assert "a\\x1b]0;PWNED" in checked.stderr
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"empty{ESCAPES}.txt").write_text("", encoding="utf-8")
    ingest = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert ingest.returncode == 1 and "\u202e" not in ingest.stderr and "\\u202e.txt: rejected" in ingest.stderr, repr(ingest.stderr)
    page = project / "content" / "articles" / "2024" / "05" / name
    page.write_text(page.read_text(encoding="utf-8") + "\nThe Northern Valley Liberation Front said so twice: the "
                    "Northern Valley Liberation Front.\n", encoding="utf-8")
    (page.parent / f"folder{ESCAPES}.md").mkdir()
    review = run_archive("review", "--content", str(project / "content"), cwd=tmp_path)
    out = review.stdout + review.stderr
    assert review.returncode == 0 and "\x1b" not in out and "\u202e" not in out, repr(out)
    assert "/articles/2024/05/evil\\x1b]0;PWNED\\x07\\x1b[2J\\u202e.md: " in review.stdout and "folder\\x1b]0;" in review.stderr, out


SIDECARS = {  # what an editor's program saved, and what the one line must say
    "cp1252.meta.yml": ("source: Caf\u00e9 Wire\ndate: 2024-05-01\n".encode("cp1252"), "is not UTF-8 (byte 11): save it as UTF-8"),
    "utf16.meta.yml": ("source: Wire\ndate: 2024-05-01\n".encode("utf-16"), "is saved as UTF-16"),
    "twice.meta.yml": (b"source: Wire\ndate: 2024-05-01\nsource: Other Wire\n", "'source' is given twice"),
    "twice.meta.json": (b'{"date": "2024-05-01", "Date": "2024-06-01"}', "'date' is given twice"),
}


def test_a_sidecar_saved_in_another_encoding_or_with_a_field_twice_is_named(tmp_path):
    """A sidecar saved as cp1252 or UTF-16 rejected its input with "could not be read:
    UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9…", naming neither the sidecar nor
    what to do; a field typed twice (`source:` on two lines) silently kept the last value. Each now
    rejects its input with one line naming the sidecar and the reason."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n, (name, (data, _)) in enumerate(sorted(SIDECARS.items())):
        stem = name.split(".")[0] + name.split(".")[-1]
        (inbox / f"{stem}.txt").write_text(f"{HEADLINE} {n}\n\n" + "\n\n".join(body(400 + n, 3)) + "\n", encoding="utf-8")
        (inbox / f"{stem}.txt.{name.split('.', 1)[1]}").write_bytes(data)
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), "--json", cwd=tmp_path)
    reasons = {Path(e["input"]).name: e.get("reason", "") for e in json.loads(out.stdout)["entries"]}
    assert out.returncode == 1 and len(reasons) == len(SIDECARS), out.stdout
    for name, (_, said) in SIDECARS.items():
        stem = name.split(".")[0] + name.split(".")[-1]
        reason = reasons[f"{stem}.txt"]
        assert reason.startswith(f"sidecar {stem}.txt.{name.split('.', 1)[1]} ") and said in reason, (name, reason)


def _slow_server(answer, stop: threading.Event) -> tuple[socket.socket, threading.Thread]:
    """A server on 127.0.0.1 run by the test: `answer(conn, port, end)` per connection, until
    `stop` is set (12 s at most)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)

    def run() -> None:
        end = time.monotonic() + 12
        while time.monotonic() < end and not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conn.settimeout(None)
            threading.Thread(target=answer, args=(conn, server.getsockname()[1], end), daemon=True).start()
        server.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return server, thread


def _trickle_headers(conn: socket.socket, port: int, end: float) -> None:
    with conn:
        conn.recv(4096)
        try:
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while time.monotonic() < end:  # one byte of a header every 0.2 s: never a timeout
                conn.sendall(b"a")
                time.sleep(0.2)
        except OSError:
            return


def _slow_redirects(conn: socket.socket, port: int, end: float) -> None:
    with conn:
        asked = conn.recv(4096).split(b" ")[1].decode()
        time.sleep(0.8)  # each answer well within the socket timeout, each to a new address
        try:
            conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}{asked}x\r\n"
                         "Content-Length: 0\r\nConnection: close\r\n\r\n".encode())
        except OSError:
            return


@pytest.mark.parametrize("answer", [_trickle_headers, _slow_redirects])
def test_a_feed_server_slow_before_its_body_is_cut_off_at_the_time_limit(tmp_path, answer):
    """The download's time limit was checked only between reads of the body: a server that sent
    its headers a byte at a time (each within the 10 s socket timeout; http.client reads 100
    headers of 64 KiB) or redirected from one slow answer to the next held `archive update` as long
    as it liked. Now the connection is cut at the limit, whatever it is waiting for."""
    stop = threading.Event()
    server, thread = _slow_server(answer, stop)
    start = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 1 s"):
        fetch_feed(f"http://127.0.0.1:{server.getsockname()[1]}/feed.xml", tmp_path, timeout=1.0)
    assert time.monotonic() - start < 4
    assert list(tmp_path.iterdir()) == []
    stop.set()
    thread.join(timeout=15)


def _named(n: int, tag: str, place: str) -> str:
    return (GOOD_PAGE.replace("0123456789abcdef", f"{n:016x}").replace("about the convoy", f"about convoy {n}")
            .replace("- Convoys", f"- {tag}").replace("- Aleppo", f"- {place}").replace("name: Aleppo", f"name: {place}"))


def test_a_tag_or_place_typed_with_look_alike_letters_is_one_line(tmp_path):
    """`tags: [Сonvoys]` with a Cyrillic С (pasted from a Russian source), `ІSIS` with a Ukrainian
    І, a place `Аleppo` with a Cyrillic А: each made a tag or location page of its own that reads
    exactly as the real one beside it (two "Convoys" in the index of tags, two "Aleppo" under
    Syria), and the strict build passed. A tag or place name mixing Latin, Cyrillic or Greek
    letters in one word is now named in one line and left out; names in one script are kept."""
    project = copy_project(tmp_path / "p")
    _page(project, _named(1, "Convoys", "Aleppo"), name="real.md")
    _page(project, _named(2, "\u0421onvoys", "\u0410leppo"), name="lookalike.md")
    _page(project, _named(3, "\u0406SIS", "Aleppo"), name="isis.md")
    _page(project, _named(4, "Конвои", "Αθήνα"), name="one-script.md")
    strict = run_archive("build", cwd=project)
    out = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Traceback" not in out, out
    said = sorted(line.split("generator: ", 1)[-1] for line in out.splitlines() if "mixes" in line)
    assert [s.split(" mixes")[0] for s in said] == [
        "articles/2024/05/isis.md: tags[0]: 'ІSIS'", "articles/2024/05/lookalike.md: locations[0]: 'Аleppo'",
        "articles/2024/05/lookalike.md: places[0].name: 'Аleppo'", "articles/2024/05/lookalike.md: tags[0]: 'Сonvoys'"], said
    assert all("mixes Cyrillic and Latin letters in one word" in s for s in said), said
    assert lenient_build(project).returncode == 0
    site = project / "site"
    tags = [(p / "index.html").read_text(encoding="utf-8") for p in (site / "tags").iterdir() if p.is_dir()]
    assert sorted(t.split("<h1", 1)[1].split(">", 1)[1].split("<", 1)[0] for t in tags) == ["Convoys", "Конвои"]
    places = [p.name for p in (site / "locations").iterdir() if p.name.startswith("syria-")]
    assert len(places) == 2 and "syria-aleppo" in places  # Aleppo, and the one-script Αθήνα


def test_the_update_summary_lists_a_file_of_bad_records_bounded_with_its_count():
    """The update pull request's description listed every rejected record: a feed of 100,000 bad
    items made a description of megabytes, which the pull request action cuts at 65,536 characters,
    dropping the sections after it. It now lists each file's first LISTED_REJECTS and counts the rest."""
    from generator.pipeline import LISTED_REJECTS, Entry
    from generator.sources import UpdateResult, summary_markdown

    bad = [Entry(f"inbox/export.jsonl:{n}", "rejected", reason="record without a title", file="inbox/export.jsonl")
           for n in range(1, 5001)]
    text = summary_markdown(UpdateResult(entries=[Entry("inbox/a.txt", "new", page="articles/a.md", title="A"), *bad]))
    listed = [line for line in text.split("### Rejected", 1)[1].splitlines() if line.startswith("- ")]
    assert "1 added, 0 updated, 5000 rejected" in text and "### Rejected (5000)" in text, text[:300]
    assert len(listed) == LISTED_REJECTS + 1 and "4,900 more of its records rejected" in listed[-1], listed[-1]
    assert len(text) < 20_000


def test_a_feed_of_more_items_than_any_feed_holds_is_one_line(tmp_path):
    """feedparser holds a whole feed in memory, about 1 KB an item however small the item: 200,000
    `<item><title>t</title></item>` (6 MB) took 236 MB and 20 s to read, and the 20 MiB input limit
    allowed 700,000. A feed of more than MAX_FEED_ITEMS items is now rejected whole, before it is parsed,
    in one line saying how many it holds; a feed at the limit is still read."""
    from generator.readers.feed import MAX_FEED_ITEMS

    inbox = tmp_path / "inbox"
    inbox.mkdir()

    def feed(n: int) -> str:
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
                + "<item><title>t</title></item>\n" * n + "</channel></rss>")

    (inbox / "huge.xml").write_text(feed(MAX_FEED_ITEMS + 1), encoding="utf-8")
    (inbox / "full.xml").write_text(feed(MAX_FEED_ITEMS), encoding="utf-8")
    out = run_archive("ingest", str(inbox), "--content", str(tmp_path / "content"), "--json", cwd=tmp_path)
    entries = json.loads(out.stdout)["entries"]
    huge = [e for e in entries if e["input"].endswith("huge.xml")]
    assert [e["reason"] for e in huge] == [f"a feed of {MAX_FEED_ITEMS + 1:,} items (limit {MAX_FEED_ITEMS:,}): "
                                           "not read; split it into smaller files"], huge
    assert any("full.xml#entry-" in e["input"] and e["reason"] == "feed entry without text (no content or summary)"
               for e in entries)


@pytest.mark.parametrize("appended, key", [("plugins:\n  - search\n", "plugins"), ("site_name: Another name\n", "site_name")])
def test_a_key_typed_twice_in_mkdocs_yml_is_one_line(tmp_path, appended, key):
    """A second `plugins:` appended to mkdocs.yml (to try a plugin) replaced the first: the archive
    plugin was dropped, and the build failed on 11 unrelated broken-link lines; a second
    `site_name:` was taken without a word. YAML keeps the last of two keys silently; the build and
    serve now refuse the file in one line naming the key and both lines, and build nothing."""
    project = copy_project(tmp_path / "p")
    _page(project)
    config = project / "mkdocs.yml"
    first = next(n for n, line in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(f"{key}:"))
    config.write_text(config.read_text(encoding="utf-8") + "\n" + appended, encoding="utf-8")
    last = len(config.read_text(encoding="utf-8").splitlines()) - appended.count("\n") + 1
    for command in ("build", "serve"):
        out = run_archive(command, cwd=project)
        said = out.stderr.strip().splitlines()
        assert out.returncode == 1 and len(said) == 1, out.stderr
        assert said[0] == (f"archive {command}: mkdocs.yml: '{key}' is given twice (lines {first} and {last}): "
                           "YAML keeps only the last, the first is ignored; remove one"), said
    assert not (project / "site").exists()


@pytest.mark.parametrize("typed, more", [
    ("sources:\n  - folder: inbox\n\nsources:\n  - folder: inbox\n", ""),
    # mkdocs.yml's line said how many more keys were typed twice; archive.yml's, built apart, did
    # not, so an editor fixed one repeated key and met the next on the following run (user35)
    ("sources:\n  - folder: inbox\nx: 1\nsources: []\nx: 2\n", " (and 1 more key given twice)"),
])
def test_a_key_typed_twice_in_archive_yml_is_one_line(tmp_path, typed, more):
    """Two `sources:` lists in archive.yml (one pasted below the other): only the second was read,
    every feed and folder of the first silently never fetched again."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "archive.yml").write_text(typed, encoding="utf-8")
    out = run_archive("update", "--offline", "--content", str(tmp_path / "content"), cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.strip() == (
        "archive update: archive.yml: 'sources' is given twice (lines 1 and 4): YAML keeps only the last, "
        "the first is ignored; remove one" + more), out.stderr


def test_the_update_summary_keeps_its_last_sections_whatever_a_feed_adds():
    """A feed of 5,000 new items with long titles made a description of megabytes; the pull request
    action cuts it at GitHub's 65,536 characters, so the Rejected section and the sources that gave
    nothing (what a reviewer most needs) were lost. Each section now lists what fits its share and
    counts the rest."""
    from generator.pipeline import Entry
    from generator.sources import Source, UpdateResult, summary_markdown

    added = [Entry(f"inbox/feed.xml#entry-{n}", "new", page=f"articles/2024/05/a{n}.md", title=f"Title {n} " + "x" * 900)
             for n in range(5000)]
    rejected = [Entry("inbox/bad.txt", "rejected", reason="no text (only whitespace)")]
    text = summary_markdown(UpdateResult(entries=added + rejected, problems=[(Source("feed", "https://example.org/f"), "HTTP 404 Not Found")]))
    assert len(text) < 65_536, len(text)
    assert "### Added (5000)" in text and "more, not listed here" in text.split("### Rejected", 1)[0]
    assert "`inbox/bad.txt`" in text.split("### Rejected (1)", 1)[1] and "HTTP 404 Not Found" in text
