import functools
import sys

import numpy as np
import pytest

from qabot.question.parts import question_parts


def test_the_question_is_analysed_into_its_kind_focus_and_unknown_nouns(qa):
    question = qa.analyser("有多少学生在骚乱中受伤？")
    assert question.kind == "number" and question.focus == "学生"
    assert "学生" in question.unknown_nouns  # no passage speaks of students
    assert question.without_unknown is not None and "学生" not in question.without_unknown.text
    assert qa.analyser("俄罗斯维和部队的指挥官是谁？").focus == "指挥官"
    assert qa.analyser("骚乱造成了多少经济损失？").unknown_nouns == ()  # 经济损失: the articles say 损失


def test_no_piece_of_a_word_the_articles_use_and_no_function_word_is_an_unknown_noun(qa):
    # the reply names a question's unknown nouns as words the articles never mention: the tagger cuts a name its
    # dictionary lacks its own way (叶尔|迪斯 where the articles, cut plainly, give 叶尔迪斯|巴耶夫), and a function
    # word is no word of the index, so neither may be named
    assert qa.analyser("叶尔迪斯巴耶夫是做什么工作的？").unknown_nouns == ()
    assert qa.analyser("半岛网那篇报道一共配了几张图？").unknown_nouns == ()
    assert qa.analyser("阿拉木图现在的情况怎么样？").unknown_nouns == ()
    assert qa.analyser("集安组织的足球队派了多少人？").unknown_nouns == ("足球队",)  # no article has it
    # "多少家店", "几辆车": the cut joins the measure word to the thing counted (家店, 辆车), which is no noun
    assert qa.analyser("一共有多少家店被烧了？").unknown_nouns == ()
    assert qa.analyser("街上停着几辆车？").unknown_nouns == ()


def test_words_for_the_articles_themselves_are_no_topic(qa):
    # "文章里…", "帖子里…": the reply may not say the articles never mention 文章
    question = qa.analyser("文章里那个总统顾问叫啥？")
    assert question.unknown_nouns == () and question.unknown == 0.0
    assert qa.analyser("What do the articles say about the airport?").unknown == 0.0


def test_a_lone_character_of_a_word_the_articles_use_is_no_word_they_never_use(qa):
    # "派了多少兵": 派 and 兵 are no words of the articles, which say 派遣 and 士兵; they are not "never mentioned",
    # and a sentence holding 士兵 holds 兵
    question = qa.analyser("俄罗斯派了多少兵？")
    assert question.unknown == 0.0 and "士兵" in question.forms["兵"]
    assert qa.analyser("俄罗斯派了多少猫？").unknown > 0.3  # no word of theirs holds 猫


def test_a_word_only_a_title_uses_is_one_the_articles_use(qa):
    # "托卡耶夫定性：未遂政变": the reply may not say the articles never mention 定性 while naming that article
    assert "定性" in qa.analyser.titled and qa.index.document_frequency("定性") == 0
    question = qa.analyser("托卡耶夫把这事定性为什么？")
    assert "定性" not in question.unknown_nouns and "定性" in question.known


def test_a_stated_source_becomes_a_filter_and_leaves_the_searched_text(qa):
    question = qa.analyser("半岛网怎么说死亡人数？")
    assert question.asked == "半岛网怎么说死亡人数？"
    assert question.filters is not None and question.filters.source == "半岛网"
    assert "半岛网" not in question.text and all("半岛网" not in w.text for w in question.wordings)


def test_a_remark_that_the_reports_differ_is_kept_as_a_flag_not_as_words(qa):
    question = qa.analyser("商店一共被抢了多少家？各家媒体报的数差得挺多")
    assert question.differs and question.text == "商店一共被抢了多少家？" and not question.parts
    assert question.asked == "商店一共被抢了多少家？各家媒体报的数差得挺多" and question.unknown_nouns == ()
    assert not qa.analyser("商店一共被抢了多少家？").differs


def test_a_question_in_parts_is_analysed_part_by_part(qa):
    question = qa.analyser("吉尔吉斯斯坦派了多少士兵？托卡耶夫的夫人叫什么名字？")
    assert [p.text for p in question.parts] == ["吉尔吉斯斯坦派了多少士兵？", "托卡耶夫的夫人叫什么名字？"]
    assert question.parts[0].kind == "number" and question.parts[0].unit == "人"  # soldiers are counted in 人
    assert question_parts("Who led it? When did it end?") == ["Who led it?", "When did it end?"]


