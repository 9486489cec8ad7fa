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
"""
from __future__ import annotations

import codecs
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ..document import Document, Paragraph, Span
from ..errors import InputError

MODES = ("article", "page")
__all__ = ["MODES", "read_page", "read_html_document", "decode_page", "parse_page", "page_metadata", "article_body"]

# ---------------------------------------------------------------------------------------------
# decoding
# ---------------------------------------------------------------------------------------------
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CHARSET_META = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""",
    re.I,
)
# WHATWG: these labels mean windows-1252 in a browser (and so on real pages)
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
                   "iso-8859-9": "cp1254", "iso8859-9": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874"}
_INVALID_UTF8 = re.compile("[\udc80-\udcff]")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b") + b"\x7f"


def _declared_charset(data: bytes) -> str:
    m = _CHARSET_META.search(data[:8192])
    if not m:
        return ""
    return _codec((m.group(1) or m.group(2)).decode("ascii", "replace"))


def _codec(label: str) -> str:
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return ""
    return _WHATWG_ALIASES.get(name, name)


def decode_page(data: bytes, name: str, charset: str = "") -> tuple[str, str, int]:
    """(text, encoding, replaced bytes) of a page: a BOM, else the HTTP charset (``charset``), else
    valid UTF-8, else the declared charset (``<meta charset>``, ``http-equiv``, XML declaration),
    else charset-normalizer's guess; each tried strictly. A page declared (or mostly) UTF-8 with a
    few stray bytes keeps UTF-8 with U+FFFD in their place (counted). Raises InputError when no
    decoding fits."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).lstrip("\ufeff"), codec.replace("-sig", ""), 0
            except UnicodeDecodeError:
                raise InputError(f"{name}: invalid {codec.upper()} data after its byte-order mark") from None
    sample = data[:65536]
    nuls = sample.count(b"\x00")
    if nuls:
        if nuls > len(sample) // 1000:
            raise InputError(f"{name}: looks binary (NUL bytes), not an HTML page (UTF-16 needs a byte-order mark)")
        data = data.replace(b"\x00", b"")  # a few stray NULs in a real page
        sample = data[:65536]
    if sample and (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample) > 0.05:
        raise InputError(f"{name}: looks binary (many control characters), not an HTML page")
    http = _codec(charset) if charset else ""
    if http and http not in ("utf-16", "utf-32"):
        try:
            return data.decode(http), http, 0
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared and declared not in ("utf-8", "utf-16", "utf-32"):
        try:
            return data.decode(declared), declared, 0
        except UnicodeDecodeError:
            pass
    escaped = data.decode("utf-8", "surrogateescape")
    bad = len(_INVALID_UTF8.findall(escaped))
    multibyte = sum(1 for c in escaped if ord(c) > 127) - bad
    if multibyte >= bad or (declared == "utf-8" and bad <= max(3, len(data) // 10000)):
        return _INVALID_UTF8.sub("\ufffd", escaped), "utf-8", bad
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        try:
            return data.decode(best.encoding), best.encoding, 0
        except (UnicodeDecodeError, LookupError):
            pass
    why = f"declared {declared} does not fit" if declared else "no charset declared"
    raise InputError(f"{name}: cannot decode the page (not UTF-8, {why}, encoding not detectable)")


# ---------------------------------------------------------------------------------------------
# parsing and metadata
# ---------------------------------------------------------------------------------------------
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PARSER = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False,
                               encoding="utf-8")  # fed UTF-8 bytes: faster than a str, and no charset guessing
# every element an HtmlElement, looked up in C: lxml.html's default lookup is a Python call per element
# proxy (forms and inputs get special classes), which trafilatura's many tree walks pay for again and again
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment, pi=lxml_html.HtmlProcessingInstruction,
    entity=lxml_html.HtmlEntity))


def parse_page(text: str, name: str) -> lxml_html.HtmlElement:
    """The lxml tree of a page (a fragment is wrapped into a document)."""
    text = _INVALID_XML_CHARS.sub("", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        raise InputError(f"{name}: no text found in the page (empty)")
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, ValueError) as e:
        raise InputError(f"{name}: cannot parse the page as HTML ({e})") from None
    if tree is None:
        raise InputError(f"{name}: cannot parse the page as HTML")
    return tree


def _clean(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split()) if s else ""


def _absolute(href: str, base: str) -> str:
    href = href.strip()
    if not base or not href:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


_LD_ARTICLE = re.compile(r"article|posting|report|news|blog", re.I)


def _ld_objects(tree: lxml_html.HtmlElement) -> Iterable[dict]:
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop(0)
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                yield obj
                if isinstance(obj.get("@graph"), list):
                    stack.extend(obj["@graph"])


def _ld_text(value: Any) -> str:
    """A JSON-LD value as text: a string, the first of a list, an object's name or @value."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    return value if isinstance(value, str) else ""


def _ld_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _ld_names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _ld_names(v)]
    return []


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·•:»]\s+")


