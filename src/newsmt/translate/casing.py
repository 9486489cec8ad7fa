"""A Title Case headline in the case the model reads best: sentence case.

Small models read ``Stocks Tumble as Fed Signals More Rate Hikes`` as a string of names and copy
half of it (``Stocks Tumble como Fed Sinais Mais Caminhadas de tarifa``); in sentence case they
translate it (``As ações caem enquanto o Fed sinaliza ...``). ``HeadlineCase`` lowers the
capitalized words of a title-case sentence (``source_names.title_case``) that the article around it
writes in lower case, or, where the article does not have them, that the model's vocabulary holds in
fewer pieces in lower case (``Signals``). It keeps the first word and the one after a colon, words
in capitals, links and code, and every word the article writes capitalized inside a sentence
(``Fed``, ``Rosa``): those are names. Only what the model reads changes; the record keeps the source
as written. A source pack turns it on where its headlines may be in Title Case (``names``:
``title_case = true``, English).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .guards import code_spans, protected_spans
from .source_names import title_case

_WORD = re.compile(r"[^\W\d_][\w'’]*")


def _starts(text: str, i: int) -> bool:
    """Whether the word at ``i`` starts ``text`` or a part of it (after ``:``, ``.``, ``!``, ``?``)."""
    while i and text[i - 1].isspace():
        i -= 1
    return i == 0 or text[i - 1] in ":.!?"


class HeadlineCase:
    """Sentence case for the title-case sentences of one article (see the module docstring)."""

    def __init__(self, body: list[str], count_tokens: Callable[[list[str]], list[int]]) -> None:
        """``body``: the article's other sentences (their case is evidence); ``count_tokens``: the
        backend's, to ask its vocabulary."""
        self.lower: set[str] = set()
        self.names: set[str] = set()
        for text in body:
            for k, m in enumerate(_WORD.finditer(text)):
                word = m.group()
                if word.islower():
                    self.lower.add(word)
                elif k and word[:1].isupper() and not _starts(text, m.start()):
                    self.names.add(word)
        self.count_tokens = count_tokens

    def __call__(self, text: str) -> str:
        """``text`` in sentence case where it is a title-case headline, else unchanged."""
        if not title_case(text):
            return text
        kept = protected_spans(text) + code_spans(text)  # links, handles, code (``fence_code``): verbatim
        words = [m for m in _WORD.finditer(text) if m.group()[:1].isupper() and not m.group().isupper()
                 and m.group() not in self.names and not _starts(text, m.start())
                 and len(m.group().lower()) == len(m.group()) and not any(a <= m.start() < b for a, b in kept)]
        ask = sorted({w for m in words for w in (m.group(), m.group().lower())})
        pieces = dict(zip(ask, self.count_tokens(ask))) if ask else {}
        out = list(text)
        for m in words:
            word, low = m.group(), m.group().lower()
            if low in self.lower or pieces[low] < pieces[word]:
                out[m.start():m.end()] = low
        return "".join(out)
