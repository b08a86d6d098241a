"""mkdocs.yml values the theme writes into every page as they are: checked before the build.

`site_url: 'https://x/"><script>alert(1)</script>'` passed MkDocs' own check (a scheme and a host)
and Material printed it unescaped in every page's canonical link: a script on all 272 pages of the
demo. A site_url (from mkdocs.yml or SITE_URL) must be a plain http(s) address: a host and a path
of URL-safe characters, nothing a page, a feed or a sitemap would have to escape. Material prints
site_name (a logo's aria-label), site_description and site_author (meta tags) unescaped too: a
quote or an angle bracket in them is refused the same way.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

# scheme, host (a name, an IPv4 address or a bracketed IPv6 one), an optional port, a path of
# unreserved characters and percent-escapes; no user, query or fragment.
PLAIN_URL = re.compile(r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?"
                       r"(?:/(?:[A-Za-z0-9._~/+-]|%[0-9A-Fa-f]{2})*)?", re.ASCII)


def site_url_problem(url: str | None) -> str | None:
    """One line saying why `url` is not a site_url the archive writes into its pages, or None."""
    if not url or PLAIN_URL.fullmatch(url):
        return None
    return (f"site_url {url!r} (mkdocs.yml, or the SITE_URL environment variable) is not a plain http(s) "
            f"address such as 'https://news.example.org/archive/': every page, feed and the sitemap would "
            f"carry it as it is; give a host and a path of letters, digits and - . _ ~ / + %-escapes only")


# Text values Material writes into HTML attributes without escaping them.
TEXT_KEYS = ("site_name", "site_description", "site_author")
MARKUP = re.compile(r'["<>]')


def problem(config: Mapping[str, object]) -> str | None:
    """The first mkdocs.yml value the theme would print as markup, in one line; None when all are plain."""
    if url_problem := site_url_problem(config.get("site_url")):
        return url_problem
    for key in TEXT_KEYS:
        value = config.get(key)
        if isinstance(value, str) and (found := MARKUP.search(value)):
            return (f"{key} {value!r} (mkdocs.yml) holds {found.group()!r}, which the theme writes into every page "
                    f"as markup: write quotes as \u201c \u201d and leave out < and >")
    return None
