"""Dates of page dumps: which printed dates are the page's dateline and which are not (our own texts)."""
from __future__ import annotations

from generator.readers.text import parse_scrape

NAV = "Home\nWorld\nPolitics\nBusiness\nSport\n"
HEAD = "Council approves flood barrier for the old harbour\n"
LEAD = ("The regional council approved the new flood barrier on Tuesday after a debate that lasted most of "
        "the night, officials said.")
SECOND = ("Work on the barrier is expected to start in the spring and to take two years, according to the "
          "engineering firm that won the contract.")
THIRD = ("Residents of the lower town had asked for the barrier since the storm of last winter flooded more "
         "than two hundred cellars along the quay.")


def test_a_deadline_under_the_headline_is_not_its_date():
    """'(bis 28.02.2021)', 'until 3 May 2021' bound a period: undated rather than the deadline's day."""
    for line in ("Applications open (bis 28.02.2021)", "Comments welcome until 3 May 2021"):
        a = parse_scrape(NAV + "\n" + HEAD + line + "\n\n" + LEAD + "\n\n" + SECOND + "\n", "deadline")
        assert a.title == HEAD.strip()
        assert a.date is None, line


def test_an_unlabelled_date_after_two_paragraphs_is_the_texts_own():
    """A short date line below two paragraphs of the article is an event's (with a comment's date further
    down, no lone dateline either): undated. A labelled one there still dates the page."""
    event = "Saturday, 14 March 2020 at the town hall\n\n"
    comment = "\n\nAnna 16. März 2020 um 13:39\n\nGreat article.\n"
    a = parse_scrape(NAV + "\n" + HEAD + "\n" + LEAD + "\n\n" + SECOND + "\n\n" + event + THIRD + comment, "event")
    assert a.date is None
    labelled = "Published: 14 March 2020\n\n"
    b = parse_scrape(NAV + "\n" + HEAD + "\n" + LEAD + "\n\n" + SECOND + "\n\n" + labelled + THIRD + "\n", "label")
    assert b.date.isoformat() == "2020-03-14"


def test_a_dateline_with_two_unlabelled_dates_gives_the_earlier():
    """'2018-08-29 14:15 2018-06-22 10:20' under the headline: updated, then published; the page's day
    is the earlier one."""
    line = "2018-08-29 14:15:57 2018-06-22 10:20:00\n\n"
    a = parse_scrape(NAV + "\n" + HEAD + line + LEAD + "\n\n" + SECOND + "\n", "two")
    assert a.date.isoformat() == "2018-06-22"


def test_a_period_under_the_headline_is_not_its_date():
    """'28.01.2022 – 29.01.2022', '3 May 2021 to 5 May 2021' are an event's two ends, not the page's day:
    undated rather than the period's first day. A single dateline there still dates the page."""
    for line in ("Spieltag +++ 28.01.2022 – 29.01.2022", "Festival, 3 May 2021 to 5 May 2021"):
        a = parse_scrape(NAV + "\n" + HEAD + line + "\n\n" + LEAD + "\n\n" + SECOND + "\n", "period")
        assert a.title == HEAD.strip()
        assert a.date is None, line
    b = parse_scrape(NAV + "\n" + HEAD + "28.01.2022 – Anna Weber\n\n" + LEAD + "\n\n" + SECOND + "\n", "one")
    assert b.date.isoformat() == "2022-01-28"