def _strip_site(title: str, site: str, host: str) -> str:
    """'Story title | Site' -> 'Story title': the leading or trailing parts that name the site."""
    seps = list(_TITLE_SEPARATORS.finditer(title))
    if not seps:
        return title
    bounds = [0] + [x for m in seps for x in (m.start(), m.end())] + [len(title)]
    parts = [title[bounds[i]:bounds[i + 1]] for i in range(0, len(bounds), 2)]
    squash = [p.casefold().replace(" ", "") for p in parts]
    names = [n.casefold().replace(" ", "") for n in (site, host, host.split(".")[0] if host else "") if n]

    def names_site(i: int) -> bool:
        part = squash[i]
        return bool(part) and any(part == n or (len(n) > 3 and (part in n or n in part) and len(part) < 60)
                                  for n in names)

    lo, hi = 0, len(parts)
    while hi - lo > 1 and names_site(hi - 1):
        hi -= 1
    while hi - lo > 1 and names_site(lo):
        lo += 1
    if (lo, hi) == (0, len(parts)) and len(parts) == 2 and " | " in title and len(parts[1]) < 30 \
            and len(parts[0]) > 2 * len(parts[1]):
        hi = 1  # 'Story title | Section'
    return title[bounds[2 * lo]:bounds[2 * hi - 1]].strip()


def _iso_date(value: str) -> str:
    from datetime import datetime

    value = value.strip()
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        return "-".join(m.groups()) if m else ""


def page_metadata(tree: lxml_html.HtmlElement, url: str = "") -> dict[str, str]:
    """url, canonical_url, title, author, date (YYYY-MM-DD), site, description of a page."""
    metas: dict[str, str] = {}
    for m in tree.iterfind(".//meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content and content.strip() and key not in metas:
            metas[key] = _clean(content)
    ld: dict[str, Any] = {}
    publisher = ""
    for obj in _ld_objects(tree):
        kind = obj.get("@type")
        kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
        if not ld and _LD_ARTICLE.search(kinds) and (obj.get("headline") or obj.get("articleBody")):
            ld = obj
        if not publisher and re.search(r"Organization|NewsMediaOrganization|WebSite", kinds):
            publisher = _clean(_ld_text(obj.get("name")))
    canonical = ""
    for link in tree.iterfind(".//link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href").strip()
            break
    page_url = url or _absolute(canonical, metas.get("og:url", "")) or metas.get("og:url", "")
    canonical = _absolute(canonical, page_url) if canonical else metas.get("og:url", "")
    host = _host(page_url or canonical)
    site = (metas.get("og:site_name") or _clean(_ld_text(ld.get("publisher"))) or publisher
            or metas.get("application-name", "") or host)
    title = metas.get("og:title") or metas.get("twitter:title") or _clean(_ld_text(ld.get("headline")))
    if not title:
        t = tree.find(".//title")
        title = _clean(t.text_content()) if t is not None else ""
        if not title:
            h1 = tree.find(".//h1")
            title = _clean(h1.text_content()) if h1 is not None else ""
    title = _strip_site(title, site, host) if title else ""
    authors = [_clean(a) for a in _ld_names(ld.get("author"))]
    authors = [a for a in authors if a and not a.startswith("http")]
    author = "; ".join(list(dict.fromkeys(authors))[:6])
    if not author:
        for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl",
                    "twitter:creator"):
            v = metas.get(key, "")
            if v and not v.startswith(("http", "@")) and len(v) < 120:
                author = re.sub(r"^(by|por|par|von)\s+", "", v, flags=re.I)
                break
    date = _iso_date(_ld_text(ld.get("datePublished")))
    if not date:
        for key in ("article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
                    "publish-date", "article.published", "parsely-pub-date", "sailthru.date", "dc.date.issued",
                    "dc.date", "date", "article:modified_time"):
            if metas.get(key) and (date := _iso_date(metas[key])):
                break
    if not date:
        try:
            from htmldate import find_date

            date = find_date(tree, extensive_search=False, original_date=True, url=page_url or None) or ""
        except Exception:  # noqa: BLE001 - a date is a nicety, never a reason to lose the page
            date = ""
    description = metas.get("og:description") or metas.get("description") or metas.get("twitter:description", "")
    return {"url": page_url, "canonical_url": canonical, "title": title, "author": author, "date": date,
            "site": site, "description": description}


# ---------------------------------------------------------------------------------------------
# tree -> blocks (paragraph text with inline spans)
# ---------------------------------------------------------------------------------------------
@dataclass
class _Block:
    kind: str
    text: str
    spans: list[tuple[str, int, int, dict[str, str]]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    cls: str = ""  # class attribute of the block element (article mode: a hint for the filters)

    @property
    def link_chars(self) -> int:
        """Characters (spaces aside) inside links."""
        total, end = 0, 0
        for _kind, s, e, _attrs in sorted(x for x in self.spans if x[0] == "link"):
            s = max(s, end)
            if e > s:
                chunk = self.text[s:e]
                total += len(chunk) - chunk.count(" ")
                end = e
        return total


_SPACES = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))  # soft hyphen, zero-width space, joiners
_CODE_BLANKS = re.compile(r"\n\s*\n")  # a blank line inside code would read as a paragraph break


