"""Summaries whose every sentence links to the source sentence ids it rests on.

- extractive (the default, no model): sentences ranked by degree centrality over character 4-gram
  TF-IDF (any script; inflected forms share n-grams, so Russian needs no stemmer), times a news
  lead prior and a mild preference for concise sentences, then picked by MMR against redundancy.
  Output sentences are source sentences: attribution is exact.
- abstractive: any seq2seq summarization model (BART, PEGASUS, T5/mT5, mBART) from a local
  transformers directory, a cached Hugging Face name (offline) or a CTranslate2 conversion. An
  article longer than the model window is summarized map-reduce over runs of whole sentences; it is
  never truncated. Each generated sentence is attributed to the source sentences that cover its
  character n-grams; numbers and names found nowhere in the article are flagged.
- cross-lingual: the summary's sentences translated by a ``TranslationEngine``, same sources.
"""
from __future__ import annotations

import bisect
import dataclasses
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from .config import PipelineConfig, SummarizeConfig
from .document import Document, Sentence, Summary, SummarySentence
from .errors import ConfigError, InputError, ModelError

if TYPE_CHECKING:
    from .translate.engine import TranslationEngine

EXTRACTIVE_MODEL = "lexrank-char4"  # recorded as Summary.model of extractive summaries
SKIPPED_KINDS = frozenset({"title", "heading"})  # a headline restates; it is not a summary sentence
SHORT_INPUT = 3  # fewer candidate sentences than this: the input is returned as its own summary

# extractive ranking; chosen on CNN/DM halves (see scripts/eval_summarize.py), round values
NGRAM = 4
LEAD_DECAY = 6.0  # position prior exp(-i / LEAD_DECAY), i = 0-based sentence position
LENGTH_EXPONENT = -0.4  # (words / mean words) ** LENGTH_EXPONENT: concise sentences preferred
MMR_LAMBDA = 0.6  # relevance weight; 1 - MMR_LAMBDA weighs similarity to sentences already picked
FRAGMENT_WORDS = 6  # fewer words (or no final punctuation): a fragment, picked only as a last resort

# attribution of generated sentences
MAX_SOURCES = 3
MIN_GAIN = 0.15  # a source must add this share of the sentence's n-gram weight to be listed
SUPPORTED = 0.5  # below this total coverage a sentence is flagged "weakly_supported"

_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_TERMINAL = re.compile(r"[.!…:;)\]\"'»”’]\s*$")
_HASH_BASE = np.uint64(1_000_003)


# -- character n-gram TF-IDF, sparse, numpy only ------------------------------------------------
def _ngram_hashes(texts: list[str], n: int = NGRAM) -> tuple[np.ndarray, np.ndarray]:
    """(row, hash) of every within-word character n-gram; words are lowercased and padded by a
    space, so "cat" gives " cat" and "cat "."""
    norm = [" " + _NON_WORD.sub(" ", t.lower()).strip() + " " for t in texts]
    codes = np.frombuffer("".join(norm).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    for k in range(n):  # polynomial hash, wrapping mod 2**64
        hashes = hashes * _HASH_BASE + codes[k:k + count]
    space = codes == 32
    inside = ~np.logical_or.reduce([space[k:k + count] for k in range(1, n - 1)])  # no word gap inside
    pos = np.flatnonzero(inside)
    rows = np.searchsorted(np.cumsum([len(s) for s in norm]), pos + 1, side="right")
    return rows, hashes[pos]


@dataclasses.dataclass
class NgramVectors:
    """L2-normalized TF-IDF rows over character n-grams, kept sparse as (row, col, val) entries."""

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    vocab: np.ndarray  # sorted n-gram hashes; col = index into it
    idf: np.ndarray
    m: int

    @classmethod
    def build(cls, texts: list[str]) -> NgramVectors:
        rows, hashes = _ngram_hashes(texts)
        vocab, cols = np.unique(hashes, return_inverse=True)
        keys, tf = np.unique(rows * max(len(vocab), 1) + cols, return_counts=True)
        rows, cols = keys // max(len(vocab), 1), keys % max(len(vocab), 1)
        m = len(texts)
        idf = np.log((1 + m) / (1 + np.bincount(cols, minlength=len(vocab)))) + 1
        vals = tf * idf[cols]
        norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=m))
        vals = vals / np.where(norms > 0, norms, 1)[rows]
        return cls(rows, cols, vals, vocab, idf, m)

    def dot(self, dense: np.ndarray) -> np.ndarray:
        """Every row times a dense vector over the vocabulary."""
        return np.bincount(self.rows, weights=self.vals * dense[self.cols], minlength=self.m)

    def row(self, i: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.rows, [i, i + 1])
        out = np.zeros(len(self.vocab))
        out[self.cols[lo:hi]] = self.vals[lo:hi]
        return out

    def centrality(self) -> np.ndarray:
        """Degree centrality: the sum of a row's cosine similarities to all other rows."""
        total = np.bincount(self.cols, weights=self.vals, minlength=len(self.vocab))
        self_sim = np.bincount(self.rows, weights=self.vals * self.vals, minlength=self.m)
        return self.dot(total) - self_sim


