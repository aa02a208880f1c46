import pytest

from qabot.language.kinds import asked_unit, figure_values, figures, fits, question_kind


def test_a_count_of_people_wants_people_counted_not_an_ordinal_or_a_figure_the_question_gives():
    assert asked_unit("How many soldiers did the CSTO send?") == asked_unit("有多少学生在骚乱中受伤？") == "人"
    assert asked_unit("How many pieces of equipment did they bring?") == ""
    # 个 is only the measure word of "几个人", "几个乘客": people are counted ("死亡6人" answers); "几个城市" counts cities
    assert asked_unit("桥上一共困了几个人？") == asked_unit("车上有几个乘客受伤？") == "人"
    assert asked_unit("有几个城市的人受影响？") == "个"
    assert fits("number", "事故共造成6人死亡。", "一共死了几个人？")
    definition = "集安组织是一个由俄罗斯和五个前苏联国家组成的军事联盟。"
    assert not fits("number", definition, "How many soldiers did the CSTO send?")  # five countries, no people
    assert fits("number", "集安组织出动了2030名士兵和250件军事装备。", "How many soldiers did the CSTO send?")
    assert not fits("number", "武装分子在第一架飞机抵达后就放弃了计划。", "一共损失了多少飞机？")  # an ordinal
    asked = "4266个被抓的人里外国人有多少？"  # of a figure it gives: that figure is no answer
    assert not fits("number", "被捕的人数已上升至4266人，其中包括其他国家的公民。", asked)
    assert fits("number", "被捕的人数已上升至4266人，其中有30人是外国公民。", asked)
    # a figure given in digits and stated in characters, or the other way round, is the same figure
    eight = "在周二和周三的骚乱中，有八名警察和国民警卫队士兵丧生。"
    assert not fits("number", eight, "死的那8个军警里，警察有几个？")
    assert not fits("number", "有8名警察丧生。", "死的那八个军警里，警察有几个？")
    assert fits("number", eight, "周二周三死了几个警察？")  # 周二 is a day, not a figure the question gives


def test_money_is_asked_by_what_it_is_paid_as_not_only_by_money_words():
    # a fine, compensation, a loss or a fund asks for a sum: a sentence with only a count or a length is no answer
    for asked in ("How much was the operator fined?", "how much did the council spend on taxis?",
                  "how much has the appeal raised so far", "公司被罚了多少？", "每户能拿多少补偿？", "直接经济损失多少",
                  "伤者的医药费垫了多少"):
        assert asked_unit(asked) == "元", asked
    fine = "How much was the operator fined?"
    assert not fits("number", "Inspectors found 14 faults on the line's 30 kilometres of track.", fine)
    assert fits("number", "The operator was fined £120,000 by the regulator.", fine)
    assert not fits("number", "运营公司有12名员工受伤。", "运营公司被罚了多少？")
    assert fits("number", "运营公司被处以罚款50万元。", "运营公司被罚了多少？")
    # not a sum: a count or a span after the question word, or an amount of a thing
    assert asked_unit("赔了多少户？") == "户" and asked_unit("花了多少天才扑灭？") == "天"
    assert asked_unit("停了多少台同款电梯？") == "台"
    assert asked_unit("How much rain fell that night?") == asked_unit("How much grain was in the silo?") == ""


def test_a_designation_after_a_hyphen_is_a_name_not_a_figure():
    planes = "12架伊尔-76、安-124军用运输机已从莫斯科飞往哈萨克斯坦。"
    asked = "那12架运输机里，伊尔-76有几架？"  # the 12 is the question's own, and 76 and 124 name the planes
    assert not fits("number", planes, asked)
    assert not fits("number", "据Khabar-24电视频道报道，首都居民组成了巡逻队。", "How much equipment did they bring?")
    assert fits("number", "其中有5架伊尔-76。", asked)


