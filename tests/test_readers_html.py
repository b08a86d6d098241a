"""The HTML reader: metadata combined from the page's own signals, body text as plain-text blocks."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.readers import choose
from generator.readers.html import (choose_date, choose_title, extract_page, fragment_blocks, jsonld_objects,
                                    meta_values, parse_html, site_names, strip_site)
from generator.model import Block, RejectedInput

HTML = Path(__file__).parent / "fixtures" / "html"


def read(name: str):
    text = (HTML / name).read_text(encoding="utf-8")
    reader = choose(text)
    assert reader.name == "html"
    articles = list(reader.read(text, name))
    assert len(articles) == 1
    return articles[0]


def test_title_has_site_name_stripped():
    a = read("title_site_suffix.html")
    assert a.title == "Flood barriers hold as river peaks"
    assert a.source == "Riverside Gazette"


def test_site_name_stripped_from_either_end():
    sites = ["Riverside Gazette"]
    assert strip_site("Flood barriers hold | Riverside Gazette", sites) == "Flood barriers hold"
    assert strip_site("Riverside Gazette - Flood barriers hold", sites) == "Flood barriers hold"
    assert strip_site("Flood: barriers hold - for now", sites) == "Flood: barriers hold - for now"


def _title_of(html: str, url: str | None = None) -> str | None:
    tree = parse_html(html)
    meta, ld = meta_values(tree), jsonld_objects(tree)
    return choose_title(tree, meta, ld, site_names(meta, ld, url))


def test_declared_title_beats_a_section_heading_and_loses_its_site_name():
    html = ("<html><head><title>Bridge reopens after repairs | Valley Post</title>"
            '<meta property="og:title" content="Bridge reopens after repairs | Valley Post">'
            '<meta property="og:site_name" content="Valley Post"></head>'
            "<body><h1>Local news</h1><p>The bridge is open.</p></body></html>")
    assert _title_of(html) == "Bridge reopens after repairs"


def test_a_declared_title_that_is_only_the_site_name_is_skipped():
    html = ('<html><head><meta property="og:title" content="Valley Post">'
            '<meta property="og:site_name" content="Valley Post">'
            "<title>Why the ferry timetable changed - Valley Post</title></head>"
            "<body><h1>Valley Post</h1><p>Text.</p></body></html>")
    assert _title_of(html) == "Why the ferry timetable changed"


def test_site_logo_in_h1_is_not_the_title():
    html = ("<html><head><title>Why the ferry timetable changed | ValleyBlog</title></head>"
            "<body><h1>ValleyBlog</h1><p>Text.</p></body></html>")
    assert _title_of(html) == "Why the ferry timetable changed"


def test_short_title_segment_keeps_the_whole_title():
    # Cutting "| Notes" would leave two words: too little to be a headline, so the whole title stays.
    html = "<html><head><title>Tide tables | Notes</title></head><body><p>Text.</p></body></html>"
    assert _title_of(html) == "Tide tables | Notes"


def test_jsonld_headline_wins_over_its_name_only_when_it_matches_the_page_title():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "name": "ferry-story-1422",'
          ' "headline": "Why the ferry timetable changed"}</script>')
    html = ("<html><head><title>Why the ferry timetable changed</title>" + ld +
            "</head><body><p>Text.</p></body></html>")
    assert _title_of(html) == "Why the ferry timetable changed"
    other = html.replace("<title>Why the ferry timetable changed</title>", "<title>Harbour notes</title>")
    assert _title_of(other) == "ferry-story-1422"


def test_without_a_title_element_the_only_h1_is_the_title():
    html = "<html><body><h1>Harbour dredging starts in May</h1><p>Text.</p></body></html>"
    assert _title_of(html) == "Harbour dredging starts in May"


def test_publication_date_beats_the_modified_stamp_and_the_update_line():
    a = read("jsonld_date_beats_others.html")
    assert a.date == date(2024, 3, 12)


def test_date_from_url_when_the_page_has_no_metadata():
    a = read("date_in_url.html")
    assert a.date == date(2023, 11, 5)
    assert a.url == "https://gazette.example.org/news/2023/11/05/flood-barriers-hold"


def test_no_date_stays_none():
    assert read("no_date.html").date is None


def test_utc_stamp_one_day_off_a_local_stamp_yields_to_it():
    signals = [("jsonld", date(2017, 2, 24), "utc"), ("meta", date(2017, 2, 23), "local")]
    assert choose_date(signals) == date(2017, 2, 23)
    assert choose_date([]) is None


def test_canonical_url_site_name_author_and_description():
    a = read("canonical_and_site_name.html")
    assert a.url == "https://gazette.example.org/news/flood-barriers-hold"
    assert a.source == "Riverside Gazette"
    assert a.author == "Mara Ellison"
    assert a.summary and a.summary.startswith("Steel panels along the quay")
    assert a.title == "Flood barriers hold as river peaks"


def test_body_keeps_paragraphs_and_headings_and_drops_page_chrome():
    a = read("chrome_excluded.html")
    body = a.body_text
    for marker in ("SCRIPTMARKER", "STYLESHEETMARKER", "NAVMARKER", "INLINESCRIPTMARKER", "dataLayer"):
        assert marker not in body
    assert Block("h2", "Pumps ran through the night") in a.blocks
    assert a.blocks[0].kind == "p" and a.blocks[0].text.startswith("The river crested")
    assert a.title not in [b.text for b in a.blocks]  # the headline is not repeated as body


def test_script_text_inside_a_paragraph_stays_visible_plain_text():
    a = read("script_text_in_paragraph.html")
    assert '<script>alert("hi")</script>' in a.blocks[0].text
    assert all(isinstance(b.text, str) and b.kind in ("p", "h2") for b in a.blocks)


def test_page_without_text_is_rejected():
    with pytest.raises(RejectedInput):
        extract_page("<html><head><title>Nothing here</title></head><body></body></html>", "empty.html")


def test_fragment_blocks_splits_blocks_and_skips_scripts():
    blocks = fragment_blocks("<h3>Heading</h3><p>One <b>bold</b> line.</p><script>x()</script>"
                             "<p>Two<br><br>Three</p>")
    assert blocks == [Block("h2", "Heading"), Block("p", "One bold line."), Block("p", "Two"), Block("p", "Three")]


@pytest.mark.parametrize("head,expected", [
    ("<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    ("<html lang='en'><head></head>", "html"),
    ('<?xml version="1.0"?><rss version="2.0"><channel>', "feed"),
    ('<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
    ('[{"title": "A"}]', "json"),
    ('{"title": "A", "text": "B"}\n{"title": "C", "text": "D"}', "json"),
    ("Flood barriers hold as river peaks\n\nThe river crested.", "text"),
    ("[Updated] Flood barriers hold\n\nThe river crested.", "text"),
])
def test_reader_is_chosen_by_content(head, expected):
    assert choose(head).name == expected


def test_a_number_starting_the_slug_is_not_a_day():
    from generator.enrich.dates import date_from_url

    assert date_from_url("https://blog.example.org/2023/10/3-questions-for-the-mayor") is None
    assert date_from_url("https://blog.example.org/2023/10/03/questions") == date(2023, 10, 3)


def test_saved_fragment_without_html_element_is_read_as_html():
    a = read("fragment_without_html_element.html")
    assert a.title == "Harbour wall repaired"
    assert [b.text for b in a.blocks] == ["Masons finished rebuilding the harbour wall on Friday after the winter storms.",
                                          "The slipway reopens next week."]


def test_dateline_under_the_headline_when_the_page_has_no_metadata():
    assert read("dateline_under_headline.html").date == date(2024, 2, 14)


def test_ambiguous_slash_dateline_is_not_guessed():
    from generator.readers.html import dateline_near_headline, parse_html

    tree = parse_html("<html><body><h1>Headline here</h1><p>Posted 03/04/2024</p></body></html>")
    assert dateline_near_headline(tree) is None
    tree = parse_html("<html><body><h1>Headline here</h1><p>Posted 23/04/2024</p></body></html>")
    assert dateline_near_headline(tree) == date(2024, 4, 23)


def test_year_first_slash_dates_are_year_month_day():
    from generator.enrich.dates import parse_date

    assert parse_date("2020/10/04 15:05:21") == date(2020, 10, 4)
    assert parse_date("2024.03.12") == date(2024, 3, 12)
    assert parse_date("12.03.2024") == date(2024, 3, 12)


def test_dateline_with_a_month_name_inside_the_headline_block():
    # No metadata: the date printed in the <h1> block ("12. März 2024") is the page's date.
    assert read("dateline_month_name_german.html").date == date(2024, 3, 12)


@pytest.mark.parametrize("text, expected", [
    ("Publicado el 3 de mayo de 2023", date(2023, 5, 3)),
    ("Posted March 12th, 2024 at 9:30", date(2024, 3, 12)),
    ("le 1er janvier 2020", date(2020, 1, 1)),
    ("2019年6月24日 12時", date(2019, 6, 24)),
    ("Mittwoch, 26.01.2022 - 14:30", date(2022, 1, 26)),
])
def test_dates_in_text_in_several_languages(text, expected):
    from generator.readers.html import dates_in_text

    assert dates_in_text(text)[0][1] == expected


def test_ambiguous_slash_date_in_text_is_skipped():
    from generator.readers.html import dates_in_text

    assert dates_in_text("03/04/2024") == []
    assert dates_in_text("13/04/2024")[0][1] == date(2024, 4, 13)


def test_dateline_confirmed_by_the_metadata_wins_over_the_metadata_vote():
    # The page prints "12 January 2022" under its headline and its dateModified names that day.
    assert read("dateline_confirmed_by_modified_stamp.html").date == date(2022, 1, 12)


def test_shown_date_rules():
    from generator.readers.html import shown_date

    pub = [("jsonld", date(2021, 11, 29), "local")]
    modified = [date(2022, 1, 12)]
    assert shown_date([(date(2022, 1, 12), False)], pub, modified) == date(2022, 1, 12)
    # Labelled "Updated" beside a confirmed plain dateline: the plain one is the article's date.
    assert shown_date([(date(2022, 1, 12), True), (date(2021, 11, 29), False)], pub, modified) == date(2021, 11, 29)
    # The only dateline printed is an update the modification stamp confirms: the page presents
    # itself by that day. An update no stamp confirms is not trusted.
    assert shown_date([(date(2022, 1, 12), True)], pub, modified) == date(2022, 1, 12)
    assert shown_date([(date(2022, 1, 13), True)], pub, modified) is None
    # A UTC stamp confirms the printed day on either side of it (the same moment in another zone).
    utc = [("jsonld", date(2022, 5, 4), "utc")]
    assert shown_date([(date(2022, 5, 3), False)], utc, []) == date(2022, 5, 3)
    assert shown_date([(date(2022, 5, 2), False)], utc, []) is None
    # A printed date no metadata knows (a teaser, a comment) is not trusted.
    assert shown_date([(date(2019, 5, 2), False)], pub, modified) is None
    # Several confirmed datelines: the earliest.
    assert shown_date([(date(2022, 1, 12), False), (date(2021, 11, 29), False)], pub, modified) == date(2021, 11, 29)
    # A day in the URL keeps priority.
    assert shown_date([(date(2022, 1, 12), False)], pub + [("url", date(2021, 11, 29), "local")], modified) is None


def test_generic_date_tags_do_not_outvote_an_explicit_publication_signal():
    signals = [("generic", date(2022, 1, 21), "local"), ("generic", date(2022, 1, 21), "local"),
               ("itemprop", date(2022, 1, 27), "local")]
    # htmldate read the same generic tag: it is no independent vote.
    assert choose_date(signals, date(2022, 1, 21)) == date(2022, 1, 27)
    # Without an explicit signal, the generic tags still count.
    assert choose_date(signals[:2], date(2022, 1, 21)) == date(2022, 1, 21)


def test_dateline_is_read_under_the_headline_that_is_the_title_not_a_logo_h1():
    from generator.readers.html import datelines, parse_html

    tree = parse_html("<html><body><h1>Valley Post</h1><nav>Home News</nav>"
                      "<h1>Cold snap ahead</h1><p>Written: 2023-11-07 15:03</p><p>Text.</p></body></html>")
    assert datelines(tree, title="Cold snap ahead")[0][0] == date(2023, 11, 7)


def test_a_page_whose_only_text_is_headings_keeps_it():
    html = ("<html><head><title>Harbour photographs from the storm</title></head><body><article>"
            "<h2>The breakwater at dawn</h2><img src='a.jpg'><h2>Boats pulled up on the quay</h2>"
            "<img src='b.jpg'></article></body></html>")
    a = extract_page(html, "gallery.html")
    assert [b.text for b in a.blocks] == ["The breakwater at dawn", "Boats pulled up on the quay"]
    assert all(b.kind == "p" for b in a.blocks)


def test_a_heading_with_nothing_under_it_at_the_end_is_dropped():
    blocks = fragment_blocks("<p>The river crested at noon.</p><h3>Related stories</h3>")
    assert blocks == [Block("p", "The river crested at noon.")]


def test_a_generic_page_title_yields_to_the_only_heading():
    html = ("<html><head><title>Home</title></head><body><h1>Ferry crews end their strike</h1>"
            "<p>Text.</p></body></html>")
    assert _title_of(html) == "Ferry crews end their strike"


def test_a_jsonld_name_unrelated_to_every_other_title_is_a_cms_label():
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "name": "escenic"}</script>'
    html = ("<html><head><title>Ferry crews end their strike</title>" + ld +
            '<meta property="og:title" content="Ferry crews end their strike"></head>'
            "<body><h1>Ferry crews end their strike</h1><p>Text.</p></body></html>")
    assert _title_of(html) == "Ferry crews end their strike"


def test_page_furniture_and_the_repeated_headline_leave_the_body():
    blocks = [Block("h2", "You are here"), Block("h2", "Ferry crews end their strike"),
              Block("p", "The crews voted on Monday to return to work after a week."), Block("p", "Advertisement"),
              Block("p", "Crossings resume on Wednesday, the operator said.")]
    from generator.readers.html import drop_chrome

    assert [b.text for b in drop_chrome(blocks, "Ferry crews end their strike")] == [
        "The crews voted on Monday to return to work after a week.",
        "Crossings resume on Wednesday, the operator said."]


def test_a_heading_that_is_a_long_sentence_is_a_paragraph():
    blocks = fragment_blocks("<h2>Crossings resume on Wednesday after the crews voted to end a strike that "
                             "stranded hundreds.</h2><p>The vote was close.</p><h2>What happens next</h2>"
                             "<p>Talks continue.</p>")
    assert [b.kind for b in blocks] == ["p", "p", "h2", "p"]
