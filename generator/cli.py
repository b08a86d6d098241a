"""`archive`: ingest articles into content/, build the site, serve it, measure quality."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

EVALUATIONS = {
    "extract": "generator.evaluation.extract",
    "geoparse": "generator.evaluation.geoparse",
    "tags": "generator.evaluation.tags",
}


def _cmd_ingest(args: argparse.Namespace) -> int:
    from . import readcache
    from .pipeline import ingest, report_json, summary_line

    readcache.ENABLED = not args.no_cache
    missing = [p for p in args.paths if not p.exists()]
    for p in missing:
        print(f"archive: {p}: no such file or folder", file=sys.stderr)
    show = not args.json and not args.quiet and sys.stderr.isatty() and not os.environ.get("CI")
    entries = ingest([p for p in args.paths if p.exists()], args.content, jobs=args.jobs, progress=show)
    for e in entries:
        if e.outcome == "rejected" and not args.json:
            print(f"{e.input}: rejected: {e.reason}", file=sys.stderr)
    if args.json:
        print(report_json(entries))
    else:
        print(summary_line(entries))
    return 1 if missing else 0


def _mkdocs_logging() -> None:
    """Show MkDocs warnings (broken links and the like) as one line each, as `mkdocs build` does."""
    import logging

    log = logging.getLogger("mkdocs")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.WARNING)


def _mkdocs_config(args: argparse.Namespace):
    from mkdocs.config import load_config

    overrides = {"strict": True}
    if args.content:
        overrides["docs_dir"] = str(args.content.resolve())
    if getattr(args, "site", None):
        overrides["site_dir"] = str(args.site.resolve())
    return load_config(str(args.config), **overrides)


def _cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, ConfigurationError

    _mkdocs_logging()
    try:
        cfg = _mkdocs_config(args)
        build(cfg)
    except (Abort, ConfigurationError) as exc:
        print(f"archive build: {exc}", file=sys.stderr)
        return 1
    print(f"site built in {cfg['site_dir']}")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    kwargs = {"config_file": str(args.config), "open_in_browser": False, "dev_addr": args.addr}
    if args.content:
        kwargs["docs_dir"] = str(args.content.resolve())
    serve(**kwargs)
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"archive eval {args.what}: {args.file}: no such file", file=sys.stderr)
        return 2
    module = importlib.import_module(EVALUATIONS[args.what])
    return module.main(args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="archive", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="read articles (files or folders) into content/articles/")
    ing.add_argument("paths", nargs="+", type=Path)
    ing.add_argument("--content", type=Path, default=Path("content"), help="target content folder (default: content)")
    ing.add_argument("--json", action="store_true", help="print a JSON report with one entry per input")
    ing.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    ing.add_argument("--no-cache", action="store_true",
                     help="read every input again, even a file read before with the same bytes and generator")
    ing.set_defaults(func=_cmd_ingest)

    for name, func, helptext in (("build", _cmd_build, "build the site into site/ (strict)"),
                                 ("serve", _cmd_serve, "preview the site locally")):
        c = sub.add_parser(name, help=helptext)
        c.add_argument("--config", type=Path, default=Path("mkdocs.yml"))
        c.add_argument("--content", type=Path, default=None, help="content folder (default: mkdocs.yml's docs_dir)")
        if name == "build":
            c.add_argument("--site", type=Path, default=None, help="output folder (default: site)")
        else:
            c.add_argument("--addr", default="127.0.0.1:8000")
        c.set_defaults(func=func)

    ev = sub.add_parser("eval", help="measure quality against gold data")
    ev.add_argument("what", choices=sorted(EVALUATIONS))
    ev.add_argument("file", type=Path)
    ev.add_argument("--limit", type=int, default=None, help="only the first N records")
    ev.add_argument("--predictions", type=Path, default=None, help="also write every prediction here (JSONL)")
    ev.set_defaults(func=_cmd_eval)

    from . import linkcheck, sources  # subcommands that live beside their logic
    sources.add_parser(sub)
    linkcheck.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
