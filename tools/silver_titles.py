"""Silver headlines for the page dumps that have no gold title, read from the page's own HTML.

Each dump in scrapes_real is the text of a page whose HTML is in one of the extraction sets beside
it (`extraction_*.jsonl.gz`, same `id`). The headline the publisher marks up is a label the text
alone does not give: the title the HTML reader chooses (declared titles, <title> less the site's
name) when it is also the text of an <h1>. On the tune pages that have a gold title, a candidate
line equal to such an agreed title was the gold one on 214 of 227 pages (0.94; a candidate equal
to the HTML reader's title alone: 243 of 265, 0.92). Used by tools/train_text_model.py
(TRAIN_SILVER=1) to add title pages of sites that have no gold title, and (TRAIN_SILVER_BODY=1)
body pages labelled with the body the HTML reader extracts. Both measured in round 31 and left
off (content/extraction.md): the cross-validated titles did not move, and dates got worse.
"""
from __future__ import annotations

from pathlib import Path

from generator.evaluation.extract import load_records
from generator.evaluation.scrapes import norm_title
from generator.readers.html_meta import _canonical, _clean_title, choose_title, jsonld_objects, meta_values, site_names
from generator.readers.html_tree import _text_of, parse_html
from generator.readers.text import title_candidates


def agreed_titles(html: str, url: str | None) -> set[str]:
    """The headlines a page's HTML agrees on (normalised): the HTML reader's title, if it is an <h1>."""
    tree = parse_html(html)
    if tree is None:
        return set()
    meta = meta_values(tree)
    ld = jsonld_objects(tree)
    chosen = norm_title(choose_title(tree, meta, ld, site_names(meta, ld, _canonical(tree, meta, url) or url)) or "")
    h1s = {norm_title(_clean_title(_text_of(h))) for h in tree.iter("h1")}
    return {chosen} & h1s - {""}


def html_body(html: str, url: str | None) -> str:
    """The article text the HTML reader's body extraction finds (trafilatura), its blocks joined."""
    from generator.readers.html import extract_body

    return "\n\n".join(b.text for b in extract_body(html, url, None))


def html_records(scrapes: Path, ids: set[str]) -> dict[str, dict]:
    """The extraction-set record (with its `html`) of each id of `ids`, from the sets beside the scrapes file."""
    out: dict[str, dict] = {}
    for path in sorted(scrapes.parent.glob("extraction_*.jsonl.gz")):
        for record in load_records(path):
            if record.get("id") in ids and record.get("html") and record["id"] not in out:
                out[record["id"]] = record
    return out


def html_titles(scrapes: Path, ids: set[str]) -> dict[str, set[str]]:
    """`agreed_titles` of each record of `ids` found in the extraction sets beside the scrapes file."""
    return {k: agreed_titles(r["html"], r.get("url")) for k, r in html_records(scrapes, ids).items()}


def silver_title(units: list[str], candidates: list[int], agreed: set[str]) -> str | None:
    """The candidate text that is an agreed title, when exactly one text is (the same line printed
    twice counts once; two different lines matching leave the page unlabelled)."""
    found = {norm_title(units[i]) for i in candidates} & agreed
    return found.pop() if len(found) == 1 else None



def attach(items: list[dict], scrapes: Path, titles: bool, bodies: bool) -> None:
    """Give the trainer's pages without a gold title their silver one (`silver`), and those without a
    gold body the HTML reader's body (`silver_body`), as asked."""
    if titles:
        agreed = html_titles(scrapes, {it["id"] for it in items if not it["title"]})
        for it in items:
            if not it["title"] and agreed.get(it["id"]):
                it["silver"] = silver_title(it["page"].units, title_candidates(it["page"]), agreed[it["id"]])
    if bodies:
        by_id = {it["id"]: it for it in items}
        for key, record in html_records(scrapes, {it["id"] for it in items if not it["body"]}).items():
            by_id[key]["silver_body"] = html_body(record["html"], record.get("url")) or None
