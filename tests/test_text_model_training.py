"""The trainer's cross-validation folds: pages of one site share a fold, pages without a URL are
keyed by their id (not all by the empty domain, which put every such page in one fold)."""
from __future__ import annotations

from .conftest import load_tool


def _trainer():
    return load_tool("train_text_model")


def _pages():
    """The tune pages' sites, folds and labels (tools/text_pages.py)."""
    return load_tool("text_pages")


def test_site_is_the_domain_without_www():
    t = _pages()
    assert t.site_of({"url": "https://www.example.com/a/b.html", "id": "x-1"}) == "example.com"


def test_page_without_url_is_keyed_by_its_id_less_its_number():
    t = _pages()
    assert t.site_of({"url": None, "id": "readability-nytimes-2"}) == "readability-nytimes"
    assert t.site_of({"id": "readability-nytimes-3"}) == "readability-nytimes"
    assert t.site_of({"url": "", "id": "readability-aclu"}) == "readability-aclu"


def test_urlless_pages_spread_over_folds():
    t = _pages()
    folds = {t.fold_of(t.site_of({"id": f"set-page{k}"})) for k in range(40)}
    assert len(folds) == t.FOLDS
    assert t.fold_of(t.site_of({"id": "set-a-1"})) == t.fold_of(t.site_of({"id": "set-a-2"}))


PAGE = "\n\n".join([
    "Home | Harbour | Weather | Sport",
    "Sign in",
    "Ferry timetable doubles for the summer season",
    "By Ada Quill",
    "The harbour board said on Tuesday that the island ferry will sail twice as often from June, after"
    " a winter in which queues at the quay reached the car park on most weekend mornings.",
    "Captains had asked for a second crew for two years; the board found the money in the budget for"
    " repairs to the old pier, which will now wait until the autumn when fewer visitors come across.",
    "Residents welcomed the change but asked that the last boat of the evening leave later than nine.",
    "Related stories",
    "Pier repairs delayed again",
    "© 2024 The Harbour Gazette",
])


def _page_item(t, title=None):
    from generator.readers.text import analyse
    return {"page": analyse(PAGE), "title": title, "body": None, "date": None, "text": PAGE, "site": "x", "fold": 0}


def test_pseudo_labels_take_the_headline_the_model_is_sure_of_on_pages_without_a_gold_title():
    from generator.readers.text_model import load_model
    t = _trainer()
    model = load_model()
    t.PSEUDO = 0.5
    extra = t.pseudo_labelled([_page_item(t), _page_item(t, title="Ferry timetable doubles for the summer season")], model)
    assert [e["title"] for e in extra] == ["Ferry timetable doubles for the summer season"]  # the gold page is not copied
    assert extra[0]["body"] is None and extra[0]["date"] is None  # a title-only copy: the body rows are not counted twice
    t.PSEUDO = 1.01  # no softmax share reaches it: nothing is added
    assert t.pseudo_labelled([_page_item(t)], model) == []


def test_loose_labels_only_where_no_line_equals_the_gold_title():
    from generator.readers.text import title_candidates
    t = _pages()
    item = _page_item(t)
    cands = title_candidates(item["page"])
    units = [item["page"].units[i] for i in cands]
    headline = units.index("Ferry timetable doubles for the summer season")
    t.LOOSE = 0
    assert not t.title_labels(item["page"], cands, "ferry timetable doubles for the summer season | the gazette").any()
    t.LOOSE = 0.5
    labels = t.title_labels(item["page"], cands, "ferry timetable doubles for the summer season | the gazette")
    assert labels[headline] == 1 and labels.sum() == 1
    # an exact line wins over lines that hold the gold title
    assert t.title_labels(item["page"], cands, "pier repairs delayed again").sum() == 1
    assert not t.title_labels(item["page"], cands, "ferry timetable | a quite different and much longer gold title").any()


HTML = """<html><head><title>Ferry timetable doubles for the summer season | The Harbour Gazette</title>
<meta property="og:site_name" content="The Harbour Gazette"></head>
<body><div class="logo">The Harbour Gazette</div><h1>Ferry timetable doubles for the summer season</h1>
<p>The harbour board said on Tuesday that the island ferry will sail twice as often from June.</p></body></html>"""


def test_silver_title_is_the_html_readers_title_when_it_is_also_an_h1():
    s = load_tool("silver_titles")
    assert s.agreed_titles(HTML, "https://harbour.example/ferry") == {"ferry timetable doubles for the summer season"}
    # the <h1> is the site's logo, the <title> another text: nothing agreed, no label
    other = HTML.replace("<h1>Ferry timetable doubles for the summer season</h1>", "<h1>The Harbour Gazette</h1>")
    assert s.agreed_titles(other, None) == set()


