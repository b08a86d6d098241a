"""The scraped-text reader on the seed and on our own varied scrapes (tests/fixtures/scrapes)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.model import RejectedInput
from generator.readers.text import parse_scrape

from .conftest import FIXTURES, SAMPLES

SCRAPES = sorted((FIXTURES / "scrapes").glob("*.txt"))


def read(path: Path):
    return parse_scrape(path.read_text(encoding="utf-8"), str(path))


def test_seed_title_summary_paragraphs_and_no_chrome(seed_path):
    a = read(seed_path)
    assert a.title == "Iraq, Isis suffers a serious blow: medicines chief is caught"
    assert a.summary.startswith("ISIS suffers a serious blow in Iraq: ")
    # the second standfirst is a 200-character sentence without its full stop: a paragraph, not a heading
    assert not [b for b in a.blocks if b.kind == "h2"]
    assert a.blocks[1].text.startswith("Meanwhile, Daesh tries to open a safe escape corridor from Syria")
    text = a.title + a.summary + a.body_text
    assert "skip to Main Content" not in text and "Back To Top" not in text
    assert [b.kind for b in a.blocks] == ["p", "p", "p"]
    assert a.date is None  # the seed has no date: never invented


def test_fixture_set_is_varied_enough():
    assert len(SCRAPES) >= 12


@pytest.mark.parametrize("path", SCRAPES, ids=[p.stem for p in SCRAPES])
def test_scrape_matches_expectation(path: Path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    a = read(path)
    assert a.title == expected["title"]
    assert a.summary == expected["summary"]
    assert (a.date.isoformat() if a.date else None) == expected["date"]
    assert [b.text for b in a.blocks if b.kind == "h2"] == expected["headings"]
    paragraphs = [b.text for b in a.blocks if b.kind == "p"]
    assert paragraphs[0].startswith(expected["first_paragraph_starts"])
    assert paragraphs[-1].endswith(expected["last_paragraph_ends"])
    everything = "\n".join([a.title, a.summary or "", a.body_text])
    for chrome in expected["must_not_contain"]:
        assert chrome not in everything, f"chrome left in: {chrome!r}"


def test_every_sample_reads_with_a_title_and_body():
    samples = sorted(SAMPLES.glob("*.txt"))
    assert len(samples) >= 30
    for path in samples:
        a = read(path)
        assert len(a.title.split()) >= 3, path
        assert sum(b.kind == "p" for b in a.blocks) >= 2, path


def test_hard_wrapped_paragraphs_are_rejoined():
    line = "The convoy reached the town after a long delay caused by checkpoints"
    text = f"A long enough headline for a test\n\n{line}\nand damaged roads near the\nriver crossing.\n\n{line}\nagain and again on the\nsame road.\n"
    a = parse_scrape(text, "wrapped")
    assert [b.text for b in a.blocks] == [
        f"{line} and damaged roads near the river crossing.",
        f"{line} again and again on the same road.",
    ]


def test_published_line_gives_date_and_is_removed():
    a = parse_scrape("Menu\nHome\n\nRebels agree to a new truce\n\nPublished: 12 March 2024\n\nThe truce holds.\n", "d")
    assert a.date.isoformat() == "2024-03-12"
    assert "Published" not in a.body_text


def test_no_title_is_rejected_with_a_reason():
    with pytest.raises(RejectedInput, match="no title"):
        parse_scrape("Home\nWorld\n\nShare\n", "x")


def test_very_long_line_with_chrome_words_is_kept_as_body():
    """A 400 KB line full of menu separators is body text, not chrome (chrome patterns test short lines only)."""
    long_line = "Fighting resumed near the river | Privacy Policy | and the town, " * 6000 + "end."
    a = parse_scrape("A headline that is long enough\n\n" + long_line + "\n", "long")
    assert a.blocks[0].text == long_line.strip()


# --------------------------------------------------------------------------- cases users found (issue 8)

NAV = "Home\nWorld\nPolitics\nBusiness\nSport\n"
LEAD = ("The regional council approved the new flood barrier on Tuesday after a debate that lasted most of "
        "the night, officials said.")
SECOND = ("Work on the barrier is expected to start in the spring and to take two years, according to the "
          "engineering firm that won the contract.")


def test_chrome_line_right_above_the_headline_keeps_the_headline():
    text = (NAV + "\nskip to Main Content\nCouncil approves flood barrier for the old harbour\n"
            "Engineers say the wall will protect two thousand homes\n\n" + LEAD + "\n\n" + SECOND + "\n")
    a = parse_scrape(text, "skip")
    assert a.title == "Council approves flood barrier for the old harbour"
    assert "skip to Main Content" not in a.title + (a.summary or "") + a.body_text


def test_published_and_updated_dateline_gives_the_published_day():
    text = (NAV + "\nPublished: 12 March 2024 | Updated: 13 March 2024\n"
            "Council approves flood barrier for the old harbour\n\n" + LEAD + "\n\n" + SECOND + "\n")
    a = parse_scrape(text, "dateline")
    assert a.title == "Council approves flood barrier for the old harbour"
    assert a.date.isoformat() == "2024-03-12"
    assert "Published" not in a.body_text


def test_dates_in_a_related_list_or_copyright_are_not_the_article_date():
    related = "".join(f"Older story number {n} about the harbour\n{n} May 2019\n" for n in range(1, 6))
    text = ("Council approves flood barrier for the old harbour\n\n" + LEAD + "\n\n" + SECOND
            + "\n\nRelated articles\n" + related + "\n© 2024 The Harbour Post. All rights reserved.\n")
    a = parse_scrape(text, "related")
    assert a.date is None
    assert "Older story" not in a.body_text


def test_long_sentence_without_full_stop_is_a_paragraph_not_a_heading():
    long_line = ("Meanwhile the engineers who studied the harbour for three years warned that the barrier alone "
                 "would not be enough to protect the lowest streets from the highest spring tides")
    text = "Council approves flood barrier for the old harbour\n\n" + LEAD + "\n\n" + long_line + "\n\n" + SECOND + "\n"
    a = parse_scrape(text, "long")
    assert [b.kind for b in a.blocks] == ["p", "p", "p"]
    assert a.blocks[1].text == long_line


def test_short_line_before_a_paragraph_is_still_a_heading():
    text = ("Council approves flood barrier for the old harbour\n\n" + LEAD + "\n\nWhat happens next\n\n"
            + SECOND + "\n")
    a = parse_scrape(text, "heading")
    assert [b.kind for b in a.blocks] == ["p", "h2", "p"]


def test_page_that_is_only_the_article():
    text = "Council approves flood barrier for the old harbour\n\n" + LEAD + "\n\n" + SECOND + "\n"
    a = parse_scrape(text, "bare")
    assert a.title == "Council approves flood barrier for the old harbour"
    assert [b.text for b in a.blocks] == [LEAD, SECOND]


def test_headline_printed_twice_is_chosen_over_the_standfirst():
    text = (NAV + "\nNews > Council approves flood barrier for the old harbour\n\nMasthead Daily\n"
            "Council approves flood barrier for the old harbour\n"
            "Engineers say the wall will protect two thousand homes from the sea\n\n" + LEAD + "\n\n" + SECOND + "\n")
    a = parse_scrape(text, "twice")
    assert a.title == "Council approves flood barrier for the old harbour"
    assert a.body_text.count("Council approves") == 0


def test_byline_under_the_headline_is_not_joined_to_it():
    text = ("Council approves flood barrier for the old harbour\nvon Anna Weber\n\n" + LEAD + "\n\n" + SECOND + "\n")
    a = parse_scrape(text, "byline")
    assert a.title == "Council approves flood barrier for the old harbour"


def test_short_line_is_not_joined_with_a_lower_case_line_after_it():
    """A browser's dump never wraps: a short headline followed by a lower-case byline or tagline
    stays its own line, while a long unit is still continued by a lower-case line."""
    from generator.readers.text import _units

    units = [u for u, _ in _units("Good to know\nalles außer gewöhnlich\n")]
    assert units == ["Good to know", "alles außer gewöhnlich"]
    long = "The convoy reached the town after a long delay near the"
    assert [u for u, _ in _units(f"{long}\nriver crossing.\n")] == [f"{long} river crossing."]
    byline = [u for u, _ in _units("The evaluation and the lists of journals\npar Florence Audier , le 15 septembre 2009\n")]
    assert len(byline) == 2


def test_a_menu_row_set_apart_by_spaces_is_chrome_but_prose_with_two_spaces_is_not():
    from generator.readers.text import parse_scrape

    page = ("THE HARBOUR POST\nHome  World  Coast  Opinion\n\nFerry crews walk out over night shifts at the port\n\n"
            "Crews of the island ferries stopped work on Monday.  The union says night shifts have doubled since "
            "spring and that nobody asked the crews before the timetable changed.\n\n"
            "The port authority said talks would resume on Thursday and that a skeleton service would run.\n")
    a = parse_scrape(page, "menu.txt")
    assert a.title == "Ferry crews walk out over night shifts at the port"
    assert "|" not in a.body_text and "Home" not in a.body_text
    assert "stopped work on Monday. The union says" in a.body_text


def test_a_long_standfirst_under_the_headline_is_the_summary_not_the_title():
    from generator.readers.text import parse_scrape

    page = ("Skip navigation\nCOASTAL TIMES\n\nFerry crews walk out over night shifts at the port\n\n"
            "Crews on the island routes say their night shifts have doubled since spring and nobody asked them\n\n"
            "Crews of the island ferries stopped work on Monday, leaving hundreds of travellers waiting at the "
            "quay. The union says night shifts have doubled since spring.\n\n"
            "The port authority said talks would resume on Thursday and that a skeleton service would run.\n")
    a = parse_scrape(page, "standfirst.txt")
    assert a.title == "Ferry crews walk out over night shifts at the port"
    assert a.summary == "Crews on the island routes say their night shifts have doubled since spring and nobody asked them"


def test_a_date_inside_a_sentence_near_the_headline_is_not_its_dateline():
    """"The next meeting is on 5 February 2020" under the headline is an event, not the publication day;
    a byline's date after "By <name> on" is."""
    head = "Council approves flood barrier for the old harbour\n"
    event = "The next public meeting on the barrier takes place on 5 February 2020 at the town hall\n\n"
    a = parse_scrape(NAV + "\n" + head + event + LEAD + "\n\n" + SECOND + "\n", "event")
    assert a.date is None
    byline = "By Jane Harbour Smith on Thu, Nov 9, 2023 at 4:00 am\n\n"
    b = parse_scrape(NAV + "\n" + head + byline + LEAD + "\n\n" + SECOND + "\n", "byline")
    assert b.date.isoformat() == "2023-11-09"


