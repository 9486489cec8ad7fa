"""A web page's bytes -> text -> lxml tree, and its metadata.

``decode_page`` decodes the page (BOM, the HTTP charset, the declared charset, UTF-8, a fast
charset detector on a sample: never seconds on a page), ``parse_page`` parses it once with lxml,
``page_metadata`` reads what the page says about itself: meta tags, JSON-LD, the canonical link;
the title without the site's name (nor a section or date after the page's own headline); the
date (with htmldate when the page states none).
"""
from __future__ import annotations

import codecs
import json
import re
import unicodedata
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ..errors import InputError
from .decode import BOMS, check_text, decode, mostly_utf8, normalize_newlines

__all__ = ["absolute_url", "decode_page", "drop_invisible", "page_metadata", "parse_page"]

# ---------------------------------------------------------------------------------------------
# decoding
# ---------------------------------------------------------------------------------------------
_CHARSET_META = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""",
    re.I,
)
# WHATWG: these labels mean windows-1252 in a browser (and so on real pages)
_WHATWG_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
                   "iso-8859-9": "cp1254", "iso8859-9": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874"}


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
    """(text, encoding, replaced bytes) of a page, in a bounded time: a byte-order mark; else the
    HTTP charset (``charset``), then the page's own declaration (``<meta charset>``, ``http-equiv``,
    XML declaration), each when it decodes strictly; else UTF-8 (stray bytes replaced and counted
    where the rest is UTF-8); else the encoding a fast detector (uchardet, on a sample of the
    page) finds. Binary data and an empty page are InputErrors."""
    if any(data.startswith(bom) for bom, _ in BOMS):
        decoded = decode(data, name)
        return decoded.text, decoded.encoding, decoded.replaced
    for codec in (_codec(charset) if charset else "", _declared_charset(data)):
        if codec and codec not in ("utf-16", "utf-32"):
            try:
                return normalize_newlines(data.decode(codec)), codec, 0
            except (UnicodeDecodeError, LookupError):
                pass
    check_text(data, name)
    try:
        return normalize_newlines(data.decode("utf-8")), "utf-8", 0
    except UnicodeDecodeError:
        pass
    repaired = mostly_utf8(data)
    if repaired is not None:
        return normalize_newlines(repaired[0]), "utf-8", repaired[2]
    codec = _detected_charset(data)
    return normalize_newlines(data.decode(codec, "replace")), codec, 0


DETECTION_SAMPLE = 65536  # bytes the charset detector reads (half from each end of a longer page)


def _detected_charset(data: bytes) -> str:
    """The charset uchardet (resiliparse's binding) finds in a sample of the page; cp1252 when it
    finds none that Python knows."""
    from resiliparse.parse.encoding import detect_encoding

    return _codec(detect_encoding(data, max_len=DETECTION_SAMPLE) or "") or "cp1252"


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


# what no reader shows: removed once, after the metadata is read, so no later walk pays for it
_INVISIBLE = ("script", "style", "template", "noscript", "svg", "math", "canvas", "object", "embed", "iframe")


def drop_invisible(tree: lxml_html.HtmlElement) -> None:
    """Remove the elements whose content is never text on the page (scripts, styles, SVG, ...),
    keeping the text that follows them."""
    etree.strip_elements(tree, *_INVISIBLE, with_tail=False)


def _clean(s: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split()) if s else ""


def absolute_url(href: str, base: str) -> str:
    """``href`` made absolute against ``base`` (as it is where it cannot be)."""
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


def _headline_part(title: str, tree: lxml_html.HtmlElement, metas: dict[str, str], ld: dict[str, Any]) -> str:
    """'Story - Section - Site' -> 'Story' where the page's own headline (its first h1, an itemprop
    or JSON-LD headline) is the title's leading part, before a separator, and longer than each part
    after it (an h1 that is the site's logo is not)."""
    if not _TITLE_SEPARATORS.search(title):
        return title
    h1 = tree.find(".//h1")
    for headline in (metas.get("headline"), _clean(_ld_text(ld.get("headline"))), _clean(h1.text_content()) if h1 is not None else ""):
        if headline and title.startswith(headline) and _TITLE_SEPARATORS.match(title, len(headline)) \
                and all(len(part) < len(headline) for part in _TITLE_SEPARATORS.split(title[len(headline):])):
            return headline
    return title


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
    page_url = url or absolute_url(canonical, metas.get("og:url", "")) or metas.get("og:url", "")
    canonical = absolute_url(canonical, page_url) if canonical else metas.get("og:url", "")
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
    title = _headline_part(_strip_site(title, site, host), tree, metas, ld) if title else ""
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

