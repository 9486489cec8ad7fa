"""Input readers: bytes -> text (encoding detection) -> ``Document`` with paragraphs.

Formats (``Document.format``):

- ``txt``   paragraphs are separated by blank lines; hard-wrapped lines stay one paragraph.
- ``md``    Markdown block structure (markdown-it-py); offsets point into the original file text.
- ``html``  block elements become paragraphs; ``Document.text`` is the extracted text, paragraphs
            joined by a blank line; ``Paragraph.meta["tag"]`` keeps the HTML element.
- ``jsonl`` one article per line; ``Document.text`` = title + blank line + text.
- ``lines`` one pre-segmented sentence per line (evaluation on gold segments).

Readers only build paragraphs; sentences come from ``segment.segment_document`` (except ``lines``).
Paragraph spans never include surrounding whitespace: ``doc.text[p.start:p.end]`` is the paragraph.
"""
from __future__ import annotations

import glob
import json
import re
import sys
import unicodedata
from contextlib import nullcontext
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, ContextManager, Iterable, Iterator

from .config import InputConfig
from .document import Document, Paragraph, Sentence
from .errors import InputError

FORMATS = ("txt", "md", "html", "jsonl", "lines")
SUFFIX_FORMATS = {
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".lines": "lines",
}
MAX_TITLE_CHARS = 150  # a headline is short; longer unpunctuated lines are ordinary paragraphs
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_URL = re.compile(r"(?:https?://|www\.)\S+$", re.IGNORECASE)
_UNSAFE_ID = re.compile(r"[^\w.-]+")

# -- decoding ----------------------------------------------------------------------------------
_BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b") + b"\x7f"
MAX_CONTROL_RATIO = 0.05
LEGACY_ENCODINGS = (  # most common first: the order breaks ties between equally plausible decodings
    "cp1252", "cp1251", "koi8_r", "iso8859_15", "cp1250", "iso8859_2", "cp1253", "cp1254", "cp1257",
    "mac_cyrillic", "cp866", "iso8859_5", "koi8_u", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr",
)
MAX_GARBLED_RATIO = 0.1
_WORD = re.compile(r"[^\W\d_]+")
_CJK = {"CJK", "HIRAGANA", "KATAKANA"}  # Japanese words mix these natively


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a file's bytes: UTF-8 (BOM or not), UTF-16/32 with BOM, else charset detection.

    Rejects empty/whitespace-only and binary input. Newlines are normalized to ``\\n``.
    """
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(f"{name}: invalid {encoding.upper()} data after its byte-order mark") from None
            break
    if text is None:
        if b"\x00" in data:
            raise InputError(f"{name}: looks binary (NUL bytes); expected a text file (UTF-16 needs a byte-order mark)")
        sample = data[:65536]
        if sample and sum(sample.count(b) for b in _CONTROL_BYTES) / len(sample) > MAX_CONTROL_RATIO:
            raise InputError(f"{name}: looks binary (many control characters); expected a text file")
        text = _decode_unmarked(data, name)
    text = normalize_newlines(text.lstrip("\ufeff"))
    if not text.strip():
        raise InputError(f"{name}: empty input (no text)")
    return text


def _decode_unmarked(data: bytes, name: str) -> str:
    """UTF-8, else the most plausible legacy encoding: charset-normalizer's candidates ranked by
    how many words look garbled (case flips or mixed scripts inside a word), its chaos and
    coherence, then by how common the encoding is (ties between look-alike decodings)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    ranked = []
    for match in from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)):
        text = str(match)
        rank = min((LEGACY_ENCODINGS.index(e) for e in match.could_be_from_charset if e in LEGACY_ENCODINGS),
                   default=len(LEGACY_ENCODINGS))
        ranked.append((round(garbled_ratio(text), 2), match.chaos, -match.coherence, rank, text))
    if not ranked or min(ranked)[0] > MAX_GARBLED_RATIO:
        raise InputError(f"{name}: cannot detect encoding; convert to UTF-8")
    return min(ranked)[-1]


def _script(char: str) -> str:
    first = unicodedata.name(char, "?").split(" ")[0]
    return "CJK" if first in _CJK else first


