import pytest

from qabot.coreference import first_person, for_embedding


@pytest.mark.parametrize(("text", "person"), [
    ("当地时间1月8日凌晨，哈萨克斯坦总统托卡耶夫在社交媒体上多次发文。", "托卡耶夫"),  # after a title
    ("上海社科院研究中心主任潘光此前对记者表示。", "潘光"),
    ("国家安全委员会副主任萨马德·阿比什被免职。", "萨马德·阿比什"),  # the whole dotted name
    ("亚美尼亚总理尼科尔·帕什尼扬（Nikol Pashinyan）在Facebook上确认。", "尼科尔·帕什尼扬"),
    ("今天阿拉木图的商店都关门了。", ""),  # no one
])
def test_the_first_person_a_sentence_names(text, person):
    assert first_person(text) == person


def test_a_sentence_opening_with_he_or_she_names_the_person_before_it():
    said = ["哈萨克斯坦首任总统的顾问叶尔迪斯巴耶夫指出，背叛是原因之一。", "他表示，守卫机场的部队被撤离。", "她说了什么？",
            "他们也说了。"]
    assert for_embedding(said) == ["哈萨克斯坦首任总统的顾问叶尔迪斯巴耶夫指出，背叛是原因之一。",
                                   "叶尔迪斯巴耶夫表示，守卫机场的部队被撤离。", "叶尔迪斯巴耶夫说了什么？", "他们也说了。"]
    assert for_embedding(["他表示，局势稳定。"]) == ["他表示，局势稳定。"]  # no one named before: unchanged


def test_what_a_named_speaker_said_is_found_through_his_pronoun(qa):
    answer = qa.answer("潘光担心什么？")  # the passage names him, then quotes "他同时强调，…会否外溢，令人担忧"
    assert answer.answered and "外溢" in answer.text