class _Walker:
    """Walks a tree (trafilatura's TEI-like body, or a raw HTML page) into blocks."""

    def __init__(self, base: str, scheme: str) -> None:
        self.base = base
        self.skip = _HTML_SKIP
        self.blocks: list[_Block] = []
        self.open: list[list[Any]] = []  # open inline spans: [kind, attrs, start]
        self._reset("text", {}, "")

    def _reset(self, kind: str, meta: dict[str, Any], cls: str) -> None:
        self.parts: list[str] = []
        self.n = 0
        self.sep = ""  # separator owed before the next text ("", " " or "\n")
        self.kind, self.meta, self.cls = kind, meta, cls
        self.spans: list[tuple[str, int, int, dict[str, str]]] = []

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.n += len(s)

    def add(self, s: str | None) -> None:
        if not s:
            return
        if self.kind == "code":
            self._emit(s)
            return
        lead, trail = s[0].isspace(), s[-1].isspace()
        if lead and trail and s.isspace():
            if self.n and not self.sep:
                self.sep = " "
            return
        if not s.isascii():
            s = s.translate(_INVISIBLE)
        s = " ".join(s.split())
        if lead and self.n and not self.sep:
            self.sep = " "
        if not s:
            return
        if self.n and self.sep:
            self._emit(self.sep)
        self.sep = " " if trail else ""
        self._emit(unicodedata.normalize("NFC", s) if not s.isascii() else s)

    def newline(self) -> None:
        if self.n and self.kind != "code":
            self.sep = "\n"
        elif self.kind == "code":
            self._emit("\n")

    def flush(self, kind: str, meta: dict[str, Any], cls: str) -> None:
        """Close the current block and open a new one of ``kind``."""
        if not self.n:
            for sp in self.open:
                sp[2] = 0
            self.kind, self.meta, self.cls, self.sep = kind, meta, cls, ""
            self.spans.clear()
            return
        text = "".join(self.parts)
        spans = list(self.spans)
        for sp in self.open:  # an inline element that spans a block boundary is cut there
            spans.append((sp[0], sp[2], self.n, sp[1]))
            sp[2] = 0
        if self.kind == "code":
            stripped = text.strip()
            lead = len(text) - len(text.lstrip())
            text = _CODE_BLANKS.sub("\n", stripped)
            spans = [] if text != stripped else [(k, s - lead, e - lead, a) for k, s, e, a in spans]
        if text.strip():
            clean = []
            for k, s, e, a in spans:
                s, e = max(s, 0), min(e, len(text))
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                if s < e:
                    clean.append((k, s, e, a))
            self.blocks.append(_Block(self.kind, text, clean, self.meta, self.cls))
        self._reset(kind, meta, cls)


# trafilatura's output tree
_TEI_BLOCKS = {"p", "head", "list", "item", "quote", "code", "table", "row", "cell", "div", "ab", "body", "note",
               "figure", "doc", "main", "article", "section"}
_TEI_KIND = {"item": "list_item", "quote": "quote", "code": "code", "cell": "table_cell"}
_TEI_INLINE_PARENTS = {"p", "head", "item", "cell", "hi", "ref", "del", "quote"}
_TEI_HI = {"#b": "strong", "#i": "emphasis", "#t": "code", "#u": "emphasis"}
# raw HTML (page mode and the fallback)
_HTML_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "caption", "noscript", "option", "hr",
}
_HTML_SKIP = {"script", "style", "template", "svg", "math", "canvas", "iframe", "object", "embed", "head", "title",
              "meta", "link", "select", "datalist", "audio", "video", "source", "track", "map", "button", "input",
              "textarea", "noscript", "img", "picture"}
_HTML_INLINE = {"a": "link", "em": "emphasis", "i": "emphasis", "cite": "emphasis", "strong": "strong",
                "b": "strong", "code": "code", "kbd": "code", "samp": "code", "tt": "code"}
_HTML_KIND = {"li": "list_item", "dd": "list_item", "dt": "list_item", "blockquote": "quote", "pre": "code",
              "td": "table_cell", "th": "table_cell", "figcaption": "caption", "caption": "caption"}
_INHERITING = {"quote", "list_item", "table_cell", "caption"}


def _hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style) is not None


def _open_block(w: _Walker, kind: str, meta: dict[str, Any], cls: str) -> None:
    if w.n or w.open:
        w.flush(kind, meta, cls)
    else:
        w.kind, w.meta, w.cls, w.sep = kind, meta, cls, ""


def _link(href: str | None) -> dict[str, str] | None:
    if not href:
        return None
    href = href.strip()
    if not href or href[0] == "#" or href[:11].lower() == "javascript:":
        return None
    return {"href": href}  # made absolute once the document is built


