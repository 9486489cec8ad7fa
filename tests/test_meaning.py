"""Meaning-level guards (clock times, dates, decades, ordinals, units, protected spans, splitting)
and the omission/addition checks: one test per kind of error, on sentences written for the tests.

Pure-function tests pin each rule; real-model tests (the bundled Bergamot en->pt model) show the
engine repairing or flagging what the model really gets wrong.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from newsmt.config import TranslateConfig
from newsmt.languages import resolve as language
from newsmt.models import resolve
from newsmt.translate import guards as g
from newsmt.translate.backend import Backend, Hypothesis
from newsmt.translate.bergamot import BergamotBackend
from newsmt.translate.engine import TranslationEngine
from newsmt.translate.lexicon import Lexicon
from newsmt.translate.meaning import MeaningChecker, MeaningReport
from newsmt.translate.splitting import covers, split_long


@pytest.fixture(scope="module")
def en_pt() -> TranslationEngine:
    return TranslationEngine(BergamotBackend(resolve("en", "pt").path, threads=2), "en", "pt")


class Scripted(Backend):
    max_input_tokens = 40
    model_id = "scripted"

    def __init__(self, fn) -> None:
        self.fn = fn

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(t.split()) for t in texts]

    def translate(self, texts: list[str]) -> list[Hypothesis]:
        return [Hypothesis(self.fn(t)) for t in texts]


def check(source: str, target: str, src: str = "en", tgt: str = "pt") -> tuple[str, list[str]]:
    """(repaired target, tokens of the source facts still missing)."""
    src, tgt = language(src), language(tgt)
    fixed, lost, _ = g.repair_numbers(g.quantities(source, src), target, src, tgt, (), source)
    return fixed, [q.token for q in lost]


# ---- clock times, dates, decades, ordinals, units -------------------------------------------------
@pytest.mark.parametrize("source, target, fixed", [
    ("The blast was heard at 9:45 pm near the port.", "A explosão foi ouvida às 9:45 perto do porto.",
     "A explosão foi ouvida às 21:45 perto do porto."),
    ("Voting ends at 7:15PM on Sunday.", "A votação termina às 7h15 no domingo.", "A votação termina às 21h15 no domingo."
     .replace("21h15", "19h15")),
    ("Bars must close at 10 p.m. from Monday.", "Os bares devem fechar às 10 horas a partir de segunda-feira.",
     "Os bares devem fechar às 22 horas a partir de segunda-feira."),
])
def test_a_clock_time_read_12_hours_off_is_rewritten(source: str, target: str, fixed: str) -> None:
    assert check(source, target) == (fixed, [])
    en, pt = language("en"), language("pt")
    changed = g.repair_numbers(g.quantities(source, en), target, en, pt, (), source).changed
    assert len(changed) == 1 and changed[0].split(" -> ")[1] in fixed  # what the model got wrong, for the flag


def test_clock_times_match_by_minute_of_the_day() -> None:
    for target in ("às 22h16", "às 22:16", "às 10:16 da noite", "às 22h16min"):
        assert check("It happened at 10:16 pm.", f"Aconteceu {target}.")[1] == []
    assert check("It happened at 10:16 pm.", "Aconteceu às 14:16.")[1] == ["10:16 pm"]  # no 12 h shift: flagged
    assert check("They stayed for 11 hours.", "Ficaram por 11 horas.")[1] == []  # a duration is a number
    assert check("Aconteceu às 22h16.", "It happened at 10:16 p.m.", "pt", "en")[1] == []
    # an hour with its day period ("9 in the evening"), which in a source may also be a count
    assert check("They met at 9 in the evening.", "Они встретились в 9 часов вечера.", "en", "ru")[1] == []
    assert check("They met at 9 in the evening.", "Encontraram-se às 21h.")[1] == []
    assert check("They met at 9 in the evening.", "Encontraram-se às 9 da manhã.")[0] == "Encontraram-se às 21h."
    assert check("Police arrested 12 in the morning raids.", "A polícia prendeu 12 pessoas nas operações da manhã.")[1] == []


def test_a_time_zone_the_translation_drops_is_written_back() -> None:
    """``Posted at 10:45 GMT`` came back ``Publicado às 10:45``; a zone in the target language's
    words (``по Гринвичу``) or as the place's own time (``по местному времени``) is kept."""
    assert check("Posted at 10:45 GMT", "Publicado às 10:45") == ("Publicado às 10:45 GMT", [])
    assert check("The rally starts at 7 p.m. ET.", "O comício começa às 19h.") == ("O comício começa às 19h ET.", [])
    for target in ("в 10:45 по Гринвичу", "в 10:45 GMT", "около 10:45 по местному времени"):
        assert check("It struck at 10:45 GMT.", f"Это случилось {target}.", "en", "ru") == (f"Это случилось {target}.", [])
    en, pt = language("en"), language("pt")
    source = "The talks ended at 10:00 BST."
    assert g.repair_numbers(g.quantities(source, en), "As conversas terminaram às 10h.", en, pt, (), source).changed \
        == ["10h -> 10h BST"]


def test_a_currency_sign_after_the_amount_is_its_unit() -> None:
    """``150 mil € em dinheiro`` came back ``150,000 in cash``: the sign after the amount (and its
    scale word) is the amount's currency, so losing it is flagged; a dollar sign after a number is not read."""
    assert check("Foram apreendidos 150 mil € em dinheiro.", "150,000 in cash were seized.", "pt", "en")[1] == ["150 mil €"]
    assert check("Foram apreendidos 150 mil € em dinheiro.", "150,000 euros in cash were seized.", "pt", "en")[1] == []
    assert check("O bilhete custa 25 €.", "The ticket costs €25.", "pt", "en")[1] == []


def test_a_portuguese_weekday_written_as_a_number_is_a_weekday() -> None:
    """``3ª feira`` is Tuesday: the model's ``3rd fair`` is flagged, ``Tuesday`` is kept, and
    ``segunda`` (second, or Monday) in a translation still reads as the ordinal."""
    assert check("O pacote foi anunciado na 3ª feira.", "The package was announced at the 3rd fair.", "pt", "en")[1] == ["3ª feira"]
    assert check("A reunião será na 2ª-feira.", "The meeting will be on Monday.", "pt", "en")[1] == []
    assert check("It was his second visit.", "Foi a sua segunda visita.")[1] == []


def test_an_unmarked_english_time_is_read_from_its_context() -> None:
    """``10:15`` without am/pm: the end of a range, the sentence's day words, seconds or a 24-hour
    zone decide; with no such sign either reading is accepted."""
    assert check("The talks ran from 10:00-11:00 pm on Friday.", "As conversas foram das 10:00 às 11:00 na sexta-feira.")[0] \
        == "As conversas foram das 22:00 às 23:00 na sexta-feira."
    assert check("The fire started at 10:15 on Tuesday night.", "O incêndio começou às 22h15 de terça-feira à noite.")[1] == []
    assert check("The fire started at 10:15 on Tuesday night.", "O incêndio começou às 10h15 de terça-feira à noite.")[0] \
        == "O incêndio começou às 22h15 de terça-feira à noite."
    assert check("She won in 4:41.30, a new record.", "Ela venceu em 4:41.30, um novo recorde.")[1] == []
    assert check("The meeting is at 10:15 GMT.", "A reunião é às 10h15 GMT.")[1] == []
    for target in ("às 10h15", "às 22h15"):  # no sign in the sentence: either reading
        assert check("The meeting is at 10:15.", f"A reunião é {target}.")[1] == []


def test_decades_months_weekdays_and_ordinals() -> None:
    assert check("By the early 2010s he had left.", "No início de 2010, ele tinha saído.") == (
        "No início da década de 2010, ele tinha saído.", [])
    for decade in ("na década de 1990", "nos anos 1990", "nos anos 90"):
        assert check("Sales peaked in the 1990s.", f"As vendas atingiram o pico {decade}.")[1] == []
    assert check("She grew up in the '80s.", "Ela cresceu nos anos 80.")[1] == []
    assert check("He returned on Jan. 17.", "Ele voltou em 17 de fevereiro.")[0] == "Ele voltou em 17 de janeiro."
    assert check("The law takes effect on March 3, 2021.", "A lei entra em vigor em 03/03/2021.")[1] == []
    assert check("The vote is on Tuesday.", "A votação é na quarta-feira.")[0] == "A votação é na terça-feira."
    for plural in ("às sextas", "às sextas-feiras"):  # a weekday's plural is the weekday
        assert check("The market opens on Fridays.", f"O mercado abre {plural}.")[1] == []
    assert check("The Friday night meetings were long.", "As reuniões das sextas à noite eram longas.")[1] == []
    assert check("She finished 3rd.", "Ela terminou em 3o lugar.")[0] == "Ela terminou em 3º lugar."
    assert check("It was the third bridge to close.", "Foi a ponte a fechar.")[1] == ["third"]
    assert check("It was built in the 16th century.", "Foi construída no século XVI.")[1] == []
    assert check("About one-third of it is water.", "Cerca de um terço é água.")[1] == []  # a fraction


def test_units_and_currencies_by_value() -> None:
    assert check("The storm dumped 5 inches of rain.", "A tempestade despejou 12,7 cm de chuva.")[1] == []
    assert check("Winds reached 70 mph.", "Os ventos chegaram a 113 km/h.")[1] == []
    assert check("The road runs for 30 miles.", "A estrada tem 30 km.")[1] == ["30 miles"]
    # the same number in another unit is kept where it is the amount converted as a writer rounds it
    assert check("He shot from about 30 yards out.", "Ele rematou a cerca de 30 metros.")[1] == []
    assert check("The wall is 10 feet high.", "O muro tem 10 metros de altura.")[1] == ["10 feet"]
    assert check("The company paid $5 million.", "A empresa pagou 5 milhões de euros.")[1] == ["$5 million"]
    assert check("It costs GBP 15,700.", "Custa 15.700 libras.")[1] == []
    assert check("He paid $1000 in fines.", "Ele pagou mil dólares em multas.")[1] == []  # a number as a word


