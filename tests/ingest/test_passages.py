import pytest

from qabot.ingest.articles import read_article, read_articles
from qabot.ingest.passages import BYLINE, CAPTION, MAX_CHARS, passages, sentences, split_long
from tests.conftest import DATA, SEEDS


@pytest.fixture(scope="module")
def seed_passages():
    return {a.doc: passages(a) for a in read_articles([SEEDS])}


def texts(rows):
    """The paragraphs' texts (captions and bylines apart)."""
    return [p.text for p in rows if p.section not in (CAPTION, BYLINE)]


def captions(rows):
    return [p.text for p in rows if p.section == CAPTION]


def bylines(rows):
    return [p.text for p in rows if p.section == BYLINE]


def test_captions_are_passages_of_their_own_and_boilerplate_is_not_a_passage(seed_passages):
    rows = seed_passages["000_3d1e31ddb775a502.txt"]
    joined = "\n".join(texts(rows))
    assert "图自外媒" not in joined  # a centred caption is not part of a paragraph ...
    assert "阿拉木图市政府被纵火（图自外媒）" in captions(rows)  # ... but a passage of its own, credit and all
    assert "哈萨克斯坦总统 托卡耶夫" in captions(rows)  # centred caption without a marker
    caption = next(p for p in rows if p.section == CAPTION)
    assert caption.id.startswith("000_3d1e31ddb775a502.txt#") and ".c" in caption.id
    assert "不得转载" not in "\n".join(p.text for p in rows)  # boilerplate
    aljazeera = seed_passages["001_56ee838238a0b77d.txt"]
    assert "欧洲通讯社" not in "\n".join(texts(aljazeera))  # <figure> caption text: not in a paragraph ...
    assert captions(aljazeera) == ["作为当局采取的紧急措施的一部分，哈萨克军队成员在基什门特市的一个检查站（欧洲通讯社）"]
    assert not any(c.startswith(("图源", "点击查看大图")) for rows in seed_passages.values() for c in captions(rows))


def test_a_byline_is_a_passage_of_its_own_and_not_part_of_the_paragraph_it_opens(seed_passages):
    guancha = seed_passages["000_3d1e31ddb775a502.txt"]
    assert bylines(guancha) == ["【文/观察者网 鞠峰】"]  # who wrote it: readers ask
    assert "鞠峰" not in "\n".join(texts(guancha))
    byline = next(p for p in guancha if p.section == BYLINE)
    assert byline.id == "000_3d1e31ddb775a502.txt#0.b1" and byline.paragraph == 0  # before the first paragraph
    other = seed_passages["002_79e70fd7e8a55cd2.txt"]
    assert bylines(other) == ["【文/观察者网 丁悦】"]
    assert texts(other)[0] == "哈萨克斯坦大规模暴乱引发的紧张局势逐渐趋于稳定。"  # the byline taken off, the rest kept
    zhihu = seed_passages["004_2dd93752a08fcbe6.txt"]
    assert bylines(zhihu) == ["张艾菲的回答"]  # a Q&A site's byline over the answer
    assert "张艾菲的回答" not in texts(zhihu)
    assert [p.paragraph for p in zhihu if p.section not in (CAPTION, BYLINE)][0] == 1  # paragraphs keep their numbers


def test_headings_become_section_context_not_passages(seed_passages):
    rows = seed_passages["001_56ee838238a0b77d.txt"]
    assert "阿拉木图第一" not in texts(rows)
    assert rows[3].section == "阿拉木图第一"
    assert rows[0].section == ""


def test_sentence_fragments_are_merged_into_paragraphs(seed_passages):
    zhihu = texts(seed_passages["004_2dd93752a08fcbe6.txt"])
    assert any(t.startswith("此前，随着哈萨克斯坦全国范围内的动荡局势加剧，总统托卡耶夫") for t in zhihu)
    assert all(not t.endswith("，") for t in zhihu)


def test_ids_are_stable_and_paragraph_numbers_run_in_reading_order(seed_passages):
    rows = [p for p in seed_passages["003_43fb4c2225c36c2c.txt"] if p.section != CAPTION]
    assert [p.paragraph for p in rows] == list(range(1, len(rows) + 1))  # captions keep the numbers as they were
    assert rows[0].id == "003_43fb4c2225c36c2c.txt#1"
    again = passages(read_article(SEEDS / "003_43fb4c2225c36c2c.txt"))
    assert [p.id for p in again] == [p.id for p in seed_passages["003_43fb4c2225c36c2c.txt"]]


