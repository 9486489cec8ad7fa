"""Scoring any translation (``newsmt.score``): records, flags with evidence, file formats, summary;
and the engine's own score (round trip through the bundled pt->en model)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shared_path

from newsmt.config import TranslateConfig
from newsmt.errors import InputError
from newsmt.models import resolve
from newsmt.quality import copied_on_purpose, has_language
from newsmt.config import PipelineConfig
from newsmt.pipeline import Resources
from newsmt.score import PairScorer, read_pairs, score_pairs, summary_line
from newsmt.translate.bergamot import BergamotBackend
from newsmt.translate.engine import TranslationEngine, load_engine

SOURCE = "Amnesty's Russia and Eurasia director Pavel Orlov said the vote would take place at 10:15 pm on Tuesday."
GOOD = "O diretor da Anistia para a Rússia e a Eurásia, Pavel Orlov, disse que a votação ocorreria às 22h15 de terça-feira."


def assert_evidence(cases: list[tuple[str, str, list[str]]], tgt: str, flag: str = "omission") -> None:
    """Each (English source, translation into ``tgt``, evidence), scored together: ``flag``'s evidence is as given."""
    from newsmt import score_texts

    records = score_texts([c[0] for c in cases], [c[1] for c in cases], "en", tgt)
    assert [r["evidence"].get(flag, []) for r in records] == [c[2] for c in cases], records


@pytest.fixture(scope="module")
def scorer():
    with Resources(PipelineConfig()) as resources:  # the round trip's pt->en engine is the Resources'
        yield resources.scorer("en", "pt")


def test_errors_are_flagged_with_their_evidence(scorer: PairScorer) -> None:
    bad = {
        "name": GOOD.replace(" e a Eurásia", ""),
        "time": GOOD.replace("22h15", "10h15"),
        "number": "A polícia prendeu 13 pessoas.",
        "cut": "O diretor da Anistia para a Rússia e a Eurásia, Pavel Orlov, disse",
    }
    sources = [SOURCE, SOURCE, "Police arrested 12 people.", SOURCE]
    records = score_pairs([SOURCE, *sources], [GOOD, *bad.values()], scorer)
    good, name, time, number, cut = records
    assert good["flags"] == [] and good["score"] > 0.8 and good["line"] == 1
    assert name["flags"] == ["omission"] and name["evidence"] == {"omission": ["Eurasia"]}
    assert time["flags"] == ["number_mismatch"] and time["evidence"]["number_mismatch"] == ["10h15 -> 22h15"]
    assert number["evidence"]["number_mismatch"] == ["12"] and "addition" in number["flags"]
    assert {"omission", "low_quality"} & set(cut["flags"]) and cut["score"] < 0.5
    assert all(set(r) == {"line", "src", "tgt", "score", "flags", "evidence"} for r in records)
    line = summary_line(records)
    assert line.startswith("scored 5 pairs (mean score") and "number_mismatch 3" in line and "omission" in line


def test_lines_with_nothing_to_judge_are_not_flagged(scorer: PairScorer) -> None:
    lines = ["Vladimir Gerdo / TASS", "@JaneRoe", "#FreeNavalny https://example.org/a", "2020", "Reuters"]
    assert not any(has_language(x) for x in lines) and has_language("The house is red.")
    assert copied_on_purpose("a  b", "a b")
    records = score_pairs(lines, lines, scorer)
    assert all(r["flags"] == [] and r["score"] == 1.0 for r in records)
    empty = score_pairs(["", "", "The house is red."], ["", "A casa é vermelha.", "A casa é vermelha."], scorer)
    assert [r["flags"] for r in empty] == [[], ["addition"], []]  # a translation of nothing is no translation
    plain = score_pairs(["The mayor of Łódź spoke on Monday.", "The mayor of Łódź spoke on Monday."],
                        ["O prefeito de Lodz falou na segunda-feira.", "O prefeito falou na segunda-feira."], scorer)
    assert [r["evidence"].get("omission") for r in plain] == [None, ["Łódź"]]  # Lodz is Łódź without its diacritics
    nothing = score_pairs(["Yes.", "He said no to the deal.", "@JaneRoe"], [".", "", ""], scorer)
    assert [r["evidence"].get("omission") for r in nothing] == [["all of it"], ["all of it"], None]
    assert nothing[2]["evidence"]["url_lost"] == ["@JaneRoe"]


