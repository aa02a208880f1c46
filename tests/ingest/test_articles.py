import datetime as dt
import logging
from pathlib import Path

import pytest

from qabot.errors import CorpusError
from qabot.ingest.articles import article_source, corpus_files, normalise_date, read_article, read_articles
from tests.conftest import DATA, SEEDS


@pytest.mark.parametrize("value, expected", [
    ("Mon, 10 Jan 2022 20:00:16 GMT", "2022-01-10T20:00:16Z"),
    # a time keeps its own zone: its first ten characters are the article's own day (06:30 in Beijing is not the
    # day before)
    ("Tue, 15 Feb 2022 08:00:00 +0800", "2022-02-15T08:00:00+08:00"),
    ("2023-04-05T06:30:00+08:00", "2023-04-05T06:30:00+08:00"),
    ("2023-04-05T09:30:00Z", "2023-04-05T09:30:00Z"),
    ("2023-04-05T09:30:00", "2023-04-05T09:30:00"),
    ("2021-11-20 18:45:00", "2021-11-20T18:45:00"),
    ("2022-03-01", "2022-03-01"),
    ("2022年1月8日", "2022-01-08"),
    (dt.date(2022, 3, 1), "2022-03-01"),
    (dt.datetime(2022, 3, 1, 8, 0, tzinfo=dt.UTC), "2022-03-01T08:00:00Z"),
    ("", ""),
    (None, ""),
    ("Jan 7, 2022", "2022-01-07"),
    ("January 7, 2022", "2022-01-07"),
    ("7 January 2022", "2022-01-07"),
    ("Jan. 7, 2022", "2022-01-07"),
    ("2022-1-7", "2022-01-07"),
    (20220107, "2022-01-07"),  # YAML reads it as a number: a day, not a second of 1970
    (1641600000, "2022-01-08T00:00:00Z"),
    ("1641600000", "2022-01-08T00:00:00Z"),
    (1641600000000, "2022-01-08T00:00:00Z"),  # milliseconds
    ("sometime last week", ""),
    ("Foo 7, 2022", ""),
    ("2022-13-45", ""),
])
def test_dates_are_normalised_to_iso(value, expected):
    assert normalise_date(value) == expected


@pytest.mark.parametrize("meta, expected", [
    ({"author": "观察者网", "categories": ["新媒体", "半岛网"]}, "观察者网"),
    ({"categories": ["新媒体", "Aljazeera 半岛网", "新闻"]}, "Aljazeera 半岛网"),
    ({"categories": "News, Coastal Times"}, "Coastal Times"),
    ({"categories": ["本地新闻"]}, "some-file"),
    ({}, "some-file"),
])
def test_source_is_author_then_outlet_category_then_file_name(meta, expected):
    assert article_source(meta, Path("/x/some-file.md")) == expected


def test_seed_articles_are_read_with_title_source_and_date():
    articles = {a.doc: a for a in read_articles([SEEDS])}
    assert len(articles) == 5
    first = articles["000_3d1e31ddb775a502.txt"]
    assert first.title == "托卡耶夫定性：未遂政变"
    assert first.source == "观察者网"
    assert first.date == "2022-01-10T20:00:16Z"
    assert first.meta["comments"] is False
    assert articles["001_56ee838238a0b77d.txt"].source == "Aljazeera 半岛网"


def test_odd_variants_are_all_read(caplog):
    with caplog.at_level(logging.WARNING):
        articles = {a.doc: a for a in read_articles([DATA / "odd"])}
    assert set(articles) == {"iso_date.md", "bare_date_no_author.md", "markdown_body.markdown",
                             "plain_no_front_matter.txt", "rfc_date_fragments.html"}
    assert articles["iso_date.md"].source == "Coastal Times"  # flow-style categories, no author
    assert articles["bare_date_no_author.md"].date == "2022-03-01"
    assert articles["bare_date_no_author.md"].source == "bare_date_no_author"
    assert articles["markdown_body.markdown"].meta["tags"] == ["food", "culture"]
    plain = articles["plain_no_front_matter.txt"]
    assert plain.title == "plain_no_front_matter" and plain.date == ""
    assert "plain_no_front_matter.txt" in caplog.text  # the warnings name the file


def test_bad_files_are_skipped_with_a_warning_naming_each(caplog):
    with caplog.at_level(logging.WARNING):
        articles = {a.doc: a for a in read_articles([DATA / "bad"])}
    assert set(articles) == {"good.md", "gbk.md"}
    assert "你好世界" in articles["gbk.md"].body  # a GB18030 file is read, with a warning that says it was
    for name, why in [("binary.txt", "binary"), ("gbk.md", "GB18030"), ("broken_yaml.md", "YAML"),
                      ("no_body.md", "no body")]:
        line = next(r.getMessage() for r in caplog.records if name in r.getMessage())
        assert why in line


