"""What a new user's afternoon with the archive found (round 34): each test failed before its fix.
Browser fixtures come from test_browser.py (same server, same browser, same request check)."""
# ruff: noqa: F811 (the fixtures imported from test_browser.py are test arguments here)
from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

from generator.enrich.tags import DATA, Vocabulary
from generator.review import candidates

from .conftest import run_archive
from .test_browser import after, browser, page, project, serve, server  # noqa: F401

NAME = "Conflict & Security News Archive"


def test_a_320_px_phone_shows_the_whole_site_name_and_its_magnifier_opens_the_search(browser, server):
    """At 320 px the header needed three lines for the site name and cut it to two with an ellipsis
    ("Conflict & Security News…"): the box beside it left too little room."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    for path in ("/", "/tags/islamic-state/", "/about/"):
        phone.goto(server + path)
        name = phone.locator(".md-header__topic:not([data-md-component]) .md-ellipsis")
        assert name.inner_text().strip() == NAME
        assert name.evaluate("e => e.scrollHeight <= e.clientHeight && e.scrollWidth <= e.clientWidth"), path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, path
    phone.click("header .archive-searchbox button")
    phone.wait_for_url("**/search/**")
    phone.wait_for_selector("#archive-search[data-ready]")
    # the words go straight into the search page's own box
    assert phone.evaluate("document.activeElement.name") == "q"
    phone.keyboard.type("Kyiv")
    phone.wait_for_function("document.querySelectorAll('.archive-search__results > li').length > 0")
    context.close()


def test_the_search_page_asks_for_the_index_files_as_it_is_parsed(page, server):
    """meta.json and aliases.json, which every first search waits for, were asked for only once the
    theme's scripts and search.js had loaded and run: the page now names them for preloading."""
    page.goto(server + "/search/?q=police")
    page.wait_for_selector("#archive-search[data-done]")
    preloaded = page.eval_on_selector_all('link[rel=preload][as=fetch]', "ls => ls.map(l => l.href)")
    files = {u.rsplit("/", 1)[1] for u in preloaded}
    assert {"meta.json", "aliases.json"} <= files
    # the rest are the query's shards (preloaded beside meta.json since round 35), nothing else
    assert all("/search-index/s/" in u and "?v=" in u for u in preloaded if u.rsplit("/", 1)[1] not in
               ("meta.json", "aliases.json")), preloaded
    # and search.js uses those fetches (a mismatched preload would fetch each file twice)
    fetched = [u for u in page.requested if u.endswith(("/meta.json", "/aliases.json"))]
    assert len(fetched) == 2, fetched


ARTICLE = """---
title: Harbour patrols stepped up
date: 2024-05-02
---

Fighters of the Coastal Shield Brigade took the harbour road on Monday, residents said. The Coastal
Shield Brigade has held the port since March.

Envoys of the National Liberation Army (ELN) met the harbour council.
"""
OTHER = """---
title: Ferry service resumes
date: 2024-05-09
---

The ferry resumed after the Coastal Shield Brigade opened the port to civilian traffic.
"""


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "articles" / "2024" / "05").mkdir(parents=True)
    (content / "articles" / "2024" / "05" / "harbour.md").write_text(ARTICLE, encoding="utf-8")
    (content / "articles" / "2024" / "05" / "ferry.md").write_text(OTHER, encoding="utf-8")
    return content


