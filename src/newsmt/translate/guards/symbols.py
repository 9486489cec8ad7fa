"""Symbols as protected values: emoji, ``± < > ≤ ≥ ≈ × → ‰ © ® ™ † §`` and the like (every
mathematical sign but ``+ = ~ |`` and the minus sign of a number).

Small models lose them or write something else (``😀😀`` -> ``-``, ``3 ± 0.5`` -> ``3 a 0,5``,
``±2`` -> ``R$ 2``), so the model never reads them: ``lift_symbols`` takes every run of symbols out
of a sentence and notes what it is attached to, ``place_symbols`` writes each run back into the
translation at its anchor: before or after the same number (matched by its digits), after or before
the same word where the translation carries it over (``Apple™``), at the start or the end, else at
the same relative place between two words. A run between two words with no space (``3×2``,
``4×100m``) leaves a space, so the model does not read ``32``, and goes back into it where the
translation keeps the two words side by side. A run of letters the model cannot read (another
script) that stands as a word inside the sentence is not lifted but read as a stand-in word
(``XLAZ``), which the model moves where the run belongs (lifted, ``The mayor of Нью-Йорк met`` came
back ``O prefeito de se Нью-Йорк reuniu``). A sentence of symbols alone is not translated.
``lost_symbols`` is the scorer's check: the symbols of a source that a translation has neither as
symbols nor as the target pack's words for them (``numbers`` section, ``[symbol_words]``).
``strip_dangling`` drops a bracket or quote the model opened at the very end (``Bye`` -> ``Bye (``), a
clause mark it ended a sentence of words with (``Hello`` -> ``Olá,``) and an empty pair of brackets
(``Breaking news`` -> ``Breaking news ()``). ``unfinished``: a translation that ends mid-phrase
(``Thanks`` -> ``Obrigado por``), which the engine translates again with a full stop; ``overlong``:
a text of a few words that came back as many more, which it translates again in quotes.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import islice

from ...languages import Language
from ..letters import standalone
from .packs import function_words
from .spans import protected_spans, stand_in_word

_MATH = frozenset("<>^")  # ASCII mathematical signs that are symbols (not + = ~ |; ^ of 10^6); every non-ASCII one is
_NUMBER_SIGNS = frozenset("\u2212\u2044")  # but the minus sign (signs.py) and the fraction slash: parts of a number
_MARKS = frozenset("‰‱†‡§¶•")
_JOINERS = frozenset("\u200d\ufe0f\ufe0e\u20e3")  # inside emoji sequences
_KEEP = frozenset("°º")  # units and ordinals: read as such by the number checks
_NUMBER = re.compile(r"\d(?:[\d.,\u00a0\u202f]*\d)?")
_WORD_END = re.compile(r"(\w+)$")
_WORD_START = re.compile(r"^(\w+)")
_PLUS = re.compile(r"(?<=\d)\+(?![\d+])")  # "1,200+", not "+351" or "2+2"
_FINAL_MARKS = re.compile(r"\W*$")
_WORDS = re.compile(r"\w+(?:['’]\w+)*")  # "don't" one word, "Lembram-se" two
_DANGLING = re.compile(r"\s*[(\[{\"“«„]\s*$")
_QUOTES_BRACKETS = frozenset("()[]{}\"'“”‘’«»„")
_CLAUSE_END = re.compile(r"\s*[,;:]\s*$")  # "Hello" -> "Olá,"
# "Breaking news" -> "Breaking news ()"; straight quotes only where they stand apart ('"a", "b"' is no empty pair)
_EMPTY_PAIR = re.compile(r"\s*(?:\(\s*\)|\[\s*\]|\{\s*\}|“\s*”|«\s*»|(?<![^\s(\[])\"\s*\"(?![^\s)\].,;:!?]))")
_NOT_GLUED = frozenset("\"'“”‘’«»„‚‹›")  # quotes: the typography guards pair them
_STOPS = ".,;:!?…"  # sentence punctuation: never glued to a run
_CLOSERS = frozenset(_STOPS + ")]}\"'»”")  # punctuation that follows a word without a space
_IN_WORD = frozenset("-'’")  # inside a word of foreign letters ("Нью-Йорк")
_ENCLOSING = frozenset({"()", "[]", '""', "“”", "«»", "„“", "‘’", "''"})


def is_symbol(ch: str) -> bool:
    """Whether ``ch`` is a protected symbol (or a part of an emoji sequence)."""
    if ch in _KEEP:
        return False
    if ch in _MATH or ch in _MARKS or ch in _JOINERS:
        return True
    cat = unicodedata.category(ch)
    return cat == "So" or (cat == "Sm" and not ch.isascii() and ch not in _NUMBER_SIGNS) \
        or (cat == "Sk" and "\U0001f3fb" <= ch <= "\U0001f3ff")


def _has_symbol(text: str) -> bool:
    return not text.isascii() and any(is_symbol(c) for c in text) or any(c in _MATH for c in text) \
        or "+" in text and _PLUS.search(text) is not None


def _symbol_at(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a symbol: ``is_symbol``, or a plus that says "or more" after a number (``1,200+``)."""
    return is_symbol(text[i]) or text[i] == "+" and _PLUS.match(text, i) is not None


