"""Summaries: ROUGE for any script, extractive with exact attribution, length controls, guards,
abstractive end to end on tiny models of the real architectures (map-reduce included), attribution
of generated sentences, cross-lingual en->pt with the bundled Bergamot model, CLI."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from newsmt.cli import app
from newsmt.config import SummarizeConfig
from newsmt.document import Document
from newsmt.errors import ConfigError, InputError, ModelError
from newsmt.evaluate import read_summaries, rouge
from newsmt.segment import segment_text
from newsmt.summarize import (
    EXTRACTIVE_MODEL, SKIPPED_KINDS, SUPPORTED, Attributor, Seq2SeqSummarizer, abstractive_summary, candidates,
    extractive_summary, load_summarizer, summarize_document, summarizer_id,
)
from newsmt import summarize_text
from newsmt.writers import render

KNOWN_FLAGS = {"unsupported", "weakly_supported", "unsupported_number", "unsupported_entity"}


def cnndm(n: int) -> list[dict]:
    path = shared_path("eval", "summ_en_cnndm", "cnndm_test_frank.jsonl")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for _, line in zip(range(n), f)]


def first_sentences(text: str, n: int, lang: str = "en") -> Document:
    """An article cut to its first ``n`` sentences (small inputs for the tiny models)."""
    doc = segment_text(text, lang)
    return segment_text(" ".join(s.text for s in list(doc.sentences())[:n]), lang)


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


# -- ROUGE --------------------------------------------------------------------------------------
def test_rouge_russian_equals_hand_computed():
    # tokens: [кошка сидит на ковре] vs [кошка сидела на ковре]
    # unigrams 3 of 4 each side -> F1 0.75; bigrams 1 of 3 ("на ковре") -> 1/3; LCS 3 -> 0.75
    r = rouge(["Кошка сидит на ковре."], ["кошка сидела на ковре"], lang="ru")
    assert r["rouge1"] == pytest.approx(75.0)
    assert r["rouge2"] == pytest.approx(100 / 3, abs=1e-3)
    assert r["rougeL"] == pytest.approx(75.0) and r["rougeLsum"] == pytest.approx(75.0)
    assert rouge(["Навальный, 17 января"], ["Навальный, 17 января"], lang="ru")["rouge2"] == pytest.approx(100.0)


def test_rouge_lsum_unions_lcs_over_summary_sentences():
    # ref "the cat was on the mat"; hyp lines "the cat sat" / "on the mat": union LCS hits 5 of 6 each side
    r = rouge(["the cat sat\non the mat"], ["the cat was on the mat"])
    assert r["rougeLsum"] == pytest.approx(500 / 6, abs=1e-3) and r["n"] == 1


def test_rouge_files_read_text_and_summary_jsonl(tmp_path):
    hyp = tmp_path / "hyp.jsonl"
    hyp.write_text(json.dumps({"summary": [{"text": "Кошка сидит."}, {"text": "На ковре."}]}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    ref = tmp_path / "ref.txt"
    ref.write_text("Кошка сидит. На ковре.\n", encoding="utf-8")
    assert read_summaries(hyp, "ru") == read_summaries(ref, "ru") == ["Кошка сидит.\nНа ковре."]
    result = CliRunner().invoke(app, ["eval", "sum", "--hyp", str(hyp), "--ref", str(ref), "--lang", "ru"])
    assert result.exit_code == 0 and "rouge1 100.00" in result.output


# -- extractive ---------------------------------------------------------------------------------
def test_extractive_cnndm_exact_attribution_document_order_deterministic():
    for item in cnndm(25):
        doc = summarize_document(segment_text(item["text"], "en", doc_id=item["id"]), SummarizeConfig())
        [summary] = doc.summaries
        assert (summary.method, summary.model, summary.lang) == ("extractive", EXTRACTIVE_MODEL, "en")
        assert len(summary.sentences) == 3
        order = [s.id for s in doc.sentences()]
        for x in summary.sentences:
            [sid] = x.sources
            src = doc.sentence(sid)
            assert x.text == src.text == doc.text[src.start:src.end]
            assert 0.0 <= x.score <= 1.0 and x.flags == []
        positions = [order.index(x.sources[0]) for x in summary.sentences]
        assert positions == sorted(positions)
        again = summarize_document(segment_text(item["text"], "en", doc_id=item["id"]), SummarizeConfig())
        assert again.to_json() == doc.to_json()


def test_length_controls():
    doc = segment_text(cnndm(1)[0]["text"], "en")
    m = len(candidates(doc))
    assert len(extractive_summary(doc, SummarizeConfig(sentences=5)).sentences) == 5
    by_words = extractive_summary(doc, SummarizeConfig(words=60))
    assert 0 < sum(words(x.text) for x in by_words.sentences) <= 60 and "over_length" not in by_words.flags
    assert len(extractive_summary(doc, SummarizeConfig(ratio=0.25)).sentences) == round(0.25 * m)
    tiny = extractive_summary(doc, SummarizeConfig(words=3))  # no sentence fits: the best one, flagged
    assert len(tiny.sentences) == 1 and tiny.flags == ["over_length"]
    whole = extractive_summary(doc, SummarizeConfig(sentences=m + 5))
    assert len(whole.sentences) == m and whole.flags == ["whole_input"]


def test_headline_and_caption_are_not_summary_sentences():
    text = shared_path("samples", "news-article-en.txt").read_text(encoding="utf-8")
    doc = segment_text("Amnesty Drops Navalny Designation\n\n" + text, "en")
    assert doc.paragraphs[0].kind == "title"
    summary = extractive_summary(doc, SummarizeConfig(words=80))
    used = {sid for x in summary.sentences for sid in x.sources}
    caption = doc.paragraphs[1]  # photo caption ending in a credit line ("Vladimir Gerdo / TASS")
    assert used and not used & {s.id for s in doc.paragraphs[0].sentences + caption.sentences}


def test_page_furniture_is_never_a_summary_sentence():
    text = shared_path("samples", "news-article-en.txt").read_text(encoding="utf-8")
    doc = segment_text(text, "en")
    skipped = ["caption", "code", "url", "table_cell", "heading", "title"]
    for p, kind in zip(doc.paragraphs[1:12:2], skipped):  # captions, credits, tables from a web page
        p.kind = kind
    assert set(skipped) == SKIPPED_KINDS
    furniture = {s.id for p in doc.paragraphs if p.kind in SKIPPED_KINDS for s in p.sentences}
    assert len(furniture) >= 6
    m = len(list(doc.sentences()))
    for cfg in (SummarizeConfig(), SummarizeConfig(sentences=m), SummarizeConfig(words=400)):
        used = {sid for x in extractive_summary(doc, cfg).sentences for sid in x.sources}
        assert used and not used & furniture
    assert {s.id for s in candidates(doc)} == {s.id for s in doc.sentences()} - furniture


def test_fragments_are_picked_last():
    text = ("Президент России Владимир Путин провёл совещание в Кремле. На встрече обсуждались вопросы "
            "экономики. Министр финансов доложил о росте доходов бюджета на 12%. Участники договорились "
            "продолжить работу. Следующее совещание пройдёт в марте.")
    summary = summarize_text(text, "ru", sentences=2)  # the short sentences (< 6 words) come last
    assert [x.sources for x in summary.sentences] == [["p1s1"], ["p1s3"]]
    assert len(summarize_text(text, "ru", sentences=3).sentences) == 3  # still used when needed


def test_extractive_russian_article():
    path = shared_path("eval", "wmt19_newstest_en-ru", "ref.A.ru")
    ids = shared_path("eval", "wmt19_newstest_en-ru", "docs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    lines = path.read_text(encoding="utf-8").splitlines()
    first = ids[0].split("\t")[1]
    text = " ".join(line for line, row in zip(lines, ids) if row.split("\t")[1] == first)
    summary = summarize_text(text, "ru", sentences=2)
    doc = segment_text(text, "ru")
    assert summary.lang == "ru" and len(summary.sentences) == 2
    assert all(x.text == doc.sentence(x.sources[0]).text for x in summary.sentences)
    assert re.search("[а-яё]", summary.sentences[0].text)


def test_guards_empty_and_short_input(tiny_models):
    title_only = segment_text("Amnesty Drops Navalny Designation", "en")
    [empty] = summarize_document(title_only, SummarizeConfig()).summaries
    assert empty.sentences == [] and empty.flags == ["empty_input"]
    short = "Amnesty withdrew the designation on Tuesday. Navalny has faced several cases since."
    two = summarize_text(short, "en")
    assert [x.sources for x in two.sentences] == [["p1s1"], ["p1s2"]] and two.flags == ["short_input"]
    as_is = summarize_text(short, "en", method="abstractive", model=str(tiny_models("bart")))
    assert as_is == two  # too short for a model: the input itself, flagged, never generated
    with pytest.raises(ModelError, match="needs a model"):
        summarize_text(short, "en", method="abstractive")


def test_api_rejects_unknown_options():
    with pytest.raises(ConfigError, match="unknown summarize setting"):
        summarize_text("One. Two. Three.", "en", sentence=2)
    with pytest.raises(ConfigError, match="ratio"):
        summarize_text("One. Two. Three.", "en", ratio=2.0)


# -- attribution --------------------------------------------------------------------------------
def test_attribution_links_sources_and_flags_unsupported_facts():
    doc = segment_text(cnndm(1)[0]["text"], "en")
    cands = candidates(doc)
    att = Attributor(doc, cands)
    fused = "Gary Locke will be confirmed as Kilmarnock's permanent manager on Friday, with a three-year deal."
    x = att.attribute(fused)
    assert x.sources[:2] == ["p1s1", "p1s2"] and x.score > 0.8 and x.flags == []
    wrong = att.attribute("Gary Locke will be confirmed as Kilmarnock manager on Friday after 12 weeks, said Jose Mourinho.")
    assert wrong.sources[0] == "p1s1"
    assert "unsupported_number" in wrong.flags and "unsupported_entity" in wrong.flags
    nothing = att.attribute("Zyxwv qqqq brrrr.")
    assert nothing.sources == [] and nothing.flags[0] == "unsupported" and nothing.score == 0.0
    limited = att.attribute(fused, allowed=cands[1:])  # a map-reduce piece only sees its own chunk
    assert limited.sources[:2] == ["p1s4", "p1s2"]  # p1s4 restates p1s1 ("Kilmarnock will confirm Gary Locke ...")


# -- abstractive --------------------------------------------------------------------------------
@pytest.mark.parametrize("family", ["bart", "pegasus", "mt5"])
def test_abstractive_end_to_end_tiny_models(tiny_models, family):
    model = tiny_models(family)
    doc = first_sentences(cnndm(1)[0]["text"], 4)
    cfg = SummarizeConfig(method="abstractive", model=str(model), max_length=16, min_length=4, beam=2)
    assert re.fullmatch(re.escape(str(model)) + "@[0-9a-f]{12}", summarizer_id(cfg, "en"))
    summarize_document(doc, cfg)
    [summary] = doc.summaries
    ids = {s.id for s in candidates(doc)}
    assert (summary.lang, summary.method, summary.model) == ("en", "abstractive", str(model))
    assert "map_reduce" in summary.flags and summary.sentences  # 4 long sentences > the 256-token window
    for x in summary.sentences:  # random weights write gibberish: it must be flagged, never passed off
        assert set(x.sources) <= ids and 0.0 <= x.score <= 1.0 and set(x.flags) <= KNOWN_FLAGS
        assert x.score >= SUPPORTED or x.flags[0] in {"unsupported", "weakly_supported"}
    again = summarize_document(first_sentences(cnndm(1)[0]["text"], 4), cfg)
    assert again.summaries[0] == summary  # deterministic


def test_abstractive_ctranslate2_directory(tiny_models, tmp_path):
    from newsmt.translate.ctranslate2_backend import convert_to_ctranslate2

    converted = convert_to_ctranslate2(tiny_models("mt5"), tmp_path / "mt5-ct2", quantization="float32")
    doc = first_sentences(cnndm(1)[0]["text"], 4)
    summarizer = Seq2SeqSummarizer(converted)
    assert summarizer.model.kind == "ctranslate2" and summarizer.window == 256
    summary = abstractive_summary(doc, SummarizeConfig(method="abstractive", max_length=16, min_length=2, beam=2), summarizer)
    assert summary.sentences and summary.method in {"abstractive", "extractive"}


def test_map_reduce_covers_every_chunk(tiny_models, monkeypatch):
    doc = first_sentences(cnndm(1)[0]["text"], 12)
    summarizer = Seq2SeqSummarizer(tiny_models("bart"), window=160)
    cands = candidates(doc)
    chunks = summarizer.chunks(cands)
    assert len(chunks) >= 3 and [s.id for c in chunks for s in c] == [s.id for s in cands]
    assert all(sum(summarizer.count([s.text for s in c])) + len(c) <= summarizer.budget for c in chunks)

    def lead_sentence(texts, cfg):  # a perfectly extractive "model": the first sentence of each input
        return [next(segment_text(t, "en").sentences()).text for t in texts]

    monkeypatch.setattr(summarizer, "generate", lead_sentence)
    summary = summarizer.summarize(doc, SummarizeConfig(method="abstractive", max_length=1000))
    assert "map_reduce" in summary.flags
    assert [x.sources for x in summary.sentences] == [[c[0].id] for c in chunks]
    assert all(x.text == c[0].text and x.score == 1.0 for x, c in zip(summary.sentences, chunks))


def test_map_reduce_with_a_real_tiny_model_never_exceeds_the_window(tiny_models):
    doc = first_sentences(cnndm(1)[0]["text"], 12)
    summarizer = Seq2SeqSummarizer(tiny_models("bart"), window=160)
    seen: list[int] = []
    generate = summarizer.generate

    def spy(texts, cfg):
        seen.extend(len(ids) for ids in summarizer.tokenizer([summarizer.prefix + t for t in texts])["input_ids"])
        return generate(texts, cfg)

    summarizer.generate = spy
    summary = summarizer.summarize(doc, SummarizeConfig(method="abstractive", max_length=20, min_length=2, beam=1))
    assert "map_reduce" in summary.flags and summary.sentences
    assert len(seen) > len(summarizer.chunks(candidates(doc))) and max(seen) <= 160  # map, then reduce
    with pytest.raises(ModelError, match="exceeds"):
        generate([" ".join(s.text for s in candidates(doc))], SummarizeConfig())  # never truncated silently


def test_refuse_mode_rejects_a_long_article_instead_of_truncating(tiny_models):
    doc = first_sentences(cnndm(1)[0]["text"], 12)
    summarizer = Seq2SeqSummarizer(tiny_models("bart"), window=160)
    with pytest.raises(InputError, match="never truncates"):
        summarizer.summarize(doc, SummarizeConfig(method="abstractive", long_input="refuse"))
    short = first_sentences(cnndm(1)[0]["text"], 1)
    cfg = SummarizeConfig(method="abstractive", long_input="refuse", max_length=8, min_length=2, beam=1)
    assert Seq2SeqSummarizer(tiny_models("bart")).summarize(short, cfg).sentences


def test_sentence_longer_than_the_window_is_split_not_cut(tiny_models):
    summarizer = Seq2SeqSummarizer(tiny_models("bart"), window=48)
    long = first_sentences(cnndm(1)[0]["text"], 3)
    pieces, cut = summarizer._fit(candidates(long))
    assert cut and " ".join(p.text for p in pieces).split() == " ".join(s.text for s in candidates(long)).split()


def test_missing_model_is_a_clear_error_without_download():
    with pytest.raises(ModelError, match="`hf download no-such-org/no-such-summarizer`"):
        summarizer_id(SummarizeConfig(method="abstractive", model="no-such-org/no-such-summarizer"), "en")
    with pytest.raises(ModelError, match="hf download"):
        load_summarizer("no-such-org/no-such-summarizer")


def test_summarizer_is_owned_and_closed_by_its_caller(tiny_models):
    doc = first_sentences(cnndm(1)[0]["text"], 4)
    cfg = SummarizeConfig(method="abstractive", model=str(tiny_models("bart")), max_length=16, min_length=4, beam=2)
    with load_summarizer(cfg.model) as summarizer:
        assert summarizer.name == cfg.model and not summarizer.closed
        owned = summarize_document(doc, cfg, summarizer=summarizer).summaries[0]
    assert summarizer.closed and summarizer.model.model is None
    summarizer.close()  # idempotent
    with pytest.raises(ModelError, match="closed"):
        summarizer.generate(["Some text."], cfg)
    one_off = summarize_document(first_sentences(cnndm(1)[0]["text"], 4), cfg).summaries[0]  # opened and closed inside
    assert one_off == owned
    with load_summarizer(cfg.model) as a, load_summarizer(cfg.model) as b:
        assert a is not b and a.model.model is not b.model.model  # no module-level cache: each owner has its own


# -- cross-lingual ------------------------------------------------------------------------------
def test_cross_lingual_en_pt_with_bundled_bergamot():
    from newsmt.translate.engine import load_engine

    text = shared_path("samples", "news-article-en.txt").read_text(encoding="utf-8")
    engine = load_engine("en", "pt")
    doc = summarize_document(segment_text(text, "en", doc_id="navalny"), SummarizeConfig(), engine)
    en, pt = doc.summaries
    assert (en.lang, pt.lang, pt.source_lang, pt.method) == ("en", "pt", "en", "extractive")
    assert [x.sources for x in pt.sentences] == [x.sources for x in en.sentences]
    assert all(p.text and p.text != e.text for p, e in zip(pt.sentences, en.sentences))
    assert any(w in pt.sentences[0].text.split() for w in ("de", "da", "do", "a", "o"))
    # translated first: the summary reuses the document's own sentence translations
    translated = engine.translate_document(segment_text(text, "en", doc_id="navalny"))
    summarize_document(translated, SummarizeConfig(), engine)
    assert [x.text for x in translated.summaries[1].sentences] == [
        translated.translations[x.sources[0]].text for x in translated.summaries[1].sentences]
    rows = [json.loads(line) for line in render(doc, "summary-jsonl").splitlines()]
    assert rows[0]["lang"] == "en" and rows[0]["translation"]["lang"] == "pt"


# -- CLI ----------------------------------------------------------------------------------------
def test_cli_summarize(tmp_path):
    article = shared_path("samples", "news-article-en.txt")
    runner = CliRunner()
    result = runner.invoke(app, ["summarize", str(article), "--lang", "en", "--sentences", "2"])
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.stderr.startswith("summarized 1 article, ")
    assert row["doc"] == "news-article-en" and row["method"] == "extractive" and len(row["summary"]) == 2
    assert set(row["summary"][0]) == {"text", "sources", "score", "flags"} and row["translation"] is None
    result = runner.invoke(app, ["summarize", str(article), "--to", "pt", "--words", "50", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    row = json.loads((tmp_path / "news-article-en.summary.jsonl").read_text(encoding="utf-8"))
    assert row["translation"]["lang"] == "pt" and len(row["translation"]["summary"]) == len(row["summary"])
    assert "## pt (extractive" in (tmp_path / "news-article-en.summary.md").read_text(encoding="utf-8")
    bad = runner.invoke(app, ["summarize", str(article), "--sentences", "2", "--ratio", "0.5"])
    assert bad.exit_code == ConfigError.exit_code and "only one of" in bad.output
    missing = runner.invoke(app, ["summarize", str(article), "--method", "abstractive"])
    assert missing.exit_code == ModelError.exit_code and "needs a model" in missing.output


def test_cli_eval_sum_on_text_lines(tmp_path: Path):
    (tmp_path / "h.txt").write_text("the cat sat on the mat\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("the cat was on the mat\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "sum", "--hyp", str(tmp_path / "h.txt"), "--ref", str(tmp_path / "r.txt")])
    assert result.exit_code == 0 and "rouge1 83.33" in result.output and "(1 pairs)" in result.output