def test_front_matter_may_follow_blank_lines(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("\n\n  \n---\ntitle: T\ndate: 2022-01-02\n---\n<p>正文。</p>\n", encoding="utf-8")
    article = read_article(path)
    assert article.title == "T" and article.date == "2022-01-02"


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        corpus_files([tmp_path / "nope"])
    (tmp_path / "one.md").write_text("text", encoding="utf-8")
    with pytest.raises(CorpusError, match="takes a folder, and .*one.md is a file"):
        corpus_files([tmp_path / "one.md"])


def test_hidden_files_are_ignored(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("---\ntitle: x\n---\nhi", encoding="utf-8")
    (tmp_path / "a.md").write_text("---\ntitle: a\n---\nhi", encoding="utf-8")
    assert [doc for doc, _ in corpus_files([tmp_path])] == ["a.md"]


def test_an_unreadable_file_is_skipped_with_a_warning(tmp_path, caplog):
    path = tmp_path / "not-a-file.md"
    path.mkdir()  # reading it fails as a file without permission would, even for root
    with caplog.at_level(logging.WARNING):
        assert read_article(path) is None
    assert "not-a-file.md: cannot read it" in caplog.text


def test_a_plain_texts_headline_and_dateline_give_its_title_and_day(tmp_path):
    english = tmp_path / "004-fund.txt"
    english.write_text("Harbour owner sets up fund for flood victims\n\nBy Ann Lee, Coast Press. Wednesday 19 March "
                       "2025\n\nThe owner set up a fund of 2.5 million pounds on Tuesday.\n", encoding="utf-8")
    article = read_article(english)
    assert (article.title, article.date) == ("Harbour owner sets up fund for flood victims", "2025-03-19")
    chinese = tmp_path / "水库.txt"
    chinese.write_text("水库蓄水量创十年新高\n\n东岳日报 2025年8月5日 第3版\n\n水库蓄水量达到三点二亿立方米。\n", encoding="utf-8")
    assert (read_article(chinese).title, read_article(chinese).date) == ("水库蓄水量创十年新高", "2025-08-05")
    # a text that opens with a sentence has no headline, and a date in its running text is not its day
    plain = tmp_path / "plain.txt"
    plain.write_text("水库蓄水量创下十年来新高，达到三点二亿立方米。\n\n专家表示，2025年8月5日以后的蓄水将保障明年春季的农业灌溉，"
                     "这一判断得到了水利部门多位专家和当地农户的一致认可，他们认为今年的来水情况明显好于往年同期。\n",
                     encoding="utf-8")
    assert (read_article(plain).title, read_article(plain).date) == ("plain", "")


def test_a_blog_posts_file_name_gives_its_day_when_its_front_matter_gives_none(tmp_path):
    post = tmp_path / "2022-01-25-ice-festival.md"
    post.write_text("---\ntitle: Ice festival\n---\nThe ice festival opened on Tuesday with 200 sculptures.\n",
                    encoding="utf-8")
    assert read_article(post).date == "2022-01-25"


@pytest.mark.parametrize("byline, expected", [
    ("By Rosalind Tebbit, Eastmoor and District Post, Friday 27 June 2025", "Eastmoor and District Post"),
    ("By Tom Ridley, Vell Valley Post. Thursday 30 October 2025", "Vell Valley Post"),
    ("Ridgeline Public Radio | September 3, 2025 | By Amara Hensley", "Ridgeline Public Radio"),
    ("禾渚晚报记者 林可 2025年11月3日", "禾渚晚报"),
    ("东岳日报 2025年8月5日 第3版　本报记者 秦朗", "东岳日报"),
    ("By Nadia Corbett, chief reporter", "plain-report"),  # a role, not an outlet
    ("By Nadia Corbett, Chief Reporter", "plain-report"),
    ("本报记者 秦朗 2025年8月5日", "plain-report"),
])
def test_a_plain_texts_outlet_comes_from_its_byline(tmp_path, byline, expected):
    path = tmp_path / "plain-report.txt"
    path.write_text(f"Crews clear the road\n\n{byline}\n\nThe road reopened on Friday after the clean-up.\n",
                    encoding="utf-8")
    assert read_article(path).source == expected


def test_an_outlet_named_in_the_running_text_is_not_the_source(tmp_path):
    path = tmp_path / "plain-report.txt"
    path.write_text("Crews clear the road\n\nThe road reopened on Friday.\n\nBy Ann Lee, Harbour Post, 3 May 2025\n",
                    encoding="utf-8")
    assert read_article(path).source == "plain-report"