# ---- handles, hashtags, URLs, tags, stray marks, dashes --------------------------------------------
def repair(source: str, target: str) -> tuple[str, list[str]]:
    return g.repair_protected([source[a:b] for a, b in g.protected_spans(source)], target, source)


def test_handle_repair_replaces_only_the_broken_form_of_the_same_handle() -> None:
    assert repair("Follow Ana Lima on Twitter @AnaLima", "Siga Ana Lima no Twitter -AnaLima") == (
        "Siga Ana Lima no Twitter @AnaLima", [])
    assert repair("Ask @Reuters, Reuters said.", "Pergunte à Reuters, disse a Reuters.") == (
        "Pergunte à Reuters, disse a Reuters.", ["@Reuters"])  # a correct word is never overwritten
    assert repair("Write to @AnnaBell and @BobStone today.", "Escreva para @AnnaBell e @AnnaBell hoje.")[1] == ["@BobStone"]
    assert repair("Write to @AnnaBell and @BobStone today.", "Escreva para @AnnaBel e BobStone hoje.")[0] == (
        "Escreva para @AnnaBell e @BobStone hoje.")


def test_a_hashtag_inside_a_longer_one_is_not_kept() -> None:
    assert g.occurrences("#Vote", "Use #VoteEarly today") == []
    assert g.occurrences("#MeToo", "na era do #MeToo/#EuTambém") == [(10, 16)]  # a hashtag ends with its word
    assert repair("Use #VoteEarly and #Vote today.", 'Use #VoteEarly e "Vote" hoje.')[0] == "Use #VoteEarly e #Vote hoje."


def test_stray_quotes_and_lost_tag_marks_are_repaired() -> None:
    assert repair("Call @MaryJones or @TomHill now.", 'Ligue para @MaryJones ou "@TomHill agora".')[0] == (
        "Ligue para @MaryJones ou @TomHill agora.")
    assert repair("<i>Live</i> coverage from the court.", "*i>Live/i> cobertura do tribunal.")[0] == (
        "<i>Live</i> cobertura do tribunal.")


def test_an_unspaced_em_dash_is_a_clause_dash() -> None:
    assert g.normalize_source("the storm—because nobody knew") == "the storm - because nobody knew"
    assert g.normalize_source("the 2015–2016 season, US–China talks") == "the 2015-2016 season, US-China talks"
    assert g.restore_typography("a tempestade - porque", language("pt"), "the storm—because") == "a tempestade—porque"


def test_repetition_catches_punctuation_and_token_loops() -> None:
    assert g.is_repetitive("Ele disse , , , , , , que sim", "He said that yes")
    assert g.is_repetitive("o gato o gato o gato o gato", "the cat sat on the mat")
    assert not g.is_repetitive("Ele disse... que sim!!!", "He said... yes!!!")


# ---- splitting ------------------------------------------------------------------------------------
def test_splitting_cuts_at_glued_sentence_ends_and_never_inside_a_name() -> None:
    text = ("The agency said shipments would arrive by the end of January.The ministry said regional hospitals would "
            "receive doses first, according to Deputy Minister Maria Fernanda Gonçalves de Almeida and her staff.")
    parts = [p for p, _ in split_long(text, 40, 20, lambda ts: [len(t.split()) for t in ts])]
    assert parts[0].endswith("January.") and parts[1].startswith("The ministry")
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")
    assert not any(p.endswith(("Maria", "Fernanda", "Gonçalves")) for p in parts)
    assert not covers("a long part of a sentence about the weather", "uma parte") and covers("it is 42", "é 42")


def test_a_part_whose_translation_falls_short_is_translated_again_in_halves() -> None:
    def model(text: str) -> str:  # drops the end of any input over 12 words
        words = text.upper().split()
        return " ".join(words[:6]) if len(words) > 12 else " ".join(words)

    engine = TranslationEngine(Scripted(model), "en", "pt", TranslateConfig(tgt="pt", max_input_tokens=20))
    sentence = ("the minister said on monday that the plan would cost more than expected in the north, "
                "and the opposition leaders said that they would vote against the budget next week.")
    out = engine.translate_texts([sentence])[0]
    assert out.text.lower().rstrip(".") == sentence.rstrip(".") and "split" in out.flags


# ---- the real model --------------------------------------------------------------------------------
def test_the_engine_repairs_what_the_model_gets_wrong(en_pt: TranslationEngine) -> None:
    out = en_pt.translate_texts([
        "Voting closes at 8:30PM local time.",
        "The curfew starts at 11 p.m. every night.",
        "Contact @AnnSmith or @BobJones for details.",
        "The campaign used #PilotTraining and #Pilot on Twitter.",
        "<b>Breaking</b> news from the capital.",
    ])
    assert "20:30" in out[0].text or "20h30" in out[0].text
    assert "23" in out[1].text and "11 horas" not in out[1].text
    assert "@AnnSmith" in out[2].text and "@BobJones" in out[2].text and '"' not in out[2].text
    assert "#PilotTraining" in out[3].text and g.occurrences("#Pilot", out[3].text)
    assert out[4].text.startswith("<b>") and "</b>" in out[4].text
    assert all("number_mismatch" not in t.flags and "url_lost" not in t.flags for t in out)


def test_a_dropped_ordinal_is_flagged_with_its_evidence(en_pt: TranslationEngine) -> None:
    out = en_pt.translate_texts(["It was the second time this year that the third bridge closed."])[0]
    if "terceir" not in out.text:
        assert "number_mismatch" in out.flags and out.evidence["number_mismatch"] == ["third"]


# ---- omissions and additions -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def checker() -> MeaningChecker:
    return MeaningChecker(language("en"), language("pt"), Lexicon.for_pair("en", "pt"))


def only_the_dropped_word_is_an_omission(checker: MeaningChecker, source: str, kept: tuple[str, str],
                                         dropped: tuple[str, str], word: str) -> None:
    """``kept`` and ``dropped``: (translation, its back-translation); only the second is flagged."""
    assert checker.check(source, *kept).flags() == {}
    assert checker.check(source, *dropped).flags() == {"omission": [word]}


def test_a_dropped_name_is_an_omission(checker: MeaningChecker) -> None:
    only_the_dropped_word_is_an_omission(
        checker, "The Kremlin's Russia and Eurasia adviser Pavel Orlov met reporters in Moscow.",
        ("O assessor do Kremlin para a Rússia e a Eurásia, Pavel Orlov, encontrou repórteres em Moscou.",
         "The Kremlin adviser for Russia and Eurasia, Pavel Orlov, met reporters in Moscow."),
        ("O assessor do Kremlin para a Rússia, Pavel Orlov, encontrou repórteres em Moscou.",
         "The Kremlin adviser for Russia, Pavel Orlov, met reporters in Moscow."), "Eurasia")


def test_half_a_sentence_cut_and_invented_numbers(checker: MeaningChecker) -> None:
    source = "The ministry said hospitals in the northern provinces would receive vaccines before schools and prisons."
    cut = "O ministério disse que os hospitais"
    report = checker.check(source, cut, "The ministry said the hospitals")
    assert "omission" in report.flags() and report.coverage < 0.5
    added = checker.check("The mayor opened the bridge.", "O prefeito abriu a ponte 45.", "The mayor opened bridge 45.")
    assert added.flags() == {"addition": ["45"]}


def test_a_dropped_modifier_of_a_name_is_an_omission(checker: MeaningChecker) -> None:
    only_the_dropped_word_is_an_omission(
        checker, "Police questioned the exiled Belarusian activist Ivan Petrov in Vilnius on Monday.",
        ("A polícia interrogou o ativista bielorrusso exilado Ivan Petrov em Vilnius na segunda-feira.",
         "Police questioned exiled Belarusian activist Ivan Petrov in Vilnius on Monday."),
        ("A polícia interrogou o ativista bielorrusso Ivan Petrov em Vilnius na segunda-feira.",
         "Police questioned Belarusian activist Ivan Petrov in Vilnius on Monday."), "exiled")
    # a verb after its subject is no modifier of the name that follows it
    verb = checker.check("Voters ousted Mayor Ana Lima in May.", "Os eleitores destituíram a prefeita Ana Lima em maio.",
                         "Voters removed Mayor Ana Lima in May.")
    assert verb.flags() == {}


def test_a_modifier_rendered_by_a_word_beside_the_name_is_no_omission(checker: MeaningChecker) -> None:
    """A translator may render a modifier the lexicon cannot check by another word next to the name
    (``an exiled Ivan Petrov`` -> ``Ivan Petrov, que vive no exílio``): a target word there that
    translates no word of the source stands for it. Where the words beside the name are all
    accounted for, the modifier was dropped."""
    source = "Police questioned an exiled Ivan Petrov in Vilnius on Monday."
    free = "A polícia interrogou Ivan Petrov, que vive no exílio, em Vilnius na segunda-feira."
    assert checker.check(source, free).flags() == {}
    assert checker.check(source, "A polícia interrogou Ivan Petrov em Vilnius na segunda-feira.").flags() == {"omission": ["exiled"]}
    # a name that starts with a capital outside A-Z
    assert checker.check("Fans cheered a victorious Ørsted team.", "Os adeptos aplaudiram a equipa Ørsted.").flags() == \
        {"omission": ["victorious"]}


