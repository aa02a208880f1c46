"""Names the articles give in two forms: read from passages, found in questions, used by search and answers."""

from __future__ import annotations

import json

from qabot.language.aliases import Aliases, defined_names


def test_short_and_full_names_and_latin_glosses_are_read_from_the_text():
    pairs = defined_names([
        "在世界卫生组织（简称“世卫组织”）的发布会上，官员介绍了疫情。",
        "上合组织全称上海合作组织，成立于2001年。",
        "美国国务卿安东尼·布林肯（Antony Blinken）当天表示，",
        "这支军队将以集安组织（CSTO）名义进入。",
        "抗议活动最初在依赖液化石油气的曼格斯套（Mangystau）开始。",
    ])
    assert ["世卫组织", "世界卫生组织"] in pairs
    assert ["上合组织", "上海合作组织"] in pairs
    assert ["Antony Blinken", "安东尼·布林肯"] in pairs and ["Blinken", "布林肯"] in pairs  # the title is not
    assert ["CSTO", "集安组织"] in pairs  # the name, not "以集安组织"
    assert ["Mangystau", "曼格斯套"] in pairs
    # the names are cut out of running text: no word before the short name, none after the full one
    assert defined_names(["据悉国安委全称国家安全委员会负责情报工作。"]) == [["国安委", "国家安全委员会"]]


def test_a_gloss_after_a_word_too_short_to_be_a_name_is_not_taken():
    # the tagger cuts "欧洲安全与合作组织" at "与": what is left, "组织", is a common word, not a name
    assert defined_names(["2019年他的上任受到欧洲安全与合作组织（OSCE）的批评。"]) == []


def _aliases() -> Aliases:
    return Aliases.of_articles({
        "a.md": {"aliases": [["世卫组织", "世界卫生组织"], ["WHO", "世卫组织"]]},
        "b.md": {"aliases": [["Kate Mallinson", "凯特·马林森"], ["Mallinson", "马林森"]]},
        "c.md": {},  # indexed before names were read
    })


def test_a_question_is_asked_again_in_the_other_chinese_form_the_articles_use_most():
    aliases = _aliases()
    assert aliases.variants("世卫组织说了什么？") == ["世界卫生组织说了什么？"]
    # 世卫组织 is in two of the pairs, 世界卫生组织 in one
    assert aliases.mentions("What did the WHO say?") == [("WHO", ("世卫组织", "世界卫生组织"))]
    assert aliases.variants("What did the WHO say?") == ["What did the 世卫组织 say?"]
    # a name inside a longer one is the same mention; Latin names count as whole words; an abbreviation only
    # in capitals ("who" is a question word)
    assert aliases.mentions("Did Kate Mallinson speak?") == [("Kate Mallinson", ("凯特·马林森",))]
    assert aliases.variants("Who are the Mallinsons?") == []
    assert aliases.variants("Who said so?") == []
    assert Aliases().variants("世卫组织说了什么？") == []
    # the capitals rule is the abbreviation's own: the long Latin name of the same thing matches in any case
    csto = Aliases.of_articles({"a.md": {"aliases": [["CSTO", "集安组织"],
                                                     ["Collective Security Treaty Organization", "集安组织"]]}})
    assert csto.variants("what does the collective security treaty organization do?") == [
        "what does the 集安组织 do?"]
    assert csto.variants("what does the csto do?") == []


def _article(folder, name, body):
    (folder / name).write_text(f"---\ntitle: 卫生新闻\nauthor: 晨报\ndate: 2023-05-06\n---\n{body}", encoding="utf-8")


