from qabot.answer.compose import Answer, Citation, combined
from qabot.ingest.passages import Passage


def _passage(n: int, text: str) -> Passage:
    return Passage(id=f"a.md#{n}", doc="a.md", paragraph=n, text=text, title="标题", source="源", date="2022-01-08")


def _answer(question: str, text: str, *passages: Passage, answered: bool = True) -> Answer:
    return Answer(question=question, answered=answered, text=text,
                  citations=tuple(Citation(i + 1, p) for i, p in enumerate(passages)), hits=(), lang="zh",
                  confidence=0.8 if answered else 0.1)


def test_parts_answered_by_one_sentence_quote_it_once_and_number_citations_afresh():
    chief = _passage(3, "该市警察局长卡纳特·泰默尔德诺夫表示，极端分子袭击了500名平民。")
    later = _passage(7, "周一，阿拉木图市的生活开始恢复正常。")
    parts = [_answer("警察局长叫啥？", f"{chief.text}[1]", chief),
             _answer("他说袭击了多少老百姓？", f"{chief.text}[1]", chief),
             _answer("后来恢复了没？", f"{later.text}[1]", later),
             _answer("宵禁几点开始？", "", answered=False)]
    whole = combined("警察局长叫啥？他说袭击了多少老百姓？后来恢复了没？宵禁几点开始？", "zh", parts, [])
    assert whole.answered and whole.text.count(chief.text) == 1
    assert whole.text == f"{chief.text}[1]{later.text}[2]“宵禁几点开始？”文章没有提到。"
    assert [(c.n, c.passage.id) for c in whole.citations] == [(1, chief.id), (2, later.id)]
