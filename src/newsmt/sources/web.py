"""Web pages -> ``Document``: the article, not the page.

``read_page`` decodes the page (BOM, charset declaration, UTF-8, charset detection; strictly),
parses it once with lxml, reads its metadata (meta tags, JSON-LD, canonical link; the date with
htmldate) and then either

* ``mode="article"`` (default): runs trafilatura's main-text extractor (balanced, comments off,
  links, formatting and tables kept) and walks the tree it returns into paragraphs and inline
  spans; puts back the running-text paragraphs it dropped between two of its own and the
  standfirst between the headline and the text (recall); then applies general post-filters that
  drop the boilerplate trafilatura lets through (share/follow/subscribe/newsletter/cookie/
  copyright/paywall lines, "read more" and related-story teasers and sections, bylines and
  datelines, photo credits, link-dense short paragraphs, widget leftovers at the edges, a repeated
  title) and mark captions (precision); when nothing is left, the whole visible page is taken
  instead and flagged ``extraction_fallback``;
* ``mode="page"``: all visible text, block by block.

Paragraph kinds: title, heading (``meta["level"]``), text, list_item, quote, table_cell, caption,
code (code is kept verbatim and not translatable). ``Document.text`` is the paragraphs joined by
a blank line; ``Document.spans`` holds links (absolute ``href``), emphasis, strong and code.

Where each step lives: ``page`` (decoding, parsing, metadata), ``blocks`` (a tree -> blocks with
inline spans), ``article`` (trafilatura and recovery), ``boilerplate`` (the post-filters); this
module puts the blocks together into the ``Document``.
"""
from __future__ import annotations

from ..document import Document, Paragraph, Span
from ..errors import InputError
from .article import NOT_ARTICLE, article_blocks
from .blocks import Block, norm, page_blocks
from .page import absolute_url, decode_page, page_metadata, parse_page

MODES = ("article", "page")
__all__ = ["MODES", "read_page", "read_html_document", "decode_page", "parse_page", "page_metadata", "article_body"]


def _document(blocks: list[Block], title: str, doc_id: str, lang: str, base: str = "") -> Document:
    if title:
        key = norm(title)
        # the page repeats its title as the first heading or paragraph: keep it once
        for i, b in enumerate(blocks[:3]):
            if norm(b.text) == key:
                del blocks[i]
                break
        blocks = [Block("title", title)] + blocks
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    spans: list[Span] = []
    pos = 0
    for i, b in enumerate(blocks, 1):
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(b.text)
        meta = dict(b.meta) if b.kind == "heading" else {}
        paragraphs.append(Paragraph(f"p{i}", pos, pos + len(b.text), kind=b.kind, translatable=b.kind != "code",
                                    meta=meta))
        for k, s, e, attrs in b.spans:
            attrs = dict(attrs)
            if "href" in attrs:
                attrs["href"] = absolute_url(attrs["href"], base)
            spans.append(Span(k, pos + s, pos + e, attrs))
        pos += len(b.text)
    spans.sort(key=lambda s: (s.start, -s.end, s.kind))
    return Document(id=doc_id, lang=lang, text="".join(parts), paragraphs=paragraphs, format="html", spans=spans)


def read_page(html: str | bytes, doc_id: str, lang: str = "", *, url: str = "", mode: str = "article",
              source: str = "") -> Document:
    """A web page as a ``Document``: the article (``mode="article"``) or all visible text (``"page"``).

    ``meta``: url, canonical_url, title, author, date, site, description, source, extraction
    ("article", "page" or "fallback") and ``flags`` when there are any. ``lang`` is kept as given
    (detection is the caller's: ``newsmt.sources.langid``). Raises InputError for an undecodable
    page or one without any text."""
    return read_html_document(html, doc_id, lang, url=url, mode=mode, source=source)


def read_html_document(html: str | bytes, doc_id: str, lang: str = "", *, url: str = "", mode: str = "article",
                       source: str = "", charset: str = "", known: dict[str, str] | None = None) -> Document:
    """``read_page`` for feeds and archives: ``charset`` is the HTTP-declared one (tried first on
    bytes), ``known`` metadata (entry title, author, date...) wins over the page's own."""
    if mode not in MODES:
        raise ValueError(f"unknown web page mode {mode!r}; use one of: {', '.join(MODES)}")
    name = source or doc_id
    flags: list[str] = []
    if isinstance(html, (bytes, bytearray)):
        text, _encoding, replaced = decode_page(bytes(html), name, charset)
        if replaced:
            flags.append("decode_replaced")
    else:
        text = html
    tree = parse_page(text, name)
    meta = page_metadata(tree, url)
    for k, v in (known or {}).items():
        if v:
            meta[k] = v
    base = meta["url"] or meta["canonical_url"]
    extraction = mode
    blocks: list[Block] = []
    if mode == "article":
        blocks = article_blocks(tree, base, meta["title"])
        if not blocks:
            extraction = "fallback"
            flags.append("extraction_fallback")
    if not blocks:  # the fallback leaves out navigation, footers, forms: a page of only those has no article
        blocks = page_blocks(tree, base, NOT_ARTICLE if mode == "article" else frozenset())
    if not blocks:
        raise InputError(f"{name}: no text found in the page" + ("" if mode == "page" else
                         " outside navigation, menus, forms, scripts and styles"))
    doc = _document(blocks, meta["title"], doc_id, lang, base)
    doc.meta = {**meta, "source": source, "extraction": extraction}
    if flags:
        doc.meta["flags"] = flags
    return doc


def article_body(doc: Document) -> str:
    """The article's running text: every paragraph but the title and captions (for scoring)."""
    return "\n\n".join(doc.text[p.start:p.end] for p in doc.paragraphs if p.kind not in ("title", "caption"))