def test_chrome_of_other_languages_and_structured_data_lines_are_chrome():
    from generator.readers.text import analyse

    chrome = ["Zum Inhalt springen", "Aller au contenu principal", "Schreibe einen Kommentar",
              "Dein Browser ist leider veraltet.", '"headline": "Council approves flood barrier",', "}"]
    page = analyse("\n".join(chrome) + "\n\nCouncil approves flood barrier for the old harbour\n\n" + LEAD + "\n")
    flags = dict(zip(page.units, page.chrome))
    assert all(flags[c] for c in chrome)
    assert not flags["Council approves flood barrier for the old harbour"] and not flags[LEAD]


def test_a_lone_dateline_further_below_the_headline_dates_it_but_comment_dates_do_not():
    paras = "".join(f"Paragraph {n} of the report says the barrier will be finished by the spring, officials said.\n\n"
                    for n in range(14))
    head = NAV + "\nCouncil approves flood barrier for the old harbour\n\n" + LEAD + "\n\n" + paras
    a = parse_scrape(head + "Written by Jane Harbour on July 27, 2017\n\n" + SECOND + "\n", "lone")
    assert a.date.isoformat() == "2017-07-27"
    comments = "Anna 28. Juli 2017 um 13:39\n\nGreat article.\n\nBen 29. Juli 2017 um 14:04\n\nI agree.\n"
    b = parse_scrape(head + SECOND + "\n\n" + comments, "comments")
    assert b.date is None