def test_passages_carry_title_source_and_date(seed_passages):
    p = seed_passages["001_56ee838238a0b77d.txt"][0]
    assert (p.source, p.date[:10]) == ("Aljazeera 半岛网", "2022-01-10")
    assert p.title.startswith("哈萨克斯坦：托卡耶夫总统")


def test_odd_formats_give_the_expected_paragraphs():
    by_doc = {a.doc: [p.text for p in passages(a)] for a in read_articles([DATA / "odd"])}
    assert by_doc["iso_date.md"] == [
        "【文/Coastal Times 李明】",  # the byline the first paragraph opens with: a passage of its own
        "The new harbour bridge opened to traffic on Wednesday morning after five years of construction.",
        "The bridge at dawn (图自外媒)",  # a centred caption: a passage of its own
        "The bridge cost 4.2 billion yuan and carries six lanes of traffic across the bay.",
        "Cyclists get a separate lane on the north side.",
        "Tolls are waived for the first month.",
    ]
    assert by_doc["bare_date_no_author.md"] == [
        "山区小学的新图书馆今天正式开放，藏书超过一万册。",
        "图书馆由当地企业捐资建设，总投资八十万元。",
        "校长王芳说，孩子们第一次有了安静的阅读空间。",
    ]
    assert by_doc["markdown_body.markdown"] == [
        "The night market on Lantern Street reopened on Saturday after a two-year pause, "
        "with 120 stalls selling noodles and tea.",
        "Opening hours are 6 pm to midnight.",
        "Parking is available at the east gate.",
        "Organisers expect 5,000 visitors each weekend.",
    ]
    assert by_doc["plain_no_front_matter.txt"] == [
        "水库蓄水量创下十年来新高，达到三点二亿立方米。",
        "专家表示，充足的蓄水将保障明年春季的农业灌溉。",
    ]
    assert by_doc["rfc_date_fragments.html"] == [
        "经过两年的施工，火车站扩建工程于2月14日正式完工，新增候车面积一万二千平方米。",
        "扩建后的候车大厅",  # a <figcaption>: a passage of its own
        "车站每天可接待旅客八万人次。",
    ]


def test_markdown_headings_are_sections():
    article = next(a for a in read_articles([DATA / "odd"]) if a.doc == "markdown_body.markdown")
    assert {p.section for p in passages(article)} == {"Night market returns"}


def test_a_paragraph_wholly_in_bold_that_ends_no_sentence_is_a_subheading(tmp_path):
    html = tmp_path / "bold.md"
    html.write_text("---\ntitle: t\n---\n<p>事故发生后，道路双向封闭。</p>\n<p>\n<strong>封闭路段预计周五放行</strong>\n</p>\n"
                    "<p>现场清障已接近尾声。</p>\n<p><strong>本文系独家稿件。</strong></p>\n<p><b>起因</b>仍在调查。</p>",
                    encoding="utf-8")
    rows = [(p.section, p.text) for p in passages(read_article(html))]
    assert rows[:2] == [("", "事故发生后，道路双向封闭。"), ("封闭路段预计周五放行", "现场清障已接近尾声。")]
    assert ("封闭路段预计周五放行", "起因仍在调查。") in rows  # bold words inside a paragraph are its text
    assert not any("封闭路段预计周五放行现场" in text for _, text in rows)  # never glued to the next sentence
    markdown = tmp_path / "bold2.md"
    markdown.write_text("---\ntitle: t\n---\nThe road was shut.\n\n**Six minutes**\n\nThe scaffold came down at "
                        "about 4.12pm.\n\n**It fell at 4.12pm.**\n\nCrews arrived soon after.", encoding="utf-8")
    rows = [(p.section, p.text) for p in passages(read_article(markdown))]
    assert rows == [("", "The road was shut."), ("Six minutes", "The scaffold came down at about 4.12pm."),
                    ("Six minutes", "It fell at 4.12pm."), ("Six minutes", "Crews arrived soon after.")]


