import pytest

from qabot.answer.compose import Answer, Citation
from qabot.frontends.telegram_html import LIMIT, _Block, answer_messages, pack, paragraph_messages, sources_message
from qabot.ingest.passages import BYLINE, CAPTION, Passage
from tests.fake_bot_api import check_html


def passage(n, title="标题 <b>&", text="正文。"):
    return Passage(id=f"a.md#{n}", doc="a.md", paragraph=n, text=text, title=title, source="源 & Co",
                   date="2022-01-10T20:00:16Z")


def test_answers_are_escaped_and_cited_with_title_source_and_date():
    answer = Answer(question="?", answered=True, text="a < b & c[1]", citations=(Citation(1, passage(1)),), hits=(),
                    lang="zh")
    [message] = answer_messages(answer)
    check_html(message)
    assert message == "a &lt; b &amp; c[1]\n\n<b>[1] </b>标题 &lt;b&gt;&amp; — 源 &amp; Co, 2022-01-10 · ¶1"


def test_an_unanswered_question_points_to_sources():
    answer = Answer(question="?", answered=False, text="文章中没有找到答案。", citations=(), hits=(), lang="zh")
    assert "/sources" in answer_messages(answer)[0]


@pytest.mark.parametrize("size", [10, 4096, 4097, 9000, 20000])
def test_one_long_block_is_cut_into_valid_messages_that_keep_every_character(size):
    text = ("<&>句子。" * (size // 6 + 1))[:size]
    messages = pack([_Block(text, "b")])
    assert all(len(m) <= LIMIT for m in messages)
    for m in messages:
        check_html(m)
    plain = "".join(m.removeprefix("<b>").removesuffix("</b>") for m in messages)
    assert plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


def test_blocks_are_kept_whole_when_they_fit():
    blocks = [_Block("x" * 3000), _Block("y" * 3000), _Block("z" * 10)]
    assert pack(blocks) == ["x" * 3000, "y" * 3000 + "\n\n" + "z" * 10]


def test_a_long_paragraph_is_shown_whole_across_messages():
    messages = paragraph_messages(passage(3, text="很长的一句话，" * 1000))
    assert len(messages) >= 2 and all(len(m) <= LIMIT for m in messages)


def test_a_paragraph_says_where_it_stands_and_a_caption_or_byline_says_what_it_is():
    plain, caption, byline = (Passage(id=f"a.md#3{tail}", doc="a.md", paragraph=3, text="正文。", title="T", source="S",
                                      date="2022-01-10", section=section)
                              for tail, section in (("", ""), (".c1", CAPTION), (".b1", BYLINE)))
    assert "S, 2022-01-10 · ¶3" in paragraph_messages(plain)[0]
    assert "S, 2022-01-10 · caption after ¶3" in paragraph_messages(caption)[0]
    assert "S, 2022-01-10 · byline" in paragraph_messages(byline)[0] and "¶" not in paragraph_messages(byline)[0]


def test_sources_are_paged():
    articles = [{"doc": f"{i}.md", "title": f"T{i}", "source": "S", "date": "2022-01-01"} for i in range(25)]
    text, pages = sources_message(articles, 2, 10, "en")
    assert pages == 3 and "page 3/3" in text and "21. T20" in text and "T19" not in text
