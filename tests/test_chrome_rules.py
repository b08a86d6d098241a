"""Every chrome rule of generator/data/chrome.yml matches in linear time: a long adversarial line
(the A-Z index line that once made the one-line-menu rule backtrack exponentially, separators, words)
is matched well inside a generous bound."""
from __future__ import annotations

import re
import time

import pytest
import yaml

from generator.readers.text import DATA

RULES = yaml.safe_load((DATA / "chrome.yml").read_text(encoding="utf-8"))
PATTERNS = [(kind, p) for kind in ("drop_lines", "stop_lines", "date_lines", "byline_lines", "notice_lines") for p in RULES[kind]]
PATTERNS += [("copyright_line", RULES["copyright_line"]), ("date_words", RULES["date_words"])]
INDEX = " | ".join(["1", "9"] + [chr(c) for c in range(ord("A"), ord("Z") + 1)])
ADVERSARIAL = [
    (INDEX + " | ") * 60 + "§",
    ("Home " * 5 + "· ") * 190 + "§",
    "home > " + "a " * 2500 + "§",
    ("privacy policy " * 340) + "§",
    ("share on facebook " * 280) + "§",
    ("by Anna Weber, " * 330) + "§",
    ("published 12 March 2024 " * 210) + "§",
    ("a" * 24 + " | ") * 190 + "§",
    ("word " * 1000) + "§",
]
BOUND = 1.0  # seconds for a 5,000-character line: linear matching takes milliseconds


def test_adversarial_lines_are_long():
    assert all(len(line) >= 4900 for line in ADVERSARIAL)


@pytest.mark.parametrize("kind,pattern", PATTERNS, ids=[f"{k}:{p[:40]}" for k, p in PATTERNS])
def test_rule_matches_a_long_adversarial_line_in_bounded_time(kind: str, pattern: str):
    rx = re.compile(pattern, re.I)
    match = rx.search if kind == "notice_lines" else rx.fullmatch  # how the reader applies the rule
    for line in ADVERSARIAL + [("javascript browser esc impressum " * 160) + "§"]:
        start = time.perf_counter()
        match(line)
        assert time.perf_counter() - start < BOUND, f"{kind} rule {pattern!r} backtracks on {line[:40]!r}…"


def test_one_line_menu_rule_still_drops_a_menu():
    menu = next(p for p in RULES["drop_lines"] if "·|•" in p and p.startswith("[\\w"))
    assert re.fullmatch(menu, "Home | World | Africa | Asia", re.I)
    assert re.fullmatch(menu, "Inicio / Home | Colombia | Latin America | Opinion", re.I)  # an item with a slash
    assert not re.fullmatch(menu, "Colombia and ELN extend ceasefire as talks resume in Bogota | Cordillera", re.I)
    assert not re.fullmatch(menu, "The council met on Tuesday and approved the plan.", re.I)


def test_rule_files_read_by_libyaml_give_the_pure_python_loaders_data():
    """The reader loads its rule files with libyaml (a tenth of the time): the same data."""
    from generator.readers.text_model import DATA as MODEL_DATA
    from generator.textutil import YAML_BASE_LOADER, load_yaml

    assert load_yaml((DATA / "chrome.yml").read_text(encoding="utf-8")) == RULES
    words = (MODEL_DATA / "function_words.yml").read_text(encoding="utf-8")
    assert yaml.load(words, Loader=YAML_BASE_LOADER) == yaml.load(words, Loader=yaml.BaseLoader)


def test_chrome_rules_are_not_read_by_the_pure_python_loader(monkeypatch):
    from generator.readers import text, text_model

    def refuse(*args, **kwargs):
        raise AssertionError("read with PyYAML's pure-Python loader")

    monkeypatch.setattr(yaml.SafeLoader, "get_single_data", refuse)
    monkeypatch.setattr(yaml.BaseLoader, "get_single_data", refuse)
    text.chrome_rules.cache_clear()
    text_model.stopwords.cache_clear()
    try:
        rules = text.chrome_rules()
        assert rules.copyright.pattern == RULES["copyright_line"]
        assert "the" in text_model.stopwords()
    finally:
        text.chrome_rules.cache_clear()
        text_model.stopwords.cache_clear()


def test_drop_verdicts_are_the_rules_own_remembered_per_set_of_rules(monkeypatch):
    """analyse remembers the drop rules' verdict per line (page furniture repeats from page to
    page): the verdict is the pattern's, for the rules asked with, and the memory stays bounded."""
    import dataclasses

    from generator.readers import text

    rules = text.chrome_rules()
    lines = ["Share", "Home | News | Sport", "Harbour wall to be rebuilt after the storm", "Share", "Cookie policy"]
    for line in lines + lines:
        assert text._dropped(line, rules) == bool(rules.drop.fullmatch(line)), line
    other = dataclasses.replace(rules, drop=re.compile("Harbour wall.*"))
    assert text._dropped("Harbour wall to be rebuilt after the storm", other) is True
    assert text._dropped("Share", other) is False
    assert text._dropped("Harbour wall to be rebuilt after the storm", rules) is bool(
        rules.drop.fullmatch("Harbour wall to be rebuilt after the storm"))
    monkeypatch.setattr(text, "MAX_VERDICTS", 3)
    for i in range(10):
        text._dropped(f"line {i}", rules)
        assert len(text._VERDICTS) <= 3
