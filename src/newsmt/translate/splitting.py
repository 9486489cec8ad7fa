"""Long sentences: cut into model inputs within the backend's token limit, and rejoined.

A sentence longer than the backend's safe input is cut at the clause boundary nearest its middle
(sentence end, a glued one such as ``January.The`` included; ``;``, ``:``, dash, bracket, ``,``,
before a conjunction; then any space that is not inside a name or after an article or preposition;
else a character window), again and again until every piece fits, so nothing is silently truncated
(``split_long``). A cut never falls between two capitalized words (``Maria | Fernanda``, ``Russia
and | Eurasia``). The translated pieces are punctuated and cased to fit between their neighbours
and rejoined (``join_pieces``); ``covers`` tells whether a piece's translation covers it (the engine
translates a piece that it does not cover again, cut in two by ``halve``). ``isolate`` cuts a
sentence just around given spans (the clauses holding the numbers a model lost) for a second try.
Pure functions: the token counter is passed in.
"""
from __future__ import annotations

import re
from collections.abc import Callable

CountTokens = Callable[[list[str]], list[int]]
Part = tuple[str, str]  # (piece, separator after it: " ", or "" inside a word)

# split points, best first: sentence end (spaced or glued), ";", ":", dash, before/after a bracket,
# ",", before a conjunction, any space
_BREAKS = [
    re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-ZÀ-ÖØ-ÞА-ЯЁ0-9])"
               r"|(?<=[a-zà-öø-ÿа-яё]{2}[.!?])(?=[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zà-öø-ÿа-яё])"),
    re.compile(r"(?<=;)\s+"),
    re.compile(r"(?<=:)\s+"),
    re.compile(r"(?<=\s-)\s+"),
    re.compile(r"(?<=\S)\s+(?=\()|(?<=\))\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+(?=(?:and|but|or|which|who|whose|while|because|although|whereas|when|where|after|before|"
               r"e|mas|ou|que|quando|onde|enquanto|porque|и|но|или|который|которая|которые|когда|где)\s)"),
    re.compile(r"\s+"),
]
_WORD_BEFORE = re.compile(r"(\S+)\s*$")
_WORD_AFTER = re.compile(r"\s*(?:\S+\s)?(\S+)")
_NO_CUT_AFTER = frozenset("a an the of to in on at by for with from as than mr. mrs. ms. dr. prof. st. no. "
                          "o os as um uma de da do das dos em no na nos nas por pelo pela para com".split())
_CLAUSE_END = ",;:"
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def split_long(text: str, n_tokens: int, max_tokens: int, count_tokens: CountTokens,
               lengths: dict[str, int] | None = None) -> list[Part]:
    """(piece, separator after it) with every piece within ``max_tokens``; text order kept.
    ``n_tokens`` is the token count of ``text``; token counts of the pieces are added to ``lengths``."""
    if lengths is not None:
        lengths[text] = n_tokens
    if n_tokens <= max_tokens or len(text) < 2:
        return [(text, "")]
    start, end, sep = _best_cut(text)
    left, right = text[:start], text[end:]
    nl, nr = count_tokens([left, right])
    head = split_long(left, nl, max_tokens, count_tokens, lengths)
    head[-1] = (head[-1][0], sep)
    return head + split_long(right, nr, max_tokens, count_tokens, lengths)


def _best_cut(text: str) -> tuple[int, int, str]:
    """(start, end, separator) of the best cut of ``text``: the boundary of the best kind nearest
    its middle (within its middle 60%, except plain spaces), else a character window."""
    mid = len(text) // 2
    for pattern in _BREAKS:
        cands = [m for m in pattern.finditer(text) if 0 < m.start() and m.end() < len(text) and _may_cut(text, m, pattern)]
        if cands:
            m = min(cands, key=lambda m: (abs(m.start() - mid), m.start()))
            if pattern is _BREAKS[-1] or 0.2 * len(text) <= m.start() <= 0.8 * len(text):
                return m.start(), m.end(), " "
    return mid, mid, ""  # no space at all: a character window