def test_a_short_line_of_its_own_that_ends_no_sentence_is_a_subheading_in_plain_text_and_markdown(tmp_path):
    text = tmp_path / "ferry.txt"
    text.write_text("Ferry stuck on sandbank\n\nBy Ann Lee, Valley Post, 3 May 2025\n\nThe ferry ran aground at dawn.\n\n"
                    "Passengers taken off\n\nLifeboat crews took 80 people ashore.\nThe last left at noon.\n\n"
                    "Photo: Valley Post\n\nThe tide lifted the ferry at 6pm.\n\n"
                    "It is not known, officials said\n\nwhether the hull was damaged.", encoding="utf-8")
    rows = [(p.section, p.text) for p in passages(read_article(text)) if p.section != "byline"]
    assert ("Passengers taken off", "Lifeboat crews took 80 people ashore.") in rows
    assert not any(t == "Passengers taken off" for _, t in rows)  # no longer a passage of its own
    assert not any(s in ("Photo: Valley Post", "It is not known, officials said") for s, _ in rows)  # a credit, a clause
    chinese = tmp_path / "fire.md"
    chinese.write_text("---\ntitle: t\n---\n市场东区凌晨起火。\n\n损失已超千万元\n\n商户估算损失超过1200万元。\n\n"
                       "（记者 林可 摄）\n\n大棚已拆除。", encoding="utf-8")
    rows = [(p.section, p.text) for p in passages(read_article(chinese))]
    assert rows[:2] == [("", "市场东区凌晨起火。"), ("损失已超千万元", "商户估算损失超过1200万元。")]
    assert ("损失已超千万元", "大棚已拆除。") in rows  # a bracketed credit is no subheading
    html = tmp_path / "page.html"  # in HTML a short <p> may be a fragment of the sentence the next one ends
    html.write_text("<html><body><p>市场东区凌晨起火。</p><p>据初步统计</p><p>损失超过1200万元。</p></body></html>",
                    encoding="utf-8")
    assert [p.text for p in passages(read_article(html))][-1] == "据初步统计损失超过1200万元。"


def test_long_paragraphs_are_split_at_sentence_ends_keeping_their_number(tmp_path):
    sentence = "这是一个用来测试长段落切分的句子，它本身并不算短。"
    path = tmp_path / "long.md"
    path.write_text("---\ntitle: t\n---\n<p>短段落。</p><p>" + sentence * 40 + "</p>", encoding="utf-8")
    rows = passages(read_article(path))
    assert rows[0].id == "long.md#1"
    parts = rows[1:]
    assert len(parts) > 1
    assert all(p.paragraph == 2 for p in parts)
    assert [p.id for p in parts[:2]] == ["long.md#2.1", "long.md#2.2"]
    assert all(len(p.text) <= MAX_CHARS and p.text.endswith("。") for p in parts)
    assert "".join(p.text for p in parts) == sentence * 40


def test_an_endless_sentence_is_still_cut():
    parts = split_long("字" * 1000)
    assert len(parts) >= 3 and "".join(parts) == "字" * 1000


def test_sentences_keep_their_closing_quotes():
    assert sentences("他说：“我们会赢。”然后他离开了会场。Is that so? Yes, it is.") == [
        "他说：“我们会赢。”", "然后他离开了会场。", "Is that so?", "Yes, it is."]


def test_a_quote_keeps_its_closing_attribution_and_a_credit_stays_apart():
    # "托卡耶夫说。" alone would be a reply that says nothing
    assert sentences("“我们将提供更多证据。”托卡耶夫说。随后他离开了会场。") == [
        "“我们将提供更多证据。”托卡耶夫说。", "随后他离开了会场。"]
    assert sentences("集安组织部队抵达阿拉木图。图自人民视觉") == ["集安组织部队抵达阿拉木图。", "图自人民视觉"]


def test_who_said_a_quote_in_a_longer_sentence_of_its_own_stays_with_it_but_a_sentence_that_says_more_does_not():
    # else "谁说的……" is answered by the quote without its speaker, and "……在发布会上说。" alone says nothing
    assert sentences("“堤坝上周已经加固过了。”市水务局副局长方某在当天的新闻发布会上说。下游三个村的抢险仍在继续。") == [
        "“堤坝上周已经加固过了。”市水务局副局长方某在当天的新闻发布会上说。", "下游三个村的抢险仍在继续。"]
    assert sentences("“路已经通了。”一位在现场指挥交通的民警告诉记者。") == ["“路已经通了。”一位在现场指挥交通的民警告诉记者。"]
    assert sentences("“我们不知道。”她说，自己和邻居一直没有接到任何撤离通知。") == [
        "“我们不知道。”", "她说，自己和邻居一直没有接到任何撤离通知。"]
    assert sentences("救援队伍已经全部到位。常务副市长在调度会上说。") == [  # no quote before it
        "救援队伍已经全部到位。", "常务副市长在调度会上说。"]


