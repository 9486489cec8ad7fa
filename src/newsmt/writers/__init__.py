"""Output writers: render a processed ``Document`` in one of several formats, write atomically.

Every renderer is deterministic (sorted JSON keys, no timestamps) and never drops a sentence:
a sentence without a translation keeps ``tgt: null`` and the flag ``untranslated`` ("jsonl"),
its source text ("doc", "html"), or an empty target ("tsv", "md"); TMX only holds translated pairs.
Text of the document never becomes markup: XML outputs are well-formed whatever the text holds
(``exchange``), Markdown and HTML escape it (``markdown``, ``html_page``).

| module | formats |
|---|---|
| ``sentences`` | record, segments, jsonl, tsv |
| ``exchange`` | tmx, xliff |
| ``markdown`` | md (side by side), summary-md |
| ``summaries`` | summary-jsonl |
| ``rebuild`` | doc (the input format, translated) |
| ``html_page`` + ``links`` | html (a clean HTML5 page with the source's links, emphasis, strong and code) |
| ``extract`` | extract, extract-txt, extract-md (the article a reader found: ``newsmt extract``) |
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..document import Document
from ..errors import ConfigError
from ..fileio import write_atomic
from ..sources.files import safe_filename
from .common import UNTRANSLATED
from .extract import render_extract, render_extract_md, render_extract_txt
from .exchange import XLIFF_NS, XML_LANG, render_tmx, render_xliff
from .html_page import render_html
from .markdown import render_md, render_summary_md
from .rebuild import render_doc
from .sentences import render_jsonl, render_record, render_segments, render_tsv
from .summaries import render_summary_jsonl

__all__ = [
    "DOC_EXT", "FORMAT_EXT", "RENDERERS", "UNTRANSLATED", "XLIFF_NS", "XML_LANG", "check_formats", "output_name",
    "render", "render_doc", "render_html", "render_jsonl", "render_md", "render_record", "render_segments",
    "render_summary_jsonl", "render_summary_md", "render_tmx", "render_tsv", "render_xliff", "safe_filename",
    "write_atomic", "write_outputs",
]

FORMAT_EXT: dict[str, str] = {
    "record": ".record.json",
    "segments": ".segments.jsonl",
    "jsonl": ".sentences.jsonl",
    "tsv": ".tsv",
    "tmx": ".tmx",
    "xliff": ".xlf",
    "md": ".side-by-side.md",
    "doc": ".{tgt}.{ext}",  # e.g. article.ru.md: target language + the input format's suffix
    "html": ".{tgt}.html",  # the translated article as an HTML5 page, whatever the input format
    "summary-jsonl": ".summary.jsonl",
    "summary-md": ".summary.md",
    "extract": ".extract.jsonl",
    "extract-txt": ".extract.txt",
    "extract-md": ".extract.md",
}
DOC_EXT = {"txt": "txt", "md": "md", "html": "html", "jsonl": "jsonl", "lines": "txt"}

RENDERERS: dict[str, Callable[[Document], str]] = {
    "record": render_record, "segments": render_segments, "jsonl": render_jsonl,
    "tsv": render_tsv, "tmx": render_tmx, "xliff": render_xliff, "md": render_md,
    "doc": render_doc, "html": render_html, "summary-jsonl": render_summary_jsonl,
    "summary-md": render_summary_md, "extract": render_extract, "extract-txt": render_extract_txt,
    "extract-md": render_extract_md,
}


def check_formats(formats: list[str]) -> None:
    """ConfigError naming the valid formats when one is unknown."""
    bad = [f for f in formats if f not in RENDERERS]
    if bad:
        raise ConfigError(f"unknown output format(s): {', '.join(bad)}; valid: {', '.join(RENDERERS)}")


def render(doc: Document, fmt: str) -> str:
    """The document rendered as ``fmt`` (one of ``FORMAT_EXT``)."""
    check_formats([fmt])
    return RENDERERS[fmt](doc)


def output_name(doc: Document, fmt: str) -> str:
    """``<doc id><suffix>``; for "doc" the suffix is ``.<tgt lang>.<input format suffix>``, for
    "html" ``.<tgt lang>.html`` (an HTML input's "doc" and "html" files share that name)."""
    check_formats([fmt])
    ext = FORMAT_EXT[fmt].format(tgt=doc.tgt_lang or doc.lang, ext=DOC_EXT.get(doc.format, "txt"))
    return safe_filename(doc.id) + ext


def write_outputs(doc: Document, outdir: Path, formats: list[str]) -> list[Path]:
    """Render ``doc`` in each format and write ``outdir/<doc id><suffix>`` atomically; NewsmtError,
    before anything is written, when two formats would write one file ("doc" and "html" of an
    HTML input)."""
    check_formats(formats)
    names: dict[str, str] = {}
    for fmt in dict.fromkeys(formats):
        other = names.setdefault(output_name(doc, fmt), fmt)
        if other != fmt:
            raise ConfigError(f"output formats {other} and {fmt} would both write {output_name(doc, fmt)}; "
                              "choose one of them")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = outdir / output_name(doc, fmt)
        write_atomic(path, render(doc, fmt))
        paths.append(path)
    return paths
