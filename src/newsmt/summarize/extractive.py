"""Extractive summaries: character n-gram TF-IDF, LexRank-style degree centrality, a news lead
prior and MMR selection. Output sentences are source sentences, so attribution is exact.

Sentences are ranked by degree centrality over character n-gram TF-IDF (4-grams inside words;
bigrams where words are not spaced, as in Chinese and Japanese; stopwords of the language pack left
out: see ``measure``; inflected forms share n-grams, so Russian needs no stemmer), times a lead
prior and a mild preference for concise sentences, then picked by MMR against redundancy. Only
sentences of body paragraphs are candidates: titles, headings, captions, code, URLs and table
cells never are.
"""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np

from ..config import SummarizeConfig
from ..document import Document, Sentence, Summary, SummarySentence
from ..segment import GENERIC_FLAG
from .measure import OTHER, SPACED, Measure, char_classes, code_points, measure_for

EXTRACTIVE_MODEL = "lexrank-char4"  # recorded as Summary.model of extractive summaries
# paragraphs whose sentences are never summary sentences: a headline restates the article, and
# captions, photo credits, code, bare URLs and table cells (web page furniture) are not prose
SKIPPED_KINDS = frozenset({"title", "heading", "caption", "code", "url", "table_cell"})
SHORT_INPUT = 3  # fewer candidate sentences than this: the input is returned as its own summary

# extractive ranking; chosen on CNN/DM halves (see scripts/eval_summarize.py), round values
NGRAM = 4
LEAD_DECAY = 6.0  # position prior exp(-i / LEAD_DECAY), i = 0-based sentence position
LENGTH_EXPONENT = -0.4  # (words / mean words) ** LENGTH_EXPONENT: concise sentences preferred
MMR_LAMBDA = 0.6  # relevance weight; 1 - MMR_LAMBDA weighs similarity to sentences already picked
FRAGMENT_WORDS = 6  # fewer words (or no final punctuation): a fragment, picked only as a last resort

WORD = re.compile(r"\w+")
_TERMINAL = re.compile(r"[.!…:;)\]\"'»”’。！」』）۔।॥។៕]\s*$")  # not "?": a question is a teaser
_HASH_BASE = np.uint64(1_000_003)


