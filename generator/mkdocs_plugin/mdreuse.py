"""One Python-Markdown instance for every page of a build (issue 12).

MkDocs' `Page.render` builds a new `markdown.Markdown` with every configured extension for each
page (its registries, the extensions' processors, MkDocs' own four processors): about 0.6 ms a
page before any text is converted, 6 s of a 10,000-article build. Python-Markdown is made to be
reused: `reset()` between documents clears its stash, its references and the state of every
extension that keeps some (toc, footnotes, abbr, md_in_html, meta). `Renderer` builds the instance
once, with MkDocs' processors registered in the same order as `Page.render` does, and each page's
render gives those processors the page's file and fresh state, then resets and converts.

Only extensions whose per-page state `reset()` clears are trusted: Python-Markdown's own and
MkDocs' builtins (listed below). With any other extension the plugin leaves pages to MkDocs
(`for_config` gives None). The footnotes extension counts its resets into the ids of its
UNIQUE_IDS option; its count is set back so that every page gets a fresh instance's ids.
`tests/test_navmemo.py` checks the site is the same bytes with `reuse_markdown` on and off.
"""
from __future__ import annotations

import html as htmllib
import logging
import re

import markdown
from markdown.extensions import toc as md_toc
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

# Extensions whose state between documents reset() clears (or that keep none).
SAFE_MODULES = frozenset({
    "markdown.extensions.abbr", "markdown.extensions.admonition", "markdown.extensions.attr_list",
    "markdown.extensions.codehilite", "markdown.extensions.def_list", "markdown.extensions.extra",
    "markdown.extensions.fenced_code", "markdown.extensions.footnotes", "markdown.extensions.legacy_attrs",
    "markdown.extensions.legacy_em", "markdown.extensions.md_in_html", "markdown.extensions.meta",
    "markdown.extensions.nl2br", "markdown.extensions.sane_lists", "markdown.extensions.smarty",
    "markdown.extensions.tables", "markdown.extensions.toc", "markdown.extensions.wikilinks",
})
# Extensions that leave paragraphs of literal text as they are (plain_paragraphs): not smarty
# (quotes), nl2br (line breaks), meta (a first line "Key: value"), def_list (": "), abbr (a glossary).
PLAIN_SAFE_MODULES = frozenset({
    "markdown.extensions.admonition", "markdown.extensions.attr_list", "markdown.extensions.fenced_code",
    "markdown.extensions.footnotes", "markdown.extensions.md_in_html", "markdown.extensions.sane_lists",
    "markdown.extensions.tables", "markdown.extensions.toc",
})


# Text Python-Markdown might read as anything but paragraphs of literal text: its inline syntax
# characters (escapes, code, emphasis, links, images, HTML, attributes, headings, tables), control
# characters (it uses \x02 and \x03 as placeholders), any whitespace but spaces and newlines (tabs,
# carriage returns, no-break spaces: it strips a paragraph's) (`_NOT_PLAIN`);
# an `&` that could start an entity (`_AMP`); leading or trailing spaces on a line (code blocks,
# indented lists, line breaks); lines that open a list, a quote, a rule or a setext heading (`_OPENS`).
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>{}#!|~^=+\x00-\x08\x0b-\x1f\x7f]|[^\S\n ]")  # and whitespace but "\n", " "
_AMP = re.compile(r"&(?! )")
_OPENS = re.compile(r"(?:[0-9]+[.)]|[-+*>])(?:\s|$)|[- ]+$")
_OPENERS = frozenset("0123456789-+*>")


def plain_paragraphs(text: str) -> str | None:
    """The HTML Python-Markdown makes of `text` when it is only paragraphs of literal text (None
    otherwise): blocks between blank lines, each a `<p>`, the only `&` (followed by a space)
    escaped. With the site's extensions (PLAIN_SAFE_MODULES) such text gives no table of contents,
    title, anchor or link. Most article bodies are such text (8,950 of the benchmark's 10,000;
    about 10 us to check, against 0.5 ms to convert); `tests/test_mdreuse_plain.py` checks the
    result against Python-Markdown's."""
    if (_NOT_PLAIN.search(text) or " \n" in text or "\n " in text or text.startswith(" ") or text.endswith(" ")
            or ("&" in text and _AMP.search(text))):
        return None
    for line in text.split("\n"):
        if line and line[0] in _OPENERS and _OPENS.match(line):
            return None
    blocks = [b.strip("\n") for b in text.split("\n\n")]
    html = "\n".join(f"<p>{b}</p>" for b in blocks if b)
    return html.replace("&", "&amp;") if "&" in html else html


# A line heading_blocks takes: an ATX heading ("## Text", the text starting and ending with a
# character that is not a space) or a placeholder comment ("<!-- name 3 -->", listings.placeholder).
_HEADING = re.compile(r"(#{1,6}) ([^\s#](?:[^\n]*[^\s#])?)\Z")
_COMMENT = re.compile(r"<!-- [a-z:]+ [0-9]+ -->\Z")
_ATTR_ESCAPED = re.compile(r"[&<>\"'\s\x00-\x1f\x02\x03]")


