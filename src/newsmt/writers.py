"""Output writers: render a processed ``Document`` in one of several formats, write atomically.

Every renderer is deterministic (sorted JSON keys, no timestamps) and never drops a sentence:
a sentence without a translation keeps ``tgt: null`` and the flag ``untranslated`` ("jsonl"),
its source text ("doc"), or an empty target ("tsv", "md"); TMX only holds translated pairs.
"""
from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Iterator

from . import __version__
from .document import Document, Paragraph, Sentence, Summary, Translation
from .errors import NewsmtError
from .readers import safe_filename

FORMAT_EXT: dict[str, str] = {
    "record": ".record.json",
    "segments": ".segments.jsonl",
    "jsonl": ".sentences.jsonl",
    "tsv": ".tsv",
    "tmx": ".tmx",
    "xliff": ".xlf",
    "md": ".side-by-side.md",
    "doc": ".{tgt}.{ext}",  # e.g. article.ru.md: target language + the input format's suffix
    "summary-jsonl": ".summary.jsonl",
    "summary-md": ".summary.md",
}
DOC_EXT = {"txt": "txt", "md": "md", "html": "html", "jsonl": "jsonl", "lines": "txt"}
_HTML_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd",
              "figcaption", "address"}  # kept in the rebuilt HTML; other blocks become <p>
UNTRANSLATED = "untranslated"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"


# -- helpers -----------------------------------------------------------------------------------
def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def _jsonl(rows: Iterator[dict]) -> str:
    return "".join(_json(r) + "\n" for r in rows)


def _one_line(s: str, quote: bool = False) -> str:
    """Collapse the line breaks of a (hard-wrapped) text; in a Markdown quote also the ``>``s."""
    return re.sub(r"[ \t]*\n[ \t>]*" if quote else r"[ \t]*\n[ \t]*", " ", s)


def _xml_text(s: str) -> str:
    """One line (hard wraps collapsed), without the characters XML 1.0 cannot hold."""
    return _XML_INVALID.sub("", _one_line(s))


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _pairs(doc: Document, paragraphs: list[Paragraph] | None = None,
           ) -> Iterator[tuple[Paragraph, Sentence, Translation | None]]:
    """(paragraph, sentence, translation or None) for every sentence, in document order."""
    for p in doc.paragraphs if paragraphs is None else paragraphs:
        for s in p.sentences:
            yield p, s, doc.translations.get(s.id)


def _flags(t: Translation | None) -> list[str]:
    return list(t.flags) if t else [UNTRANSLATED]


def _substituted(doc: Document, start: int, end: int) -> str:
    """``doc.text[start:end]`` with every sentence in it replaced by its translation (or kept),
    all text between sentences (markup, markers, whitespace, code) unchanged."""
    out: list[str] = []
    pos = start
    for p in doc.paragraphs:
        for s in p.sentences:
            if s.start < start or s.end > end:
                continue
            t = doc.translations.get(s.id)
            out.append(doc.text[pos:s.start])
            out.append(_one_line(t.text if t else s.text, quote=doc.format == "md" and p.kind == "quote"))
            pos = s.end
    out.append(doc.text[pos:end])
    return "".join(out)


# -- sentence formats --------------------------------------------------------------------------
def render_record(doc: Document) -> str:
    return doc.to_json() + "\n"


def render_segments(doc: Document) -> str:
    return _jsonl(
        {"doc": doc.id, "id": s.id, "paragraph": p.id, "start": s.start, "end": s.end, "text": s.text}
        for p, s, _ in _pairs(doc)
    )


def render_jsonl(doc: Document) -> str:
    return _jsonl(
        {"doc": doc.id, "id": s.id, "paragraph": p.id, "src": s.text, "tgt": t.text if t else None,
         "src_start": s.start, "src_end": s.end, "score": t.score if t else None, "flags": _flags(t)}
        for p, s, t in _pairs(doc)
    )


