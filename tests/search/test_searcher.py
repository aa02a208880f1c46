import pytest

from qabot.question.filters import Filters

KNOWN = [  # question -> the paragraph that answers it (our own questions, not the eval set's)
    ("吉尔吉斯斯坦派出了多少辆装甲车？", "003_43fb4c2225c36c2c.txt#21"),
    ("德国外交部副发言人是谁？", "003_43fb4c2225c36c2c.txt#24"),
    ("上合组织反恐机构设在哪个城市？", "002_79e70fd7e8a55cd2.txt#6"),
    ("骚乱造成的物质损失大约有多少欧元？", "001_56ee838238a0b77d.txt#14"),
    ("How many armoured vehicles did Kyrgyzstan send?", "003_43fb4c2225c36c2c.txt#21"),
]


@pytest.mark.parametrize("question, expected", KNOWN)
def test_known_questions_find_their_paragraph_among_the_first(qa, question, expected):
    assert expected in [h.passage.id for h in qa.answer(question).hits[:3]]  # the fitted reader's order
    assert expected in [h.passage.id for h in qa.searcher.search(question, k=10)]  # the plain fusion's


@pytest.mark.parametrize("mode", ["hybrid", "dense", "keyword"])
def test_each_mode_returns_ranked_hits_with_their_article(qa, mode):
    hits = qa.searcher.search("哈萨克斯坦总统托卡耶夫", k=7, mode=mode)
    assert len(hits) == 7
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len({h.passage.id for h in hits}) == 7
    top = hits[0]
    assert top.passage.title and top.passage.source and top.passage.date and top.passage.paragraph >= 1
    assert -1.0 <= top.dense <= 1.0


def test_keyword_mode_returns_only_passages_holding_a_question_word(qa):
    hits = qa.searcher.search("塔什干", k=5, mode="keyword")
    assert len(hits) == 1 and "塔什干" in hits[0].passage.text


def test_source_filter(qa):
    hits = qa.searcher.search("集安组织派兵", k=10, filters=Filters(source="半岛网"))
    assert hits and all("半岛网" in h.passage.source for h in hits)


def test_date_filter(qa):
    hits = qa.searcher.search("死亡人数", k=10, filters=Filters(since="2022-01-09", until="2022-01-10"))
    assert hits and all("2022-01-09" <= h.passage.date[:10] <= "2022-01-10" for h in hits)
    assert qa.searcher.search("死亡人数", k=10, filters=Filters(since="2030-01-01")) == []


def test_an_unknown_mode_is_refused(qa):
    with pytest.raises(ValueError, match="choose from hybrid, dense, keyword"):
        qa.searcher.search("x", mode="magic")


def _report(folder, name, day, deaths):
    (folder / name).write_text(
        f"---\ntitle: 洪水灾情通报\nauthor: 晨报\ndate: {day}\n---\n"
        f"<p>省应急管理厅通报，本次洪水已造成{deaths}人死亡，救援仍在进行。</p>\n"
        "<p>气象部门预计未来三天仍有强降雨，提醒居民远离河道。</p>\n", encoding="utf-8")


def test_a_question_about_the_latest_state_sees_which_report_is_newest(tmp_path, embedder):
    from qabot.answer.features import PASSAGE_FEATURES
    from qabot.qa import QA
    from qabot.store.build import build_index
    from qabot.store.folder import load_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _report(corpus, "a.md", "2023-07-01", 12)  # the same report, updated twice
    _report(corpus, "b.md", "2023-07-05", 31)
    _report(corpus, "c.md", "2023-07-03", 20)
    build_index(tmp_path / "index", [corpus], embedder, progress=False)
    qa = QA(load_index(tmp_path / "index", embedder.id), embedder)
    column = PASSAGE_FEATURES.index("newest")
    for question in ("洪水最新的死亡人数是多少？", "What is the latest death toll of the flood?"):
        trace = qa.reader.trace(question)
        newest = {c.passage.doc: x[column] for c, x in zip(trace.candidates, trace.passage_x, strict=True)}
        assert newest["b.md"] == 1.0 and newest["a.md"] == 0.0 and 0 < newest["c.md"] < 1, question
    trace = qa.reader.trace("洪水造成多少人死亡？")  # without such a word, the reports' dates say nothing
    assert not trace.passage_x[:, column].any()


def test_a_sentence_holding_the_kind_of_thing_asked_is_marked_so(qa_over):
    from qabot.answer.features import SENTENCE_FEATURES

    qa = qa_over({"a.md": "---\ntitle: 救援通报\nauthor: 晨报\ndate: 2023-05-02\n---\n"
                          "<p>救援队伍已经连夜赶赴灾区，正在开展搜救工作。</p>\n"
                          "<p>当地共派出320名救援队员赶赴灾区。</p>\n"})
    trace = qa.reader.trace("派出了多少救援队员？")
    reading = qa.reader.read(trace, qa.params["hybrid"])
    holds = {trace.candidates[reading.read[i]].sentences[j]: x[SENTENCE_FEATURES.index("holds_kind")]
             for (i, j), x in zip(reading.where, reading.sentence_x, strict=True)}
    assert holds == {"救援队伍已经连夜赶赴灾区，正在开展搜救工作。": 0.0, "当地共派出320名救援队员赶赴灾区。": 1.0}


def test_a_lone_character_the_articles_never_use_alone_stands_for_the_words_it_begins(qa):
    # "死" never stands alone in the seeds; "死亡" does. A word the corpus has alone is not replaced.
    stand_ins = qa.analyser.stand_ins(["死", "骚乱"])
    assert "死亡" in stand_ins["死"] and "骚乱" not in stand_ins
    assert all(len(word) == 2 and word.startswith("死") for word in stand_ins["死"])
    terms = qa.analyser("这次骚乱死了多少人？").wordings[0].terms
    assert "死亡" in terms and "骚乱" in terms
    # the keyword-only baseline stays plain BM25: a passage with only "死亡" scores nothing there
    hybrid = {h.row: h.keyword for h in qa.searcher.search("死了多少？", k=50, mode="hybrid")}
    plain = {h.row: h.keyword for h in qa.searcher.search("死了多少？", k=50, mode="keyword")}
    assert any(score > 0 for score in hybrid.values()) and not plain


def test_question_words_carry_no_evidence():
    from qabot.language.words import query_tokens

    # "有多大" asks how big: its 大 is the question's form, not its topic (and would stand in for 大规模, 大楼...)
    assert query_tokens("断网的影响有多大？") == ["断网", "影响"]
    assert query_tokens("电视塔多高？") == ["电视", "电视塔"]
    assert "多少" not in query_tokens("派出了多少救援队员？")
    assert "大多数" in query_tokens("大多数人怎么看？")  # a word that merely holds 大 is kept


def test_an_english_possessive_is_the_word_itself():
    from qabot.language.words import query_tokens, tokens

    # "Mamin's" is Mamin: as a word of its own it is one the articles never use, and counts against the answer
    assert query_tokens("Who took over after Mamin's cabinet quit?") == ["took", "mamin", "cabinet", "quit"]  # "after":
    # a function word, no evidence either way
    assert tokens("the protesters' demands, Almaty’s airport") == ["protesters", "demands", "almaty", "airport"]
    assert "don't" not in tokens("I don't know")  # a contraction stays whole (and is a stopword)