def test_a_caption_labelled_with_a_colon_that_describes_something_is_kept_and_a_bare_credit_is_not(tmp_path):
    path = tmp_path / "caption.md"
    path.write_text("---\ntitle: 冰雕展\ndate: 2022-01-20\n---\n冰雕展今天开幕，门票每人40元。\n\n![](ice.jpg)\n\n"
                    "图：冰雕作品“龙腾盛世”长25米，耗用冰块600立方米。\n\n图源：视觉中国\n", encoding="utf-8")
    texts = [p.text for p in passages(read_article(path))]
    assert "图：冰雕作品“龙腾盛世”长25米，耗用冰块600立方米。" in texts
    assert not any("视觉中国" in t for t in texts)


def test_markdowns_code_setext_headings_footnotes_and_link_addresses_and_notices(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        "---\ntitle: 柿子节\ndate: 2022-01-09\n---\n活动安排\n========\n\n柿子文化节周末开幕，吸引游客约两万人次[^1]。\n\n"
        "```python\n# 这是一段代码\nprint('hello')\n```\n\n详情见[官方说明][doc]。\n\n[doc]: https://example.com/a\n\n"
        "[^1]: 数据来源为石桥镇文旅办的统计。\n\n（责任编辑：张晓）\n\n本文为晨报原创，转载请注明出处。\n\n"
        "Share on Facebook | Share on Twitter | Email\n", encoding="utf-8")
    rows = passages(read_article(path))
    assert [p.text for p in rows] == ["柿子文化节周末开幕，吸引游客约两万人次。", "详情见官方说明。", "数据来源为石桥镇文旅办的统计。"]
    assert {p.section for p in rows} == {"活动安排"}  # the Setext heading; the code's "# …" is no heading


def test_a_saved_page_built_of_divs_gives_its_story_without_menus_lists_and_footer(tmp_path):
    page = tmp_path / "saved.html"
    page.write_text(
        '<html><head><title>光热电站建成_新闻中心_高原网</title><meta name="publishdate" content="2022-01-21"></head>'
        '<body><div id="top"><a href="/">首页</a> | 登录</div><div class="nav"><ul><li>国内</li></ul></div>'
        '<div class="main"><div class="left"><h1>金川县建成光热电站</h1>'
        '<div class="info">2022-01-21 09:30　来源：高原日报　作者：多吉次仁</div><div class="content">'
        '<div>1月21日，金川县光热电站正式投产，装机容量为100兆瓦。</div><div>项目总投资30亿元。</div>'
        '<table><tr><th>指标</th><th>数值</th></tr><tr><td>储热时长</td><td>11小时</td></tr></table>'
        '<div>分享到：微信 微博</div><div class="related"><h3>相关阅读</h3><ul><li>冠军牦牛体重1.2吨</li></ul></div>'
        '</div></div><div class="right"><div class="hot"><ol><li>高原网招聘记者10名</li></ol></div></div></div>'
        '<div id="footer">版权所有 高原网 举报电话：0891-12345678</div></body></html>', encoding="utf-8")
    article = read_article(page)
    assert (article.title, article.source, article.date) == ("金川县建成光热电站", "高原日报", "2022-01-21")
    assert [p.text for p in passages(article)] == [
        "1月21日，金川县光热电站正式投产，装机容量为100兆瓦。", "项目总投资30亿元。", "指标，数值", "储热时长，11小时"]


def test_an_english_byline_is_a_passage_of_its_own(tmp_path):
    page = tmp_path / "story.html"
    page.write_text("---\ntitle: Leaf blowers\ndate: 2022-01-11\n---\n<p>By Marisol Dunn</p>"
                    "<p>The Northvale town council voted 5 to 2 on Tuesday to ban leaf blowers.</p>", encoding="utf-8")
    rows = passages(read_article(page))
    assert [(p.section, p.text) for p in rows][0] == (BYLINE, "By Marisol Dunn")
    assert rows[1].text.startswith("The Northvale town council")


