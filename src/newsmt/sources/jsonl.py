"""JSONL feeds: one article per line (``text``, optional ``title`` and ``id`` fields, names configurable).

Every failure of one line is that line's ``InputError`` (``file:line: reason``) and the stream goes
on: invalid JSON, nesting too deep or numbers too long for the parser, lone surrogate escapes
(``"\\ud83d"``, text no encoder can write), invalid UTF-8, a missing or non-string text field.
``Document.text`` is the title, a blank line, then the text.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Iterable, Iterator

from ..config import InputConfig
from ..document import Document, Paragraph
from ..errors import InputError
from .decode import normalize_newlines
from .text import number_paragraphs, txt_paragraphs

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")  # how a surrogate gets into parsed JSON (else written as is)
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_record(line: str, where: str) -> dict[str, Any]:
    """One JSON object, or the InputError saying why the line is not one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: invalid JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: JSON nested too deeply") from None
    except ValueError as e:  # e.g. an integer of thousands of digits
        raise InputError(f"{where}: JSON value out of range ({e})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    maybe = ("\\u" in line and _SURROGATE_ESCAPE.search(line)) or (not line.isascii() and _SURROGATE.search(line))
    if maybe and _has_surrogate(record):
        raise InputError(f"{where}: a string holds a lone UTF-16 surrogate escape (e.g. \"\\ud83d\"), "
                         "which is not text; fix the producer's escaping")
    return record


def _has_surrogate(value: Any) -> bool:
    """Whether any key or string in ``value`` holds a lone surrogate (iteratively: any depth)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def record_document(record: dict[str, Any], where: str, default_id: str, lang: str, cfg: InputConfig) -> Document:
    """One JSONL record -> Document; InputError naming ``where`` (file:line) when malformed."""
    body = record.get(cfg.text_field)
    if not isinstance(body, str):
        what = "missing" if body is None else f"not a string ({type(body).__name__})"
        raise InputError(f"{where}: field {cfg.text_field!r} is {what}")
    title = record.get(cfg.title_field)
    if title is not None and not isinstance(title, str):
        raise InputError(f"{where}: field {cfg.title_field!r} is not a string ({type(title).__name__})")
    if not body.strip():
        raise InputError(f"{where}: field {cfg.text_field!r} is empty")
    rid = record.get(cfg.id_field)
    doc_id = str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid).strip() else default_id
    title = " ".join(normalize_newlines(title or "").split())
    body = normalize_newlines(body)
    fields = {k: v for k, v in record.items() if k not in (cfg.text_field, cfg.title_field)}
    meta = {"source": where, "fields": fields, "text_field": cfg.text_field, "title_field": cfg.title_field}
    if title:
        head = Paragraph("", 0, len(title), kind="title")
        text = f"{title}\n\n{body}"
        paras = [head, *txt_paragraphs(text, len(title) + 2, detect_title=False)]
        meta["text_offset"] = len(title) + 2
    else:
        text, paras = body, txt_paragraphs(body)
        meta["text_offset"] = 0
    return number_paragraphs(Document(doc_id, lang, text, paras, format="jsonl", meta=meta))


def iter_jsonl(lines: Iterable[bytes | str], name: str, lang: str = "en",
               cfg: InputConfig | None = None) -> Iterator[Document | InputError]:
    """Stream JSONL records: a Document per article, or the InputError of a bad line (the
    iteration goes on). Blank lines are skipped. Doc id: the id field, else ``{stem}:{lineno}``."""
    cfg = cfg or InputConfig()
    for lineno, raw in enumerate(lines, 1):
        item = read_line(raw, lineno, name, lang, cfg)
        if item is not None:
            yield item


def read_line(raw: bytes | str, lineno: int, name: str, lang: str, cfg: InputConfig) -> Document | InputError | None:
    """Line ``lineno`` of the JSONL file ``name``: its Document, the InputError saying why it is
    none, or None for a blank line."""
    where = f"{name}:{lineno}"
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as e:
            return InputError(f"{where}: not valid UTF-8 at byte {e.start} (JSONL must be UTF-8)")
    if not raw.strip():
        return None
    try:
        return record_document(parse_record(raw, where), where, f"{_stem(name)}:{lineno}", lang, cfg)
    except InputError as e:
        return e


@lru_cache(maxsize=64)
def _stem(name: str) -> str:
    from .files import file_stem, safe_filename

    return safe_filename(file_stem(name)) if name != "-" else "stdin"
