"""`archive`: ingest articles into content/, build the site, serve it, measure quality."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from .exits import CANNOT_WRITE, EXIT_INTERRUPTED, EXIT_OK, EXIT_REJECTED, EXIT_STOPPED, EXIT_USAGE

EVALUATIONS = {
    "extract": "generator.evaluation.extract",
    "geoparse": "generator.evaluation.geoparse",
    "scrapes": "generator.evaluation.scrapes",
    "tags": "generator.evaluation.tags",
}


INGEST_EPILOG = """exit status:
  0  every input became a page or is a known duplicate (new, updated, unchanged, duplicate)
  1  some inputs (files or records) were rejected: see the report (stderr, --json,
     content/.archive/rejects.jsonl)
  2  usage error: a path that does not exist, that is, holds or lies in the content folder, or
     that is or lies in a built site, a bad option, or a cache folder that is not yours; nothing was ingested
  3  stopped: the disk is full or the content folder cannot be written; the pages written are
     whole, and running it again (once it can write) goes on from there"""


def whole_number(low: int, what: str):
    """An argparse type: a whole number of `what`, `low` or more, else argparse's one usage line.
    `--jobs 0`, `review --limit -1`, `--min-articles -5` and `eval --limit -1` were taken without a
    word (a negative limit cut the list from its end, `eval --limit 0` read every record in one
    evaluation and none in another)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r}: give a number of {what}, {low} or more")
        return value

    parse.__name__ = what  # argparse names the type by it
    return parse


worker_count = whole_number(1, "worker processes")