def test_review_gives_each_name_s_sentence_page_and_the_command_that_adds_it(tmp_path):
    """`archive review` printed "1 articles 1 mentions  National Liberation Army  e.g. articles/…": no
    sentence to judge the name by, a path the editor could not open from where they stood, nothing
    to say that ELN beside it is the tag National Liberation Army (Colombia), and no way to add it
    but editing the YAML by hand."""
    content = _content(tmp_path)
    done = run_archive("review", "--content", str(content), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    brigade, army = out.index("Coastal Shield Brigade: 2 articles, 3 mentions"), out.index("National Liberation Army:")
    assert brigade < army  # most articles first
    first = out[brigade:].splitlines()[1].strip()
    path, quote = first.split(": ", 1)
    assert (tmp_path / path).is_file() and Path(path).name == "ferry.md"  # the first page by path, openable as printed
    assert quote == "\u201cThe ferry resumed after the Coastal Shield Brigade opened the port to civilian traffic.\u201d"
    assert 'add it: archive add-tag "Coastal Shield Brigade" --kind group' in out
    assert "a spelling of the tag National Liberation Army (Colombia) is written beside it" in out
    line = next(x for x in out.splitlines() if "--alias \"National Liberation Army\"" in x)
    # the printed command, run as printed (on a copy of the vocabulary), files the name under the tag
    vocabulary = tmp_path / "vocabulary.yml"
    shutil.copy(DATA / "vocabulary.yml", vocabulary)
    command = shlex.split(line.split("add it: ", 1)[1])
    assert command[:2] == ["archive", "add-tag"]
    added = run_archive(*command[1:], "--vocabulary", str(vocabulary), cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    texts = {"a": ARTICLE}
    assert "National Liberation Army" not in {c.name for c in candidates(texts, Vocabulary.load(vocabulary))}
    rows = json.loads(run_archive("review", "--content", str(content), "--json", cwd=tmp_path).stdout)["names"]
    assert rows[0]["sentence"].startswith("The ferry resumed") and rows[0]["add"].startswith("archive add-tag")


def test_review_of_the_samples_lists_no_name_the_vocabulary_knows(built_site):
    done = run_archive("review", "--json", cwd=built_site)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["names"]
    vocab = Vocabulary.load(DATA / "vocabulary.yml")
    whole = [r["name"] for r in rows if any(m.start == 0 and m.end == len(r["name"]) for m in vocab.find(r["name"]))]
    assert not whole
    assert [r["articles"] for r in rows] == sorted((r["articles"] for r in rows), reverse=True)


def test_add_tag_writes_an_entry_or_a_spelling_and_refuses_in_one_line(tmp_path):
    """There was no command: an editor edited the YAML by hand (an apostrophe or a colon in a name
    needs quoting; a spelling another tag has tags its articles twice)."""
    vocabulary = tmp_path / "vocabulary.yml"
    shutil.copy(DATA / "vocabulary.yml", vocabulary)
    before = vocabulary.read_text(encoding="utf-8")

    def add(*args: str):
        return run_archive("add-tag", *args, "--vocabulary", str(vocabulary), cwd=tmp_path)

    done = add("Jama'at al-Sahil: Front", "--kind", "group", "--alias", "JaS")
    assert done.returncode == 0, done.stderr
    done = add("Islamic State Khorasan Province", "--alias", "Wilayat Khorasan")
    assert done.returncode == 0, done.stderr
    after_text = vocabulary.read_text(encoding="utf-8")
    assert [x for x in before.splitlines() if x not in after_text.splitlines()] == [
        next(x for x in before.splitlines() if "name: Islamic State Khorasan Province" in x)]  # comments kept
    terms = Vocabulary.load(vocabulary).terms
    assert terms["Jama'at al-Sahil: Front"].kind == "group" and terms["Jama'at al-Sahil: Front"].aliases == ("JaS",)
    assert terms["Islamic State Khorasan Province"].aliases[-1] == "Wilayat Khorasan"
    for args, reason in ((("Islamic State", "--alias", "Daesh"), "already a spelling of the tag 'Islamic State'"),
                         (("Daesh", "--kind", "group"), "already a spelling of the tag 'Islamic State'"),
                         (("Harbour Watch",), "give its --kind"),
                         (("Islamic State",), "give --alias"),
                         (("Islamic State", "--kind", "force", "--alias", "Khilafa"), "is a group, not a force")):
        done = add(*args)
        assert done.returncode == 2 and reason in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr
    assert vocabulary.read_text(encoding="utf-8") == after_text  # refused: nothing written


def test_a_closed_pipe_ends_the_command_without_a_traceback(tmp_path):
    """`archive review | head` printed a BrokenPipeError traceback once head had read its lines."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    content = _content(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "review", "--content", str(content)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    proc.stdout.close()  # the reader is gone before the report is written
    err = proc.stderr.read().decode()
    proc.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_typing_in_the_header_box_fetches_what_the_first_search_waits_for(page, server):
    """From another page, the search page's two first files were fetched only after Enter: the
    reader's typing time now fetches them, and a reader who never searches fetches nothing."""
    wanted = ("/search-index/meta.json", "/search-index/aliases.json")
    page.goto(server + "/tags/")
    page.wait_for_load_state("load")
    assert not [u for u in page.requested if u.endswith(wanted)]
    page.click("header .archive-searchbox input")
    page.wait_for_function("document.querySelectorAll('link[rel=prefetch]').length === 2")
    page.wait_for_timeout(300)
    assert sorted(u[len(server):] for u in page.requested if u.endswith(wanted)) == sorted(wanted)
    page.keyboard.type("Kyiv")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('.archive-search__results > li').length > 0")


def test_build_and_serve_outside_an_archive_say_where_to_run_them(tmp_path):
    """`archive build` in a folder without mkdocs.yml said "Config file 'mkdocs.yml' does not exist."
    with exit status 1, the status of a failed build."""
    for command in ("build", "serve"):
        done = run_archive(command, cwd=tmp_path)
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr.strip() == (f"archive {command}: mkdocs.yml: no such file: run it in the archive's folder "
                                       "(the one with mkdocs.yml), or name the file with --config")


def test_the_result_count_reads_for_a_reader(page, server):
    """The count read "8 results (331 ms)": a benchmark's figure shown to every reader."""
    page.goto(server + "/search/?q=ceasefire")
    page.wait_for_selector("#archive-search[data-done]")
    text = page.locator(".archive-search__count").inner_text().strip()
    assert text.split()[1] in ("result", "results") and text == " ".join(text.split()[:2]), text
    assert int(page.get_attribute("#archive-search", "data-ms")) >= 0  # the figure stays, for benchmarks


def test_the_keyboard_never_lands_on_something_unseen_and_the_header_box_shows_its_focus(page, server):
    """Tab's third stop was the palette's hidden, aria-hidden radio (the focus vanished), and the header's
    search box showed no focus ring."""
    page.goto(server + "/")
    for _ in range(6):
        page.keyboard.press("Tab")
        seen = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
            return [e.name || e.innerText || e.tagName, r.width > 0 && r.height > 0 && !e.closest('[aria-hidden=true]')
                    && e.getAttribute('aria-hidden') !== 'true'] }""")
        assert seen[1], seen[0]
        if seen[0] == "q":
            ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert ring not in ("none", ""), ring
            break
    else:
        raise AssertionError("the header's search box is not among the first Tab stops")


def test_a_printed_article_says_where_it_came_from_without_screen_only_links(page, server, project):
    """Printed, an article had no address of its own or of its source, and carried the related
    articles and the older/newer links, which do nothing on paper."""
    art = next(p for p in sorted((project / "site" / "articles").rglob("index.html"))
               if 'class="archive-prevnext"' in p.read_text(encoding="utf-8") and "archive-related" in p.read_text(encoding="utf-8"))
    path = "/" + art.parent.relative_to(project / "site").as_posix() + "/"
    page.goto(server + path)
    assert not page.locator(".archive-printed-from").is_visible()  # on screen: not there
    page.emulate_media(media="print")
    line = page.locator(".archive-printed-from")
    assert line.is_visible() and line.inner_text().endswith(path) and line.inner_text().startswith(NAME)
    for hidden in (".archive-prevnext", ".archive-related", "h2#related"):
        assert not page.locator(hidden).is_visible(), hidden
    source = page.locator(".archive-meta a[href^='http']")
    if source.count():
        shown = source.first.evaluate("e => getComputedStyle(e, '::after').content")
        assert source.first.get_attribute("href") in shown


def test_a_missing_address_offers_a_search_for_its_words_and_ways_to_browse(page, server, project):
    """The page for a missing address said "404 - Not found" and nothing else."""
    missing = server + "/articles/2024/07/colombia-and-eln-extend-ceasefire/"
    body = (project / "site" / "404.html").read_text(encoding="utf-8")
    page.route(missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html"))
    page.goto(missing)
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.input_value("#archive-notfound-q") == "colombia and eln extend ceasefire"
    for label in ("by date", "by tag", "by place", "the latest articles"):
        assert page.locator(f".md-content a:text-is('{label}')").count() == 1, label
    page.click(".archive-notfound button")
    page.wait_for_selector("#archive-search[data-done]")
    first = page.locator(".archive-search__results > li > a").first.inner_text()
    assert first == "Colombia and ELN extend ceasefire as talks resume in Bogota"


def test_the_map_has_a_name_for_screen_readers(page, server):
    """Leaflet makes the map a Tab stop with no name: a screen reader announced only "group"."""
    page.goto(server + "/map/")
    page.wait_for_selector("#archive-map[data-ready]")
    assert page.get_attribute("#archive-map", "role") == "region"
    assert "Locations page" in page.get_attribute("#archive-map", "aria-label")


# Each text element's contrast against the background behind it (WCAG 2 relative luminance), its
# colour's alpha and its ancestors' opacity included.
CONTRAST = """() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = rgb => rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
                        .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const low = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) || !el.getClientRects().length) continue;
    let [r, g, b, a] = parse(getComputedStyle(el).color);
    for (let e = el; e; e = e.parentElement) a *= parseFloat(getComputedStyle(e).opacity);
    let bg = [255, 255, 255];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c[3] > 0.5) { bg = c.slice(0, 3); break; } }
    const fg = [r, g, b].map((v, i) => v * a + bg[i] * (1 - a));
    const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    if (ratio < 4.5) low.push(el.innerText.slice(0, 40) + ': ' + ratio.toFixed(2));
  }
  return low; }"""


def test_text_on_the_reader_s_pages_has_aa_contrast(page, server):
    """The "all tags" link of a tag page sat in Material's <small>, greyed by opacity: 3.9:1."""
    for path in ("/", "/tags/", "/tags/islamic-state/", "/locations/", "/archive/", "/search/?q=ceasefire"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.evaluate(CONTRAST) == [], path


def test_the_review_s_sentence_does_not_stop_at_an_abbreviation():
    """The first version cut sentences at every ". ": "U.S. Air Force …" was quoted from "Air Force"."""
    from generator.review import sentence

    text = "Officials met on Monday. The U.S. Air Force staff reached Erbil on Nov. 6 by road. They left."
    assert sentence(text, text.index("Air Force")) == "The U.S. Air Force staff reached Erbil on Nov. 6 by road."
    text = "A loader was hit.\n.\xa0 \xa0 Near the dam, a strike hit a UAV launch site. Later, more."  # a stray bullet
    assert sentence(text, text.index("UAV")) == "Near the dam, a strike hit a UAV launch site."
