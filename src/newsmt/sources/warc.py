"""Web archives (WARC, WARC.gz) -> one ``Document`` per archived HTML page (warcio, streamed).

Every ``response`` record with HTTP status 200 and an HTML content type is an article, read with
the web reader (article or page mode); its id is the record's UUID, its ``meta`` has the target
URI as url, the capture time as date and ``source#n`` (n: the record's 1-based number among all
records). Other records are skipped and counted by reason in ``skipped``: the record type
("request", "metadata", "warcinfo", "revisit", ...), ``status_404`` and the like, ``not_html``,
``too_large``. Records are read one at a time (constant memory); an archive that is truncated or
corrupt yields everything before the break, then one InputError saying where it broke.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from datetime import datetime
from typing import BinaryIO, Iterator

from ..document import Document
from ..errors import InputError
from .web import read_html_document

__all__ = ["iter_warc", "MAX_RECORD_BYTES"]

MAX_RECORD_BYTES = 32 * 1024 * 1024  # an HTML page larger than this is no article
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+html")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def _record_id(record_id: str | None, uri: str) -> str:
    rid = (record_id or "").strip().strip("<>")
    if rid.lower().startswith("urn:uuid:"):
        rid = rid[9:]
    return rid or hashlib.sha1(uri.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _skip_reason(record) -> str:
    """Why a record is no article ("" when it is one): its type, HTTP status or content type."""
    if record.rec_type != "response":
        return record.rec_type or "unknown"
    http = record.http_headers
    if http is None:
        return "not_http"
    status = (http.get_statuscode() or "").strip()
    if status != "200":
        return f"status_{status or 'unknown'}"
    ctype = (http.get_header("Content-Type") or "").lower()
    if ctype and not any(t in ctype for t in _HTML_TYPES):
        return "not_html"
    return ""


def _iso(value: str) -> str:
    value = (value or "").strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return value


class _Truncated(Exception):
    pass


def _drain(record) -> None:
    """Read what is left of a record's block (in chunks) and check it was all there."""
    raw = record.raw_stream
    while raw.read(65536):
        pass
    left = getattr(raw, "limit", 0)
    if left > 0:
        raise _Truncated(f"record {record.rec_headers.get_header('WARC-Record-ID') or ''} ends {left} bytes "
                         "before its declared length".replace("record  ends", "the record ends"))


def _read_body(record, limit: int) -> bytes:
    """The HTTP payload (chunking and content encoding undone), at most ``limit`` + 1 bytes."""
    return record.content_stream().read(limit + 1)


def iter_warc(stream: BinaryIO, source: str, lang: str = "", mode: str = "article",
              skipped: Counter | None = None) -> Iterator[Document | InputError]:
    """Documents of the HTML pages (status 200) archived in a WARC or WARC.gz ``stream``; the
    InputError of a page that has no text; one InputError where the archive breaks."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    skipped = skipped if skipped is not None else Counter()
    n = 0
    try:
        records = ArchiveIterator(stream, arc2warc=True)
        for record in records:
            n += 1
            where = f"{source}#{n}"
            reason = _skip_reason(record)
            body = b""
            if not reason:
                body = _read_body(record, MAX_RECORD_BYTES)
                if len(body) > MAX_RECORD_BYTES:
                    reason = "too_large"
                elif not record.http_headers.get_header("Content-Type") and not _HTML_START.match(body[:2048]):
                    reason = "not_html"
            _drain(record)
            if reason:
                skipped[reason] += 1
                continue
            ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            known = {"date": _iso(record.rec_headers.get_header("WARC-Date") or "")}
            m = _CHARSET.search(ctype)
            try:
                yield read_html_document(body, _record_id(record.rec_headers.get_header("WARC-Record-ID"), uri),
                                         lang, url=uri, mode=mode, source=where, charset=m.group(1) if m else "",
                                         known=known)
            except InputError as e:
                yield e
    except (_Truncated, ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as e:
        reason = " ".join(str(e).split()) or type(e).__name__
        if len(reason) > 200:
            reason = reason[:200] + "…"
        yield InputError(f"{source}: archive truncated or corrupt at record {n + (not isinstance(e, _Truncated))} "
                         f"(read up to byte {_tell(stream)}): {reason}")


def _tell(stream: BinaryIO) -> str:
    try:
        return str(stream.tell())
    except (OSError, ValueError, AttributeError):
        return "?"