def test_human_references_pass(scorer: PairScorer) -> None:
    root = shared_path("eval", "flores200_devtest")
    src = (root / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()[100:140]
    ref = (root / "por_Latn.devtest").read_text(encoding="utf-8").splitlines()[100:140]
    flagged = [r for r in score_pairs(src, ref, scorer)
               if {"low_quality", "wrong_language", "omission", "addition"} & set(r["flags"])]
    assert len(flagged) <= 1, flagged


def test_pairs_scored_together_are_read_as_one_text_for_names(scorer: PairScorer) -> None:
    """``score_pairs`` (``newsmt score``) reads its pairs as one text: ``Sainsbury's`` written
    mid-sentence in one line is a name where it starts another, and dropped there it is missing."""
    sources = ["Shoppers will find new aisles at Sainsbury's stores.",
               "Sainsbury's said it would double the size of its beauty range."]
    targets = ["Os clientes vão encontrar novos corredores nas lojas da Sainsbury's.",
               "Disse que iria duplicar o tamanho da sua gama de beleza."]
    assert score_pairs(sources, targets, scorer)[1]["evidence"]["omission"] == ["Sainsbury"]
    assert "omission" not in scorer.score(sources[1:], targets[1:])[0].flags  # one line alone: no name known


def test_a_word_of_a_longer_name_is_checked_where_the_model_keeps_it_alone(scorer: PairScorer) -> None:
    """In a longer name a word the lexicon translates may be a name (``Hurricane Rosa``, ``Kanye
    West``) or a word (``Game of Thrones``): the model translating it alone tells (``Rosa`` stays,
    ``Game`` becomes ``Jogo``)."""
    sources = ["Hurricane Rosa will bring heavy rain to Mexico on Monday.", "He starred in Game of Thrones for years."]
    records = score_pairs(sources * 2, ["O furacão Rosa trará chuvas fortes ao México na segunda-feira.",
                                        "Ele protagonizou A Guerra dos Tronos durante anos.",
                                        "O furacão trará chuvas fortes ao México na segunda-feira.",
                                        "Ele protagonizou A Guerra dos Tronos durante anos."], scorer)
    assert [r["evidence"].get("omission") for r in records] == [None, None, ["Rosa"], None]


def test_read_pairs_reads_aligned_files_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "src.txt").write_text("One.\nTwo.\n", encoding="utf-8")
    (tmp_path / "tgt.txt").write_text("Um.\nDois.\n", encoding="utf-8")
    assert read_pairs(tmp_path / "src.txt", tmp_path / "tgt.txt") == ([(1, "One.", "Um."), (2, "Two.", "Dois.")], [])
    (tmp_path / "short.txt").write_text("Um.\n", encoding="utf-8")
    with pytest.raises(InputError, match="line-aligned"):
        read_pairs(tmp_path / "src.txt", tmp_path / "short.txt")
    lines = [json.dumps({"src": "One.", "tgt": "Um."}), "", '{"src": "x"}', "{bad", "[1]", json.dumps({"src": "Two.", "tgt": "Dois."})]
    (tmp_path / "pairs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs, errors = read_pairs(tmp_path / "pairs.jsonl")
    assert pairs == [(1, "One.", "Um."), (6, "Two.", "Dois.")]  # numbered by the file's lines
    assert [e.split(": ")[0] for e in errors] == [f"{tmp_path / 'pairs.jsonl'}:{n}" for n in (3, 4, 5)]


def test_the_engine_scores_with_the_round_trip_and_gives_evidence() -> None:
    backend = BergamotBackend(resolve("en", "pt").path, threads=2)
    engine = TranslationEngine(backend, "en", "pt", TranslateConfig(tgt="pt", score=True, threads=2))
    sentence = ("Rights groups are concerned, Amnesty's Russia and Eurasia media manager Alexander Artemyev told "
                "the news site Mediazona.")
    out = engine.translate_texts([sentence, "The government announced new measures on Monday."])
    assert all(0.0 <= t.score <= 1.0 for t in out) and out[1].flags == []
    if "Eurásia" not in out[0].text and "Eurasia" not in out[0].text:
        assert "omission" in out[0].flags and out[0].evidence["omission"] == ["Eurasia"]
    engine.close()


def test_a_pair_without_a_model_back_still_gets_the_checks_by_value():
    """en->ru has no ru->en model here: the embedding score, and numbers and times still checked;
    weekdays and months only where the target's words for them are known (not flagged blindly)."""
    from newsmt import score_texts

    good, shifted = score_texts(["The vote is on Tuesday at 10:15 pm."] * 2,
                                ["Голосование во вторник в 22:15.", "Голосование во вторник в 10:15."], "en", "ru")
    assert good["flags"] == [] and good["score"] > 0.5
    assert shifted["flags"] == ["number_mismatch"]


def test_a_capitalised_word_translated_is_not_an_omission(scorer: PairScorer) -> None:
    """A capitalised word that is not a name (a people, a title word) is translated, not carried
    over: the word translated alone by the forward model shows it is there."""
    records = score_pairs(["Norwegians and Eskimo hunters met the Mideast envoy on Monday.",
                           "Norwegians and Eskimo hunters met the Mideast envoy on Monday."],
                          ["Noruegueses e caçadores esquimós encontraram o enviado do Oriente Médio na segunda-feira.",
                           "Caçadores encontraram o enviado na segunda-feira."], scorer)
    assert "omission" not in records[0]["flags"], records[0]
    assert "omission" in records[1]["flags"]


def test_a_dropped_modifier_of_a_name_is_an_omission(scorer: PairScorer) -> None:
    """A modifier the lexicon cannot check (``exiled``) is found by the round trip or by its
    translation alone; dropped, it is the evidence of the omission."""
    source = "Police questioned the exiled Belarusian activist Ivan Petrov in Vilnius on Monday."
    records = score_pairs([source, source],
                          ["A polícia interrogou o ativista bielorrusso exilado Ivan Petrov em Vilnius na segunda-feira.",
                           "A polícia interrogou o ativista bielorrusso Ivan Petrov em Vilnius na segunda-feira."], scorer)
    assert "omission" not in records[0]["flags"], records[0]
    assert records[1]["evidence"].get("omission") == ["exiled"], records[1]


def test_an_english_title_or_names_in_a_portuguese_translation_are_no_wrong_language():
    """Language is also read without quoted titles and names: a Portuguese sentence carrying an
    English book title is not 'in English'; a range converted with its unit is no new number."""
    from newsmt import score_texts

    title, rain = score_texts(
        ['Zhang, whose memoir "Rising Tides: Power, Money and the Future of the Pacific" came out this week, '
         "is chief executive of Harbor Point Capital.", "Up to 2 to 4 inches of rain fell on the hills overnight."],
        ['Zhang, cujo livro de memórias "Rising Tides: Power, Money and the Future of the Pacific" saiu esta semana, '
         "é presidente-executivo da Harbor Point Capital.", "Caíram de 5 a 10 cm de chuva nas colinas durante a noite."],
        "en", "pt")
    assert title["flags"] == [] and rain["flags"] == []
    untranslated = score_texts(["The minister said the new bridge would open to traffic next spring."],
                               ["The minister said the new bridge would open to traffic in the spring."], "en", "pt")[0]
    assert "wrong_language" in untranslated["flags"]


def test_the_first_word_of_a_longer_name_is_checked():
    """The first word of a longer name, where the checker cannot call it a name alone (a sentence's
    first word, a word the vocabulary knows: ``Kit``), is asked of the model with the name after it
    (``Jim Furyk said.`` keeps ``Jim``; ``Undefeated Leeds`` is translated); a word of longer names
    the target pack gives stems for (``North``) is checked by them. Not a title (``Sir``, ``Prof``)
    or a sentence adverb (``Meanwhile``)."""
    cases = [("North Korea says it will not disarm first.", "Северная Корея заявляет, что не разоружится первой.", []),
             ("North Korea says it will not disarm first.", "Корея заявляет, что не разоружится первой.", ["North"]),
             ("Jim Furyk's side needs eight points on Sunday.", "Команде Джима Фьюрика нужно восемь очков в воскресенье.", []),
             ("Jim Furyk's side needs eight points on Sunday.", "Команде Фьюрика нужно восемь очков в воскресенье.", ["Jim"]),
             ("Undefeated Leeds went top of the table.", "Непобеждённый «Лидс» вышел на первое место в таблице.", []),
             ("The film stars Kit Tolland as a soldier.", "В фильме Кит Толланд играет солдата.", []),
             ("The film stars Kit Tolland as a soldier.", "В фильме Толланд играет солдата.", ["Kit"]),
             ("Prof Lindqvist said the results were clear.", "Профессор Линдквист сказал, что результаты ясны.", []),
             ("Sir William Shaw opened the bridge.", "Уильям Шоу открыл мост.", []),
             ("Meanwhile Trump spoke to reporters.", "Трамп поговорил с журналистами.", [])]
    assert_evidence(cases, "ru")


def test_a_free_rendering_read_back_in_other_words_is_no_low_quality():
    """The round trip of a short free rendering shares few letters with the source (low chrF); the
    embeddings read it as a paraphrase. An unrelated sentence stays low quality."""
    from newsmt import score_texts

    source = "It did not go well for them."
    records = score_texts([source, source], ["Eles não tiveram sucesso.", "O gato dormiu no sofá a tarde toda."], "en", "pt")
    assert [r["flags"] for r in records] == [[], ["low_quality"]], records


def test_a_name_rendered_by_its_adjective_is_kept():
    """A name the translation renders by its adjective (``Iran`` -> ``iraniana``) reads back as a word
    made from it (``Iranian``): kept, unless the source has that word too and the name is dropped."""
    cases = [("The Iran hostage crisis lasted for more than a year.", "A crise iraniana dos reféns durou mais de um ano.", []),
             ("The Iranian revolution led to the Iran hostage crisis.", "A revolução iraniana levou à crise dos reféns.", ["Iran"]),
             ("The Iranian revolution led to the Iran hostage crisis.", "A revolução iraniana levou à crise dos reféns no Irã.", [])]
    assert_evidence(cases, "pt")


def test_a_name_the_translation_renders_in_other_words_is_kept():
    """A name a translator renders in words no spelling check follows (``the Vatican`` = ``Святой
    престол``, ``Beijing`` for China's government = ``Китай``): the translation is nearer its source
    with the name than without it (the embeddings). A name dropped is still an omission."""
    from newsmt.quality import without_word

    assert without_word("Khufu's wives and Khufu", "Khufu") == "wives and"
    cases = [("The Vatican declined to comment on the report.", "Святой престол отказался комментировать доклад.", []),
             ("The Vatican declined to comment on the report.", "Они отказались комментировать доклад.", ["Vatican"]),
             ("Beijing hit back at Washington on Friday.", "Китай ответил Соединённым Штатам в пятницу.", []),
             ("Beijing hit back at Washington on Friday.", "Китай ответил в пятницу.", ["Washington"])]
    assert_evidence(cases, "ru")


def test_a_name_the_back_translation_renders_in_other_words_is_kept():
    """With a model back (en->pt), the back-translation, in the source's language, is what the source
    with and without the name is compared with: a nickname (``Killie`` = ``Kilmarnock``) and a court's
    name translated (``Magistrates' Court`` = ``Juizado Criminal``) are kept; a name dropped is not."""
    cases = [("While Killie's late goal was lucky, they deserved the point.",
              "Embora o gol tardio do Kilmarnock tenha sido sorte, eles mereceram o ponto.", []),
             ("While Killie's late goal was lucky, they deserved the point.",
              "Embora o gol tardio tenha sido sorte, eles mereceram o ponto.", ["Killie"]),
             ("The suspect will appear before Leeds Magistrates' Court on Tuesday.",
              "O suspeito comparecerá perante o Juizado Criminal de Leeds na terça-feira.", []),
             ("The suspect will appear before Leeds Magistrates' Court on Tuesday.",
              "O suspeito comparecerá perante o tribunal na terça-feira.", ["Leeds"])]
    assert_evidence(cases, "pt")


def test_a_weekday_or_month_of_a_longer_name_written_in_cyrillic_is_kept():
    """``The Sunday Times`` may be written ``«Санди Таймс»`` and ``April Ryan`` ``Эйприл Райан``; a
    weekday dropped, or standing alone, is still a mismatch."""
    cases = [("Speaking to The Sunday Times, Kit said it had gone wrong.", "В интервью «Санди Таймс» Кит сказал, что всё пошло не так.", []),
             ("Speaking to The Sunday Times, Kit said it had gone wrong.", "В интервью Кит сказал, что всё пошло не так.", ["Sunday"]),
             ("April Ryan asked the first question on Monday.", "Эйприл Райан задала первый вопрос в понедельник.", []),
             ("He met Mandy on Monday.", "Он встретился с Мэнди.", ["Monday"])]
    assert_evidence(cases, "ru", "number_mismatch")


def test_english_to_russian_is_checked_without_a_model_back():
    """No ru->en model: names across scripts, Russian numbers, months in their cases, clock times
    in words and units are still checked; the human rendering passes."""
    from newsmt import score_texts

    source = "Opposition leader Alexei Navalny was jailed on December 5 for 3.5 years, 1,000 km from Moscow, at 10 pm."
    good = "Лидер оппозиции Алексей Навальный 5 декабря был приговорён к 3,5 годам, в 1 000 км от Москвы, в 22 часа."
    records = score_texts([source] * 3, [good, good.replace("Навальный ", ""), good.replace("3,5", "4,5")], "en", "ru")
    assert records[0]["flags"] == [], records[0]
    assert records[1]["evidence"].get("omission") == ["Navalny"]
    assert records[2]["evidence"].get("number_mismatch") == ["3.5"]


def test_a_russian_day_period_written_as_an_adverb_is_read_with_its_time():
    """``6.40 вечером`` (in the evening) is 18:40 as ``6.40 вечера`` is; ``утром`` is the morning."""
    from newsmt import score_texts

    source = "Melissa Tate, 10, was hit at about 6.40pm on Wednesday."
    records = score_texts([source] * 2, ["Мелиссу Тейт, 10 лет, сбили около 6.40 вечером в среду.",
                                         "Мелиссу Тейт, 10 лет, сбили около 6.40 утром в среду."], "en", "ru")
    assert [r["evidence"] for r in records] == [{}, {"number_mismatch": ["6.40 утром -> 18:40"]}]


def test_without_a_lexicon_a_model_tells_a_name_from_a_word():
    """en->ru has no lexicon: ``Jones`` (an ending of words made from names) and ``Rosa`` (a word of
    the vocabulary) may be words, so the bundled en->pt model translates each alone: it keeps the
    names, which are then missing; it translates ``Allies`` (``Aliados``), a word, so no flag."""
    from newsmt import score_texts

    sources = ["Police said Jones was arrested on Friday.", "Forecasters said Rosa would weaken on Monday.",
               "In 1944 the Allies landed in southern France."]
    kept = ["Полиция сообщила, что Джонс был арестован в пятницу.", "Синоптики сообщили, что Роза ослабнет в понедельник.",
            "В 1944 году союзники высадились на юге Франции."]
    dropped = ["Полиция сообщила, что он был арестован в пятницу.", "Синоптики сообщили, что он ослабнет в понедельник.",
               "В 1944 году войска высадились на юге Франции."]
    records = score_texts(sources * 2, kept + dropped, "en", "ru")
    assert [r["evidence"].get("omission") for r in records] == [None, None, None, ["Jones"], ["Rosa"], None]


def test_without_a_lexicon_a_word_of_a_longer_name_that_ends_like_a_word_is_asked_of_a_model():
    """``Zoran`` ends like ``Russian`` but comes from no word or place the checker knows: the en->pt
    model keeps it as a name, so dropped from ``Zoran Zaev`` it is an omission; ``Thrones`` is
    ``throne`` and an ending, a word of ``Game of Thrones`` a translator translates."""
    from newsmt import score_texts

    sources = ["Prime Minister Zoran Zaev voted on Sunday.", "Kit Harington is known for Game of Thrones."]
    records = score_texts(sources * 2, ["Премьер-министр Зоран Заев проголосовал в воскресенье.",
                                        "Кит Харингтон известен по «Игре престолов».",
                                        "Премьер-министр Заев проголосовал в воскресенье.",
                                        "Кит Харингтон известен по сериалу."], "en", "ru")
    assert [r["evidence"].get("omission") for r in records] == [None, None, ["Zoran"], None]


def test_a_doubtful_word_is_asked_of_the_model_in_sentences_where_a_name_stays_a_name():
    """Alone, the en->pt model turns the given name ``Nicholas`` into ``Nicolau`` as it turns
    ``Allies`` into ``Aliados``; in the pack's sentences (``Nicholas said.``) it keeps the name and
    still translates the word: dropped, the name is an omission, the word is not."""
    from newsmt import score_texts

    sources = ["The fatalities were Nicholas Alden, 25, and a passenger.", "In 1944 the Allies landed in southern France."]
    records = score_texts(sources, ["Погибшими стали Олден, 25 лет, и пассажир.", "В 1944 году войска высадились на юге Франции."],
                          "en", "ru")
    assert [r["evidence"].get("omission") for r in records] == [["Nicholas"], None]


def test_without_a_lexicon_a_word_the_pack_gives_no_form_is_asked_of_the_model():
    """en->ru: a capitalized word of a longer name that the target pack gives no form of is asked of
    the en->pt model, not called omitted: it translates ``Embassy`` (``Embaixada``), a word, and
    keeps ``Pruitt``; ``Aristotle`` comes back in Portuguese spelling (``Aristóteles``), a name all
    the same. ``London`` has CLDR's forms, so it is checked by them without asking."""
    from newsmt import score_texts

    cases = [("The Russian Embassy in Damascus was shelled on Monday.", "В понедельник обстреляли посольство России в Дамаске.", None),
             ("EPA chief Scott Pruitt reversed the decision.", "Глава агентства отменил решение.", ["Scott", "Pruitt"]),
             ("Scholars accepted Aristotle's views on science.", "Учёные приняли взгляды философа на науку.", ["Aristotle"]),
             ("The London Stock Exchange fell on Monday.", "В понедельник биржа упала.", ["London"])]
    records = score_texts([c[0] for c in cases], [c[1] for c in cases], "en", "ru")
    assert [r["evidence"].get("omission") for r in records] == [c[2] for c in cases], records


def test_a_name_with_the_ending_of_a_common_noun_is_asked_of_the_model():
    """``Sterling`` ends like ``Building``: a word a translator may translate, so without a lexicon
    it is asked of the en->pt model, which keeps it as a name (dropped, an omission) and translates
    ``Thanksgiving`` (dropped, no name lost)."""
    from newsmt import score_texts

    sources = ["Sane took a few touches before leading Sterling toward the far post.",
               "Shops were closed for Thanksgiving on Thursday."]
    records = score_texts(sources, ["Сане сделал несколько касаний, прежде чем отдать передачу на дальнюю штангу.",
                                    "В четверг магазины были закрыты."], "en", "ru")
    assert [r["evidence"].get("omission") for r in records] == [["Sterling"], None]


def test_a_word_of_a_longer_name_is_checked_by_the_stems_the_target_pack_gives():
    """``North`` is a word the lexicon translates, left alone inside a longer name; the pt pack's
    ``[name_words]`` gives ``norte``, so ``North Korea`` rendered as ``Coreia`` lost it."""
    from newsmt import score_texts

    source = "The leaders of North Korea met in Singapore."
    records = score_texts([source] * 2, ["Os líderes da Coreia do Norte reuniram-se em Singapura.",
                                         "Os líderes da Coreia reuniram-se em Singapura."], "en", "pt")
    assert [r["evidence"].get("omission") for r in records] == [None, ["North"]]


def test_a_word_the_model_gives_counts_only_in_its_own_spelling():
    """The model gives ``Scotland`` as ``Escócia``; ``escola`` (school) is spelt nearly so, yet it is
    another word, so the dropped name is still an omission (``spelt_alike`` is for names)."""
    from newsmt import score_texts

    source = "Within Scotland, each school will differ in the languages they teach."
    records = score_texts([source] * 2, ["Na Escócia, cada escola difere nas línguas que ensina.",
                                         "Na , cada escola difere nas línguas que ensina."], "en", "pt")
    assert [r["evidence"].get("omission") for r in records] == [None, ["Scotland"]]


def test_a_name_respelt_with_s_for_sh_and_one_in_capitals_are_found():
    """Portuguese writes ``Bishkek`` as ``Bisqueque`` (``sh`` as ``s``, ``k`` as ``qu``): kept, and
    dropped an omission. A dateline's ``NEW YORK`` is a name where the text writes ``New York``, found
    by sound in ``НЬЮ-ЙОРК``, not only by the forms of an acronym."""
    from newsmt import score_texts

    source = "One observer said that Bishkek was sinking into anarchy."
    pt = score_texts([source] * 2, ["Um observador disse que Bisqueque estava afundando na anarquia.",
                                    "Um observador disse que a cidade estava afundando na anarquia."], "en", "pt")
    assert [r["evidence"].get("omission") for r in pt] == [None, ["Bishkek"]]
    sources = ["NEW YORK (Reuters) - Oil prices steadied on Friday.", "Traders in New York sold oil."]
    ru = score_texts(sources * 2, ["НЬЮ-ЙОРК (Рейтер) – Цены на нефть стабилизировались в пятницу.",
                                   "Трейдеры в Нью-Йорке продавали нефть.",
                                   "(Рейтер) – Цены на нефть стабилизировались в пятницу.",
                                   "Трейдеры в Нью-Йорке продавали нефть."], "en", "ru")
    assert [r["evidence"].get("omission") for r in ru] == [None, None, ["York"], None]


def test_a_name_kept_once_in_latin_letters_and_once_in_cyrillic_is_kept_twice():
    """``MTN Ghana ... in Ghana`` -> ``MTN Ghana ... в Гане``: a mention in each script, two in all
    (each was counted alone: ``Ghana (1 of 2)``); a hundred as a noun (``сотни``) is 100."""
    from newsmt import score_texts

    sources = ["MTN Ghana was listed among the top leaders in Ghana.", "More than 100 witnesses were interviewed."]
    records = score_texts(sources * 2, ["Компания MTN Ghana вошла в число лидеров в Гане.", "Было опрошено более сотни свидетелей.",
                                        "Компания MTN Ghana вошла в число лидеров.", "Было опрошено более двухсот свидетелей."],
                          "en", "ru")
    assert [r["evidence"] for r in records] == [{}, {}, {"omission": ["Ghana (1 of 2)"]}, {"number_mismatch": ["100"]}]


def test_without_a_model_back_the_checks_are_loaded_once_for_every_call():
    """``newsmt score`` and ``/score`` take ``Resources.pair_scorer``: for en->ru (embeddings, no
    model back) one ``PairScorer`` around the embedding scorer, kept with the models it loads (the
    en->pt model that tells names from words), not one per call."""
    from newsmt import score_texts

    with Resources(PipelineConfig()) as resources:
        pair = resources.pair_scorer("en", "ru")
        assert pair is resources.pair_scorer("en", "ru") and pair.quality is resources.scorer("en", "ru")
        for _ in range(2):
            records = score_texts(["Police said Jones was arrested on Friday."],
                                  ["Полиция сообщила, что он был арестован в пятницу."], "en", "ru", resources=resources)
            assert records[0]["evidence"].get("omission") == ["Jones"]


def test_without_a_model_back_a_translation_of_the_first_half_only_is_an_omission():
    """FLORES devtest English and its human Russian: whole translations pass the half-cut check,
    their first halves of words do not (read from ../shared)."""
    flores = shared_path("eval", "flores200_devtest")
    src = (flores / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()[:30]
    ref = (flores / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()[:30]
    cut = [" ".join(t.split()[: len(t.split()) // 2]) for t in ref]
    with PairScorer("en", "ru") as pair:
        whole, halves = pair.score(src, ref), pair.score(src, cut)
    assert sum("second half" in r.evidence.get("omission", []) for r in whole) <= 1
    assert sum("second half" in r.evidence.get("omission", []) for r in halves) >= 15


def test_lost_symbols_and_the_wrong_variant_are_flagged(scorer: PairScorer) -> None:
    records = score_pairs(["The rate rose 3 ± 0.5 percent.", "The team arrived in Moscow on Monday."] * 2,
                          ["A taxa subiu 3 ± 0,5 por cento.", "A equipe chegou a Moscou na segunda-feira.",
                           "A taxa subiu 3 a 0,5 por cento.", "A equipa chegou a Moscovo na segunda-feira."], scorer)
    assert records[0]["flags"] == [] and records[1]["flags"] == []
    assert records[2]["evidence"].get("symbol_lost") == ["±"]
    from newsmt import score_texts

    brazilian = score_texts(["The team arrived in Moscow on Monday."], ["A equipa chegou a Moscovo na segunda-feira."], "en", "pt-BR")[0]
    assert brazilian["evidence"].get("variant") == ["equipa -> equipe", "Moscovo -> Moscou"]


def test_a_lost_minus_sign_is_a_changed_number() -> None:
    """The digits are all there, the meaning is not: a sign lost or added is ``number_mismatch``;
    a sign written in words (``ниже нуля``, ``мороза``, ``minus``) is the sign."""
    from newsmt import score_texts

    sources = ["Temperatures of \u22125 °C are expected.", "The index fell to -12.5 points.", "It was -40 degrees in Yakutsk.",
               "It was -40 degrees in Yakutsk.", "Prices rose 5-10 percent.", "It was 3 degrees at noon."]
    russian = ["Ожидается температура 5 °C.", "Индекс упал до \u221212,5 пункта.", "В Якутске было 40 градусов мороза.",
               "В Якутске было минус 40 градусов.", "Цены выросли на 5-10 процентов.", "В полдень было -3 градуса."]
    records = score_texts(sources, russian, "en", "ru")
    assert [r["evidence"].get("number_mismatch") for r in records] == [["5 -> -5"], None, None, None, None, ["-3 -> 3"]]
    portuguese = score_texts(sources[:2], ["As temperaturas de 5 °C são esperadas.", "O índice caiu para 12,5 pontos."], "en", "pt")
    assert [r["evidence"].get("number_mismatch") for r in portuguese] == [["5 -> -5"], ["12,5 -> -12,5"]]


def test_an_amount_that_loses_its_money_is_a_mismatch():
    """``€12.50`` written ``12.50`` with no currency anywhere in the translation is not the same
    amount (the engine writes the currency back; the evidence says how); the currency written after
    the number, as a word elsewhere, or in Russian words is."""
    from newsmt import score_texts

    source = "Shares rose to €12.50 on Monday, and the meal cost £8."
    cases = [("As ações subiram para 12,50 na segunda-feira, e a refeição custou 8 libras.", ["12,50 -> EUR 12,50"]),
             ("As ações subiram para 12,50 € na segunda-feira, e a refeição custou £8.", []),
             ("As ações subiram para 12,50 euros na segunda-feira, e a refeição custou 8 libras esterlinas.", [])]
    records = score_texts([source] * len(cases), [c[0] for c in cases], "en", "pt")
    assert [r["evidence"].get("number_mismatch", []) for r in records] == [c[1] for c in cases], records
    russian = score_texts(["Her deals are worth up to £1.5 million."] * 2,
                          ["Её контракты стоят до 1,5 млн.", "Её контракты стоят до 1,5 млн фунтов."], "en", "ru")
    assert [r["evidence"].get("number_mismatch", []) for r in russian] == [["1,5 -> GBP 1,5"], []], russian
    engine = load_engine("en", "pt")
    try:
        out = engine.translate_texts(["Shares rose 3% to €12.50 at 3pm GMT on 2023-05-01."])[0]
    finally:
        engine.close()
    assert "€12,50" in out.text and out.flags == ["repaired"], out  # the model wrote "12.50", the euro gone


def test_the_length_ratio_is_judged_against_the_pair_s_usual_one():
    """Chinese writes about a third of English's characters: FLORES's human Chinese is no implausible
    length, and neither Chinese nor Portuguese cut to a fifth of that passes."""
    from newsmt.languages import resolve as language
    from newsmt.score import guard_flags

    root = shared_path("eval", "flores200_devtest")
    src = (root / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()[:100]
    zh = (root / "zho_Hans.devtest").read_text(encoding="utf-8").splitlines()[:100]
    pt = (root / "por_Latn.devtest").read_text(encoding="utf-8").splitlines()[:100]
    en = language("en")
    for tgt, lines in ((language("zh"), zh), (language("pt"), pt)):
        assert sum("length_ratio" in guard_flags(s, t, en, tgt) for s, t in zip(src, lines)) <= 2
        cut = [t[: len(t) // 5] for t in lines]
        assert sum("length_ratio" in guard_flags(s, t, en, tgt) for s, t in zip(src, cut) if len(s) >= 25) >= 90