@dataclass(frozen=True)
class Mark:
    """A run of symbols taken out of a sentence and where it goes back."""

    symbols: str
    anchor: str  # before_number | after_number | after_word | before_word | start | end | ratio | stand_in
    key: str = ""  # the number's digits, the word, or the stand-in word the model read in the run's place
    gap: str = ""  # the whitespace between the run and its anchor in the source
    ratio: float = 0.0  # relative place in the source (anchor "ratio")
    joined: str = ""  # "3 2": the words the run joined with no space ("3×2", "4×100m"), as the model read them


def _runs(text: str, foreign: Callable[[str], bool] | None = None) -> list[tuple[int, int]]:
    """Runs of symbols (symbols separated by spaces only are one run) and, with ``foreign``, of the
    letters it names (their marks, and a hyphen or apostrophe between two, are in the run), outside
    URLs and HTML tags."""
    spans = protected_spans(text)
    runs: list[list[int]] = []
    for i, ch in enumerate(text):
        mark_of_run = bool(runs) and runs[-1][1] == i and unicodedata.category(ch)[0] == "M"  # a vowel sign, an accent
        letter = foreign is not None and (foreign(ch) or mark_of_run)
        if not (_symbol_at(text, i) or letter) or any(a <= i < b for a, b in spans):
            continue
        gap = text[runs[-1][1]:i] if runs else "x"
        if not gap.strip() or (letter and gap in _IN_WORD and foreign(text[i - 2])):
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    merged: list[tuple[int, int]] = []  # runs that only spaces part once glued ("Нью-Йорк (Нью-Йорк)")
    for a, b in (_glued(text, a, b, foreign) for a, b in runs if any(not (c in _JOINERS) for c in text[a:b])):
        if merged and not text[merged[-1][1]:a].strip():
            a = merged.pop()[0]
        merged.append((a, b))
    return merged


def _glued(text: str, a: int, b: int, foreign: Callable[[str], bool] | None = None) -> tuple[int, int]:
    """The run ``a:b`` with the closing brackets and marks written against it on its left (``]]>``)
    and the opening ones on its right: they go out and back with it, so the model cannot drop or
    move them apart (an opening bracket before it stays with the text: ``(±2)``); a run of
    ``foreign`` letters with the brackets or quotes that enclose it (``(Алексей Навальный)``)."""
    while a > 0 and _glues(text[a - 1], "Pe"):
        a -= 1
    while b < len(text) and _glues(text[b], "Ps"):
        b += 1
    if foreign is not None and 0 < a and b < len(text) and text[a - 1] + text[b] in _ENCLOSING \
            and any(map(foreign, text[a:b])):
        a, b = a - 1, b + 1
    return a, b


def _glues(ch: str, bracket: str) -> bool:
    return ch not in _NOT_GLUED and ch not in _STOPS and unicodedata.category(ch) in (bracket, "Po")