def test_photo_captions_with_a_credit_are_chrome():
    from generator.readers.text import analyse

    captions = ["The mayor opens the barrier on Tuesday. (Jane Doe / Harbour Post)",
                "Workers repair the gate (Image: @HarbourPolice)", "The old harbour at dusk. AFP/Getty Images"]
    page = analyse("\n".join(captions) + "\n\nCouncil approves flood barrier for the old harbour\n\n" + LEAD + "\n")
    flags = dict(zip(page.units, page.chrome))
    assert all(flags[c] for c in captions) and not flags[LEAD]


def test_a_breadcrumb_ending_in_the_headline_is_not_the_title():
    """'Home » Travel » Headline' is made of pieces that are lines of the page: the headline is the line itself."""
    body = ("The harbour authority changed the winter ferry timetable on Monday, moving the first departure "
            "to half past six so that commuters reach the mainland before the schools open.\n\n"
            "Passengers had asked for the change for two years, the authority said in a statement that "
            "also promised a second boat on Fridays during the busiest weeks of the season.\n")
    text = ("Home\nTravel\nWeather\nSign in\n\nHome » Travel » Winter ferry timetable moves the first boat earlier\n"
            "Travel\nWinter ferry timetable moves the first boat earlier\n\n" + body)
    article = parse_scrape(text, "breadcrumb.txt")
    assert article.title == "Winter ferry timetable moves the first boat earlier"
    assert article.body_text.startswith("The harbour authority")


