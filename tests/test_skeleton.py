"""Pages filled into their shape's skeleton (generator/mkdocs_plugin/skeleton.py) are the bytes
Jinja renders: the whole site with the option on and off, and shapes the skeleton cannot stand for
(a value through a filter, a value tested by the template, a table of contents) go to Jinja."""
from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import url_filter

from generator.mkdocs_plugin import skeleton

from .sample_site import build, make_project, tree


def _project(folder: Path, source: Path, **options) -> Path:
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("site", ".cache"))
    cfg = folder / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    lines = "".join(f"      {k}: {str(v).lower() if isinstance(v, bool) else v}\n"
                    for k, v in {"page_size": 1, **options}.items())
    cfg.write_text(text.replace("\n  - archive\n", "\n  - archive:\n" + lines, 1), encoding="utf-8")
    return folder


def test_site_is_the_same_bytes_with_and_without_skeletons(tmp_path: Path):
    source = make_project(tmp_path / "p")
    on = _project(tmp_path / "on", source)
    off = _project(tmp_path / "off", source, page_skeleton=False)
    build(on, on / "site")
    build(off, off / "site")
    got, want = tree(on / "site"), tree(off / "site")
    assert sorted(got) == sorted(want)
    assert [p for p in want if got[p] != want[p]] == []


def test_pages_are_filled_from_skeletons(tmp_path: Path):
    """In-process (serial) build: most pages out of the navigation come from a skeleton."""
    project = _project(tmp_path / "on", make_project(tmp_path / "p"), parallel_render=False)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    mkdocs_build(config)
    skeletons = config.plugins["archive"].skeletons
    assert skeletons is not None
    assert skeletons.filled > 0 and skeletons.rendered > 0
    assert sum(shape is not None for shape in skeletons.shapes.values()) >= 2


def test_a_rebuild_fills_pages_from_kept_skeletons(tmp_path: Path):
    """Shapes proved by one build are used by the next (skeleton.Kept): an edited title's pages
    (its article, its listings) are filled without Jinja, and the site is a clean build's bytes."""
    project = _project(tmp_path / "on", make_project(tmp_path / "p"), parallel_render=False)

    def in_process(folder: Path):
        config = load_config(str(folder / "mkdocs.yml"), site_dir=str(folder / "site"))
        mkdocs_build(config)
        return config.plugins["archive"].skeletons

    first = in_process(project)
    assert first.reused == 0 and first.proved
    page = sorted((project / "content" / "articles").rglob("*.md"))[1]
    text = page.read_text(encoding="utf-8")
    assert "\ntitle: " in text
    page.write_text(text.replace("\ntitle: ", "\ntitle: Revised ", 1), encoding="utf-8")
    second = in_process(project)
    assert second.reused > 0 and second.filled > 0
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("site", ".cache"))
    in_process(clean)
    got, want = tree(project / "site"), tree(clean / "site")
    assert sorted(got) == sorted(want)
    assert [p for p in want if got[p] != want[p]] == []


def test_kept_skeletons_are_keyed_on_the_navigation():
    """A nav page's title can come from its heading: another title is another set of skeletons."""
    class Store:
        def keep_listings(self, keys) -> None:
            pass

    class Item:
        def __init__(self, title: str, url: str) -> None:
            self.title, self.url, self.children = title, url, None

    def key(*items) -> str:
        return skeleton.Kept(Store(), "base", list(items)).key

    assert key(Item("About", "about/")) == key(Item("About", "about/"))
    assert key(Item("About", "about/")) != key(Item("About us", "about/"))
    assert key(Item("About", "about/")) != key(Item("About", "about-us/"))


class _File:
    def __init__(self, uri: str) -> None:
        self.src_uri = uri


class _Page:
    """What the skeleton reads of a page out of the navigation."""

    def __init__(self, title: str, content: str = "<p>Text</p>", toc=None, url: str = "a/x/") -> None:
        self.file, self.url, self.title, self.content = _File(url + "index.md"), url, title, content
        self.canonical_url = "https://example.org/" + url
        self.meta = {"title": title, "og": [("title", title)]}
        self.toc = toc if toc is not None else get_toc([])
        self.edit_url = self.previous_page = self.next_page = self.parent = None
        self.is_homepage, self.ancestors = False, []


def _env(source: str) -> tuple[jinja2.Environment, skeleton.Skeletons]:
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": source}))
    return env, skeleton.install(env)


def _render_all(env, titles, **page) -> list[str]:
    template = env.get_template("main.html")
    return [template.render({"page": _Page(t, **page), "base_url": "../.."}) for t in titles]


def _plain(source: str, titles, **page) -> list[str]:
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": source}))
    return _render_all(env, titles, **page)


TITLES = ["A & B", "Cee", "<Dee>", "E  e", "A & B"]


def test_a_plain_template_is_filled_and_equals_jinja():
    source = ("<title>{{ page.meta.title }}</title>{% for k, v in page.meta.og %}<m {{ k }}={{ v }}>{% endfor %}"
              "{% if '<h1' not in page.content %}<h1>{{ page.title }}</h1>{% endif %}{{ page.content }}"
              "<link {{ page.canonical_url }}>")
    env, skeletons = _env(source)
    assert _render_all(env, TITLES) == _plain(source, TITLES)
    assert skeletons.filled == len(TITLES) - skeleton.VERIFY
    assert _render_all(env, TITLES, content="<h1>Own</h1>") == _plain(source, TITLES, content="<h1>Own</h1>")


def test_a_value_through_a_filter_is_rendered_by_jinja():
    for source in ("<title>{{ page.title | e }}</title>", "<t>{{ page.title | striptags }}</t>",
                   "{{ page.content | length }}"):
        env, skeletons = _env(source)
        assert _render_all(env, TITLES) == _plain(source, TITLES)
        assert skeletons.filled == 0