def _walk_html(w: _Walker, el: Any, ctx: str, ctx_meta: dict[str, Any]) -> None:
    tag = el.tag
    if not isinstance(tag, str):  # comments, processing instructions
        return
    tag = tag.lower()
    if tag in w.skip:
        return
    attrib = el.attrib
    if attrib and ("hidden" in attrib or "aria-hidden" in attrib or "style" in attrib) and _hidden(el):
        return
    if tag in _HTML_BLOCKS:
        if tag in _HTML_KIND:
            kind, meta = _HTML_KIND[tag], {}
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            kind, meta = "heading", {"level": int(tag[1])}
        elif ctx in _INHERITING or ctx == "code":
            kind, meta = ctx, ctx_meta
        else:
            kind, meta = "text", {}
        cls = attrib.get("class") or "" if attrib else ""
        _open_block(w, kind, meta, cls)
        if el.text:
            w.add(el.text)
        for child in el:
            _walk_html(w, child, kind, meta)
            if child.tail:
                w.add(child.tail)
        _open_block(w, ctx, ctx_meta, "")
        return
    if tag == "br":
        w.newline()
        return
    k = _HTML_INLINE.get(tag)
    span = None
    if k == "link":
        attrs = _link(attrib.get("href"))
        span = [k, attrs, w.n] if attrs else None
    elif k and w.kind != "code":
        span = [k, {}, w.n]
    if span is not None:
        w.open.append(span)
    if el.text:
        w.add(el.text)
    for child in el:
        _walk_html(w, child, ctx, ctx_meta)
        if child.tail:
            w.add(child.tail)
    if span is not None:
        w.open.remove(span)
        w.spans.append((span[0], span[2], w.n, span[1]))


def _walk_tei(w: _Walker, el: Any, ctx: str, ctx_meta: dict[str, Any]) -> None:
    tag = el.tag
    if not isinstance(tag, str):
        return
    if tag == "code":  # a code block, or code inside running text
        parent = el.getparent()
        is_block = "\n" in (el.text or "") or parent is None or parent.tag not in _TEI_INLINE_PARENTS
    else:
        is_block = tag in _TEI_BLOCKS
    if is_block:
        if tag == "head":
            rend = el.get("rend") or "h3"
            kind, meta = "heading", {"level": int(rend[1]) if rend[1:2].isdigit() else 3}
        elif tag in _TEI_KIND:
            kind, meta = _TEI_KIND[tag], {}
        elif ctx in _INHERITING or ctx == "code":
            kind, meta = ctx, ctx_meta
        else:
            kind, meta = "text", {}
        _open_block(w, kind, meta, el.get("class") or "")
        if el.text:
            w.add(el.text)
        for child in el:
            _walk_tei(w, child, kind, meta)
            if child.tail:
                w.add(child.tail)
        _open_block(w, ctx, ctx_meta, "")
        return
    if tag == "lb":
        w.newline()
        return
    span = None
    if tag == "ref":
        attrs = _link(el.get("target"))
        span = ["link", attrs, w.n] if attrs else None
    elif tag == "hi":
        k = _TEI_HI.get(el.get("rend") or "")
        if k and w.kind != "code":
            span = [k, {}, w.n]
    elif tag == "code" and w.kind != "code":
        span = ["code", {}, w.n]
    if span is not None:
        w.open.append(span)
    if el.text:
        w.add(el.text)
    for child in el:
        _walk_tei(w, child, ctx, ctx_meta)
        if child.tail:
            w.add(child.tail)
    if span is not None:
        w.open.remove(span)
        w.spans.append((span[0], span[2], w.n, span[1]))


def _blocks(root: etree._Element, base: str, scheme: str) -> list[_Block]:
    w = _Walker(base, scheme)
    (_walk_html if scheme == "html" else _walk_tei)(w, root, "text", {})
    w.flush("text", {}, "")
    return w.blocks


def page_blocks(tree: lxml_html.HtmlElement, base: str, skip: frozenset[str] = frozenset()) -> list[_Block]:
    """All visible text of a page, block by block (``skip``: tags left out with their content)."""
    body = tree.find("body") if tree.tag == "html" else tree
    w = _Walker(base, "html")
    w.skip = _HTML_SKIP | skip
    _walk_html(w, body if body is not None else tree, "text", {})
    w.flush("text", {}, "")
    return w.blocks


# where no article text stands: left out of the page's blocks that recovery looks at
_NOT_ARTICLE = frozenset({"nav", "footer", "aside", "form", "menu", "dialog"})


# ---------------------------------------------------------------------------------------------
# article extraction and post-filters
# ---------------------------------------------------------------------------------------------
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


def article_blocks(tree: lxml_html.HtmlElement, base: str, title: str = "") -> list[_Block]:
    """The article's blocks: trafilatura's main text, the paragraphs it dropped inside the article
    or between the title and the article (found among the page's blocks), then the filters."""
    body = _trafilatura_body(tree)
    if body is None:
        return []
    blocks = _blocks(body, base, "tei")
    if blocks:
        blocks = recover_blocks(blocks, page_blocks(tree, base, _NOT_ARTICLE), title)
    return filter_blocks(blocks)


_NON_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    return _NON_WORD.sub("", text[:160].casefold())[:64]


def _running_text(b: _Block, min_words: int) -> bool:
    return (_words(b.text) >= min_words and b.link_chars < 0.2 * len(b.text) and not _boilerplate(b))


