"""Which of a page's blocks each extractor took: the extractors vote block by block.

An extractor gives plain text; a block has its vote when the text holds the block: half or more of
its word trigrams for a block of three words or more; for a shorter block (a heading, a label), a
trigram that joins it to a neighbouring block, so that a word that merely occurs somewhere in the
text ("Share", "Home") is no vote. Words are compared case-blind without punctuation; in scripts
written without spaces every character is a word. Language-free.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from itertools import islice

from .blocks import UNSPACED

__all__ = ["Ballot", "tokens"]

# a character of a script written without spaces (a word of its own here), else a run of letters/digits
_TOKEN = re.compile(f"{UNSPACED}|[^\\W_]+")
COVERED = 0.5  # share of a block's trigrams an extractor's text must hold
PROBE = 64  # characters of a block where its first three words are looked for first


def tokens(text: str) -> list[str]:
    """The words of ``text`` as the vote compares them."""
    return _TOKEN.findall(text.casefold())


def _long(text: str) -> bool:
    """Whether ``text`` has three words or more."""
    return len(list(islice(_TOKEN.finditer(text.casefold()), 3))) == 3


def _trigrams(words: Sequence[str]) -> list[tuple[str, str, str]]:
    """Every run of three words, in order."""
    return list(zip(words, words[1:], words[2:]))


class Ballot:
    """What a vote looks for, per block, computed once for every voter (and only when a vote needs
    it): the trigrams of a block of three words or more, and for a shorter block the trigrams that
    join it to the words of the blocks around it."""

    def __init__(self, texts: Sequence[str]) -> None:
        """``texts``: the page's blocks, in order."""
        self.texts = list(texts)
        self.known = set(self.texts)

    @cached_property
    def all_long(self) -> bool:
        """Whether every block has three words or more (checked without tokenizing them all: first
        on a block's first ``PROBE`` characters, where three words are three of the block's own)."""
        return all(_long(text[:PROBE]) or (len(text) > PROBE and _long(text)) for text in self.known)

    @cached_property
    def words(self) -> dict[str, list[str]]:
        """Each block text's words (an extractor's line that is one has them: a line's words do not
        depend on the lines around it)."""
        return {text: tokens(text) for text in self.known}

    @cached_property
    def looked_for(self) -> tuple[list[list[tuple[str, str, str]]], list[float]]:
        """Per block, the trigrams to look for and how many of them the text must hold."""
        block_words = [self.words[text] for text in self.texts]
        flat = [w for words in block_words for w in words]  # the page's words, blocks joined
        grams_of, need = [], []
        start = 0
        for words in block_words:
            n = len(words)
            end = start + n
            if n >= 3:
                grams = _trigrams(words)
                need.append(COVERED * len(grams))
            else:  # the trigrams that hold a word of the block and its neighbours' words
                grams = _trigrams(flat[max(0, start - 2):end + 2]) if n else []
                need.append(1)
            grams_of.append(grams)
            start = end
        return grams_of, need

    def votes(self, text: str | None) -> list[bool]:
        """For each block, whether ``text`` (an extractor's output; None: it failed) holds it."""
        if not text:
            return [False] * len(self.texts)
        lines = text.split("\n")
        # a block of three words or more that is a line of the text has all its trigrams there
        held = {line for line in lines if line in self.known}
        if len(held) == len(self.known) and self.all_long:
            return [True] * len(self.texts)
        words = [w for line in lines for w in (self.words[line] if line in held else tokens(line))]
        have = set(_trigrams(words))
        grams_of, need = self.looked_for
        return [(block in held and len(self.words[block]) >= 3)
                or (bool(grams) and sum(map(have.__contains__, grams)) >= n)
                for block, grams, n in zip(self.texts, grams_of, need)]