def heading_blocks(text: str, md: markdown.Markdown) -> tuple[str, list[dict], str | None, set[str]] | None:
    """What Python-Markdown (with MkDocs' title and anchor processors) makes of text that is only
    ATX headings of literal text and placeholder comments, each line alone between blank lines:
    (HTML, toc tokens, the title, the anchor ids); None for any other text or a toc extension set
    up to add anything to a heading. Why: a listing page (3,440 in a clean build at 10,000
    articles: a heading, placeholders for its HTML blocks, a subheading) is such text, and
    converting it costs Python-Markdown 0.4 ms of set-up and passes for a few lines.
    `tests/test_mdreuse_headings.py` checks it against Python-Markdown."""
    toc = md.treeprocessors["toc"] if "toc" in md.treeprocessors else None
    if (type(toc) is not md_toc.TocTreeprocessor or toc.use_anchors or toc.use_permalinks not in (False, None)
            or toc.base_level):
        return None
    parts: list[str] = []
    tokens: list[dict] = []
    ids: set[str] = set()
    counters: dict[str, int] = {}
    title = None
    blank = True
    for line in text.split("\n"):
        if not line:
            blank = True
            continue
        if not blank:  # two lines of one block
            return None
        blank = False
        if line[0] == "<":
            if not _COMMENT.match(line):
                return None
            parts.append(line + "\n")  # Python-Markdown puts a raw HTML block's newline back
            continue
        m = _HEADING.match(line)
        if m is None:
            return None
        words = m.group(2)
        if _NOT_PLAIN.search(words) or "  " in words or ("&" in words and _AMP.search(words)):
            return None
        level, name = len(m.group(1)), words.replace("&", "&amp;")
        anchor = md_toc.unique(toc.slugify(htmllib.unescape(name), toc.sep), ids, counters)
        if _ATTR_ESCAPED.search(anchor):  # a slugify of the site's own: its escaping is Python-Markdown's to do
            return None
        if toc.toc_top <= level <= toc.toc_bottom:
            tokens.append({"level": level, "id": md_toc.unescape(anchor), "name": name, "html": name,
                           "data-toc-label": ""})
        if not parts and level == 1:
            title = name  # MkDocs' title: the first block's, when it is an <h1>
        parts.append(f'<h{level} id="{anchor}">{name}</h{level}>')
    return "\n".join(parts).strip(), md_toc.nest_toc_tokens(tokens), title, ids


class Renderer:
    """A Markdown instance set up as MkDocs sets up one per page, reused page after page."""

    def __init__(self, md: markdown.Markdown, plain_ok: bool = False) -> None:
        self.md = md
        self.plain_ok = plain_ok  # every extension leaves plain paragraphs alone (PLAIN_SAFE_MODULES)
        self.raw_html = mkdocs_pages._RawHTMLPreprocessor()
        self.raw_html._register(md)
        self.anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(None, None, None)  # type: ignore[arg-type]
        self.anchors._register(md)
        self.relative = mkdocs_pages._RelativePathTreeprocessor(None, None, None)  # type: ignore[arg-type]
        self.relative._register(md)
        self.title = mkdocs_pages._ExtractTitleTreeprocessor()
        self.title._register(md)
        # The footnotes' reset count as a fresh instance has it when it converts (its own reset and Markdown's).
        self.footnotes = [(e, e.unique_prefix) for e in md.registeredExtensions if hasattr(e, "unique_prefix")]
        self.pages = 0  # pages rendered with it (tests read it)
        self.plain = 0  # of which plain paragraphs (plain_paragraphs)

    @classmethod
    def for_config(cls, config) -> Renderer | None:
        """The build's renderer, or None when an extension may keep state between pages."""
        names, configs = config["markdown_extensions"], config["mdx_configs"] or {}
        md = markdown.Markdown(extensions=names, extension_configs=configs)
        modules = set()
        for ext in names:  # as Markdown loads them (a name, "module:Class" or an Extension)
            loaded = md.build_extension(ext, configs.get(ext, {})) if isinstance(ext, str) else ext
            modules.add(type(loaded).__module__)
            if type(loaded).__module__ not in SAFE_MODULES:
                return None
        return cls(md, plain_ok=modules <= PLAIN_SAFE_MODULES)

    def adopt(self, page) -> None:
        """Render `page` with this instance instead of a new one."""
        page.render = lambda config, files: self.render(page, config, files)

    def render(self, page, config, files) -> None:
        """What `Page.render` does, on the shared instance."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.md
        for ext, fresh in self.footnotes:
            ext.unique_prefix = fresh - 1  # reset() adds one
        md.reset()
        self.raw_html.present_anchor_ids = set()
        self.anchors.present_anchor_ids = set()
        self.relative.file, self.relative.files, self.relative.config = page.file, files, config
        self.relative.links_to_anchors = {}
        self.title.title = None
        plain = plain_paragraphs(page.markdown) if self.plain_ok else None
        headings = heading_blocks(page.markdown, md) if self.plain_ok and plain is None else None
        if plain is not None:  # what Python-Markdown gives such text, without its passes (0.5 ms a page)
            page.content, page.toc = plain, get_toc([])
            self.plain += 1
        elif headings is not None:  # a listing's headings and placeholders, likewise
            page.content, tokens, self.title.title, ids = headings
            page.toc = get_toc(tokens)
            self.anchors.present_anchor_ids = ids
            self.plain += 1
        else:
            page.content = md.convert(page.markdown)
            page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = self.title.title
        page.present_anchor_ids = self.anchors.present_anchor_ids | self.raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = self.relative.links_to_anchors
        self.pages += 1

