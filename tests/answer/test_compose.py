from qabot.answer.compose import CLIP, ITEM, WHOLE, Answer, Citation, balanced, clip, combined
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


def test_a_sentence_a_little_over_the_clip_length_is_quoted_whole_and_a_long_one_is_cut_around_the_evidence():
    weights = {"干预": 3.0, "颜色": 2.0, "革命": 5.0}
    head = "普京补充说，在哈萨克斯坦发生的事情不是第一次，也不会是最后一次外部干预的企图，并警告说，俄罗斯不会允许发生“颜色革命”，"
    tail = "他所说的颜色革命指的是西方支持的政权更迭"
    sentence = head + "此前" * ((CLIP + 8 - len(head) - len(tail)) // 2) + tail + "。"
    assert CLIP < len(sentence) <= WHOLE
    assert clip(sentence, weights, "") == sentence  # the clause after the evidence, which answers, stays
    long = "，".join(["据当地媒体报道阿拉木图的局势相对平静"] * 6) + "，" + head + "，".join(["周一市内的交通恢复"] * 6) + "。"
    assert len(long) > WHOLE
    cut = clip(long, weights, "")
    assert len(cut.strip("…")) <= CLIP and "颜色革命" in cut and cut.startswith("…") and cut.endswith("…")


def test_another_reports_figure_is_cut_to_the_clauses_that_give_it_in_the_unit_asked():
    sentence = ("内政部表示，初步估计，这些干扰造成的物质损失价值约为 1.75 亿欧元，根据内政部声明称，100 多家商店和银行被洗劫一空，"
                "400 多辆汽车被毁，另有数百名警察在冲突中受伤，多座政府大楼被焚烧。")
    assert len(sentence) > ITEM * 5 // 4
    cut = clip(sentence, {"汽车": 2.0}, "number", ITEM, "被毁的车有多少辆？")
    assert "400 多辆" in cut and len(cut.strip("…")) <= ITEM
    years = "当局表示，他们已经逮捕了近 8000 人，共和国总统补充说，当局在最近发生了自哈萨克斯坦1989 年独立以来前所未有的事件，造成 164 人死亡。"
    joined = clip(years, {"independent": 5.0}, "when", ITEM, new=frozenset({"1989年"}), forms={"independent": ("独立",)})
    assert "1989 年独立" in joined  # the figure that differs, not the first date of the sentence


def test_a_figure_written_with_a_thousands_comma_or_a_clock_colon_is_never_cut_in_two():
    sentence = ("The storm, which came ashore on Sunday with gusts of 140 km/h, knocked out power to about 48,000 homes "
                "across the coast, the utility said on Monday, and crews worked until 9:30 on Wednesday night to restore "
                "it, with help from three neighbouring counties and the national guard.")
    cut = clip(sentence, {"homes": 3.0, "power": 3.0}, "number", 60, "How many homes lost power?")
    assert "48,000 homes" in cut and "48…" not in cut


def test_a_quoted_sentence_gets_the_quotation_mark_its_cut_left_out():
    assert balanced("这是一场未遂的政变，”托卡耶夫说。") == "“这是一场未遂的政变，”托卡耶夫说。"
    assert balanced("“在自发抗议的幌子下，一波骚乱爆发了。") == "“在自发抗议的幌子下，一波骚乱爆发了。”"
    assert balanced("他说“秩序已经恢复”。") == "他说“秩序已经恢复”。"  # paired already: unchanged
    assert balanced('We will not stop now," the union leader said.') == '"We will not stop now," the union leader said.'
    assert balanced('The union leader said: "We will not stop now.') == 'The union leader said: "We will not stop now."'
    assert balanced('It was "safe", she said.') == 'It was "safe", she said.'


def test_an_english_sentence_is_cut_at_the_length_that_says_what_a_chinese_one_cut_at_clip_says():
    sentence = ("The harbour master, Ines Varga, who has run the port since 2019 and sat on the safety board before "
                "that, said on Tuesday that 37 crew members and more than 200 passengers were on board when the "
                "ferry ran aground off the island of Sorn in fog.")
    assert CLIP * 5 // 4 < len(sentence) <= CLIP * 5 // 2
    assert clip(sentence, {"passengers": 3.0, "board": 2.0}, "number", asked="How many passengers were on board?") \
        == sentence  # whole: in Chinese characters it would be well under CLIP