def test_a_dates_numbers_are_no_figure_of_a_count():
    damage = "损失有多少？"  # asked in no unit: any count would do, but a date is none
    assert not fits("number", "周一（1月10日），阿拉木图市的生活开始恢复正常。", damage)
    assert not fits("number", "据俄罗斯塔斯社2022年1月8日报道，局势稳定。", damage)
    assert not fits("number", "哈萨克斯坦自1991年独立以来", "How many people died?")
    assert figures("number", "截至7日，已有3811被逮捕，纳扎尔巴耶夫掌权近30年。") == ("30年", "3811")


def test_one_with_a_measure_word_is_the_article_a_not_a_count_unless_that_unit_is_asked():
    seized = "在贾姆比尔地区查获了一个武器库。"
    assert not fits("number", seized, "武器库里搜出来多少枪？")  # "an arsenal": no figure of guns
    assert not fits("number", "一名发言人表示局势稳定。", "How much equipment did they bring?")
    assert fits("number", "当局查获了一个武器库和30支枪。", "武器库里搜出来多少枪？")
    assert fits("number", "有一万人参加了集会。", "集会有多少参加的？")  # 一万 is a figure
    assert fits("number", "一名以色列公民在骚乱中丧生。", "有几个以色列人死了？")  # a count of people asked: one
    # "一度" is "at one point", not a count: a how-many question about flights finds no figure here
    assert not fits("number", "示威者一度控制了机场，导致大批航班被取消。", "How many flights were cancelled?")
    assert fits("number", "他曾两度担任总理。", "他当过几次总理？")  # two times


def test_how_old_asks_for_an_age_in_years_and_how_big_alone_does_not():
    assert asked_unit("他儿子今年多大？") == asked_unit("那个司机多大了") == asked_unit("抓的人多大年纪？") == "岁"
    assert asked_unit("这次的影响有多大？") == ""
    assert fits("number", "司机李某，今年45岁。", "那个司机多大了")
    assert not fits("number", "司机李某在发布会后说了话。", "那个司机多大了")


def test_how_many_times_rounds_or_posts_asks_for_a_count_in_that_measure_and_which_one_for_an_ordinal():
    assert question_kind("这位部长一共上过几回台？") == "number" and asked_unit("这位部长一共上过几回台？") == "回"
    assert fits("number", "他曾两度出任部长。", "这位部长一共上过几回台？")  # 回, 次 and 度 count the same
    assert fits("number", "首都先后遭到三拨武装分子冲击。", "首都被冲了几波？")  # 波 and 拨 alike
    assert question_kind("他那天发了几条消息？") == "number" and asked_unit("他那天发了几条消息？") == "条"
    asked = "仓库里一共找到几具遗体？"  # a sentence that has them but no count does not answer it
    assert question_kind(asked) == "number" and not fits("number", "仓库里有遗体。", asked)
    assert fits("number", "仓库里找到了五具遗体。", asked)
    # "这几个", "好几个": some, not a question of how many
    assert question_kind("这几个官员后来怎么样了？") != "number" and asked_unit("好几个国家出兵了吗") == ""
    asked = "她是这个党的第几任主席？"  # an ordinal answers it, and a count does not
    assert question_kind(asked) == "number"
    assert fits("number", "她是该党成立以来的第三任主席。", asked)
    assert not fits("number", "该党先后有三任主席。", asked)


@pytest.mark.parametrize("written, value", [("八", 8), ("十五", 15), ("二十六", 26), ("一百零三", 103), ("两万", 20000),
                                            ("一千二百", 1200), ("万", 10000), ("几十", None), ("4266", 4266)])
def test_a_figure_in_characters_reads_as_its_value(written, value):
    from qabot.language.numbers import amount

    assert amount(written) == (None if value is None else (value, value))


def test_a_name_an_english_question_gives_in_chinese_is_not_new_to_it():
    sentence = "哈萨克斯坦总统托卡耶夫7日表示，已恢复宪法秩序。"
    assert fits("who", sentence, "Who is the president of Kazakhstan?")  # 托卡耶夫 is new to it
    assert not fits("who", sentence, "What did Tokayev say?", said="托卡耶夫")  # 托卡耶夫 is Tokayev