def test_a_later_part_that_names_nothing_of_its_own_is_read_with_what_the_parts_before_name(qa):
    question = qa.analyser("纳扎尔巴耶夫掌权了多少年，哪年退下来的")
    first, then = question.parts
    assert first.kind == "number" and then.kind == "when"  # what each part asks is its own
    assert then.asked == "哪年退下来的" and "纳扎尔巴耶夫" in then.text and "纳扎尔巴耶夫" in then.weights
    english = qa.analyser("what is the CSTO - when was it set up?").parts[1]
    assert english.asked == "when was it set up?" and "csto" in english.weights and english.kind == "when"
    # a part that names its own subject is read alone
    assert qa.analyser("吉尔吉斯斯坦派了多少士兵？托卡耶夫的夫人叫什么名字？").parts[1].text == "托卡耶夫的夫人叫什么名字？"


def test_a_list_question_and_a_chronology_say_so(qa):
    assert qa.analyser("除了俄罗斯，还有哪些国家派了兵？").listing
    assert not qa.analyser("俄罗斯派了多少兵？").listing
    assert qa.analyser("What happened between January 5 and January 7?").kind == "timeline"


def _counting(calls, name, function, text):
    @functools.wraps(function)
    def counted(*args, **kwargs):
        if args and args[0] == text:
            calls[name] = calls.get(name, 0) + 1
        return function(*args, **kwargs)
    return counted


@pytest.mark.parametrize("text", ["吉尔吉斯斯坦向哈萨克斯坦派了多少士兵？", "Who is the president of Kazakhstan?"])
def test_one_answer_cuts_classifies_and_embeds_the_question_once(qa, monkeypatch, text):
    # Every binding of the language functions in qabot's modules is wrapped, so a stage that cut or classified the
    # question again, under any name it imported, would be counted.
    watched = ("question_words", "query_tokens", "tokens", "token_set", "tagged", "question_kind", "language",
               "stated_filters", "question_parts")
    calls: dict[str, int] = {}
    for module in [m for name, m in sys.modules.items() if name.startswith("qabot")]:
        for name in watched:
            function = getattr(module, name, None)
            if callable(function):
                monkeypatch.setattr(module, name, _counting(calls, name, function, text))
    embedded: list[str] = []
    embed = qa.embedder.embed
    monkeypatch.setattr(qa.embedder, "embed", lambda texts, kind: embedded.extend(texts) or embed(texts, kind))
    qa.answer(text)
    assert calls.get("question_words") == 1 and calls.get("tagged") == 1
    assert calls.get("question_kind") == 1 and calls.get("language") == 1
    assert not {"query_tokens", "token_set"} & set(calls)  # no stage re-derives the words from the text
    assert embedded.count(text) == 1


def test_a_question_pays_at_most_three_query_embeddings_in_one_call(qa, monkeypatch):
    calls: list[list[str]] = []
    embed = qa.embedder.embed
    monkeypatch.setattr(qa.embedder, "embed", lambda texts, kind: calls.append(list(texts)) or embed(texts, kind))
    # three parts, another name of 集安组织 and a word no passage uses: the whole is searched by its parts' mean
    question = qa.analyser("集安组织是啥？谁在里头？它的足球队哪年成立的？")
    assert len(question.parts) == 3 and len(calls) == 1 and len(calls[0]) == 3
    assert calls[0] == [p.text for p in question.parts]
    assert all(w.vector is not None for p in question.parts for w in p.wordings)
    mean = sum(p.vector for p in question.parts)
    assert np.allclose(question.vector, mean / np.linalg.norm(mean), atol=1e-6)
    calls.clear()
    one = qa.analyser("集安组织的足球队派了多少人？")  # the question, without its unknown noun, in the other name
    assert [len(c) for c in calls] == [3] and one.without_unknown is not None and len(one.wordings) == 2