def test_each_passage_ranks_by_the_best_of_its_scores_under_each_name(tmp_path, embedder):
    from qabot.qa import QA
    from qabot.store.build import build_index
    from qabot.store.folder import load_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _article(corpus, "a.md", "<p>世界卫生组织（简称“世卫组织”）是联合国的专门机构，总部设在日内瓦。</p>\n"
                             "<p>世界卫生组织总干事5月5日宣布，疫情不再构成国际关注的突发公共卫生事件。</p>\n")
    _article(corpus, "b.md", "<p>世卫组织官员当天还出席了一场关于疫苗援助的会议。</p>\n"
                             "<p>世卫组织呼吁各国继续向贫困地区捐赠疫苗。</p>\n")
    build_index(tmp_path / "index", [corpus], embedder, progress=False)
    qa = QA(load_index(tmp_path / "index", embedder.id), embedder)
    searcher = qa.searcher
    question = "世卫组织哪天宣布疫情不再是突发事件？"
    analysed = qa.analyser(question)
    assert [w.text for w in analysed.wordings] == [question, "世界卫生组织哪天宣布疫情不再是突发事件？"]
    each = [{int(r): float(c) for r, c in zip(found.rows, found.cosines, strict=True)}
            for wording in analysed.wordings if (found := searcher.candidates(wording)) is not None]
    trace = qa.reader.trace(analysed)
    for cand in trace.candidates:  # each passage keeps the best of its scores under either name
        assert cand.cos == max(scores.get(cand.row, -1.0) for scores in each)


def test_an_english_question_with_the_articles_latin_name_is_searched_in_the_chinese_name(qa):
    # The seeds say "集安组织（CSTO）" in one place and define 集安组织 in another, in Chinese only.
    assert qa.analyser.aliases.variants("What is the CSTO?") == ["What is the 集安组织?"]
    trace = qa.reader.trace("What is the CSTO?")
    defined = next(c for c in trace.candidates if c.passage.text.startswith("集安组织全称集体安全条约组织"))
    assert defined.cos >= max(c.cos for c in trace.candidates) - 0.02  # among the closest, through the name


def test_an_index_built_before_names_were_read_reads_them_without_embedding(tmp_path, embedder):
    from qabot.store.build import build_index
    from qabot.store.folder import read_manifest, stale_reason

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _article(corpus, "a.md", "<p>世界卫生组织（简称“世卫组织”）是联合国的专门机构。</p>\n")
    index = tmp_path / "index"
    build_index(index, [corpus], embedder, progress=False)
    manifest = read_manifest(index)
    assert manifest["files"]["a.md"]["aliases"] == [["世卫组织", "世界卫生组织"]]
    del manifest["files"]["a.md"]["aliases"]
    (index / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert stale_reason(read_manifest(index)) == "names not yet read from 1 file(s)"
    report = build_index(index, [corpus], embedder, progress=False)
    assert report.embedded == 0 and read_manifest(index)["files"]["a.md"]["aliases"] == [["世卫组织", "世界卫生组织"]]
    assert stale_reason(read_manifest(index)) is None


def test_a_question_word_is_held_by_a_text_that_gives_the_thing_another_name():
    from qabot.answer.features import coverage
    from qabot.language.aliases import Aliases
    from qabot.question.analyse import other_forms

    weights = {"mallinson": 1.0, "say": 1.0}
    forms = other_forms("What did Mallinson say?", weights, _aliases())
    assert forms == {"mallinson": ("马林森",)}
    text = "专家马林森表示，抗议体现了愤怒。"
    assert coverage(text, weights, forms) > coverage(text, weights) == 0.0
    assert other_forms("What did Mallinson say?", weights, Aliases()) == {}


def test_an_english_question_may_call_a_glossed_person_by_the_surname_alone():
    from qabot.question.analyse import other_forms

    aliases = Aliases.of_articles({
        "a.md": {"aliases": [["Kassym-Jomart Tokayev", "托卡耶夫"], ["Askar Mamin", "阿斯卡尔·马明"],
                             ["Chatham House", "英国智库皇家国际关系研究所"]]},
    })
    weights = {"tokayev": 1.0, "mamin": 1.0, "house": 1.0}
    forms = other_forms("Did Tokayev accept Mamin's resignation at the house?", weights, aliases)
    # a person's surname: the Chinese name (and the surname of a "名·姓"); the last word of an organisation's
    # name is no name of it
    assert forms == {"tokayev": ("托卡耶夫",), "mamin": ("阿斯卡尔·马明", "马明")}
    # a surname two glossed people share names neither
    two = Aliases.of_articles({"a.md": {"aliases": [["Anna Smith", "安娜·史密斯"], ["John Smith", "约翰·史密斯"]]}})
    assert two.by_surname == {}