def test_a_repeated_name_found_fewer_times_is_an_omission(checker: MeaningChecker) -> None:
    source = "After the vote, Okafor praised Lindqvist but attacked the committee that had backed Lindqvist."
    both = "Após a votação, Okafor elogiou Lindqvist, mas atacou o comitê que havia apoiado Lindqvist."
    one = "Após a votação, Okafor elogiou, mas atacou o comitê que havia apoiado Lindqvist."
    assert checker.check(source, both, "After the vote, Okafor praised Lindqvist but attacked the committee "
                                       "that had supported Lindqvist.").flags() == {}
    assert checker.check(source, one, "After the vote, Okafor praised, but attacked the committee that had "
                                      "supported Lindqvist.").flags() == {"omission": ["Lindqvist (1 of 2)"]}


@pytest.mark.parametrize("source, target, back", [
    # a pronoun, a title abbreviation and an ordinal are no names; a headline's capitals mark none
    ("Then she said: 'I'm expecting the council to vote on it next week.'",
     "Então ela disse: 'Espero que o conselho vote na próxima semana.'", "Then she said, 'I hope the council votes next week.'"),
    ("Det Insp Alan Reeve said the gates and the building itself were damaged.",
     "O investigador Alan Reeve disse que os portões e o próprio prédio foram danificados.",
     "Investigator Alan Reeve said the gates and the building itself were damaged."),
    ("Fire Capt. Rosa Mendes said the blaze was under control by noon.",
     "A capitã dos bombeiros Rosa Mendes disse que o incêndio estava controlado ao meio-dia.",
     "Fire captain Rosa Mendes said the fire was under control at noon."),
    ("Residents of the Ninth Ward were told to leave their homes on Sunday.",
     "Os moradores da Ala Nove foram orientados a deixar suas casas no domingo.",
     "Residents of Ward Nine were told to leave their homes on Sunday."),
    ("Stray Dog Pack Chases Postman Across Village Green", "Matilha de cães persegue carteiro pela praça da vila",
     "Pack of dogs chases postman across village square"),
    # a verb after "to" or a subject is no modifier of the name that follows it
    ("The defeat was enough to consign Pedro Alves to a second straight loss.",
     "A derrota bastou para impor a Pedro Alves uma segunda derrota seguida.",
     "The defeat was enough to impose on Pedro Alves a second straight defeat."),
])
def test_words_a_human_translates_freely_are_no_omission(checker: MeaningChecker, source: str, target: str,
                                                         back: str) -> None:
    assert checker.check(source, target, back).flags() == {}


def test_a_value_the_model_got_wrong_is_repaired_and_flagged_repaired() -> None:
    """A changed value (decade as a year, a time 12 h off) is rewritten and flagged ``repaired`` with
    what the model wrote; a number merely in another form is rewritten without a flag."""
    wrote = {"By the early 2010s the plant had closed.": "No início de 2010, a fábrica tinha fechado.",
             "The polls close at 8:30 pm.": "As urnas fecham às 8:30.",
             "It cost 1,234.56 euros.": "Custou 1,234,56 euros."}
    engine = TranslationEngine(Scripted(wrote.get), "en", "pt")
    decade, clock, form = engine.translate_texts(list(wrote))
    assert decade.text == "No início da década de 2010, a fábrica tinha fechado."
    assert decade.flags == ["repaired"] and decade.evidence == {"repaired": ["de 2010 -> da década de 2010"]}
    assert clock.text == "As urnas fecham às 20:30." and clock.evidence == {"repaired": ["8:30 -> 20:30"]}
    assert form.text == "Custou 1.234,56 euros." and form.flags == []


def test_the_sample_article_flags_its_real_errors(sample_article) -> None:
    """The bundled model on the sample article with the score: the dropped "jailed" (p2s1) and
    "Russia and Eurasia" (p11s1) are flagged ``omission``, the decade written as a year (p8s1) is
    repaired and flagged ``repaired``; at most 2 of the other 16 sentences carry a flag."""
    from newsmt import translate_text

    doc = translate_text(sample_article.read_text(encoding="utf-8"), "en", "pt", score=True)
    flagged = {sid: t.flags for sid, t in doc.translations.items() if set(t.flags) - {"split"}}
    assert "omission" in flagged.pop("p2s1") and "omission" in flagged.pop("p11s1")
    assert "repaired" in flagged.pop("p8s1")
    assert len(doc.translations) == 19 and len(flagged) <= 2, flagged


def test_a_sentence_translated_again_for_a_lost_number_keeps_its_link() -> None:
    """The clause retry replaces the translation, not the Markdown link detached from the source."""
    words = {"Read the [report] on": "Leia o [relatório] sobre", "schools in the north": "escolas no norte",
             "the minister said on Monday": "disse o ministro na segunda-feira"}

    def model(text: str) -> str:
        for en, pt in words.items():
            text = text.replace(en, pt)
        return text.replace(" 42", "") if text.endswith("segunda-feira.") and text.startswith("Leia") else text

    engine = TranslationEngine(Scripted(model), "en", "pt")
    [out] = engine.translate_texts(["Read the [report](https://example.org/r) on 42 schools in the north, "
                                    "the minister said on Monday."])
    assert out.text == "Leia o [relatório](https://example.org/r) sobre 42 escolas no norte, disse o ministro na segunda-feira."
    assert out.flags == ["split"]


def test_low_word_coverage_is_an_omission_unless_the_round_trip_reads_as_the_source() -> None:
    """A free rendering shares few words with the source but its back-translation reads the same, or
    it keeps its length; a translation that lost a clause does neither."""
    assert MeaningReport(coverage=0.3, content_words=8).flags() == {"omission": ["coverage 0.30"]}
    assert MeaningReport(coverage=0.3, content_words=8, round_trip=0.5).flags() == {"omission": ["coverage 0.30"]}
    assert MeaningReport(coverage=0.3, content_words=8, round_trip=0.97).flags() == {}
    assert MeaningReport(coverage=0.3, content_words=8, round_trip=0.5, length_z=-2.4).flags() == {"omission": ["coverage 0.30"]}
    assert MeaningReport(coverage=0.3, content_words=8, round_trip=0.5, length_z=-0.4).flags() == {}


def test_a_name_omitted_is_its_evidence_once() -> None:
    """Dropped twice (``Khufu ... Khufu's``) and so found fewer times too, a name is named once."""
    report = MeaningReport(omitted=["Khufu", "Khufu"], fewer=["Khufu (0 of 2)", "Giza (1 of 2)"])
    assert report.flags() == {"omission": ["Khufu", "Giza (1 of 2)"]}


# ---- languages: every check reads its words from the pack --------------------------------------------
@pytest.mark.parametrize("source, target", [
    ("It cost 1,000.5 euros.", "Это стоило 1 000,5 евро."),
    ("They raised 5,000 dollars.", "Они собрали 5 тыс. долларов."),
    ("The 2 men left on December 5.", "Двух мужчин отпустили 5 декабря."),
    ("The road is 10 km long.", "Дорога длиной 10 км."),
    ("It was 30 °C in the 1990s.", "В 1990-х было 30 °C."),
    ("The vote is at 10 pm on Wednesday.", "Голосование в среду в 22 часа."),
    ("The vote is at 10 pm on Wednesday.", "Голосование в среду в 10 вечера."),
    ("We now have 4-month-old mice.", "Теперь у нас есть четырёхмесячные мыши."),
    ("Republicans face November elections.", "Республиканцы идут на ноябрьские выборы."),
    ("Woods lost two matches on Saturday.", "Вудс проиграл два субботних матча."),
    ("The Friday night meetings were long.", "Собрания по пятницам вечером были долгими."),
    ("A 650-pound boar pinned the farmer down.", "300-килограммовый кабан придавил фермера."),
    ("They built a 20-foot wall.", "Они построили 6-метровую стену."),
    ("She finished sixteenth.", "Она финишировала шестнадцатой."),
    ("Park finished twenty-fourth.", "Пак финишировал двадцать четвёртым."),
    ("The fire started between 10:00-11:00 pm.", "Пожар начался между 10:00 и 11:00 вечера."),
    ("The volcano sits 45 miles (72 kilometers) from the capital.", "Вулкан находится в 72 км от столицы."),
])
def test_russian_numbers_dates_units_and_clock_times_are_read_from_the_pack(source: str, target: str) -> None:
    assert check(source, target, "en", "ru")[1] == []


def test_a_changed_russian_value_is_missing() -> None:
    assert check("The vote is on December 5.", "Голосование 5 ноября.", "en", "ru") == ("Голосование 5 декабря.", [])  # its case kept
    assert check("The road is 10 km long.", "Дорога длиной 10 миль.", "en", "ru")[1] == ["10 km"]
    assert check("The vote is at 10 pm.", "Голосование в 10 утра.", "en", "ru") == ("Голосование в 22:00.", [])  # 12 h off
    assert check("The vote is at 10 pm.", "Голосование в 11 вечера.", "en", "ru")[1] == ["10 pm"]
    assert check("The vote ran from 10:00-11:00 pm.", "Голосование шло с 11:00 до 12:00.", "en", "ru")[1] == ["10:00"]
    assert check("Park finished twenty-fourth.", "Пак финишировал двадцать пятым.", "en", "ru")[1] == ["twenty-fourth"]


