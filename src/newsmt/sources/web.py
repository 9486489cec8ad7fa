"""Web pages -> ``Document``: the article, not the page.

``read_page`` decodes the page (BOM, HTTP or declared charset, UTF-8, a fast detector on a sample),
parses it once with lxml, reads its metadata (meta tags, JSON-LD, canonical link; the date with
htmldate) and then either

* ``mode="article"`` (default): walks the page into blocks, keeps those that main-text extractors
  (trafilatura, resiliparse) vote for, and filters them: structural rules, and the boilerplate
  phrases of the page's language (``article``, ``boilerplate``); when no extractor takes anything,
  the whole visible page is taken instead and flagged ``extraction_fallback``;
* ``mode="page"``: all visible text, block by block.

Paragraph kinds: title, heading (``meta["level"]``), text, list_item, quote, table_cell, caption,
code (code is kept verbatim and not translatable). ``Document.text`` is the paragraphs joined by
a blank line; ``Document.spans`` holds links (absolute ``href``), emphasis, strong and code.

A page that breaks a reader's step is an InputError of that page alone, never a crash of the run.

Where each step lives: ``page`` (decoding, parsing, metadata), ``blocks`` (a tree -> blocks with
inline spans), ``extractors`` and ``vote`` (who takes which block), ``article`` (the selection),
``boilerplate`` (the filters); this module puts the blocks together into the ``Document``.
"""
from __future__ import annotations

import logging

from lxml import html as lxml_html

from ..document import Document, Paragraph, Span
from ..errors import InputError
from ..languages.identify import LanguageIdentifier
from .article import article_blocks
from .blocks import Block, norm, page_blocks
from .boilerplate import Phrases, phrases_for
from .page import absolute_url, decode_page, drop_invisible, page_metadata, parse_page

MODES = ("article", "page")
# where no article text stands: left out of the whole-page fallback, so a page of only these has no article
NOT_ARTICLE = frozenset({"nav", "footer", "aside", "form", "menu", "dialog"})
_IDENTIFIER = LanguageIdentifier()  # one model for every page, loaded on first use
DETECTION_CHARS = 1500  # of the article's text: enough to pick its boilerplate phrases
__all__ = ["MODES", "read_page", "read_html_document", "decode_page", "parse_page", "page_metadata", "article_body"]


def _document(blocks: list[Block], title: str, doc_id: str, lang: str, base: str = "") -> Document:
    if title:
        key = norm(title)
        # the page repeats its title as the first heading or paragraph (in full, or with the
        # site's name or a byline added): keep it once
        for i, b in enumerate(blocks[:3]):
            text = norm(b.text)
            if text == key or (b.kind == "heading" and key and (key in text or text in key)):
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
    (detection is the caller's); it picks the boilerplate phrases, and without it the page's
    declared or detected language does. Raises InputError for an undecodable or unreadable page,
    or one without any text."""
    return read_html_document(html, doc_id, lang, url=url, mode=mode, source=source)


def read_html_document(html: str | bytes, doc_id: str, lang: str = "", *, url: str = "", mode: str = "article",
                       source: str = "", charset: str = "", known: dict[str, str] | None = None) -> Document:
    """``read_page`` for feeds and archives: ``charset`` is the HTTP-declared one (tried first on
    bytes), ``known`` metadata (entry title, author, date, an archive's crawl_date...) wins over the
    page's own."""
    if mode not in MODES:
        raise ValueError(f"unknown web page mode {mode!r}; use one of: {', '.join(MODES)}")
    name = source or doc_id
    try:
        return _read(html, doc_id, lang, url, mode, source, charset, known or {})
    except (InputError, MemoryError):
        raise
    except Exception as e:  # noqa: BLE001 - a page no step can read is that page's error, not the run's
        logging.getLogger(__name__).debug("unreadable page %s", name, exc_info=True)
        reason = " ".join(str(e).split())[:200]
        raise InputError(f"{name}: unreadable page ({type(e).__name__}{': ' + reason if reason else ''})") from None


def _read(html: str | bytes, doc_id: str, lang: str, url: str, mode: str, source: str, charset: str,
          known: dict[str, str]) -> Document:
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
    drop_invisible(tree)
    for k, v in known.items():
        if v:
            meta[k] = v
    base = meta["url"] or meta["canonical_url"]
    extraction = mode
    blocks: list[Block] = []
    if mode == "article":
        article = article_blocks(tree, text, lambda body: _phrases(lang, tree, body, flags))
        blocks = article.blocks
        flags += article.flags
        if not blocks:
            extraction = "fallback"
            flags.append("extraction_fallback")
    if not blocks:  # the fallback leaves out navigation, footers, forms: a page of only those has no article
        blocks = page_blocks(tree, NOT_ARTICLE if mode == "article" else frozenset())
    if not blocks:
        raise InputError(f"{name}: no text found in the page" + ("" if mode == "page" else
                         " outside navigation, menus, forms, scripts and styles"))
    doc = _document(blocks, meta["title"], doc_id, lang, base)
    doc.meta = {**meta, "source": source, "extraction": extraction}
    if flags:
        doc.meta["flags"] = flags
    return doc


def _phrases(lang: str, tree: lxml_html.HtmlElement, body: str, flags: list[str]) -> Phrases:
    """The boilerplate phrases of the article's language: ``lang`` when given, else the one the page
    declares, else the one its voted text is in; a language whose pack has none gets the generic ones
    and the flag ``no_boilerplate_phrases``."""
    from ..errors import LanguageError
    from ..languages import resolve
    from ..languages.packs import GENERIC

    code = lang or _declared_language(tree) or _IDENTIFIER.detect(body[:DETECTION_CHARS])[0]
    try:
        language = resolve(code) if code else None
    except LanguageError:
        language = None
    if language is None:
        return phrases_for(GENERIC)
    phrases = phrases_for(language.pack)
    if not phrases.own:
        flags.append("no_boilerplate_phrases")
    return phrases


def _declared_language(tree: lxml_html.HtmlElement) -> str:
    """The primary language the page declares (``<html lang>``, ``content-language``, ``og:locale``)."""
    declared = tree.get("lang") or ""
    if not declared:
        for m in tree.iterfind(".//meta"):
            key = (m.get("http-equiv") or m.get("property") or m.get("name") or "").lower()
            if key in ("content-language", "og:locale", "language", "dc.language"):
                declared = m.get("content") or ""
                break
    return declared.replace("_", "-").split(",")[0].split("-")[0].strip().lower()[:3]


def article_body(doc: Document) -> str:
    """The article's running text: every paragraph but the title and captions (for scoring)."""
    return "\n\n".join(doc.text[p.start:p.end] for p in doc.paragraphs if p.kind not in ("title", "caption"))