def recover_blocks(blocks: list[_Block], page: list[_Block], title: str = "") -> list[_Block]:
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
    after: dict[int, list[_Block]] = {}
    for i in range(first + 1, last):
        b = page[i]
        if i not in have and b.kind in ("text", "quote", "list_item") and _running_text(b, 15):
            prev = max(p for p in known if p < i)
            after.setdefault(prev, []).append(b)
    lead: list[_Block] = []
    if title:
        key = _norm(title)
        found = []
        for j in range(first - 1, max(-1, first - 8), -1):
            b = page[j]
            if _norm(b.text) == key or (b.kind == "heading" and b.meta.get("level") == 1):
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


def _words(text: str) -> int:
    return len(text.split())


_W = r"[\w'’\-]+"
# a teaser line: "Read more: <other story>", "Lea también: ...", "À lire aussi »", ...
_TEASER_PHRASES = (
    r"^\W{0,3}(?:read (?:more|also|next)|also read|see also|more from|related(?: stor(?:y|ies)| articles?| coverage)?|"
    r"recommended(?: for you)?|further reading|you (?:may|might) (?:also )?(?:like|be interested)|don'?t miss|"
    r"watch|listen|trending|most (?:read|popular)|editor'?s picks?|"
    r"lea (?:también|tambien|además|más|mas|aquí|aqui)|lea|le puede interesar|(?:también )?puedes? leer|"
    r"(?:te |le )?recomendamos|te puede interesar|puede interesarte|"
    r"(?:tambi[eé]n )?(?:te |le )?(?:puede|podr[ií]a) interesar|vea (?:también|tambien|además)|"
    r"ver (?:también|tambien|más)|"
    r"mira|mire|puedes ver|lee (?:también|tambien|además|más)|relacionad[oa]s?|notas? relacionadas?|"
    r"contenido relacionado|art[ií]culos? relacionados?|noticias relacionadas|temas relacionados|"
    r"[àa] lire (?:aussi|également|egalement)|lire aussi|lire la suite|voir aussi|sur le même sujet|"
    r"leia (?:também|tambem|mais)|veja (?:também|tambem|mais)|saiba mais|assista|"
    r"читайте (?:также|еще|ещё)|смотрите также|по теме|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|siehe auch|auch interessant|"
    r"leggi anche|vedi anche)")
_TEASER = re.compile(_TEASER_PHRASES + r"\s*(?:[:»>|\-–—]|\.\.\.|…)")
_TEASER_START = re.compile(_TEASER_PHRASES + r"\b")  # a short line that starts so
_TEASER_HEADING = re.compile(
    r"^\W{0,3}(?:related(?: (?:stories|articles|posts|content|coverage|news|reading|topics))?|more (?:stories|news|"
    r"from|on|in|like this|to read|articles)\b.*|read (?:more|next|also)|recommended(?: for you| stories| reading)?|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)\b.*|further reading|popular(?: now| stories| posts)?|"
    r"most (?:read|popular|viewed|shared)|trending(?: now| stories)?|latest(?: news| stories| posts| articles)?|"
    r"top stories|editor'?s picks?|also (?:on|in|read)\b.*|what to read next|tags?|topics?|categories|filed under|"
    r"related (?:articles|stories|posts|content|coverage|news)\b.*|"
    r"more (?:stories|news|articles) (?:from|on|in|about)\b.*|"
    r"otras noticias\b.*|m[aá]s le[ií]d[ao]s\b.*|m[aá]s noticias\b.*|seguir leyendo|sigue leyendo|"
    r"plus d'articles\b.*|les plus lus\b.*|mais not[ií]cias\b.*|leia mais\b.*|"
    r"share(?: this(?: article| story| post)?)?|comments?|leave a (?:comment|reply)|newsletter|sign up\b.*|"
    r"notas? relacionadas?|noticias relacionadas|contenido relacionado|art[ií]culos? relacionados?|"
    r"temas?(?: relacionados)?|etiquetas|lo m[aá]s (?:le[ií]do|visto|popular)|m[aá]s (?:noticias|le[ií]das?|"
    r"sobre\b.*|de\b.*)|te puede interesar|le puede interesar|tambi[eé]n te puede interesar|[uú]ltimas noticias|"
    r"comentarios|compartir|sur le m[eê]me sujet|[àa] lire aussi|lire aussi|les plus lus|dans la m[eê]me rubrique|"
    r"voir aussi|partager|commentaires?|mots[- ]cl[eé]s|"
    r"leia tamb[eé]m|veja tamb[eé]m|saiba mais|mais lidas|not[ií]cias relacionadas|mat[eé]rias relacionadas|"
    r"coment[aá]rios|"
    r"compartilhe|"
    r"читайте также|по теме|популярное|комментарии|"
    r"das k[oö]nnte sie auch interessieren|mehr zum thema|meistgelesen|kommentare)\W{0,3}$")