@pytest.mark.parametrize("source, kept, changed, tgt", [
    ("They played better in the final third.", "Jogaram melhor no terço final.", "Jogaram melhor no quarto final.", "pt"),
    ("They played better in the final third.", "Они лучше играли в последней трети.", "Они лучше играли в последней четверти.", "ru"),
    ("Haiti had no such cases since the 1800s.", "С начала 19 века на Гаити не было таких случаев.",
     "С начала 18 века на Гаити не было таких случаев.", "ru"),
    ("It ended the 1950-53 Korean War.", "Pôs fim à Guerra da Coreia, entre 1950 e 1953.", "Pôs fim à Guerra da Coreia, entre 1950 e 1954.", "pt"),
    ("It was 10 degrees above average.", "Ficou 5,5 graus acima da média.", "Ficou 8 graus acima da média.", "pt"),
    ("The 6-foot-6 forward grew up in Baton Rouge.", "O ala de 1,98 m cresceu em Baton Rouge.", "O ala de 1,83 m cresceu em Baton Rouge.", "pt"),
    ("He is 5 feet 10 inches tall.", "Ele tem 1,78 m de altura.", "Ele tem 1,52 m de altura.", "pt"),
    ("A 2/3 majority is needed.", "É necessária uma maioria de dois terços.", "É necessária uma maioria de três quartos.", "pt"),
    ("A 2/3 majority is needed.", "Нужно большинство в две трети.", "Нужно большинство в три четверти.", "ru"),
    ("They won 4&3 in the foursomes.", "Они выиграли со счетом 4/3.", "Они выиграли со счетом 5/3.", "ru"),
    ("It registered 183 emissions over 24 hours.", "За сутки было зарегистрировано 183 выброса.",
     "За неделю было зарегистрировано 183 выброса.", "ru"),
    ("She is 100 percent certain it happened.", "Ela tem certeza absoluta de que aconteceu.", "Ela tem certeza de que aconteceu.", "pt"),
    ("She is 100 percent certain it happened.", "Она абсолютно уверена, что это было.", "Она уверена, что это было.", "ru"),
    ("About 1.5 million people live there.", "Там живут около полутора миллионов человек.", "Там живут около двух миллионов человек.", "ru"),
    ("Shares fell by 0.3 percentage points.", "Акции упали на 0,3 процентного пункта.", "Акции упали на 0,3 процента.", "ru"),
    ("He is 6ft 2in tall.", "Его рост 188 см.", "Его рост 175 см.", "ru"),
    ("The meeting lasted 2.5 hours.", "A reunião durou duas horas e meia.", "A reunião durou três horas e meia.", "pt"),
    ("About 1.5 million people live there.", "Vivem lá cerca de um milhão e meio de pessoas.", "Vivem lá cerca de dois milhões e meio de pessoas.", "pt"),
    ("The meeting lasted 2.5 hours.", "Встреча длилась два с половиной часа.", "Встреча длилась три с половиной часа.", "ru"),
    ("Tory Sanders, 28, died in jail.", "Двадцативосьмилетний Тори Сандерс умер в тюрьме.",
     "Двадцатидевятилетний Тори Сандерс умер в тюрьме.", "ru"),
    ("The house is listed at $2.75 million.", "Дом выставлен за 2 миллиона 750 тысяч долларов.",
     "Дом выставлен за 2 миллиона 650 тысяч долларов.", "ru"),
    ("The house is listed at $2.75 million.", "A casa está à venda por 2 milhões e 750 mil dólares.",
     "A casa está à venda por 2 milhões e 650 mil dólares.", "pt"),
    ("The hotel is worth Rs 127 crore.", "Отель стоит 1 270 миллионов рупий.", "Отель стоит 1 370 миллионов рупий.", "ru"),
    ("The helicopter crashed at 1 pm.", "Вертолёт разбился в час дня.", "Вертолёт разбился в час ночи.", "ru"),
    ("They will work with third countries.", "Они будут работать с третьими странами.", "Они будут работать с четвёртыми странами.", "ru"),
    ("Fans meet at 6:30 p.m. outside.", "Болельщики встречаются в 18 ч. 30 мин. снаружи.",
     "Болельщики встречаются в 18 ч. 45 мин. снаружи.", "ru"),
    ("Fans meet at 10:15 pm outside.", "Болельщики встречаются в 22 часа 15 минут снаружи.",
     "Болельщики встречаются в 22 часа 30 минут снаружи.", "ru"),
    ("Prices rose in the early 2000s.", "Цены выросли в начале нулевых.", "Цены выросли в начале девяностых.", "ru"),
    ("It was a 24-hour trip.", "Это была суточная поездка.", "Это была 12-часовая поездка.", "ru"),
    ("He fights on Saturday night at 7.", "Он дерётся в субботу в 7 вечера.", "Он дерётся в субботу в 8 вечера.", "ru"),
    ("He fights on Saturday night at 7.", "Он дерётся в субботу в семь часов вечера.", "Он дерётся в субботу в восемь часов вечера.", "ru"),
    ("In his mid-70s, he still works.", "Ему больше 70 лет, но он всё ещё работает.", "Ему больше 80 лет, но он всё ещё работает.", "ru"),
    ("Some 8m tonnes of paper are collected.", "Собирают около 8 млн тонн бумаги.", "Собирают около 9 млн тонн бумаги.", "ru"),
    ("Some 8m tonnes of paper are collected.", "São recolhidos cerca de 8 milhões de toneladas de papel.",
     "São recolhidos cerca de 8 mil toneladas de papel.", "pt"),
    ("It cost $8 billion.", "Custou 8 mil milhões de dólares.", "Custou 8 milhões de dólares.", "pt"),
    ("It cost $1.5 billion.", "Это стоило 1500 млн долларов.", "Это стоило 1,5 млн долларов.", "ru"),
    ("He will fight a 135-pound bout.", "Ele fará uma luta na categoria de 135.", "Ele fará uma luta na categoria de 145.", "pt"),
])
def test_a_value_written_another_way_is_kept_and_a_changed_one_missing(source: str, kept: str, changed: str, tgt: str) -> None:
    """A fraction's noun for an ordinal, a century for the 1800s, the short end of a year range, a
    difference of temperatures in Celsius, a height in feet and inches in metres, a fraction in
    words, a golf result written as a slash (no fraction), 24 hours as a day (``сутки``), 100 percent
    as a word (``certeza absoluta``), 1.5 as one word (``полтора``), a height in feet and inches written
    glued (``6ft 2in``) in centimetres, a number and a half (``duas horas e meia``, ``два с половиной``),
    an age as the first part of a compound word (``двадцативосьмилетний``), a scaled number and a
    smaller one (``2 миллиона 750 тысяч``, ``2 milhões e 750 mil``), Indian English scale words
    (``crore``), one o'clock without its number (``в час дня``), an ordinal's plural case (``третьими``),
    an hour and its minutes in words (``18 ч. 30 мин.``), the 2000s as a word (``нулевых``), 24 hours
    as an adjective (``суточная``), an hour the source gives alone with the translation's day period
    (``at 7`` = ``в 7 вечера``), a decade of an age as its number (``mid-70s`` = ``больше 70 лет``),
    millions written glued in news style (``8m tonnes``) and a scaled amount in another scale
    (``1.5 billion`` = ``1500 млн``; the same figure in another scale is another amount), and a
    weight in pounds without its unit (``pound`` is money or weight: the money rule is not for it)."""
    assert check(source, kept, "en", tgt)[1] == []
    assert check(source, changed, "en", tgt)[1] != []


def test_the_ends_of_a_span_of_ten_are_no_invented_numbers() -> None:
    checker = MeaningChecker(language("en"), language("ru"))
    assert checker.check("He was reportedly in his 20s.", "По сообщениям, ему было от 20 до 30 лет.").added == []
    assert checker.check("He was reportedly in his 20s.", "По сообщениям, ему было от 20 до 40 лет.").added == ["40"]


def test_a_fraction_or_a_number_written_in_words_explains_its_digits() -> None:
    checker = MeaningChecker(language("en"), language("pt"))
    assert checker.check("It needs a two-thirds majority.", "Exige uma maioria de 2/3.").added == []
    assert checker.check("It needs a two-thirds majority.", "Exige uma maioria de 3/4.").added == ["3/4"]
    assert checker.check("The church was built a decade later.", "A igreja foi construída 10 anos depois.").added == []
    assert checker.check("The church was built a decade later.", "A igreja foi construída 12 anos depois.").added == ["12"]


def test_a_regional_tag_keeps_the_language_checks_and_a_pack_without_a_section_says_so() -> None:
    assert check("It rose 3.5%.", "Subiu 4,5%.", "en", "pt-BR")[1] == ["3.5%"]
    assert check("The vote is on Tuesday.", "A votação é na quarta-feira.", "en", "pt-BR")[0] == "A votação é na terça-feira."
    engine = TranslationEngine(Scripted(str.upper), "en", "it")
    assert set(engine.provenance["checks_off"]) == {"numbers", "dates", "units", "names"}
    assert "checks_off" not in TranslationEngine(Scripted(str.upper), "en", "pt-BR").provenance


@pytest.mark.parametrize("tgt, translation, omitted", [
    ("kk", "Тоқаев Путинмен Астанада кездесті.", []),  # no table reads Kazakh Cyrillic: a name not found is no evidence
    ("el", "Ο Τοκάγιεφ συνάντησε τον Πούτιν στην Αστάνα.", []),
    ("ja", "トカエフ氏はアスタナでプーチン氏と会談した。", []),
    ("zh", "托卡耶夫在阿斯塔纳会见了普京。", []),
    ("de", "Tokajew traf in Astana.", ["Putin"]),  # one script
    ("ru", "Токаев встретился в Астане.", ["Putin"]),  # the ru pack's table
])
def test_a_name_is_missed_only_where_its_script_can_be_read(tgt: str, translation: str, omitted: list[str]) -> None:
    checker = MeaningChecker(language("en"), language(tgt))
    assert checker.check("Tokayev met Putin in Astana.", translation).omitted == omitted


