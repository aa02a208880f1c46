from qabot.answer import _held
from qabot.written_forms import written_forms


def test_a_spoken_former_x_has_the_prefixed_written_forms():
    assert written_forms("他之前的职务是什么？") == {"之前": ("前职务", "原职务", "前任职务")}
    assert written_forms("以前的总统和原来的总理是谁？") == {"以前": ("前总统", "原总统", "前任总统"),
                                                        "原来": ("前总理", "原总理", "前任总理")}


def test_former_without_a_noun_after_it_is_left_alone():
    assert written_forms("以前发生过这样的事吗？") == {}
    assert written_forms("这是过去的事") == {}  # 事 is a lone character, no noun phrase to prefix


def test_a_sentence_with_the_written_form_holds_the_spoken_word(qa):
    question = "哈萨克斯坦以前的总统是谁？"
    weights, stand_ins = qa.composer._weights(question, qa.searcher.search(question))
    held = _held("街头的愤怒主要针对前总统纳扎尔巴耶夫。", weights, stand_ins)
    assert "以前" in held and "总统" in held
    assert qa.answer(question).answered and "纳扎尔巴耶夫" in qa.answer(question).text