# -- shared helpers -----------------------------------------------------------------------------
def candidates(doc: Document) -> list[Sentence]:
    """Sentences a summary may use: all but those of titles and headings, in document order."""
    return [s for p in doc.paragraphs if p.kind not in SKIPPED_KINDS for s in p.sentences]


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _budget(cfg: SummarizeConfig, m: int) -> tuple[int, int]:
    """(max sentences, max words; 0 = no word limit): ``words`` first, then ``ratio`` (a share of
    the sentences), then ``sentences``."""
    if cfg.words:
        return m, cfg.words
    if cfg.ratio:
        return max(1, round(cfg.ratio * m)), 0
    return max(1, cfg.sentences), 0


def _summary(doc: Document, method: str, model: str, sentences: list[SummarySentence], flags: list[str]) -> Summary:
    return Summary(doc.lang, method, model, sentences, source_lang=doc.lang, flags=flags)


# -- extractive ---------------------------------------------------------------------------------
def fragments(doc: Document, sentences: list[Sentence]) -> np.ndarray:
    """True for fragments: short, unpunctuated or question sentences (credits, datelines, teasers),
    and every sentence of a caption: a paragraph of at most three sentences ending in an
    unpunctuated line (a credit such as "Vladimir Gerdo / TASS")."""
    frag = {s.id for s in sentences if _words(s.text) < FRAGMENT_WORDS or not _TERMINAL.search(s.text)}
    for p in doc.paragraphs:
        if 1 < len(p.sentences) <= 3 and not _TERMINAL.search(p.sentences[-1].text):
            frag.update(s.id for s in p.sentences)
    return np.array([s.id in frag for s in sentences], dtype=bool)


def rank_scores(texts: list[str], vectors: NgramVectors) -> tuple[np.ndarray, np.ndarray]:
    """(normalized centrality, selection score) per sentence, sentences in document order."""
    m = len(texts)
    cent = vectors.centrality()
    cent = cent / cent.max() if cent.max() > 0 else np.ones(m)
    words = np.array([max(_words(t), 1) for t in texts], dtype=float)
    score = np.maximum(cent, 1e-6) * np.exp(-np.arange(m) / LEAD_DECAY) * (words / words.mean()) ** LENGTH_EXPONENT
    return cent, score / score.max()


def select(texts: list[str], max_sentences: int, max_words: int = 0,
           last_resort: np.ndarray | None = None) -> tuple[list[int], np.ndarray]:
    """Indices picked by MMR (returned in document order) and the centrality of every sentence;
    ``last_resort`` sentences are picked only once all others are."""
    vectors = NgramVectors.build(texts)
    cent, score = rank_scores(texts, vectors)
    words = np.array([_words(t) for t in texts])
    redundancy = np.zeros(len(texts))
    left = max_words or math.inf
    picked: list[int] = []
    open_ = np.ones(len(texts), dtype=bool)
    if last_resort is None:
        last_resort = np.zeros(len(texts), dtype=bool)
    while len(picked) < max_sentences:
        pool = open_ & ~last_resort if (open_ & ~last_resort).any() else open_
        fits = pool & (words <= left)
        if not fits.any():
            if picked or not pool.any():
                break
            fits = pool  # not one sentence fits the word budget: the best one (flagged over_length)
        value = np.where(fits, MMR_LAMBDA * score - (1 - MMR_LAMBDA) * redundancy, -np.inf)
        i = int(value.argmax())
        picked.append(i)
        open_[i] = False
        left -= words[i]
        redundancy = np.maximum(redundancy, vectors.dot(vectors.row(i)))
    return sorted(picked), cent