# -- character n-gram TF-IDF, sparse, numpy only ------------------------------------------------
def ngram_hashes(texts: list[str], n: int = NGRAM) -> tuple[np.ndarray, np.ndarray]:
    """(row, hash) of every within-word character n-gram, in text order; words are lowercased runs
    of letters and digits padded by a space, so "cat" gives " cat" and "cat " (bigrams: only those
    of two letters)."""
    lowered = [t.lower() for t in texts]
    codes = code_points(f" {' '.join(lowered)} ")
    count = len(codes) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    space = char_classes(codes) == OTHER  # every other character separates words, as one space would
    codes = np.where(space, 32, codes).astype(np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    for k in range(n):  # polynomial hash, wrapping mod 2**64
        hashes = hashes * _HASH_BASE + codes[k:k + count]
    inner = range(1, n - 1) if n > 2 else range(n)
    inside = ~np.logical_or.reduce([space[k:k + count] for k in inner])  # no word gap inside
    pos = np.flatnonzero(inside)
    # the text of each character (a text's leading space included), looked up at an n-gram's first letter
    row_of = np.repeat(np.arange(len(texts)), [len(t) + 1 for t in lowered])
    return row_of[pos + inner[0]], hashes[pos]


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
    def build(cls, texts: list[str], measure: Measure = SPACED) -> NgramVectors:
        rows, hashes = ngram_hashes([measure.content(t) for t in texts], measure.ngram)
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
    """Sentences a summary may use, in document order: all but those of ``SKIPPED_KINDS``
    paragraphs (titles, headings, captions, code, URLs, table cells)."""
    return [s for p in doc.paragraphs if p.kind not in SKIPPED_KINDS for s in p.sentences]


def _budget(cfg: SummarizeConfig, m: int) -> tuple[int, int]:
    """(max sentences, max words; 0 = no word limit): ``words`` first, then ``ratio`` (a share of
    the sentences), then ``sentences``."""
    if cfg.words:
        return m, cfg.words
    if cfg.ratio:
        return max(1, round(cfg.ratio * m)), 0
    return max(1, cfg.sentences), 0


def make_summary(doc: Document, method: str, model: str, sentences: list[SummarySentence],
                 flags: list[str]) -> Summary:
    """A summary in the article's own language; an article split by the generic rules (no
    language pack of its own) passes its ``generic_rules`` flag on to the summary."""
    if GENERIC_FLAG in doc.meta.get("flags", ()):
        flags = [*flags, GENERIC_FLAG]
    return Summary(doc.lang, method, model, sentences, source_lang=doc.lang, flags=flags)


# -- ranking and selection ----------------------------------------------------------------------
def fragments(doc: Document, sentences: list[Sentence], words: np.ndarray) -> np.ndarray:
    """True for fragments: short, unpunctuated or question sentences (credits, datelines, teasers),
    and every sentence of a caption: a paragraph of at most three sentences ending in an
    unpunctuated line (a credit such as "Vladimir Gerdo / TASS"). ``words``: each sentence's length
    in words (``Measure.words``)."""
    frag = {s.id for s, n in zip(sentences, words) if n < FRAGMENT_WORDS or not _TERMINAL.search(s.text)}
    for p in doc.paragraphs:
        if 1 < len(p.sentences) <= 3 and not _TERMINAL.search(p.sentences[-1].text):
            frag.update(s.id for s in p.sentences)
    return np.array([s.id in frag for s in sentences], dtype=bool)


def rank_scores(vectors: NgramVectors, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(normalized centrality, selection score) per sentence, sentences in document order;
    ``words``: the length of each sentence in words."""
    m = len(words)
    cent = vectors.centrality()
    cent = cent / cent.max() if cent.max() > 0 else np.ones(m)
    words = np.maximum(words, 1).astype(float)
    score = np.maximum(cent, 1e-6) * np.exp(-np.arange(m) / LEAD_DECAY) * (words / words.mean()) ** LENGTH_EXPONENT
    return cent, score / score.max()


def select(texts: list[str], words: np.ndarray, max_sentences: int, max_words: int = 0,
           last_resort: np.ndarray | None = None, measure: Measure = SPACED) -> tuple[list[int], np.ndarray]:
    """Indices picked by MMR (returned in document order) and the centrality of every sentence;
    ``words``: the length of each text in words (``measure.words``); ``last_resort`` sentences are
    picked only once all others are."""
    vectors = NgramVectors.build(texts, measure)
    cent, score = rank_scores(vectors, words)
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
        if len(picked) < max_sentences:  # the next pick weighs it
            redundancy = np.maximum(redundancy, vectors.dot(vectors.row(i)))
    return sorted(picked), cent


def extractive_summary(doc: Document, cfg: SummarizeConfig, flags: tuple[str, ...] = ()) -> Summary:
    """Source sentences chosen by lead-biased centrality and MMR; each is its own source."""
    cands = candidates(doc)
    flags = list(flags)
    if not cands:
        return make_summary(doc, "extractive", EXTRACTIVE_MODEL, [], flags + ["empty_input"])
    max_sentences, max_words = _budget(cfg, len(cands))
    if len(cands) < SHORT_INPUT:
        max_sentences, max_words, flags = len(cands), 0, flags + ["short_input"]
    measure = measure_for(doc.lang)
    words = measure.lengths([s.text for s in cands])
    picked, cent = select([s.text for s in cands], words, max_sentences, max_words, fragments(doc, cands, words),
                          measure)
    if len(picked) == len(cands) and "short_input" not in flags:
        flags.append("whole_input")
    if max_words and words[picked].sum() > max_words:
        flags.append("over_length")  # not even one sentence fits the word budget
    sents = [SummarySentence(cands[i].text, [cands[i].id], round(float(cent[i]), 4)) for i in picked]
    return make_summary(doc, "extractive", EXTRACTIVE_MODEL, sents, flags)
