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

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import LanguageError
from ..languages import Language, resolve

CHARS_PER_WORD = 2  # letters per word where words are not spaced (a Chinese word averages about two)
SPACED_NGRAM, UNSPACED_NGRAM = 4, 2
_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Measure:
    """Length and n-gram settings of one language (see the module docstring)."""

    spaced: bool
    ngram: int
    stopwords: re.Pattern | None  # whole words (spaced) or substrings (unspaced) to blank out

    def words(self, text: str) -> int:
        """Length in words: counted where spaced, letters / CHARS_PER_WORD elsewhere."""
        if self.spaced:
            return len(_WORD.findall(text))
        return math.ceil(sum(map(len, _LETTERS.findall(text))) / CHARS_PER_WORD)

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
        longer = "|".join(re.escape(w) for w in words if len(w) > 1)
        single = "".join(re.escape(w) for w in words if len(w) == 1)
        alternatives = "|".join(filter(None, (longer, f"[{single}]" if single else "")))  # a class is faster
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)" if spaced else f"(?:{alternatives})", re.IGNORECASE)
    return Measure(spaced, SPACED_NGRAM if spaced else UNSPACED_NGRAM, pattern)
