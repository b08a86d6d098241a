"""A page dump prints its site's notices to the reader (JavaScript off, a browser too old, a cookie
banner's heading, a login or password form's hints, a search box's label and help) as sentences of
their own. They are chrome: never the headline, never the body. Articles about passwords, browsers or
searches keep their headlines. Also the account state, consent forms and the print edition's link
(round 34). (Our own wording, in the languages of the page dumps.)"""
from __future__ import annotations

import pytest

from generator.readers.text import analyse, chrome_rules, is_notice, parse_scrape


def chrome(line: str) -> bool:
    rules = chrome_rules()
    return bool(rules.drop.fullmatch(line)) or is_notice(line, rules)

NOTICES = [
    "Without JavaScript this site may not work as it should.",
    "Ohne JavaScript funktioniert diese Seite leider nicht richtig.",
    "Bitte aktivieren Sie JavaScript in Ihrem Browser.",
    "Dieser Browser wird leider nicht mehr unterstützt.",
    "Your browser is no longer supported, please switch.",
    "Installieren Sie einen neueren Browser für ein besseres Erlebnis.",
    "Cookies auf der Website des Hafenblatts",
    "Das Passwort muss mindestens acht Zeichen enthalten.",
    "Your new password will be sent to you by e-mail.",
    "Forgot your password? Reset it here",
    "Welcome! Log into your account",
    "Search for: Search",
    "Suche nach: Suchbegriff",
    "Drücken Sie Enter, um die Suche zu starten, oder Esc, um sie zu schließen.",
    "Hinterlasse einen Kommentar",
    "Schreibe eine Antwort",
    "Damit die Seite richtig angezeigt wird, nutze bitte einen dieser Browser:",
    "Wie wir Cookies verwenden",
    "Notwendige und Marketing-Cookies",
    "Necessary cookies",
    "Start Kontakt AGB Datenschutzerklärung Impressum",
]
HEADLINES = [
    "Millions of passwords found in a leaked harbour database",
    "Why your password alone no longer protects the port's accounts",
    "The harbour office moves its forms to a browser app",
    "JavaScript course for pensioners fills up in a day",
    "Search for the missing trawler is called off",
    "Cookies on the menu at the lighthouse fair",
    "Search: divers find the missing trawler off the point",
    "Divers enter the search for the missing trawler",
    "How the harbour bakery makes its cookies",
]

# Round 34: the site's account state ("you were logged in"), its consent forms ("by signing up you
# agree to our privacy policy") and its print edition's link ("Today's Paper"), picked as headlines on
# unseen sites; articles and headlines that use the same words keep them.
ACCOUNT_NOTICES = [
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
ACCOUNT_HEADLINES = [
    "Harbour board logged in record catches this spring",
    "Ferry company accepts new terms after a week of talks",
    "Unions agree to the port's terms as the strike ends",
    "Today's paper mill closes after ninety years",
    "Fishermen signed in protest against the new quotas",
]
ACCOUNT_PROSE = [
    "The pilots said they had logged in every crossing since March and saw no change in the tides.",
    "Those who never agreed to the ferry company's terms of service were tracked as well, the report found.",
    "The council accepted the privacy watchdog's terms on Friday after a long debate in the town hall.",
    # a quote or a remark that accepts terms or conditions of something else than a site's form
    "\"I accept the conditions of the truce,\" the harbour master told the fishermen.",
    "The mayor said her silence constitutes acceptance of the plan for the old pier.",
]


@pytest.mark.parametrize("line", NOTICES + ACCOUNT_NOTICES)
def test_notice_is_chrome(line: str):
    assert chrome(line), line
    assert analyse(f"{line}\n\nSome words about the port here today.").chrome[0]


@pytest.mark.parametrize("line", HEADLINES + ACCOUNT_HEADLINES)
def test_headline_on_the_same_subjects_is_not_chrome(line: str):
    assert not chrome(line), line


# Paragraphs of articles that use a notice's words: the article's text, not chrome. (A rule for a
# search box's "press Enter ... Esc" once dropped any line where "return" came before "escape".)
PROSE = [
    "Families who return to the valley try to escape the floods again, the relief workers said.",
    "The harbour office said its booking app needs JavaScript and was not working in the villages, "
    "where most fishermen use old phones, and it promised a paper form by spring.",
    "Investigators said the intruders used an outdated browser plugin that is no longer supported by "
    "its maker, and that the harbour board had been warned about it twice last year, long before the "
    "accounts of the ferry company, the fish market and the pilots' association were emptied in one "
    "night; the board has since replaced every computer in the office and hired an adviser.",
]


@pytest.mark.parametrize("line", PROSE + ACCOUNT_PROSE)
def test_prose_on_the_same_subjects_is_not_chrome(line: str):
    assert not chrome(line), line


ARTICLE = (
    "The new ferry pier opens to passengers on Monday morning",
    "Work on the pier took two years and cost the harbour board more than it had planned at first.",
    "Passengers will board from the eastern side, where the old fish market used to stand for decades.",
    "The board said the timetable stays the same for the summer and that fares will not go up this year.",
)


@pytest.mark.parametrize("notice", ["Ohne JavaScript funktioniert diese Seite leider nicht richtig.",
                                    "Dieser Browser wird leider nicht mehr unterstützt.",
                                    "Your new password will be sent to you by e-mail.",
                                    "Du wurdest erfolgreich angemeldet.",
                                    "By signing up you agree to our Privacy Policy and Terms of Use."])
def test_notice_under_the_headline_is_not_the_article_s_text(notice: str):
    """A notice between the headline and the text is a sentence with prose around it: the old rules
    kept it as the article's first paragraph."""
    page = "\n\n".join(["Menu", ARTICLE[0], notice, *ARTICLE[1:], "Back to top"])
    article = parse_scrape(page, "notice.txt")
    assert article.title == ARTICLE[0]
    assert notice not in article.body_text and notice != article.summary
    assert article.body_text.startswith(ARTICLE[1])