def garbled_ratio(text: str) -> float:
    """Share of words with a lower->upper case flip or letters of several scripts (mojibake)."""
    words = _WORD.findall(text)
    if not words:
        return 1.0
    bad = sum(
        1 for w in words
        if any(a.islower() and b.isupper() for a, b in zip(w, w[1:])) or len({_script(c) for c in w}) > 1
    )
    return bad / len(words)


# -- plain text --------------------------------------------------------------------------------
def _blocks(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, int]]:
    """(start, end, line count) of runs of non-blank lines in ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    block: list[tuple[int, int]] = []  # (first non-space, last non-space + 1) per line
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        line_end = end if nl < 0 else nl
        line = text[pos:line_end]
        if line.strip():
            lead = len(line) - len(line.lstrip())
            block.append((pos + lead, pos + len(line.rstrip())))
        elif block:
            yield block[0][0], block[-1][1], len(block)
            block = []
        pos = line_end + 1
    if block:
        yield block[0][0], block[-1][1], len(block)


def _text_paragraph(text: str, start: int, end: int, kind: str = "text") -> Paragraph:
    """A paragraph; a bare URL becomes kind "url" (not translatable)."""
    if kind != "code" and _URL.fullmatch(text[start:end]):
        return Paragraph("", start, end, kind="url", translatable=False)
    return Paragraph("", start, end, kind=kind)


def is_title(text: str, first: bool, lines: int) -> bool:
    """The title rule for plain text: the first paragraph, one line, short, no final punctuation."""
    return first and lines == 1 and len(text) <= MAX_TITLE_CHARS and not _SENTENCE_END.search(text)


def _txt_paragraphs(text: str, start: int = 0, detect_title: bool = True) -> list[Paragraph]:
    paras = []
    for i, (s, e, n) in enumerate(_blocks(text, start)):
        p = _text_paragraph(text, s, e)
        if p.kind == "text" and detect_title and is_title(text[s:e], i == 0, n):
            p.kind = "title"
        paras.append(p)
    return paras


def _number(doc: Document) -> Document:
    """Give paragraphs their ids p1, p2, ... in document order."""
    for i, p in enumerate(doc.paragraphs, 1):
        p.id = f"p{i}"
    return doc


def read_txt(text: str, lang: str, doc_id: str) -> Document:
    return _number(Document(doc_id, lang, text, _txt_paragraphs(text), format="txt"))


# -- lines -------------------------------------------------------------------------------------
def read_lines(text: str, lang: str, doc_id: str) -> Document:
    """Line i (1-based) is paragraph ``p{i}`` with the one sentence ``p{i}s1``.

    Blank lines stay as paragraphs of kind "blank" with no sentence (not translatable), so line i
    of the input is always paragraph ``p{i}`` and line i of the rebuilt ("doc") output.
    A final newline does not start an extra line.
    """
    paras = []
    pos = 0
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    for i, line in enumerate(lines, 1):
        s = pos + len(line) - len(line.lstrip())
        e = pos + len(line.rstrip())
        if e > s:
            p = Paragraph(f"p{i}", s, e, sentences=[Sentence(f"p{i}s1", s, e, text[s:e])])
        else:
            p = Paragraph(f"p{i}", pos, pos, kind="blank", translatable=False)
        paras.append(p)
        pos += len(line) + 1
    return Document(doc_id, lang, text, paras, format="lines")


# -- Markdown ----------------------------------------------------------------------------------
_CONTAINER_KIND = {"list_item_open": "list_item", "blockquote_open": "quote"}
_VERBATIM_KIND = {"fence": "code", "code_block": "code", "html_block": "html", "table_open": "table"}


def read_md(text: str, lang: str, doc_id: str) -> Document:
    """Markdown blocks: headings (meta level), list items (meta marker), quotes, paragraphs;
    code, tables and raw HTML are kept verbatim (not translatable). A first-block level-1
    heading is the title. Spans exclude ``#`` and list/quote markers; inline markup stays."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(i: int) -> tuple[int, str]:
        end = line_starts[i + 1] - 1 if i + 1 < len(line_starts) else len(text)
        return line_starts[i], text[line_starts[i]:end]

    paras: list[Paragraph] = []
    containers: list[tuple[str, dict]] = []
    heading: dict | None = None
    skip_until = ""
    for tok in tokens:
        if skip_until:
            skip_until = "" if tok.type == skip_until else skip_until
            continue
        if tok.type in _CONTAINER_KIND:
            marker = tok.info + tok.markup  # "-", "*", "1.", "2)"; quotes have none
            containers.append((_CONTAINER_KIND[tok.type], {"marker": marker} if tok.type == "list_item_open" else {}))
        elif tok.type in ("list_item_close", "blockquote_close"):
            containers.pop()
        elif tok.type == "heading_open":
            heading = {"level": int(tok.tag[1])}
        elif tok.type == "heading_close":
            heading = None
        elif tok.type in _VERBATIM_KIND:
            (ls, first), (le, last) = line(tok.map[0]), line(tok.map[1] - 1)
            s = ls + len(first) - len(first.lstrip())
            e = s + len(text[s:le + len(last)].rstrip())
            if tok.type == "table_open":
                skip_until = "table_close"
            if e > s:
                paras.append(Paragraph("", s, e, kind=_VERBATIM_KIND[tok.type], translatable=False))
        elif tok.type == "inline" and tok.map and tok.content.strip():
            content = tok.content.split("\n")
            (ls, first), (le, last) = line(tok.map[0]), line(tok.map[0] + len(content) - 1)
            i = first.rfind(content[0])
            s = ls + (i if i >= 0 else len(first) - len(first.lstrip(" \t>")))
            j = last.rfind(content[-1])
            e = le + (j + len(content[-1]) if j >= 0 else len(last.rstrip()))
            if heading is not None:
                kind = "title" if not paras and heading["level"] == 1 else "heading"
                paras.append(Paragraph("", s, e, kind=kind, meta=dict(heading)))
            elif containers:
                kind, meta = containers[-1]
                p = _text_paragraph(text, s, e, kind)
                p.meta.update(meta)
                paras.append(p)
            else:
                paras.append(_text_paragraph(text, s, e))
    return _number(Document(doc_id, lang, text, paras, format="md"))


