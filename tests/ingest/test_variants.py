"""Posts in the many small variants users' folders hold: other metadata blocks and keys, other encodings, whole web
pages, Markdown with HTML in it. Each is read with its title, outlet and date, and cut into clean passages."""

import json
import logging

from qabot.ingest.articles import corpus_files, read_article, read_articles
from qabot.ingest.passages import passages

BODY = "<p>托卡耶夫说，集安组织出动了2030名士兵。</p>\n<p>阿拉木图的局势已经稳定。</p>\n"


def _read(tmp_path, name: str, content, encoding: str = "utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding)
    return read_article(path)


def _texts(article) -> list[str]:
    return [p.text for p in passages(article)]


def test_other_metadata_blocks_give_title_outlet_and_date(tmp_path):
    toml = _read(tmp_path, "hugo.md", '+++\ntitle = "未遂政变"\nauthor = "观察者网"\ndate = 2022-01-10T20:00:16Z\n+++\n'
                 + BODY)
    header = _read(tmp_path, "pelican.md", "Title: 未遂政变\nDate: 2022-01-10 20:00\nAuthor: 观察者网\n\n"
                   "托卡耶夫说，集安组织出动了2030名士兵。\n")
    posted = _read(tmp_path, "post.json", json.dumps({"title": "未遂政变", "date": "2022-01-10", "source": "观察者网",
                                                      "content": BODY}, ensure_ascii=False))
    for article in (toml, header, posted):
        assert (article.title, article.source, article.date[:10]) == ("未遂政变", "观察者网", "2022-01-10")
        assert _texts(article)[0] == "托卡耶夫说，集安组织出动了2030名士兵。"  # the metadata is no passage


def test_a_colon_in_an_unquoted_title_and_other_date_keys_are_read(tmp_path):
    article = _read(tmp_path, "a.md", "---\ntitle: Kazakhstan: Tokayev calls it a coup\npubDate: 2022-01-08\n---\n"
                    + BODY)
    assert article.title == "Kazakhstan: Tokayev calls it a coup" and article.date == "2022-01-08"
    assert _read(tmp_path, "b.md", "---\ntitle: T\npublished: 2022-01-06\n---\n" + BODY).date == "2022-01-06"


def test_the_outlet_is_the_source_the_post_names_before_its_author_else_its_sites_address(tmp_path):
    named = _read(tmp_path, "a.md", "---\ntitle: T\nauthor: 鞠峰\nsource: 观察者网\n---\n" + BODY)
    assert named.source == "观察者网"
    linked = _read(tmp_path, "b.md", "---\ntitle: T\nurl: https://www.guancha.cn/internation/2022_01_10.shtml\n---\n"
                   + BODY)
    assert linked.source == "guancha.cn"


def test_a_whole_web_page_gives_its_heads_fields_and_only_the_articles_text(tmp_path):
    page = ("<!DOCTYPE html><html><head><title>托卡耶夫定性：未遂政变_观察者网_国际频道</title>"
            '<meta property="og:site_name" content="观察者网">'
            '<meta property="article:published_time" content="2022-01-10T20:00:16Z"><script>var x=1;</script></head>'
            '<body><nav><ul><li><a href="/">首页</a></li><li>国际</li></ul></nav><article><header><h1>托卡耶夫定性：未遂政变'
            "</h1></header>"
            + BODY + "</article><footer><p>版权所有 © 观察者网，未经授权不得转载。</p></footer></body></html>")
    article = _read(tmp_path, "page.html", page)
    assert (article.title, article.source, article.date) == ("托卡耶夫定性：未遂政变", "观察者网", "2022-01-10T20:00:16Z")
    assert _texts(article) == ["托卡耶夫说，集安组织出动了2030名士兵。", "阿拉木图的局势已经稳定。"]


def test_markdown_with_html_in_it_stays_markdown_and_is_cleaned(tmp_path):
    body = ("第一段说，集安组织出动了2030名士兵。<br>\n\n<!--more-->\n\n第二段引用了&ldquo;未遂政变&rdquo;的说法&amp;其他。\n\n"
            "<script>window.dataLayer.push({});</script>\n\n![检查站](x.jpg)\n\n*哈萨克军队成员在基什门特市的检查站*\n\n"
            "| 项目 | 数字 |\n|:--|--:|\n| 死亡 | 164 |\n")
    article = _read(tmp_path, "a.md", "---\ntitle: T\n---\n" + body)
    found = [(p.section, p.text) for p in passages(article)]
    assert found == [("", "第一段说，集安组织出动了2030名士兵。"), ("", "第二段引用了“未遂政变”的说法&其他。"),
                     ("caption", "哈萨克军队成员在基什门特市的检查站"), ("", "项目，数字"), ("", "死亡，164")]


def test_other_encodings_are_read_and_said_to_be(tmp_path, caplog):
    text = "---\ntitle: 未遂政变\n---\n托卡耶夫说，集安组织出动了2030名士兵。\n"
    with caplog.at_level(logging.WARNING):
        assert _read(tmp_path, "u16.md", text, encoding="utf-16").title == "未遂政变"
        assert _read(tmp_path, "gbk.md", text.encode("gb18030")).title == "未遂政变"
        latin = _read(tmp_path, "latin.md", "---\ntitle: Caf\u00e9 \u201ccoup\u201d\n---\nThe CSTO sent 2,030 soldiers.\n"
                      .encode("cp1252"))
    assert latin.title == "Caf\u00e9 \u201ccoup\u201d"
    assert "GB18030" in caplog.text and "Windows-1252" in caplog.text


def test_a_long_latin_paragraph_is_cut_between_words_and_a_short_figcaption_is_kept(tmp_path):
    words = " ".join(["tokayev said order had been restored across the country"] * 40)
    article = _read(tmp_path, "a.md", "---\ntitle: T\n---\n" + words + "\n")
    parts = _texts(article)
    assert len(parts) > 1 and all(len(p) <= 1000 for p in parts)  # English: 2.5 times the Chinese 400 characters
    assert " ".join(parts).split() == words.split()  # no word cut in two
    figure = _read(tmp_path, "b.html", '<p>The CSTO sent 2,030 soldiers.</p><figure><img src="x.jpg">'
                   "<figcaption>President Tokayev (Reuters)</figcaption></figure>")
    assert ("caption", "President Tokayev (Reuters)") in [(p.section, p.text) for p in passages(figure)]


def test_a_post_with_only_a_summary_is_read_from_it(tmp_path):
    article = _read(tmp_path, "a.md", "---\ntitle: T\ndescription: 托卡耶夫说，集安组织出动了2030名士兵。\n---\n\n")
    assert _texts(article) == ["托卡耶夫说，集安组织出动了2030名士兵。"]
    assert _read(tmp_path, "b.md", "---\ntitle: T\n---\n\n") is None  # nothing to read at all


def test_files_of_other_types_are_named_in_one_warning(tmp_path, caplog):
    (tmp_path / "a.md").write_text("---\ntitle: T\n---\n" + BODY, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "notes").write_text("x", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert [a.doc for a in read_articles([tmp_path])] == ["a.md"]
    assert "left out 2 file(s)" in caplog.text and ".jpg" in caplog.text
    caplog.clear()
    (tmp_path / "other.jpg").write_bytes(b"\xff\xd8\xff")  # another folder's listing: not told again by a check
    with caplog.at_level(logging.WARNING):
        corpus_files([tmp_path], tell=False)
    assert "left out" not in caplog.text


def test_a_wordpress_post_and_a_schema_org_post_give_their_title_outlet_and_body(tmp_path):
    wordpress = _read(tmp_path, "wp.json", '{"date": "2022-01-23T14:00:00", "link": "https://lake.example.cn/p/1", '
                      '"author": 3, "title": {"rendered": "镜湖冰面厚度达到42厘米 &amp; 开放"}, '
                      '"content": {"rendered": "<p>镜湖管理处1月23日测得冰层平均厚度为42厘米。</p>"}}')
    assert (wordpress.title, wordpress.source) == ("镜湖冰面厚度达到42厘米 & 开放", "lake.example.cn")
    assert _texts(wordpress) == ["镜湖管理处1月23日测得冰层平均厚度为42厘米。"]
    schema = _read(tmp_path, "s.json", '{"headline": "Baker bakes a long baguette", "publisher": {"name": "Oakmont '
                   'Times"}, "datePublished": "Jan 24, 2022", "text": "The baguette was 3.4 meters long."}')
    assert (schema.title, schema.source, schema.date) == ("Baker bakes a long baguette", "Oakmont Times", "2022-01-24")