def test_place_names_count_for_where_but_transliterated_people_do_not():
    from qabot.language.kinds import fits

    assert fits("where", "抗议活动最初在依赖液化石油气的曼格斯套（Mangystau）开始。", "抗议最早从哪里开始？")  # glossed
    assert fits("where", "在贾姆比尔地区查获了一个武器库。", "武器库在哪里查获？")  # a place word follows
    assert fits("where", "将部队及装备运送至热特根机场。", "部队运到了哪里？")
    assert not fits("where", "后演变成对前总统纳扎尔巴耶夫的抗议。", "抗议在哪里？")  # a person, tagged as a name
    assert not fits("where", "这座城市的局势已经稳定。", "局势在哪里稳定？")  # "城市" names no place
    # a person's 名·姓 holds no place: 努尔苏丹·纳扎尔巴耶夫 is no 苏丹 (Sudan)
    assert not fits("where", "街头的愤怒主要针对他的前任努尔苏丹·纳扎尔巴耶夫（Nursultan Nazarbayev）。", "纳扎尔巴耶夫现在在哪儿？")


def test_a_word_after_a_persons_title_is_a_name_and_a_quoted_name_answers_what_a_thing_is_called():
    from qabot.language.kinds import fits

    assert fits("who", "俄罗斯国防部长绍伊古持续向总统通报情况。", "谁向总统通报情况？")
    assert fits("who", "卫生局局长葛立新被停职；", "停职的那位局长叫什么？")  # a surname the tagger cut from its given name
    assert not fits("who", "总理阿斯卡尔·马明领导的内阁辞职。", "马明之后谁当总理？")  # the whole name, as asked
    assert fits("who", "该国执政党“祖国之光党”表示，总部被焚烧。", "该国执政党叫什么？")
    assert not fits("who", "该国执政党“祖国之光党”表示，总部被焚烧。", "发言的那个人叫什么名字？")


def test_a_when_question_wants_a_date_however_it_is_spaced():
    from qabot.language.kinds import fits

    assert fits("when", "俄罗斯于 2002 年与部分邻国共同成立了该组织。")
    assert fits("when", "当地时间 1 月 7 日，总统宣布。")
    assert not fits("when", "紧急状态已持续 120 日。")  # a length of time, not the 20th
    # English text (a user's own articles): weekdays and years after a preposition
    assert fits("when", "The alliance was founded in 2002 by Russia.")
    assert fits("when", "Protests broke out on Sunday in the west.")
    assert fits("when", "In 2002 the alliance was founded.")
    assert not fits("when", "Some 2030 soldiers were deployed.")
    assert fits("when", "The commission holds its first hearing on Oct. 15.")  # news style's short month
    assert not fits("when", "Mayor Linda Okafor spoke to residents.")  # May is no part of Mayor


def test_how_long_wants_a_duration_not_a_date():
    from qabot.language.kinds import fits

    assert fits("duration", "他们的存在可能不会超过一周。")
    assert fits("duration", "该组织将“在有限的时间内”派遣维和部队。")
    assert fits("duration", "掌权的近30年间。")
    assert not fits("duration", "国防部在7日表示。")  # a day of the month is no length of time
    assert not fits("duration", "他在2019年卸任。")


@pytest.mark.parametrize(("question", "name"), [("托卡耶夫是谁？", "托卡耶夫"), ("潘光到底是什么人", "潘光"),
                                               ("Who is Nazarbayev?", "Nazarbayev"), ("Who was Karim Massimov?", "Karim Massimov"),
                                               ("Who's Tokayev?", "Tokayev")])
def test_who_is_x_asks_about_x(question, name):
    from qabot.language.kinds import defined

    assert defined(question) == name and question_kind(question) == "define"


@pytest.mark.parametrize("question", ["哈萨克斯坦内务部现在的代理部长是谁？", "德国外交部副发言人是谁？", "是谁提议开集安组织峰会的？",
                                      "Who is the acting interior minister?", "托卡耶夫的妻子是谁？", "他是谁？",
                                      "Who is leading the investigation?", "Who is in charge of the curfew?"])