def extractive_summary(doc: Document, cfg: SummarizeConfig, flags: tuple[str, ...] = ()) -> Summary:
    """Source sentences chosen by lead-biased centrality and MMR; each is its own source."""
    cands = candidates(doc)
    flags = list(flags)
    if not cands:
        return _summary(doc, "extractive", EXTRACTIVE_MODEL, [], flags + ["empty_input"])
    max_sentences, max_words = _budget(cfg, len(cands))
    if len(cands) < SHORT_INPUT:
        max_sentences, max_words, flags = len(cands), 0, flags + ["short_input"]
    picked, cent = select([s.text for s in cands], max_sentences, max_words, fragments(doc, cands))
    if len(picked) == len(cands) and "short_input" not in flags:
        flags.append("whole_input")
    if max_words and sum(_words(cands[i].text) for i in picked) > max_words:
        flags.append("over_length")  # not even one sentence fits the word budget
    sents = [SummarySentence(cands[i].text, [cands[i].id], round(float(cent[i]), 4)) for i in picked]
    return _summary(doc, "extractive", EXTRACTIVE_MODEL, sents, flags)


# -- attribution --------------------------------------------------------------------------------
def _numbers(text: str) -> set[str]:
    return {re.sub(r"\D", "", n) for n in _NUMBER.findall(text)}


class Attributor:
    """Links generated sentences to the source sentences that cover their character n-grams
    (IDF-weighted greedy coverage) and flags numbers and names the article does not contain."""

    def __init__(self, doc: Document, sources: list[Sentence]) -> None:
        self.sources = sources
        self.vectors = NgramVectors.build([s.text for s in sources])
        self.numbers = _numbers(doc.text)
        self.words = sorted({w.lower() for w in _WORD.findall(doc.text)})

    def _known_word(self, word: str) -> bool:
        """The word, or an inflection sharing all but its last two letters, occurs in the article."""
        w = word.lower()
        stem = w[:max(4, len(w) - 2)]
        i = bisect.bisect_left(self.words, stem)
        return i < len(self.words) and self.words[i].startswith(stem)

    def flags(self, text: str) -> list[str]:
        out = []
        if _numbers(text) - self.numbers:
            out.append("unsupported_number")
        names = [w for w in _WORD.findall(text)[1:] if w[0].isupper() and not w[0].isdigit()]
        if any(not self._known_word(w) for w in names):
            out.append("unsupported_entity")
        return out

    def attribute(self, text: str, allowed: list[Sentence] | None = None) -> SummarySentence:
        """``text`` with its supporting sources (best first, among ``allowed``), coverage and flags."""
        vec = self.vectors
        hashes = np.unique(_ngram_hashes([text])[1])
        col = np.minimum(np.searchsorted(vec.vocab, hashes), max(len(vec.vocab) - 1, 0))
        known = vec.vocab[col] == hashes if len(vec.vocab) else np.zeros(len(hashes), dtype=bool)
        absent_idf = math.log(1 + vec.m) + 1  # the IDF of an n-gram no source sentence has
        weight = np.where(known, vec.idf[col] if len(vec.idf) else 0.0, absent_idf)
        total = weight.sum()
        index = {s.id: i for i, s in enumerate(self.sources)}
        rows = np.array([index[s.id] for s in allowed] if allowed is not None else range(vec.m), dtype=np.int64)
        # covers[r, k]: source sentence rows[r] contains n-gram k of the sentence
        covers = np.zeros((len(rows), len(hashes)), dtype=bool)
        slot = np.full(vec.m, -1)
        slot[rows] = np.arange(len(rows))
        known_k = np.flatnonzero(known)
        entry = np.isin(vec.cols, col[known]) & (slot[vec.rows] >= 0)
        covers[slot[vec.rows[entry]], known_k[np.searchsorted(col[known], vec.cols[entry])]] = True
        covered = np.zeros(len(hashes), dtype=bool)
        chosen: list[int] = []
        while len(chosen) < MAX_SOURCES and total > 0 and len(rows):
            gains = (covers & ~covered) @ weight / total
            best = int(gains.argmax())
            if gains[best] < MIN_GAIN:
                break
            chosen.append(best)
            covered |= covers[best]
        score = float(weight[covered].sum() / total) if total > 0 else 0.0
        flags = self.flags(text)
        if not chosen:
            flags.insert(0, "unsupported")
        elif score < SUPPORTED:
            flags.insert(0, "weakly_supported")
        return SummarySentence(text, [self.sources[rows[r]].id for r in chosen], round(score, 4), flags)


