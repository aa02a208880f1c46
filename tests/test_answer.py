import re

import pytest

from qabot.answer_kind import question_kind
from qabot.errors import QuestionError
from qabot.qa import MAX_QUESTION, clean_question


def test_an_answer_quotes_sentences_with_citation_markers(qa):
    answer = qa.answer("吉尔吉斯斯坦派出了多少辆装甲车？")
    assert answer.answered
    assert "8辆装甲车" in answer.text
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}
    first = answer.citations[0].passage
    assert first.id == "003_43fb4c2225c36c2c.txt#21"
    assert first.text in qa.index.passages[qa.searcher.search("吉尔吉斯斯坦派出了多少辆装甲车？")[0].row].text
    assert len(answer.text) <= 250
    assert len(answer.hits) >= 5


def test_who_questions_get_the_name(qa):
    answer = qa.answer("德国外交部副发言人是谁？")
    assert answer.answered and "霍夫曼" in answer.text


def test_english_questions_get_english_framing_and_original_quotes(qa):
    answer = qa.answer("How many armoured vehicles did Kyrgyzstan send?")
    assert answer.answered and answer.lang == "en"
    assert answer.text.startswith("The articles say:")
    assert "8辆装甲车" in answer.text


def test_a_question_the_articles_do_not_answer_is_not_answered(qa):
    answer = qa.answer("2022年冬奥会金牌榜第一名是哪个国家？")
    assert not answer.answered
    assert answer.citations == ()
    assert "没有找到" in answer.text
    assert len(answer.hits) >= 5  # what was nearest is still shown


def test_every_citation_is_a_passage_of_the_index(qa):
    ids = {p.id for p in qa.index.passages}
    for question in ("托卡耶夫宣布哪天为全国哀悼日？", "俄罗斯维和人员来自哪些部队？", "Who is Nazarbayev?"):
        answer = qa.answer(question)
        assert all(c.passage.id in ids for c in answer.citations)


@pytest.mark.parametrize("question, kind", [
    ("死了多少人？", "number"), ("How many soldiers?", "number"), ("哪天开始的？", "when"),
    ("When did it start?", "when"), ("谁说的？", "who"), ("Who said it?", "who"), ("为什么？", "why"),
    ("情况怎样？", ""), ("部队会待多久？", "duration"), ("How long will they stay?", "duration"),
    ("能按时间顺序讲讲吗？", "timeline"), ("What happened from May 1 to May 3?", "timeline"),
])
def test_question_kinds(question, kind):
    assert question_kind(question) == kind


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", "\x00\x07", "\u200b"[:0]])
def test_an_empty_question_is_a_clear_error(raw):
    with pytest.raises(QuestionError, match="empty"):
        clean_question(raw)


def test_control_characters_are_dropped_and_long_questions_cut():
    assert clean_question("托卡耶夫\x00是\x1b谁？\n") == "托卡耶夫 是 谁？"
    assert len(clean_question("问" * 10_000)) == MAX_QUESTION


def test_a_very_long_question_is_still_answered(qa):
    answer = qa.answer("吉尔吉斯斯坦派出了多少辆装甲车？" * 700)
    assert answer.hits


@pytest.mark.parametrize(("question", "never"), [("托卡耶夫的夫人叫什么名字？", "“夫人”"),
                                                ("骚乱期间哈萨克斯坦的学校停课了吗？", "“学校”"),
                                                ("哈萨克斯坦的国宝动物是什么？", "“国宝”、“动物”")])
def test_a_question_about_what_the_articles_never_mention_says_so(qa, monkeypatch, question, never):
    from qabot import relevance

    answer = qa.answer(question)
    assert not answer.answered and answer.citations == ()
    assert never in answer.text  # the reply names what the articles never speak of
    monkeypatch.setattr(relevance, "UNSPOKEN_PULL", 1.0)
    assert qa.answer(question).answered  # without the check, the nearest sentences were quoted


