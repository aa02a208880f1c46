"""The kind checks over English text (`qabot/language/english.py` through `kinds.fits`): counts in a unit, spans of
time and lengths, people introduced by their role, places, and figures of the same thing from two reports."""

from qabot.language import english
from qabot.language.kinds import figure_values, fits, units

FERRY = ("The harbour master, Ines Varga, said 37 crew members and more than 200 passengers were on board when the "
         "ferry ran aground 4.5 kilometres off the island of Sorn at 6:40 a.m. on Tuesday.")


def test_a_count_in_the_unit_asked_is_found_in_english_text():
    assert fits("number", FERRY, "How many passengers were on the ferry?")  # "more than 200 passengers": people
    assert fits("number", FERRY, "How far off the island did it run aground?")  # 4.5 kilometres
    assert fits("number", FERRY, "What time did it hit the rocks?")  # 6:40 a.m.
    assert fits("number", "The repairs will cost 3.2 million euros.", "How much will the repairs cost?")
    assert fits("number", "The terminal has six berths.", "How many berths does the terminal have?")  # a word
    # a share of people counts no people; a speed is no distance; a year counts nothing
    assert not fits("number", "About 62 percent of residents use the ferry.", "How many people use the ferry?")
    assert not fits("number", "The ferry sails at 30 kilometres an hour.", "How far is the island?")
    assert not fits("number", "The ferry service began in 1998.", "How many ferries are there?")
    # an age is written "aged 22" or after a name between commas; another figure between commas is none
    assert fits("number", "Two men, aged 22 and 31, were arrested.", "How old were the men arrested?")
    assert fits("number", "The harbour master, Ines Varga, 54, of Sorn, said so.", "How old is the harbour master?")
    assert not fits("number", "On Tuesday, 12, the ferry sailed.", "How old is the ferry's captain?")
    # a figure the question gives is no answer to it
    assert not fits("number", "Of the 37 crew members, none was hurt.", "Of the 37 crew members, how many were hurt?")


def test_how_long_is_answered_by_a_span_of_time_or_a_length():
    assert fits("duration", "The crossing was closed for nine days.", "How long was the crossing closed?")
    assert fits("duration", "The new pier is 310 metres long.", "How long is the new pier?")
    assert not fits("duration", "The new pier opened on Friday.", "How long is the new pier?")


def test_who_is_someone_is_answered_by_the_sentence_that_gives_their_role():
    for text in ("Harbour master Ines Varga said the channel was safe.",
                 "The channel was safe, said Ines Varga, the harbour master.",
                 "Ines Varga, 51, who has run the port since 2019, said the channel was safe.",
                 "The port's director, Ines Varga, said the channel was safe.",
                 "The channel was safe, said Ines Varga, chief of the harbour authority."):  # a bare role "of"
        assert fits("define", text, "Who is Ines Varga?"), text
    assert not fits("define", "The channel was safe, Ines Varga said.", "Who is Ines Varga?")
    assert not fits("define", "The ferry left after Ines Varga arrived.", "Who is Ines Varga?")  # "after" is no role
    assert not fits("define", "Ines Varga, after the storm, said the channel was safe.", "Who is Ines Varga?")


def test_who_and_where_find_names_and_places_in_english_text():
    assert fits("who", "The terminal, designed by Halberg & Moss, opened in 2004.", "Who designed the terminal?")
    # who said a line: the name after the quotation; the calendar's names and a sentence's (or quotation's) first
    # word are no one's name
    assert fits("who", '"We will keep sailing," Varga said on Monday.', 'Who said "We will keep sailing"?')
    assert not fits("who", '"We will keep sailing," she said on Monday.', 'Who said "We will keep sailing"?')
    assert not fits("who", "A hearing on the claim is set for September.", "Who brought the claim?")
    assert not fits("who", "Crews worked through the night on Monday.", "Who repaired the ferry?")
    assert not fits("which", "Lawyers filed the claim on Monday in March.", "Which law firm filed the claim?")
    assert fits("which", "Lawyers from Brandt & Cole filed the claim on Monday.", "Which law firm filed the claim?")
    assert fits("where", "Both were taken to St. Brendan's Hospital by helicopter.", "Where were the injured taken?")
    # a person's name asked for: a body, a firm or a place names no one; who did something, a body may have
    arrested = "Sorn Harbour Police said two men were arrested in Vellby on Friday."
    assert not fits("who", arrested, "What are the names of the two men arrested?")
    assert fits("who", "Sorn Harbour Police said Jon Ekker, a deckhand, was arrested.", "Who was arrested?")
    assert fits("who", "Sorn Harbour Police arrested two men on Friday.", "Who arrested the men?")
    assert fits("where", "The Oslo-based operator owns four ferries.", "Where is the operator based?")
    assert not fits("where", "The operator owns four ferries.", "Where is the operator based?")


def test_two_reports_figures_of_the_same_thing_share_a_unit_and_have_their_values():
    first, later = "The strike left about 48,000 travellers stranded.", "The union said 61,000 travellers were stranded."
    assert units(first) & units(later) == {"traveller"}
    assert figure_values("number", first) == {(48000.0, 48000.0)} and figure_values("number", later) == {(61000.0,) * 2}
    assert figure_values("number", "It carries six lanes.") == {(6.0, 6.0)}
    assert english.value("twenty-five crew") == (25.0, 25.0) and english.value("a hundred") == (100.0, 100.0)
    assert english.value("dozens of") is None and english.value("1,200") is None  # digits: read by `amount`


def test_chinese_text_is_left_to_the_chinese_patterns():
    assert not english.latin("集安组织出动了2030名士兵（Kassym-Jomart Tokayev）。") and english.latin(FERRY)
    assert english.counts("人", "集安组织出动了2030名士兵。") == [] and english.units("出动了2030名士兵") == set()


def test_an_english_question_asks_about_the_noun_after_its_question_word():
    assert english.focus("how many fire trucks were sent to the farm") == "trucks"
    assert english.focus("Which insurance firm paid the claim?") == "firm"  # a verb ends the run
    assert english.focus("Which clinic kept its doors open?") == "clinic"
    assert english.focus("What's the name of the mayor's daughter?") == "daughter"
    assert english.focus("Who is the deputy director of the museum?") == "director"
    assert english.focus("How many people died?") == english.focus("What time did it start?") == ""  # frame words
    assert english.focus("Who is Ines Varga?") == ""


def test_a_sum_of_money_is_one_figure_wherever_it_stands_and_a_verb_after_a_figure_is_no_unit():
    assert figure_values("number", "The repairs cost the town $2.6 million") == \
        figure_values("number", "The repairs had cost $2.6 million so far") == frozenset({(2.6e6, 2.6e6)})
    assert units("The repairs cost the town $2.6 million") == units("The repairs had cost $2.6 million so far") \
        == {"dollar"}
    assert units("seven had been taken to hospital") == set()  # "had" counts nothing
    assert figure_values("number", "seven had been taken to hospital") == frozenset({(7.0, 7.0)})
