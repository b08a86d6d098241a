"""A page dump also prints the site's account state ("you were logged in"), its consent forms ("by
signing up you agree to our privacy policy") and its print edition's link ("Today's Paper") as lines of
their own; on sites the model never saw they were picked as headlines (round 34). They are chrome.
Articles and headlines that use the same words keep them. (Our own wording.)"""
from __future__ import annotations

import pytest

from generator.readers.text import analyse, chrome_rules, is_notice, parse_scrape


def chrome(line: str) -> bool:
    rules = chrome_rules()
    return bool(rules.drop.fullmatch(line)) or is_notice(line, rules)


NOTICES = [
    "Du wurdest erfolgreich angemeldet.",
    "Sie sind aktuell nicht eingeloggt.",
    "You must be logged in to post a reply.",
    "You were signed out of the harbour forum.",
    "Not logged in",
    "Stay signed in",
    "Angemeldet bleiben",
    "Bitte akzeptiere die Datenschutzbestimmungen.",
    "By signing up you agree to our Privacy Policy and Terms of Use.",
    "Mit dem Absenden akzeptieren Sie unsere Datenschutzerklärung.",
    "Ich habe die Datenschutzerklärung gelesen und akzeptiere sie.",
    "En vous inscrivant, vous acceptez nos conditions d'utilisation.",
    "Use of this site constitutes acceptance of our user agreement.",
    "Today's Paper",
    "E-Paper lesen",
    "Aktuelle Ausgabe",
]
HEADLINES = [
    "Harbour board logged in record catches this spring",
    "Ferry company accepts new terms after a week of talks",
    "Unions agree to the port's terms as the strike ends",
    "Today's paper mill closes after ninety years",
    "Fishermen signed in protest against the new quotas",
]
PROSE = [
    "The pilots said they had logged in every crossing since March and saw no change in the tides.",
    "Those who never agreed to the ferry company's terms of service were tracked as well, the report found.",
    "The council accepted the privacy watchdog's terms on Friday after a long debate in the town hall.",
]


@pytest.mark.parametrize("line", NOTICES)
def test_account_and_consent_notices_are_chrome(line: str):
    assert chrome(line), line
    assert analyse(f"{line}\n\nSome words about the port here today.").chrome[0]


@pytest.mark.parametrize("line", HEADLINES + PROSE)
def test_headlines_and_prose_with_the_same_words_are_not_chrome(line: str):
    assert not chrome(line), line


@pytest.mark.parametrize("notice", ["Du wurdest erfolgreich angemeldet.",
                                    "By signing up you agree to our Privacy Policy and Terms of Use."])
def test_a_notice_under_the_headline_is_not_the_article_s_text(notice: str):
    """A sentence between the headline and the text, with prose around it: kept as the article's
    first paragraph by the old rules."""
    page = "\n\n".join([
        "Harbour Gazette", "Ferry pier opens to passengers after two years of building", notice,
        "Work on the pier took two years and cost the harbour board more than it had planned at first.",
        "Passengers will board from the eastern side, where the old fish market used to stand for decades.",
        "The board said the timetable stays the same for the summer and that fares will not go up this year.",
    ])
    article = parse_scrape(page, "notice.txt")
    assert article.title == "Ferry pier opens to passengers after two years of building"
    assert notice not in article.body_text and notice != article.summary