@pytest.mark.parametrize(("question", "never"), [("纳扎尔巴耶夫是哪一年出生的？", "“出生”"),  # a verb
                                                ("土耳其总统对这次骚乱说了什么？", "“土耳其”")])  # a place
def test_a_verb_or_place_the_articles_never_use_is_named_in_the_refusal(qa, monkeypatch, question, never):
    from qabot import relevance

    answer = qa.answer(question)
    assert not answer.answered and never in answer.text
    monkeypatch.setattr(relevance, "UNSPOKEN_PULL", 1.0)
    assert qa.answer(question).answered


def test_words_the_articles_use_in_a_title_or_as_the_last_part_of_a_compound_are_not_unspoken(qa):
    assert "定性" not in qa.relevance.never_used("托卡耶夫把骚乱定性为什么？")  # a title says "托卡耶夫定性：未遂政变"
    assert qa.relevance.never_used("骚乱造成了多少经济损失？") == ()  # the articles speak of 损失
    assert qa.answer("骚乱造成了多少经济损失？").answered
    assert qa.relevance.never_used("托卡耶夫的夫人叫什么名字？") == ("夫人",)


@pytest.mark.parametrize("question", ["有外国人在这次骚乱中被打死吗？", "阿拉木图遭到了几波恐怖分子袭击？",
                                      "骚乱中有军警死亡吗？"])
def test_a_colloquial_noun_the_articles_never_use_is_no_reason_to_refuse(qa, question):
    assert qa.answer(question).answered  # 外国人, 几波, 军警: said otherwise in the articles


@pytest.mark.parametrize("question", ["如何做红烧肉？", "苹果公司的市值是多少？", "How do I bake bread?",
                                      "What is the capital of Australia?"])
def test_questions_about_something_else_entirely_are_not_answered(qa, question):
    answer = qa.answer(question)
    assert not answer.answered and answer.citations == ()


def test_a_paraphrase_without_shared_words_is_still_answered(qa):
    answer = qa.answer("有没有地方的安全部队站到了示威者那边？")
    assert answer.answered and "倒向抗议者" in answer.text


def test_where_questions_get_the_place(qa):
    answer = qa.answer("上合组织反恐机构设在哪个城市？")
    assert answer.answered and "塔什干" in answer.text


def test_sources_that_disagree_are_listed_newest_first(qa):
    answer = qa.answer("骚乱中一共有多少人死亡？")
    assert answer.answered
    assert answer.text.startswith("各报道说法不一")
    assert "164人死亡" in answer.text and "26人" in answer.text
    dates = [c.passage.date for c in answer.citations]
    assert len({c.passage.doc for c in answer.citations}) >= 2
    assert dates == sorted(dates, reverse=True)
    assert "观察者网（2022-01-10）" in answer.text  # each figure with its source and date


@pytest.mark.parametrize("question", ["阿拉木图市长叫什么名字？", "克兹拉尔达市的市长是谁？"])
def test_who_questions_whose_passages_name_no_one_are_not_answered(qa, question):
    # the articles speak of the mayor's office and of the city, but name no mayor
    answer = qa.answer(question)
    assert not answer.answered


def test_a_name_the_question_already_holds_is_no_answer_to_who():
    from qabot.answer_kind import fits

    assert not fits("who", "总理阿斯卡尔·马明领导的内阁提交了辞职。", "马明内阁辞职后接任的是谁？")
    assert fits("who", "总理阿斯卡尔·马明领导的内阁提交了辞职。", "谁领导的内阁辞职了？")


def test_who_did_something_may_be_answered_by_an_organisation():
    from qabot.answer_kind import fits

    text = "俄罗斯国防部宣布，集安组织的部队已经控制了阿拉木图机场。"
    assert fits("who", text, "谁控制了阿拉木图机场？")
    assert not fits("who", text, "俄罗斯国防部的发言人是谁？")  # a person in a role: no organisation will do
    assert not fits("who", text, "控制机场的那个人叫什么名字？")  # a person's name