def test_a_role_or_a_relation_asks_for_a_name(question):
    from qabot.language.kinds import defined

    assert defined(question) == "" and question_kind(question) == "who"


@pytest.mark.parametrize(("text", "expected"), [
    ("现任总统托卡耶夫是哈萨克斯坦的第二位最高领导人。", True),  # a title before the name
    ("国家安全委员会副主任萨马德·阿比什被免职。", True),  # ... with a given name between
    ("81岁的纳扎尔巴耶夫虽然已卸任。", True),  # an age
    ("托卡耶夫补充说，局势已经稳定。", False),  # named, not introduced
    ("马西莫夫在前总统托卡耶夫辞职后被任命。", False),  # introduced, but the sentence is about someone else
])
def test_a_sentence_that_says_who_someone_is(text, expected):
    from qabot.language.kinds import introduces

    assert introduces(text, ["托卡耶夫", "阿比什", "纳扎尔巴耶夫"]) is expected


def test_an_english_who_is_x_is_answered_by_the_sentence_that_introduces_x_in_chinese():
    from qabot.language.kinds import fits

    sentence = "现任总统托卡耶夫是哈萨克斯坦自1991年从苏联独立以来的第二位最高领导人。"
    assert fits("define", sentence, "Who is Tokayev?", said="托卡耶夫")  # the name's Chinese form, as the question says it
    assert not fits("define", sentence, "Who is Tokayev?")  # without it "Tokayev" is nowhere in the sentence


@pytest.mark.parametrize(("text", "lang"), [
    ("托卡耶夫(Tokayev)是谁？", "zh"), ("Telegram是谁创办的？", "zh"), ("CSTO派了多少兵？", "zh"),
    ("What did 托卡耶夫 say?", "en"), ("Who is Tokayev?", "en"), ("？？", "zh"),
])
def test_a_question_is_in_the_language_most_of_its_words_are_in(text, lang):
    from qabot.language.words import language

    assert language(text) == lang  # a Chinese word is about two characters, an English one a run of letters


@pytest.mark.parametrize(("question", "kind"), [
    ("被打死的那个以色列人叫啥名？", "who"), ("内务部那位代理部长叫啥", "who"),  # 啥 is 什么
    ("What was the name of the Israeli man who was killed?", "who"),
    ("托卡耶夫是啥时候上电视的？", "when"), ("政府是礼拜几宣布辞职的", "when"), ("是哪两天的冲突里死的？", "when"),
    ("On what day did the government resign?", "when"),
    ("俄军运输机把人拉到哪俩机场去了", "where"), ("扎瑙津在哈萨克斯坦哪一块儿啊？", "where"),
    ("Which airport did the CSTO forces take control of?", "where"),
    ("In which southern city were shootings reported?", "where"),
])
def test_colloquial_and_which_questions_get_their_kind(question, kind):
    assert question_kind(question) == kind


def test_a_name_question_in_colloquial_words_wants_a_name_the_question_lacks():
    from qabot.language.kinds import fits

    sentence = "以色列外交部8日表示，一名以色列人7日晚间在该国一座城市内被身份不明的枪手杀害。"
    assert not fits("who", sentence, "被打死的那个以色列人叫啥名？")  # no name of the man in it
    assert fits("who", "内务部代理部长叶尔兰·图尔古姆巴耶夫9日发表讲话。", "内务部代理部长叫啥？")


@pytest.mark.parametrize("asked, unit", [
    ("纳扎尔巴耶夫多大年纪了？", "岁"), ("How old is Nazarbayev?", "岁"), ("这次骚乱的损失值多少钱", "元"),
    ("坚戈兑人民币现在啥汇率", "元"), ("What did LPG cost per litre?", "元"), ("热特根机场离阿拉木图有多远", "公里"),
    ("宵禁是几点到几点", "点"), ("被捕的人里外国人占比多少？", "%"),
])
def test_a_question_asking_for_a_measure_wants_a_figure_in_its_units(asked, unit):
    assert question_kind(asked) == "number" and asked_unit(asked) == unit