def test_names_are_read_from_a_source_whose_pack_tells_them_in_either_script() -> None:
    """Russian into English: the ru pack's table reads the source's names in the English words
    (``Стоун`` = ``Stone``); German capitalizes every noun and its pack has no ``names``: no omission."""
    ru_en = MeaningChecker(language("ru"), language("en"))
    assert ru_en.check("Эмма Стоун получила премию в Лондоне.", "Emma Stone received the award in London.").omitted == []
    assert ru_en.check("Эмма Стоун получила премию в Лондоне.", "Emma received the award in London.").omitted == ["Стоун"]
    de_en = MeaningChecker(language("de"), language("en"))
    assert de_en.check("Die Mäuse haben jetzt keinen Diabetes mehr.", "The mice no longer have diabetes.").omitted == []


def test_each_part_of_a_hyphenated_name_is_looked_for() -> None:
    """``KwaZulu-Natal``: each capitalized part is a name (dropped, each is asked of the en->pt model,
    which keeps both); a part is found where the whole is, as one word (``Euro-Asia`` = ``Евразии``);
    short parts keep the word whole (``Super-G``)."""
    from newsmt import score_texts

    checker = MeaningChecker(language("en"), language("ru"), None, Lexicon.for_source("en"))
    source = "Officials in KwaZulu-Natal met farmers on Monday."
    assert checker.check(source, "Чиновники в Квазулу-Натале встретились с фермерами в понедельник.").flags() == {}
    dropped = score_texts([source], ["Чиновники встретились с фермерами в понедельник."], "en", "ru")[0]
    assert dropped["evidence"] == {"omission": ["KwaZulu", "Natal"]}
    assert checker.check("They want to join Euro-Asia soon.", "Они хотят скоро присоединиться к Евразии.").flags() == {}
    assert checker.check("She won the Super-G on Monday.", "Она выиграла супергигант в понедельник.").flags() == {}
    assert checker.check("It was a Pro-Trump rally.", "Это был митинг сторонников Трампа.").flags() == {}


@pytest.mark.parametrize("source, dropped, name", [
    ("Opposition leader Alexei Navalny was jailed on Tuesday.", "Лидер оппозиции Алексей был заключён в тюрьму во вторник.", "Navalny"),
    ("President Kassym-Jomart Tokayev met with Donald Trump in Washington to discuss trade.",
     "Президент Касым-Жомарт Токаев встретился с Дональдом в Вашингтоне, чтобы обсудить торговлю.", "Trump"),
    ("The court in Frogner fined the company.", "Суд оштрафовал компанию.", "Frogner"),
])
def test_a_name_is_matched_across_scripts_with_its_case_ending(source: str, dropped: str, name: str) -> None:
    """No en<->ru model or lexicon: a Latin name is found in Cyrillic by sound (Навального,
    Токаева, Трампом); dropped, it is the evidence of an omission."""
    checker = MeaningChecker(language("en"), language("ru"))
    kept = {"Navalny": "Лидер оппозиции Алексей Навальный был заключён в тюрьму во вторник.",
            "Trump": "Президент Касым-Жомарт Токаев встретился с Дональдом Трампом в Вашингтоне, чтобы обсудить торговлю.",
            "Frogner": "Суд во Фрогнере оштрафовал компанию."}[name]
    assert checker.check(source, kept).flags() == {}
    assert checker.check(source, dropped).flags() == {"omission": [name]}


@pytest.mark.parametrize("source, kept, dropped, name", [
    # an exonym from CLDR (Пхеньян) and from the pack by hand, with case and adjective endings
    ("Pompeo will visit Pyongyang next month.", "Помпео посетит Пхеньян в следующем месяце.",
     "Помпео посетит в следующем месяце.", "Pyongyang"),
    ("Suspected cases in Croatia remain unconfirmed.", "Подозрения на случаи в Хорватии не подтвердились.",
     "Подозрения на случаи не подтвердились.", "Croatia"),
    ("The leaders of North Korea met in Singapore.", "Лидеры северокорейского режима встретились в Сингапуре.",
     "Лидеры северного режима встретились в Сингапуре.", "Korea"),
    # names written as another language writes them: Turkish c, Greek eu, Korean ng, Spanish j
    ("Trump called President Recep Erdogan.", "Трамп позвонил президенту Реджепу Эрдогану.",
     "Трамп позвонил президенту Эрдогану.", "Recep"),
    ("The storm passed Punta Eugenia on Sunday.", "Шторм прошёл Пунта-Евгению в воскресенье.",
     "Шторм прошёл Пунта в воскресенье.", "Eugenia"),
    ("President Jose Mujica spoke on Monday.", "Президент Хосе Мухика выступил в понедельник.",
     "Президент Мухика выступил в понедельник.", "Jose"),
    # a one-word name of CLDR's, though its ending looks like a word made from a name ("Paris")
    ("He flew to Paris on Monday.", "В понедельник он улетел в Париж.", "В понедельник он улетел.", "Paris"),
    # a sentence's first word that is such a name, and a name after a title with its period
    ("France is the seventh country to report the virus.", "Франция стала седьмой страной, сообщившей о вирусе.",
     "Стала седьмой страной, сообщившей о вирусе.", "France"),
    ("Mrs. Kirchner announced her candidacy.", "Госпожа Киршнер объявила о своей кандидатуре.",
     "Госпожа объявила о своей кандидатуре.", "Kirchner"),
    # acronyms the pack lists, dotted or not, matched by their forms only (never "UN" = "Он" by sound)
    ("He spoke at the UN on Monday.", "Он выступил в ООН в понедельник.", "Он выступил в понедельник.", "UN"),
    ("The FBI said U.S. forces will act.", "ФБР заявило, что силы США будут действовать.",
     "ФБР заявило, что силы будут действовать.", "US"),
    # a word of a longer name that a translator translates, by the stems the pack gives its translation
    ("Kim Jong Un leads North Korea today.", "Ким Чен Ын сегодня руководит Северной Кореей.",
     "Ким Чен Ын сегодня руководит Кореей.", "North"),
    ("She spoke to the General Assembly today.", "Сегодня она выступила перед Генассамблеей.",
     "Сегодня она выступила перед Ассамблеей.", "General"),
    # Russian compounds of a place's name ("Мосгорсуд", "Всероссийская"), a planet, "ng" before e or i
    # read "ndzh", an Albanian "xh"
    ("The Moscow City Court changed the sentence.", "Мосгорсуд изменил наказание.", "Суд изменил наказание.", "Moscow"),
    ("The All-Russia Athletic Federation stays suspended.", "Всероссийская федерация легкой атлетики остается отстраненной.",
     "Федерация легкой атлетики остается отстраненной.", "Russia"),
    ("Oceans could have existed on ancient Venus.", "На древней Венере могли существовать океаны.",
     "На древней планете могли существовать океаны.", "Venus"),
    ("The singer Angela Gheorghiu sang in Moscow.", "Певица Анджела Георгиу пела в Москве.", "Певица Георгиу пела в Москве.", "Angela"),
    ("The fans booed Granit Xhaka on Sunday.", "В воскресенье болельщики освистали Гранита Джаку.",
     "В воскресенье болельщики освистали Гранита.", "Xhaka"),
    ("The crisis reached the Commons on Wednesday.", "В среду кризис дошёл до Палаты общин.",
     "В среду кризис дошёл до Палаты.", "Commons"),
    # English spellings Russian writes by sound: "dg" (Ходж), a silent first "k" (Найт), "th" as
    # "з" (Мэзер); a possessive's "s" kept (Лоус); a continent's adjective, a city's short names
    ("Police stopped Bridget Hodge in Leeds.", "Полиция остановила Бриджит Ходж в Лидсе.",
     "Полиция остановила Бриджит в Лидсе.", "Hodge"),
    ("Singer Gladys Knight performed on Sunday.", "Певица Глэдис Найт выступила в воскресенье.",
     "Певица Глэдис выступила в воскресенье.", "Knight"),
    ("The preacher Cotton Mather wrote it.", "Это написал проповедник Коттон Мэзер.", "Это написал проповедник Коттон.", "Mather"),
    ("Shoppers crowded into Lowe's stores.", "Покупатели заполнили магазины Лоус.", "Покупатели заполнили магазины.", "Lowe"),
    ("Markets in Asia fell sharply.", "Азиатские рынки резко упали.", "Рынки резко упали.", "Asia"),
    ("Protesters gathered in Saint Petersburg.", "Протестующие собрались в СПб.", "Протестующие собрались.", "Petersburg"),
    # a form in capitals only in capitals: "ЕС" (the EU) is not "если" (if)
    ("Tourists travel less to Europe if prices rise.", "Туристы реже ездят в Европу, если цены растут.",
     "Туристы реже ездят, если цены растут.", "Europe"),
    # a word of a longer name, translated: "Единая Россия", "переулок"
    ("The party United Russia won the vote.", "Партия «Единая Россия» выиграла голосование.",
     "Партия «Россия» выиграла голосование.", "United"),
    ("The shop is on Drury Lane.", "Магазин находится в переулке Друри.", "Магазин находится на Друри.", "Lane"),
    # a name of five letters with two capitals, not an acronym: its lower-case letters run on
    ("One antibody cocktail, ZMapp, showed promise.", "Один коктейль антител, ZMapp, оказался многообещающим.",
     "Один коктейль антител оказался многообещающим.", "ZMapp"),
    # one target word renders one name, the one it sounds most like: "Греции" is Greece, not also Crete
    ("Ruins were found in the cities of Crete and Santorini in Greece.", "Руины найдены в городах Крита и Санторини в Греции.",
     "Руины найдены в городах и Санторини в Греции.", "Crete"),
    ("There is a monument to Gagarin in Germany.", "Памятник Гагарину есть в Германии.", "Памятник есть в Германии.", "Gagarin"),
])
def test_exonyms_and_other_spellings_are_found_across_scripts(source: str, kept: str, dropped: str, name: str) -> None:
    checker = MeaningChecker(language("en"), language("ru"))
    assert checker.check(source, kept).flags() == {}
    assert checker.check(source, dropped).flags() == {"omission": [name]}


