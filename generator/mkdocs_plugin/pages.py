"""Markdown for the generated pages. Every piece of article text goes through md_escape: data, never markup."""
from __future__ import annotations

from datetime import date

from ..textutil import md_escape
from .index import LocationNode, Record

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def rel(from_uri: str, to_uri: str) -> str:
    """A relative link between two source files, which MkDocs checks and rewrites (strict mode).
    (posixpath.relpath, but without its normalisation cost: these URIs are already clean.)"""
    src = from_uri.split("/")[:-1]
    dst = to_uri.split("/")
    common = 0
    while common < len(src) and common < len(dst) - 1 and src[common] == dst[common]:
        common += 1
    return "/".join([".."] * (len(src) - common) + dst[common:])


def link(from_uri: str, to_uri: str, text: str) -> str:
    return f"[{md_escape(text)}]({rel(from_uri, to_uri)})"


def fmt_date(d: date | None) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if d else "Undated"


def article_list(from_uri: str, records: list[Record]) -> str:
    if not records:
        return "_No articles._\n"
    lines = []
    for r in records:
        meta = fmt_date(r.date) + (f" · {md_escape(r.source)}" if r.source else "")
        lines.append(f"- {link(from_uri, r.src_uri, r.title)} <small>{meta}</small>")
    return "\n".join(lines) + "\n"


def plain_title(markdown: str) -> str:
    """The visible text of a generated page's first heading (undoing md_escape)."""
    import html
    import re

    first = markdown.split("\n", 1)[0].lstrip("# ")
    return html.unescape(re.sub(r"\\(.)", r"\1", first))


def heading(title: str, level: int = 1) -> str:
    return "#" * level + " " + md_escape(title) + "\n\n"


def tags_index_page(uri: str, by_kind: dict[str, list[str]], tag_uri, counts: dict[str, int], title: str) -> str:
    out = [heading(title)]
    for kind, names in by_kind.items():
        out.append(heading(kind.capitalize() + ("s" if not kind.endswith("s") else ""), 2))
        out.append("\n".join(f"- {link(uri, tag_uri(n), n)} ({counts[n]})" for n in names) + "\n\n")
    if len(out) == 1:
        out.append("_No tags yet._\n")
    return "".join(out)


def tag_page(uri: str, name: str, kind: str, records: list[Record], index_uri: str) -> str:
    return (heading(name) + f"<small>{md_escape(kind)} · {len(records)} article(s) · "
            f"{link(uri, index_uri, 'all tags')}</small>\n\n" + article_list(uri, records))


def locations_index_page(uri: str, tree: dict[str, LocationNode], node_uri, title: str) -> str:
    out = [heading(title)]

    def emit(node: LocationNode, depth: int) -> None:
        out.append("    " * depth + f"- {link(uri, node_uri(node), node.name)} ({len(node.articles)})\n")
        for child in sorted(node.children.values(), key=lambda n: n.name.casefold()):
            emit(child, depth + 1)

    for node in tree.values():
        emit(node, 0)
    if len(out) == 1:
        out.append("_No locations yet._\n")
    return "".join(out)


def location_page(uri: str, node: LocationNode, parents: list[LocationNode], node_uri, index_uri: str) -> str:
    crumbs = [link(uri, index_uri, "All locations")] + [link(uri, node_uri(p), p.name) for p in parents]
    out = [heading(node.name), " › ".join(crumbs) + "\n\n"]
    place = node.place
    facts = [node.kind]
    if place and place.lat is not None and place.lon is not None:
        facts.append(f"{place.lat:.2f}, {place.lon:.2f}" + (" (approximate)" if place.approximate else ""))
    out.append(f"<small>{md_escape(' · '.join(facts))}</small>\n\n")
    if node.children:
        out.append(heading("Within " + node.name, 2))
        out.append("\n".join(f"- {link(uri, node_uri(c), c.name)} ({len(c.articles)})"
                             for c in sorted(node.children.values(), key=lambda n: n.name.casefold())) + "\n\n")
    out.append(heading("Articles", 2))
    out.append(article_list(uri, node.articles))
    return "".join(out)


def archive_index_page(uri: str, months: dict[str, list[Record]], undated: list[Record], month_uri, undated_uri, title: str) -> str:
    out = [heading(title)]
    year = None
    for key, records in months.items():
        y, m = key.split("-")
        if y != year:
            out.append(heading(y, 2))
            year = y
        out.append(f"- {link(uri, month_uri(key), MONTHS[int(m) - 1] + ' ' + y)} ({len(records)})\n")
    if undated:
        out.append(heading("Undated", 2))
        out.append(f"- {link(uri, undated_uri, 'Articles without a known date')} ({len(undated)})\n")
    return "".join(out)


def month_page(uri: str, key: str, records: list[Record], index_uri: str) -> str:
    y, m = key.split("-")
    return heading(f"{MONTHS[int(m) - 1]} {y}") + link(uri, index_uri, "Archive") + "\n\n" + article_list(uri, records)


def article_header(r: Record, tag_uri, place_uri) -> str:
    """Date, source, summary, tags and places at the top of an article page, as links."""
    facts = [fmt_date(r.date)]
    if r.source and r.url and r.url.startswith(("http://", "https://")):
        facts.append(f"[{md_escape(r.source)}](<{r.url.replace('>', '%3E').replace(' ', '%20')}>)")
    elif r.source:
        facts.append(md_escape(r.source))
    elif r.url and r.url.startswith(("http://", "https://")):
        facts.append(f"[original](<{r.url.replace('>', '%3E').replace(' ', '%20')}>)")
    out = ['<div class="archive-meta" markdown>\n\n', " · ".join(facts), "\n\n"]
    if r.summary:
        out.append(f'<p class="archive-summary" markdown>{md_escape(r.summary)}</p>\n\n')
    if r.tags:
        out.append("**Tags:** " + ", ".join(link(r.src_uri, tag_uri(t), t) for t in r.tags) + "\n\n")
    if r.places:
        out.append("**Locations:** " + ", ".join(link(r.src_uri, place_uri(p), p.name) for p in r.places) + "\n\n")
    out.append("</div>\n\n")
    return "".join(out)


def find_form(base: str) -> str:
    """The filter form; theme_overrides/assets/find.js fills it from articles.json."""
    return f"""<div id="archive-find" class="archive-find" data-base="{base}">
<form class="archive-find__form" onsubmit="return false">
<label>Words <input name="q" type="search" placeholder="e.g. convoy"></label>
<label>Tag <select name="tag"><option value="">any</option></select></label>
<label>Location <select name="location"><option value="">any</option></select></label>
<label>From <input name="from" type="date"></label>
<label>To <input name="to" type="date"></label>
</form>
<p class="archive-find__count"></p>
<ul class="archive-find__results"></ul>
</div>
"""
