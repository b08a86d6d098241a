"""mkdocs.yml values the theme writes into every page as they are: checked before the build.

`site_url: 'https://x/"><script>alert(1)</script>'` passed MkDocs' own check (a scheme and a host)
and Material printed it unescaped in every page's canonical link: a script on all 272 pages of the
demo. A site_url (from mkdocs.yml or SITE_URL) must be a plain http(s) address: a host and a path
of URL-safe characters, nothing a page, a feed or a sitemap would have to escape. Material prints
site_name (a logo's aria-label), site_description and site_author (meta tags) unescaped too: a
quote or an angle bracket in them is refused the same way, and so are nav titles and links.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

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


# Characters that print as nothing: a name of them alone is an empty name.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

# Text values Material writes into HTML attributes without escaping them.
TEXT_KEYS = ("site_name", "site_description", "site_author")
MARKUP = re.compile(r'["<>]')


def problem(config: Mapping[str, object]) -> str | None:
    """The first mkdocs.yml value the theme would print as markup, in one line; None when all are plain."""
    if url_problem := site_url_problem(config.get("site_url")):
        return url_problem
    if not str(config.get("site_name") or "").translate(INVISIBLE).strip():
        return ("site_name (mkdocs.yml) is empty: every page's header and tab title, the feeds and the link "
                "cards would carry no name; give the archive's name, e.g. site_name: Conflict News Archive")
    for key in TEXT_KEYS:
        value = config.get(key)
        if isinstance(value, str) and (found := MARKUP.search(value)):
            return (f"{key} {value!r} (mkdocs.yml) holds {found.group()!r}, which the theme writes into every page "
                    f"as markup: write quotes as \u201c \u201d and leave out < and >")
    return next(nav_problems(config.get("nav")), None) or next(theme_problems(config), None)


NAV_LINK = re.compile(r"(?:https?://|mailto:)[^\s\"<>`]*|[^:\"<>`]*", re.IGNORECASE)  # a page's path may hold spaces


def nav_problems(nav: object, where: str = "nav") -> Iterator[str]:
    """Nav titles and links Material writes into every page's tabs and menu unescaped: a title with
    `<img onerror=…>`, a link `javascript:…` or `https://x/" onmouseover="…` ran on every page."""
    for i, item in enumerate(nav if isinstance(nav, list) else ()):
        title, value = next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (None, item)
        here = f"{where}[{i}]"
        if isinstance(title, str) and (found := MARKUP.search(title)):
            yield (f"mkdocs.yml: {here}: the title {title!r} holds {found.group()!r}, which the theme writes into "
                   f"every page as markup: write quotes as \u201c \u201d and leave out < and >")
        if isinstance(value, list):
            yield from nav_problems(value, f"{here}.{title}" if title else here)
        elif isinstance(value, str) and not NAV_LINK.fullmatch(value):
            yield (f"mkdocs.yml: {here}: the link {value!r} is neither a page of the site nor a plain http(s) or "
                   f"mailto: address (no double quotes, spaces or angle brackets): the theme writes it into every page")


# Theme settings that make every page fetch from another host when a reader opens it (Material's
# Google Fonts, its GitHub facts for repo_url, Google Analytics); the site must work offline.
REMOTE_SETTINGS = (("font", "theme.font: Material then loads Google Fonts from fonts.googleapis.com (set font: false)"),
                   ("repo_url", "repo_url: Material then fetches the repository's facts from api.github.com on every "
                                "page (link the repository from a page instead)"),
                   ("analytics", "extra.analytics: every page then loads the analytics provider's script"))


def _remote(url: object) -> bool:
    text = str(getattr(url, "path", url) or "").strip()
    return text.startswith("//") or bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text))


def remote_loads(config: Mapping[str, object]) -> list[str]:
    """One line per mkdocs.yml setting that makes the pages load something from another host when
    read. `extra_javascript: [https://cdn…/tracker.js]`, a remote logo or favicon, or Material's
    default font built strictly without a word (only `archive linkcheck` saw the first ones)."""
    theme = config.get("theme")
    problems = [f"mkdocs.yml: {key}: {value!r} is loaded from another host by every page: the site must fetch "
                f"nothing from elsewhere; put the file in theme_overrides/ and name it by its path"
                for key in ("extra_css", "extra_javascript") for value in (config.get(key) or ()) if _remote(value)]
    problems += [f"mkdocs.yml: theme.{key}: {theme[key]!r} is loaded from another host by every page: put the file "
                 f"in theme_overrides/ and name it by its path"
                 for key in ("logo", "favicon") if theme is not None and key in theme and _remote(theme[key])]
    extra = config.get("extra") or {}
    present = {"font": theme is not None and "font" in theme and theme["font"] is not False,
               "repo_url": bool(config.get("repo_url")), "analytics": bool(extra.get("analytics"))}
    problems += [f"mkdocs.yml: {why}" for key, why in REMOTE_SETTINGS if present[key]]
    return problems


# Material documents these as HTML: the owner writes markup there on purpose.
HTML_BY_DESIGN = {"extra.consent.description"}
UNSAFE_SCHEME = re.compile(r"\s*(?:javascript|data|vbscript):", re.IGNORECASE)


def _strings(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}[{i}]")


def theme_problems(config: Mapping[str, object]) -> Iterator[str]:
    """Theme options and `extra` values Material writes into pages unescaped: `palette: {primary:
    'blue"><script>…'}` (an attribute of every page's body), `extra.homepage: javascript:…` (the
    logo's link), `extra.social[0].link: javascript:…` ran on every page."""
    theme = config.get("theme")
    options = {f"theme.{key}": theme[key] for key in theme} if theme is not None else {}
    options["extra"] = config.get("extra") or {}
    for where, text in (pair for key, value in options.items() for pair in _strings(value, key)):
        if where in HTML_BY_DESIGN:
            continue
        if found := MARKUP.search(text):
            yield (f"mkdocs.yml: {where}: {text!r} holds {found.group()!r}, which the theme writes into every page "
                   f"as markup: leave out quotes and angle brackets")
        elif UNSAFE_SCHEME.match(text):
            yield f"mkdocs.yml: {where}: {text!r} is a script or data link the theme would put in every page"
        elif ICON.fullmatch(where) and not _icon_exists(text, getattr(theme, "dirs", ())):
            yield (f"mkdocs.yml: {where}: {text!r} is not an icon the theme has (.icons/{text}.svg in "
                   f"theme_overrides/ or Material's icons, e.g. fontawesome/brands/github)")


# The settings Material includes as `.icons/<value>.svg` in every page: a typo in one
# (`fontawesome/brands/githb`) was a traceback (TemplateNotFound) from the first page rendered.
ICON = re.compile(r"theme\.icon(?:\.[^.\[]+)+|extra\.social\[\d+\]\.icon")


def _icon_exists(name: str, dirs: Iterable[str]) -> bool:
    """Whether `name` is an icon of the theme's folders (custom_dir first, then Material's)."""
    return ".." not in name.split("/") and any((Path(d) / ".icons" / f"{name}.svg").is_file() for d in dirs)
