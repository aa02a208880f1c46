import pytest

from qabot.question.parts import question_parts


@pytest.mark.parametrize("question, parts", [
    ("阿拉木图老百姓的日子受了啥影响？后来恢复了没", ["阿拉木图老百姓的日子受了啥影响？", "后来恢复了没"]),  # no mark at its end
    ("纳扎尔巴耶夫掌权了多少年，哪年退下来的", ["纳扎尔巴耶夫掌权了多少年", "哪年退下来的"]),  # two asking clauses
    ("除了俄罗斯，还有哪些国家派了兵？吉尔吉斯派了多少？", ["除了俄罗斯，还有哪些国家派了兵？", "吉尔吉斯派了多少？"]),
    ("死的那8个军警里，警察几个，国民警卫队几个？", ["死的那8个军警里，警察几个", "死的那8个军警里，国民警卫队几个？"]),  # a frame
    ("How many soldiers did Kyrgyzstan send, and how many pieces of equipment did the CSTO bring?",
     ["How many soldiers did Kyrgyzstan send", "how many pieces of equipment did the CSTO bring?"]),
    ("what is the CSTO - who's in it and when was it set up?", ["what is the CSTO", "who's in it", "when was it set up?"]),
    # one thing asked: a clause that asks nothing belongs to the one that does
    ("2030名士兵里，有多少是俄罗斯的？", ["2030名士兵里，有多少是俄罗斯的？"]),
    ("Out of the 2,030 CSTO soldiers, how many were Russian?", ["Out of the 2,030 CSTO soldiers, how many were Russian?"]),
    ("How many died in Zhanaozen, where the protests began?", ["How many died in Zhanaozen, where the protests began?"]),
    ("托卡耶夫说了什么？然后呢", ["托卡耶夫说了什么？然后呢"]),
    ("几乎所有商店都关了，为什么？", ["几乎所有商店都关了，为什么？"]),  # 几乎 is "almost", no question word
    ("电视上说有几百人受了伤，这是哪家台报的？", ["电视上说有几百人受了伤，这是哪家台报的？"]),  # 几百: "hundreds", no question
    ("机场关闭的那几天，航班改到了哪里？", ["机场关闭的那几天，航班改到了哪里？"]),  # 那几天: "those days", no question
    # one thing asked of each of several things named together: once for each, with the words around them
    ("美国和俄罗斯对派兵这事分别说了什么？", ["美国对派兵这事说了什么？", "俄罗斯对派兵这事说了什么？"]),
    ("亚美尼亚、白俄罗斯和塔吉克斯坦各派了多少兵", ["亚美尼亚派了多少兵", "白俄罗斯派了多少兵", "塔吉克斯坦派了多少兵"]),
    ("油价上调之前和之后，每升都是多少钱？", ["油价上调之前，每升是多少钱？", "油价上调之后，每升是多少钱？"]),
    ("被捕的人里，抢商店的和放火的分别有多少？", ["被捕的人里，抢商店的有多少？", "被捕的人里，放火的有多少？"]),
    ("What did Tokayev and Putin each say about the troops?",
     ["What did Tokayev say about the troops?", "What did Putin say about the troops?"]),
    ("What did both Kyrgyzstan and Armenia send?", ["What did Kyrgyzstan send?", "What did Armenia send?"]),
    # two things named together but asked of as one: one part
    ("中国和俄罗斯的关系怎么样？", ["中国和俄罗斯的关系怎么样？"]),
    ("抗议和平息了吗？", ["抗议和平息了吗？"]),
    ("What did Russia and Belarus agree on?", ["What did Russia and Belarus agree on?"]),
])
def test_a_question_is_cut_into_the_things_it_asks(question, parts):
    assert question_parts(question) == parts