def test_a_read_more_insert_between_paragraphs_does_not_end_the_body():
    """'Read more:' with the article's prose right below it is a link box inside the article; a
    'Related articles' list of headlines after the last paragraph still ends it."""
    third = ("The harbour master said the new timetable would be reviewed in spring, after the first full "
             "winter of crossings, and that passengers could send their comments to the authority.")
    text = ("Council approves flood barrier for the old harbour\n\n" + LEAD + "\n\n"
            "Read more:\nWhy the ferry timetable changed\n\n" + SECOND + "\n\n" + third + "\n\n"
            "Related articles\nNew lighthouse keeper starts work\nFish market reopens after repairs\n"
            "Harbour festival draws record crowd\n")
    a = parse_scrape(text, "insert")
    assert [b.text for b in a.blocks] == [LEAD, SECOND, third]


def test_the_body_ends_where_the_comments_start():
    """'3 thoughts on “Headline”', a commenter's line with the comment's date under it ('joetoronto
    says:' / 'November 5, 2019 at 3:12 pm') or the author's box ('About the author', 'Über Moritz
    Bachmann') ends the body, though the comments or biography below are prose too. A
    'The mayor says:' before a quote in the article (no date under it) does not."""
    head = "Council approves flood barrier for the old harbour\n\n"
    comment = ("It is about time the council did something about the flooding, my cellar was full of water "
               "twice last winter and nobody came to help us.")
    for start in ("3 thoughts on “Council approves flood barrier for the old harbour”\n\njoetoronto\n\n",
                  "Ein Gedanke zu „Council approves flood barrier for the old harbour“\n\n",
                  "riverwatcher says:\nNovember 5, 2019 at 3:12 pm\n\n", "About the author\n\n", "Über Lena Hartmann\n\n"):
        a = parse_scrape(NAV + "\n" + head + LEAD + "\n\n" + SECOND + "\n\n" + start + comment + "\n", "comments")
        assert LEAD in a.body_text and SECOND in a.body_text
        assert "cellar" not in a.body_text, start
    quote = "The mayor says:\n\n" + comment + "\n\n"
    b = parse_scrape(NAV + "\n" + head + LEAD + "\n\n" + quote + SECOND + "\n", "quote")
    assert "cellar" in b.body_text and SECOND in b.body_text


