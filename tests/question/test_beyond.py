"""Requests no report answers (a forecast, a recommendation, writing to order) are told apart from questions about
what an article says, which may use the same words."""

import pytest

from qabot.question.beyond import beyond_reports


@pytest.mark.parametrize(("question", "kind"), [
    ("后天努尔苏丹会下雪吗？", "forecast"), ("Will it snow in Oslo tomorrow?", "forecast"),
    ("下周杭州的天气怎么样", "forecast"), ("how's the weather gonna be in Leeds next week", "forecast"),
    ("给我推荐一下那边的特色小吃", "advice"), ("有什么值得一看的纪录片推荐吗", "advice"),
    ("哪款电动车性价比最高", "advice"), ("Could you suggest a hotel near the station?", "advice"),
    ("what's a good laptop for students?", "advice"),
    ("帮我编个关于春天的故事", "writing"), ("write me a short poem about rivers", "writing"),
    ("any tips for growing tomatoes indoors?", "howto"), ("got a quick flapjack recipe?", "howto"),
    ("what's the quickest way... no, the best way to descale a kettle", "howto"), ("鱼香肉丝咋做才好吃", "howto"),
    ("How do I change a bike tyre?", "howto"),
    # what an article reports, in the same words, is no such request
    ("气象台预计这次寒潮会降温多少度？", ""), ("那天的天气怎么样，救援受影响了吗？", ""),
    ("What was the weather like when the bridge fell?", ""), ("专家推荐了哪些防护措施？", ""),
    ("What did the inquiry recommend?", ""), ("这首诗是谁写的？", ""), ("Who wrote the report?", ""),
    ("How did the fire spread so fast?", ""), ("那三栋房子最后怎么处理的？", ""), ("How do the crews pump the water?", ""),
    ("How do I apply for the hardship fund?", ""), ("Did police get any tips on the driver?", ""),
    ("What recipe was the school kitchen using?", ""),
])
def test_a_request_for_a_forecast_advice_or_writing_is_told_from_a_question_about_the_articles(question, kind):
    assert beyond_reports(question) == kind


def test_such_a_request_is_declined_as_such_with_the_nearest_articles(qa):
    answer = qa.answer("后天阿拉木图会下雪吗？")
    assert not answer.answered and answer.confidence == 0.0 and not answer.citations
    assert "不做预报" in answer.text and "最接近的文章" in answer.text
    answer = qa.answer("Can you recommend a good restaurant in Almaty?")
    assert not answer.answered and "recommend nothing" in answer.text
