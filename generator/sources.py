"""`archive update`: ingest every source listed in the archive's configuration (archive.yml).

An archive names where its articles come from once, in `archive.yml`:

    sources:
      - folder: inbox/                          # files dropped into the repository
      - feed: https://example.org/news/rss.xml  # RSS/Atom, downloaded on each update

The scheduled workflow runs `archive update --summary FILE` and opens a pull request with the new
pages, FILE being its description, so editors review tags and places before anything is published.
The deploy builds run `archive update --offline` (folders only), which is deterministic: the same
committed files give the same pages.

Feeds are downloaded with a timeout and a size cap that hold in wall-clock time, into a stable file
under `.cache/feeds/` (so an item's origin is the same on every run and a revised text updates its
page), then ingested with the ordinary pipeline: nothing here reads or enriches articles itself.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import sys
import re
import socket
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .atomicfile import write_bytes
from .inputs import in_built_site, one_line, over_pages
from .cachedir import CacheDirError
from .pipeline import MAX_BYTES, OUTCOMES, RECORD_SEPARATORS, Entry, display_name, ingest, listed_rejects
from .exits import EXIT_OK, EXIT_REJECTED, EXIT_STOPPED, EXIT_USAGE
from .textutil import md_escape, refuse_aliases, typed_twice

FEED_TIMEOUT = 60.0  # seconds for one whole download, not per socket read
SOCKET_TIMEOUT = 10.0  # one read waits at most this long, so a download ends by FEED_TIMEOUT + this
FEED_MAX_BYTES = MAX_BYTES  # the pipeline rejects bigger inputs anyway
FEED_SCHEMES = ("http", "https", "file")
USER_AGENT = "news-archive-update/0.1 (+https://github.com/)"


class ConfigError(ValueError):
    """archive.yml cannot be used: the message names the file and the reason, on one line."""


class FetchError(OSError):
    """A feed could not be downloaded within the limits."""


@dataclass(frozen=True)
class Source:
    kind: str  # "feed" or "folder"
    where: str  # the URL, or the folder as written in archive.yml
    path: Path | None = None  # folders: resolved against the configuration's folder


@dataclass
class UpdateResult:
    entries: list[Entry] = field(default_factory=list)
    problems: list[tuple[Source, str]] = field(default_factory=list)  # sources that gave nothing
    fetched: dict[str, Source] = field(default_factory=dict)  # downloaded file -> its feed

    def source_of(self, input_name: str) -> str:
        """The source an entry came from, as an editor knows it: the feed's URL or the file."""
        for file, src in self.fetched.items():
            if input_name == file or input_name.startswith(tuple(file + sep for sep in RECORD_SEPARATORS)):
                return src.where
        return input_name

    @property
    def exit_code(self) -> int:
        """0: every input is a page or a known duplicate; 1: something was rejected or unreachable;
        3: the ingest stopped (a full disk), which `make update` must not take for 1 and go on."""
        if any(e.stopped for e in self.entries):
            return EXIT_STOPPED
        rejected = any(e.outcome == "rejected" for e in self.entries)
        return EXIT_REJECTED if rejected or self.problems else EXIT_OK


def load_config(path: Path) -> list[Source]:
    """The sources listed in archive.yml, checked: each item is `feed: URL` or `folder: PATH`."""
    try:
        text = path.read_text(encoding="utf-8")
        refuse_aliases(text, path.name)  # `sources: [*a]` nine levels deep: its error line spelled out a billion items
        data = yaml.safe_load(text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:  # saved as UTF-16 or Latin-1 by an editor: was a traceback
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start + 1}): save it as UTF-8") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = f": {exc.problem}" if "anchors and aliases" in str(getattr(exc, "problem", "")) else ""
        raise ConfigError(f"{path}: not valid YAML{where}{problem}") from exc
    if said := typed_twice(text, path):
        raise ConfigError(said)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ConfigError(f"{path}: needs a list under `sources:` (items `feed: URL` or `folder: PATH`)")
    sources = []
    for i, item in enumerate(data["sources"]):
        if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in ("feed", "folder"):
            raise ConfigError(f"{path}: sources[{i}]: expected `feed: URL` or `folder: PATH`, got {item!r}")
        kind, where = next(iter(item.items()))
        if not isinstance(where, str) or not where.strip():
            raise ConfigError(f"{path}: sources[{i}]: `{kind}` needs a non-empty text value")
        where = where.strip()
        if "\0" in where:  # a YAML escape ("\0"); no path or URL holds one
            raise ConfigError(f"{path}: sources[{i}]: `{kind}` holds a NUL character")
        if kind == "feed":
            try:
                scheme = urllib.parse.urlsplit(where).scheme
            except ValueError:  # 'http://[::1' was a traceback (Invalid IPv6 URL), even with --offline
                scheme = ""
            if scheme not in FEED_SCHEMES:
                raise ConfigError(f"{path}: sources[{i}]: feed {where!r} is not an http(s) or file URL")
            sources.append(Source("feed", where))
        else:
            sources.append(Source("folder", where, (path.parent / where)))
    return sources