# -- HTML --------------------------------------------------------------------------------------
_IGNORED_TAGS = {"script", "style", "template", "noscript", "svg", "math", "iframe", "object",
                 "canvas", "nav", "footer", "select", "button"}
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "th", "dt",
                   "dd", "figcaption", "caption", "pre", "title", "summary", "address"}
_BLOCK_TAGS = _PARAGRAPH_TAGS | {"div", "section", "article", "main", "header", "aside", "figure",
                                 "ul", "ol", "dl", "table", "tr", "thead", "tbody", "tfoot", "body",
                                 "html", "form", "fieldset", "details", "hr", "br"}


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML collapses these, not e.g. no-break spaces


@dataclass
class _Block:
    tag: str
    text: str
    meta: dict = field(default_factory=dict)


class _HTMLExtractor(HTMLParser):
    """Collects the text of block elements; inline elements are flattened into their block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self._stack: list[str] = []  # open paragraph-like / list elements, innermost last
        self._ignored = 0
        self._buf: list[str] = []

    def _flush(self) -> None:
        raw = "".join(self._buf)
        self._buf = []
        tag = next((t for t in reversed(self._stack) if t in _PARAGRAPH_TAGS), "p")
        text = raw.strip("\n").rstrip() if tag == "pre" else _HTML_SPACE.sub(" ", raw).strip()
        if not text.strip():
            return
        meta: dict = {"tag": tag}
        if tag == "li":
            meta["list"] = next((t for t in reversed(self._stack) if t in ("ul", "ol")), "ul")
        self.blocks.append(_Block(tag, text, meta))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _IGNORED_TAGS:
            self._ignored += 1
        elif tag in _BLOCK_TAGS and not self._ignored:
            self._flush()
            if tag not in ("br", "hr"):
                self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS and not self._ignored:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _IGNORED_TAGS:
            self._ignored = max(0, self._ignored - 1)
        elif not self._ignored and tag in self._stack:
            self._flush()
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self._ignored:
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def read_html(text: str, lang: str, doc_id: str) -> Document:
    """Block elements become paragraphs (meta tag, heading level, list type); <pre> is code.
    ``<title>`` (else the first ``<h1>``) is the title paragraph."""
    parser = _HTMLExtractor()
    parser.feed(text)
    parser.close()
    blocks = parser.blocks
    title_at = next((i for i, b in enumerate(blocks) if b.tag == "title"), None)
    if title_at is None:
        title_at = next((i for i, b in enumerate(blocks) if b.tag == "h1"), None)
    parts: list[str] = []
    paras: list[Paragraph] = []
    pos = 0
    for i, b in enumerate(blocks):
        if parts:
            pos += 2
        kind = {"pre": "code", "li": "list_item", "blockquote": "quote"}.get(b.tag, "text")
        if b.tag[0] == "h" and b.tag[1:].isdigit():
            kind = "heading"
            b.meta["level"] = int(b.tag[1])
        if i == title_at:
            kind = "title"
        lead = len(b.text) - len(b.text.lstrip())  # <pre> keeps its indentation outside the span
        p = _text_paragraph(b.text, lead, len(b.text), kind)
        if kind == "code":
            p.translatable = False
        p.start, p.end = pos + lead, pos + len(b.text)
        p.meta.update(b.meta)
        paras.append(p)
        parts.append(b.text)
        pos += len(b.text)
    return _number(Document(doc_id, lang, "\n\n".join(parts), paras, format="html"))


# -- JSONL -------------------------------------------------------------------------------------
def _jsonl_document(line: str, where: str, default_id: str, lang: str, cfg: InputConfig) -> Document:
    """One JSONL record -> Document; InputError naming ``where`` (file:line) when malformed."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(f"{where}: invalid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
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
    doc_id = str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid) else default_id
    title = " ".join(normalize_newlines(title or "").split())
    body = normalize_newlines(body)
    fields = {k: v for k, v in record.items() if k not in (cfg.text_field, cfg.title_field)}
    meta = {"source": where, "fields": fields, "text_field": cfg.text_field, "title_field": cfg.title_field}
    if title:
        head = Paragraph("", 0, len(title), kind="title")
        text = f"{title}\n\n{body}"
        paras = [head, *_txt_paragraphs(text, len(title) + 2, detect_title=False)]
        meta["text_offset"] = len(title) + 2
    else:
        text, paras = body, _txt_paragraphs(body)
        meta["text_offset"] = 0
    return _number(Document(doc_id, lang, text, paras, format="jsonl", meta=meta))


