import pytest

from qabot.language.dates import with_days


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("该国政府在本周三宣布辞职。", "2022-01-08T10:00:00+00:00", "该国政府在本周三〔1月5日〕宣布辞职。"),  # a Saturday
    ("上周日爆发了抗议。", "2022-01-08", "上周日〔1月2日〕爆发了抗议。"),
    ("上周四，他被捕。", "2022-01-10", "上周四〔1月6日〕，他被捕。"),  # a Monday: last week's Thursday
    ("周一为全国哀悼日。", "2022-01-10", "周一〔1月10日〕为全国哀悼日。"),  # a bare weekday: that day or before
    ("发言人周日表示。", "2022-01-10", "发言人周日〔1月9日〕表示。"),
    ("下周一为哀悼日。", "2022-01-08", "下周一〔1月10日〕为哀悼日。"),
    ("他昨天说，今天恢复。", "2022-01-08", "他昨天〔1月7日〕说，今天〔1月8日〕恢复。"),
    ("周三（1月5日）晚些时候确认。", "2022-01-06", "周三（1月5日）晚些时候确认。"),  # already dated
    ("每周一开会，一周之内完成。", "2022-01-06", "每周一开会，一周之内完成。"),  # no single day named
    ("本周三宣布。", "", "本周三宣布。"),  # no article date to count from
])
def test_relative_days_get_their_calendar_day(text, published, expected):
    assert with_days(text, published) == expected


def test_english_answers_get_iso_days():
    assert with_days("本周三宣布辞职。", "2022-01-08", "en") == "本周三〔2022-01-05〕宣布辞职。"


def test_a_when_answer_names_the_day_and_keeps_to_the_event_asked(qa):
    answer = qa.answer("哈萨克斯坦政府是哪天宣布辞职的？")
    assert answer.answered and "1月5日" in answer.text
    assert "哀悼" not in answer.text  # other days of that week, about other things, are not offered as disagreement


@pytest.mark.parametrize(("text", "published", "expected"), [
    ("当地时间1月7日，总统宣布。", "2022-01-08", "2022-01-07"),
    ("据塔斯社8日报道。", "2022-01-08", "2022-01-08"),  # a bare day: the article's month
    ("28日的报道称。", "2022-02-03", "2022-01-28"),  # ... or the month before, when that day is still to come
    ("该国政府在本周三宣布辞职。", "2022-01-08", "2022-01-05"),
    ("周日（1月2日），政府取消了价格上限。", "2022-01-06", "2022-01-02"),
    ("据报道，1 月 7 日，总统宣布。", "2022-01-08", "2022-01-07"),  # spaces around the figures, as feeds write them
    ("俄罗斯于 2002 年 5 月 14 日成立了该组织。", "2022-01-08", "2002-05-14"),
    ("紧急状态已持续 120 日。", "2022-01-08", "2022-01-08"),  # a length of time names no day (not the 20th)
    ("实行宵禁和行动限制，直至1月19日。", "2022-01-08", "2022-01-08"),  # what it lasts until is not when it happened
    ("取消所有比赛，直至本月 19 日紧急状态结束。", "2022-01-10", "2022-01-10"),
    ("1月6日宣布紧急状态，持续到1月19日。", "2022-01-08", "2022-01-06"),
    ("没有日期的句子。", "2022-01-10", "2022-01-10"),  # the article's own date
    ("没有日期的句子。", "", ""),
])
def test_the_first_day_a_sentence_speaks_of(text, published, expected):
    from qabot.language.dates import first_day

    assert first_day(text, published) == expected


def _composed(qa, question):
    """The answer as composed, whatever the confidence (the threshold set to 0): how a chronology is told."""
    from dataclasses import replace

    return qa.reader.decide(qa.reader.trace(question), replace(qa.params["hybrid"], threshold=0.0, thresholds={}))


def test_a_chronology_is_told_in_order_one_dated_event_a_day(qa):
    from qabot.language.dates import first_day

    answer = _composed(qa, "请按时间顺序说说这几天哈萨克斯坦发生了什么")
    assert answer.answered and len(answer.citations) >= 3
    by_n = {c.n: c.passage for c in answer.citations}
    import re

    parts = re.findall(r"(.+?)\[(\d+)\]", answer.text)
    days = [first_day(text, by_n[int(n)].date) for text, n in parts]
    assert days == sorted(days) and len(set(days)) == len(days)


@pytest.mark.parametrize(("question", "expected"), [
    ("能帮我按时间顺序捋一下从5月3号到9号都发生了啥吗？", ((5, 3), (5, 9))),  # a bare day: the month before it
    ("请按时间顺序讲讲3月1日至3月4日的事", ((3, 1), (3, 4))),
    ("What happened from March 2 to 6?", ((3, 2), (3, 6))),
    ("What happened between February 27 and March 1?", ((2, 27), (3, 1))),
    ("请按时间顺序讲讲这几天发生了什么", None),  # no stretch named
    ("3月5日发生了什么？", None),  # one day is not a stretch
    ("从3月8日到3月3日", None),  # nor two days out of order
])
def test_the_days_a_question_names(question, expected):
    from qabot.language.dates import days_between

    assert days_between(question) == expected


def test_a_chronology_of_named_days_keeps_to_them(qa):
    """Every event told for "1月5日到8日" happened on one of those days (by the first day its sentence names)."""
    import re

    from qabot.language.dates import first_day

    answer = _composed(qa, "请按时间顺序说说1月5日到8日哈萨克斯坦发生了什么")
    assert answer.answered and len(answer.citations) >= 2
    by_n = {c.n: c.passage for c in answer.citations}
    days = [first_day(text, by_n[int(n)].date) for text, n in re.findall(r"(.+?)\[(\d+)\]", answer.text)]
    assert days and all("2022-01-05" <= day <= "2022-01-08" for day in days), days
    assert days == sorted(days)


def test_an_english_relative_day_gets_its_date_unless_the_text_gives_it():
    from qabot.language.dates import with_days

    assert with_days("He was arrested on Thursday.", "2025-03-07", "en") == "He was arrested on Thursday〔2025-03-06〕."
    assert with_days("Talks resume next Monday; he left yesterday.", "2025-04-10", "en") == \
        "Talks resume next Monday〔2025-04-14〕; he left yesterday〔2025-04-09〕."
    assert with_days("It opened on Friday, March 14, at 9 a.m.", "2025-03-14", "en") == \
        "It opened on Friday, March 14, at 9 a.m."  # already dated
    assert with_days("The ferry sails every Monday and on Sundays.", "2025-04-10", "en") == \
        "The ferry sails every Monday and on Sundays."  # no one day
    assert with_days("Clinics open on Tuesday evenings; it shut on Tuesday evening.", "2025-04-10", "en") == \
        "Clinics open on Tuesday evenings; it shut on Tuesday〔2025-04-08〕 evening."  # a recurring part of a day