def lift_symbols(text: str, foreign: Callable[[str], bool] | None = None) -> tuple[str, list[Mark]]:
    """``text`` without its runs of symbols (and of the letters ``foreign`` names: those the model
    cannot read), and each run with its anchor (see the module docstring)."""
    if not _has_symbol(text) and not (foreign is not None and not text.isascii() and any(map(foreign, text))):
        return text, []
    runs = _runs(text, foreign)
    if not runs:
        return text, []
    marks: list[Mark] = []
    pieces, prev = [], 0
    for a, b in runs:
        left, right, run = text[:a], text[b:], text[a:b]
        gap_left, gap_right = left[len(left.rstrip()):], right[:len(right) - len(right.lstrip())]
        number_after = _NUMBER.match(right.lstrip()) if len(gap_right) <= 1 else None
        number_before = re.search(r"(\d(?:[\d.,]*\d)?)$", left.rstrip()) if len(gap_left) <= 1 else None
        word_before = _WORD_END.search(left.rstrip()) if len(gap_left) <= 1 else None
        word_after = _WORD_START.match(right.lstrip()) if len(gap_right) <= 1 else None
        ratio = a / max(1, len(text))
        if not left.strip():
            mark = Mark(run, "start", gap=gap_right or "")
        elif not right.strip() or not any(c.isalnum() for c in right):
            mark = Mark(run, "end", key=right.strip(), gap=gap_left)
        elif number_after:
            mark = Mark(run, "before_number", _digits(number_after.group()), gap_right, ratio)
        elif number_before:
            mark = Mark(run, "after_number", _digits(number_before.group(1)), gap_left, ratio)
        elif word_before:
            mark = Mark(run, "after_word", word_before.group(1), gap_left, ratio)
        elif word_after:
            mark = Mark(run, "before_word", word_after.group(1), gap_right, ratio)
        else:
            mark = Mark(run, "ratio", ratio=ratio)
        joins = not (gap_left or gap_right) and word_before and word_after  # "3×2" is not "32" to the model
        if joins:
            mark = replace(mark, joined=f"{word_before.group(1)} {word_after.group(1)}")
        if gap_left and gap_right and mark.anchor not in ("start", "end") and foreign is not None and any(map(foreign, run)):
            mark = Mark(run, "stand_in", stand_in_word("XL", sum(m.anchor == "stand_in" for m in marks)), ratio=ratio)
            marks.append(mark)
            pieces.append(text[prev:a] + mark.key)  # a word of another script, in the sentence: the model moves it
            prev = b
            continue
        marks.append(mark)
        pieces.append(text[prev:a].rstrip() if gap_left and (gap_right or right[:1] in _CLOSERS) else text[prev:a])
        prev = b + (len(gap_right) if gap_left and gap_right else 0)
        if (gap_left and gap_right) or joins:
            pieces.append(" ")
    pieces.append(text[prev:])
    return re.sub(r"\s{2,}", " ", "".join(pieces)).strip(), marks


def _digits(token: str) -> str:
    return "".join(c for c in token if c.isdigit())


def place_symbols(marks: list[Mark], target: str) -> str:
    """``target`` with each lifted run written back at its anchor."""
    if not marks:
        return target
    edits: list[tuple[int, int, str]] = []
    used: dict[str, set[int]] = {"before_number": set(), "after_number": set()}  # "≥ 5 ‰": one number, both sides
    numbers = [(m.start(), m.end(), _digits(m.group())) for m in _NUMBER.finditer(target)]
    for mark in marks:
        edit = _between(mark, target) if mark.joined else _stood_in(mark, target) if mark.anchor == "stand_in" else None
        if edit is None:
            pos, text = _place(mark, target, numbers, used)
            edit = (pos, pos, text)
        edits.append(edit)
    for a, b, text in sorted(edits, key=lambda e: e[0], reverse=True):
        target = target[:a] + text + target[b:]
    return target


def _stood_in(mark: Mark, target: str) -> tuple[int, int, str] | None:
    """The stand-in word of the translation (``XLAZ``: models copy it where the run belongs), replaced by its run."""
    m = re.search(standalone(mark.key), target)
    return (m.start(), m.end(), mark.symbols) if m else None


def _between(mark: Mark, target: str) -> tuple[int, int, str] | None:
    """The space between the two words a run joined, where the translation keeps them side by side."""
    left, right = mark.joined.split(" ")
    m = re.search(rf"(?<!\w){re.escape(left)}( )(?={re.escape(right)}(?!\w))", target)
    return (m.start(1), m.end(1), mark.symbols) if m else None