def test_a_question_in_the_other_language_is_searched_with_its_words_in_the_articles_language(qa, monkeypatch):
    calls: list[list[str]] = []
    embed = qa.embedder.embed
    monkeypatch.setattr(qa.embedder, "embed", lambda texts, kind: calls.append(list(texts)) or embed(texts, kind))
    question = qa.analyser("How many soldiers did Kyrgyzstan send?")  # over the Chinese seeds
    assert "士兵" in question.gloss.split() and not any(w.isascii() and w.isalpha() for w in question.gloss.split())
    assert len(calls) == 1 and calls[0][:2] == [question.text, question.gloss]  # one call, one text more
    assert np.allclose(question.vector, embed([question.text], "query")[0], atol=1e-5)  # searched as asked
    assert np.allclose(question.gloss_vector, embed([question.gloss], "query")[0], atol=1e-5)
    assert qa.analyser("吉尔吉斯斯坦派了多少士兵？").gloss == ""  # asked in the articles' own language


def test_a_latin_name_glossed_once_weighs_and_is_searched_as_its_chinese_form(qa):
    # 托卡耶夫（Kassym-Jomart Tokayev）: the Latin name is in one passage, the Chinese one in most; an English
    # question about Tokayev must not find that one passage first because it spells the name the same way
    index, analyser = qa.index, qa.analyser
    assert index.document_frequency("tokayev") < index.document_frequency("卡耶夫")
    question = analyser("What evidence did Tokayev say he had about foreign terrorists?")
    assert question.weights["tokayev"] < analyser.idf("tokayev")
    assert "tokayev" not in question.wordings[0].terms and "卡耶夫" in question.wordings[0].terms
    assert "tokayev" in question.names and "tokayev" in question.known  # still a name the articles use


def test_an_english_question_is_read_through_the_dictionary(qa):
    question = qa.analyser("How many soldiers did Kyrgyzstan send?")
    assert "士兵" in question.forms["soldiers"] and "吉尔吉斯斯坦" in question.forms["kyrgyzstan"]
    assert "kyrgyzstan" in question.names and question.unknown == 0.0  # the articles use all its words, in Chinese
    assert question.weights["kyrgyzstan"] == qa.analyser.idf("吉尔吉斯斯坦")  # weighs what its Chinese form weighs
    off = qa.analyser("Who won the 2022 football World Cup?")
    assert "football" in off.unknown_nouns and off.unknown > 0.5  # 足球, 世界杯: never in these articles
    assert off.without_unknown is not None and "football" not in off.without_unknown.text
    untranslated = qa.analyser("Who is Turgumbayev?")  # a name the dictionary lacks is no evidence either way
    assert untranslated.unknown == 0.0 and untranslated.unknown_nouns == ()
    # A word whose Chinese the articles use only as a lone character (部 of "ministry") or inside a longer word
    # (发言人 of 新闻发言人, the dictionary's "spokesman"), or as a source's name (知乎), is no word they never use;
    # function words are no evidence at all.
    said = qa.analyser("What did the ministry spokesman say in the Zhihu post before the protests?")
    assert said.unknown_nouns == () and said.unknown == 0.0
    assert not {"before", "the", "in"} & set(said.weights)
    chatty = qa.analyser("lol so how many ppl got arrested by the 8th, something like that?")
    assert not {"lol", "ppl", "got", "th", "something", "like"} & set(chatty.weights)  # a chat's filler, no topic
    assert "发言人" in said.forms["spokesman"]
    chinese = qa.analyser("吉尔吉斯斯坦派了多少士兵？")
    assert not any("士兵" in forms for forms in chinese.forms.values())  # Chinese questions are not translated


def test_an_english_word_none_of_whose_forms_the_articles_use_is_read_in_its_two_word_senses(qa):
    q = qa.analyser("Which western city did the protests start in?")
    assert "西部" in q.forms["western"]  # the dictionary's own form is 西部片 (a western film), which they never use
    known = [f for f in q.forms["western"] if qa.analyser.known(f)]
    assert q.weights["western"] == min(map(qa.analyser.idf, known))  # weighs as its commonest such form