def test_an_organisation_that_did_it_answers_who(qa):
    answer = qa.answer("谁批准了驻阿拉木图领事馆的雇员离开？")
    assert answer.answered and "美国国务院" in answer.text


def test_a_when_question_without_a_date_where_it_is_spoken_of_is_not_answered(qa):
    # the articles say the troops will leave once their task is done, never on which day they left
    assert not qa.answer("集安组织的维和部队是哪天撤离哈萨克斯坦的？").answered
    assert qa.answer("集安组织是哪一年成立的？").answered


def test_how_many_in_a_unit_wants_a_count_in_that_unit():
    from qabot.answer_kind import fits

    assert fits("number", "他曾两度担任总理。", "他当过几次总理？")  # 度 counts times as 次 does
    assert not fits("number", "他在2019年卸任。", "他被判了几年？")  # a year of the calendar counts no years
    assert fits("number", "掌权的近30年间。", "他掌权了多少年？")
    assert fits("number", "派遣了150名士兵。", "派了多少兵？")  # no unit asked: any figure


def test_a_count_in_another_unit_does_not_answer(qa):
    answer = qa.answer("德国外交部副发言人被判了几年？")
    assert not answer.answered


def test_figures_of_other_things_are_not_reported_as_a_disagreement(qa):
    answer = qa.answer("How many armoured vehicles did Kyrgyzstan send?")
    assert answer.text.startswith("The articles say:") and "12架" not in answer.text


def test_a_question_in_several_parts_is_answered_part_by_part(qa):
    from qabot.answer import question_parts

    assert question_parts("断网影响有多大？网后来恢复了吗？") == ["断网影响有多大？", "网后来恢复了吗？"]
    assert question_parts("Who led it? When did it end?") == ["Who led it?", "When did it end?"]
    for single in ("除了俄罗斯，还有哪些国家派了兵？", "谁？是谁？", "托卡耶夫说了什么？然后呢"):
        assert question_parts(single) == [single]
    question = "吉尔吉斯斯坦向哈萨克斯坦派了多少士兵？托卡耶夫把骚乱定性为什么？"
    answer = qa.answer(question)
    first, second = (qa.answer(p) for p in question_parts(question))
    assert answer.answered and answer.question == question
    assert "150" in answer.text
    unmarked = __import__("re").compile(r"\[\d+\]")
    for part in (first, second):  # each part's own answer, in turn
        assert part.answered and unmarked.sub("", part.text) in unmarked.sub("", answer.text)
    cited = {c.passage.id for c in answer.citations}
    assert cited == {c.passage.id for c in first.citations} | {c.passage.id for c in second.citations}
    numbers = [int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer.text)]
    assert sorted(set(numbers)) == list(range(1, len(answer.citations) + 1))
    for citation in answer.citations:  # each marker points at the paragraph its sentence came from
        marker = f"[{citation.n}]"
        sentence = answer.text.split(marker)[0].split("]")[-1]
        assert sentence[-15:] in citation.passage.text


def test_place_names_count_for_where_but_transliterated_people_do_not():
    from qabot.answer_kind import fits

    assert fits("where", "抗议活动最初在依赖液化石油气的曼格斯套（Mangystau）开始。", "抗议最早从哪里开始？")  # glossed
    assert fits("where", "在贾姆比尔地区查获了一个武器库。", "武器库在哪里查获？")  # a place word follows
    assert fits("where", "将部队及装备运送至热特根机场。", "部队运到了哪里？")
    assert not fits("where", "后演变成对前总统纳扎尔巴耶夫的抗议。", "抗议在哪里？")  # a person, tagged as a name
    assert not fits("where", "这座城市的局势已经稳定。", "局势在哪里稳定？")  # "城市" names no place