def iter_jsonl(lines: Iterable[bytes | str], name: str, lang: str = "en",
               cfg: InputConfig | None = None) -> Iterator[Document | InputError]:
    """Stream JSONL records: a Document per article, or the InputError of a bad line (the
    iteration goes on). Blank lines are skipped. Doc id: the id field, else ``{stem}:{lineno}``."""
    cfg = cfg or InputConfig()
    stem = safe_filename(Path(name).stem) if name != "-" else "stdin"
    for lineno, raw in enumerate(lines, 1):
        where = f"{name}:{lineno}"
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError:
                yield InputError(f"{where}: not valid UTF-8 (JSONL must be UTF-8)")
                continue
        if not raw.strip():
            continue
        try:
            yield _jsonl_document(raw, where, f"{stem}:{lineno}", lang, cfg)
        except InputError as e:
            yield e


# -- entry points ------------------------------------------------------------------------------
_READERS = {"txt": read_txt, "md": read_md, "html": read_html, "lines": read_lines}


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r}; use one of: auto, {', '.join(FORMATS)}")
    return fmt


def read_text(text: str, fmt: str = "txt", lang: str = "en", doc_id: str = "doc",
              cfg: InputConfig | None = None) -> list[Document]:
    """Read an already decoded string. ``fmt`` "auto" means txt; "jsonl" may give several
    documents and raises the InputError of the first bad line."""
    fmt = _check_format("txt" if fmt == "auto" else fmt)
    text = normalize_newlines(text)
    if fmt == "jsonl":
        docs = []
        for item in iter_jsonl(text.split("\n"), doc_id, lang, cfg):
            if isinstance(item, InputError):
                raise item
            docs.append(item)
        return docs
    if not text.strip():
        raise InputError(f"{doc_id}: empty input (no text)")
    return [_read(fmt, text, lang, doc_id, doc_id)]


