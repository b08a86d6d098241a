"""`archive add-tag`: one command to add what `archive review` found to data/vocabulary.yml.

An editor reading the review had to open the YAML file, find the entry among 420, and get the
quoting of a name with an apostrophe right. This writes the entry (or the alias) into the file as
text, so its comments and layout stay as they are, checks that the file still loads and now files
the spelling under the tag, and replaces the file atomically; anything else is refused in one line.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from .enrich.tags import DATA, Vocabulary

KINDS = ("group", "force", "operation", "organisation", "topic")
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .'’&()/-]*")  # safe unquoted in a YAML flow list


def _scalar(text: str) -> str:
    """text as a YAML flow scalar: bare when that reads back the same, else double-quoted."""
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and yaml.safe_load(f"[{text}]") == [text]:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _checked(text: str, what: str) -> str:
    text = " ".join(text.split())
    if not text or len(text) > 120 or any(not c.isprintable() for c in text):
        raise ValueError(f"{what} {text!r}: give a name of 1 to 120 printable characters")
    return text


def _aliases_node(root: yaml.Node, name: str) -> tuple[yaml.MappingNode, yaml.Node | None]:
    """The entry named `name` in the composed file, and its aliases list (None when it has none)."""
    for entry in root.value if isinstance(root, yaml.SequenceNode) else ():
        if not isinstance(entry, yaml.MappingNode):
            continue
        fields = {k.value: v for k, v in entry.value if isinstance(k, yaml.ScalarNode)}
        if getattr(fields.get("name"), "value", None) == name:
            return entry, fields.get("aliases")
    raise LookupError(name)


def add_tag(path: Path, name: str, kind: str | None, aliases: list[str]) -> str:
    """Add `aliases` to the tag `name`, or a new tag `name` of `kind` with them; returns what was
    done, in one line. Raises ValueError with the reason when nothing can be written."""
    name = _checked(name, "tag")
    aliases = list(dict.fromkeys(_checked(a, "alias") for a in aliases if _checked(a, "alias") != name))
    text = path.read_text(encoding="utf-8")
    vocab = Vocabulary.load(path)
    for alias in aliases:  # a spelling another tag already claims would tag its articles twice
        owner = vocab.whole(alias)
        if owner is not None:
            raise ValueError(f"{alias!r} is already a spelling of the tag {owner!r}")
    if name in vocab.terms:
        if not aliases:
            raise ValueError(f"the tag {name!r} is in the vocabulary already: give --alias to add a spelling")
        if kind and kind != vocab.terms[name].kind:
            raise ValueError(f"the tag {name!r} is a {vocab.terms[name].kind}, not a {kind}")
        entry, listed = _aliases_node(yaml.compose(text), name)
        added = ", ".join(_scalar(a) for a in aliases)
        if isinstance(listed, yaml.SequenceNode) and listed.flow_style:
            at = listed.end_mark.index - 1  # the closing bracket
            new = text[:at] + (", " if listed.value else "") + added + text[at:]
        elif listed is None and entry.flow_style:
            at = entry.end_mark.index - 1  # the closing brace
            new = text[:at] + f", aliases: [{added}]" + text[at:]
        else:
            line = (listed or entry).start_mark.line + 1
            raise ValueError(f"{path}:{line}: the aliases of {name!r} are not a [list] on one line: add them by hand")
        done = f"added {', '.join(aliases)} to the tag {name} ({vocab.terms[name].kind})"
    else:
        if kind not in KINDS:
            raise ValueError(f"{name!r} is a new tag: give its --kind ({', '.join(KINDS)})")
        owner = vocab.whole(name)
        if owner is not None:
            raise ValueError(f"{name!r} is already a spelling of the tag {owner!r}")
        listed = f", aliases: [{', '.join(_scalar(a) for a in aliases)}]" if aliases else ""
        new = text + ("" if text.endswith("\n") else "\n") + f"- {{name: {_scalar(name)}, kind: {kind}{listed}}}\n"
        done = f"added the tag {name} ({kind})" + (f" with {', '.join(aliases)}" if aliases else "")
    _write_checked(path, new, name, aliases)
    return done


def _write_checked(path: Path, new: str, name: str, aliases: list[str]) -> None:
    """Write `new` only if it loads and files `name` and each alias under the tag `name`."""
    from .writers.pagefile import atomic_write

    try:
        terms = {t.name: t for t in Vocabulary(_terms(new, path)).terms.values()}
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: the edit would not load ({exc}); nothing written") from None
    if name not in terms or not set(aliases) <= set(terms[name].aliases):
        raise ValueError(f"{path}: the edit would not file {name!r} as asked; nothing written")
    atomic_write(path, new)


def _terms(text: str, path: Path) -> list:
    """The terms of a vocabulary file's text, read as Vocabulary.load reads the file (a copy in a
    temporary folder: the file itself is replaced only once this has read)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        copy.write_text(text, encoding="utf-8")
        return list(Vocabulary.load(copy).terms.values())


def add_parser(sub) -> None:
    """`archive add-tag`, registered by cli.py."""
    at = sub.add_parser(
        "add-tag", help="add a tag, or a spelling of a tag, to the vocabulary (what `archive review` suggests)",
        description="Add a tag to generator/data/vocabulary.yml, or spellings (--alias) to a tag it has. "
                    "Then re-ingest (archive update, or archive ingest on your inputs) so the articles are tagged.",
        epilog='examples:\n  archive add-tag "Coastal Shield Brigade" --kind group\n'
               '  archive add-tag "National Liberation Army (Colombia)" --alias "National Liberation Army"\n'
               "exit status: 0 written; 2 refused (the reason in one line), nothing written",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    at.add_argument("name", help="the tag's name as the site shows it")
    at.add_argument("--kind", choices=KINDS, help="the kind of a new tag")
    at.add_argument("--alias", action="append", default=[], metavar="SPELLING",
                    help="a spelling the news uses for it (repeat for more)")
    at.add_argument("--vocabulary", type=Path, default=DATA / "vocabulary.yml", help="the vocabulary file")
    at.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from .inputs import one_line

    try:
        print(one_line(f"archive add-tag: {add_tag(args.vocabulary, args.name, args.kind, args.alias)} "
                       f"in {args.vocabulary}; re-ingest to tag the articles"))
        return 0
    except (ValueError, OSError, yaml.YAMLError) as exc:
        print(one_line(f"archive add-tag: {exc}"), file=sys.stderr)
        return 2
