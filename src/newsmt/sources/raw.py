"""An input item not read yet: what ``sources.raw_items`` cuts and ``sources.read_raw`` reads.

A batch driver only cuts its inputs into these (cheap: lines, archive records, whole files) and
the workers read them (decoding, parsing, page extraction), so reading scales with the workers.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Raw:
    kind: str  # "jsonl" (one line), "warc" (one archived page), "error", or a file format (the whole file)
    name: str  # the display name of its file
    data: bytes = b""
    n: int = 0  # its line (jsonl) or record (warc) number
    info: tuple[str, ...] = ()  # warc: record id, uri, charset, capture date; a file: its id; error: the message