def _cmd_ingest(args: argparse.Namespace) -> int:
    from . import readcache, reading
    from .cachedir import CacheDirError
    from .inputs import in_built_site, one_line, over_pages
    from .pipeline import ingest, listed_rejects, report_json, summary_line

    args.content = content_folder(args.content)
    missing = [p for p in args.paths if not os.path.lexists(p)]
    for p in missing:
        print(f"archive ingest: {p}: no such file or folder", file=sys.stderr)
    for p in args.paths:  # "." in the repository, or "" (an unset variable, read as ".")
        if p not in missing and over_pages(p, args.content):
            print(one_line(f"archive ingest: {p}: is, holds or lies in the content folder ({args.content}): its pages, "
                           f"and a site built beside them, would come back as new articles: not read"), file=sys.stderr)
            missing.append(p)
        elif p not in missing and (site := in_built_site(p)) is not None:
            print(one_line(f"archive ingest: {p}: is or lies in a built site ({site}): its pages would come back "
                           f"as new articles: not read"), file=sys.stderr)
            missing.append(p)
    if args.time_limit is not None and not 0 < args.time_limit < float("inf"):  # nan never timed out
        print("archive ingest: --time-limit must be a positive number of seconds", file=sys.stderr)
        return EXIT_USAGE
    if missing or not usable_content(args.content, "archive ingest"):
        return EXIT_USAGE
    readcache.ENABLED = not args.no_cache
    if args.time_limit is not None:
        reading.READ_TIMEOUT = args.time_limit
    show = not args.json and not args.quiet and sys.stderr.isatty() and not os.environ.get("CI")
    try:
        if readcache.ENABLED:
            try:
                readcache.root()  # a cache folder someone else owns is refused before any work
            except CacheDirError:
                raise
            except OSError:
                pass  # it cannot be created: ingest works without it (slower re-runs)
        entries = ingest(args.paths, args.content, jobs=args.jobs, progress=show)
    except CacheDirError as exc:
        print(f"archive ingest: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.json:
        for e, _ in listed_rejects(entries):
            print(one_line(f"{e.input}: rejected: {e.reason}"), file=sys.stderr)
    if args.json:
        print(report_json(entries))
    else:
        print(summary_line(entries))
    if any(e.stopped for e in entries):
        return EXIT_STOPPED  # not 1, which `make update` takes as "some inputs rejected" and goes on
    return EXIT_REJECTED if any(e.outcome == "rejected" for e in entries) else EXIT_OK


def content_folder(given: Path | None, config: Path = Path("mkdocs.yml")) -> Path:
    """The folder `ingest` and `update` write into: --content when given, else the docs_dir of the
    mkdocs.yml that `archive build` reads (MkDocs' own default, docs, when it names none), so both
    agree without a second setting; `content` where there is no readable mkdocs.yml. Why: ingest
    wrote into content/ while a build of an mkdocs.yml with `docs_dir: pages` read pages/."""
    if given is not None:
        return given
    import yaml

    class Loader(yaml.SafeLoader):  # mkdocs.yml's !ENV and !!python/name tags are not needed here
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        settings = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 (a SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return Path("content")
    docs = settings.get("docs_dir", "docs") if isinstance(settings, dict) else None
    return config.parent / docs if isinstance(docs, str) and docs else Path("content")


def usable_content(content: Path, command: str) -> bool:
    """Whether the content folder is (or can be made) a folder; if not, one line says why.
    `--content mkdocs.yml` was a traceback (NotADirectoryError) once the run had started."""
    try:
        content.mkdir(parents=True, exist_ok=True)
        return True
    except OSError as exc:
        why = "is a file, not a folder" if content.exists() else exc.strerror or str(exc)
        print(f"{command}: --content {content}: {why}", file=sys.stderr)
        return False


def _mkdocs_logging() -> None:
    """Show MkDocs warnings (broken links and the like) as one line each, as `mkdocs build` does."""
    import logging

    from .inputs import one_line, terminal_text

    class Printable(logging.Formatter):
        """Warnings name pages by their file names, which may hold an escape sequence (an ESC in a
        name retitled the terminal or cleared it as the build printed it) or a line break (a
        forged line): escaped, as ingest's lines are; an error's traceback keeps its lines."""

        def format(self, record: logging.LogRecord) -> str:
            text = super().format(record)
            return terminal_text(text) if record.levelno >= logging.ERROR else one_line(text)

    from mkdocs.exceptions import BuildError

    def held(record: logging.LogRecord) -> bool:
        """A setting MkDocs refuses, or a plugin's BuildError (a refused mkdocs.yml value), is logged,
        then MkDocs raises Abort ("Aborted with a configuration error!", "… with a BuildError!"): the
        reason is kept for the command's one line (_mkdocs_problem) instead of a second line."""
        if record.name == "mkdocs.livereload" and "Serving on " in record.getMessage():  # "[12:00:00] Serving on …"
            HOLDING[0] = False  # from here on a rebuild's error is printed as it comes: serve goes on after it
        failing = sys.exc_info()[1]
        if HOLDING[0] and record.levelno >= logging.ERROR and (
                str(record.msg).startswith("Config value ") or (
                isinstance(failing, BuildError) and record.getMessage() == str(failing))):
            CONFIG_ERRORS.append(record.getMessage())
            return False
        return True

    log = logging.getLogger("mkdocs")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(Printable("%(levelname)s: %(message)s"))
        handler.addFilter(held)
        log.addHandler(handler)
        log.setLevel(logging.WARNING)


CONFIG_ERRORS: list[str] = []  # the settings MkDocs refused, as it logged them (_mkdocs_logging)
HOLDING = [True]  # until `archive serve` serves (then MkDocs prints a rebuild's error and goes on serving)
# The settings a command-line option gives, and the option: a value refused there is a usage error.
OPTION_OF = {"docs_dir": "--content", "site_dir": "--site", "dev_addr": "--addr"}


def _keys_typed_once(args: argparse.Namespace) -> None:
    """Refuse an mkdocs.yml with a key typed twice (ConfigurationError): YAML keeps the last silently."""
    from mkdocs.exceptions import ConfigurationError

    from .textutil import typed_twice

    try:
        typed = Path(args.config).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return  # MkDocs says what is wrong with it
    if said := typed_twice(typed, args.config):
        raise ConfigurationError(said)


def _mkdocs_config(args: argparse.Namespace):
    from mkdocs.config import load_config

    _keys_typed_once(args)

    overrides = {"strict": True}
    if os.environ.get("SITE_URL"):  # a deploy's address (feeds and Open Graph cards need it absolute)
        overrides["site_url"] = os.environ["SITE_URL"]
    if args.content:
        overrides["docs_dir"] = str(args.content.resolve())
    if getattr(args, "site", None):
        overrides["site_dir"] = str(args.site.resolve())
    return load_config(str(args.config), **overrides)


def _mkdocs_problem(exc: Exception, args: argparse.Namespace) -> tuple[str, int]:
    """An MkDocs error as one line, and the exit status: a YAML error's message spans four, and a
    --config that is a folder or unreadable was a traceback (UnboundLocalError in build,
    IsADirectoryError in serve). A refused setting was two lines, its reason as an "ERROR:" line
    and then "Aborted with a configuration error!", with status 1 (a failed build) even when the
    value was an option's (`--content /nonexist`, `--site /`, `--addr nonsense`): now the reason,
    naming the option, and status 2 for an option's value."""
    if isinstance(exc, OSError):
        return f"--config {args.config}: {exc.strerror or exc}", EXIT_REJECTED
    refused, CONFIG_ERRORS[:] = CONFIG_ERRORS[:], []
    status = EXIT_REJECTED
    for n, said in enumerate(refused):
        key = said.split("'")[1] if said.startswith("Config value '") else ""
        if (option := OPTION_OF.get(key)) and getattr(args, option[2:], None) is not None:
            refused[n], status = f"{option} {getattr(args, option[2:])}: {said.split(': ', 1)[-1]}", EXIT_USAGE
    said = refused or str(exc).splitlines()
    return "; ".join(line.strip() for line in said if line.strip()), status


def _refused(command: str, exc: Exception, args: argparse.Namespace) -> int:
    """Say why MkDocs stopped, in one line; the exit status (1, or 2 for an option's value)."""
    said, status = _mkdocs_problem(exc, args)
    print(f"archive {command}: {said}", file=sys.stderr)
    return status


def _no_config(args: argparse.Namespace) -> bool:
    """Say so when there is no mkdocs.yml here: MkDocs' "Config file 'mkdocs.yml' does not exist."
    (exit status 1, as for a broken build) did not tell a new user where to run the command."""
    if os.path.lexists(args.config):
        return False
    print(f"archive {args.command}: {args.config}: no such file: run it in the archive's folder (the one with "
          f"mkdocs.yml), or name the file with --config", file=sys.stderr)
    return True


def _cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, ConfigurationError

    from .sitewrite import SiteDirError, keep_unchanged

    if _no_config(args):
        return EXIT_USAGE
    _mkdocs_logging()
    try:
        cfg = _mkdocs_config(args)
    except (Abort, ConfigurationError, OSError) as exc:
        return _refused("build", exc, args)
    try:
        with keep_unchanged(cfg["site_dir"]):  # unchanged files stay as they are, stale ones go
            build(cfg)
    except (Abort, ConfigurationError) as exc:
        return _refused("build", exc, args)
    except SiteDirError as exc:
        print(f"archive build: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for note in getattr(cfg.plugins.get("archive"), "notes", []):  # what the build chose not to write
        print(f"archive build: {note}", file=sys.stderr)
    print(f"site built in {cfg['site_dir']}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, ConfigurationError

    if _no_config(args):
        return EXIT_USAGE
    _mkdocs_logging()  # the reason a build stopped (a refused site_url) was not shown, only "Aborted"
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)  # "Serving on <address>": nothing said where
    kwargs = {"config_file": str(args.config), "open_in_browser": False, "dev_addr": args.addr}
    if args.content:
        kwargs["docs_dir"] = str(args.content.resolve())
    try:
        _keys_typed_once(args)
        serve(**kwargs)
    except (Abort, ConfigurationError) as exc:  # a bad mkdocs.yml or --addr: one line, not a traceback
        return _refused("serve", exc, args)
    except (OSError, OverflowError) as exc:  # a folder as --config; an --addr that cannot be bound
        where = f"--config {args.config}" if isinstance(exc, IsADirectoryError) else f"--addr {args.addr}"
        print(f"archive serve: {where}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"archive eval {args.what}: {args.file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    import gzip
    import json

    from .evaluation import NotGold

    try:  # read by the extract and scrapes evaluations: `two` or `0` was a traceback there
        worker_count(os.environ.get("ARCHIVE_EVAL_JOBS", "1"))
    except argparse.ArgumentTypeError as exc:
        print(f"archive eval {args.what}: ARCHIVE_EVAL_JOBS: {exc}", file=sys.stderr)
        return EXIT_USAGE
    module = importlib.import_module(EVALUATIONS[args.what])
    try:
        return module.main(args)
    except (json.JSONDecodeError, NotGold, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        # `eval geoparse mkdocs.yml` was a traceback (JSONDecodeError)
        print(f"archive eval {args.what}: {args.file}: not JSON Lines of gold records "
              f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})", file=sys.stderr)
        return EXIT_USAGE


def parser(others: bool = True) -> argparse.ArgumentParser:
    """The command line; `others`: with the subcommands that live beside their logic (importing
    them imports the ingest pipeline: about half a second of every `archive build`)."""
    p = argparse.ArgumentParser(prog="archive", description=__doc__)
    # Every command in the usage line, also when only the core ones are parsed (`archive build x`
    # showed "{ingest,build,serve,eval}", as if update, review and the others did not exist).
    sub = p.add_subparsers(dest="command", required=True, metavar="{" + ",".join(COMMANDS) + "}")

    ing = sub.add_parser("ingest", help="read articles (files or folders) into content/articles/",
                         epilog=INGEST_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ing.add_argument("paths", nargs="+", type=Path,
                     help="article files (text, HTML, RSS/Atom, JSON/JSONL) and folders (walked recursively)")
    ing.add_argument("--content", type=Path, default=None,
                     help="target content folder (default: mkdocs.yml's docs_dir, as the build reads it)")
    ing.add_argument("--json", action="store_true", help="print a JSON report with one entry per input")
    ing.add_argument("--jobs", type=worker_count, default=None, help="worker processes (default: all cores)")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    ing.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                     help="wall-clock limit for reading one file; past it the file is rejected (default: 300)")
    ing.add_argument("--no-cache", action="store_true",
                     help="read every input again, even a file read before with the same bytes and generator")
    ing.set_defaults(func=_cmd_ingest)

    for name, func, helptext in (("build", _cmd_build, "build the site into site/ (strict)"),
                                 ("serve", _cmd_serve, "preview the site locally")):
        usage = ("a --content or --site MkDocs refuses, a site folder that holds other files" if name == "build"
                 else "a --content MkDocs refuses, an --addr that cannot be bound")
        c = sub.add_parser(name, help=helptext, epilog=f"exit status: 0 {'built' if name == 'build' else 'stopped'}; "
                           f"1 the build failed (the reason in one line); 2 usage error (no mkdocs.yml here, {usage})")
        c.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the MkDocs configuration (default: mkdocs.yml)")
        c.add_argument("--content", type=Path, default=None, help="content folder (default: mkdocs.yml's docs_dir)")
        if name == "build":
            c.add_argument("--site", type=Path, default=None, help="output folder (default: site)")
        else:
            c.add_argument("--addr", default="127.0.0.1:8000", help="address and port to serve on (default: 127.0.0.1:8000)")
        c.set_defaults(func=func)

    ev = sub.add_parser("eval", help="measure quality against gold data")
    ev.add_argument("what", choices=sorted(EVALUATIONS), help="what to measure")
    ev.add_argument("file", type=Path, help="the gold data, e.g. ../shared/eval/scrapes_real.jsonl.gz")
    ev.add_argument("--limit", type=whole_number(1, "records"), default=None, help="only the first N records")
    ev.add_argument("--predictions", type=Path, default=None, help="also write every prediction here (JSONL)")
    ev.add_argument("--part", choices=("all", "tune", "holdout"), default="all",
                    help="geoparse and scrapes: one part of a fixed split (tune: what rules and models were fitted on; "
                         "holdout: the rest, by document for geoparse, by site for scrapes)")
    ev.add_argument("--literal", action="store_true",
                    help="geoparse: only gold toponyms marked literal (metonyms we return count as errors)")
    ev.add_argument("--no-baseline", action="store_true", help="geoparse: skip the plain-lookup baseline")
    ev.set_defaults(func=_cmd_eval)

    if others:
        from . import linkcheck, review, sources, vocabedit  # subcommands that live beside their logic
        sources.add_parser(sub)
        linkcheck.add_parser(sub)
        review.add_parser(sub)
        vocabedit.add_parser(sub)
    return p


CORE = ("ingest", "build", "serve", "eval")  # defined here: parsed without importing the others
COMMANDS = (*CORE, "update", "linkcheck", "review", "add-tag")


# What a command stopped by Ctrl-C leaves, said in one line instead of the traceback of wherever it
# was (27 lines from the reading pool's poll): pages and site files are each written whole and then
# renamed, the ledger keeps what was committed, and the next run settles the rest.
_GOES_ON = "the pages written so far are complete; run it again to go on (what is done is not done twice)"
INTERRUPTED = {"ingest": _GOES_ON, "update": _GOES_ON, "build": "the site folder may hold part of this build; run it again"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(others=not (argv and argv[0] in CORE)).parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        what = INTERRUPTED.get(args.command, "nothing it wrote is half-written; run it again")
        print(f"\narchive {args.command}: interrupted (Ctrl-C): {what}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `archive review | head` ended in a traceback once head had its lines
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        return 1
    except OSError as exc:  # a folder it must write that cannot be written: one line, not a traceback
        if exc.errno not in CANNOT_WRITE:
            raise
        from .inputs import one_line

        print(one_line(f"archive {args.command}: {exc.filename or 'a file it writes'}: {exc.strerror}: stopped, "
                       "nothing half-written; once it can be written, run it again"), file=sys.stderr)
        return EXIT_STOPPED


if __name__ == "__main__":
    sys.exit(main())