def _read(fmt: str, text: str, lang: str, doc_id: str, name: str) -> Document:
    doc = _READERS[fmt](text, lang, doc_id)
    if not doc.paragraphs:
        hint = " (scripts, styles and navigation are skipped)" if fmt == "html" else ""
        raise InputError(f"{name}: no text found{hint}")
    return doc


def detect_format(path: str | Path) -> str:
    """Input format from the file suffix; unknown suffixes and stdin are read as txt."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), "txt") if str(path) != "-" else "txt"


def safe_filename(name: str) -> str:
    """A document id or file stem made safe as a file name (no separators, no leading dot)."""
    return _UNSAFE_ID.sub("_", name).strip("._") or "doc"


def iter_path(path: str | Path, fmt: str = "auto", lang: str = "en",
              cfg: InputConfig | None = None) -> Iterator[Document | InputError]:
    """Like ``read_path`` but yields InputErrors instead of raising them, so a batch can record
    a bad JSONL line (or an unreadable file) and go on with the next article."""
    cfg = cfg or InputConfig()
    if fmt == "auto":
        fmt = cfg.format if cfg.format != "auto" else detect_format(path)
    name = str(path)
    try:
        _check_format(fmt)
        if fmt == "jsonl":
            with _open_binary(path) as f:
                yield from iter_jsonl(f, name, lang, cfg)
            return
        with _open_binary(path) as f:
            data = f.read()
        doc_id = "stdin" if name == "-" else safe_filename(Path(path).stem)
        doc = _read(fmt, decode_bytes(data, name), lang, doc_id, name)
        doc.meta["source"] = name
        yield doc
    except InputError as e:
        yield e


def read_path(path: str | Path, fmt: str = "auto", lang: str = "en",
              cfg: InputConfig | None = None) -> Iterator[Document]:
    """Documents of one file ("-" = stdin); JSONL is streamed line by line. Format "auto" uses
    ``cfg.format`` when set, else the suffix. Raises InputError (for JSONL: at the first bad line)."""
    for item in iter_path(path, fmt, lang, cfg):
        if isinstance(item, InputError):
            raise item
        yield item


def _open_binary(path: str | Path) -> ContextManager[IO[bytes]]:
    if str(path) == "-":
        return nullcontext(sys.stdin.buffer)  # read stdin, never close it
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file" if not p.exists() else f"{p}: not a regular file")
    try:
        return p.open("rb")
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None


def expand_inputs(inputs: list[str]) -> list[Path]:
    """Files (any suffix), directories (recursively, known suffixes only, hidden entries skipped)
    and glob patterns -> sorted, de-duplicated paths. "-" (stdin) is kept. InputError for a missing
    file, a pattern matching nothing, or when no input file is found at all."""
    found: set[Path] = set()
    for item in inputs:
        if item == "-":
            found.add(Path("-"))
            continue
        p = Path(item)
        if glob.has_magic(item) and not p.exists():
            matches = [Path(m) for m in glob.glob(item, recursive=True)]
            if not matches:
                raise InputError(f"no files match {item!r}")
        elif p.exists():
            matches = [p]
        else:
            raise InputError(f"{item}: no such file or directory")
        for m in matches:
            found.update(_dir_files(m) if m.is_dir() else [m] if m.is_file() else [])
    if not found:
        raise InputError(f"no input files found (known suffixes: {', '.join(sorted(SUFFIX_FORMATS))})")
    return sorted(found)


def _dir_files(root: Path) -> list[Path]:
    return [
        f for f in root.rglob("*")
        if f.suffix.lower() in SUFFIX_FORMATS and f.is_file()
        and not any(part.startswith(".") for part in f.relative_to(root).parts)
    ]