# service lines: subscribe/follow/share/newsletter/cookie/paywall/ads/disclosure/donation appeals.
# Strong cues are phrases no article sentence uses (a paragraph of up to 45 words goes); weak cues
# are single words that news also uses ("newsletter", "subscribe"): only short lines go.
_SERVICE_STRONG = re.compile(
    r"\b(?:sign(?:ing)? up (?:for|to|here|now|today)|subscribe (?:now|today|here|to (?:our|the|read|continue|get))|"
    r"already (?:a )?subscriber|become a (?:subscriber|member|patron|supporter)|subscribers? only|"
    r"unsubscribe|(?:our|daily|weekly|free) newsletters?|newsletter (?:sign|today|and)|"
    r"log ?in (?:to|for|here)|sign in (?:to|here)|register (?:now|here|for free)|create (?:an|your) (?:free )?account|"
    r"follow (?:us|me)\b|follow @|follow (?:the )?[\w. ]{1,40} on (?:twitter|facebook|instagram|x|linkedin|tiktok)|"
    r"(?:find|join|like) us on|share (?:this|on (?:facebook|twitter|whatsapp|linkedin))|click here|"
    r"download (?:the|our) (?:[\w.]+ )?apps?|cookie (?:policy|settings|preferences)|(?:use|uses|accept) cookies|"
    r"privacy policy|terms of (?:use|service)|advertise with|(?:our|from) advertisers|advertiser disclosure|"
    r"affiliate (?:links?|commission)|we (?:may )?(?:earn|receive) (?:a )?(?:commission|compensation)|"
    r"letters? to the editor|send us (?:a|your) (?:message|tip|story|letter)|contact us|donate (?:now|today|here)|"
    r"support (?:independent|our) journalism|support us|to (?:view|read) the full story|for the full story|"
    r"continue reading|keep reading|read the full (?:story|article)|(?:estimated )?reading time|\d+ min(?:ute)?s? read|"
    r"tiempo de lectura|temps de lecture|tempo de leitura|cancel (?:anytime|at any time)|cancela cuando quieras|"
    r"apoya (?:el|nuestro) periodismo|soutenez (?:notre|le) journalisme|apoie o jornalismo|clic (?:aquí|aqui|acá)|"
    r"haga clic|haz clic|cliquez ici|clique aqui|m[aá]s informaci[oó]n (?:en|sobre)|"
    r"this story (?:was|is) (?:originally )?(?:published|produced) by|"
    r"suscr[ií]b(?:e|ete|ase|irse)\b|suscripci[oó]n|s[ií]guenos|[uú]nete (?:a|al|desde|en)|reg[ií]strate|"
    r"inicia sesi[oó]n|"
    r"nuestro bolet[ií]n|hazte (?:miembro|socio)|canal de (?:youtube|telegram|whatsapp)|descarga (?:la|nuestra) app|"
    r"abonnez-vous|(?:d[ée]j[àa] )?abonn[ée]s? (?:au|à)|votre abonnement|inscrivez-vous|suivez-nous|partagez (?:cet|l)|"
    r"pour lire la suite|pour acc[ée]der (?:à|en|aux)|pour continuer (?:à|a) lire|cr[ée]ez votre compte|"
    r"connectez-vous|d[ée]j[àa] un compte|offre d[ée]couverte|already have an account|"
    r"(?:ya )?tienes una cuenta|j[áa] tem (?:uma )?conta|"
    r"assine (?:já|agora|o|a)|j[áa] (?:é|sou) assinante|inscreva-se|siga[- ]nos|"
    r"подпишитесь|подписывайтесь|подписаться на|"
    r"abonnieren sie|folgen sie uns|jetzt abonnieren)")
_SERVICE_WEAK = re.compile(
    r"\b(?:subscribe|subscription|subscribers?|newsletters?|sign up|log ?in|sign in|register|donate|sponsored|"
    r"advertisement|cookies|whatsapp|telegram|instagram|twitter|facebook|youtube|"
    r"suscr[ií]bete|bolet[ií]n|publicidad|newsletter|abonnez|abonnement|publicit[ée]|assine|assinante|"
    r"подписк|реклама|werbung|anzeige)\b")
_COPYRIGHT = re.compile(r"^\W{0,2}(?:©|\(c\)\s*\d{4}|copyright\b)|all rights reserved|derechos reservados|"
                        r"droits r[ée]serv[ée]s|direitos reservados|права защищены|rechte vorbehalten|"
                        r"copyrighted property|without (?:the )?(?:express )?(?:written )?permission")
# photo credits and captions
_CREDIT = re.compile(
    r"^\W{0,2}(?:photo(?:graph)?s?|images?|pictures?|credits?|illustrations?|video|foto(?:graf[ií]a)?s?|"
    r"imagen|im[aá]genes|cr[ée]dits?(?: photos?)?|image illustrative|fuente|source|cortes[ií]a|courtesy|"
    r"file photo|getty images|ap photo)\b(?:\s*\([^()]{0,20}\))?\s*(?:by|de|:|/|©|-|–)")
