"""Web archives (WARC, WARC.gz) -> one ``Document`` per archived HTML page (warcio, streamed).

Every ``response`` record with HTTP status 200 and an HTML content type is an article, read with
the web reader (article or page mode); its id is the record's UUID, its ``meta`` has the target
URI as url, the page's own publication date as date (from its metadata, as for any page), the
capture time as crawl_date, and ``source#n`` (n: the record's 1-based number among all
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
from .raw import Raw
from .web import MODES, read_html_document

__all__ = ["iter_warc", "warc_pages", "read_warc_page", "MAX_RECORD_BYTES"]

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
        rid = record.rec_headers.get_header("WARC-Record-ID") or ""
        raise _Truncated(f"record {rid} ends {left} bytes before its declared length".replace("  ", " "))


def _read_record(records: Iterator, n: int) -> tuple[str, dict[str, str], bytes] | None:
    """The next record: (skip reason or "", its headers, its HTML); None at the end of the archive.
    Raises what the archive's damage raises."""
    from warcio.exceptions import ArchiveLoadFailed

    try:
        record = next(records)
    except StopIteration:
        return None
    if record.format != "warc":  # warcio also reads the older ARC format, and takes any text for it
        raise ArchiveLoadFailed(f"not a WARC record ({record.format or 'unknown'} format)")
    reason = _skip_reason(record)
    body = b""
    if not reason:
        body = record.content_stream().read(MAX_RECORD_BYTES + 1)  # chunking and content encoding undone
        if len(body) > MAX_RECORD_BYTES:
            reason = "too_large"
        elif not record.http_headers.get_header("Content-Type") and not _HTML_START.match(body[:2048]):
            reason = "not_html"
    _drain(record)
    headers = {
        "uri": record.rec_headers.get_header("WARC-Target-URI") or "",
        "date": record.rec_headers.get_header("WARC-Date") or "",
        "id": record.rec_headers.get_header("WARC-Record-ID") or "",
        "type": (record.http_headers.get_header("Content-Type") or "") if record.http_headers else "",
    }
    return reason, headers, body


def iter_warc(stream: BinaryIO, source: str, lang: str = "", mode: str = "article",
              skipped: Counter | None = None) -> Iterator[Document | InputError]:
    """Documents of the HTML pages (status 200) archived in a WARC or WARC.gz ``stream``; the
    InputError of a page that has no text; one InputError where the archive breaks."""
    if mode not in MODES:
        raise ValueError(f"unknown web page mode {mode!r}; use one of: {', '.join(MODES)}")
    for item in warc_pages(stream, source, skipped):
        yield item if isinstance(item, InputError) else read_warc_page(item, lang, mode)


def warc_pages(stream: BinaryIO, source: str, skipped: Counter | None = None) -> Iterator[Raw | InputError]:
    """The HTML pages archived in ``stream``, not read yet (``read_warc_page`` reads one), and
    one InputError where the archive breaks."""
    from warcio.archiveiterator import ArchiveIterator

    skipped = skipped if skipped is not None else Counter()
    records = iter(ArchiveIterator(stream))
    n = 0  # the record being read (1-based)
    while True:
        n += 1
        try:
            item = _read_record(records, n)
        except Exception as e:  # noqa: BLE001 - whatever the damage, the archive ends here, said once
            reason = " ".join(str(e).split()) or type(e).__name__
            if n == 1 and "not a WARC record" in reason:
                yield InputError(f"{source}: not a WARC file (expected WARC/1.x records)")
                return
            if len(reason) > 200:
                reason = reason[:200] + "…"
            yield InputError(f"{source}: archive truncated or corrupt at record {n} "
                             f"(read up to byte {_tell(stream)}): {reason}")
            return
        if item is None:
            if not _gzip_complete(stream):
                yield InputError(f"{source}: archive truncated: its last compressed record ends early "
                                 f"(after record {n - 1}); the records before it were read")
            return
        reason, headers, body = item
        if reason:
            skipped[reason] += 1
            continue
        m = _CHARSET.search(headers["type"])
        yield Raw("warc", source, body, n, (_record_id(headers["id"], headers["uri"]), headers["uri"],
                                             m.group(1) if m else "", _iso(headers["date"])))


def read_warc_page(raw: Raw, lang: str, mode: str) -> Document | InputError:
    """The Document of a page ``warc_pages`` found, or the InputError saying why it has none."""
    doc_id, uri, charset, date = raw.info
    try:
        return read_html_document(raw.data, doc_id, lang, url=uri, mode=mode, source=f"{raw.name}#{raw.n}",
                                  charset=charset, known={"crawl_date": date})
    except InputError as e:
        return e
    except Exception as e:  # noqa: BLE001 - one unreadable page must not end the archive
        return InputError(f"{raw.name}#{raw.n}: unreadable page ({type(e).__name__}: {e})")


def _gzip_complete(stream: BinaryIO) -> bool:
    """False when ``stream`` is gzip data whose last member is cut short (warcio stops there
    silently); True for complete, uncompressed or unseekable streams. Reads it again in chunks,
    keeping at most a megabyte of output at a time."""
    try:
        stream.seek(0)
        gz = stream.read(2) == b"\x1f\x8b"
        stream.seek(0)
    except (OSError, ValueError, AttributeError):
        return True
    if not gz:
        return True
    member, fed = zlib.decompressobj(16 + zlib.MAX_WBITS), False
    try:
        while chunk := stream.read(1 << 20):
            while chunk:
                member.decompress(chunk, 1 << 20)
                fed = True
                if member.eof:
                    chunk = member.unused_data
                    member, fed = zlib.decompressobj(16 + zlib.MAX_WBITS), False
                else:
                    chunk = member.unconsumed_tail
    except zlib.error:
        return False
    return not fed


def _tell(stream: BinaryIO) -> str:
    try:
        return str(stream.tell())
    except (OSError, ValueError, AttributeError):
        return "?"
