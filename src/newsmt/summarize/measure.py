"""How the summarizer measures text in one language: sentence length in words, and the text its
character n-gram similarity sees.

A spaced script (``Language.spaced``: Latin, Cyrillic, Arabic, Devanagari, ...) counts words and
compares character 4-grams inside words; a script without spaces between words (Chinese,
Japanese, Thai, Khmer, ...) counts one word per ``CHARS_PER_WORD`` letters and compares character
bigrams, the usual unit of Chinese and Japanese retrieval. Stopwords come from the language pack's
``stopwords`` section (``words = [...]``): they are blanked out before n-grams are taken, so that
function words (的, 了, の, は) do not make unrelated sentences look alike; a pack without the
section is measured without.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import LanguageError
from ..languages import Language, resolve

CHARS_PER_WORD = 2  # letters per word where words are not spaced (a Chinese word averages about two)
SPACED_NGRAM, UNSPACED_NGRAM = 4, 2
_WORD = re.compile(r"\w+")
OTHER, LETTER = 0, 1  # ``char_classes`` of regex [\W_] and [^\W\d_] (2: a digit, \d)


def _class(c: str) -> int:
    """``OTHER``, ``LETTER`` or 2 (a digit) for one character (``str.isalnum``, ``str.isdecimal``)."""
    return c.isalnum() + c.isdecimal()


@lru_cache(maxsize=1)
def _bmp_classes() -> np.ndarray:
    """``char_classes`` of the Basic Multilingual Plane (built on first use, in milliseconds)."""
    return np.array([_class(c) for c in map(chr, range(0x10000))], dtype=np.uint8)


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (uint32; lone surrogates as they are)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def char_classes(codes: np.ndarray) -> np.ndarray:
    """``_class`` of each code point, as regex ``\\w`` and ``\\d`` see it: a table for the Basic
    Multilingual Plane, the rest one by one."""
    out = _bmp_classes().take(codes, mode="clip")  # beyond the plane: U+FFFF's class, until set right
    if codes.max(initial=0) > 0xFFFF:
        astral = np.flatnonzero(codes > 0xFFFF)
        out[astral] = [_class(c) for c in map(chr, codes[astral].tolist())]
    return out


@dataclass(frozen=True)
class Measure:
    """Length and n-gram settings of one language (see the module docstring)."""

    spaced: bool
    ngram: int
    stopwords: re.Pattern | None  # whole words (spaced) or substrings (unspaced) to blank out

    def words(self, text: str) -> int:
        """Length in words: counted where spaced, letters / CHARS_PER_WORD (rounded up) elsewhere."""
        return int(self.lengths([text])[0])

    def lengths(self, texts: list[str]) -> np.ndarray:
        """``words`` of each text."""
        if self.spaced:
            return np.array([len(_WORD.findall(t)) for t in texts])
        letters = char_classes(code_points("".join(texts))) == LETTER
        rows = np.repeat(np.arange(len(texts)), [len(t) for t in texts])  # the text of each character
        return -(-np.bincount(rows[letters], minlength=len(texts)) // CHARS_PER_WORD)

    def content(self, text: str) -> str:
        """``text`` with its stopwords blanked out (for n-grams only)."""
        return text if self.stopwords is None else self.stopwords.sub(" ", text)


SPACED = Measure(True, SPACED_NGRAM, None)  # the measure where no language is known


def measure_for(lang: Language | str) -> Measure:
    """The measure of a language (its pack's stopwords, its script's spacing); ``SPACED`` for a
    document whose language is not known."""
    try:
        lang = resolve(lang)
    except LanguageError:
        return SPACED
    return _measure(lang.pack, lang.spaced)


@lru_cache(maxsize=None)
def _measure(pack: str, spaced: bool) -> Measure:
    from ..languages.packs import read_section

    words = sorted((read_section(pack, "stopwords") or {}).get("words", []), key=len, reverse=True)
    pattern = None
    if words:
        alternatives = _alternatives(words)
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)" if spaced else f"(?:{alternatives})", re.IGNORECASE)
    return Measure(spaced, SPACED_NGRAM if spaced else UNSPACED_NGRAM, pattern)


def _alternatives(words: list[str]) -> str:
    """Stopwords (longest first) as a regex alternation that matches the longest one. Where no
    letter has case, they are grouped by first letter (``の(?:で|に|)``): each letter matches only
    itself, so the matches are the same, and the regex engine tries one group, not every word."""
    if all(c.lower() == c == c.upper() for w in words for c in w):
        tails: dict[str, list[str]] = {}
        for w in filter(None, words):
            tails.setdefault(w[0], []).append(re.escape(w[1:]))
        return "|".join(re.escape(c) + (f"(?:{'|'.join(t)})" if t != [""] else "") for c, t in tails.items())
    longer = "|".join(re.escape(w) for w in words if len(w) > 1)
    single = "".join(re.escape(w) for w in words if len(w) == 1)
    return "|".join(filter(None, (longer, f"[{single}]" if single else "")))  # a class is faster