_CAPTION_TAIL = re.compile(
    r"[(\[](?:[^()\[\]]{0,80}\b(?:photos?|fotos?|pictures?|pic|images?|imagen|video|file|cr[ée]dit|credit|getty|afp|reuters|ap|efe|"
    r"archivo|file|cortes[ií]a|courtesy|shutterstock|istock|bestimage|dpa|epa)\b[^()\[\]]{0,80})[)\]]\.?$")
_CAPTION_CLASS = re.compile(r"caption|credit|legend|leyenda|legende|pie-?de-?foto|photo-?desc|image-?desc")
_BOILER_CLASS = re.compile(r"\b(?:share|social|newsletter|subscribe|related|promo|advert|sponsor|byline|"
                           r"breadcrumb|cookie|paywall)")
_BYLINE = re.compile(r"^(?:by|por|par|von|от|written by|reported by|escrito por|texto de|texte de)\s*:?\s+"
                     r"[\w.'’\-]+(?:\s+[\w.'’\-]+){0,5}$"
                     r"|^(?:(?:article|story|post) )?(?:published|updated|posted|last (?:modified|updated)|"
                     r"latest update|"
                     r"publicado|actualizado|publi[ée]|cr[ée]{2}|created|"
                     r"mis à jour|atualizado|опубликовано|обновлено|release date|news date|fecha)\b.{0,80}$")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
          r"septiembre|setiembre|octubre|noviembre|diciembre|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|"
          r"ao[uû]t|septembre|octobre|novembre|d[ée]cembre|janeiro|fevereiro|mar[cç]o|maio|junho|julho|"
          r"setembro|outubro|novembro|dezembro|januar|februar|m[äa]rz|juni|juli|oktober|dezember)\.?")
_DATE_LINE = re.compile(
    r"^\W*(?:[^\W\d_]+\.?,?\s+){0,2}(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    rf"\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})"
    r"(?:\W{1,4}(?:at\s+|a las\s+|à\s+|às\s+)?\d{1,2}[:h.]\d{2}(?:\s*[ap]\.?m\.?|\s*h(?:rs)?)?(?:\s+\w{2,5})?)?\W*$")
# "PUBLISHED: November 8, 2023 at 4:56 p.m. | UPDATED: ...", "by Jane Doe November 8, 2023 | 6:03 pm"
_DATELINE = re.compile(r"^\W{0,2}(?:(?:article|story|post) )?(?:published|updated|posted|last (?:modified|updated)|"
                       r"latest update|publicado|actualizado|cr[ée]{2}|created|written by|"
                       r"publi[ée]|mis à jour|atualizado|опубликовано|обновлено|by|por|par)\b")
_HAS_DATE = re.compile(rf"\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
                       rf"\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\b\d{{1,2}}\.?\s+(?:de\s+)?{_MONTH}\b")