def test_over_english_articles_another_ending_is_the_same_word_and_an_unused_word_is_evidence(qa_over):
    qa = qa_over({"cold.md": "---\ntitle: Coldest night\ndate: 2022-01-12\n---\nThe Glacier Point observatory "
                             "recorded minus 41.7 degrees Celsius on the night of January 11, its coldest reading in 40 "
                             "years.\n\nA high-pressure system trapped cold air in the valley for four days.\n"})
    question = qa.analyser("What temperature did the Glacier Point observatory record?")
    assert "recorded" in question.forms["record"] and "record" in question.known
    # a word English articles never use counts against them, as a Chinese word does over Chinese ones: here one of
    # five; the figure in degrees that a temperature is given in is what answers it
    assert 0.0 < question.unknown < 0.5 and question.unknown_nouns == ("temperature",)
    assert question.kind == "number" and question.unit == "度"
    off = qa.analyser("Who won the regional football cup at Glacier Point?")
    assert off.unknown > 0.5 and {"football", "cup"} <= set(off.unknown_nouns)


def test_over_english_articles_a_chinese_compound_in_pieces_they_use_is_no_word_they_never_use(qa_over):
    qa = qa_over({"plant.md": "---\ntitle: Plant chief quits\ndate: 2025-03-02\n---\nThe director of the chemical "
                              "plant, Ines Varga, resigned on Friday, the state quality department said.\n"})
    question = qa.analyser("化工厂质量部的主任叫什么名字？")
    # 质量部 is no dictionary word, but 质量 (quality) and 部 (department) are the articles'; 工厂 is a piece of
    # 化工厂 (chemical plant); 名字 is the question's form, asking a name
    assert not {"质量部", "工厂", "名字"} & set(question.unknown_nouns)
    assert "名字" not in question.weights and question.unknown == 0.0
    off = qa.analyser("化工厂的食堂叫什么名字？")  # 食堂 (canteen): a word they never use is still one
    assert "食堂" in off.unknown_nouns


def test_over_english_articles_a_word_they_use_is_held_in_its_other_endings_too(qa_over):
    from qabot.answer.features import held_words

    qa = qa_over({"fire.md": "---\ntitle: Hill fire\ndate: 2025-08-03\n---\nThe wildfire had burned 900 acres by "
                             "Sunday.\n\nCrews said the burning hillside was too steep to reach on foot.\n"})
    question = qa.analyser("How many acres ended up burning?")
    assert "burned" in question.forms["burning"]
    assert "burning" in held_words("The wildfire had burned 900 acres by Sunday.", question.known, question.forms)
    chinese = qa_over({"fire.md": "---\ntitle: 山火\ndate: 2025-08-03\n---\n山火已烧毁900英亩林地。\n"})
    forms = chinese.analyser("How many acres ended up burning?").forms.get("burning", ())
    assert not {"burned", "burns"} & set(forms)  # over Chinese articles: its Chinese forms, no English endings


def test_over_english_articles_a_chinese_word_whose_own_senses_they_never_use_is_read_as_the_entries_it_ends(qa_over):
    qa = qa_over({"tram.md": "---\ntitle: Tram stops short\ndate: 2025-05-04\n---\nA tram on the harbour line "
                             "braked hard outside Pellow Square on Sunday, and four passengers were treated for bruises."
                             "\n"})
    # the dictionary's own sense of 电车 is trolleybus, which these articles never use; 有轨电车, an entry ending in
    # it, is a tram
    question = qa.analyser("电车在哪里急刹车的？")
    assert "tram" in question.forms["电车"] and "电车" not in question.unknown_nouns
    off = qa.analyser("电车司机的工资是多少？")  # 工资 (wages): a word they never use stays one
    assert "工资" in off.unknown_nouns


def test_a_latin_word_or_number_is_held_as_a_word_of_its_own_or_with_an_ending_not_inside_another_word():
    from qabot.answer.features import coverage, held_words, inside

    assert inside("crash", "the tram crashed.") and inside("tram", "two trams") and inside("24", "24 people")
    assert not inside("de", "the depot") and not inside("rail", "it derailed") and not inside("won", "i wonder")
    assert not inside("24", "in 2024") and not inside("200", "1,200 homes") and inside("1.5", "a 1.5m wall")
    assert inside("电车", "有轨电车停了")  # a Chinese word, which no spaces delimit, anywhere
    assert held_words("The depot reopened in 2024.", ["de", "24", "depot"]) == {"depot"}
    assert coverage("Crews wondered why the tram derailed.", {"won": 1.0, "rail": 1.0, "tram": 2.0}) == 0.5
