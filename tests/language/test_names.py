"""Names of people and places the tagger misses, as the "who" and "where" checks find them (sentences invented)."""

from qabot.language.kinds import fits
from qabot.language.names import places, role_names


def test_a_chinese_name_right_after_a_role_is_a_name():
    assert role_names("物业经理孙海涛表示，电梯已停用。") == ["孙海涛"]
    assert role_names("护士长刘敏在病房外说，") == ["刘敏"]
    assert fits("who", "物业经理孙海涛表示，电梯已停用。", "物业那边谁出来说话了？")
    # a word after a role that only begins like a surname is none: a preposition, a weekday, an adverb
    assert role_names("工作人员向记者介绍，部长高度重视。") == []
    assert role_names("发言人周日表示，") == []


def test_a_building_or_a_spot_beside_one_is_a_place_but_an_everyday_word_before_a_site_is_none():
    assert fits("where", "伤员被送进了城东的康宁医院。", "伤员送哪去了？")
    assert "菜市场" in places("居民们聚集在菜市场门口。")
    assert fits("where", "居民们聚集在菜市场门口。", "居民聚在哪？")
    assert not fits("where", "叛军在山里建有自己的训练基地。", "基地在哪？")  # 训练 names no site


def test_a_side_answers_which_part_only():
    sentence = "火势很快蔓延到了院子的东侧。"
    assert fits("where", sentence, "火烧到院子哪一边了？")
    assert not fits("where", sentence, "火是从哪里烧起来的")
    assert fits("where", "The fire spread to the eastern side of the estate.", "which side of the estate burned")


def test_english_places_on_a_street_or_by_distance_and_bearing():
    assert fits("where", "Volunteers set up a first-aid post on Kessel Street.", "where was the first aid post")
    assert fits("where", "The slide stopped about three kilometres east of town.", "where did the slide stop")


def test_an_everyday_word_a_question_types_in_lower_case_does_not_name_a_place_or_person():
    hall = "Survivors were taken to the Denholm Community Hall."
    assert fits("where", hall, "where were the survivors taken, some hall?")
    assert not fits("where", hall, "what happened at denholm hall")  # Denholm is the name asked about
    mayor = "Mayor Irene Calloway opened the shelter."
    assert fits("who", mayor, "who is the mayor?")
    assert not fits("who", mayor, "what did mayor calloway do")