# -- abstractive --------------------------------------------------------------------------------
def _model_path(model: str) -> Path:
    """A local model directory, or the cached snapshot of a Hugging Face name (never downloads)."""
    if not model:
        raise ModelError("abstractive summarization needs a model: pass --model DIR (a transformers or "
                         "CTranslate2 directory) or a Hugging Face name already in the local cache; "
                         "none ships with newsmt (the extractive method needs none)")
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(model, local_files_only=True))
    except (OSError, ValueError):  # not cached, or not a valid repository name
        raise ModelError(f"summarization model {model!r} is neither a directory nor in the local Hugging Face "
                         f"cache; on a connected machine run `huggingface-cli download {model}`, then pass "
                         "its directory with --model") from None


def summarizer_id(cfg: SummarizeConfig, src: str) -> str:
    """``name@revision`` of the summarizer ``cfg`` selects (without loading it); ModelError when
    its model is missing. The revision is the cache commit or a fingerprint of the weights."""
    if cfg.method == "extractive":
        return EXTRACTIVE_MODEL
    from .translate.transformers_backend import weights_fingerprint

    return f"{cfg.model}@{weights_fingerprint(_model_path(cfg.model))}"


def _unique(sentences: Iterator[Sentence]) -> list[Sentence]:
    return list({s.id: s for s in sentences}.values())


@dataclasses.dataclass
class _Piece:
    """Text to summarize (or a partial summary) and the source sentences it stands for."""

    text: str
    sources: list[Sentence]


