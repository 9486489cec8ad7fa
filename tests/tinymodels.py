"""Tiny models of the real seq2seq architectures, built offline in seconds.

No model hub can be reached here, so tests exercise the real loading and generation code with
models that have the real classes, configs and tokenizers but random weights (d_model 16, one
layer) and a sentencepiece/BPE vocabulary of a few hundred pieces trained on the fly. Each model
is written with ``save_pretrained`` into a directory laid out like a real download.

Training text: FLORES-200 devtest lines (English, Russian, Portuguese, German) from ../shared when
present, else a small generated corpus. Output is gibberish; structure is real.

Usage::

    def test_x(tiny_models):  # the session fixture, registered in conftest.py
        model_dir = tiny_models("nllb")
"""
from __future__ import annotations

import io
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FLORES = SHARED / "eval" / "flores200_devtest"
CORPUS_FILES = ("eng_Latn", "rus_Cyrl", "por_Latn", "deu_Latn")
TRANSLATION_FAMILIES = ("marian", "m2m100", "nllb", "mbart")
SUMMARIZATION_FAMILIES = ("bart", "pegasus", "t5", "mt5")
FAMILIES = TRANSLATION_FAMILIES + SUMMARIZATION_FAMILIES
MAX_POSITIONS = 256  # small on purpose: long-input handling is reachable with real sentences
SEED = 0


@dataclass(frozen=True)
class Size:
    """Dimensions of a built model. ``tiny`` for tests; ``base`` has the shape of a real
    OPUS-MT/Marian-base model (d_model 512, 6+6 layers) with random weights, for benchmarks."""

    vocab: int  # sentencepiece pieces (tokenizers add specials / language codes on top)
    lines_per_lang: int  # vocabulary training text
    d_model: int
    layers: int
    heads: int
    ffn: int
    init_std: float  # large for tiny models, so that outputs depend on the input
    t5_init: float  # T5's initializer_factor, same purpose
    max_positions: int


SIZES = {
    "tiny": Size(vocab=500, lines_per_lang=200, d_model=16, layers=1, heads=2, ffn=32, init_std=0.5,
                 t5_init=8.0, max_positions=MAX_POSITIONS),
    "base": Size(vocab=8000, lines_per_lang=1012, d_model=512, layers=6, heads=8, ffn=2048, init_std=0.02,
                 t5_init=1.0, max_positions=512),
}


def corpus(lines_per_lang: int = 200) -> list[str]:
    """Real text to train vocabularies on (FLORES devtest), or a generated fallback."""
    lines: list[str] = []
    for name in CORPUS_FILES:
        path = FLORES / f"{name}.devtest"
        if path.is_file():
            with path.open(encoding="utf-8") as f:
                lines += [line.strip() for _, line in zip(range(lines_per_lang), f) if line.strip()]
    return lines or _generated_corpus(4 * lines_per_lang)


def _generated_corpus(n: int) -> list[str]:
    words = ("the of and to in government said on Monday minister people city new year police "
             "правительство заявил в понедельник министр люди город новый год полиция и на "
             "o governo disse na segunda-feira ministro pessoas cidade novo ano polícia").split()
    rng = random.Random(SEED)
    return [" ".join(rng.choice(words) for _ in range(rng.randint(4, 16))).capitalize() + "."
            for _ in range(n)]


