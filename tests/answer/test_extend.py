"""Which sentences join the best one in an answer: what the extension model is shown of each (next to the best in
the article, another report, another figure in the same unit), and that `choose` takes them by its odds."""

import numpy as np

from qabot.answer.choose import JOIN, MOST, choose
from qabot.answer.features import EXTEND_FEATURES, Candidate, extend_rows, sentence_rows
from qabot.answer.model import Linear
from qabot.ingest.passages import CAPTION, Passage


def _candidate(doc: str, paragraph: int, text: str, section: str = "") -> Candidate:
    passage = Passage(id=f"{doc}#{paragraph}", doc=doc, paragraph=paragraph, text=text, title=doc, source=doc,
                      date="2022-01-08", section=section)
    sentences = tuple(s for s in text.replace("。", "。\n").split("\n") if s)
    return Candidate(passage=passage, row=paragraph, cos=0.8, keyword=1.0, sentences=sentences,
                     sentence_cos=(0.8,) * len(sentences))


def _rows(qa, question: str, read: list[Candidate]):
    q = qa.reader.analyser(question)
    sx, where = sentence_rows(q, read, np.zeros(len(read)), qa.reader.idf)
    logits = np.linspace(1.0, 0.0, len(where))  # the first sentence is the best
    x = extend_rows(q, read, where, sx, logits, 0)
    return {(read[i].passage.id, j): dict(zip(EXTEND_FEATURES, row, strict=True))
            for (i, j), row in zip(where, x, strict=True)}


def _chosen_ids(qa, question: str, read: list[Candidate]) -> list[str]:
    """The passages `choose` quotes when the extension model lets every sentence join (the first is the best)."""
    from qabot.answer.features import PASSAGE_FEATURES
    from qabot.answer.reader import Reading, Trace

    q = qa.reader.analyser(question)
    sx, where = sentence_rows(q, read, np.zeros(len(read)), qa.reader.idf)
    trace = Trace(question=q, mode="hybrid", candidates=tuple(read),
                  passage_x=np.zeros((len(read), len(PASSAGE_FEATURES))))
    reading = Reading(hits=[], s1=np.zeros(len(read)), read=list(range(len(read))), sentence_x=sx, where=where,
                      s2=np.linspace(1.0, 0.0, len(where)), rerank_x=np.zeros((0, 0)), answer_x=np.zeros(0))
    return [p.id for p, _ in choose(trace, reading, qa.reader.rules, qa.reader.article, _model(JOIN + 1.0))]


def test_the_sentence_after_the_best_in_the_article_is_marked_next_even_in_the_next_paragraph(qa):
    read = [_candidate("a", 3, "截至目前有8名安全部队人员死亡。内政部说局势已受控。"),
            _candidate("a", 4, "另有26名武装分子被打死。"),
            _candidate("a", 5, "哈萨克斯坦军队在检查站（欧洲通讯社）", section=CAPTION),
            _candidate("a", 7, "托卡耶夫宣布全国哀悼。")]
    rows = _rows(qa, "军警死了多少人？", read)
    assert rows[("a#3", 1)]["next"] == 1 and rows[("a#3", 1)]["same_passage"] == 1
    assert rows[("a#4", 0)]["next"] == 0  # the best sentence is not the last of its paragraph
    assert rows[("a#5", 0)]["next"] == 0 and rows[("a#7", 0)]["next"] == 0  # a caption follows nothing; a gap
    assert rows[("a#4", 0)]["same_doc"] == 1


def test_another_reports_other_figure_in_the_same_unit_is_marked_so(qa):
    read = [_candidate("a", 3, "截至目前有8名安全部队人员死亡。"),
            _candidate("b", 1, "内政部称，已有18名执法人员死亡。"),
            _candidate("c", 2, "已有8名安全部队人员死亡。"),
            _candidate("d", 2, "俄罗斯派出了12架运输机。")]
    rows = _rows(qa, "军警死了多少人？", read)
    other = rows[("b#1", 0)]
    assert other["new_figure"] == 1 and other["same_unit"] == 1 and other["same_doc"] == 0
    assert rows[("c#2", 0)]["same_figure"] == 1 and rows[("c#2", 0)]["new_figure"] == 0
    assert rows[("d#2", 0)]["same_unit"] == 0


def _model(bias: float) -> Linear:
    n = len(EXTEND_FEATURES)
    return Linear(names=EXTEND_FEATURES, mean=(0.0,) * n, scale=(1.0,) * n, weights=(0.0,) * n, bias=bias)


def test_sentences_join_the_answer_by_the_extension_models_odds(qa):
    trace = qa.reader.trace("俄罗斯维和人员来自哪些部队？")
    reading = qa.reader.read(trace, qa.params["hybrid"])
    alone = choose(trace, reading, qa.reader.rules, qa.reader.article, _model(JOIN - 1.0))
    joined = choose(trace, reading, qa.reader.rules, qa.reader.article, _model(JOIN + 1.0))
    assert len(alone) == 1
    assert 1 < len(joined) <= MOST
    assert joined[0] == alone[0]  # the best sentence leads either way