def test_a_figure_in_another_measure_does_not_answer_a_question_asking_for_one():
    assert fits("number", "81岁的纳扎尔巴耶夫已在2019年卸任总统职务。", "纳扎尔巴耶夫多大年纪了？")
    assert not fits("number", "托卡耶夫是自1991年独立以来的第二位最高领导人。", "How old is Tokayev?")
    assert fits("number", "这些干扰造成的物质损失价值约为 1.75 亿欧元。", "骚乱造成的损失有多少钱？")
    assert not fits("number", "100 多家商店和银行被洗劫一空，400 多辆汽车被毁。", "骚乱造成的损失有多少钱？")
    assert not fits("number", "液化石油气的价格翻了一番。", "How much did LPG cost per litre?")
    assert fits("number", "宵禁从晚上11点持续到早上7点。", "宵禁是几点到几点？")
    assert not fits("number", "他一时说不出话，局势有一点缓和。", "宵禁是几点到几点？")  # a moment, a little
    assert asked_unit("how much did the LPG price jump after the cap was lifted") == ""  # a rise, not a price


def test_asked_how_many_of_the_people_it_names_a_question_wants_people_counted():
    for asked in ("那2030个兵里俄罗斯自己出了多少？", "Of the 2,030 CSTO soldiers, how many were Russian?",
                  "164个死的人里头平民占多少"):
        assert asked_unit(asked) == "人"
    sent = "集安组织出动了2030名士兵和250件军事装备。"  # the people it gives and some equipment: no answer
    assert not fits("number", sent, "Of the 2,030 CSTO soldiers, how many were Russian?")
    assert fits("number", "其中俄罗斯派出了约1500名士兵。", "Of the 2,030 CSTO soldiers, how many were Russian?")
    assert asked_unit("What did the 2,030 soldiers do?") == ""  # no count asked


@pytest.mark.parametrize("figure, values", [
    ("4266人", (4266, 4266)), ("一百多家", (100, 200)), ("100 多家", (100, 200)), ("四千多人", (4000, 5000)),
    ("2万来个", (10000, 30000)), ("两万多人", (20000, 30000)), ("1.75 亿欧元", (175e6, 175e6)),
    ("一亿七千多万欧元", (170e6, 180e6)), ("175 million", (175e6, 175e6)), ("八名", (8, 8)), ("几十人", None),
])
def test_a_figure_stands_for_a_range_of_values_when_it_says_more_than(figure, values):
    from qabot.language.numbers import amount

    assert amount(figure) == values


def test_a_figure_the_question_gives_in_round_words_is_no_answer_to_it():
    damage = "初步估计，这些干扰造成的物质损失价值约为 1.75 亿欧元，100 多家商店和银行被洗劫一空，400 多辆汽车被毁。"
    assert not fits("number", damage, "那一亿七千多万欧元的损失里头，阿拉木图占了多少？")  # 1.75亿 is the figure given
    assert not fits("number", damage, "一百多家商店和银行里，银行有几家？")  # 100多家 is; 400多辆 counts cars
    assert fits("number", damage, "有多少家商店被抢了？")  # given nothing, 100多家 answers
    arrested = "被捕的人数已上升至4266人，其中包括其他国家的公民。"
    assert not fits("number", arrested, "被抓的四千多人里头，外国人有多少？")
    assert fits("number", "其中有30人是外国公民。", "被抓的四千多人里头，外国人有多少？")


def test_asked_how_many_of_a_figure_it_gives_a_question_counts_in_its_unit():
    assert asked_unit("那一亿七千多万欧元的损失里头，阿拉木图占了多少？") == "元"
    assert asked_unit("Of the 250 pieces of CSTO military equipment, how many were armoured vehicles?") == "件"
    assert asked_unit("被抓的四千多人里头，外国人有多少？") == "人"
    sent = "集安组织出动了2030名士兵和250件军事装备。"  # the equipment it gives, and soldiers: no answer
    assert not fits("number", sent, "Of the 250 pieces of CSTO military equipment, how many were armoured vehicles?")


