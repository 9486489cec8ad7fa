"""The article's blocks: the page's own blocks, kept by a vote of main-text extractors, then filtered.

Every visible block of the page (``blocks.page_blocks``: kinds, spans, links from the page itself)
is a candidate. Two cheap voters say which blocks they take: resiliparse's main-content rules
(``extractors``, its text matched to the blocks by ``vote``) and newsmt's densest container of
running text (``density``). Where they disagree (they share less than ``AGREEMENT`` of the words
either took), trafilatura votes too; a block the majority takes is the article's, and so is one
fewer take where it continues the article (``_select``). What is left goes through the boilerplate
filters (``boilerplate``: structural rules, and the phrases of the page's language pack).

Where the filters would empty the article, the voted blocks are kept as they are (flag
``filters_skipped``); where no block has a majority, the blocks with most votes; where the voters
took nothing at all, the caller falls back to the whole page.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lxml import html as lxml_html

from .blocks import Block, page_blocks
from .boilerplate import Phrases, filter_blocks
from .density import container_votes
from .extractors import EXTRACTORS
from .vote import Ballot

__all__ = ["AGREEMENT", "Article", "TIEBREAKER", "VOTERS", "article_blocks"]

VOTERS = ("resiliparse", "density")
TIEBREAKER = "trafilatura"  # asked only where the voters disagree: slower than both together
AGREEMENT = 0.7  # share of the words either voter took that both took, below which they disagree
# never article text: left out of the candidates (they are no vote's business)
_NOT_ARTICLE = frozenset({"nav", "menu", "dialog"})
RUNNING_TEXT = 12  # words: a paragraph, not a label
GAP = 2  # short lines or captions in a row that the article's edge may step over
EDGE = 3  # paragraphs before the article's running text where a lead one extractor missed is looked for
LINES = 4  # short lines in a row (a date line, a byline, share buttons) that this search steps over
MAX_LINK_SHARE = 0.25  # of a running-text block's characters


@dataclass
class Article:
    blocks: list[Block]
    flags: list[str] = field(default_factory=list)


def article_blocks(tree: lxml_html.HtmlElement, text: str, phrases: Callable[[str], Phrases],
                   voters: Sequence[str] = VOTERS, tiebreaker: str = TIEBREAKER) -> Article:
    """The article's blocks of a parsed page (``text``: the decoded page, for the extractors that
    parse it themselves; ``phrases``: the boilerplate phrases for the voted text's language); empty
    when no voter took anything. ``voters``/``tiebreaker``: names of ``extractors.EXTRACTORS`` or
    "density"."""
    blocks = page_blocks(tree, _NOT_ARTICLE)
    if not blocks:
        return Article([])
    looked_for = Ballot([b.text for b in blocks])

    def ballot(name: str) -> list[bool]:
        return container_votes(blocks) if name == "density" else looked_for.votes(EXTRACTORS[name](tree, text))

    ballots = [ballot(name) for name in voters]
    if tiebreaker and _agreement(blocks, ballots) < AGREEMENT:
        ballots.append(ballot(tiebreaker))
    counts = [sum(b[i] for b in ballots) for i in range(len(blocks))]
    chosen = _select(blocks, counts, len(ballots) // 2 + 1)
    if not chosen:
        return Article([])
    voted = [blocks[i] for i in chosen]
    kept = filter_blocks(voted, phrases("\n".join(b.text for b in voted)))
    if not kept:
        return Article(voted, ["filters_skipped"])
    return Article(kept)


def _agreement(blocks: list[Block], ballots: list[list[bool]]) -> float:
    """The words every voter took over the words the most generous one took (1.0: all agree)."""
    took = [sum(b.words for b, v in zip(blocks, ballot) if v) for ballot in ballots]
    both = sum(b.words for i, b in enumerate(blocks) if all(ballot[i] for ballot in ballots))
    return both / max(took) if max(took) else 1.0


def _select(blocks: list[Block], counts: list[int], need: int) -> list[int]:
    """Indexes of the blocks the article is made of.

    The article spans from the first to the last paragraph of running text that ``need`` voters
    took, widened by the blocks that many took next to it (a headline, a standfirst, a list), with
    at most ``GAP`` short lines or captions in between.
    In it: every block that many took, and those fewer took but for links and captions; before
    it, the running text fewer took (a lead paragraph, a standfirst one extractor missed: up to EDGE
    paragraphs back, over a dateline, a byline or share buttons, and not above a headline). Where no block has
    ``need`` votes, the blocks with most votes."""
    top = max(counts, default=0)
    if not top:
        return []
    agreed = [i for i, c in enumerate(counts) if c >= need]
    running = [i for i in agreed if _running(blocks[i])]
    if not running:
        return agreed or [i for i, c in enumerate(counts) if c == top]
    first = _widen(blocks, counts, need, running[0], -1)
    last = _widen(blocks, counts, need, running[-1], 1)
    have = {i for i in range(first, last + 1) if counts[i] >= need or (
        counts[i] and blocks[i].kind != "caption" and blocks[i].link_chars <= MAX_LINK_SHARE * len(blocks[i].text))}
    looked = short = 0  # paragraphs looked at, short lines in a row
    for i in range(first - 1, -1, -1):
        b, running_text = blocks[i], _running(blocks[i])
        if counts[i] and (running_text or b.kind == "heading" and b.words >= RUNNING_TEXT):
            have.add(i)  # a lead, a standfirst
        elif running_text:
            break  # running text no voter took: the article starts after it
        looked, short = (looked + 1, 0) if running_text else (looked, short + 1)
        if looked >= EDGE or short > LINES or b.kind == "heading":
            break  # nothing of the article stands above its headline
    return sorted(have)


def _widen(blocks: list[Block], counts: list[int], need: int, i: int, step: int) -> int:
    """The farthest block from ``i`` (going by ``step``) that ``need`` voters took, with no more
    than ``GAP`` short lines or captions fewer took in a row, and no paragraph, on the way."""
    j, gap = i + step, 0
    while 0 <= j < len(blocks) and gap <= GAP:
        if counts[j] >= need:
            i, gap = j, 0
        elif _running(blocks[j]):
            break  # a paragraph the voters did not take: the article ends before it
        else:
            gap += 1
        j += step
    return i


def _running(b: Block) -> bool:
    """Running text with few links: a paragraph, not a label, a menu or a teaser."""
    return (b.kind not in ("heading", "code", "caption") and b.words >= RUNNING_TEXT
            and b.link_chars <= MAX_LINK_SHARE * len(b.text))
