import pytest

from qabot.question.parts import question_parts, without_remark


@pytest.mark.parametrize("question, parts", [
    ("阿拉木图老百姓的日子受了啥影响？后来恢复了没", ["阿拉木图老百姓的日子受了啥影响？", "后来恢复了没"]),  # no mark at its end
    ("纳扎尔巴耶夫掌权了多少年，哪年退下来的", ["纳扎尔巴耶夫掌权了多少年", "哪年退下来的"]),  # two asking clauses
    ("除了俄罗斯，还有哪些国家派了兵？吉尔吉斯派了多少？", ["除了俄罗斯，还有哪些国家派了兵？", "吉尔吉斯派了多少？"]),
    ("死的那8个军警里，警察几个，国民警卫队几个？", ["死的那8个军警里，警察几个", "死的那8个军警里，国民警卫队几个？"]),  # a frame
    ("How many soldiers did Kyrgyzstan send, and how many pieces of equipment did the CSTO bring?",
     ["How many soldiers did Kyrgyzstan send", "how many pieces of equipment did the CSTO bring?"]),
    ("what is the CSTO - who's in it and when was it set up?", ["what is the CSTO", "who's in it", "when was it set up?"]),
    ("Who chairs the union - and who is Ines Varga?", ["Who chairs the union", "who is Ines Varga?"]),  # no "and"
    # a question word after a clause that sets the scene ("At the summit, who …") still asks
    ("At the summit, who did the minister thank, and what did he promise the envoys?",
     ["At the summit, who did the minister thank", "what did he promise the envoys?"]),
    # a statement before the first asking sentence frames each part
    ("我朋友在阿拉木图。那边的超市开门了吗？银行呢？", ["我朋友在阿拉木图。那边的超市开门了吗？", "我朋友在阿拉木图。银行呢？"]),
    ("The curfew in the capital: who ordered it, and until when does it run?",
     ["The curfew in the capital: who ordered it", "The curfew in the capital: until when does it run?"]),
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


@pytest.mark.parametrize("question, kept", [
    ("警察一共伤了多少人？我看几家媒体给的数字对不上", "警察一共伤了多少人？"),  # 几家 here says "several"
    ("机场里到底停着多少架飞机？有说十几架的也有说二十多架的", "机场里到底停着多少架飞机？"),
    ("首都那边一共抓了多少人，前后几次通报好像对不上", "首都那边一共抓了多少人"),
    ("How many people were arrested? The reports don't seem to match.", "How many people were arrested?"),
    ("How many were arrested - I have seen different figures", "How many were arrested"),
])
def test_a_remark_that_the_reports_differ_is_no_part_of_what_is_asked(question, kept):
    assert without_remark(question) == (kept, True)
    assert question_parts(without_remark(question)[0]) == [kept]


def test_a_question_that_is_all_remark_or_none_stays_whole():
    assert without_remark("为啥各家的数对不上？") == ("为啥各家的数对不上？", True)  # nothing else asked
    assert without_remark("How many died in the conflict?") == ("How many died in the conflict?", False)  # the unrest
    assert without_remark("托卡耶夫和普京说的一样吗？") == ("托卡耶夫和普京说的一样吗？", False)
    # 矛盾 and 打架 of the events themselves are no remark about the reports
    assert without_remark("示威者跟警察在哪打起来的，打架的有多少人？")[1] is False
    assert without_remark("抓了多少人？两家的数字有点打架") == ("抓了多少人？", True)