_SOCIAL_WORD = re.compile(r"^(?:share|tweet|email|e-mail|print|imprimir|compartir|partager|facebook|twitter|"
                          r"whatsapp|linkedin|pinterest|telegram|reddit|copy link|copiar enlace|advertisement|"
                          r"publicidad|publicit[ée]|anuncio|реклама|werbung|anzeige|comments?|\d+ comments?|reply|"
                          r"responder|r[ée]pondre|menu|search|home|inicio|accueil|back to top|volver arriba|"
                          r"cerrar|close|fermer|loading\.*|cargando\.*|chargement\.*)\W*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_URLISH = re.compile(r"^\S+@\S+\.\w+$|^(?:https?://|www\.)\S+$")


def _link_dense(b: _Block) -> bool:
    """A short paragraph that is (nearly) all link: a teaser headline, a menu entry, a tag."""
    if b.kind in ("code", "table_cell") or _URLISH.match(b.text):
        return False
    return _words(b.text) <= 25 and b.link_chars >= 0.75 * len(b.text.replace(" ", ""))


def _boilerplate(b: _Block) -> str:
    """Why a paragraph is no part of the article ("" when it is): service lines, teasers, credits."""
    text = b.text
    n = _words(text)
    low = text.lower()  # the patterns are lower-case: case-blind matching is 4 times slower
    if n > 45:  # running text: only a teaser made of links goes
        return "teaser" if _TEASER.match(low) and b.link_chars >= 0.5 * len(text) else ""
    if n <= 3 and _SOCIAL_WORD.match(low):
        return "social"
    if _TEASER.match(low) and (n <= 40 or b.link_chars >= 0.5 * len(text)):
        return "teaser"
    if n <= 8 and _TEASER_START.match(low):
        return "teaser"
    if n <= 12 and _TEASER_HEADING.match(low):
        return "section"
    if n <= 45 and _COPYRIGHT.search(low):
        return "copyright"
    if n <= 45 and _SERVICE_STRONG.search(low):
        return "service"
    if n <= 15 and _SERVICE_WEAK.search(low) and not text.endswith((".", "?", "!", '"', "”", "»")):
        return "service"
    if n <= 20 and _CREDIT.match(low):
        return "credit"
    if b.kind != "code" and n <= 10 and _BYLINE.match(low) and not text.endswith((".", "!", "?")):
        return "byline"
    if b.kind != "code" and n <= 30 and _DATELINE.match(low) and _HAS_DATE.search(low):
        return "byline"
    if b.kind != "code" and n <= 12 and _DATE_LINE.match(low):
        return "date"
    if n <= 15 and "@" in low and _EMAIL.search(low) and _HAS_DATE.search(low):
        return "byline"
    if b.cls and n <= 40 and _BOILER_CLASS.search(b.cls.lower()):
        return "class"
    if n <= 3 and _link_dense(b):
        return "links"
    return ""


def _is_caption(b: _Block) -> bool:
    if b.cls and _CAPTION_CLASS.search(b.cls.lower()):
        return True
    return _words(b.text) <= 60 and _CAPTION_TAIL.search(b.text.lower()) is not None


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", s.casefold()).split())


def filter_blocks(blocks: list[_Block]) -> list[_Block]:
    """Drop boilerplate paragraphs, cut related-story sections, mark captions, drop duplicates.

    A link-dense short paragraph goes when it stands among others like it or among boilerplate
    (a teaser list, a menu) or ends the text; alone inside the article it stays."""
    reasons = [_boilerplate(b) for b in blocks]
    dense = [_link_dense(b) for b in blocks]
    last = len(blocks) - 1
    for i in range(len(blocks)):
        if dense[i] and not reasons[i]:
            near = any(0 <= j <= last and (dense[j] or reasons[j]) for j in (i - 1, i + 1))
            if near or i == last:
                reasons[i] = "links"
    out: list[_Block] = []
    seen: set[str] = set()
    cutting = False
    for i, b in enumerate(blocks):
        n = _words(b.text)
        if reasons[i] == "section":
            cutting = True  # a "Related stories" section: its teasers follow
            continue
        if cutting:
            if (b.kind == "heading" and not dense[i]) or (n > 25 and b.link_chars < 0.3 * len(b.text)):
                cutting = False
            else:
                continue
        if reasons[i]:
            continue
        if _is_caption(b):
            b.kind = "caption"
        key = _norm(b.text)
        if n >= 4 and key in seen:
            continue
        seen.add(key)
        out.append(b)
    return _trim_edges(out)


def _fragment(b: _Block, words: int = 4) -> bool:
    """A few words without sentence punctuation: a label, a kicker, a byline, a widget's leftovers."""
    text = b.text
    return (b.kind in ("text", "heading", "caption", "quote") and _words(text) <= words and ":" not in text
            and not any(c.isdigit() for c in text) and not text.rstrip("\"'”’»)").endswith((".", "!", "?", "…")))


def _trim_edges(blocks: list[_Block]) -> list[_Block]:
    """Labels before the article's first paragraph; headings, lead-ins ("Read more:") and fragments
    after its last one."""
    # runs of three or more one-to-three-word lines: form fields, widget labels, menus
    tiny = [b.kind == "text" and _words(b.text) <= 3 and not b.text.endswith((".", "!", "?"))
            and not _URLISH.match(b.text) for b in blocks]
    drop: set[int] = set()
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and tiny[j]:
            j += 1
        if j - i >= 3:
            drop.update(range(i, j))
        i = max(j, i + 1)
    if drop:
        blocks = [b for i, b in enumerate(blocks) if i not in drop]
    first = next((i for i, b in enumerate(blocks) if _words(b.text) >= 12 and b.kind != "heading"), None)
    if first is None:  # no paragraph of running text: keep what there is, unless only headings
        return [] if all(b.kind in ("heading", "caption") for b in blocks) else blocks
    blocks = [b for i, b in enumerate(blocks) if i >= first or not _fragment(b)]
    while blocks and (blocks[-1].kind == "heading" or _fragment(blocks[-1])
                      or (_words(blocks[-1].text) <= 8 and blocks[-1].text.endswith(":"))):
        blocks.pop()
    return blocks


# ---------------------------------------------------------------------------------------------
# the document
# ---------------------------------------------------------------------------------------------
def _document(blocks: list[_Block], title: str, doc_id: str, lang: str, base: str = "") -> Document:
    if title:
        key = _norm(title)
        # the page repeats its title as the first heading or paragraph: keep it once
        for i, b in enumerate(blocks[:3]):
            if _norm(b.text) == key:
                del blocks[i]
                break
        blocks = [_Block("title", title)] + blocks
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
                attrs["href"] = _absolute(attrs["href"], base)
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
    blocks: list[_Block] = []
    if mode == "article":
        blocks = article_blocks(tree, base, meta["title"])
        if not blocks:
            extraction = "fallback"
            flags.append("extraction_fallback")
    if not blocks:
        blocks = page_blocks(tree, base)
    if not blocks:
        raise InputError(f"{name}: no text found in the page")
    doc = _document(blocks, meta["title"], doc_id, lang, base)
    doc.meta = {**meta, "source": source, "extraction": extraction}
    if flags:
        doc.meta["flags"] = flags
    return doc


def article_body(doc: Document) -> str:
    """The article's running text: every paragraph but the title and captions (for scoring)."""
    return "\n\n".join(doc.text[p.start:p.end] for p in doc.paragraphs if p.kind not in ("title", "caption"))
