"""The bilingual dictionary turned round: an English word → the Chinese words CC-CEDICT gives for it."""

from qabot.language import lexicon


def test_a_word_finds_its_chinese_forms_and_its_dictionary_form_is_tried():
    assert "士兵" in lexicon.forms("soldiers")  # plural → soldier
    assert "取消" in lexicon.forms("cancelled")  # past tense → cancel
    assert "派遣" in lexicon.forms("sent") or "派出" in lexicon.forms("sent")  # irregular: sent → send
    assert "俄罗斯" in lexicon.forms("Russian")  # a people's name → its country's
    assert "以色列" in lexicon.forms("Israeli")
    assert lexicon.forms("xqzvw") == ()


def test_lone_characters_only_when_the_dictionary_gives_nothing_longer():
    assert all(len(f) >= 2 for f in lexicon.forms("soldier"))  # not 兵, 卒, 士: they match almost any text
    assert lexicon.forms("uranium") == ("铀",)
    assert "卒" in lexicon.forms("soldier", lone=True)  # all of them, when asked


def test_months_and_weekdays_are_written_as_news_writes_them():
    assert lexicon.forms("January")[0] == "1月"
    assert lexicon.forms("Dec")[0] == "12月"
    assert lexicon.forms("Monday")[0] == "周一"


def test_a_phrase_the_dictionary_has_translates_each_of_its_words():
    found = lexicon.phrases("Who won the 2022 football World Cup?")
    assert "世界杯" in found["world"] and "世界杯" in found["cup"]
    assert "紧急状态" in lexicon.phrases("Who declared a state of emergency?")["emergency"]
    assert "撤出" in lexicon.phrases("When were the troops pulled out?")["pulled"]  # pull out: a verb's other forms


def test_things_are_told_from_actions():
    assert lexicon.is_noun("football") and lexicon.is_noun("hotels")
    assert not lexicon.is_noun("send") and not lexicon.is_noun("xqzvw")


def test_an_irregular_verb_form_is_its_verb_and_a_plural_keeps_its_own_entry():
    assert not lexicon.is_noun("won") and "胜出" in lexicon.forms("won")  # not Korea's currency
    assert "韩元" not in lexicon.forms("won")
    assert "人们" in lexicon.forms("people")
    assert "射击" in lexicon.forms("shot") and "撤出" in lexicon.forms("withdrawn")  # shoot, withdraw


def test_chats_clipped_and_informal_words_find_the_dictionarys_word():
    assert "警察" in lexicon.forms("cops") and "图片" in lexicon.forms("photo") and "信息" in lexicon.forms("info")


def test_the_turned_round_dictionary_is_kept_in_the_cache_folder_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    stale = tmp_path / "qabot" / "lexicon-0123456789abcdef.marshal"  # what an earlier version of the code left
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    lexicon._reverse.cache_clear()
    try:
        first = lexicon._reverse()  # turned round, and written
        kept = lexicon.cache_file(lexicon._dictionary())
        assert kept.parent == tmp_path / "qabot" and kept.exists()
        assert not stale.exists()  # one file per dictionary and code, not one per version ever run
        lexicon._reverse.cache_clear()
        assert lexicon._reverse() == first  # read back: the same table
        kept.write_bytes(b"\x00not marshal")  # a damaged file is turned round again (and replaced)
        lexicon._reverse.cache_clear()
        assert lexicon._reverse() == first and kept.read_bytes() != b"\x00not marshal"
    finally:
        lexicon._reverse.cache_clear()


def test_british_spellings_and_agent_nouns_find_the_dictionary_entries():
    assert "防御" in lexicon.forms("defence") or "防务" in lexicon.forms("defence")  # defense
    assert "组织" in lexicon.forms("organisation") and "组织" in lexicon.forms("organised")  # organization, organize
    assert "颜色" in lexicon.forms("colours")  # color
    assert "公升" in lexicon.forms("litres")  # liter
    assert lexicon.forms("peacekeepers") == lexicon.forms("peacekeeping")  # no entry of its own: the action's
    assert "抢劫" in lexicon.forms("looters")  # loot
    assert "小时" in lexicon.forms("hours") and "四" in lexicon.forms("four", lone=True)  # too short to respell


def test_a_looser_reading_finds_a_word_inside_the_two_word_senses_and_the_hyphened_words_that_hold_it():
    assert "西部" in lexicon.looser("western") and "西部" not in lexicon.forms("western")  # western part
    assert "警察" in lexicon.looser("officers")  # police officer
    assert "智库" in lexicon.looser("think-tank")  # think tank
    assert "恐怖" in lexicon.looser("anti-terror")  # terror
    assert "暴乱" in lexicon.looser("rioters")  # riot
    assert lexicon.looser("xqzvw") == ()


def test_an_english_word_is_written_with_its_regular_endings():
    assert {"recorded", "records", "recording"} <= set(lexicon.inflections("record"))
    assert "record" in lexicon.inflections("recorded") and "stopped" in lexicon.inflections("stop")
    assert "cities" in lexicon.inflections("city")
    # a British past in -t is its verb's ("burnt waste" is held by "burned waste"); chat's "ppl" is people
    assert "burned" in lexicon.inflections("burnt") and "spilled" in lexicon.inflections("spilt")
    assert "people" in lexicon.inflections("ppl")


def test_a_chinese_word_reads_as_the_english_words_of_its_short_senses_in_either_spelling():
    assert {"kilometer", "kilometre"} <= set(lexicon.english("公里"))
    assert "passenger" in lexicon.english("乘客") and "ferry" in lexicon.english("渡轮")
    assert lexicon.english("托卡耶夫") == ()  # a name the dictionary lacks: none