def feed_file_name(url: str) -> str:
    """A stable, readable file name for a feed's download: host and path, plus a hash of the URL."""
    parts = urllib.parse.urlsplit(url)
    readable = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.netloc}{parts.path}").strip("-")[:60] or "feed"
    return f"{readable}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:10]}.xml"


def _watched_opener(connections: list) -> urllib.request.OpenerDirector:
    """An opener that records each HTTP(S) connection it makes (every redirect's too), so a
    watchdog can cut them when the download's time is up."""

    def recording(http_class):
        def make(*args, **kwargs):
            connection = http_class(*args, **kwargs)
            connections.append(connection)
            return connection
        return make

    class Http(urllib.request.HTTPHandler):
        def do_open(self, http_class, req, **kwargs):
            return super().do_open(recording(http_class), req, **kwargs)

    class Https(urllib.request.HTTPSHandler):
        def do_open(self, http_class, req, **kwargs):
            return super().do_open(recording(http_class), req, **kwargs)

    return urllib.request.build_opener(Http(), Https())


def _cut_at(deadline: float, connections: list, done: threading.Event, expired: threading.Event) -> threading.Thread:
    """A watchdog: once the deadline passes, it shuts every recorded connection's socket (again
    every 50 ms, for a connection made after) until the download ends. Why: the deadline was only
    checked between reads of the body, so a server trickling its status line and headers (100 of
    64 KiB each, a byte every few seconds), or redirecting from one slow answer to the next, held
    `archive update` for as long as it liked."""

    def watch() -> None:
        if done.wait(max(0.0, deadline - time.monotonic())):
            return
        expired.set()
        while True:
            for connection in list(connections):
                sock = getattr(connection, "sock", None)
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
            if done.wait(0.05):
                return

    thread = threading.Thread(target=watch, name="feed-deadline", daemon=True)
    thread.start()
    return thread


