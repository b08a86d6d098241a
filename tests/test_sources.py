"""`archive update`: the feeds and folders of archive.yml, ingested, summarised for a pull request.

No network: feeds are file:// URLs of feeds written for this project, and the slow-server case is a
server on 127.0.0.1 run by the test itself."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import markdown
import pytest

from generator.pipeline import Entry
from generator.sources import (ConfigError, FetchError, UpdateResult, feed_file_name, fetch_feed, load_config,
                               summary_markdown, update)

from .conftest import FIXTURES, SAMPLES, run_archive

FEEDS = FIXTURES / "feeds"


def _archive(tmp_path: Path, sources: str) -> Path:
    config = tmp_path / "archive.yml"
    config.write_text(f"sources:\n{sources}", encoding="utf-8")
    return config


@pytest.mark.parametrize("text, reason", [
    ("sources: [folder: inbox/\n", "not valid YAML (line 2)"),
    ("feeds: []\n", "needs a list under `sources:`"),
    ("sources:\n  - folder: a/\n    feed: b\n", "sources[0]: expected `feed: URL` or `folder: PATH`"),
    ("sources:\n  - feed: ftp://example.org/rss\n", "is not an http(s) or file URL"),
    ("sources:\n  - folder: ''\n", "sources[0]: `folder` needs a non-empty text value"),
])
def test_a_bad_configuration_is_one_line_naming_the_file(tmp_path, text, reason):
    config = tmp_path / "archive.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(config)
    assert str(err.value).startswith(f"{config}: ") and reason in str(err.value)
    assert "\n" not in str(err.value)


def test_folders_and_feeds_are_ingested_and_the_summary_lists_added_and_rejected(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "001_isf-detain-daesh-finance-courier.txt", inbox)
    (inbox / "empty.txt").write_text("", encoding="utf-8")
    saved = tmp_path / "saved"  # a file: feed must lie inside the repository (test_hostile_30)
    shutil.copytree(FEEDS, saved)
    full, partial = (saved / "rss2_full_content.xml").as_uri(), (saved / "rss_entry_without_text.xml").as_uri()
    config = _archive(tmp_path, f"  - folder: inbox/\n  - feed: {full}\n  - feed: {partial}\n"
                                f"  - folder: missing/\n  - feed: {(tmp_path / 'gone.xml').as_uri()}\n")
    result = update(config, tmp_path / "content", jobs=1)

    outcomes = sorted((e.outcome, result.source_of(e.input)) for e in result.entries)
    assert outcomes == [("new", f"{inbox}/001_isf-detain-daesh-finance-courier.txt"),
                        ("new", full), ("new", full), ("new", partial),
                        ("rejected", f"{inbox}/empty.txt"), ("rejected", partial)]
    assert [(s.where, why.split(":")[0]) for s, why in result.problems] == [
        ("missing/", "no such folder"), ((tmp_path / "gone.xml").as_uri(), "cannot be fetched")]
    assert result.exit_code == 1
    # Downloads keep one stable name per feed, so an item's origin is the same on every run.
    assert (tmp_path / ".cache" / "feeds" / feed_file_name(full)).read_bytes() == (FEEDS / "rss2_full_content.xml").read_bytes()

    summary = summary_markdown(result)
    assert summary.startswith("## New articles from the archive's sources\n\n4 added, 0 updated, 2 rejected")
    assert "### Added (4)" in summary and "### Updated (0)" in summary and "### Rejected (2)" in summary
    assert "- Ferry service resumes after winter repairs → `" in summary and f"(from `{full}`)" in summary
    assert f"(from `{partial}`): " in summary and "without text" in summary
    assert "### Sources that gave nothing (2)" in summary and "- folder `missing/`: no such folder" in summary


FERRY = [  # written for this test: long enough for a one-word correction to stay the same article
    "The island ferry is back in service after six weeks in dry dock, the operator said on Tuesday.",
    "Engineers replaced both propeller shafts and repainted the hull below the waterline.",
    "Crossings will run every ninety minutes until the summer schedule begins in May.",
    "Season tickets bought before the repairs remain valid until the end of the year.",
    "The harbour master said the new mooring lines had been tested in a force eight gale.",
    "Freight bookings for the first week are already full, according to the ticket office.",
    "A replacement bus service that ran during the closure will stop on Friday evening.",
    "Residents on the island had complained of long queues at the temporary landing stage.",
]


def _feed(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Weekly</title>'
            "<link>https://harbour.example.net/</link><description>News</description>"
            "<item><title>Ferry service resumes after winter repairs</title>"
            "<link>https://harbour.example.net/news/ferry-resumes</link>"
            "<pubDate>Tue, 12 Mar 2024 09:00:00 GMT</pubDate>"
            f"<description><![CDATA[{body}]]></description></item></channel></rss>")


def test_a_second_run_is_unchanged_and_a_revised_feed_item_updates_its_page(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(_feed(FERRY), encoding="utf-8")
    config = _archive(tmp_path, f"  - feed: {feed.as_uri()}\n")
    first = update(config, tmp_path / "content", jobs=1)
    assert [e.outcome for e in first.entries] == ["new"] and first.exit_code == 0
    again = update(config, tmp_path / "content", jobs=1)
    assert [e.outcome for e in again.entries] == ["unchanged"]
    feed.write_text(_feed([p.replace("ninety minutes", "two hours") for p in FERRY]), encoding="utf-8")
    revised = update(config, tmp_path / "content", jobs=1)
    assert [e.outcome for e in revised.entries] == ["updated"]
    assert revised.entries[0].page == first.entries[0].page
    assert "### Updated (1)\n\n- Ferry service resumes after winter repairs" in summary_markdown(revised)
    offline = update(config, tmp_path / "content", offline=True)
    assert offline.entries == [] and offline.problems == []


def test_article_text_in_the_summary_is_data_not_markup(tmp_path):
    """A hostile title in the pull request's description renders as its own visible text, never as markup."""
    hostile = "**Bold** [link](javascript:x) <script>alert(1)</script>\nsecond line"
    entry = Entry(input="inbox/a.txt", outcome="new", page="content/articles/a.md", title=hostile)
    html = markdown.markdown(summary_markdown(UpdateResult(entries=[entry], problems=[])))
    assert "<script" not in html and "<a " not in html and "<strong>" not in html
    assert "**Bold** [link](javascript:x) &lt;script&gt;alert(1)&lt;/script&gt; second line" in html


