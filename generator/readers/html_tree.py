"""HTML parsing for the readers: a tolerant lxml tree at any depth, the structure limits, visible
text of an element, and any fragment as plain-text blocks (feeds and JSON `html` fields use it)."""
from __future__ import annotations

import html as html_lib
import re

import lxml.html
from lxml import etree

from ..model import MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, Block, RejectedInput
from ..textutil import clean_spaces

# ---------------------------------------------------------------------------------------------
# Parsing helpers

_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre",
    "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "figure", "figcaption", "form", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "address", "details", "summary", "center",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
              "nav", "button", "select", "input", "textarea", "head", "title", "meta", "link"}
_SEPARATORS = re.compile(r"\s+(?:[|\-–—:·»«/•~]|::)\s+")


# libxml2 stops building the tree (silently) below this depth unless asked for a "huge" tree:
# 255 nested <div>s used to lose the whole article.
_LIBXML_DEPTH = 250
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")  # lxml refuses str input with an encoding declaration


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """A tolerant lxml tree (None when the text has no element at all), at any nesting depth."""
    text = _XML_DECLARATION.sub("", text)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def check_structure(tree) -> int:
    """The tree's nesting depth; raises RejectedInput past MAX_HTML_ELEMENTS or MAX_HTML_DEPTH, so
    a page built to make extraction crawl (200,000 paragraphs) costs one pass over it, not minutes."""
    elements = depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            elements += 1
            depth += 1
            deepest = max(deepest, depth)
            if elements > MAX_HTML_ELEMENTS:
                raise RejectedInput(f"HTML page too large to read: more than {MAX_HTML_ELEMENTS:,} elements")
        else:
            depth -= 1
    if deepest > MAX_HTML_DEPTH:
        raise RejectedInput(f"HTML page nested too deeply: {deepest:,} levels (limit {MAX_HTML_DEPTH:,})")
    return deepest


def _deep_tree(text: str):
    """The tree trafilatura would parse for itself (its parser's options), without libxml2's depth limit."""
    parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True,
                                  remove_pis=True, huge_tree=True)
    return lxml.html.document_fromstring(_XML_DECLARATION.sub("", text), parser=parser)


def _norm(text: str | None) -> str:
    return re.sub(r"\W+", " ", (text or "").casefold()).strip()


def _skipped(node) -> bool:
    """Comments, processing instructions, scripts, styles and page controls: only their tail is text."""
    return not isinstance(node.tag, str) or node.tag.lower() in _SKIP_TAGS


def _text_of(el) -> str:
    """Visible text of an element, skipping script/style and friends; block children and <br> separate words."""
    parts: list[str] = []

    def walk(node):
        if _skipped(node):
            if node.tail:
                parts.append(node.tail)
            return
        tag = node.tag.lower()
        block = tag in _BLOCK_TAGS or tag == "br"
        if block:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append(" ")
        if node.tail:
            parts.append(node.tail)

    if el.text and isinstance(el.tag, str):
        parts.append(el.text)
    for child in el:
        walk(child)
    return clean_spaces(re.sub(r"\s+", " ", "".join(parts)))


def fragment_blocks(html: str) -> list[Block]:
    """Any HTML fragment (a feed entry, a JSON `html` field) as plain-text blocks, without boilerplate
    removal: block elements start a new paragraph, headings become "h2", `<br><br>` splits paragraphs."""
    if not html or not html.strip():
        return []
    if "<" not in html:  # text with entities at most (feeds escape their text this way)
        return [Block("p", t) for t in (clean_spaces(html_lib.unescape(x)) for x in re.split(r"\n\s*\n", html)) if t]
    try:
        root = lxml.html.fragment_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html), create_parent="div")
    except (etree.ParserError, ValueError):
        return [Block("p", clean_spaces(html))] if clean_spaces(html) else []
    blocks: list[Block] = []
    current: list[str] = []
    last_br = [False]

    def flush(kind: str = "p"):
        text = clean_spaces(" ".join(current))
        current.clear()
        if text:
            blocks.append(Block(kind, text))

    def walk(node):
        if _skipped(node):
            if node.tail:
                current.append(node.tail)
            return
        tag = node.tag.lower()
        if tag == "br":
            if last_br[0]:
                flush()
            last_br[0] = True
            current.append(" ")
            if node.tail and node.tail.strip():
                last_br[0] = False
                current.append(node.tail)
            return
        last_br[0] = False
        if tag in _HEADINGS:
            flush()
            current.append(_text_of(node))
            flush("h2")
        elif tag in _BLOCK_TAGS:
            flush()
            if node.text:
                current.append(node.text)
            for child in node:
                walk(child)
            flush()
        else:
            if node.text:
                current.append(node.text)
            for child in node:
                walk(child)
        if node.tail:
            if node.tail.strip():
                last_br[0] = False
            current.append(node.tail)

    if root.text:
        current.append(root.text)
    for child in root:
        walk(child)
    flush()
    return settle_headings(blocks)


def _words(text: str) -> int:
    return len(text.split())


_SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*$""")


def settle_headings(blocks: list[Block]) -> list[Block]:
    """Headings with nothing under them at the end of a body are page furniture ("Related", "Share"):
    dropped. A body that is nothing but headings (a gallery's captions) keeps them, as paragraphs:
    its text is all the page has; so does a "heading" that is a long sentence."""
    if blocks and all(b.kind == "h2" for b in blocks):
        return [Block("p", b.text) for b in blocks]
    while blocks and blocks[-1].kind == "h2":
        blocks.pop()
    # A "heading" that is a long sentence is a standfirst or a quote set large: a paragraph.
    return [Block("p", b.text) if b.kind == "h2" and _words(b.text) >= 12 and _SENTENCE_END.search(b.text)
            else b for b in blocks]