def fetch_feed(url: str, folder: Path, timeout: float = FEED_TIMEOUT, max_bytes: int = FEED_MAX_BYTES) -> Path:
    """Download one feed into folder (atomically), or raise FetchError with a one-line reason.

    The deadline is checked after every read, and reads return whatever has arrived (read1), so a
    server that trickles bytes cannot hold the run past timeout (plus one socket timeout); a
    watchdog cuts the connection at the deadline while the status line and headers arrive."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    chunks: list[bytes] = []
    size = 0
    connections: list = []
    done, expired = threading.Event(), threading.Event()
    watchdog = _cut_at(deadline, connections, done, expired)
    try:
        with _watched_opener(connections).open(request, timeout=min(timeout, SOCKET_TIMEOUT)) as response:
            read = getattr(response, "read1", response.read)
            while chunk := read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"larger than {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise FetchError(f"took longer than {timeout:g} s")
                chunks.append(chunk)
        if expired.is_set():  # cut while the body arrived: what came is not the whole feed
            raise FetchError(f"took longer than {timeout:g} s")
    except FetchError:
        raise
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if expired.is_set():
            raise FetchError(f"took longer than {timeout:g} s") from exc
        raise _fetch_error(exc) from exc
    finally:
        done.set()
        watchdog.join()
    if not chunks:
        raise FetchError("empty response")
    target = folder / feed_file_name(url)
    write_bytes(target, b"".join(chunks))
    return target


def _fetch_error(exc: BaseException) -> FetchError:
    """The one-line FetchError for an exception urllib raised (a redirect loop's is three lines;
    a server's reason phrase is its own text)."""
    if isinstance(exc, urllib.error.HTTPError):
        said = f"HTTP {exc.code} {exc.reason}"
    elif isinstance(exc, urllib.error.URLError):
        said = f"cannot be fetched: {exc.reason}"
    else:
        said = f"cannot be fetched: {exc}"
    return FetchError(" ".join(said.split()))


def update(config: Path, content: Path, *, offline: bool = False, feeds_dir: Path | None = None,
           jobs: int | None = None, progress: bool = False) -> UpdateResult:
    """Fetch the feeds (unless offline), then ingest feeds and folders in one pipeline run."""
    sources = load_config(config)
    for i, src in enumerate(sources):
        if src.kind == "folder" and src.path is not None:
            why = _folder_mistake(src.path, config.parent, content)
            if why:
                raise ConfigError(f"{config}: sources[{i}]: folder {src.where!r} {why}")
        local = _local_file(src)
        if local is not None and _outside(local, config.parent):
            raise ConfigError(f"{config}: sources[{i}]: feed {src.where!r} is a file outside the repository "
                              f"(the folder holding archive.yml): not read")
    feeds_dir = feeds_dir or config.parent / ".cache" / "feeds"
    result = UpdateResult()
    inputs: list[Path] = []
    for src in sources:
        if src.kind == "folder":
            if src.path is not None and src.path.is_dir():
                inputs.append(_relative(src.path))
            else:
                result.problems.append((src, "a file, not a folder" if src.path is not None and src.path.exists()
                                        else "no such folder"))
        elif not offline:
            try:
                file = _relative(fetch_feed(src.where, feeds_dir))
            except FetchError as exc:
                result.problems.append((src, str(exc)))
                continue
            result.fetched[display_name(file)] = src
            inputs.append(file)
    if inputs:
        result.entries = ingest(inputs, content, jobs=jobs, progress=progress)
    return result


def _folder_mistake(folder: Path, root: Path, content: Path) -> str | None:
    """Why a folder source must not be read, or None. Outside the repository (`folder: /`, `../..`, a
    link to the home folder) it would publish the machine's files as articles; holding the content
    folder (`folder: .`, `content/`), the archive's own pages (and the built site) as new articles."""
    if _outside(folder, root):
        return "is outside the repository (the folder holding archive.yml): not read"
    if over_pages(folder, content):
        return "holds the archive's own pages (the content folder): not read"
    if in_built_site(folder) is not None:
        return "is or lies in a built site: its pages would come back as new articles: not read"
    return None


def _outside(path: Path, root: Path) -> bool:
    """Whether path (links followed) lies outside the folder root."""
    where, top = path.resolve(), root.resolve()
    return where != top and top not in where.parents


def _local_file(src: Source) -> Path | None:
    """The file a `file:` feed reads, or None for other sources. It is a local file like a folder's,
    so it must lie inside the repository too: `feed: file:///etc/passwd` published the user list."""
    parts = urllib.parse.urlsplit(src.where)
    return Path(urllib.request.url2pathname(parts.path)) if src.kind == "feed" and parts.scheme == "file" else None


def _relative(path: Path) -> Path:
    """Inputs are named relative to the working folder when they lie inside it, so the names that
    reach pages, the ledger and the rejects report do not depend on where the repository is."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


# Characters each section of the pull request's description may list. GitHub refuses a description
# over 65,536 characters and the pull request action cuts it there: a feed of thousands of new items
# (titles of up to 1,000 characters) pushed the Rejected section and the sources that gave nothing,
# what a reviewer most needs, off the end.
SECTION_CHARS = 18_000


def summary_markdown(result: UpdateResult, offline: bool = False) -> str:
    """The pull request's description: what was added, updated and rejected, and from where."""
    by = {k: [e for e in result.entries if e.outcome == k]
          for k in OUTCOMES}
    lines = ["## New articles from the archive's sources", "",
             f"{len(by['new'])} added, {len(by['updated'])} updated, {len(by['rejected'])} rejected, "
             f"{len(by['duplicate'])} duplicates of existing pages, {len(by['unchanged'])} unchanged."
             + (" Feeds were not fetched (offline)." if offline else ""),
             "", "Review the tags and places of each page before merging: editors' fixes to front "
             "matter are kept on later updates."]

    def section(title: str, entries: list[Entry], reason: bool = False, listed: list[Entry] | None = None) -> None:
        lines.extend(["", f"### {title} ({len(entries)})", ""])
        if not entries:
            lines.append("None.")
        shown = listed if listed is not None else entries
        left = SECTION_CHARS
        for n, e in enumerate(shown):
            what = _plain(e.title or "") or f"`{_code(e.input)}`"
            page = f" → `{_code(e.page)}`" if e.page else ""
            detail = f": {_plain(e.reason)}" if reason else ""
            line = f"- {what}{page} (from `{_code(result.source_of(e.input))}`){detail}"
            left -= len(line) + 1
            if left < 0:
                lines.append(f"- … and {len(shown) - n:,} more, not listed here (the description's length is limited)")
                break
            lines.append(line)

    section("Added", by["new"])
    section("Updated", by["updated"])
    section("Rejected", by["rejected"], reason=True, listed=[e for e, _ in listed_rejects(by["rejected"])])
    if result.problems:
        lines.extend(["", f"### Sources that gave nothing ({len(result.problems)})", ""])
        lines.extend(f"- {src.kind} `{_code(src.where)}`: {_plain(why)}" for src, why in result.problems)
    return "\n".join(lines) + "\n"


# GitHub turns `@name` into a mention (a notification to that user or team) and `#12`, `owner/repo#12`
# and `GH-12` into cross-references (shown on that issue), wherever they stand in text, escaped or not.
_REFERENCES = re.compile(r"(@|&#64;|(?<!&)#|&#35;|\bGH-)(?=[A-Za-z0-9_])", re.IGNORECASE)  # (md_escape's entities too)


def _plain(text: str) -> str:
    """Article text for the pull request's description: visible text (md_escape), with a word joiner
    (U+2060, invisible) after each `@`, `#` and `GH-` that would start a reference. Why: the update's
    description lists every new title, so a feed titling its items "@maintainers" or "see
    owner/repo#1" notified those people, or marked that issue, from the archive's pull request."""
    return _REFERENCES.sub("\\1\u2060", md_escape(text))


def _code(text: str | None) -> str:
    """Text inside a Markdown code span: backticks and line breaks cannot end it early."""
    return " ".join((text or "").split()).replace("`", "'")


def add_parser(sub) -> None:
    """`archive update`, registered by cli.py."""
    from .cli import worker_count

    up = sub.add_parser("update", help="ingest new articles from the feeds and folders listed in archive.yml")
    up.add_argument("--config", type=Path, default=Path("archive.yml"), help="default: archive.yml")
    up.add_argument("--content", type=Path, default=None,
                    help="target content folder (default: mkdocs.yml's docs_dir, as the build reads it)")
    up.add_argument("--summary", type=Path, default=None,
                    help="also write a Markdown summary (added, updated, rejected) here: a pull request's description")
    up.add_argument("--offline", action="store_true", help="folders only: do not download the feeds")
    up.add_argument("--jobs", type=worker_count, default=None, help="worker processes (default: all cores)")
    up.add_argument("--quiet", action="store_true", help="no progress bar")
    up.set_defaults(func=main)


def _write_summary(path: Path, data: bytes) -> None:
    """A file is replaced atomically; a device or pipe (`--summary /dev/stdout`) is written into.
    Replacing put a regular file in the device's place: run as root (a CI container), /dev/stdout
    or /dev/null became a file of the summary for every later process."""
    try:
        special = not stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        special = False
    if special:
        with open(path, "wb") as out:
            out.write(data)
    else:
        write_bytes(path, data)


def main(args: argparse.Namespace) -> int:
    """Exit 0: every input is a page or a known duplicate; 1: some input or source was rejected;
    2: archive.yml cannot be used."""
    from .pipeline import summary_line

    from .cli import content_folder, usable_content

    args.content = content_folder(args.content)
    if args.summary is not None and args.summary.is_dir():  # was a traceback after the whole run
        print(f"archive update: --summary {args.summary}: is a folder, not a file", file=sys.stderr)
        return EXIT_USAGE
    if not usable_content(args.content, "archive update"):
        return EXIT_USAGE
    show = not args.quiet and sys.stderr.isatty() and not os.environ.get("CI")
    try:
        result = update(args.config, args.content, offline=args.offline, jobs=args.jobs, progress=show)
    except (ConfigError, CacheDirError) as exc:
        print(f"archive update: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for src, why in result.problems:
        print(one_line(f"{src.where}: {src.kind} skipped: {why}"), file=sys.stderr)
    for e, _ in listed_rejects(result.entries):
        print(one_line(f"{result.source_of(e.input)}: rejected: {e.reason}"), file=sys.stderr)
    if args.summary:
        try:
            _write_summary(args.summary, summary_markdown(result, offline=args.offline).encode("utf-8"))
        except OSError as exc:
            print(f"archive update: --summary {args.summary}: cannot be written: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    print(summary_line(result.entries) + (f"; {len(result.problems)} source(s) gave nothing" if result.problems else ""))
    return result.exit_code