def test_asked_which_day_a_question_wants_a_day_not_a_year():
    year = "81岁的纳扎尔巴耶夫虽然已在2019年主动卸任总统职务，但一直担任国家安全会议主席。"
    day = "动乱开始后，他（纳扎尔巴耶夫）在周三（1月5日）被解除国家安全会议主席职务。"
    for asked in ("纳扎尔巴耶夫是哪天被拿掉国家安全会议主席的？", "On what date was Nazarbayev removed?"):
        assert not fits("when", year, asked) and fits("when", day, asked)
    assert fits("when", year, "纳扎尔巴耶夫哪年卸任的？")  # a year asked: a year answers


def test_a_share_of_a_figure_counted_with_the_general_measure_word_may_be_counted_in_any_unit():
    asked = "卫生部说死了164个，其中阿拉木图死了多少？"  # 个 counts anything: the 103 people answer
    assert asked_unit(asked) == ""
    assert fits("number", "卫生部9日表示，这场骚乱已导致164人死亡，其中在阿拉木图有103人丧生。", asked)


@pytest.mark.parametrize(("question", "kind"), [
    ("他发文用的是哪个社交平台？", "which"), ("专家说的“三股势力”是哪三股？", "which"),
    ("Which think tank is the expert from?", "which"), ("停用的是哪些聊天软件", "which"),
    ("哪怕一个人也好，是谁来了？", "who"),  # 哪怕 ("even if") asks nothing
    ("部队运到了哪个城市？", "where"), ("Which city saw the first protests?", "where"),  # a kind above wins
    ("是哪天宣布的？", "when"), ("哪几个国家派了兵，各派了多少人？", "number"),
])
def test_which_of_a_kind_of_thing_is_its_own_kind_unless_a_kind_above_says_more(question, kind):
    assert question_kind(question) == kind


def test_which_of_a_kind_of_thing_wants_a_name_or_a_list_the_question_lacks():
    asked = "他发文用的是哪个社交平台？"
    assert not fits("which", "他在社交媒体上多次发文。", asked)  # the kind of thing, named by no name
    assert fits("which", "他在Telegram上多次发文。", asked)  # a Latin name
    assert fits("which", "他在《人民日报》上发文。", asked)  # a quoted title
    assert not fits("which", "他在Telegram上多次发文。", "他在Telegram上发文了吗，用的哪个账号？")  # given already
    assert fits("which", "他指的是恐怖主义、分裂主义和极端主义。", "他说的三股势力是哪三股？")  # a list's items
    assert fits("which", "该报告援引英国智库皇家国际关系研究所专家的话。", "Which think tank is she from?")


def test_a_name_the_question_gives_cut_short_is_no_answer_to_who():
    asked = "俄外交部那边是谁出来批评的？"  # 俄外交部 is 俄罗斯外交部 cut short: naming it answers nothing
    assert not fits("who", "俄罗斯外交部批评了这番言论。", asked)
    assert fits("who", "俄罗斯外交部发言人玛丽亚·扎哈罗娃批评了这番言论。", asked)
    assert fits("who", "马明辞职了。", "马西莫夫的前任总理是谁？")  # a name's first and last characters alone are not it


@pytest.mark.parametrize(("question", "kind"), [
    ("When the ministry gave its toll, how many were hurt?", "number"),  # the clause before the comma sets the scene
    ("After the cabinet quit, who ran the government?", "who"),
    ("Once the airport was retaken, what did the troops do?", ""),
    ("When did he resign, and who replaced him?", "when"),  # "When did …" asks when
    ("If the request came, which day would they act?", "when"),
])
def test_an_english_clause_that_sets_the_scene_asks_nothing(question, kind):
    assert question_kind(question) == kind


