import json

import pytest

from qabot.answer.compose import Answer, Citation
from qabot.evaluation.metrics import Question, load_questions, norm, score, separation
from qabot.ingest.passages import Passage
from qabot.search.searcher import Hit


def passage(doc, n, text):
    return Passage(id=f"{doc}#{n}", doc=doc, paragraph=n, text=text, title="t", source="s", date="2022-01-01")


def hit(p):
    return Hit(passage=p, score=1.0, dense=0.9, keyword=1.0, row=0)


GOLD = passage("a.txt", 3, "集安组织出动了2,030名士兵。")
OTHER = passage("b.txt", 1, "无关的一段。")


def question(qid, type_="number", answers=("2030",), gold=(("a.txt", "出动了 2030 名士兵"),)):
    return Question(id=qid, question="?", type=type_, lang="zh", answers=answers, gold=gold)


def answer(answered, text, hits, cited=()):
    return Answer(question="?", answered=answered, text=text, citations=tuple(Citation(i + 1, p) for i, p in
                  enumerate(cited)), hits=tuple(hit(p) for p in hits), lang="zh")


def test_norm_ignores_white_space_and_both_commas():
    assert norm("2,030 名，士兵\n") == "2030名士兵"


def test_metrics_follow_the_readme_definitions():
    questions = [question("q1"), question("q2"), question("q3"), question("u1", "unanswerable", (), ()),
                 question("u2", "unanswerable", (), ())]
    answers = [
        answer(True, "出动了2030名士兵[1]", [GOLD, OTHER], [GOLD]),  # rank 1, cited, correct
        answer(True, "不知道多少[1]", [OTHER, OTHER, GOLD], [OTHER]),  # rank 3, wrong citation and answer
        answer(False, "文章中没有找到答案。", [OTHER] * 10, []),  # refused
        answer(False, "文章中没有找到答案。", [OTHER], []),  # correct refusal
        answer(True, "瞎说一通[1]", [OTHER], [OTHER]),  # should have refused
    ]
    m = score(questions, answers)
    assert m["hit@1"] == pytest.approx(1 / 3)
    assert m["hit@5"] == pytest.approx(2 / 3)
    assert m["mrr@10"] == pytest.approx((1 + 1 / 3) / 3)
    assert m["cite_ok"] == pytest.approx(1 / 3)
    assert m["answer_acc"] == pytest.approx(1 / 3)
    assert m["false_abstain"] == pytest.approx(1 / 3)
    assert m["abstain"] == pytest.approx(1 / 2)
    assert m["answer_chars_p50"] == len("不知道多少[1]")
    assert m["answer_chars_max"] == len("出动了2030名士兵[1]")
    assert m["false_differ"] == 0.0  # neither answered question says the reports differ


def test_false_differ_is_the_share_of_answered_one_answer_questions_whose_answer_says_the_reports_differ():
    from qabot.answer.compose import DIFFER

    questions = [question("n1"), question("n2"), question("w1", "when", ("1月7日",)),
                 question("c1", "conflict", ("3811", "4266")), question("n3"), question("u1", "unanswerable", (), ())]
    answers = [
        answer(True, DIFFER["zh"] + "甲报（2022-01-08）：出动了2030名士兵[1]；乙报（2022-01-07）：派出150名士兵[2]", [GOLD]),
        answer(True, "出动了2030名士兵[1]", [GOLD]),
        answer(True, DIFFER["en"] + "A, 2022-01-08: 1月7日…[1] B, 2022-01-06: 1月6日…[2]", [GOLD]),
        answer(True, DIFFER["zh"] + "甲报：3811人[1]；乙报：4266人[2]", [GOLD]),  # a conflict question: as it should
        answer(False, "文章中没有找到答案。", [OTHER]),  # refused: not counted
        answer(True, DIFFER["zh"] + "甲报：8人[1]；乙报：9人[2]", [OTHER]),  # unanswerable: abstain's business
    ]
    assert score(questions, answers)["false_differ"] == pytest.approx(2 / 3)


def test_stray_quotes_is_the_share_of_quotes_holding_no_answer_string_in_answers_that_hold_one():
    from qabot.answer.compose import DIFFER

    questions = [question("c1", "conflict", ("3811", "4266")), question("n1"), question("n2"), question("n3"),
                 question("u1", "unanswerable", (), ())]
    answers = [
        # two reports' counts and an arrest count listed as a third version: one stray quote of three
        answer(True, DIFFER["zh"] + "甲报：死亡3811人[1]；乙报：死亡4266人[2]；丙报：逮捕9900人[3]", [GOLD]),
        answer(True, "出动了2,030名士兵[1]", [GOLD]),  # one quote, the answer: none stray
        answer(True, "无关的一段[1]", [OTHER]),  # holds no answer string: answer_acc's miss, not counted here
        answer(False, "文章中没有找到答案。", [OTHER]),  # refused: not counted
        answer(True, "8人[1]9人[2]", [OTHER]),  # unanswerable: not counted
    ]
    assert score(questions, answers)["stray_quotes"] == pytest.approx(1 / 4)
    assert score(questions[2:], answers[2:])["stray_quotes"] != score(questions[2:], answers[2:])["stray_quotes"]


def test_separation_counts_pairs_ordered_by_confidence_and_refusals_below_the_answerable_cut():
    from dataclasses import replace

    sure = [0.9, 0.8, 0.6, 0.3]  # answerable questions' confidences
    unsure = [0.7, 0.3, 0.1]  # unanswerable ones'
    questions = [question(f"q{i}") for i in range(4)] + [question(f"u{i}", "unanswerable", (), ()) for i in range(3)]
    answers = [replace(answer(True, "…", []), confidence=c) for c in sure + unsure]
    s = separation(questions, answers, refused=0.25)
    # pairs (answerable above unanswerable): 0.9 and 0.8 beat all three, 0.6 beats two, 0.3 ties one and beats one
    assert s["auc"] == pytest.approx((3 + 3 + 2 + 1.5) / 12)
    # the cut that refuses a quarter of the answerable ones lies between 0.3 and 0.6: it refuses 0.3 and 0.1
    assert s["abstain_at_0.25"] == pytest.approx(2 / 3)


def test_a_gold_quote_in_another_article_does_not_count():
    moved = passage("b.txt", 3, GOLD.text)
    m = score([question("q1")], [answer(True, "2030[1]", [moved], [moved])])
    assert m["hit@1"] == 0 and m["cite_ok"] == 0 and m["answer_acc"] == 1


def test_load_questions_names_a_bad_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "x"}) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(Exception, match="line 2"):
        load_questions(path)
