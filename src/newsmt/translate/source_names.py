"""Which words of a source text are names: what the meaning checks (``meaning``) look for in a
translation. A name is a capitalized word not at a sentence's start (not a stopword, a short
acronym, a title, a month or weekday); also an acronym or a sentence's first word that the target
pack lists (``FBI`` = ``ФБР``, ``France``) and a sentence's first word before another name
(``North Korea says``); each capitalized part of a hyphenated name (``KwaZulu-Natal``). Headlines in
title case and quoted titles mark no names with capitals.
Every word list comes from the source language's pack (``names``, ``dates``, ``segment``)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..languages import Language
from .letters import fold
from .lexicon import Lexicon
from .names import Exonyms, stands_alone

WORD = re.compile(r"[A-Z](?:\.[A-Z])+(?![^\W\d_])|[^\W\d_]+(?:['’-][^\W\d_]+)*")  # "U.S" is one word
POSSESSIVE = re.compile(r"['’]s?$")
_START = re.compile(r"(?:^|[.!?:;\"“”«(\[]\s*|(?:^|\s)['‘]|\s[-–—]\s|\n\s*)$")  # a sentence's or a quotation's start
_ABBREVIATION = re.compile(r"\.\s+[A-Z\d]")  # "Capt. Larry", "Sept. 12": a title or abbreviation, translated
_QUOTED = re.compile(r'"[^"]{3,120}"|“[^”]{3,120}”|«[^»]{3,120}»')
_PRONOUN = re.compile(r"^I['’]|n['’]t$|['’](?:re|ve|ll|d|m)$", re.IGNORECASE)  # "I'm", "Didn't": no names
_PART = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NEXT_WORD = re.compile(r" ([^\W\d_]+(?:['’-][^\W\d_]+)*)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)['’]?s? $")


def source_words(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """``WORD`` matches of ``text``, each with the token it is part of: a hyphenated name is cut into
    its capitalized parts (``Mills-Hicks``, ``KwaZulu-Natal``: each part is looked for, and found
    where the whole is), parts of three letters or more (not ``Super-G``, ``Kai-Fu``)."""
    for m in WORD.finditer(text):
        token = m.group()
        parts = token.split("-")
        if len(parts) > 1 and all(p[:1].isupper() and len(p) >= 3 for p in parts):
            yield from ((part, token) for part in _PART.finditer(text, m.start(), m.end()))
        else:
            yield m, token


def folded(words: str | list[str]) -> frozenset[str]:
    """A pack's word list (a list, or one string of words) as a set of folded words."""
    return frozenset(fold(w) for w in (words.split() if isinstance(words, str) else words))


def title_case(text: str, least: int = 3) -> bool:
    """A headline in title case (``Killer Pig Mauls Farmer to Death``): every longer word (``least``
    of them or more, after the first) capitalized."""
    words = [w for w in WORD.findall(text)[1:] if len(w) >= 4]
    return len(words) >= least and all(w[:1].isupper() for w in words)


def bare(word: str) -> str:
    """A source word without its possessive and, for a dotted acronym, its dots (``U.S`` -> ``US``)."""
    return POSSESSIVE.sub("", word).replace(".", "")


def quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans of quoted titles: a quotation of three words or more, each longer one capitalized."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text) if title_case(m.group()[1:-1], 2)]