@pytest.mark.parametrize("source, target", [
    ("France won the World Cup in Moscow.", "Франция выиграла чемпионат мира в Москве."),
    ("He visited the United Arab Emirates last week.", "На прошлой неделе он посетил ОАЭ."),
    ("Fans of Manchester United celebrated on Sunday.", "Болельщики «Манчестер Юнайтед» праздновали в воскресенье."),
    ("He scored in the Premier League on Saturday.", "Он забил в Премьер-лиге в субботу."),
    ("Talks with North Korean officials resumed.", "Переговоры с северокорейскими чиновниками возобновились."),
    ("They met in West Virginia on Monday.", "Они встретились в Западной Вирджинии в понедельник."),
    ("Police of Southern University thanked them.", "Полиция Южного университета поблагодарила их."),
    ("She heads General Services at the bank.", "Она руководит службой общего обслуживания банка."),
    ("Floods hit the South of France.", "Наводнения обрушились на юг Франции."),
    ("Police in the Nizhny Novgorod region held him.", "Полиция Нижегородской области задержала его."),  # one word, one longer name
    ("The member States of the bloc agreed.", "Страны-члены блока договорились."),
    # abbreviations and titles a translator translates
    ("The house stands on Elm Ave in Boston.", "Дом стоит на ул. Элм в Бостоне."),
    ("Officials of the State Dept. said so.", "Так заявили сотрудники Госдепа."),
    ("The Taoiseach met the Pope.", "Премьер-министр Ирландии встретился с Папой."),
])
def test_a_word_of_a_longer_name_is_found_in_the_forms_translators_give_it(source: str, target: str) -> None:
    """The pack's stems of a name's translated word cover its usual renderings (``World Cup`` ->
    ``чемпионат мира``), a compound (``Премьер-лиге``), a name transliterated whole (``Юнайтед``) and
    a short stem's adjective endings (``южн`` in ``Южного``)."""
    assert MeaningChecker(language("en"), language("ru")).check(source, target).flags() == {}


def test_an_acronym_the_target_writes_its_own_way_is_checked() -> None:
    checker = MeaningChecker(language("en"), language("pt"))
    source = "The US and the EU asked the UN for a vote."
    assert checker.check(source, "Os EUA e a UE pediram uma votação à ONU.").flags() == {}
    assert checker.check(source, "Os EUA e a UE pediram uma votação.").flags() == {"omission": ["UN"]}
    carried = "The U.S. Drought Monitor said so."  # a dotted acronym carried over is found as one word
    assert checker.check(carried, "O U.S. Drought Monitor disse isso.").flags() == {}


@pytest.mark.parametrize("source, target", [
    ("Ford told the Senate Judiciary Committee that she was certain.", "Форд сказала Юридическому комитету Сената, что уверена."),
    ("It Didn't Go Well", "Вышло плохо"),
    ("The airport will remain closed until Oct.", "Аэропорт останется закрытым до октября."),
    ("The day the physicist was born, and COUNTING.", "День, когда родился физик, и СЧИТАЯ."),
    ('His stamp was "Great Deeds by Swedish Kings" in 2000.', "Его маркой в 2000 году были «Великие деяния шведских королей»."),
    ("Search for 'Hostile terrain training' to find a school.", "Ищите «обучение на враждебной местности», чтобы найти школу."),
    # a word of a longer name (CLDR maps "Nations" of "United Nations", "Current" of "Swift Current")
    ("Ri was speaking at the United Nations General Assembly.", "Ри выступал на Генассамблее ООН."),
    ("Current senator Cristina Kirchner announced it.", "Нынешний сенатор Кристина Киршнер объявила об этом."),
])
def test_words_that_are_no_names_are_not_judged_without_a_lexicon(source: str, target: str) -> None:
    """A common noun's ending, a contraction, a month, a word in capitals, a quoted title, the
    first word of a quotation: words a translator translates, which nothing checks without an
    en<->ru lexicon (the English vocabulary the scorer gives tells ``Well`` is a word)."""
    checker = MeaningChecker(language("en"), language("ru"), None, Lexicon.for_source("en"))
    assert checker.check(source, target).flags() == {}


def test_a_names_lexicon_translation_claimed_by_another_source_word_does_not_count(checker: MeaningChecker) -> None:
    """The shortlists pair Trump with presidente and Canada with Estados; those target words
    translate other words of the source, so the names are still missing."""
    source = "The announcement was made after Trump had a phone conversation with Turkish President Erdoğan."
    report = checker.check(source, "O anúncio foi feito após uma conversa por telefone com o presidente turco Erdoğan.")
    assert report.omitted == ["Trump"]
    report = checker.check("The band will tour the United States and Canada.", "A banda fará uma turnê pelos Estados Unidos.")
    assert report.omitted == ["Canada"]


def test_a_name_the_lexicon_translates_is_still_checked(checker: MeaningChecker) -> None:
    """Names the bilingual lexicon knows (Ohio is in the shortlists) are checked too."""
    report = checker.check("The governor of Ohio announced the order.", "O governador de anunciou a ordem.")
    assert report.omitted == ["Ohio"]
    assert checker.check("The governor of Ohio announced the order.", "O governador de Ohio anunciou a ordem.").flags() == {}


def test_a_name_that_is_also_a_word_is_checked_where_it_stands_alone(checker: MeaningChecker) -> None:
    """``Bush`` and ``Apple`` are English words the lexicon translates; standing alone they are names.
    In a longer name (``Game of Thrones``) such a word is one a translator translates."""
    source = "After the election, Bush told Apple executives about trade."
    assert checker.check(source, "Após a eleição, Bush falou a executivos da Apple sobre comércio.").flags() == {}
    assert checker.check(source, "Após a eleição, falou a executivos da Apple sobre comércio.").flags() == {"omission": ["Bush"]}
    titled = "He starred in Game of Thrones for years."
    assert checker.check(titled, "Ele protagonizou A Guerra dos Tronos durante anos.").flags() == {}


def test_a_name_of_the_text_is_checked_where_it_starts_a_sentence_or_a_headline(checker: MeaningChecker) -> None:
    """A word the text writes with a capital mid-sentence and never in lower case (``Sainsbury's``,
    ``Leslie``) is a name where it starts a sentence or stands in a headline; a word it also writes
    in lower case (``Shoppers``) is not."""
    known = checker.reader.names_in(["Shoppers at Sainsbury's found new aisles, shoppers said.", "Chris Leslie spoke on Monday.",
                                     "Leslie is MP for Nottingham East", "Rival chains followed Sainsbury's lead."])
    assert {"sainsbury", "leslie"} <= known and "shoppers" not in known
    source = "Sainsbury's said it would double the size of its beauty range."
    dropped = "Disse que iria duplicar o tamanho da sua gama de beleza."
    assert checker.check(source, dropped).flags() == {}  # alone, a sentence's first word is no name
    assert checker.check(source, dropped, "", known).flags() == {"omission": ["Sainsbury"]}
    assert checker.check(source, "A Sainsbury's disse que iria duplicar o tamanho da sua gama de beleza.", "", known).flags() == {}
    headline = "Chris Leslie is MP for Nottingham East"
    assert checker.check(headline, "Chris é deputado por Nottingham East", "", known).flags() == {"omission": ["Leslie"]}


def test_with_a_lexicon_a_capitalized_word_standing_alone_is_checked(checker: MeaningChecker) -> None:
    """``Commission`` is a word a translator translates (a common ending), yet standing alone with
    a capital it names something: its translation must be there. An acronym's lexicon translation
    that is a stopword of the target (``US`` -> ``dos``) is no evidence of it."""
    source = "In June, the Commission published the results of a public consultation."
    assert checker.check(source, "Em junho, a Comissão publicou os resultados de uma consulta pública.").flags() == {}
    assert checker.check(source, "Em junho, a publicou os resultados de uma consulta pública.").flags() == {"omission": ["Commission"]}
    us = "Researchers in the U.S. often have to work hard to win grants."
    assert checker.check(us, "Os investigadores dos EUA têm muitas vezes de trabalhar muito para obter bolsas.").flags() == {}
    assert checker.check(us, "Os investigadores dos têm muitas vezes de trabalhar muito para obter bolsas.").flags() == {"omission": ["US"]}


def test_a_word_in_lower_case_renders_a_name_only_by_three_sounds_or_more() -> None:
    """``угнан`` (hijacked) shares two sounds with the stem of ``Chinese``: not the name, which is
    missing; ``китайское`` is it, ``твиттере`` (three sounds) is ``Twitter``, and ``минойских``, an
    adjective made from a name by the pack's suffixes, is ``Minoan``."""
    checker = MeaningChecker(language("en"), language("ru"), None, Lexicon.for_source("en"))
    source = "Earlier the Chinese news agency Xinhua reported a plane to be hijacked."
    target = "Ранее китайское новостное агентство «Синьхуа» сообщило, что самолет был угнан."
    assert checker.check(source, target).flags() == {}
    assert checker.check(source, target.replace("китайское ", "")).flags() == {"omission": ["Chinese"]}
    assert checker.check("He wrote on Twitter that the talks had failed.",
                         "Он написал в твиттере, что переговоры провалились.").flags() == {}
    from newsmt import score_texts  # Minoan may be a word: the scorer asks the en->pt model, which keeps it

    minoan = score_texts(["Sewers were found in the houses of the Minoan cities of Crete."],
                         ["В домах минойских городов Крита нашли канализацию."], "en", "ru")
    assert minoan[0]["flags"] == []


