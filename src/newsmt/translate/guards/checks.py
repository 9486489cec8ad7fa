"""Flag names and the cheap checks the engine raises them with (no model involved)."""
from __future__ import annotations

import re
from collections import Counter

# ---- flags: the names a Translation carries ----------------------------------------------------
REPETITION = "repetition"
WRONG_LANGUAGE = "wrong_language"
LENGTH_RATIO = "length_ratio"
NUMBER_MISMATCH = "number_mismatch"
URL_LOST = "url_lost"
SPLIT = "split"
LOW_QUALITY = "low_quality"
QUOTE_MISMATCH = "quote_mismatch"  # quotes/brackets balanced in the source but not in the target

# ---- cheap checks --------------------------------------------------------------------------------
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "kk", "ky", "tt", "ba", "bg", "mk", "sr", "mn", "tg"})
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"\w+")


def wrong_script(text: str, lang: str, min_letters: int = 12) -> bool:
    """True when most letters of ``text`` are not in the script ``lang`` is written in."""
    if text.isascii() and lang not in _CYRILLIC_LANGS:
        return False
    letters = len(_LETTER.findall(text))
    if letters < min_letters:
        return False
    script = _CYRILLIC if lang in _CYRILLIC_LANGS else _LATIN if lang not in {"zh", "ja", "ko", "ar", "he", "el", "hi", "th"} else None
    if script is None:
        return False
    return len(script.findall(text)) * 2 < letters


def is_copy(source: str, target: str, min_words: int = 6) -> bool:
    """The model returned the source untranslated (a long sentence, identical)."""
    return source.count(" ") + 1 >= min_words and source.casefold() == target.casefold()


def is_repetitive(target: str, source: str) -> bool:
    """A decoding loop: a 1-4-gram repeated back to back (4x a word, 3x longer n-grams), or a 3-gram
    3+ times, beyond what the source does."""
    words = _WORD.findall(target.lower())
    if len(words) < 6 or max(Counter(words).values()) < 3:
        return False
    src_words = _WORD.findall(source.lower())
    for n, need in ((1, 4), (2, 3), (3, 3), (4, 3)):
        if _repeats(words, n) >= need > _repeats(src_words, n):
            return True
    tri = Counter(zip(words, words[1:], words[2:]))
    count = max(tri.values(), default=0)
    if count >= 3:
        src_tri = Counter(zip(src_words, src_words[1:], src_words[2:]))
        return count > max(src_tri.values(), default=0) + 1
    return False


def _repeats(words: list[str], n: int) -> int:
    """How many times an n-gram occurs back to back at most (1 when never repeated)."""
    best = run = 0
    for a, b in zip(words, words[n:]):
        run = run + 1 if a == b else 0
        best = max(best, run)
    return 1 + best // n


def length_ratio_ok(source: str, target: str, low: float = 0.45, high: float = 2.2, min_chars: int = 25) -> bool:
    """Whether len(target)/len(source) is plausible (short sources are not judged)."""
    if len(source) < min_chars:
        return bool(target.strip()) or not source.strip()
    return low <= len(target) / len(source) <= high