def test_silver_title_labels_a_page_only_when_one_candidate_text_is_agreed():
    from generator.readers.text import analyse, title_candidates
    s = load_tool("silver_titles")
    page = analyse(PAGE)
    cands = title_candidates(page)
    assert s.silver_title(page.units, cands, {"ferry timetable doubles for the summer season"}) \
        == "ferry timetable doubles for the summer season"
    assert s.silver_title(page.units, cands, {"ferry timetable doubles for the summer season",
                                              "pier repairs delayed again"}) is None  # two lines: unsure
    assert s.silver_title(page.units, cands, {"a headline the text never prints"}) is None


def test_html_titles_read_the_extraction_sets_beside_the_scrapes_file(tmp_path):
    import gzip
    import json
    s = load_tool("silver_titles")
    with gzip.open(tmp_path / "extraction_demo.jsonl.gz", "wt", encoding="utf-8") as f:
        for rid in ("p1", "p2"):
            f.write(json.dumps({"id": rid, "html": HTML, "url": None}) + "\n")
    found = s.html_titles(tmp_path / "scrapes_real.jsonl.gz", {"p1"})
    assert found == {"p1": {"ferry timetable doubles for the summer season"}}  # only the ids asked for


def test_silver_body_is_the_article_text_the_html_reader_extracts():
    s = load_tool("silver_titles")
    body = s.html_body(HTML.replace("</p>", "</p><p>" + " ".join(["The board will review the timetable in September."] * 3) + "</p>"), None)
    assert "the island ferry will sail twice as often from June" in body
    assert "The Harbour Gazette" not in body  # the logo is not article text


def test_silver_labels_are_used_only_when_switched_on():
    t = _pages()
    item = {"title": None, "body": None, "silver": "a headline", "silver_body": "some text"}
    t.SILVER, t.SILVER_BODY = False, False
    assert t.headline_of(item) is None and t.body_of(item) is None
    t.SILVER, t.SILVER_BODY = True, True
    assert t.headline_of(item) == "a headline" and t.body_of(item) == "some text"
    assert t.headline_of({**item, "title": "Gold"}) == "Gold"  # a gold title always wins


def test_title_fit_reads_columns_after_the_model_features():
    """Experiments (tools/title_proxy.py) append their own columns to the candidates' features: the
    fit must use them, not fail on the width of the feature mask."""
    import numpy as np
    t = load_tool("title_network")
    dim = len(t.FEATURES) + 1
    groups = []
    for k in range(6):
        x = np.zeros((3, dim))
        x[:, 0] = 1.0
        x[k % 3, -1] = 1.0  # only the appended column tells the headline
        groups.append((x, (x[:, -1] > 0).astype(float)))
    params = t.fit_one_title(groups, dim, seed=1)
    x, y = groups[0]
    assert int(np.argmax(t.title_scores(params, x))) == int(np.argmax(y))
    assert params["lin"][-1] > 0


def _page_losses(s, y, starts):
    """Each loss written out page by page, to check the vectorised gradients against."""
    import numpy as np
    ends = list(starts[1:]) + [len(s)]
    listwise = pairwise = 0.0
    for a, b in zip(starts, ends):
        ss, yy = s[a:b], y[a:b]
        listwise -= np.log(np.exp(ss)[yy > 0].sum() / np.exp(ss).sum())
        gold = (ss * yy).sum() / yy.sum()
        pairwise += np.log1p(np.exp(ss[yy == 0] - gold)).mean()
    return listwise, pairwise


def test_title_losses_give_the_gradient_of_what_they_say():
    """TRAIN_LOSS=pairwise (each wrong candidate against the gold line) and the default softmax share:
    the gradients the fit steps on are those of the losses written out page by page."""
    import numpy as np
    n = load_tool("title_network")
    rng = np.random.default_rng(3)
    s = rng.normal(size=9)
    y = np.array([0, 1, 0, 0, 0, 1, 1, 0, 0], dtype=float)  # a page with two gold lines (the headline twice)
    starts = np.array([0, 4])
    group = np.repeat([0, 1], [4, 5])
    eps = 1e-6
    for k, grad in enumerate((n._listwise, n._pairwise)):
        numeric = [(_page_losses(s + eps * e, y, starts)[k] - _page_losses(s - eps * e, y, starts)[k]) / (2 * eps)
                   for e in np.eye(len(s))]
        assert np.allclose(grad(s, y, starts, group), numeric, atol=1e-6)