def _may_cut(text: str, m: re.Match, pattern: re.Pattern) -> bool:
    """Whether a cut at ``m`` leaves every name whole (a space or conjunction between two capitalized
    words) and no article or preposition dangling at a piece end."""
    if pattern in _BREAKS[:6]:
        return True
    before = _WORD_BEFORE.search(text, 0, m.start())
    word = before.group(1) if before else ""
    if pattern is _BREAKS[-1] and word.lower() in _NO_CUT_AFTER:
        return False
    skip_conj = pattern is _BREAKS[-2]
    after = _WORD_AFTER.match(text, m.end()) if skip_conj else re.compile(r"\s*(\S+)").match(text, m.end())
    nxt = after.group(1) if after else ""
    return not (word[:1].isupper() and nxt[:1].isupper())


def halve(text: str) -> list[Part]:
    """``text`` cut once at its best boundary (the parts of a piece to translate again)."""
    if len(text) < 2:
        return [(text, "")]
    start, end, sep = _best_cut(text)
    return [(text[:start], sep), (text[end:], "")]


def covers(piece: str, translation: str, min_ratio: float = 0.55, min_chars: int = 30) -> bool:
    """Whether ``translation`` plausibly covers all of ``piece``: not much shorter (a piece of
    ``min_chars`` or more), and every run of digits of the piece in it."""
    if len(piece) >= min_chars and len(translation) < min_ratio * len(piece):
        return False
    digits = re.findall(r"\d+", piece)
    return all(d in translation for d in digits)


def fit_parts(parts: list[Part], max_tokens: int, count_tokens: CountTokens) -> list[Part]:
    """``parts`` with any part over ``max_tokens`` split further (separators kept)."""
    out: list[Part] = []
    for (part, sep), n in zip(parts, count_tokens([p for p, _ in parts])):
        sub = split_long(part, n, max_tokens, count_tokens)
        sub[-1] = (sub[-1][0], sep)
        out += sub
    return out


def isolate(text: str, spans: list[tuple[int, int]]) -> list[Part]:
    """``text`` cut at the clause boundaries just around each span: (part, separator) pairs."""
    cuts = sorted({(m.start(), m.end()) for p in _BREAKS[:-1] for m in p.finditer(text) if 0 < m.start() and m.end() < len(text)})
    chosen = set()
    for a, b in spans:
        before = [c for c in cuts if c[1] <= a]
        after = [c for c in cuts if c[0] >= b]
        if before:
            chosen.add(before[-1])
        if after:
            chosen.add(after[0])
    parts, prev = [], 0
    for start, end in sorted(chosen):
        parts.append((text[prev:start], " "))
        prev = end
    parts.append((text[prev:], ""))
    return [(p, sep) for p, sep in parts if p]


def join_pieces(pieces: list[str], texts: list[str], seps: list[str]) -> str:
    """The translations ``texts`` of the source ``pieces`` of one sentence, fitted and joined by ``seps``."""
    last = len(pieces) - 1
    return "".join(fit_piece(piece, text, first=k == 0, last=k == last) + sep
                   for k, (piece, text, sep) in enumerate(zip(pieces, texts, seps)))


def fit_piece(source: str, text: str, first: bool, last: bool) -> str:
    """A translated part of a split sentence, punctuated and cased to fit between its neighbours."""
    if not text:
        return text
    if not last:
        end = "-" if source.endswith(" -") else source[-1]
        if end in _CLAUSE_END or end == "-":
            text = text.rstrip(".")
            if not text.endswith(end):
                text += " -" if end == "-" else end
        elif end not in ".!?\"')]" and text.endswith(".") and not text.endswith(".."):
            text = text[:-1]
    word = _FIRST_WORD.search(source)
    if not first and word and word.group().islower() and text[:1].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return text
