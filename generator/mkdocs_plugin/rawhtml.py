"""Raw HTML typed into an article page's body is shown as text when it could run or load anything.

Ingested bodies never hold raw HTML (md_escape turns `<`, `[` and `]` into entities and escapes),
but an editor may paste some into a page: an embed code (`<blockquote class="twitter-tweet">…
<script async src="https://platform.twitter.com/widgets.js">`), a `<meta http-equiv="refresh">`, a
link written `[here](javascript:…)`. Those were published as they were and ran on the site. Now
each such tag is escaped (shown as text) and named in one warning line, which fails the strict
build. Only bodies whose Markdown could produce a tag, an attribute or a link are parsed
(`might_hold`): the generated ones cost a few substring tests."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements that run, load, redirect or restyle: never from an article body.
UNSAFE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base", "meta",
               "link", "form", "svg", "math", "noscript", "template", "portal",
               # Raw-text elements: a browser reads what follows as text up to the closing tag, which
               # Python's parser does not, so `<noembed><img title="</noembed><img src=x onerror=…>">`
               # was one harmless <img> here and a running handler in Chromium (and <plaintext> turns
               # the rest of the page, its scripts and footer included, into text).
               "noembed", "noframes", "xmp", "textarea", "title", "plaintext"}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "srcset", "background",
             "cite", "longdesc", "usemap", "ping", "manifest", "codebase", "archive"}
# Attributes whose URL the browser fetches as the page loads: from another host, the site is no longer
# offline and the other host sees every reader (a tracking pixel pasted with an embed code).
LOADED_ATTRS = {"src", "srcset", "poster", "background", "data", "imagesrcset"}
SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# CSS in a style attribute that can fetch (url(), image-set(), @import) or hide that it does (escapes).
_LOADING_STYLE = re.compile(r"url|image-set|@import|\\", re.I)
_GATE = ("<", "](", "]:", "{")  # "{": attr_list's `{: onclick=… }` adds attributes without a tag


def might_hold(markdown: str) -> bool:
    """Whether the body's Markdown could give raw HTML or a link at all (cheap test first)."""
    return any(g in markdown for g in _GATE)


def _unsafe_url(value: str) -> bool:
    for part in value.split(",") if "," in value else (value,):
        cleaned = re.sub(r"[\x00-\x20\x7f]+", "", part).lower()
        m = _SCHEME.match(cleaned)
        if m and m.group(1) not in SAFE_SCHEMES:
            return True
    return False


def _remote(value: str) -> bool:
    """Whether a fetched URL (or any URL of a srcset) is absolute (`https://…`), or starts with two
    slashes or backslashes, which a browser reads as another host."""
    for part in value.split(","):
        words = part.split()
        if words:
            url = re.sub(r"[\x00-\x20\x7f]+", "", words[0]).replace("\\", "/").lower()
            if url.startswith("//") or _SCHEME.match(url):
                return True
    return False


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str]] = []  # (position, tag text, why)

    def _check(self, tag: str, attrs) -> None:
        why = None
        if tag in UNSAFE_TAGS:
            why = f"<{tag}>"
        else:
            for name, value in attrs:
                if name.startswith("on"):
                    why = f"{name}= on <{tag}>"
                    break
                if name in URL_ATTRS and value and _unsafe_url(value):
                    why = f"{name}={value.strip()[:30]!r} on <{tag}>"
                    break
                if name in LOADED_ATTRS and value and _remote(value.strip()):
                    why = f"{name}={value.strip()[:30]!r} on <{tag}> (loaded from another host)"
                    break
                if name == "style" and value and _LOADING_STYLE.search(value):
                    why = f"style={value.strip()[:30]!r} on <{tag}> (CSS that can load from another host)"
                    break
        if why:
            self.found.append((self.getpos(), self.get_starttag_text() or "", why))

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)


def neutralise(output: str) -> tuple[str, list[str]]:
    """(the body's HTML with each unsafe start tag escaped, one reason per tag escaped). Comments,
    declarations and processing instructions are escaped first (a parser and a browser may end a
    comment at different places); then passes repeat, since the text of an escaped `<script>` is
    read as HTML by the browser and may hold tags the first pass saw as script text."""
    reasons: list[str] = []
    if "<!" in output or "<?" in output:
        output = output.replace("<!", "&lt;!").replace("<?", "&lt;?")
        reasons.append("a comment or declaration")
    for _ in range(8):
        output, found = _pass(output)
        if not found:
            return output, reasons
        reasons += found
    return html.escape(output, quote=False), reasons  # nested past 8 levels: all of it as text


def _pass(output: str) -> tuple[str, list[str]]:
    finder = _Finder()
    finder.feed(output)
    finder.close()
    if not finder.found:
        return output, []
    starts = [0]
    for line in output.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    pieces, last, reasons = [], 0, []
    for (line, col), text, why in finder.found:
        at = starts[line - 1] + col
        if not text or output[at:at + len(text)] != text or at < last:
            return html.escape(output, quote=False), [why]  # positions off: show the whole body as text
        pieces += [output[last:at], html.escape(text, quote=True)]
        last = at + len(text)
        reasons.append(why)
    pieces.append(output[last:])
    return "".join(pieces), reasons
