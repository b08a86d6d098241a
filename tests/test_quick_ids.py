"""quick_ids tries its multi-line patterns only where a line starts with their literal beginning:
the same answers as searching the whole front matter with them (the reference below is the former
implementation), on the writer's pages and on edited ones."""
from __future__ import annotations

import random
import re

import pytest
import yaml

from generator.writers.pagefile import _DUP_BLOCK, _FM_BOUNDARY, _ID_LINE, _LOADER, quick_ids

PAGE = """---
id: 0123456789abcdef
title: A title (report 1)
date: 2020-03-04
tags:
- Floods
locations:
- Goma
duplicate_ids:
- aaaaaaaaaaaaaaaa
- bbbbbbbbbbbbbbbb
sources:
- file: a.txt
---

Body text with --- and id: 0123456789abcdee inside.
"""


def reference(text: str) -> dict | None:
    """quick_ids as it was: each pattern searched over the whole text."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None
    end = _FM_BOUNDARY.search(text, 4)
    if end is None:
        return None
    fm = text[4:end.start()]
    ids = _ID_LINE.findall(fm)
    if len(ids) != 1:
        return None
    out: dict = {"id": ids[0]}
    m = _DUP_BLOCK.search(fm)
    if m:
        try:
            value = yaml.load(m.group(0), Loader=_LOADER)
        except yaml.YAMLError:
            return None
        dups = value.get("duplicate_ids") if isinstance(value, dict) else None
        if not isinstance(dups, list):
            return None
        out["duplicate_ids"] = [str(d) for d in dups]
    elif re.search(r"^duplicate_ids\b", fm, re.MULTILINE):
        return None
    return out


FIXED = [PAGE, PAGE.replace("\n", "\r\n"), "\ufeff" + PAGE, "---\nid: 0123456789abcdef\n---\n",
         "---\nid: 0123456789abcdef\nid: 0123456789abcdee\n---\n", "---\ntitle: x\n----  \nid: 0123456789abcdef\n",
         "---\nid: 0123456789abcdef\nduplicate_ids: [a]\n---\n", "---\nid: 0123456789abcdefX\n---\n",
         "---\nxid: 0123456789abcdef\n---\n", "---\n---\n", "---\nid: 0123456789abcdef\n--- \t\n\nrest",
         "---\nid: 0123456789abcdef\nduplicate_ids:\n  - 'q'\n  - 7\nfoo: 1\n---\n", "---\n  id: 0123456789abcdef\n---\n",
         "---\nid: 0123456789abcdef", "---\nid: 0123456789abcdef\nduplicate_idsx: 1\n---\n", "no front matter",
         "---\nid: 0123456789abcdef\nduplicate_ids:\n- [unclosed\n---\n"]


@pytest.mark.parametrize("text", FIXED)
def test_the_same_answer_as_searching_the_whole_front_matter(text):
    assert quick_ids(text) == reference(text)


def test_the_same_answer_on_randomly_edited_pages():
    rng = random.Random(14)
    lines = PAGE.split("\n")
    inserts = ["---", "--- ", "id: 0123456789abcdef", "duplicate_ids:", "- cccccccccccccccc", "duplicate_idsx",
               "  - a", "id: 0123456789ABCDEF", "", "-----"]
    for _ in range(2000):
        edited = list(lines)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(edited) + 1)
            if rng.random() < 0.3 and edited:
                del edited[min(at, len(edited) - 1)]
            else:
                edited.insert(at, rng.choice(inserts))
        text = "\n".join(edited)
        assert quick_ids(text) == reference(text), text
