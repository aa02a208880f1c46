import pytest

from qabot.short_forms import long_forms, spelled_out

TEXTS = ["国家安全委员会副主任萨马德·阿比什被免职。", "俄罗斯国防部表示，8日有20架军用货机继续运送部队。",
         "出租车因燃料短缺而停止运行。", "街头的愤怒主要针对他，以及前总统纳扎尔巴耶夫。", "吉尔吉斯斯坦在7日表示。"]


@pytest.mark.parametrize(("word", "long"), [
    ("国安", "国家安全"),  # the characters begin the words in turn
    ("国安委", "国家安全委员会"),
    ("军机", "军用货机"),  # ... the last one inside the last word
    ("停运", "停止运行"),
    ("吉尔吉斯", "吉尔吉斯斯坦"),  # a word it begins (a function word after it is no matter)
    ("以前", ""),  # 以及 is a function word: no long form of 以前
    ("央行", ""),  # not in the texts
])
def test_the_long_form_the_texts_spell(word, long):
    assert spelled_out(word, TEXTS) == long


def test_only_words_the_articles_never_use_are_read_as_short():
    known = {"安全", "停止"}.__contains__
    # jieba cuts 国安 / 委: the longer reading is tried first
    assert long_forms("国安委的人停运了吗？", TEXTS, known) == {"国安委": "国家安全委员会", "停运": "停止运行"}
    assert long_forms("国家安全委员会怎么了？", TEXTS, lambda word: True) == {}


def test_a_short_form_is_searched_and_held_in_the_articles_words(qa):
    question = "国安委副主任阿比什被怎么处理了？"
    weights, stand_ins = qa.composer._weights(question, qa.searcher.search(question))
    assert any(form.startswith("国家安全委员会") for forms in stand_ins.values() for form in forms)
    answer = qa.answer(question)
    assert answer.answered and "国家安全委员会副主任萨马德·阿比什被免职" in answer.text