def _place(mark: Mark, target: str, numbers: list[tuple[int, int, str]], used: dict[str, set[int]]) -> tuple[int, str]:
    """(position, text to insert) of one run in ``target``."""
    if mark.anchor == "start":
        return 0, mark.symbols + (mark.gap or "")
    if mark.anchor == "end":
        end = len(target.rstrip())
        if mark.key:  # the source ended with punctuation after the run: the run goes before the target's
            core = target.rstrip()
            end = len(core.rstrip(".!?…:;\"'”»)"))
        return end, (mark.gap or "") + mark.symbols
    if mark.anchor in ("before_number", "after_number"):
        for i, (a, b, digits) in enumerate(numbers):
            if digits == mark.key and i not in used[mark.anchor]:
                used[mark.anchor].add(i)
                return (a, mark.symbols + mark.gap) if mark.anchor == "before_number" else (b, mark.gap + mark.symbols)
    if mark.anchor in ("after_word", "before_word"):
        m = re.search(rf"(?<!\w){re.escape(mark.key)}(?!\w)", target, re.IGNORECASE)
        if m:
            after = mark.anchor == "after_word"
            return (m.end(), mark.gap + mark.symbols) if after else (m.start(), mark.symbols + mark.gap)
    return _between_words(target, mark)


def _between_words(target: str, mark: Mark) -> tuple[int, str]:
    """The space nearest the run's relative place in the source (the end when there is none)."""
    spaces = [m.start() for m in re.finditer(r" ", target)]
    if not spaces:
        return len(target.rstrip(".!?")), " " + mark.symbols
    pos = min(spaces, key=lambda p: abs(p - mark.ratio * len(target)))
    return pos, " " + mark.symbols


def _dangling(text: str) -> re.Match[str] | None:
    """A bracket or quote opened at the very end of ``text`` (a straight double quote opens one
    after a space: ``texto "racista"`` closes one)."""
    m = _DANGLING.search(text)
    return m if m and (m.group().strip() != '"' or not m.group()[:1].strip()) else None


def strip_dangling(target: str, source: str) -> str:
    """``target`` without what the model wrote round nothing: an empty pair of brackets or quotes
    the source has none of, and at its very end a bracket or quote opened, or a comma, semicolon or
    colon where the source ends with a word."""
    if not _EMPTY_PAIR.search(source):
        target = _EMPTY_PAIR.sub("", target).lstrip()
    ends = [] if source.rstrip()[-1:] in _QUOTES_BRACKETS else [_dangling]
    if source.rstrip()[-1:].isalnum():
        ends.append(_CLAUSE_END.search)
    while m := next((m for find in ends if (m := find(target)) and m.start()), None):
        target = target[:m.start()]
    return target


def unfinished(target: str, source: str, src: Language, tgt: Language) -> bool:
    """Whether ``target`` ends on a determiner or preposition (its pack's ``names`` section) where
    ``source`` ends with another word and no mark: the model stopped mid-phrase (``Thanks`` ->
    ``Obrigado por``)."""
    s, t = _WORD_END.search(source), _WORD_END.search(target.rstrip())
    return bool(s and t) and t.group(1).lower() in function_words(tgt) and s.group(1).lower() not in function_words(src)


def final_marks(text: str) -> str:
    """The marks ``text`` ends with (``?!``, ``."``), "" after a word."""
    return _FINAL_MARKS.search(text.rstrip()).group()


def overlong(source: str, target: str) -> bool:
    """Whether a text of one to three words came back as more than twice as many (``Thank you`` ->
    ``Obrigado por enviar uma edição.``, ``Olá`` -> ``Hello, the hello``): a small model's memory,
    not a translation."""
    n = sum(1 for _ in islice(_WORDS.finditer(source), 4))  # a long sentence's words are not all read
    return 0 < n <= 3 and len(_WORDS.findall(target)) > 2 * n


def lost_symbols(source: str, target: str, lang: Language) -> list[str]:
    """Symbols of ``source`` that ``target`` lacks, as symbols or as ``lang``'s words for them."""
    # the symbols of each run, not the brackets and marks glued to it
    want = Counter(source[i] for a, b in _runs(source) for i in range(a, b)
                   if _symbol_at(source, i) and source[i] not in _JOINERS)
    if not want:
        return []
    have = Counter(target[i] for i in range(len(target)) if _symbol_at(target, i))
    words = (lang.section("numbers") or {}).get("symbol_words", {})
    low = target.lower()
    lost = []
    for sym, n in want.items():
        spelled = sum(low.count(w.lower()) for w in words.get(sym, []))
        lost += [sym] * max(0, n - have[sym] - spelled)
    return lost