def _tsv_cell(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def render_tsv(doc: Document) -> str:
    """Columns: doc/id, source, target, score, flags (comma-separated); no header, so files of
    several documents concatenate. Backslash, tab and newline inside text are escaped."""
    rows = []
    for _, s, t in _pairs(doc):
        score = "" if t is None or t.score is None else f"{t.score:.4f}"
        cells = [f"{doc.id}/{s.id}", s.text, t.text if t else "", score, ",".join(_flags(t))]
        rows.append("\t".join(_tsv_cell(c) for c in cells) + "\n")
    return "".join(rows)


def render_tmx(doc: Document) -> str:
    """TMX 1.4b: one <tu tuid="doc/id"> per translated sentence, score and flags as <prop>."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "newsmt", "creationtoolversion": __version__, "datatype": "plaintext",
        "segtype": "sentence", "adminlang": "en", "srclang": doc.lang, "o-tmf": "newsmt",
    })
    body = ET.SubElement(root, "body")
    for _, s, t in _pairs(doc):
        if t is None:
            continue
        tu = ET.SubElement(body, "tu", tuid=f"{doc.id}/{s.id}")
        if t.score is not None:
            ET.SubElement(tu, "prop", type="x-score").text = f"{t.score:.4f}"
        if t.flags:
            ET.SubElement(tu, "prop", type="x-flags").text = ",".join(t.flags)
        for lang, text in ((doc.lang, s.text), (doc.tgt_lang, t.text)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = _xml_text(text)
    return _xml(root)


def render_xliff(doc: Document) -> str:
    """XLIFF 2.1: a <unit id=sentence id> per sentence; translated ones have a <target> and
    state "translated", the others state "initial"; score/flags become <note>s."""
    el = ET.SubElement
    root = ET.Element("xliff", xmlns=XLIFF_NS, version="2.1", srcLang=doc.lang)  # default namespace
    if doc.tgt_lang:
        root.set("trgLang", doc.tgt_lang)
    file = el(root, "file", id=safe_filename(doc.id))
    for _, s, t in _pairs(doc):
        unit = el(file, "unit", id=s.id)
        if t and (t.score is not None or t.flags):
            notes = el(unit, "notes")
            if t.score is not None:
                el(notes, "note", category="score").text = f"{t.score:.4f}"
            if t.flags:
                el(notes, "note", category="flags").text = ",".join(t.flags)
        segment = el(unit, "segment", state="translated" if t else "initial")
        el(segment, "source").text = _xml_text(s.text)
        if t:
            el(segment, "target").text = _xml_text(t.text)
    return _xml(root)


def _md_cell(s: str) -> str:
    return _one_line(s).replace("\\", "\\\\").replace("|", "\\|")


def render_md(doc: Document) -> str:
    """Side-by-side review: a Markdown table per paragraph (id | source | target); paragraphs
    kept verbatim (code, tables, URLs) get one row saying so."""
    tgt = doc.tgt_lang or "target"
    out = [f"# {_md_cell(doc.id)} ({doc.lang} → {tgt})\n"]
    for p in doc.paragraphs:
        if not p.translatable and not p.sentences:
            if p.kind == "blank":
                continue
            rows = [(p.id, doc.text[p.start:p.end], f"*(kept as is: {p.kind})*")]
        else:
            rows = [(s.id, s.text, t.text if t else "") for _, s, t in _pairs(doc, [p])]
        out.append(f"\n| id | {doc.lang} | {tgt} |\n|---|---|---|\n")
        out.extend(f"| {a} | {_md_cell(b)} | {_md_cell(c)} |\n" for a, b, c in rows)
    return "".join(out)


# -- the translated document -------------------------------------------------------------------
def render_doc(doc: Document) -> str:
    """The translated document in its input format. txt/md/lines: every sentence span replaced
    by its translation (text between sentences kept byte for byte, hard wraps inside a sentence
    collapsed); html: a clean HTML page from the paragraphs; jsonl: the record with translated
    title and text."""
    if doc.format == "html":
        return _render_html(doc)
    if doc.format == "jsonl":
        return _render_jsonl_record(doc)
    return _substituted(doc, 0, len(doc.text))


def _render_jsonl_record(doc: Document) -> str:
    record = dict(doc.meta.get("fields", {}))
    offset = doc.meta.get("text_offset", 0)
    if offset:
        title = doc.paragraphs[0]
        record[doc.meta.get("title_field", "title")] = _substituted(doc, title.start, title.end)
    record[doc.meta.get("text_field", "text")] = _substituted(doc, offset, len(doc.text))
    return _json(record) + "\n"


def _render_html(doc: Document) -> str:
    lang = doc.tgt_lang or doc.lang
    title = ""
    body: list[str] = []
    open_list = ""
    for p in doc.paragraphs:
        tag = p.meta.get("tag", "p")
        start = doc.text.rfind("\n", 0, p.start) + 1 if p.kind == "code" else p.start  # keep indentation
        text = _substituted(doc, start, p.end)
        list_type = p.meta.get("list", "ul") if tag == "li" else ""
        if list_type != open_list:
            if open_list:
                body.append(f"</{open_list}>")
            if list_type:
                body.append(f"<{list_type}>")
            open_list = list_type
        if p.kind == "title" and not title:
            title = text
            if tag == "title":
                continue
        if tag not in _HTML_TAGS:
            tag = "p"
        body.append(f"<{tag}>{html.escape(text, quote=False)}</{tag}>")
    if open_list:
        body.append(f"</{open_list}>")
    head = '<meta charset="utf-8">' + (f"\n<title>{html.escape(title, quote=False)}</title>" if title else "")
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n{head}\n</head>\n<body>\n'
            + "\n".join(body) + "\n</body>\n</html>\n")



# -- summaries ---------------------------------------------------------------------------------
def _summary_sentences(s: Summary) -> list[dict]:
    return [{"text": x.text, "sources": list(x.sources), "score": x.score, "flags": list(x.flags)}
            for x in s.sentences]


def _summary_pairs(doc: Document) -> Iterator[tuple[Summary, Summary | None]]:
    """Each original summary with its translation (same method, ``source_lang`` = its language);
    a translation without its original is listed on its own."""
    originals = [s for s in doc.summaries if not s.source_lang or s.source_lang == s.lang]
    used = {id(s) for s in originals}
    for o in originals:
        t = next((x for x in doc.summaries if id(x) not in used
                  and x.source_lang == o.lang and x.method == o.method), None)
        if t is not None:
            used.add(id(t))
        yield o, t
    for x in doc.summaries:
        if id(x) not in used:
            yield x, None


def render_summary_jsonl(doc: Document) -> str:
    return _jsonl(
        {"doc": doc.id, "method": o.method, "model": o.model, "lang": o.lang, "flags": list(o.flags),
         "summary": _summary_sentences(o),
         "translation": None if t is None else {"lang": t.lang, "model": t.model, "flags": list(t.flags),
                                                "summary": _summary_sentences(t)}}
        for o, t in _summary_pairs(doc)
    )


def render_summary_md(doc: Document) -> str:
    out = [f"# Summary: {_md_cell(doc.id)}\n"]
    for o, t in _summary_pairs(doc):
        for s in (o, t) if t else (o,):
            model = f", {s.model}" if s.model else ""
            out.append(f"\n## {s.lang} ({s.method}{model})\n\n")
            out.extend(f"- {_one_line(x.text)} [{', '.join(x.sources)}]\n" for x in s.sentences)
            if s.flags:
                out.append(f"\nFlags: {', '.join(s.flags)}\n")
    return "".join(out)


RENDERERS: dict[str, Callable[[Document], str]] = {
    "record": render_record, "segments": render_segments, "jsonl": render_jsonl,
    "tsv": render_tsv, "tmx": render_tmx, "xliff": render_xliff, "md": render_md,
    "doc": render_doc, "summary-jsonl": render_summary_jsonl, "summary-md": render_summary_md,
}


def check_formats(formats: list[str]) -> None:
    """NewsmtError naming the valid formats when one is unknown."""
    bad = [f for f in formats if f not in RENDERERS]
    if bad:
        raise NewsmtError(f"unknown output format(s): {', '.join(bad)}; valid: {', '.join(RENDERERS)}")


def render(doc: Document, fmt: str) -> str:
    """The document rendered as ``fmt`` (one of ``FORMAT_EXT``)."""
    check_formats([fmt])
    return RENDERERS[fmt](doc)


def output_name(doc: Document, fmt: str) -> str:
    """``<doc id><suffix>``; for "doc" the suffix is ``.<tgt lang>.<input format suffix>``."""
    check_formats([fmt])
    ext = FORMAT_EXT[fmt].format(tgt=doc.tgt_lang or doc.lang, ext=DOC_EXT.get(doc.format, "txt"))
    return safe_filename(doc.id) + ext


# -- files -------------------------------------------------------------------------------------
def replace_dir(staging: Path, dest: Path) -> None:
    """Move a complete folder into place, replacing an older one, with renames only: ``dest`` is
    always either the old folder or the complete new one."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    if dest.exists():
        os.replace(dest, old)
    os.replace(staging, dest)
    shutil.rmtree(old, ignore_errors=True)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same directory, fsync, then ``os.replace``: readers see
    the old file or the complete new one, never a partial write."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_outputs(doc: Document, outdir: Path, formats: list[str]) -> list[Path]:
    """Render ``doc`` in each format and write ``outdir/<doc id><suffix>`` atomically."""
    check_formats(formats)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = outdir / output_name(doc, fmt)
        write_atomic(path, render(doc, fmt))
        paths.append(path)
    return paths