class NameReader:
    """The names of texts in ``lang``, with the target pack's ``exonyms`` (see the module docstring)."""

    def __init__(self, lang: Language, exonyms: Exonyms, vocabulary: Lexicon | None = None) -> None:
        names = lang.section("names") or {}
        self.exonyms, self._vocabulary = exonyms, vocabulary
        self.stopwords = folded(names.get("stopwords", ""))
        self.links = folded(names.get("name_links", []))  # inside a longer name: "Game of Thrones"
        self._titles = folded(names.get("titles", []))
        self._before_names = folded((lang.section("segment") or {}).get("nonbreaking", []))  # "Mrs." "Sen."
        dates = lang.section("dates") or {}
        self.date_names = folded([w for group in (*dates.get("months", []), *dates.get("weekdays", [])) for w in group]
                                  + list(dates.get("abbreviations", {})))

    def names_in(self, sources: list[str]) -> frozenset[str]:
        """Folded words that ``sources`` write as names mid-sentence, never in lower case: names also
        where they start a sentence (``Sainsbury's said``; not ``Foster care`` beside ``foster``)."""
        named, lower = set(), set()
        for text in sources:
            headline = title_case(text)  # capitals mark no names there
            for m, _ in source_words(text):
                word = bare(m.group())
                if word.islower():
                    lower.add(fold(word))
                elif not headline and self.is_name(word, text, m.start()):
                    named.add(fold(word))
        return frozenset(named - lower)

    def is_name(self, word: str, text: str, start: int) -> bool:
        """A proper name a translation carries over: capitalized, not at a sentence start, not a
        short acronym (``UN``, ``ISIS``, ``MPs`` are translated; ``ZMapp`` is a name), not a short
        abbreviation (``Capt.``), not ``I'm`` or ``Didn't``, not a word in capitals (``COUNTING``),
        not a month or weekday (``Oct``)."""
        if not word[:1].isupper() or (self.starts(text, start) and not self._after_title(text, start)) \
                or "-" in word or _PRONOUN.search(word) or (word.isupper() and len(word) > 5) or fold(word) in self.date_names:
            return False  # a word in capitals is shouted; months and weekdays are checked by value
        if len(word) <= 5 and (_ABBREVIATION.match(text, start + len(word)) or word.lower() in self._titles):
            return False
        # a short acronym: two capitals in five letters or fewer, never two lower-case letters in a row
        acronym = len(word) <= 5 and sum(c.isupper() for c in word) >= 2 \
            and not any(a.islower() and b.islower() for a, b in zip(word, word[1:]))
        return len(word) > 2 and not acronym

    def judged(self, word: str, key: str) -> bool:
        """A source word looked for: three letters or more and no stopword, or an acronym listed (``UN``)."""
        return (len(word) >= 3 and key not in self.stopwords) or self._listed_acronym(word, key)

    def _listed_acronym(self, word: str, key: str) -> bool:
        return word.isupper() and key in self.exonyms.listed

    def source_name(self, word: str, key: str, text: str, start: int, end: int) -> bool:
        """``is_name``, an acronym the target pack lists (``FBI`` = ``ФБР``, ``U.S`` = ``EUA``), a
        sentence's first word whose target form the pack has (an exonym: ``France``, standing alone)
        and one before another name (``_opens_name``)."""
        if self.is_name(word, text, start) or self._listed_acronym(word, key) or self._opens_name(word, key, text, start, end):
            return True
        return word.isalpha() and word[:1].isupper() and word[1:].islower() and key not in self.stopwords \
            and (key in self.exonyms.listed or (key in self.exonyms.whole and stands_alone(text, start, end, self.links)))

    def _opens_name(self, word: str, key: str, text: str, start: int, end: int) -> bool:
        """Whether ``word``, a sentence's first, opens a longer name: a name follows it (``North
        Korea says``, ``Jim Furyk's side``; not ``Meanwhile Trump``, ``Sir William``)."""
        return self.starts(text, start) and bool(self.name_after(word, key, text, start, end))

    def name_after(self, word: str, key: str, text: str, start: int, end: int) -> str:
        """The name that ``word`` opens (``Furyk`` after ``Jim``; no capitalized word before it), else ""."""
        after, before = _NEXT_WORD.match(text, end), _WORD_BEFORE.search(text[max(0, start - 30):start])
        if after is None or not (word.isalpha() and word.istitle()) or (before and before.group(1)[:1].isupper()) \
                or key in self.stopwords or key in self.date_names or key in self._titles:
            return ""
        name = bare(after.group(1))
        return name if self.is_name(name, text, end + 1) and not self._a_word(name) else ""

    def _a_word(self, word: str) -> bool:
        """Whether the vocabulary knows ``word`` in lower case (``Prime``, ``Crocodiles``; not ``Furyk``)."""
        return self._vocabulary is not None and self._vocabulary.known_source(word.lower())

    @staticmethod
    def starts(text: str, start: int) -> bool:
        """Whether a sentence or a quotation starts at ``start``."""
        return _START.search(text[max(0, start - 4):start]) is not None

    def _after_title(self, text: str, start: int) -> bool:
        """Whether the word at ``start`` follows a title and its period (``Mrs. Kirchner``)."""
        before = re.search(r"([^\W\d_]+)\.\s+$", text[max(0, start - 12):start])
        return before is not None and fold(before.group(1)) in self._before_names