def test_a_word_after_a_persons_title_is_a_name_and_a_quoted_name_answers_what_a_thing_is_called():
    from qabot.answer_kind import fits

    assert fits("who", "俄罗斯国防部长绍伊古持续向总统通报情况。", "谁向总统通报情况？")
    assert not fits("who", "总理阿斯卡尔·马明领导的内阁辞职。", "马明之后谁当总理？")  # the whole name, as asked
    assert fits("who", "该国执政党“祖国之光党”表示，总部被焚烧。", "该国执政党叫什么？")
    assert not fits("who", "该国执政党“祖国之光党”表示，总部被焚烧。", "发言的那个人叫什么名字？")


def test_who_is_not_answered_with_names_from_passages_about_something_else():
    from qabot.answer import Composer
    from qabot.passages import Passage
    from qabot.search import Hit

    def hit(n: int, text: str, cosine: float) -> Hit:
        passage = Passage(id=f"a.md#{n}", doc="a.md", paragraph=n, text=text, title="景区通报", source="晨报",
                          date="2023-05-02")
        return Hit(passage=passage, score=cosine, dense=cosine, keyword=0.0, row=n, sentences=(cosine,))

    composer = Composer(lambda word: 3.0)  # every word rare: each counts as evidence
    hits = [hit(1, "一名游客在景区内被落石砸伤，目前正在医院接受治疗。", 0.90),
            hit(2, "另有一名登山者王丽在山道上扭伤脚踝，也被送往医院治疗。", 0.89),  # as close in meaning, named
            hit(3, "气象部门提醒，未来几天山区仍有降雨。", 0.80)]
    # the name is in a passage that lacks the words (落石, 砸伤, 游客) that the passage about the asked man holds
    assert not composer.compose("那名被落石砸伤的游客叫什么名字？", hits).answered
    assert composer.compose("那名扭伤脚踝的登山者叫什么名字？", hits).answered


def test_a_when_question_wants_a_date_however_it_is_spaced():
    from qabot.answer_kind import fits

    assert fits("when", "俄罗斯于 2002 年与部分邻国共同成立了该组织。")
    assert fits("when", "当地时间 1 月 7 日，总统宣布。")
    assert not fits("when", "紧急状态已持续 120 日。")  # a length of time, not the 20th
    # English text (a user's own articles): weekdays and years after a preposition
    assert fits("when", "The alliance was founded in 2002 by Russia.")
    assert fits("when", "Protests broke out on Sunday in the west.")
    assert fits("when", "In 2002 the alliance was founded.")
    assert not fits("when", "Some 2030 soldiers were deployed.")


@pytest.mark.parametrize("question", ["集安组织是哪一年成立的？", "In which year was the CSTO set up?"])
def test_the_year_something_was_founded_is_found_in_spaced_text(qa, question):
    answer = qa.answer(question)  # the text says "俄罗斯于 2002 年…成立了集安组织"
    assert answer.answered and "2002" in answer.text


def test_how_long_wants_a_duration_not_a_date():
    from qabot.answer_kind import fits

    assert fits("duration", "他们的存在可能不会超过一周。")
    assert fits("duration", "该组织将“在有限的时间内”派遣维和部队。")
    assert fits("duration", "掌权的近30年间。")
    assert not fits("duration", "国防部在7日表示。")  # a day of the month is no length of time
    assert not fits("duration", "他在2019年卸任。")


def test_a_how_long_question_is_answered_with_a_length_of_time(qa):
    answer = qa.answer("How long will the CSTO troops stay in Kazakhstan?")
    assert answer.answered and any(w in answer.text for w in ("一周", "短期", "一段时间", "有限的时间"))


def test_what_did_they_say_and_do_gets_several_sentences(qa):
    answer = qa.answer("普京这几天对哈萨克斯坦的事都说了些什么？")
    assert answer.answered and len(answer.citations) >= 3


