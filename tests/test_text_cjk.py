"""Page dumps in scripts written without spaces (Chinese, Japanese): words are counted by characters,
so their headlines are title candidates and their paragraphs prose (our own text)."""
from __future__ import annotations

from generator.readers.text import parse_scrape
from generator.readers.text_model import is_prose, word_count

HEAD = "市议会批准旧港防洪屏障建设计划"
PARAS = [
    "市议会周二晚间经过长时间辩论后批准了旧港防洪屏障的建设计划，官员表示工程将于明年春天开始并持续两年时间。",
    "下城区的居民自去年冬天的风暴淹没了码头沿线两百多个地下室以来，一直要求修建这道屏障，现在终于得到了答复。",
    "负责该项目的工程公司表示，屏障将采用可升降的闸门设计，在平时不会影响船只进出港口，也不会遮挡居民的视线。",
]


def test_unspaced_script_counts_words_by_characters():
    assert word_count("a b c") == 3
    assert word_count(HEAD) >= 6
    assert is_prose(PARAS[0])
    assert not is_prose(HEAD)


def test_a_chinese_headline_and_its_paragraphs_are_read():
    text = "首页\n新闻\n\n" + HEAD + "\n2020-01-02 17:11\n\n" + "\n\n".join(PARAS) + "\n"
    a = parse_scrape(text, "cjk")
    assert a.title == HEAD
    assert a.date is not None and a.date.isoformat() == "2020-01-02"
    body = "\n".join(b.text for b in a.blocks)
    assert PARAS[0] in body and PARAS[2] in body
