"""The article's blocks: trafilatura's main text, what it dropped put back, then the filters.

trafilatura (balanced, comments off; links, formatting and tables kept) gives the article's body;
its blocks are then completed from the page's own (recall): the running-text paragraphs it dropped
between two of its own, and the standfirst between the headline and the text; last come the
boilerplate filters (precision).
"""
from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from .blocks import Block, norm, page_blocks, tree_blocks, word_count
from .boilerplate import boilerplate_reason, filter_blocks

__all__ = ["article_blocks", "recover_blocks"]

# where no article text stands: left out of the page's blocks that recovery looks at
NOT_ARTICLE = frozenset({"nav", "footer", "aside", "form", "menu", "dialog"})


def _trafilatura_body(tree: lxml_html.HtmlElement) -> etree._Element | None:
    from trafilatura import bare_extraction

    try:
        result = _bare_extraction(bare_extraction, tree)
    except (RecursionError, ValueError, TypeError, etree.LxmlError) as e:  # a page it cannot take: the fallback
        logging.getLogger(__name__).debug("trafilatura failed: %s", e)
        return None
    return None if result is None else result.body


def _bare_extraction(bare_extraction: Any, tree: lxml_html.HtmlElement) -> Any:
    return bare_extraction(
        tree, include_comments=False, include_links=True, include_formatting=True, include_tables=True,
        include_images=False, with_metadata=False,
        output_format="xml",  # the tree is taken as is: "xml" spares the text rendering that "python" adds
    )


def article_blocks(tree: lxml_html.HtmlElement, base: str, title: str = "") -> list[Block]:
    """The article's blocks: trafilatura's main text, the paragraphs it dropped inside the article
    or between the title and the article (found among the page's blocks), then the filters."""
    body = _trafilatura_body(tree)
    if body is None:
        return []
    blocks = tree_blocks(body, base, "tei")
    if blocks:
        page = page_blocks(tree, base, NOT_ARTICLE)
        blocks = recover_blocks(restructure(blocks, page), page, title)
    return filter_blocks(blocks)


def restructure(blocks: list[Block], page: list[Block]) -> list[Block]:
    """On a small page the extractor's fallback flattens the article into one paragraph: give it
    back the page's own blocks that the paragraph holds (headings, list items, code keep their kind)."""
    if len(blocks) != 1:
        return blocks
    blob = norm(blocks[0].text)
    inside = [b for b in page if norm(b.text) and norm(b.text) in blob]
    return inside if len(inside) >= 2 else blocks


_NON_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    return _NON_WORD.sub("", text[:160].casefold())[:64]


def _running_text(b: Block, min_words: int) -> bool:
    return (word_count(b.text) >= min_words and b.link_chars < 0.2 * len(b.text) and not boilerplate_reason(b))


def recover_blocks(blocks: list[Block], page: list[Block], title: str = "") -> list[Block]:
    """Put back what the extractor dropped from the article: paragraphs of running text (15+
    words, few links) that stand on the page between two extracted paragraphs, and the standfirst
    between the page's title and the first extracted paragraph."""
    where: dict[str, int] = {}
    for i, b in enumerate(page):
        where.setdefault(_key(b.text), i)
    pos = [where.get(_key(b.text)) for b in blocks]
    known = sorted({p for p in pos if p is not None})
    if len(known) < 2:
        return blocks
    first, last = known[0], known[-1]
    have = set(known)
    after: dict[int, list[Block]] = {}
    for i in range(first + 1, last):
        b = page[i]
        if i not in have and b.kind in ("text", "quote", "list_item") and _running_text(b, 15):
            prev = max(p for p in known if p < i)
            after.setdefault(prev, []).append(b)
    lead: list[Block] = []
    if title:
        key = norm(title)
        found = []
        for j in range(first - 1, max(-1, first - 8), -1):
            b = page[j]
            if norm(b.text) == key or (b.kind == "heading" and b.meta.get("level") == 1):
                lead = found[::-1]
                break
            if b.kind in ("text", "heading") and _running_text(b, 10):
                found.append(b)
    if not after and not lead:
        return blocks
    out = list(lead)
    for b, p in zip(blocks, pos):
        out.append(b)
        if p is not None and p in after:
            out.extend(after.pop(p))
    return out