def test_a_list_inside_the_text_is_kept_and_menus_around_it_are_not():
    """Of the units the body model took, short lines between two paragraphs (a list's items) stay in
    the body; the same kind of short line after the last sentence (a leftover menu) does not."""
    from generator.readers.text import _structure

    items = ["Sandbags for every house", "A new pump at the quay", "Two more wardens"]
    summary, blocks = _structure([LEAD, "The plan also provides:", *items, SECOND, "Print this page", "More harbour news"])
    texts = [b.text for b in blocks]
    assert summary is None
    assert texts == [LEAD, "The plan also provides:", *items, SECOND]


def test_the_headline_loses_the_marks_and_breadcrumb_before_it():
    """'[> Mara Lindqvist', '›Energie: …' and 'Home » Section • Brand » Headline' give the headline
    alone; a quotation in guillemets ('»Wir schaffen das«'), a bracketed kicker and a one-step path stay."""
    from generator.readers.text import _headline_text

    assert _headline_text("[> Mara Lindqvist") == "Mara Lindqvist"
    assert _headline_text("›Energie: Neue Regeln für Windparks beschlossen") == \
        "Energie: Neue Regeln für Windparks beschlossen"
    assert _headline_text("Home » Werkstatt • Marke • Partner » Neue Jacken für den Winter") == "Neue Jacken für den Winter"
    for kept in ("»Wir schaffen das« sagt die Kanzlerin", "[Windows Expertenwissen] Per Update spioniert Microsoft",
                 "Sport » Ferry race won by the harbour crew"):
        assert _headline_text(kept) == kept


def test_a_photo_credit_inside_the_text_does_not_end_it_and_the_footer_still_does():
    """A copyright line with the article's prose right under it ('© Ada Photo Agency: the quay at
    dawn') is a photo's credit inside the text, and the body goes on below it; one after the last
    paragraph ('© 2024 The Harbour Gazette', then links) ends the body as before."""
    head = "Council approves flood barrier for the old harbour\n\n"
    third = ("Work on the barrier is due to start next spring, and the harbour master expects the quay to "
             "stay open to fishing boats for most of the year while the crews are busy.")
    credit = "© Ada Photo Agency: the quay at dawn, seen from the old lighthouse\n\n"
    a = parse_scrape(NAV + "\n" + head + LEAD + "\n\n" + credit + SECOND + "\n\n" + third + "\n", "credit")
    assert LEAD in a.body_text and SECOND in a.body_text and third in a.body_text
    assert "Ada Photo Agency" not in a.body_text
    footer = ("© 2024 The Harbour Gazette\n\nTerms of use\nPrivacy\nContact us\n\n"
              "Our newsletter brings you the best stories of the week, every Friday morning, straight to your inbox.\n")
    b = parse_scrape(NAV + "\n" + head + LEAD + "\n\n" + SECOND + "\n\n" + footer, "footer")
    assert LEAD in b.body_text and SECOND in b.body_text
    assert "newsletter" not in b.body_text


def test_a_labelled_photo_caption_between_paragraphs_is_not_body():
    """'Photo caption: …' between two paragraphs is the picture's label, like 'Photo: …': the body's
    second pass (which lifts short lines between paragraphs) does not take it."""
    head = "Council approves flood barrier for the old harbour\n\n"
    caption = "Photo caption: Sandbags stacked along the quay before the storm"
    a = parse_scrape(NAV + "\n" + head + LEAD + "\n\n" + caption + "\n\n" + SECOND + "\n", "caption")
    assert LEAD in a.body_text and SECOND in a.body_text
    assert "Sandbags stacked" not in a.body_text
