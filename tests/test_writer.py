"""The page writer: editors' changes win field by field, untouched fields follow the generator,
ids map to paths, and the ledger survives being lost."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import frontmatter
import pytest

from generator.model import Article, Block, Place
from generator.writers.markdown import PageStore, dump_page, parse_page, read_page
from generator.writers.ledger import read_ledger

WORDS = ("convoy aid route checkpoint harbour valley council mission report ceasefire village market "
         "bridge river supply fuel clinic school road border patrol camp winter harvest talks").split()


def article(seed: int = 1, **kw) -> Article:
    rng = random.Random(seed)
    blocks = [Block("p", " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + ".") for _ in range(3)]
    base = dict(title=f"Convoy reaches the valley number {seed}", blocks=blocks, origin=f"in/{seed}.txt",
                summary="A standfirst line", date=date(2024, 3, 5), source="Wire", url=f"https://example.org/{seed}",
                tags=["Ceasefire"], places=[Place(name="Mosul", country="Iraq", kind="city", lat=36.34, lon=43.13)])
    base.update(kw)
    return Article(**base)


def write(content: Path, *articles: Article) -> list:
    store = PageStore.open(content)
    results = [store.write(a) for a in articles]
    store.save_ledger()
    return results


def edit(path: Path, body: str | None = None, **changes) -> None:
    post = frontmatter.load(path)
    for k, v in changes.items():
        if v is None:
            post.metadata.pop(k, None)
        else:
            post.metadata[k] = v
    if body is not None:
        post.content = body
    path.write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")


def test_new_then_unchanged_byte_identical(tmp_path):
    a = article()
    [r1] = write(tmp_path, a)
    assert r1.outcome == "new"
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    [r2] = write(tmp_path, article())
    assert r2.outcome == "unchanged" and r2.path == r1.path
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert before == after
    assert not list(tmp_path.rglob(".tmp-*"))


@pytest.mark.parametrize("field,value", [
    ("title", "Corrected: the convoy reached the valley"),
    ("date", date(2023, 1, 2)),
    ("tags", ["Hand Picked Tag"]),
    ("locations", ["Erbil"]),
    ("summary", "An editor's summary."),
    ("source", "Edited Source"),
])
def test_editor_field_survives_reingest_and_others_update(tmp_path, field, value):
    [r] = write(tmp_path, article())
    edit(r.path, **{field: value})
    # The generator now says something new about several fields (e.g. a new vocabulary entry).
    newer = article(tags=["Ceasefire", "New Vocabulary Term"], summary="A better standfirst",
                    places=[Place(name="Mosul", country="Iraq", kind="city"), Place(name="Erbil", country="Iraq")],
                    author="New Byline")
    [r2] = write(tmp_path, newer)
    assert r2.path == r.path  # ids map to paths: a re-dated page stays where it is
    meta, _ = read_page(r.path)
    assert meta[field] == value
    assert meta["author"] == "New Byline"
    if field != "tags":
        assert meta["tags"] == ["Ceasefire", "New Vocabulary Term"]
    if field != "summary":
        assert meta["summary"] == "A better standfirst"
    if field != "locations":
        assert meta["locations"] == ["Mosul", "Erbil"]
    # ...and again: the editor's value is stable across any number of re-ingests.
    [r3] = write(tmp_path, newer)
    assert r3.outcome == "unchanged"
    assert read_page(r.path)[0][field] == value


def test_editor_body_edit_survives(tmp_path):
    [r] = write(tmp_path, article())
    edit(r.path, body="An editor rewrote this paragraph by hand.\n\n## A new section\n\nMore text.")
    [r2] = write(tmp_path, article(tags=["Ceasefire", "Other"]))
    assert r2.outcome == "updated"
    meta, body = read_page(r.path)
    assert body.startswith("An editor rewrote this paragraph by hand.")
    assert meta["tags"] == ["Ceasefire", "Other"]


def test_editor_deleted_field_stays_deleted_and_added_field_kept(tmp_path):
    [r] = write(tmp_path, article())
    edit(r.path, summary=None, editor_note="checked by desk", weight=3)
    write(tmp_path, article(summary="Another standfirst"))
    meta, _ = read_page(r.path)
    assert "summary" not in meta
    assert meta["editor_note"] == "checked by desk" and meta["weight"] == 3


def test_empty_field_gets_filled_later(tmp_path):
    """A field the generator left empty (no tags) still takes a value the generator finds later."""
    [r] = write(tmp_path, article(tags=[], summary=None))
    write(tmp_path, article(tags=["Ceasefire"], summary="Found a standfirst"))
    meta, _ = read_page(r.path)
    assert meta["tags"] == ["Ceasefire"] and meta["summary"] == "Found a standfirst"


def test_editor_changed_date_page_stays_and_no_second_page(tmp_path):
    [r] = write(tmp_path, article())
    edit(r.path, date=date(1999, 12, 31))
    [r2] = write(tmp_path, article())
    assert r2.path == r.path and r2.outcome == "unchanged"
    assert len(list((tmp_path / "articles").rglob("*.md"))) == 1


def test_editor_moved_page_is_found_by_id(tmp_path):
    [r] = write(tmp_path, article())
    moved = tmp_path / "articles" / "elsewhere" / "renamed.md"
    moved.parent.mkdir(parents=True)
    r.path.rename(moved)
    [r2] = write(tmp_path, article(tags=["Ceasefire", "Later"]))
    assert r2.path == moved and r2.outcome == "updated"
    assert len(list((tmp_path / "articles").rglob("*.md"))) == 1


def test_lost_ledger_keeps_pages_and_rebuilds(tmp_path):
    """No ledger record (e.g. a crash): values equal to the generated ones are adopted (the record is
    re-created, so later generator changes flow again); values that differ are kept (editor wins)."""
    r, _ = write(tmp_path, article(), article(2))
    edit(r.path, title="Hand-fixed title")
    (tmp_path / ".archive" / "ledger.sqlite").unlink()
    res = write(tmp_path, article(), article(2))
    assert [x.outcome for x in res] == ["unchanged", "unchanged"]
    assert read_page(r.path)[0]["title"] == "Hand-fixed title"
    assert read_ledger(tmp_path)  # re-created
    res = write(tmp_path, article(tags=["Ceasefire", "Next"]), article(2, tags=["Next"]))
    assert [x.outcome for x in res] == ["updated", "updated"]
    assert read_page(r.path)[0]["title"] == "Hand-fixed title"
    assert read_page(res[1].path)[0]["tags"] == ["Next"]


def test_same_title_two_articles_two_pages(tmp_path):
    a = article(1)
    b = article(2, title=a.title)
    r = write(tmp_path, a, b)
    assert [x.outcome for x in r] == ["new", "new"] and r[0].path != r[1].path
    r2 = write(tmp_path, b, a)
    assert [x.path for x in r2] == [r[1].path, r[0].path]


def test_broken_page_left_alone_no_duplicate_page(tmp_path):
    [r] = write(tmp_path, article())
    text = r.path.read_text()
    broken = text.replace("title:", "title: [unclosed", 1)
    r.path.write_text(broken)
    [r2] = write(tmp_path, article())
    assert r2.outcome == "unchanged" and "broken" in r2.note and r2.path == r.path
    assert r.path.read_text() == broken
    assert len(list((tmp_path / "articles").rglob("*.md"))) == 1


def test_unmanaged_keys_like_content_or_handler_do_not_break_dump(tmp_path):
    [r] = write(tmp_path, article())
    edit(r.path, content_note="x")
    meta, body = read_page(r.path)
    meta["handler"] = "h"
    meta["content"] = "c"
    r.path.write_text(dump_page(meta, body))
    [r2] = write(tmp_path, article())
    assert r2.outcome == "unchanged"
    assert read_page(r.path)[0]["handler"] == "h"


def test_crlf_and_bom_page_edited_on_windows_is_not_a_body_edit(tmp_path):
    [r] = write(tmp_path, article())
    r.path.write_bytes(b"\xef\xbb\xbf" + r.path.read_text().replace("\n", "\r\n").encode())
    write(tmp_path, article(tags=["Other"]))
    meta, _ = read_page(r.path)
    assert meta["tags"] == ["Other"]


def test_parse_page_matches_python_frontmatter(tmp_path):
    [r] = write(tmp_path, article())
    post = frontmatter.load(r.path)
    meta, body = parse_page(r.path.read_text())
    assert meta == post.metadata and body == post.content


def test_no_yaml_aliases_even_for_shared_values(tmp_path):
    shared = ["A", "B"]
    text = dump_page({"id": "x", "tags": shared, "locations": shared}, "body\n")
    assert "&id" not in text and "*id" not in text
    assert frontmatter.loads(text).metadata["locations"] == ["A", "B"]


def test_file_mode_is_not_private(tmp_path):
    [r] = write(tmp_path, article())
    assert r.path.stat().st_mode & 0o044 == 0o044  # readable by the web server, like any file


def test_replace_keeps_id_stable():
    a = article()
    assert replace(a, tags=["x"], summary="y", date=None, url=None).id == a.id


def test_quick_id_scan_agrees_with_full_parse(tmp_path):
    from generator.writers.markdown import quick_ids

    [r] = write(tmp_path, article())
    text = r.path.read_text()
    assert quick_ids(text) == {"id": article().id}
    meta, body = read_page(r.path)
    meta["duplicate_ids"] = ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]
    text = dump_page(meta, body)
    assert quick_ids(text) == {"id": meta["id"], "duplicate_ids": meta["duplicate_ids"]}
    # Shapes the quick scan does not trust fall back to the full parse (None).
    assert quick_ids(text.replace("duplicate_ids:\n- aaaa", "duplicate_ids: [aaaa").replace("bbbbbbbbbbbbbbbb", "b]")) is None
    assert quick_ids("---\n{id: x}\n---\nbody") is None
    assert quick_ids("no front matter") is None


def test_untouched_page_skips_parsing_but_edited_page_is_read(tmp_path, monkeypatch):
    import generator.writers.markdown as m

    [r] = write(tmp_path, article())
    calls = []
    real = m.parse_page
    monkeypatch.setattr(m, "parse_page", lambda text: calls.append(1) or real(text))
    assert write(tmp_path, article())[0].outcome == "unchanged"
    assert calls == []  # decided from the ledger's page hash
    edit(r.path, title="Edited")
    assert write(tmp_path, article())[0].outcome == "unchanged"
    assert calls  # the edited page was parsed, and the edit kept
    assert read_page(r.path)[0]["title"] == "Edited"


def test_page_saved_in_another_encoding_is_left_alone(tmp_path):
    [r] = write(tmp_path, article(title="Café owners protest in the valley"))
    r.path.write_bytes(r.path.read_text().replace("Café", "Caffè").encode("cp1252"))
    before = r.path.read_bytes()
    [r2] = write(tmp_path, article(title="Café owners protest in the valley"))
    assert r2.outcome == "unchanged" and "broken" in r2.note and r2.path == r.path
    assert r.path.read_bytes() == before
    assert len(list((tmp_path / "articles").rglob("*.md"))) == 1


@pytest.mark.parametrize("name, ledger", [("ledger.json", "<<<<<<< HEAD\n{}\n=======\n"), ("ledger.json", "[1, 2]"),
                                          ("ledger.json", '{"abc": 5, "def": {"fields": 3}}'), ("ledger.json", ""),
                                          ("ledger.sqlite", "<<<<<<< HEAD\nnot a database\n"), ("ledger.sqlite", "")])
def test_corrupt_ledger_does_not_crash(tmp_path, name, ledger):
    """A broken ledger (an old JSON one, or the database) costs the records, never a page or a run."""
    [r] = write(tmp_path, article())
    (tmp_path / ".archive" / "ledger.sqlite").unlink()
    (tmp_path / ".archive" / name).write_text(ledger)
    [r2] = write(tmp_path, article())
    assert r2.outcome == "unchanged" and r2.path == r.path
    assert read_ledger(tmp_path)[article().id]["fields"]


AWKWARD = ["plain", "", " lead space", "trail ", "a: colon", "# hash", "x #y", "- dash", "? q", "'quote'", '"dq"',
           "yes", "No", "null", "~", "1.5", "0x1F", "1e3", "2024-05-02", "12:30", "@at", "`tick`", "%pct", "!bang",
           "&amp", "*star", "|pipe", ">gt", "{brace}", "[bracket]", "a, b", "multi\nline", "tab\there", "é ü ß 中文",
           "emoji 🙂", "\u2028sep", "\x85nel", "bell\x07", "\ufeffbom", "long " * 300, "ends with colon:", "--- doc",
           "...", "=", "<<", "-", "a\\b", "trailing\n"]


def test_fast_front_matter_is_byte_identical_to_yaml_dump():
    """dump_page builds the YAML nodes itself (PyYAML's representer was most of a page write): its
    output must be what yaml.dump gave, for every kind of value a page holds and awkward strings."""
    import yaml

    from generator.writers.pagefile import _dump_yaml

    rng = random.Random(5)
    scalars = AWKWARD + [0, -3, 2**70, 1.0, -0.5, 1e17, 3.14159, float("inf"), float("-inf"), float("nan"), True,
                         False, None, date(2024, 5, 2)]
    for i in range(300):
        meta = {"id": f"{i:016x}", "title": rng.choice(AWKWARD), "date": date(2000 + i % 25, 1 + i % 12, 1 + i % 28),
                "tags": rng.sample(AWKWARD, 3), "places": [{"name": rng.choice(AWKWARD), "lat": rng.uniform(-90, 90),
                                                             "geonameid": rng.randint(1, 10**7), "approximate": True}],
                "sources": [{"file": f"{i}.txt", "near_duplicate": rng.random() < 0.5}],
                "extra": rng.choice(scalars), rng.choice(AWKWARD): [rng.choice(scalars), {"k": rng.choice(scalars)}]}
        expected = yaml.dump(meta, Dumper=_ReferenceDumper, default_flow_style=False, allow_unicode=True,
                             sort_keys=False, width=1000)
        assert _dump_yaml(meta) == expected, meta
    shared = ["a"]
    assert _dump_yaml({"x": shared, "y": shared}) == "x:\n- a\ny:\n- a\n"  # never an alias
    with pytest.raises(yaml.representer.RepresenterError):  # another type: yaml's own dump, which refuses it
        _dump_yaml({"odd": Path("p")})


class _ReferenceDumper(getattr(__import__("yaml"), "CSafeDumper", __import__("yaml").SafeDumper)):
    """PyYAML's own safe dumper without aliases: no memoised resolver, the reference for the writer's."""

    def ignore_aliases(self, data) -> bool:
        return True


def test_memoised_implicit_tags_are_the_resolvers():
    """The writer's dumper remembers a scalar's implicit tag by value: asked again (from memory), and
    with either implicit flag first, it must answer what PyYAML's resolver answers."""
    import io

    import yaml

    from generator.writers.pagefile import _NoAliasDumper

    ours, reference = _NoAliasDumper(io.StringIO()), _ReferenceDumper(io.StringIO())
    values = AWKWARD + ["true", "True", "null", "~", "12", "1.5", "2024-05-02", "0x1f", ".inf", "", "on", "no"]
    for _ in range(2):  # the second pass is answered from memory
        for value in values:
            for implicit in ((False, True), (True, False), (True, True)):
                assert ours.resolve(yaml.ScalarNode, value, implicit) == reference.resolve(
                    yaml.ScalarNode, value, implicit), (value, implicit)
    assert ours.resolve(yaml.SequenceNode, None, (True, False)) == "tag:yaml.org,2002:seq"


def test_a_page_folder_linked_out_of_the_articles_folder_is_refused(tmp_path):
    """The containment check is made once per folder: a month folder that is a symbolic link out of
    content/articles refuses every page (not only the first), and a sibling month still writes."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "content" / "articles" / "2024").mkdir(parents=True)
    (tmp_path / "content" / "articles" / "2024" / "03").symlink_to(outside, target_is_directory=True)
    store = PageStore.open(tmp_path / "content")
    for seed in (1, 2):
        with pytest.raises(ValueError, match="outside"):
            store.write(article(seed))
    assert store.write(article(3, date=date(2024, 4, 1))).outcome == "new"
    store.save_ledger()
    assert list(outside.iterdir()) == []
    assert [p.name for p in (tmp_path / "content" / "articles" / "2024" / "04").iterdir()]