def test_a_line_of_who_and_when_above_the_first_sentence_is_a_byline_not_the_leads_opening_words(tmp_path):
    page = tmp_path / "ferry.html"
    page.write_text("---\ntitle: Ferry fares\ndate: 2024-02-01\n---\n<p>By Tomas Reyl, transport desk · 1 February "
                    "2024</p><p>Ferry fares to the outer islands will rise by 6% in April, the operator said.</p>"
                    "<p>By the end of the year two new boats will join the fleet.</p>", encoding="utf-8")
    rows = passages(read_article(page))
    assert bylines(rows) == ["By Tomas Reyl, transport desk · 1 February 2024"]
    assert texts(rows) == ["Ferry fares to the outer islands will rise by 6% in April, the operator said.",
                           "By the end of the year two new boats will join the fleet."]  # a sentence, not a byline
    note = tmp_path / "bus.txt"
    note.write_text("北城公交线路调整\n\n新港晨报记者 温禾 2024年3月2日\n\n北城区3月起调整5条公交线路。\n\n"
                    "本报记者 温禾在现场看到，站牌已经更换。\n", encoding="utf-8")
    rows = passages(read_article(note))
    assert bylines(rows) == ["新港晨报记者 温禾 2024年3月2日"]  # the dateline line, on its own
    assert texts(rows)[-2:] == ["北城区3月起调整5条公交线路。", "本报记者 温禾在现场看到，站牌已经更换。"]
    lead = tmp_path / "lead.md"
    lead.write_text("---\ntitle: 公园\ndate: 2024-04-05\n---\n东江日报讯（记者 马遥 实习生 于青）4日，滨江公园正式开放。\n\n"
                    "【南岸晚报讯】记者 宁川 陆安 园内新种树木2000棵。\n", encoding="utf-8")
    rows = passages(read_article(lead))
    assert bylines(rows) == ["东江日报讯（记者 马遥 实习生 于青）", "【南岸晚报讯】记者 宁川 陆安"]  # a report's lead-in
    assert texts(rows) == ["4日，滨江公园正式开放。", "园内新种树木2000棵。"]


def test_label_lines_a_br_apart_are_passages_of_their_own(tmp_path):
    page = tmp_path / "ferry.html"
    page.write_text("---\ntitle: Ferry\ndate: 2022-01-06\n---\n<p>From Monday the ferry runs on a winter timetable.</p>"
                    "<p>First ferry: 6:40 am<br>Last ferry: 9:50 pm<br>Fare: 3.20 dollars</p>"
                    "<p>The operator said the change saves diesel</p><p>and would be reviewed in April.</p>",
                    encoding="utf-8")
    assert [p.text for p in passages(read_article(page))] == [
        "From Monday the ferry runs on a winter timetable.", "First ferry: 6:40 am", "Last ferry: 9:50 pm",
        "Fare: 3.20 dollars", "The operator said the change saves diesel and would be reviewed in April."]


def test_an_english_title_or_short_form_does_not_end_a_sentence():
    text = ("The injured were taken to St. Mary's Hospital on Elm Ave. near the port. Mr. Moreno opened it at 9 a.m. "
            "on Sunday. Two lanes stay closed.")
    assert sentences(text) == ["The injured were taken to St. Mary's Hospital on Elm Ave. near the port.",
                               "Mr. Moreno opened it at 9 a.m. on Sunday.", "Two lanes stay closed."]
    # news style abbreviates months and ranks: "on Oct. 15" goes on
    assert sentences("The hearing opens on Oct. 15 in Ashby. Sgt. Hale will testify on Sept. 3.") == [
        "The hearing opens on Oct. 15 in Ashby.", "Sgt. Hale will testify on Sept. 3."]


def test_an_english_paragraph_is_measured_in_its_own_characters():
    sentence = "The museum said the alarm in the east gallery had been switched off for three days of maintenance. "
    assert len(sentence * 6) > MAX_CHARS and split_long((sentence * 6).strip()) == [(sentence * 6).strip()]  # whole
    parts = split_long((sentence * 14).strip())  # about 2.5 times as long as the Chinese limit: cut at sentence ends
    assert len(parts) > 1 and all(p.endswith(".") for p in parts)
    assert split_long("这是一个用来测试长段落切分的句子。" * 30) != ["这是一个用来测试长段落切分的句子。" * 30]
