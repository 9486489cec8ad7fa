"""Flag names and the cheap checks the engine raises them with (no model involved).

Every flag a Translation (or a scored pair) can carry, what raises it, and what is in its evidence
(``evidence``: flag -> items). How often each is raised on human translations, how many errors put
in it catches and its precision are measured by ``scripts/eval_quality.py`` on a tuning and a
reporting part of public sets (docs/TRUST.md has the figures and which part is which).

| flag | raised when | evidence |
|---|---|---|
| ``number_mismatch`` | a number, clock time (by minute of the day), date, month, weekday, decade, ordinal, unit or currency of the source has no counterpart of that value in the translation (read in the target pack's words: ``5 тыс.``, ``5 декабря``, ``в 22 часа``; an amount whose currency the translation names nowhere: ``€12.50`` -> ``12.50``; an amount in another scale: ``$8 billion`` -> ``8 milhões``), and no wrong form of it could be rewritten; or (scoring) a number lost the source's minus sign or gained one (``−5 °C`` -> ``5 °C``) where the other text says nothing negative in words (the pack's ``numbers.negative``: ``abaixo de zero``, ``мороза``) | the source tokens (``10:16 pm``, ``2010s``, ``third``, ``30 miles``); when scoring, also ``wrong -> right`` forms (``5 -> -5``) |
| ``omission`` (engine) | the translation has no letter where the source has words (``Yes.`` -> ``.``, nothing) | ``all of it`` |
| ``url_lost`` | a URL, e-mail, @handle, #hashtag or HTML tag of the source is not in the translation as a whole token and its broken form could not be found | the items |
| ``symbol_lost`` | (scoring) a symbol of the source (emoji, ``± < > ≤ ≥ ≈ × → ‰ © ® ™ †``...) is in the translation neither as itself nor as the target pack's words for it; the engine never loses one (it keeps them out of the model's input and writes them back) | the symbols |
| ``variant`` | the target tag has a region (``pt-BR``, ``pt-PT``, ``en-US``, ``en-GB``) and the translation has the other variant's forms (the pack's ``variants`` table); the engine rewrites them (information), the scorer reports them | ``Moscovo -> Moscou`` |
| ``repetition`` | a 1-4-gram of words or marks repeated back to back (``, , , ,``), or a word trigram 3+ times, beyond the source | - |
| ``length_ratio`` | translation length / source length outside 0.45-2.2 times the pair's usual ratio (sources of 25+ characters) | the lengths |
| ``wrong_language`` | the translation is in another script than the target language's, or a sentence of 6+ words came back verbatim, or (with the score) the language identifier says source language, both for the whole translation and for its words without names and quoted titles | - |
| ``quote_mismatch`` | quotes or brackets balanced in the source are not in the translation and could not be put back | - |
| ``repaired`` | the model wrote another value than the source's (a clock time 12 hours off, a decade as a year, another month or weekday, a number without its minus sign) and it was rewritten: the translation is right now, the model was wrong (information, for reviewers) | ``wrong -> right`` as the model wrote it |
| ``split`` | the sentence was longer than the model's input and translated in parts (information, not an error) | - |
| ``low_quality`` | (with the score) the quality score is below the threshold (0.5): round-trip chrF (where it finds little, the better of it and the embedding similarity of the source and the back-translation; with no model back, embedding similarity) x language x length x repetition | - |
| ``omission`` | (with the score) a name of the source is in the translation in no form: not carried over, not translated (lexicon, back-translation, the word translated alone), not transliterated (``Navalny`` = ``Навального``), not the target pack's exonym, not rendered in other words (the back-translation, else the translation, nearer in the embeddings to the source with the name than without it: ``the Vatican`` = ``Святой престол``); or a name the source repeats is there fewer times; or (with a lexicon or a round trip) under 40% of the source's content words are covered, the translation is a standard deviation shorter than expected or more, and the round trip does not read as the source; or (with no model back) the translation is closer in meaning to the source's first half than to all of it and shorter than the pair's usual length ratio. Not names: ``I'm``, ``Didn't``, titles (``Capt.``, ``Det Insp``), ordinals, months and weekdays (checked by value), words in capitals, the words of a title-case headline or of a quoted title. A word a translator translates (the source pack's ``translated``: ``Supreme``, ``North``) is judged, unless standing alone where a lexicon checks it, only by the stems the target pack gives its translation (``[name_words]``: ``North`` = ``север``, ``norte``). In doubt (a word made from a name, ``Swedish``, a word of a longer name ending so, ``Zoran``, one with a common noun's ending, ``Sterling``, or one a lexicon translates): a name where a model keeps it in the source pack's ``name_frames`` (``Rosa said.``; ``Texas``, not ``Allies``). ``newsmt score`` reads its pairs as one text: a word written as a name mid-sentence, never in lower case, is a name where a line starts with it | the names (``Gingrich (1 of 2)`` for a repeated one), ``second half``, or ``coverage 0.33`` |
| ``addition`` | (with the score) a name or a unitless number of the translation has no counterpart in the source | the names and numbers |

A check whose words a pack lacks (no ``numbers``, ``dates``, ``units`` or ``names`` section) is off
for that pair; the engine's provenance (``checks_off``) and ``PairScorer.checks_off`` say which.
``wrong_language`` and ``low_quality`` never judge a line with nothing to translate (links,
handles, hashtags, numbers, names only; ``quality.has_language``) nor one copied on purpose.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ...languages import Language

# ---- flags: the names a Translation carries ----------------------------------------------------
REPETITION = "repetition"
WRONG_LANGUAGE = "wrong_language"
LENGTH_RATIO = "length_ratio"
NUMBER_MISMATCH = "number_mismatch"
URL_LOST = "url_lost"
SPLIT = "split"
LOW_QUALITY = "low_quality"
QUOTE_MISMATCH = "quote_mismatch"  # quotes/brackets balanced in the source but not in the target
REPAIRED = "repaired"  # the model wrote another value (time, decade, month, weekday); newsmt rewrote it
SYMBOL_LOST = "symbol_lost"  # a symbol of the source (emoji, ±, ≥, ©, ‰...) is not in the translation
VARIANT = "variant"  # forms of another regional variant than the one asked for (Moscovo in pt-BR)
OMISSION = "omission"  # something of the source is not in the translation (names: meaning.py)
ADDITION = "addition"  # something of the translation is not in the source
ALL_OF_IT = "all of it"  # the omission's evidence where nothing came through (says_nothing)

# ---- cheap checks --------------------------------------------------------------------------------
# ISO 15924 script -> the first word of the Unicode names of its letters
_SCRIPT_NAMES = {"Latn": ("LATIN",), "Cyrl": ("CYRILLIC",), "Grek": ("GREEK",), "Arab": ("ARABIC",),
                 "Hebr": ("HEBREW",), "Deva": ("DEVANAGARI",), "Beng": ("BENGALI",), "Gujr": ("GUJARATI",),
                 "Taml": ("TAMIL",), "Thai": ("THAI",), "Geor": ("GEORGIAN",), "Armn": ("ARMENIAN",),
                 "Khmr": ("KHMER",), "Ethi": ("ETHIOPIC",), "Mymr": ("MYANMAR",), "Hang": ("HANGUL",),
                 "Kore": ("HANGUL", "CJK"), "Hans": ("CJK",), "Hant": ("CJK",), "Hani": ("CJK",),
                 "Jpan": ("CJK", "HIRAGANA", "KATAKANA")}
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+|([^\w\s])\1*")


def wrong_script(text: str, lang: Language, min_letters: int = 12) -> bool:
    """True when most letters of ``text`` are not in the script ``lang`` is written in (languages
    whose script is not known here are not judged)."""
    names = _SCRIPT_NAMES.get(lang.script)
    if names is None or (text.isascii() and names == ("LATIN",)):
        return False
    letters = _LETTER.findall(text)
    if len(letters) < min_letters:
        return False
    inside = sum(n for c, n in Counter(letters).items() if unicodedata.name(c, "").startswith(names))
    return inside * 2 < len(letters)


def says_nothing(source: str, target: str, spans: list[tuple[int, int]]) -> bool:
    """Whether ``target`` has no letter where ``source`` has words outside its protected ``spans``
    (links and handles are ``url_lost``'s): none of the text came through (``Yes.`` -> ``.``, nothing)."""
    return not any(c.isalpha() for c in target) and \
        any(c.isalpha() for i, c in enumerate(source) if not any(a <= i < b for a, b in spans))


def is_copy(source: str, target: str, min_words: int = 6) -> bool:
    """The model returned the source untranslated (a long sentence, identical)."""
    return source.count(" ") + 1 >= min_words and source.casefold() == target.casefold()


def is_repetitive(target: str, source: str) -> bool:
    """A decoding loop: a 1-4-gram of words or punctuation marks repeated back to back (4x a
    token, 3x longer n-grams: ``, , , ,``, ``o gato o gato o gato``), or a word 3-gram 3+ times,
    beyond what the source does. A run of one mark (``...``, ``!!!``) is one token."""
    toks = [m.group() for m in _TOKEN.finditer(target.lower())]
    if len(toks) < 4 or max(Counter(toks).values()) < 3:
        return False
    src_toks = [m.group() for m in _TOKEN.finditer(source.lower())]
    for n, need in ((1, 4), (2, 3), (3, 3), (4, 3)):
        if _repeats(toks, n) >= need > _repeats(src_toks, n):
            return True
    words = _WORD.findall(target.lower())
    tri = Counter(zip(words, words[1:], words[2:]))
    count = max(tri.values(), default=0)
    if count >= 3:
        src_words = _WORD.findall(source.lower())
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


def length_ratio_ok(source: str, target: str, src: Language, tgt: Language, low: float = 0.45, high: float = 2.2,
                    min_chars: int = 25) -> bool:
    """Whether len(target)/len(source) is plausible: between ``low`` and ``high`` times the pair's
    usual ratio (``Language.length_vs_english``: Chinese writes a third of English's characters);
    short sources are not judged."""
    if len(source) < min_chars:
        return bool(target.strip()) or not source.strip()
    expected = tgt.length_vs_english()[0] / src.length_vs_english()[0]
    return low * expected <= len(target) / len(source) <= high * expected