def test_feed_size_cap_and_unreachable_feed(tmp_path):
    with pytest.raises(FetchError, match="larger than 100 bytes"):
        fetch_feed((FEEDS / "rss2_full_content.xml").as_uri(), tmp_path, max_bytes=100)
    with pytest.raises(FetchError, match="cannot be fetched"):
        fetch_feed((tmp_path / "none.xml").as_uri(), tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_a_server_that_trickles_bytes_is_cut_off_in_wall_clock_time(tmp_path):
    """Each byte arrives well within the socket timeout, but the whole download may not take longer
    than its limit (a server on 127.0.0.1 run by this test, which stops by itself)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def trickle() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 1000\r\n\r\n")
            for _ in range(100):  # at most 10 s
                try:
                    conn.sendall(b"<")
                except OSError:
                    return
                time.sleep(0.1)

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    start = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 1 s"):
        fetch_feed(f"http://127.0.0.1:{server.getsockname()[1]}/feed.xml", tmp_path, timeout=1.0)
    assert time.monotonic() - start < 3
    thread.join(timeout=15)
    server.close()


def test_cli_exit_codes_and_summary_file(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "002_sdf-raid-deir-ezzor-cell.txt", inbox)
    shutil.copy(FEEDS / "rss_entry_without_text.xml", tmp_path)  # a file: feed lies inside the repository
    _archive(tmp_path, f"  - folder: inbox/\n  - feed: {(tmp_path / 'rss_entry_without_text.xml').as_uri()}\n")
    offline = run_archive("update", "--offline", "--quiet", "--summary", "pr.md", cwd=tmp_path)
    assert offline.returncode == 0, offline.stderr
    assert "1 new" in offline.stdout and "Feeds were not fetched (offline)" in (tmp_path / "pr.md").read_text()
    assert "from `inbox/002_sdf-raid-deir-ezzor-cell.txt`" in (tmp_path / "pr.md").read_text()  # relative names
    online = run_archive("update", "--quiet", "--summary", "pr.md", cwd=tmp_path)
    assert online.returncode == 1  # an item without text was rejected: listed, not fatal to the PR
    assert "rss_entry_without_text.xml: rejected: " in online.stderr
    (tmp_path / "archive.yml").write_text("sources: 3\n", encoding="utf-8")
    bad = run_archive("update", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "archive.yml: needs a list" in bad.stderr


def test_atomic_bytes_write_keeps_the_mode_and_leaves_nothing_half_written(tmp_path):
    from generator.atomicfile import write_bytes

    target = tmp_path / "summary.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(TypeError):
        write_bytes(target, "not bytes")  # the write fails half-way: the old file stays whole
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["summary.md"]


def test_an_unusable_cache_folder_is_one_line_and_exit_2(tmp_path, monkeypatch):
    """A cache folder planted as a symbolic link is refused by archive update as by ingest: no traceback."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "001_isf-detain-daesh-finance-courier.txt", inbox)
    _archive(tmp_path, "  - folder: inbox/\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "cache").symlink_to(tmp_path / "elsewhere")
    monkeypatch.setenv("NEWS_ARCHIVE_CACHE", str(tmp_path / "cache"))
    done = run_archive("update", "--offline", "--quiet", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [f"archive update: cache folder {tmp_path / 'cache'} is a symbolic link: refusing to use it"]
