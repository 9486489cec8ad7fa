"""A voter of newsmt's own: the blocks inside the page's densest container of running text.

The idea of Readability (Arc90), on the blocks the page walk already made: every paragraph of
running text scores for the element that holds it and, half as much, for the one above; an
element's score is weighed by its link density and its class/id name (the structural vocabulary of
HTML, "article" and "comment", not of a language); the best element and those of its siblings that
score close to it hold the article, and the vote goes to every block inside them. Cheap: one pass
over the blocks and their ancestors, no second parse.
"""
from __future__ import annotations

import re
from typing import Any

from .blocks import Block

__all__ = ["container_votes"]

_POSITIVE = re.compile(r"article|body|content|entry|main|page|post|text|blog|story|hentry", re.I)
_NEGATIVE = re.compile(r"comment|com-|contact|foot|masthead|media|meta|outbrain|promo|related|scroll|shoutbox|"
                       r"sidebar|sponsor|shopping|tags|tool|widget|nav|menu|share|social|banner|cookie", re.I)
_COMMAS = re.compile("[,，、،]")
MIN_WORDS = 8  # a block that scores: a sentence at least
SIBLING_SHARE = 0.2  # of the best score, for a sibling to join it


def _weight(el: Any) -> float:
    name = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not name.strip():
        return 0.0
    return 25.0 * (bool(_POSITIVE.search(name)) - bool(_NEGATIVE.search(name)))


def container_votes(blocks: list[Block]) -> list[bool]:
    """For each block, whether it lies in the page's densest container of running text."""
    score: dict[Any, float] = {}
    chars: dict[Any, int] = {}
    links: dict[Any, int] = {}
    chains: list[list[Any]] = []
    for b in blocks:
        chain = [b.el, *b.el.iterancestors()] if b.el is not None else []
        chains.append(chain)
        size, linked = len(b.text), b.link_chars
        for el in chain:
            chars[el] = chars.get(el, 0) + size
            links[el] = links.get(el, 0) + linked
        if b.words < MIN_WORDS or b.kind in ("heading", "code", "caption") or len(chain) < 2:
            continue
        points = 1 + len(_COMMAS.findall(b.text)) + min(len(b.text) / 100, 3)
        for el, share in zip(chain[1:3], (1.0, 0.5)):
            score[el] = score.get(el, 0.0) + points * share
    if not score:
        return [False] * len(blocks)
    final = {el: (s + _weight(el)) * (1 - links[el] / max(chars[el], 1)) for el, s in score.items()}
    top = max(final, key=final.get)
    best = final[top]
    parent = top.getparent()
    chosen = {top} | ({el for el in final if el.getparent() is parent and final[el] >= SIBLING_SHARE * best}
                      if parent is not None else set())
    return [not chosen.isdisjoint(chain) for chain in chains]