def test_the_article_a_is_a_figure_only_in_the_unit_asked():
    # "一场反恐行动" is "a counter-terror operation": another report with the same 2030 and 250 is no disagreement
    told = "一场大规模的反恐行动将很快结束，集安组织出动了2030名士兵和250件军事装备。"
    assert (1.0, 1.0) in figure_values("number", told)  # no unit given: every figure as written
    assert figure_values("number", told, "人") == figure_values("number", "其中包括 2030 名士兵和 250 件装备。", "人")
    assert (1.0, 1.0) in figure_values("number", "一名以色列人被杀。", "人")  # a count of people, asked in people


def test_counts_in_the_common_measure_words_are_figures():
    assert "五孔" in figures("number", "永宁石拱桥共有五孔，始建于1908年。")
    assert "3层" in figures("number", "新馆共3层，藏书两万册。") and "12台" in figures("number", "现场调来12台挖掘机。")


def test_a_count_whose_unit_the_text_leaves_out_still_counts_but_a_year_or_a_designation_does_not():
    asked = "一共抓了多少人？"
    assert fits("number", "截至7日，已有3811被逮捕。", asked)  # 3811 (people): the unit left out
    assert fits("number", "死亡人数已升至164。", asked)
    assert not fits("number", "2022开年，局势动荡。", asked)  # a year
    assert not fits("number", "据Khabar-24电视频道报道，首都平静。", asked)  # a designation
    assert not fits("number", "100多家商店被洗劫。", asked)  # counted in another unit
    assert not fits("number", "那3811人里，已有3811被逮捕。", "那3811人里，被逮捕的有多少人？")  # the question's own figure


def test_a_latin_gloss_in_brackets_repeats_the_name_before_it_and_names_nothing_new():
    asked = "托卡耶夫那次讲话是在哪个电视台播的？"
    glossed = "总统托卡耶夫（Kassym-Jomart Tokayev）在凌晨的电视讲话中呼吁支持。"
    assert not fits("which", glossed, asked)
    assert fits("which", "总统托卡耶夫在Khabar-24电视台的讲话中呼吁支持。", asked)


def test_the_counts_a_question_gives_are_found_in_a_sentence_that_gives_them_more_or_less():
    from qabot.language.kinds import given_figures, holds_figure

    asked = given_figures("那篇里提到的“16”指的是什么？")
    assert asked == ((16.0, 16.0),)
    assert holds_figure(asked, "他说，有16名安全部队成员被杀。")
    assert not holds_figure(asked, "已有164人死亡，其中16日以后死亡的不多。")  # 164, and a date
    more_than = given_figures("The piece has a 'more than 400' figure. 400 what?")
    assert holds_figure(more_than, "400 多辆汽车被毁。") and not holds_figure(more_than, "有403人受伤。")
    assert given_figures("What did the Jan 10 piece say about the 2,030 soldiers?") == ((2030.0, 2030.0),)
    assert given_figures("1月7号那天发生了什么？") == ()  # a date gives no count


@pytest.mark.parametrize("question, kind", [
    ("what's the death toll by now", "number"),
    ("Any word on the latest casualty tallies?", "number"),
    ("what was the official count of flooded homes", "number"),
    ("how much did the clean-up end up costing the county", "number"),
    ("did the rescuers look anywhere else?", ""),  # anywhere, somewhere: no question of where
    ("where did the rescuers look?", "where"),
])
def test_a_figure_asked_for_by_its_noun_is_a_number_and_somewhere_asks_no_place(question, kind):
    assert question_kind(question) == kind


def test_a_question_that_says_the_reports_differ_asks_for_the_kind_of_figure_it_gives():
    from qabot.language.kinds import differing_kind

    assert differing_kind("which", "one site said the alarm went off at 4:15, another says later. which is right?") \
        == "when"
    assert differing_kind("", "I saw that 40 were evacuated, but another report has more") == "number"
    assert differing_kind("", "我看一篇说疏散了300人，另一篇说的不一样") == "number"
    assert differing_kind("who", "one says the mayor, another the governor, 300 people heard it") == "who"
    assert differing_kind("", "the reports differ on who gave the order") == ""
