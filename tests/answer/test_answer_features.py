"""What the answer model is told about a near miss: the question names a year the sentence does not (it names
another), or the sentence only tells of a plan or a promise while the question asks what happened. The models weigh
these; the tests check what they are told, on sentences given, and that a real answer's row carries it for the
sentence the reader chose (whichever that is)."""

import pytest

from qabot.answer.features import other_year, plan_only

PLANT = ("---\ntitle: Recycling firm fined again\nsource: Valley Courier\ndate: 2025-06-20\n---\n"
         "Brackwater Recycling was fined £48,000 in 2022 for storing more waste than its permit allowed.\n\n"
         "A smaller fire at the Brackwater yard in 2023 was put out within six hours, the fire service said.\n\n"
         "The company has promised to clear all burned waste from the yard by the end of October.\n\n"
         "The county council will vote in September on whether to revoke the yard's planning permission.\n")
FINED = "Brackwater Recycling was fined £48,000 in 2022 for storing more waste than its permit allowed."
PROMISED = "The company has promised to clear all burned waste from the yard by the end of October."
VOTE = "The county council will vote in September on whether to revoke the yard's planning permission."
PUT_OUT = "A smaller fire at the Brackwater yard in 2023 was put out within six hours, the fire service said."


@pytest.mark.parametrize("question, sentence, other", [
    ("How much was Brackwater fined for the 2021 breach?", FINED, True),  # the sentence says 2022
    ("How much was Brackwater fined in 2022?", FINED, False),
    ("How much was Brackwater fined for storing too much waste?", FINED, False),  # no year asked
    ("How much was Brackwater fined?", PROMISED, False),  # no year told
    ("那家公司2021年被罚了多少？", "该公司2022年曾因超量堆放被罚款4.8万元。", True),
    ("2022年被罚了多少？", "集安组织出动了2030名士兵。", False),  # 2030名 is a count, not a year
])
def test_a_year_the_question_names_and_the_sentence_does_not(question, sentence, other):
    assert other_year(question, sentence) is other


@pytest.mark.parametrize("question, sentence, planned", [
    ("Has Brackwater cleared the burned waste from the yard yet?", PROMISED, True),  # asks what happened
    ("By when has Brackwater promised to clear the burned waste?", PROMISED, False),  # asks the promise itself
    ("Did the council revoke the yard's planning permission?", VOTE, True),
    ("When will the council vote on the yard's planning permission?", VOTE, False),
    ("Was the 2023 fire put out?", PUT_OUT, False),  # told what happened
    ("新铲雪车最后几号到的货？", "公司宣布，将投入约2300万元，新购置12台大型除雪车。", True),
    ("公司打算买几台除雪车？", "公司宣布，将投入约2300万元，新购置12台大型除雪车。", False),
])
def test_a_plan_told_for_what_happened(question, sentence, planned):
    assert plan_only(question, sentence) is planned


@pytest.fixture(scope="module")
def plant_qa(tmp_path_factory, embedder):
    from qabot.qa import QA
    from qabot.store.build import build_index
    from qabot.store.folder import load_index

    root = tmp_path_factory.mktemp("plant")
    (root / "corpus").mkdir()
    (root / "corpus" / "plant.md").write_text(PLANT, encoding="utf-8")
    build_index(root / "index", [root / "corpus"], embedder, progress=False)
    return QA(load_index(root / "index", embedder.id), embedder)


@pytest.mark.parametrize("question", [
    "How much was Brackwater Recycling fined for the 2021 breach?",
    "Has Brackwater cleared the burned waste from the yard yet?",
    "When will the council vote on the yard's planning permission?",
])
def test_an_answer_row_tells_the_model_of_the_sentence_it_stands_for(plant_qa, question):
    from qabot.answer.features import ANSWER_FEATURES

    trace = plant_qa.reader.trace(question)
    reading = plant_qa.reader.read(trace, plant_qa.params["hybrid"])
    pos, j = reading.where[int(reading.s2.argmax())]
    sentence = trace.candidates[reading.read[pos]].sentences[j]
    row = dict(zip(ANSWER_FEATURES, reading.answer_x.tolist(), strict=True))
    assert row["other_year"] == float(other_year(question, sentence))
    assert row["plan_only"] == float(plan_only(question, sentence))