def test_a_word_spelt_as_the_name_renders_it_whatever_its_sounds() -> None:
    """``Юннань`` is ``Yunnan`` letter for letter though one consonant sound is all its key has;
    ``саами`` in lower case is ``Sámi`` spelt alike; ``оживленного`` (busy), one sound from the key
    of ``Evelyn``, is no rendering of it in lower case, nor is ``сцены``, one other sound from ``Steven``."""
    from newsmt import score_texts  # Yunnan, Sámi may be words: the scorer asks the en->pt model, which keeps them

    sources = ["Officials said so at a conference in Yunnan province."] * 2 + ["Today many Sámi work in modern trades."]
    kept, dropped, sami = score_texts(sources, ["Представители заявили об этом на конференции в провинции Юннань.",
                                                "Представители заявили об этом на конференции в провинции.",
                                                "Сегодня многие саами заняты в современных профессиях."], "en", "ru")
    assert kept["flags"] == [] and dropped["evidence"] == {"omission": ["Yunnan"]} and sami["flags"] == []
    checker = MeaningChecker(language("en"), language("ru"), None, Lexicon.for_source("en"))
    busy = "A busy road in the south-east of the city was named after Evelyn."
    assert checker.check(busy, "Оживленная дорога на юго-востоке города названа в честь Эвелин.").flags() == {}
    singer = "The singer Steven Tyler fell off the stage."  # ``сцены`` (stage) is one other sound from it
    assert checker.check(singer, "Певец Стивен Тайлер упал со сцены.").flags() == {}
    lost = score_texts([busy, singer], ["В честь неё названа оживленного движения дорога на юго-востоке города.",
                                        "Певец Тайлер упал со сцены."], "en", "ru")  # asked of the en->pt model: names
    assert [r["evidence"] for r in lost] == [{"omission": ["Evelyn"]}, {"omission": ["Steven"]}]


def test_a_word_made_from_a_place_may_take_the_place_adjective() -> None:
    """``Latvian`` is the language (``латышский``) and the country's adjective (``по-латвийски``);
    ``Field Marshal`` is one word, ``фельдмаршал``: the scorer finds both, and flags a marshal made a general."""
    from newsmt import score_texts

    sources = ["He said it in Latvian, not in Russian.", *["He became a Field Marshal in 1943."] * 2]
    records = score_texts(sources, ["Он сказал это по-латвийски, а не по-русски.", "В 1943 году он стал фельдмаршалом.",
                                    "В 1943 году он стал генералом."], "en", "ru")
    assert [r["evidence"] for r in records] == [{}, {}, {"omission": ["Marshal"]}]


def test_the_lexicon_keeps_the_word_pairs_both_directions_list() -> None:
    """``Germany`` and ``Alemanha`` are in each other's shortlists; a name the models carry over
    (``Veerman``) has no translation."""
    lexicon = Lexicon.for_pair("en", "pt")
    assert {"alemanha", "alemao"} <= lexicon.translations("Germany") and "germany" in lexicon.reverse("Alemanha")
    assert "casa" in lexicon.translations("house") and lexicon.translations("Veerman") == frozenset()


def test_a_back_translation_word_much_shorter_is_no_other_spelling_of_a_name(checker: MeaningChecker) -> None:
    """``right`` in the back-translation is not ``Brighton`` written another way; the model's aside in
    a word translated alone (``Cromwell (em inglês)``) is not that word's translation."""
    report = checker.check("Aguero received the ball deep in Brighton territory on that play.",
                           "Aguero recebeu a bola bem no território do nessa jogada.",
                           "Aguero received the ball right in the territory of this move.")
    assert report.omitted == ["Brighton"]
    target = "A iconoclastia das guerras civis inglesas não foi ordenada por ."
    assert not checker.rendered(target, "Cromwell (em inglês)") and checker.rendered(target + " Cromwell", "Cromwell (em inglês)")


# ---- symbols and the variant asked for ---------------------------------------------------------------
def test_symbols_are_kept_where_the_model_loses_them(en_pt: TranslationEngine) -> None:
    """The probes that found the model losing symbols: each comes back whole."""
    smiley, plus_minus, below, prefix, bye = en_pt.translate_texts(
        ["😀😀", "The rate rose 3 ± 0.5 percent.", "Temperatures fell to < 32 °F overnight.", "The error was ±2 degrees.", "Bye"])
    assert smiley.text == "😀😀"
    assert "3 ± 0,5" in plus_minus.text
    assert "< 32 °F" in below.text
    assert "±2" in prefix.text and "R$" not in prefix.text
    assert "(" not in bye.text
    assert not any(t.flags for t in (smiley, plus_minus, below, prefix, bye))


def test_short_texts_come_back_whole_and_nothing_more(en_pt: TranslationEngine) -> None:
    """Probes of headlines and one-word strings: the model ended them with a comma (``Hello`` ->
    ``Olá,``), mid-phrase (``Thanks`` -> ``Obrigado por``), with an empty pair of brackets
    (``Breaking news ()``), or wrote a memorized sentence (``Thank you`` -> ``Obrigado por enviar uma
    edição.``); a quote closed at the end stays (it was taken for one opened)."""
    hello, thanks, thank_you, breaking, quoted, what = en_pt.translate_texts(
        ["Hello", "Thanks", "Thank you", "Breaking news", 'NY nanny sues couple over firing after "racist" text', "What?!"])
    assert hello.text == "Olá" and thanks.text == "Obrigado" and thank_you.text == "Obrigado"
    assert "(" not in breaking.text and ")" not in breaking.text
    assert quoted.text.endswith('"racista"') and quoted.text.count('"') == 2
    assert what.text.endswith("?!")


def test_a_plus_after_a_number_is_kept_and_checked(en_pt: TranslationEngine) -> None:
    """``1,200+ people`` came back ``1.200 pessoas``: the plus is lifted and written back after its
    number; the scorer accepts the pack's words for it (``mais de``). A phone number's or a sum's
    plus is no symbol."""
    spread, phone = en_pt.translate_texts(["The virus spread to 1,200+ people within 48 hours.", "Call +351 21 000 0000 today."])
    assert "1.200+" in spread.text and "+351 21 000 0000" in phone.text
    pt = language("pt")
    source = "The virus spread to 1,200+ people."
    assert g.lost_symbols(source, "O vírus chegou a 1.200 pessoas.", pt) == ["+"]
    assert g.lost_symbols(source, "O vírus chegou a mais de 1.200 pessoas.", pt) == []
    assert g.lost_symbols("He said 2+2 is 4.", "Ele disse que 2 e 2 são 4.", pt) == []


def test_brackets_hug_their_words_as_in_the_source() -> None:
    pt, en = language("pt"), language("en")
    assert g.restore_typography("It begins at 2:30 p.m. ( Brasilia time ).", en, "Começa às 14h30 (hora de Brasília).") \
        == "It begins at 2:30 p.m. (Brasilia time)."
    assert g.restore_typography("Começa ( às 14h ).", pt, "It starts ( at 2 pm ).") == "Começa ( às 14h )."


def test_a_country_keeps_its_capital(en_pt: TranslationEngine) -> None:
    """``in India`` came back ``na índia``; the adjective of ``parapente indonésia`` and a
    demonym the source does not name as a country (``filipinas`` for ``Filipino``) stay lower case."""
    india, = en_pt.translate_texts(["Facebook dithered in curbing divisive user content in India"])
    assert india.text.endswith("na Índia")
    en, pt = language("en"), language("pt")
    assert g.capitalize_places("A equipe de parapente indonésia terminou na indonésia.", "It ended in Indonesia.", en, pt) \
        == "A equipe de parapente indonésia terminou na Indonésia."
    assert g.capitalize_places("As mulheres filipinas votaram.", "Filipino women voted.", en, pt) == "As mulheres filipinas votaram."
    assert g.capitalize_places("He was arrested in india.", "Ele foi preso na Índia.", pt, en) == "He was arrested in India."


def test_what_the_model_writes_round_nothing_is_dropped() -> None:
    cases = {("Olá,", "Hello"): "Olá", ("Notícias ()", "News"): "Notícias", ("Bye (", "Bye"): "Bye",
             ("Olá, (", "Hello"): "Olá", ('Ele disse "', "He said"): "Ele disse",
             ('Ele disse: "Vamos"', "He said: 'We will'"): 'Ele disse: "Vamos"',  # closed, not opened
             ('Vamos lá. "', 'Come on."'): 'Vamos lá. "', ("Ele disse:", "He said:"): "Ele disse:",
             ('Conhecido como "mata", "safári" ou "passada"', "Known as 'bush', 'safari' or 'walk'"):
                 'Conhecido como "mata", "safári" ou "passada"',
             ("A função f() é lenta", "The f() function is slow"): "A função f() é lenta"}
    assert {k: g.strip_dangling(*k) for k in cases} == cases
    en, pt = language("en"), language("pt")
    assert g.unfinished("Obrigado por", "Thanks", en, pt) and not g.unfinished("Obrigado por", "Thanks for", en, pt)
    assert g.overlong("Thank you", "Obrigado por enviar uma edição.") and not g.overlong("Não acredito.", "I don't believe it.")
    assert not g.overlong("Intimidaram-me!", "They intimidated me!")


def test_a_minus_sign_stays_with_its_number(en_pt: TranslationEngine) -> None:
    """The model loses the minus sign (U+2212) it has no piece for: it reads a hyphen, and the
    reader gets the source's sign back."""
    cold, index = en_pt.translate_texts(["Temperatures of \u22125 °C are expected tonight.", "The index fell to \u221212.5 points."])
    assert "\u22125 °C" in cold.text and "\u221212,5" in index.text
    assert not cold.flags and not index.flags


