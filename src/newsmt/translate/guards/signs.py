"""Signs of numbers: a negative amount stays negative.

Small models drop a minus sign their vocabulary lacks (``−5 °C`` -> ``5 °C``, ``fell to −12.5`` ->
``caiu para 12,5``), which turns what a sentence says around, and no value check sees it: the digits
are all there. ``normalize_source`` gives the model an ASCII hyphen for the minus sign and
``restore_typography`` writes it back. ``repair_signs`` rewrites a number the target writes without
the sign the source gave it, or with one the source did not give it, where the other text says
nothing negative in words (the pack's ``numbers.negative`` stems: ``minus``, ``abaixo de zero``,
``мороза``); the engine notes it ``repaired``, the scorer flags it ``number_mismatch``. A language
whose pack lists no such words is not checked that way: a translator may have written the sign as
a word.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...languages import Language
from .numbers import quantities
from .packs import alternation
from .quantity import NUMBER, Quantity
from .spans import protected_spans
from .typography import SIGN_AFTER

_SIGNS = "-\u2212"  # hyphen-minus, minus sign
_SIGNED = re.compile(rf"[{_SIGNS}]\d")


def _signed(text: str, numbers: list[Quantity]) -> list[Quantity]:
    """Those of ``numbers`` written with a minus sign glued on (``-5``, ``−12,5``, ``(-3)``)."""
    def sign_of(q: Quantity) -> bool:
        before = text[q.start - 2] if q.start >= 2 else ""
        return q.kind == NUMBER and q.start > 0 and text[q.start - 1] in _SIGNS \
            and (not before or before.isspace() or before in SIGN_AFTER)
    return [q for q in numbers if sign_of(q)]


@lru_cache(maxsize=64)
def _negative_words(lang: Language) -> re.Pattern | None:
    stems = (lang.section("numbers") or {}).get("negative")
    return re.compile(rf"(?<!\w)(?:{alternation(stems)})", re.IGNORECASE) if stems else None


def _plain(text: str, lang: Language) -> bool:
    """Whether ``text`` says nothing negative in words, as far as ``lang``'s pack knows (False without its list)."""
    words = _negative_words(lang)
    return words is not None and not words.search(text)


def repair_signs(numbers: list[Quantity], source: str, target: str, src: Language, tgt: Language) -> tuple[str, list[str]]:
    """``target`` with each number's sign made its source's, and the ``wrong -> right`` forms
    rewritten; ``numbers``: the facts of ``source`` (``quantities``)."""
    if not (_SIGNED.search(source) or _SIGNED.search(target)):
        return target, []
    edits = _sign_changes([q for q in numbers if q.kind == NUMBER], source, target, src, tgt)
    changed = [f"{target[a:b]} -> {right}" for a, b, right in edits]
    for a, b, right in reversed(edits):
        target = target[:a] + right + target[b:]
    return target, changed


def _sign_changes(numbers: list[Quantity], source: str, target: str, src: Language, tgt: Language) -> list[tuple[int, int, str]]:
    """``(start, end, right form)`` of each target number whose sign differs from its source's: ``-5``
    for a target's ``5`` where the source has ``-5`` (and the target says nothing negative in words),
    ``5`` for a target's ``-5`` where the source has ``5`` (and says nothing negative)."""
    found = [q for q in quantities(target, tgt, protected_spans(target), src, target=True) if q.kind == NUMBER]
    negative, negative_found = _signed(source, numbers), _signed(target, found)
    edits, used = [], set(negative_found)
    if _plain(target, tgt):  # a sign lost
        kept = {q.value for q in negative_found}
        for q in negative:
            match = next((t for t in found if t not in used and q.values & t.values), None) if q.value not in kept else None
            if match is not None:
                used.add(match)
                edits.append((match.start, match.end, "-" + match.token))
    if _plain(source, src):  # a sign added
        given = {q.value for q in negative}
        for t in negative_found:
            if t.value not in given and any(q.values & t.values for q in numbers if q not in negative):
                edits.append((t.start - 1, t.end, t.token))
    return sorted(edits)
