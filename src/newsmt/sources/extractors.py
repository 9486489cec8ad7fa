"""The main-text extractors that vote on a page's blocks: resiliparse on every page, trafilatura
where the cheap voters disagree (``article``).

Each gives the plain text it takes for the article, or None where it fails on the page: a failing
extractor loses its vote, never the page. They read the page as newsmt decoded and parsed it: one
decoding for all, trafilatura works on a copy of the parsed tree, resiliparse parses the decoded
text with its own (lexbor) parser.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from lxml import etree
from lxml import html as lxml_html

__all__ = ["EXTRACTORS", "resiliparse_text", "trafilatura_text"]

_LOG = logging.getLogger(__name__)


def trafilatura_text(tree: lxml_html.HtmlElement, text: str) -> str | None:
    """trafilatura's main text: comments off, tables kept, its fast mode (no second opinion of its
    own: the vote is the second opinion)."""
    from trafilatura import extract

    try:
        return extract(tree, fast=True, include_comments=False, include_tables=True, include_images=False,
                       include_links=False, include_formatting=False, with_metadata=False) or ""
    except (RecursionError, ValueError, TypeError, AttributeError, etree.LxmlError) as e:
        _LOG.debug("trafilatura failed: %s", e)
        return None


def resiliparse_text(tree: lxml_html.HtmlElement, text: str) -> str | None:
    """resiliparse's main-content text (its rules: navigation, footers, sidebars, comments out)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    try:
        return extract_plain_text(HTMLTree.parse(text), main_content=True, alt_texts=False, links=False,
                                  list_bullets=False, form_fields=False, noscript=False, comments=False,
                                  post_meta=False)
    except (ValueError, TypeError, RuntimeError, MemoryError) as e:
        _LOG.debug("resiliparse failed: %s", e)
        return None


Extractor = Callable[[Any, str], "str | None"]
EXTRACTORS: dict[str, Extractor] = {
    "trafilatura": trafilatura_text,
    "resiliparse": resiliparse_text,
}