def test_a_value_the_template_tests_is_caught_by_the_first_pages():
    source = "{% if page.title == 'A & B' %}first{% else %}{{ page.title }}{% endif %}"
    env, skeletons = _env(source)
    assert _render_all(env, TITLES) == _plain(source, TITLES)
    assert skeletons.filled == 0


def test_a_page_with_a_table_of_contents_is_rendered_by_jinja():
    source = "{{ page.title }}{% for item in page.toc %}<a>{{ item.title }}</a>{% endfor %}"
    toc = get_toc([{"level": 2, "id": "x", "name": "X", "html": "X", "data-toc-label": "", "children": []}])
    env, skeletons = _env(source)
    assert _render_all(env, TITLES, toc=toc) == _plain(source, TITLES, toc=toc)
    assert skeletons.filled == 0


def _heading(level: int, name: str, children: list | None = None) -> dict:
    slug = name.lower().replace(" ", "-")
    return {"level": level, "id": slug, "name": name, "html": name, "data-toc-label": "", "children": children or []}


def test_a_page_with_h2s_under_its_h1_is_filled_from_its_shape():
    """A listing's first page: its <h1> and <h2>s under it, each heading's title and id a slot (the
    number of <h2>s is part of the shape), so the pages are filled, and equal Jinja's."""
    source = ("<title>{{ page.title }}</title>{% for item in page.toc %}<a href=\"{{ item.url }}\">{{ item.title }}</a>"
              "{% for child in item.children %}<li><a href=\"{{ child.url }}\">{{ child.title }}</a></li>{% endfor %}"
              "{% endfor %}")
    tocs = [get_toc([_heading(1, t, [_heading(2, f"Within {t}"), _heading(2, "Articles")])]) for t in TITLES]
    env, skeletons = _env(source)
    template = env.get_template("main.html")
    got = [template.render({"page": _Page(t, toc=toc), "base_url": "../.."}) for t, toc in zip(TITLES, tocs)]
    plain = jinja2.Environment(loader=jinja2.DictLoader({"main.html": source})).get_template("main.html")
    assert got == [plain.render({"page": _Page(t, toc=toc), "base_url": "../.."}) for t, toc in zip(TITLES, tocs)]
    assert "Within Cee" in got[1] and 'href="#articles"' in got[1]
    assert skeletons.filled == len(TITLES) - skeleton.VERIFY
    deeper = get_toc([_heading(1, "T", [_heading(2, "Articles", [_heading(3, "Older")])])])
    assert skeleton._toc_kind(deeper) is None  # an <h3>: Jinja renders the page


def _url_env(source: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": source}))
    env.filters["url"] = url_filter  # MkDocs' filter, relative to the context's page
    return env


def test_a_shape_spans_the_folders_of_one_depth_with_the_same_relative_urls():
    """Pages in other folders of one depth share a shape, unless their folder leads a link's target
    (a relative URL shares folders with it): those get a shape of their own, and both equal Jinja's."""
    source = '<a href="{{ \'tags/all/\' | url }}">{{ page.title }}</a><b href="{{ \'.\' | url }}">{{ page.content }}'
    urls = ["a/x/", "b/y/", "c/z/", "d/w/", "tags/q/", "tags/r/", "tags/all/"]
    env = _url_env(source)
    skeletons = skeleton.install(env)
    got, want = ([t.render({"page": _Page(f"T {u}", url=u), "base_url": "../.."}) for u in urls]
                 for t in (env.get_template("main.html"), _url_env(source).get_template("main.html")))
    assert got == want
    assert '<a href="../../tags/all/">' in got[0] and '<a href="../all/">' in got[4] and '<a href="./">' in got[6]
    assert skeletons.filled == 2  # c/ and d/: the shape of a/ and b/ (proved on them)
    assert sorted(key[-1] for key in skeletons.shapes) == [(), ("tags",), ("tags", "all")]


class _Plugins(dict):
    pass


class _Config:
    def __init__(self, feeds: dict) -> None:
        class Archive:
            page_feeds = feeds
        self.plugins = _Plugins(archive=Archive())


def test_a_page_announcing_its_own_feed_is_filled_with_its_feed_in_slots():
    """A tag's or country's first page: main.html looks its feed up by the page's file and prints
    the feed's relative URL and its name escaped; both are slots, and the pages equal Jinja's (a
    feed whose path leads with the page's own first folder goes to Jinja)."""
    source = ('{%- set own = config.plugins.get("archive").page_feeds.get(page.file.src_uri) %}'
              '{% if own %}<link title="{{ (\'Site: \' ~ own[1]) | e }}" href="{{ own[0] | url }}">{% endif %}'
              "<t>{{ page.title }}</t>{{ page.content }}")
    urls = ["tags/a/", "tags/b/", "tags/c/", "tags/d/", "feeds/e/"]
    feeds = {u + "index.md": (f"feeds/{u[:-1]}.xml", f"{u} & <co> \"q\"") for u in urls}
    config = _Config(feeds)

    def render_all(env) -> list[str]:
        template = env.get_template("main.html")
        return [template.render({"page": _Page(f"T {u}", url=u), "base_url": "../..", "config": config}) for u in urls]

    env = _url_env(source)
    skeletons = skeleton.install(env, exclude=set(feeds))
    got = render_all(env)
    assert got == render_all(_url_env(source))
    assert 'href="../../feeds/tags/c.xml"' in got[2] and "Site: tags/c/ &amp; &lt;co&gt; &#34;q&#34;" in got[2]
    assert skeletons.filled == 2  # tags/c/ and tags/d/; feeds/e/ by Jinja
    assert list(feeds) == [u + "index.md" for u in urls]  # the stand-in's feed is gone again
