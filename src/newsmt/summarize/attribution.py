"""Attribution of generated summary sentences to the source sentences they rest on.

Each generated sentence is linked to the source sentences that cover its character n-grams
(IDF-weighted greedy coverage); numbers and names found nowhere in the article are flagged.
"""
from __future__ import annotations

import bisect
import math
import re

import numpy as np

from ..document import Document, Sentence, SummarySentence
from .extractive import WORD, NgramVectors, ngram_hashes
from .measure import measure_for

MAX_SOURCES = 3
MIN_GAIN = 0.15  # a source must add this share of the sentence's n-gram weight to be listed
SUPPORTED = 0.5  # below this total coverage a sentence is flagged "weakly_supported"

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")


def _numbers(text: str) -> set[str]:
    return {re.sub(r"\D", "", n) for n in _NUMBER.findall(text)}


class Attributor:
    """Links generated sentences to the source sentences that cover their character n-grams
    (IDF-weighted greedy coverage) and flags numbers and names the article does not contain."""

    def __init__(self, doc: Document, sources: list[Sentence]) -> None:
        self.sources = sources
        self.measure = measure_for(doc.lang)
        self.vectors = NgramVectors.build([s.text for s in sources], self.measure)
        self.numbers = _numbers(doc.text)
        self.words = sorted({w.lower() for w in WORD.findall(doc.text)})

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
        names = [w for w in WORD.findall(text)[1:] if w[0].isupper() and not w[0].isdigit()]
        if any(not self._known_word(w) for w in names):
            out.append("unsupported_entity")
        return out

    def attribute(self, text: str, allowed: list[Sentence] | None = None) -> SummarySentence:
        """``text`` with its supporting sources (best first, among ``allowed``), coverage and flags."""
        vec = self.vectors
        hashes = np.unique(ngram_hashes([self.measure.content(text)], self.measure.ngram)[1])
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
