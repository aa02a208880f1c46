"""A folder of English articles, end to end (real index, embedder, fitted models): a question in English is
answered from the paragraph that holds what it asks, however the article introduces a person or gives a figure."""

import pytest

STRIKE = ("---\ntitle: Ferry crews walk out over pay\nsource: Island Courier\ndate: 2025-04-07\n---\n"
          "Ferry crews on the Sorn Islands routes walked out on Monday after talks on pay broke down, leaving about "
          "3,400 passengers without a crossing.\n\n"
          "Marta Lind, the general secretary of the Seafarers' Union, said the strike would last until the operator "
          "improved its offer of a 2.5 percent rise.\n\n"
          "The operator, Sorn Lines, runs six ferries from the port of Halden. The crossing to the main island is "
          "38 kilometres and takes about 90 minutes.\n\n"
          "Island shops said fresh food would run short within three days.\n")
TALKS = ("---\ntitle: Strike talks to resume\nsource: Coast Wire\ndate: 2025-04-10\n---\n"
         "Talks between the union and Sorn Lines will resume on Friday in Halden, the mediator's office said.\n\n"
         "Chief mediator Arno Feld said both sides had agreed to meet without preconditions.\n")


@pytest.fixture(scope="module")
def english_qa(tmp_path_factory, embedder):
    from qabot.qa import QA
    from qabot.store.build import build_index
    from qabot.store.folder import load_index

    root = tmp_path_factory.mktemp("english")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "strike.md").write_text(STRIKE, encoding="utf-8")
    (corpus / "talks.md").write_text(TALKS, encoding="utf-8")
    build_index(root / "index", [corpus], embedder, progress=False)
    return QA(load_index(root / "index", embedder.id), embedder)


@pytest.mark.parametrize("question, holds", [
    ("Who is Marta Lind?", "general secretary of the Seafarers' Union"),
    ("Who is Arno Feld?", "Chief mediator Arno Feld"),
    ("How many kilometres is the crossing to the main island?", "38 kilometres"),
    ("How many ferries does Sorn Lines run?", "six ferries"),
    ("How many passengers were left without a crossing?", "3,400 passengers"),
])
def test_an_english_question_is_answered_from_the_paragraph_that_holds_it(english_qa, question, holds):
    answer = english_qa.answer(question)
    assert answer.answered, (question, answer.confidence, answer.text)
    assert holds in answer.text and answer.citations
    assert any(holds in c.passage.text for c in answer.citations)


@pytest.mark.parametrize("question, holds", [
    ("去主岛的航线有多少公里？", "38 kilometres"),  # 公里 → kilometre, as the articles spell it
    ("罢工让多少乘客走不了？", "3,400 passengers"),
    ("Sorn Lines有几艘渡轮？", "six ferries"),
])
def test_a_chinese_question_about_english_articles_is_read_through_the_dictionary(english_qa, question, holds):
    answer = english_qa.answer(question)
    assert answer.answered and holds in answer.text, (question, answer.confidence, answer.text)
    assert any(holds in c.passage.text for c in answer.citations)