class Seq2SeqSummarizer:
    """A summarization model loaded once: transformers, or CTranslate2 when the directory holds a
    converted ``model.bin`` (its tokenizer files copied beside it)."""

    def __init__(self, path: Path, name: str = "", window: int = 0) -> None:
        from transformers import AutoTokenizer

        self.name = name or path.name
        self.prefix = ""  # T5-style task prefix, from the model config
        limits: list[int] = []
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            if (path / "model.bin").is_file():
                import ctranslate2

                self._ct2, self._hf = ctranslate2.Translator(str(path), device="cpu"), None
            else:
                from transformers import AutoModelForSeq2SeqLM

                self._hf, self._ct2 = AutoModelForSeq2SeqLM.from_pretrained(str(path), local_files_only=True).eval(), None
                config = self._hf.config
                tasks = getattr(config, "task_specific_params", None) or {}
                self.prefix = (tasks.get("summarization") or {}).get("prefix", "")
                limits.append(getattr(config, "max_position_embeddings", 0) or 0)
        except (OSError, ValueError, RuntimeError) as e:
            raise ModelError(f"cannot load a summarization model from {path}: {e}") from None
        limits.append(self.tokenizer.model_max_length if self.tokenizer.model_max_length < 100_000 else 0)
        self.window = window or min([x for x in limits if x] or [512])
        overhead = self.tokenizer.num_special_tokens_to_add() + (self.count([self.prefix])[0] if self.prefix else 0)
        self.budget = self.window - overhead  # tokens of article text one input can hold
        if self.budget < 8:
            raise ModelError(f"{self.name}: a {self.window}-token window is too small to summarize with")

    def count(self, texts: list[str]) -> list[int]:
        """Tokens per text, without special tokens."""
        return [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False, verbose=False)["input_ids"]] if texts else []

    def generate(self, texts: list[str], cfg: SummarizeConfig) -> list[str]:
        """One summary per input; every input must fit the window (checked, never truncated)."""
        inputs = [self.prefix + t for t in texts]
        ids = self.tokenizer(inputs, verbose=False)["input_ids"]
        if max(len(x) for x in ids) > self.window:
            raise ModelError(f"{self.name}: an input of {max(len(x) for x in ids)} tokens exceeds the "
                             f"{self.window}-token window")  # a chunking bug: never cut silently
        out = []
        for text, n in zip(inputs, (len(x) for x in ids)):
            min_length = min(cfg.min_length, n // 2, cfg.max_length)  # a short chunk is not padded out
            if self._hf is not None:
                import torch

                enc = self.tokenizer([text], return_tensors="pt")
                with torch.inference_mode():
                    gen = self._hf.generate(**enc, num_beams=cfg.beam, max_length=cfg.max_length, min_length=min_length,
                                            no_repeat_ngram_size=cfg.no_repeat_ngram_size, do_sample=False)
                out.append(self.tokenizer.decode(gen[0], skip_special_tokens=True).strip())
            else:
                tokens = self.tokenizer.convert_ids_to_tokens(self.tokenizer(text)["input_ids"])
                res = self._ct2.translate_batch([tokens], beam_size=cfg.beam, max_decoding_length=cfg.max_length,
                                                min_decoding_length=min_length,
                                                no_repeat_ngram_size=cfg.no_repeat_ngram_size)
                hyp = self.tokenizer.convert_tokens_to_ids(res[0].hypotheses[0])
                out.append(self.tokenizer.decode(hyp, skip_special_tokens=True).strip())
        return out

    def _pack(self, pieces: list[_Piece]) -> list[list[_Piece]]:
        """Consecutive pieces grouped into runs that fit the window (one token of slack each for
        the joining space)."""
        groups: list[list[_Piece]] = []
        used = self.budget + 1
        for piece, n in zip(pieces, self.count([p.text for p in pieces])):
            if used + n + 1 > self.budget:
                groups.append([])
                used = 0
            groups[-1].append(piece)
            used += n + 1
        return groups

    def _fit(self, sentences: list[Sentence]) -> tuple[list[_Piece], bool]:
        """One piece per sentence; a sentence longer than the window is cut at word boundaries."""
        pieces, cut = [], False
        for s, n in zip(sentences, self.count([s.text for s in sentences])):
            if n + 1 <= self.budget:
                pieces.append(_Piece(s.text, [s]))
                continue
            cut = True
            words, part = s.text.split(), []
            for w in words:
                if part and self.count([" ".join(part + [w])])[0] + 1 > self.budget:
                    pieces.append(_Piece(" ".join(part), [s]))
                    part = []
                part.append(w)
            pieces.append(_Piece(" ".join(part), [s]))
        return pieces, cut

    def chunks(self, sentences: list[Sentence]) -> list[list[Sentence]]:
        """The first-level chunks: runs of whole sentences that each fit the window."""
        pieces, _ = self._fit(sentences)
        return [_unique(s for p in g for s in p.sources) for g in self._pack(pieces)]

    def summarize(self, doc: Document, cfg: SummarizeConfig) -> Summary:
        """Map-reduce: summarize each chunk (partial summaries capped at half a window, so that
        two always fit one input); while the partial summaries are longer than ``cfg.max_length``
        tokens, group and summarize them again. One chunk: a single pass with ``cfg``."""
        from .segment import split_sentences

        cands = candidates(doc)
        pieces, cut = self._fit(cands)
        flags = ["long_sentence_split"] if cut else []
        partial = dataclasses.replace(cfg, max_length=min(cfg.max_length, (self.budget - 2) // 2))
        level = 0
        while True:
            groups = self._pack(pieces)
            if level and len(groups) == len(pieces):
                flags.append("long_summary")  # partial summaries cannot be merged any further
                break
            if len(groups) > 1 and not level and cfg.long_input == "refuse":
                raise InputError(f"{doc.id}: the article does not fit the {self.window}-token window of {self.name} "
                                 f"({len(groups)} chunks); newsmt never truncates: use summarize.long_input=map_reduce")
            if len(groups) > 1 and "map_reduce" not in flags:
                flags.append("map_reduce")
            outs = self.generate([" ".join(p.text for p in g) for g in groups], partial if len(groups) > 1 else cfg)
            pieces = [_Piece(o, _unique(s for p in g for s in p.sources)) for o, g in zip(outs, groups) if o]
            level += 1
            if len(pieces) <= 1 or sum(self.count([p.text for p in pieces])) <= cfg.max_length:
                break
        attributor = Attributor(doc, cands)
        sents = [attributor.attribute(p.text[a:b], p.sources)
                 for p in pieces for a, b in split_sentences(p.text, doc.lang)]
        return _summary(doc, "abstractive", self.name, sents, flags)


@lru_cache(maxsize=2)
def load_summarizer(model: str) -> Seq2SeqSummarizer:
    """The model named by ``model`` (directory or cached name), loaded once per process."""
    return Seq2SeqSummarizer(_model_path(model), model)


def abstractive_summary(doc: Document, cfg: SummarizeConfig, summarizer: Seq2SeqSummarizer | None = None) -> Summary:
    """The model's summary, or the extractive one flagged when the input is too short for a model
    or the model's output is empty or longer than its input."""
    summarizer = summarizer or load_summarizer(cfg.model)  # a missing model fails for every article alike
    cands = candidates(doc)
    if len(cands) < SHORT_INPUT:
        return extractive_summary(doc, cfg)
    summary = summarizer.summarize(doc, cfg)
    if not summary.sentences:
        return extractive_summary(doc, cfg, ("empty_model_output",))
    if sum(_words(s.text) for s in summary.sentences) >= sum(_words(s.text) for s in cands):
        return extractive_summary(doc, cfg, ("summary_longer_than_input",))
    return summary


# -- cross-lingual ------------------------------------------------------------------------------
def translate_summary(summary: Summary, doc: Document, engine: TranslationEngine) -> Summary:
    """The summary in ``engine.tgt``: same sources and scores; an extractive sentence reuses its
    source sentence's translation when the document was translated to that language."""
    reuse = {s.sources[0]: doc.translations[s.sources[0]] for s in summary.sentences
             if summary.method == "extractive" and doc.tgt_lang == engine.tgt and s.sources
             and s.sources[0] in doc.translations}
    todo = [s.text for s in summary.sentences if not (s.sources and s.sources[0] in reuse)]
    fresh = iter(engine.translate_texts(todo) if todo else [])
    sents, models = [], []
    for s in summary.sentences:
        tr = reuse[s.sources[0]] if s.sources and s.sources[0] in reuse else next(fresh)
        models.append(tr.model)
        sents.append(SummarySentence(tr.text, list(s.sources), s.score, list(s.flags) + list(tr.flags)))
    mt = ", ".join(dict.fromkeys(m for m in models if m))
    model = f"{summary.model} + {mt}" if mt else summary.model
    return Summary(engine.tgt, summary.method, model, sents, source_lang=summary.lang, flags=list(summary.flags))


# -- public API ---------------------------------------------------------------------------------
def summarize_document(doc: Document, cfg: SummarizeConfig, engine: TranslationEngine | None = None) -> Document:
    """Append the summary in the article's language to ``doc.summaries``, and its translation into
    ``engine.tgt`` when an engine is given and ``cfg.translate``; returns ``doc``. Sentences are
    segmented first if the document has none."""
    if not any(True for _ in doc.sentences()):
        from .segment import segment_document

        segment_document(doc)
    summary = abstractive_summary(doc, cfg) if cfg.method == "abstractive" else extractive_summary(doc, cfg)
    doc.summaries.append(summary)
    if engine is not None and cfg.translate and engine.tgt != doc.lang:
        doc.summaries.append(translate_summary(summary, doc, engine))
    return doc


def _config(overrides: dict) -> SummarizeConfig:
    known = {f.name for f in dataclasses.fields(SummarizeConfig)}
    unknown = set(overrides) - known
    if unknown:
        raise ConfigError(f"unknown summarize option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    from .config import validate

    cfg = PipelineConfig(summarize=SummarizeConfig(**overrides))
    validate(cfg)
    return cfg.summarize


def summarize_text(text: str, lang: str = "en", to: str = "", **cfg_overrides) -> Summary:
    """Summarize one article given as plain text (``SummarizeConfig`` fields as keywords, e.g.
    ``sentences=2``, ``method="abstractive", model="path/to/bart"``). With ``to``, the summary is
    returned in that language (translated with the default engine for the pair)."""
    from .segment import segment_text

    cfg = _config(cfg_overrides)
    engine = None
    if to and to != lang:
        from .translate.engine import shared_engine

        engine, cfg = shared_engine(lang, to), dataclasses.replace(cfg, translate=True)
    doc = summarize_document(segment_text(text, lang), cfg, engine)
    return doc.summaries[-1]


def summarize_paths(inputs: list[str], cfg: PipelineConfig, lang: str = "en", to: str = "") -> Iterator[Document | InputError]:
    """Read, segment and summarize every article of ``inputs`` (files, dirs, globs, JSONL, "-"),
    with a progress bar on a terminal; ``to`` adds a summary translated into that language. A bad
    input (file or JSONL line) is yielded as its InputError and the rest goes on."""
    from .progress import progress
    from .readers import detect_format, expand_inputs, iter_path
    from .segment import segment_document

    paths = expand_inputs(inputs)
    engine = None
    if to and to != lang:
        from .translate.engine import load_engine

        engine = load_engine(lang, to, cfg.translate)
    streams = cfg.input.format == "jsonl" or any(detect_format(p) == "jsonl" or str(p) == "-" for p in paths)
    with progress("summarizing", total=None if streams else len(paths)) as bar:  # one article per file
        for path in paths:
            for doc in iter_path(path, lang=lang, cfg=cfg.input):
                yield doc if isinstance(doc, InputError) else summarize_document(segment_document(doc), cfg.summarize, engine)
                bar.advance(1)