def test_another_figure_of_the_same_thing_joins_from_the_same_article_too(qa):
    # one article may give a vague figure and an exact one ("数千人被捕", "4266人"): the second is as much an answer
    # as another report's figure; a sentence that repeats a figure shown, or counts in another unit, does not join
    read = [_candidate("a", 3, "已有26人丧生，数千人被捕。"),
            _candidate("a", 5, "被捕的人数已上升至4266人。"),
            _candidate("b", 2, "被捕的人数已上升至4266人。"),
            _candidate("c", 4, "警方缴获了300支枪。")]
    assert _chosen_ids(qa, "这次骚乱一共抓了多少人？", read) == ["a#3", "a#5"]


def test_the_same_count_in_characters_and_in_digits_is_one_figure_not_a_disagreement(qa):
    read = [_candidate("a", 3, "截至目前有8名安全部队人员死亡。"),
            _candidate("b", 1, "内政部称，有八名安全部队人员死亡。"),
            _candidate("c", 2, "据内政部门消息，已有18名安全部队人员死亡。")]
    rows = _rows(qa, "安全部队人员死了多少？", read)
    assert rows[("b#1", 0)]["same_figure"] == 1 and rows[("b#1", 0)]["new_figure"] == 0
    assert rows[("c#2", 0)]["new_figure"] == 1
    assert _chosen_ids(qa, "安全部队人员死了多少？", read) == ["a#3", "c#2"]  # "八名" repeats "8名": only 18 disagrees


def test_a_sentences_keyword_score_weighs_the_rare_question_words_it_holds(qa):
    from qabot.answer.features import SENTENCE_FEATURES

    read = [_candidate("a", 1, "吉尔吉斯斯坦派遣了8辆装甲车。俄罗斯派遣了空降兵。局势已经稳定。")]
    q = qa.reader.analyser("吉尔吉斯斯坦派了多少装甲车？")
    sx, _ = sentence_rows(q, read, np.zeros(1), qa.reader.idf)
    keyword = sx[:, SENTENCE_FEATURES.index("keyword")]
    assert keyword[0] > keyword[1] > keyword[2] == 0.0  # both rare words, one common word, none


def test_a_sentence_skipped_is_never_the_best_and_a_later_part_quotes_a_sentence_of_its_own(qa):
    # a question asked in two parts whose best sentences would be one and the same: the later part is decided
    # again without the sentences the earlier one quotes, and keeps the earlier answer only if that is refused
    params = qa.params["hybrid"]
    trace = qa.reader.trace("集安组织出动了多少士兵？集安组织一共出动了多少士兵？")
    assert len(trace.parts) == 2
    first, said = qa.reader.decide_alone(trace.parts[0], params, 10)
    assert first.answered and said
    again, other = qa.reader.decide_alone(trace.parts[1], params, 10, skip=frozenset(said))
    assert not (other & said)  # never a sentence skipped
    reading = qa.reader.read(trace.parts[1], params, skip=frozenset(said))
    best = reading.where[int(np.argmax(reading.s2))]
    assert (trace.parts[1].candidates[reading.read[best[0]]].passage.id, best[1]) not in said
    whole = qa.reader.decide(trace, params)
    assert whole.answered and "文章没有提到" not in whole.text  # a part the first answers is never said to be missing


def test_a_count_whose_unit_one_report_leaves_out_may_join_but_a_count_of_other_things_does_not(qa):
    read = [_candidate("a", 3, "截至7日，已有3811人被捕。"),
            _candidate("b", 1, "内政部称，被捕人数已上升至4266。"),  # the unit left out
            _candidate("c", 2, "被捕的还有12辆车的司机。")]  # 辆 counts vehicles
    assert _chosen_ids(qa, "一共有多少人被捕？", read) == ["a#3", "b#1"]


def test_a_user_who_says_the_reports_differ_gets_another_reports_figure_told_in_other_words(qa):
    # Another report's count that lacks one of the question's words the best sentence holds (伤者 for 受伤) may be
    # of another quantity, and joins only when the user says the reports give different figures.
    read = [_candidate("a", 3, "事故已造成21人受伤。"),
            _candidate("b", 1, "截至目前，伤者已增至29人。")]
    assert _chosen_ids(qa, "这次事故受伤的有多少人？", read) == ["a#3"]
    assert _chosen_ids(qa, "这次事故受伤的有多少人？我看各家报的数对不上", read) == ["a#3", "b#1"]
    # a count in another unit still does not join
    other = [read[0], _candidate("c", 2, "各家报道说，事故后共出动救护车12辆。")]
    assert _chosen_ids(qa, "这次事故受伤的有多少人？我看各家报的数对不上", other) == ["a#3"]