def test_a_list_of_dates_that_runs_past_the_window_is_a_list():
    """Two issue dates at the bottom of the window under the headline and more below it are an archive
    list, not the page's dateline: undated rather than the first issue's day."""
    fillers = "".join(f"Harbour note {w}\n\n" for w in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"))
    issues = "".join(f"Issue {n}, {d} 2020\n\n" for n, d in ((70, "9 October"), (69, "18 September"), (68, "4 September"),
                                                              (67, "21 August")))
    a = parse_scrape(NAV + "\n" + HEAD + "\n" + LEAD + "\n\n" + fillers + issues + SECOND + "\n\n" + THIRD + "\n", "list")
    assert a.title == HEAD.strip()
    assert a.date is None


def test_a_byline_date_is_no_list_with_a_related_list_far_below():
    """A byline's date under the headline, a dozen lines of share buttons, then a related-articles list in
    the same 'author date' form: the list starts too far from the byline to make it one of its entries,
    so the byline dates the page (a list that runs on from the window's edge is still a list, above)."""
    byline = "Anna Weber 22 February 2020\n\n"
    chrome = "".join(f"{w}\n\n" for w in ("Share", "Print", "Mail", "Save", "Follow", "Comment", "Listen", "Translate",
                                          "Subscribe", "Newsletter", "Podcast", "Archive"))
    related = "".join(f"Anna Weber {d} 2020\n\nAnother story from the harbour, part {n}\n\n"
                      for n, d in ((1, "3 February"), (2, "27 January"), (3, "14 January"), (4, "9 January")))
    a = parse_scrape(NAV + "\n" + HEAD + byline + chrome + related + LEAD + "\n\n" + SECOND + "\n\n" + THIRD + "\n", "byline")
    assert a.title == HEAD.strip()
    assert a.date.isoformat() == "2020-02-22"


def test_an_update_stamp_later_than_the_years_the_headline_names_is_not_its_date():
    """'Updated: 4 March 2021' under 'The ten best harbour walks of 2019' is a revision of an older
    article whose day is not printed: undated rather than wrong. Under a headline naming no year or
    that year the update stamp still dates the page (it is all the page prints)."""
    stamp = "Updated: 4 March 2021\n\n"
    for head, expected in (("The ten best harbour walks of 2019\n", None),
                           ("The ten best harbour walks of the year\n", "2021-03-04"),
                           ("The ten best harbour walks of 2021\n", "2021-03-04")):
        a = parse_scrape(NAV + "\n" + head + stamp + LEAD + "\n\n" + SECOND + "\n\n" + THIRD + "\n", "update")
        assert a.title == head.strip()
        assert (a.date.isoformat() if a.date else None) == expected, head


def test_a_blog_entry_note_under_the_article_dates_it():
    """'This entry was posted in Harbour, Council and tagged flood on 3 May 2021.' below the article
    (a blog theme's note on the entry, too many words before its date for a dateline) gives the
    entry's day, in English and German."""
    for note, expected in (("This entry was posted in Harbour, Council and tagged flood barrier on 3 May 2021 by Anna.",
                            "2021-05-03"),
                           ("Dieser Eintrag wurde veröffentlicht in Hafen, Rat und getaggt mit Hochwasser am 4. Mai 2021.",
                            "2021-05-04")):
        a = parse_scrape(NAV + "\n" + HEAD + "\n" + LEAD + "\n\n" + SECOND + "\n\n" + THIRD + "\n\n" + note + "\n", "entry")
        assert a.title == HEAD.strip()
        assert (a.date.isoformat() if a.date else None) == expected, note


def test_a_dateline_several_lines_above_the_headline_dates_it():
    """'12 March 2024' over a row of eight share and section buttons and then the headline: still the
    page's dateline (pages print the date, then tools, then the headline)."""
    tools = "".join(f"{w}\n\n" for w in ("Share", "Print", "Mail", "Save", "Follow", "Comment", "Listen", "Translate"))
    a = parse_scrape(NAV + "\n12 March 2024\n\n" + tools + HEAD + "\n" + LEAD + "\n\n" + SECOND + "\n\n" + THIRD + "\n", "above")
    assert a.title == HEAD.strip()
    assert a.date.isoformat() == "2024-03-12"


def test_parse_date_remembers_answers_per_day():
    """A date text's answer is remembered with the day it was given on: the plausibility limit
    (at most two days ahead) moves with the day, so the same text may be a date tomorrow."""
    import importlib
    from datetime import date

    dates = importlib.import_module("generator.enrich.dates")  # (the package's `dates` is an enricher)
    assert dates._parse_date("12 March 2030", date(2030, 3, 20)) == date(2030, 3, 12)
    assert dates._parse_date("12 March 2030", date(2024, 1, 1)) is None
    assert dates.parse_date("  14 March 2024 ") == dates.parse_date("14 March 2024") == date(2024, 3, 14)
    assert dates.parse_date("no date here") is None


def test_a_dateline_glued_to_its_label_or_its_twin_is_read():
    """A dump glues what markup set apart: WordPress's published and updated days side by side
    ('22. Dezember 201922. Dezember 2019'), a label and the day ('Posted on28. Juli 2019'), a year and
    the next word ('November 5, 2023By Anna Weber'). Each still dates the page."""
    for line, expected in (("22. Dezember 201922. Dezember 2019 von Anna Weber", "2019-12-22"),
                           ("Posted on28. Juli 201929. Juli 2019AuthorAnna Weber4 Kommentare", "2019-07-28"),
                           ("19.11.202119.11.2021", "2021-11-19"),
                           ("November 5, 2023By Anna Weber", "2023-11-05")):
        a = parse_scrape(NAV + "\n" + HEAD + line + "\n\n" + LEAD + "\n\n" + SECOND + "\n", "glued")
        assert a.title == HEAD.strip()
        assert (a.date.isoformat() if a.date else None) == expected, line


def test_an_entry_note_with_a_dotted_date_dates_the_page():
    """'Dieser Artikel wurde am 14. Dezember 2015 um 14:48 von Heiner geschrieben': the full stop of
    the German day does not end the note's sentence."""
    note = "Dieser Artikel wurde am 14. Dezember 2015 um 14:48 von Heiner geschrieben und unter Hafen abgelegt."
    a = parse_scrape(NAV + "\n" + HEAD + "\n" + LEAD + "\n\n" + SECOND + "\n\n" + THIRD + "\n\n" + note + "\n", "note")
    assert a.date.isoformat() == "2015-12-14"


def test_the_dateline_under_another_copy_of_the_headline_dates_the_page():
    """The headline in a teaser at the top with nothing dated near it, and again over the article with
    its byline and date: the copy's dateline is the page's (the copy is further below than a lone
    dateline is looked for). A copy in a list of dated teasers (a date under it and other days below)
    is not used: undated rather than the next teaser's day."""
    from generator.readers.text import analyse
    from generator.readers.text_dates import page_date

    teaser = HEAD + "By Anna Weber\n\n" + LEAD + "\n\n"
    fillers = "".join(f"Harbour note number {n}\n\n" for n in range(45))
    article = HEAD + "By Anna Weber\n\nNovember 5, 2023\n\n" + LEAD + "\n\n" + SECOND + "\n\n" + THIRD + "\n"
    page = analyse(NAV + "\n" + teaser + fillers + article)
    first = page.units.index(HEAD.strip())
    assert page_date(page, first).isoformat() == "2023-11-05"
    listed = "".join(f"{h}\n{d} 2023\n\n" for h, d in ((HEAD.strip(), "5 November"), ("Ferry timetable changes", "4 November"),
                                                       ("Harbour fair opens", "3 November")))
    page = analyse(NAV + "\n" + teaser + SECOND + "\n\n" + THIRD + "\n\n" + fillers + listed)
    assert page_date(page, page.units.index(HEAD.strip())) is None


def test_two_digit_years_and_slash_dates_are_read_in_the_pages_order():
    """'19.10.19, 11:29 Uhr' and 'Publié le 02/11/2023' under the headline of a page in German or
    French: day first. On an English page an ambiguous '11.03.17' or '9/11/13' is unsure (Engadget
    writes 3 November so): undated, unless the page's other dates show the order ('... filed on 25/12/2016 ...')."""
    de = ("Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Hochwasserschutz für den alten "
          "Hafen beschlossen, sagten die Verantwortlichen der Stadt.")
    fr = ("Le conseil municipal a approuvé mardi la nouvelle digue pour le vieux port après un débat qui a "
          "duré presque toute la nuit, selon les responsables de la ville.")
    for body, line, expected in ((de, "Von Anna Weber\n19.10.19, 11:29 Uhr", "2019-10-19"),
                                 (fr, "Par Anna Weber\nPublié le 02/11/2023 à 15h57", "2023-11-02"),
                                 (LEAD, "11.03.17 in Gadgetry", None),
                                 (LEAD, "9/11/13 10:00AM", None),
                                 (LEAD + " The plans were first filed on 25/12/2016 by the harbour board.", "9/11/13 10:00AM",
                                  "2013-11-09")):
        a = parse_scrape(NAV + "\n" + HEAD + line + "\n\n" + body + "\n\n" + body + "\n", "order")
        assert a.title == HEAD.strip()
        assert (a.date.isoformat() if a.date else None) == expected, line


def test_the_dateline_above_the_first_paragraph_dates_a_page_whose_headline_is_far_above():
    """A headline picked far above the article (a teaser), nothing dated near it: the dateline right
    above the article's first paragraph dates the page, unless the headline names only earlier years
    ('The best harbour walks of 2019' with a 2021 date under it: undated)."""
    from generator.readers.text import analyse
    from generator.readers.text_dates import body_date

    fillers = "".join(f"Harbour note number {n}\n\n" for n in range(15))
    for head, expected in ((HEAD, "2021-03-04"), ("The best harbour walks of 2019\n", None)):
        page = analyse(NAV + "\n" + head + "\n" + fillers + "By Anna Weber\n\n4 March 2021\n\n" + LEAD + "\n\n"
                       + SECOND + "\n\n" + THIRD + "\n")
        title_at, first = page.units.index(head.strip()), page.units.index(LEAD)
        day = body_date(page, title_at, first)
        assert (day.isoformat() if day else None) == expected, head
        assert body_date(page, title_at, title_at + 2) is None  # the paragraph right under the headline: no second look


def test_a_month_name_with_a_two_digit_year_dates_the_page():
    """'Publié le 27 Mar 20 à 9:21' and 'Datum: 03.Mär.19' under the headline; '5 May 20 people' is no date."""
    for line, expected in (("Publié le 27 Mar 20 à 9:21", "2020-03-27"), ("Datum: 03.Mär.19", "2019-03-03"),
                           ("5 May 20 people came to the quay", None)):
        a = parse_scrape(NAV + "\n" + HEAD + line + "\n\n" + LEAD + "\n\n" + SECOND + "\n", "short")
        assert a.title == HEAD.strip()
        assert (a.date.isoformat() if a.date else None) == expected, line


def test_a_label_word_inside_another_word_labels_nothing():
    """Among a list of dates only a labelled one is taken. 'Vorstandssitzung vom 5.8.2019' holds 'stand'
    and 'Last update on:' holds 'date', but neither is a 'Stand:' or 'Date:' label: undated. A real label
    ('Published: Tuesday, 19 November 2019', the weekday between) is taken from such a list."""
    items = "Vorstandssitzung vom 5.8.2019\n\nMeeting notes 14.09.2019\n\nMeeting notes 2.10.2019\n\n"
    for line, expected in (("Minutes of the Vorstandssitzung vom 5.8.2019", None),
                           ("Last update on: 5 August 2019", None),
                           ("Published: Tuesday, 19 November 2019", "2019-11-19")):
        a = parse_scrape(NAV + "\n" + HEAD + line + "\n\n" + items + LEAD + "\n\n" + SECOND + "\n", "label")
        assert a.title == HEAD.strip()
        assert (a.date.isoformat() if a.date else None) == expected, line


def test_a_span_of_days_is_not_the_pages_date():
    """'Open days 11-12 May 2021' and 'Results 2021/5/11-12' under the headline are a period of two days,
    not a dateline: undated. A time after the day ('2021/5/11 - 14:30') is no span."""
    for line, expected in (("Open days 11-12 May 2021", None), ("Results 2021/5/11-12", None),
                           ("2021/5/11 - 14:30", "2021-05-11")):
        a = parse_scrape(NAV + "\n" + HEAD + line + "\n\n" + LEAD + "\n\n" + SECOND + "\n", "span")
        assert a.title == HEAD.strip()
        assert (a.date.isoformat() if a.date else None) == expected, line


def test_a_paragraph_that_opens_with_its_dateline_and_names_a_web_address_is_dated():
    """'Harbourtown, (12.11.2021). The council ...' under the headline dates the page though the paragraph
    names www.harbour.example further on; a date inside a web address is still no dateline."""
    para = ("Harbourtown, (12.11.2021). The regional council approved the new flood barrier after a long debate; "
            "the plans can be read at www.harbour.example until the end of the month, officials said.")
    a = parse_scrape(NAV + "\n" + HEAD + "\n" + para + "\n\n" + SECOND + "\n\n" + THIRD + "\n", "linked")
    assert a.title == HEAD.strip()
    assert a.date.isoformat() == "2021-11-12"
    link = "www.harbour.example/2021/11/12/barrier\n\n"
    b = parse_scrape(NAV + "\n" + HEAD + "\n" + link + LEAD + "\n\n" + SECOND + "\n\n" + THIRD + "\n", "link")
    assert b.date is None


def test_a_day_printed_twice_side_by_side_is_a_dateline():
    """A blog prints its published and updated stamps glued ('20 janvier 202020 janvier 2020') after an
    author and a category too long for a dateline's few words: the twin marks it as one. One such date
    after as many words is a sentence's: undated."""
    for line, expected in (("Anna Weber Harbour news from the quay 20 janvier 202020 janvier 2020flood, barrier 0 Comment", "2020-01-20"),
                           ("Anna Weber Harbour news from the quay 20 janvier 2020 flood, barrier 0 Comment", None)):
        a = parse_scrape(NAV + "\n" + HEAD + line + "\n\n" + LEAD + "\n\n" + SECOND + "\n", "twin")
        assert a.title == HEAD.strip()
        assert (a.date.isoformat() if a.date else None) == expected, line


TEASER = "Ferry timetable changes for the winter season\n"
TEASER2 = "New mayor promises a cleaner market square\n"


def test_a_teasers_date_under_a_related_line_or_a_comment_is_not_the_pages():
    """The page prints no dateline of its own; what is dated is a teaser under 'Related articles' (right
    under the headline, or under a short article whose body model starts below it) or a comment under the
    article ('Anna says:' with its date): undated."""
    related = "Related articles\n\n" + TEASER + "3 May 2021\n\n" + TEASER2 + "4 May 2021\n\n"
    pages = {"under the article": NAV + HEAD + "\n" + LEAD + "\n\n" + related + SECOND + "\n",
             "under the headline": NAV + HEAD + "\nRelated articles\n" + TEASER + "3 May 2021\n\n" + LEAD + "\n\n" + SECOND
             + "\n\n" + THIRD + "\n",
             "a comment": NAV + HEAD + "\n" + LEAD + "\n\n" + SECOND + "\n\n" + THIRD + "\n\nAnna says:\n\n12 March 2024 at 10:15"
             "\n\nA fine piece on the harbour.\n"}
    for name, text in pages.items():
        a = parse_scrape(text, name)
        assert a.title == HEAD.strip(), name
        assert a.date is None, name


def test_a_copyright_date_is_not_the_pages():
    """'© 12.03.2024 Harbour Times' in the footer is no dateline; a photo credit's '© Press Agency' in
    another part of the dateline ('© Press Agency | 07.11.2023 08:03') leaves the date read."""
    a = parse_scrape(NAV + HEAD + "\n" + LEAD + "\n\n" + SECOND + "\n\n© 12.03.2024 Harbour Times\n", "copyright")
    assert a.title == HEAD.strip()
    assert a.date is None
    b = parse_scrape(NAV + HEAD + "© Press Agency | 07.11.2023 08:03\n\n" + LEAD + "\n\n" + SECOND + "\n", "credit")
    assert b.date.isoformat() == "2023-11-07"


def test_no_date_from_above_a_comment():
    """The dateline above the first paragraph (body_date) is not looked for past the comment section's
    start: the 'paragraph' is a comment and the date over it the comment's."""
    from generator.readers.text import analyse
    from generator.readers.text_dates import body_date

    units = [HEAD.strip(), "Share", "Print", "Tweet", "Ein Gedanke zu „Council approves flood barrier“",
             "May 3, 2021", LEAD]
    page = analyse("\n\n".join(units) + "\n")
    assert body_date(page, 0, len(units) - 1) is None
    page = analyse("\n\n".join(units[:4] + units[5:]) + "\n")
    assert body_date(page, 0, len(units) - 2).isoformat() == "2021-05-03"
