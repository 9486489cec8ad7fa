"""News feeds -> one ``Document`` per entry: RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed.

Each entry is an article: its HTML (content, else summary/description) goes through the web reader
(``read_html_document``, article or page mode) with the entry's own title, link, author and date;
an entry with a title and no text becomes a title-only document (flag ``feed_title_only``).
A file that is no feed, or a feed without entries, gives one InputError; a bad entry gives its own
InputError (``source#n``) and the other entries go on.
"""
from __future__ import annotations

import calendar
import html
import json
import re
from datetime import datetime, timezone
from typing import Any, Iterator

from ..document import Document, Paragraph
from ..errors import InputError
from .files import file_stem
from .web import read_html_document

__all__ = ["is_feed", "iter_feed"]

_JSON_FEED = re.compile(rb'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org(?:\\?/)version(?:\\?/)')
_XML_ROOT = re.compile(
    rb"^(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(?:[\w.-]+:)?(rss|feed|RDF)\b", re.S | re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _head(data: bytes, size: int = 4096) -> bytes:
    head = data[:size]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            if bom != _BOMS[0]:  # UTF-16: sniff its ASCII skeleton
                head = head.replace(b"\x00", b"")
            break
    return head


def is_feed(data: bytes) -> bool:
    """True when ``data`` looks like a feed: an XML document whose root is ``rss``, ``feed`` (Atom)
    or ``rdf:RDF`` (RSS 1.0), or a JSON Feed (``"version": "https://jsonfeed.org/version/..."``)."""
    head = _head(data)
    if head.lstrip()[:1] == b"{":
        return bool(_JSON_FEED.search(data[:65536]))
    return bool(_XML_ROOT.match(head))


def _stem(source: str) -> str:
    return file_stem(source) or source or "feed"


def _iso(value: Any) -> str:
    """ISO 8601 of a feedparser time tuple (UTC) or an RFC 3339 string; "" when unknown."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).isoformat()
        except ValueError:
            return ""
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc).isoformat()
    except (TypeError, ValueError, OverflowError):
        return ""


def _text_to_html(text: str) -> str:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paras)


_TAGS = re.compile(r"<[^>]+>")


def _plain(value: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", value or "")).split())


def _entry_document(fields: dict[str, str], content: str, is_html: bool, doc_id: str, lang: str, mode: str,
                    source: str) -> Document:
    known = {k: fields.get(k, "") for k in ("url", "title", "author", "date", "site", "description")}
    if content.strip():
        fragment = content if is_html else _text_to_html(content)
        page = ("<html><head><meta charset=\"utf-8\"><title></title></head><body><article>"
                f"{fragment}</article></body></html>")
        doc = read_html_document(page, doc_id, lang, url=known["url"], mode=mode, source=source, known=known)
        doc.meta["canonical_url"] = doc.meta.get("canonical_url") or known["url"]
        return doc
    title = known["title"]
    if not title:
        raise InputError(f"{source}: feed entry without text or title")
    doc = Document(id=doc_id, lang=lang, text=title, format="html",
                   paragraphs=[Paragraph("p1", 0, len(title), kind="title")])
    doc.meta = {**known, "canonical_url": known["url"], "source": source, "extraction": mode,
                "flags": ["feed_title_only"]}
    return doc


# -- RSS / Atom ---------------------------------------------------------------------------------
def _xml_entries(data: bytes, source: str) -> tuple[str, list[Any]]:
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=True)
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            why = parsed.get("bozo_exception")
            reason = str(why).strip() or type(why).__name__ if why else "not RSS or Atom"
            raise InputError(f"{source}: not a readable feed ({reason})")
        kind = parsed.get("version") or "feed"
        raise InputError(f"{source}: the {kind} has no entries")
    return _plain(parsed.feed.get("title", "")), entries


def _xml_fields(entry: Any, site: str) -> tuple[dict[str, str], str, bool, str]:
    link = entry.get("link") or ""
    fields = {
        "url": link,
        "title": _plain(entry.get("title", "")),
        "author": _plain(entry.get("author", "")),
        "date": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        "site": site,
        "description": _plain(entry.get("summary", "")) if entry.get("content") else "",
    }
    content, is_html = "", True
    for c in entry.get("content") or []:
        if c.get("value", "").strip():
            content, is_html = c["value"], "html" in (c.get("type") or "text/html")
            if is_html:
                break
    if not content.strip():
        detail = entry.get("summary_detail") or {}
        content = entry.get("summary", "") or ""
        is_html = "html" in (detail.get("type") or "text/html")
    return fields, content, is_html, str(entry.get("id") or entry.get("guid") or link or "")


# -- JSON Feed ----------------------------------------------------------------------------------
def _json_entries(data: bytes, source: str) -> tuple[str, list[Any]]:
    try:
        text = data.decode("utf-8-sig")
        feed = json.loads(text)
    except UnicodeDecodeError:
        raise InputError(f"{source}: not a readable JSON Feed (not UTF-8)") from None
    except json.JSONDecodeError as e:
        raise InputError(f"{source}: not a readable JSON Feed ({e.msg} at line {e.lineno}, column {e.colno})") from None
    if not isinstance(feed, dict):
        raise InputError(f"{source}: not a readable JSON Feed (top level is not an object)")
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        raise InputError(f"{source}: the JSON Feed has no items")
    return _plain(str(feed.get("title") or "")), items


def _json_author(item: dict, feed_author: str = "") -> str:
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    return "; ".join(names) or feed_author


def _json_fields(item: Any, site: str) -> tuple[dict[str, str], str, bool, str]:
    if not isinstance(item, dict):
        raise InputError("item is not a JSON object")
    link = str(item.get("url") or item.get("external_url") or "")
    fields = {
        "url": link,
        "title": _plain(str(item.get("title") or "")),
        "author": _json_author(item),
        "date": _iso(str(item.get("date_published") or item.get("date_modified") or "")),
        "site": site,
        "description": _plain(str(item.get("summary") or "")),
    }
    if str(item.get("content_html") or "").strip():
        content, is_html = str(item["content_html"]), True
    elif str(item.get("content_text") or "").strip():
        content, is_html = str(item["content_text"]), False
    else:
        content, is_html = str(item.get("summary") or ""), False
    return fields, content, is_html, str(item.get("id") or link or "")


def iter_feed(data: bytes, source: str, lang: str = "", mode: str = "article") -> Iterator[Document | InputError]:
    """One Document per feed entry (RSS, Atom or JSON Feed), or the InputError of a bad entry; a
    file that is no feed, or has no entries, gives a single InputError."""
    if not is_feed(data):
        if not data.strip():
            yield InputError(f"{source}: empty file, not a feed")
            return
        yield InputError(f"{source}: not a feed (expected an RSS, Atom or JSON Feed document)")
        return
    is_json = _head(data).lstrip()[:1] == b"{"
    try:
        site, entries = (_json_entries if is_json else _xml_entries)(data, source)
    except InputError as e:
        yield e
        return
    stem = _stem(source)
    for n, entry in enumerate(entries, 1):
        where = f"{source}#{n}"
        try:
            fields, content, is_html, entry_id = (_json_fields if is_json else _xml_fields)(entry, site)
            doc = _entry_document(fields, content, is_html, entry_id or f"{stem}#{n}", lang, mode, where)
        except InputError as e:
            msg = str(e)
            yield e if msg.startswith(where) else InputError(f"{where}: {msg}")
            continue
        except Exception as e:  # noqa: BLE001 - a malformed entry must not stop the others
            yield InputError(f"{where}: unreadable feed entry ({type(e).__name__}: {e})")
            continue
        yield doc