def test_a_sign_the_model_drops_or_adds_is_rewritten() -> None:
    """A number written without the source's sign gets it back (and the record says so); one the
    target says is negative in words, or a hyphen between numbers, is left alone."""
    wrote = {"It was -5 °C in Oslo.": "Estava 5 °C em Oslo.",
             "It was -5 °C in Bergen.": "Estavam 5 graus abaixo de zero em Bergen.",
             "The game ended 5-3 in Rome.": "O jogo terminou -5 a 3 em Roma.",
             "Between 5-10 people came.": "Entre 5-10 pessoas vieram."}
    engine = TranslationEngine(Scripted(wrote.get), "en", "pt")
    oslo, bergen, rome, people = engine.translate_texts(list(wrote))
    assert oslo.text == "Estava -5 °C em Oslo." and oslo.evidence == {"repaired": ["5 -> -5"]}
    assert bergen.text == wrote["It was -5 °C in Bergen."] and not bergen.flags
    assert rome.text == "O jogo terminou 5 a 3 em Roma." and rome.evidence == {"repaired": ["-5 -> 5"]}
    assert people.text == "Entre 5-10 pessoas vieram." and not people.flags


def test_names_with_letters_the_model_lacks_come_back_whole(en_pt: TranslationEngine) -> None:
    """The en->pt vocabulary has no ``ğ ř ń ł ź ü ñ ø å ö þ``: the model wrote ``Dvoák``, ``Gda'sk``,
    ``Od``, ``M'ller`` and dropped ``Ñandú``. It now reads them spelt plainly, and the reader gets the
    source's spelling."""
    names, people, place = en_pt.translate_texts(["Erdoğan met Dvořák in Gdańsk and Łódź.", "Müller and Señor Núñez met Søren.",
                                                  "The Ñandú lives near Þingvellir, not in Malmö."])
    for word in ("Erdoğan", "Dvořák", "Gdańsk", "Łódź"):
        assert word in names.text
    for word in ("Müller", "Núñez", "Søren"):
        assert word in people.text
    assert "Ñandú" in place.text and "Þingvellir" in place.text and "Malmö" in place.text
    reads = lambda c: c.isascii() or c in "áãçéíóõú"  # noqa: E731
    text = "Müller met São Paulo's Łódź fans, Muller's Köln and Путин at https://example.org/Köln."
    plain, spelt = g.stand_ins(text, reads)
    assert plain == "Müller met São Paulo's Lodz fans, Muller's Koln and Путин at https://example.org/Köln."
    assert spelt == {"Lodz": "Łódź", "Koln": "Köln"}  # "Muller" is a word of the text already: Müller stays
    assert g.restore_spelling("Os fãs de Lodz e o Koln", spelt) == "Os fãs de Łódź e o Köln"


def test_words_in_a_script_the_model_cannot_read_go_round_it(en_pt: TranslationEngine) -> None:
    """The en->pt model dropped ``(Алексей Навальный)`` and wrote ``-`` for ``我们`` and ``سلام``, with no
    flag: such runs are lifted out like symbols and put back at their anchor; one standing as a word
    in the sentence is read as a stand-in word, which the model moves where it belongs."""
    navalny, slogan, peace, mayor = en_pt.translate_texts([
        "Alexei Navalny (Алексей Навальный) and Yulia Navalnaya were there.", 'The slogan 我们 means "we".',
        "The word سلام means peace.", "The mayor of Нью-Йорк met the governor on Monday."])
    assert "Navalny (Алексей Навальный) e" in navalny.text and "我们" in slogan.text and "سلام" in peace.text
    assert "prefeito de Нью-Йорк" in mayor.text  # lifted out, it came back as "O prefeito de se Нью-Йорк reuniu"
    assert not any(t.flags for t in (navalny, slogan, peace, mayor))  # the lifted words are not the model's wrong language
    russian = en_pt.translate_texts(["Алексей Навальный был задержан в Москве."])[0]  # an article given as English
    assert "Алексей Навальный был задержан в Москве" in russian.text and russian.flags == ["wrong_language"]
    cyrillic = lambda c: "\u0400" <= c <= "\u04ff"  # noqa: E731
    plain, marks = g.lift_symbols("Navalny (Алексей Навальный) was jailed in Нью-Йорк (Нью-Йорк).", cyrillic)
    assert plain == "Navalny XLAZ was jailed in." and [m.symbols for m in marks] == ["(Алексей Навальный)", "Нью-Йорк (Нью-Йорк)"]
    assert g.place_symbols(marks, "Navalny XLAZ foi preso em.") == "Navalny (Алексей Навальный) foi preso em Нью-Йорк (Нью-Йорк)."
    assert g.place_symbols(marks, "Navalny foi preso em.") == "Navalny (Алексей Навальный) foi preso em Нью-Йорк (Нью-Йорк)."


def test_a_translation_with_no_words_left_is_an_omission() -> None:
    """A model that returns only punctuation for a sentence has lost all of it; a year or a link alone
    is judged by its own checks."""
    engine = TranslationEngine(Scripted(lambda t: "."), "en", "pt")
    said, year = engine.translate_texts(["He said no to the deal.", "2020"])
    assert said.flags == ["omission"] and said.evidence == {"omission": ["all of it"]}
    assert year.flags == ["number_mismatch"]


def test_a_symbol_between_two_words_keeps_them_apart(en_pt: TranslationEngine) -> None:
    """``4×100m`` lifted naively is ``4100m`` to the model; an arrow is a symbol too; the model's
    ``m2`` and ``CO2`` are written as the source wrote them."""
    relay, screen, route, flat = en_pt.translate_texts(["The team won the 4×100m relay.", "The screen is 1920×1080 pixels.",
                                                        "The route A→B is short.", "The flat is 45 m² and emits CO₂."])
    assert "4×100m" in relay.text and "1920×1080" in screen.text and "A→B" in route.text
    assert "45 m²" in flat.text and "CO₂" in flat.text
    assert not any(t.flags for t in (relay, screen, route, flat))
    plain, marks = g.lift_symbols("The dose was 10^6 times smaller.")  # the model wrote "10 a 6"
    assert plain == "The dose was 10 6 times smaller." and g.place_symbols(marks, "A dose foi 10 6 vezes menor.") == \
        "A dose foi 10^6 vezes menor."
    plain, marks = g.lift_symbols("It won 3×2 at home.")
    assert plain == "It won 3 2 at home."
    assert g.place_symbols(marks, "Venceu 3 2 em casa.") == "Venceu 3×2 em casa."
    assert g.place_symbols(marks, "Venceu por 3 a 2 em casa.") == "Venceu por 3 a ×2 em casa."  # no longer side by side


def test_lifted_symbols_go_back_to_their_anchor() -> None:
    plain, marks = g.lift_symbols("Coca-Cola® and Apple™ grew ≥ 5 ‰ in 2020 🎉")
    assert plain == "Coca-Cola and Apple grew 5 in 2020"
    assert g.place_symbols(marks, "Coca-Cola e Apple cresceram 5 em 2020") == "Coca-Cola® e Apple™ cresceram ≥ 5 ‰ em 2020 🎉"
    plain, marks = g.lift_symbols("Fish and chips ]]> cost more (±2).")
    assert plain == "Fish and chips cost more (2)."  # closing brackets written against a symbol go with it
    assert g.place_symbols(marks, "Peixe e batatas custam mais (2).") == "Peixe e batatas ]]> custam mais (±2)."
    pt = language("pt")  # the brackets that travel with a symbol are not symbols the translation must have
    assert g.lost_symbols("Fish and chips ]]> cost more (±2).", "Peixe e batatas ]]> custam mais (±2).", pt) == []
    assert g.lost_symbols("Fish ]]> cost more.", "Peixe custam mais.", pt) == [">"]
    assert g.lost_symbols("The route A→B is short.", "A rota A-B é curta.", pt) == ["→"]
    assert g.lost_symbols("It was \u22125 °C.", "Fazia -5 °C.", pt) == []  # a minus sign is part of its number


def test_the_variant_asked_for_is_written_and_flagged() -> None:
    engine = TranslationEngine(Scripted(lambda t: "A equipa chegou a Moscovo."), "en", "pt-BR")
    out = engine.translate_texts(["The team arrived in Moscow."])[0]
    assert out.text == "A equipe chegou a Moscou."
    assert out.flags == ["variant"] and out.evidence == {"variant": ["equipa -> equipe", "Moscovo -> Moscou"]}
    european = TranslationEngine(Scripted(lambda t: "A equipe chegou a Moscou."), "en", "pt-PT")
    assert european.translate_texts(["The team arrived in Moscow."])[0].text == "A equipa chegou a Moscovo."
    assert TranslationEngine(Scripted(lambda t: "A equipe chegou a Moscou."), "en", "pt").translate_texts(
        ["The team arrived in Moscow."])[0].flags == []


def test_a_names_check_does_not_depend_on_the_hash_seed() -> None:
    """Which sound keys of two words are compared must not follow a set's order, which Python seeds
    anew in every process: the dropped name is found dropped under every seed."""
    code = ("from newsmt.languages import resolve\nfrom newsmt.translate.meaning import MeaningChecker\n"
            "print(MeaningChecker(resolve('en'), resolve('ru')).check("
            "'Det. Dennis McCarthy said the crew would load the truck.',"
            "'Детектив Деннис сказал, что бригада должна загрузить грузовик.').omitted)")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(8)}
    assert outs == {"['McCarthy']\n"}