@pytest.mark.parametrize("question, yes_or_no", [
    ("哈萨克斯坦有没有实施紧急状态？", True), ("骚乱中有银行被抢吗？", True), ("他是否辞职了？", True),
    ("能告诉我发生了什么吗？", False),  # asks what, politely
    ("谁辞职了？", False), ("Did the protesters take the airport?", False),
])
def test_yes_or_no_questions(question, yes_or_no):
    from qabot.answer_kind import asks_yes_or_no

    assert asks_yes_or_no(question) is yes_or_no


def test_a_yes_or_no_question_is_answered_only_by_sentences_that_name_what_it_asks_about(qa, monkeypatch):
    from qabot import answer

    # 美国 and 公民 are words of the articles, but no sentence says that American citizens were arrested
    question = "骚乱中有美国公民被捕吗？"
    assert not qa.answer(question).answered
    monkeypatch.setattr(answer, "asks_yes_or_no", lambda q: False)
    assert qa.answer(question).answered  # without the rule, the nearest sentences about arrests were quoted
    monkeypatch.undo()
    found = qa.answer("哈萨克斯坦有没有实施紧急状态？")
    assert found.answered and "紧急状态" in found.text
    # a noun the articles never use is not held against an answer: 军警 meets 安全部队 only through the model
    assert qa.answer("骚乱中有军警死亡吗？").answered


@pytest.mark.parametrize(("question", "name"), [("托卡耶夫是谁？", "托卡耶夫"), ("潘光到底是什么人", "潘光"),
                                               ("Who is Nazarbayev?", "Nazarbayev"), ("Who was Karim Massimov?", "Karim Massimov")])
def test_who_is_x_asks_about_x(question, name):
    from qabot.answer_kind import defined

    assert defined(question) == name and question_kind(question) == "define"


@pytest.mark.parametrize("question", ["哈萨克斯坦内务部现在的代理部长是谁？", "德国外交部副发言人是谁？", "是谁提议开集安组织峰会的？",
                                      "Who is the acting interior minister?", "托卡耶夫的妻子是谁？", "他是谁？"])
def test_a_role_or_a_relation_asks_for_a_name(question):
    from qabot.answer_kind import defined

    assert defined(question) == "" and question_kind(question) == "who"


@pytest.mark.parametrize(("text", "expected"), [
    ("现任总统托卡耶夫是哈萨克斯坦的第二位最高领导人。", True),  # a title before the name
    ("国家安全委员会副主任萨马德·阿比什被免职。", True),  # ... with a given name between
    ("81岁的纳扎尔巴耶夫虽然已卸任。", True),  # an age
    ("托卡耶夫补充说，局势已经稳定。", False),  # named, not introduced
    ("马西莫夫在前总统托卡耶夫辞职后被任命。", False),  # introduced, but the sentence is about someone else
])
def test_a_sentence_that_says_who_someone_is(text, expected):
    from qabot.answer_kind import introduces

    assert introduces(text, ["托卡耶夫", "阿比什", "纳扎尔巴耶夫"]) is expected


def test_who_is_x_is_answered_by_what_x_is(qa):
    answer = qa.answer("托卡耶夫是谁？")
    assert answer.answered and answer.text.startswith("现任总统托卡耶夫是")
    answer = qa.answer("Who is Pashinyan?")  # a name the articles gloss in Latin: on topic
    assert answer.answered and "总理尼科尔·帕什尼扬" in answer.text


def test_a_name_the_question_cut_apart_is_still_searched_and_held(qa):
    from qabot.keywords import query_tokens

    assert "潘光" not in query_tokens("潘光是谁？")  # jieba cuts a short question 潘 / 光是 / 谁
    assert "潘光" in query_tokens("潘光是谁？", known=qa.index.vocabulary.__contains__)
    answer = qa.answer("潘光是谁？")
    assert answer.answered and "主任潘光" in answer.text