def _train_spm(path: Path, size: Size, model_type: str = "unigram", **ids: int) -> Path:
    """Train a sentencepiece model on the corpus and write it to ``path`` (deterministic)."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus(size.lines_per_lang)), model_writer=buf, vocab_size=size.vocab,
        model_type=model_type, character_coverage=1.0, num_threads=1, minloglevel=2,
        hard_vocab_limit=False, **ids,
    )
    path.write_bytes(buf.getvalue())
    return path


def _spm_pieces(path: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


# -- tokenizers: each writes into ``d`` and returns the loaded tokenizer ------------------------
def _marian_tokenizer(d: Path, size: Size):
    from transformers import MarianTokenizer

    src = _train_spm(d / "source.spm", size)
    (d / "target.spm").write_bytes(src.read_bytes())  # joint vocabulary, as most OPUS-MT models
    pieces = [p for p in _spm_pieces(src) if p not in ("<unk>", "<s>", "</s>")]
    vocab = {"</s>": 0, "<unk>": 1, **{p: i + 2 for i, p in enumerate(pieces)}}
    vocab["<pad>"] = len(vocab)
    (d / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return MarianTokenizer(str(d / "source.spm"), str(d / "target.spm"), str(d / "vocab.json"),
                           model_max_length=size.max_positions)


def _m2m100_tokenizer(d: Path, size: Size):
    from transformers import M2M100Tokenizer

    spm_path = _train_spm(d / "sentencepiece.bpe.model", size, model_type="bpe")
    pieces = [p for p in _spm_pieces(spm_path) if p not in ("<unk>", "<s>", "</s>")]
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, **{p: i + 4 for i, p in enumerate(pieces)}}
    (d / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return M2M100Tokenizer(str(d / "vocab.json"), str(spm_path), model_max_length=size.max_positions)


def _nllb_tokenizer(d: Path, size: Size):
    from transformers import NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    spm_dir = d / "_spm"
    spm_dir.mkdir()
    _train_spm(spm_dir / "sentencepiece.bpe.model", size, model_type="bpe")
    return NllbTokenizer.from_pretrained(str(spm_dir), additional_special_tokens=FAIRSEQ_LANGUAGE_CODES,
                                         model_max_length=size.max_positions)


def _mbart_tokenizer(d: Path, size: Size):
    from transformers import MBart50Tokenizer

    spm_dir = d / "_spm"
    spm_dir.mkdir()
    _train_spm(spm_dir / "sentencepiece.bpe.model", size)
    return MBart50Tokenizer.from_pretrained(str(spm_dir), bos_token="<s>", model_max_length=size.max_positions)


def _bart_tokenizer(d: Path, size: Size):
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartTokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(corpus(size.lines_per_lang), vocab_size=size.vocab, min_frequency=2, show_progress=False,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    bpe_dir = d / "_bpe"
    bpe_dir.mkdir()
    bpe.save_model(str(bpe_dir))
    return BartTokenizer.from_pretrained(str(bpe_dir), model_max_length=size.max_positions)


def _pegasus_tokenizer(d: Path, size: Size):
    from transformers import PegasusTokenizer

    spm_dir = d / "_spm"
    spm_dir.mkdir()
    _train_spm(spm_dir / "spiece.model", size, pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    return PegasusTokenizer.from_pretrained(str(spm_dir), model_max_length=size.max_positions)


def _t5_tokenizer(d: Path, size: Size):
    from transformers import T5Tokenizer

    spm_dir = d / "_spm"
    spm_dir.mkdir()
    _train_spm(spm_dir / "spiece.model", size, pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    return T5Tokenizer.from_pretrained(str(spm_dir), extra_ids=0, model_max_length=size.max_positions)


# -- models ------------------------------------------------------------------------------------
def _model(family: str, tok, size: Size):
    import transformers as tf

    ids_in_use = [*tok.get_vocab().values(), *getattr(tok, "lang_code_to_id", {}).values()]
    # M2M100 language ids lie past len(tok), followed by its "madeup words", as in the real vocabulary
    v = max(len(tok), max(ids_in_use) + 1) + getattr(tok, "num_madeup_words", 0)
    ids = dict(pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id)
    bart_like = dict(
        d_model=size.d_model, encoder_layers=size.layers, decoder_layers=size.layers, init_std=size.init_std,
        encoder_attention_heads=size.heads, decoder_attention_heads=size.heads, encoder_ffn_dim=size.ffn,
        decoder_ffn_dim=size.ffn, vocab_size=v, max_position_embeddings=size.max_positions, **ids,
    )
    if family == "marian":
        cfg = tf.MarianConfig(**bart_like, decoder_start_token_id=tok.pad_token_id,
                              forced_eos_token_id=tok.eos_token_id, decoder_vocab_size=v)
        return tf.MarianMTModel(cfg)
    if family in ("m2m100", "nllb"):
        cfg = tf.M2M100Config(**bart_like, decoder_start_token_id=tok.eos_token_id,
                              bos_token_id=tok.bos_token_id, scale_embedding=True)
        return tf.M2M100ForConditionalGeneration(cfg)
    if family == "mbart":
        cfg = tf.MBartConfig(**bart_like, decoder_start_token_id=tok.eos_token_id,
                             bos_token_id=tok.bos_token_id, scale_embedding=True,
                             normalize_before=True, tokenizer_class="MBart50Tokenizer")  # as mbart-large-50
        return tf.MBartForConditionalGeneration(cfg)
    if family == "bart":
        cfg = tf.BartConfig(**bart_like, decoder_start_token_id=tok.eos_token_id,
                            bos_token_id=tok.bos_token_id, forced_bos_token_id=tok.bos_token_id)
        return tf.BartForConditionalGeneration(cfg)
    if family == "pegasus":
        cfg = tf.PegasusConfig(**bart_like, decoder_start_token_id=tok.pad_token_id)
        return tf.PegasusForConditionalGeneration(cfg)
    t5 = dict(vocab_size=v, d_model=size.d_model, initializer_factor=size.t5_init, d_kv=size.d_model // size.heads,
              d_ff=size.ffn, num_layers=size.layers, num_decoder_layers=size.layers, num_heads=size.heads,
              decoder_start_token_id=tok.pad_token_id, **ids)
    if family == "t5":
        return tf.T5ForConditionalGeneration(tf.T5Config(**t5))
    return tf.MT5ForConditionalGeneration(tf.MT5Config(**t5, feed_forward_proj="gated-gelu"))


# language tokens kept live in multilingual models (all others are silenced, see _silence_specials)
KEEP_LANG_TOKENS = ("eng_Latn", "rus_Cyrl", "por_Latn", "deu_Latn", "en_XX", "ru_RU", "pt_XX", "de_DE",
                    "__en__", "__ru__", "__pt__", "__de__")


def _silence_specials(model, tok) -> None:
    """Zero the (tied) embedding rows of special and language tokens, but EOS and a few languages.

    A trained model never emits ``<s>``, ``<mask>`` or language codes mid-sentence; a random one
    with 200 language codes in a 700-token vocabulary emits little else. A zero row scores a
    logit of 0, below most random rows, so outputs are ordinary pieces.
    """
    import torch

    emb = model.get_input_embeddings().weight
    plain = {i for t, i in tok.get_vocab().items() if t not in tok.added_tokens_encoder}
    special = set(range(emb.shape[0])) - plain | set(tok.all_special_ids)
    keep = {tok.eos_token_id} | {i for i in tok.convert_tokens_to_ids(list(KEEP_LANG_TOKENS))
                                 if i != tok.unk_token_id}
    keep |= {i for c, i in getattr(tok, "lang_code_to_id", {}).items() if f"__{c}__" in KEEP_LANG_TOKENS}
    with torch.no_grad():
        emb[sorted(special - keep)] = 0.0


_TOKENIZERS: dict[str, Callable] = {
    "marian": _marian_tokenizer, "m2m100": _m2m100_tokenizer, "nllb": _nllb_tokenizer,
    "mbart": _mbart_tokenizer, "bart": _bart_tokenizer, "pegasus": _pegasus_tokenizer,
    "t5": _t5_tokenizer, "mt5": _t5_tokenizer,
}


def build_tiny(family: str, out_dir: Path, size: str = "tiny") -> Path:
    """Build a random model of ``family`` (see FAMILIES) and ``size`` (see SIZES) into ``out_dir``.

    The directory holds config.json, model.safetensors, generation_config.json and the
    tokenizer files, as a real download would. Returns ``out_dir``.
    """
    import torch

    if family not in _TOKENIZERS:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(FAMILIES)}")
    out_dir = Path(out_dir)
    work = out_dir.parent / f".{out_dir.name}.build"
    work.mkdir(parents=True, exist_ok=True)
    tok = _TOKENIZERS[family](work, SIZES[size])
    torch.manual_seed(SEED)
    model = _model(family, tok, SIZES[size])
    if family in ("m2m100", "nllb", "mbart"):
        _silence_specials(model, tok)
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir))
    tok.save_pretrained(str(out_dir))
    shutil.rmtree(work)  # tokenizer sources (spm / vocab files), copied by save_pretrained
    return out_dir


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> Callable[[str], Path]:
    """``tiny_models(family) -> Path``: each family built once per test session (skipped without the
    [hf] extra)."""
    pytest.importorskip("transformers")
    pytest.importorskip("torch")
    root = tmp_path_factory.mktemp("tiny-models")
    built: dict[str, Path] = {}

    def get(family: str) -> Path:
        if family not in built:
            built[family] = build_tiny(family, root / family)
        return built[family]

    return get
