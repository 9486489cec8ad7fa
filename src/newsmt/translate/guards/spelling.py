"""Letters the model cannot read: a word written with one reaches the model spelt in letters it
reads (``Müller`` -> ``Muller``, ``Łódź`` -> ``Lodz``, ``Þingvellir`` -> ``Thingvellir``) and goes
back into the translation as the source wrote it.

A small model's vocabulary lacks many letters of names from other languages (the en->pt Bergamot
model: ``ü ñ ø ł ń ř ö ğ å þ``); it drops them or writes something else (``M'ller``, ``Gda'sk``,
``Od`` for ``Łódź``, ``Seoor``, the word left out), and no check sees it. Which letters a model
reads is the backend's ``reads``. Words of another script it does not read (``(Алексей
Навальный)``, ``我们``) it drops whole: those go round the model like symbols (``foreign_letters``).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..letters import plain as plain_spelling
from .spans import protected_spans

_WORD = re.compile(r"[^\W\d_]+")


def foreign_letters(reads: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a character is a letter the model reads in no form: in neither case, nor spelt plainly
    (another script: ``Ж``, ``我``, ``س``). ``symbols.lift_symbols`` takes runs of them out of what the
    model reads, as it does symbols, and puts them back."""
    return lambda ch: ch.isalpha() and not reads(ch.lower()) and not all(map(reads, plain_spelling(ch)))


def stand_ins(text: str, reads: Callable[[str], bool]) -> tuple[str, dict[str, str]]:
    """``text`` with each word that has a letter the model does not ``read`` in either case spelt
    plainly, and ``{plain spelling: word}``. A letter of the model's own languages that it lacks only
    as a capital (``Índia``, ``Às vezes`` for pt->en) is left to the model, which writes the target
    language's form of the word (``India``, ``Sometimes``). A word keeps its letters where the plain
    spelling still has one the model does not read (another script) or is a word of ``text``
    already; links and handles are kept."""
    if text.isascii():
        return text, {}
    spans = protected_spans(text)
    spelt: dict[str, str] = {}

    def swap(m: re.Match) -> str:
        word = m.group()
        if word.isascii() or all(reads(c.lower()) for c in word) or any(a <= m.start() < b for a, b in spans):
            return word
        plain = plain_spelling(word)
        if not (plain.isascii() and all(map(reads, plain))) or spelt.get(plain, word) != word \
                or re.search(rf"(?<!\w){re.escape(plain)}(?!\w)", text):
            return word
        spelt[plain] = word
        return plain
    return _WORD.sub(swap, text), spelt


def restore_spelling(text: str, spelt: dict[str, str]) -> str:
    """``text`` with each plain spelling of ``stand_ins`` written as the source wrote it."""
    for plain, word in spelt.items():
        text = re.sub(rf"(?<!\w){re.escape(plain)}(?!\w)", word, text)
    return text
