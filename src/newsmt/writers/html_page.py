"""HTML pages: the "html" format (any document as a clean HTML5 page with its links) and the
page an HTML input is rebuilt as ("doc"). All text is escaped; no markup of the source passes."""
from __future__ import annotations

import html
from collections import defaultdict
from typing import Callable

from ..document import Document, Paragraph, Sentence
from .common import one_line, substituted
from .links import Link, Wrap, doc_links, exact, translated

_CONTAINERS = {"ul": ("<ul>", "</ul>"), "ol": ("<ol>", "</ol>"), "table": ("<table>\n<tr>", "</tr>\n</table>")}
_REBUILD_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd",
                 "figcaption", "address"}  # kept in the rebuilt HTML; other blocks become <p>
_VERBATIM_KINDS = {"code", "html", "table"}  # shown as <pre>: line breaks kept
_FENCES = ("```", "~~~")


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def page(lang: str, title: str, blocks: list[tuple[str, str]]) -> str:
    """An HTML5 page; ``blocks`` are (container, element): consecutive elements of one container
    ("ul", "ol", "table" (one row); "" none) share it. The page has one ``<h1>``: later ones are ``<h2>``."""
    body: list[str] = []
    current = ""
    h1 = False
    for container, element in blocks:
        if element.startswith("<h1>"):
            element = element if not h1 else "<h2>" + element[4:-5] + "</h2>"
            h1 = True
        if container != current:
            if current:
                body.append(_CONTAINERS[current][1])
            if container:
                body.append(_CONTAINERS[container][0])
            current = container
        body.append(element)
    if current:
        body.append(_CONTAINERS[current][1])
    head = '<meta charset="utf-8">' + (f"\n<title>{_esc(title)}</title>" if title else "")
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n{head}\n</head>\n<body>\n'
            + "\n".join(body) + "\n</body>\n</html>\n")


def _list_type(p: Paragraph) -> str:
    kind = p.meta.get("list")
    if kind in ("ul", "ol"):
        return kind
    return "ol" if str(p.meta.get("marker", "")).lstrip()[:1].isdigit() else "ul"


def _code_start(doc: Document, p: Paragraph) -> int:
    return doc.text.rfind("\n", 0, p.start) + 1  # keep the first line's indentation


# -- "doc" for an HTML input -------------------------------------------------------------------
def render_html_rebuild(doc: Document) -> str:
    """The translated HTML input: a clean page from the paragraphs. A paragraph's block tag comes
    from ``meta["tag"]`` where the reader kept one (others than ``_REBUILD_TAGS`` become <p>), else
    from its kind as in the "html" format; a title read from ``<title>`` stays out of the body."""
    title = ""
    blocks: list[tuple[str, str]] = []
    for p in doc.paragraphs:
        tag = p.meta.get("tag")
        text = substituted(doc, _code_start(doc, p) if p.kind == "code" else p.start, p.end)
        if p.kind == "title" and not title:
            title = text
            if tag == "title":
                continue
        if tag is None:
            if p.kind != "blank":
                container, open_tag, close_tag = _element(p)
                blocks.append((container, open_tag + _esc(text) + close_tag))
            continue
        if tag not in _REBUILD_TAGS:
            tag = "p"
        blocks.append((_list_type(p) if tag == "li" else "", f"<{tag}>{_esc(text)}</{tag}>"))
    return page(doc.tgt_lang or doc.lang, title, blocks)


# -- the "html" format ----------------------------------------------------------------------------
def _run(text: str, wraps: list[Wrap], fold: Callable[[str], str] | None) -> tuple[str, str]:
    """(HTML, plain text) of ``text`` with ``wraps`` as links; each piece folded (hard wraps
    collapsed) unless ``fold`` is None (line breaks kept)."""
    fold = fold or (lambda x: x)
    out, plain, pos = [], [], 0
    for w in [*wraps, None]:
        piece = fold(text[pos:w.start if w else len(text)])
        out.append(_esc(piece))
        plain.append(piece)
        if w is not None:
            inner = fold(text[w.start:w.end])
            cls = f' class="{w.cls}"' if w.cls else ""
            out.append(f'<a href="{html.escape(w.href)}"{cls}>{_esc(inner)}</a>')
            plain.append(inner)
            pos = w.end
    return "".join(out), "".join(plain)


def _appended(doc: Document, links: list[Link]) -> str:
    return "".join(f' <a href="{html.escape(x.href)}" class="appended">'
                   f'{_esc(" ".join(doc.text[x.start:x.end].split()) or x.href)}</a>' for x in links)


def _homes(doc: Document, paragraphs: list[Paragraph]) -> tuple[dict[str, list[Link]], dict[int, list[Link]]]:
    """Each link's home: the sentence it overlaps most (by id; the first on a tie), else the
    paragraph (index in ``paragraphs``) holding its start, else the nearest one before it."""
    by_sentence: dict[str, list[Link]] = defaultdict(list)
    by_paragraph: dict[int, list[Link]] = defaultdict(list)
    sentences = [s for p in paragraphs for s in p.sentences]
    for link in doc_links(doc):
        overlap, i = max(((min(link.end, s.end) - max(link.start, s.start), -i) for i, s in enumerate(sentences)),
                         default=(0, 0))
        if overlap > 0:
            by_sentence[sentences[-i].id].append(link)
            continue
        before = [i for i, p in enumerate(paragraphs) if p.start <= link.start]
        inside = [i for i in before if link.start < paragraphs[i].end]
        by_paragraph[(inside or before or [0])[-1]].append(link)
    return by_sentence, by_paragraph


def _sentence(doc: Document, s: Sentence, links: list[Link], fold: Callable[[str], str]) -> tuple[str, str]:
    """A sentence's translation (else its source text) with its links, leftovers appended."""
    t = doc.translations.get(s.id)
    if t is None:
        wraps, left = exact(s.start, s.text, links)
        body, plain = _run(s.text, wraps, fold)
    else:
        text = one_line(t.text)
        wraps, left = translated(s.text, s.start, text, links)
        body, plain = _run(text, wraps, fold)
    return body + _appended(doc, left), plain


def _content(doc: Document, p: Paragraph, homes: tuple[dict, dict], index: int) -> tuple[str, str]:
    """(HTML, plain text) of a paragraph: its sentences and the text between them, or its
    verbatim text (line breaks kept for code); the links found nowhere appended at its end."""
    by_sentence, by_paragraph = homes
    keep = p.kind in _VERBATIM_KINDS
    start, end = (_code_start(doc, p), p.end) if keep else (p.start, p.end)
    if keep and doc.format == "md" and doc.text[start:end].lstrip().startswith(_FENCES):
        first, last = doc.text.find("\n", start, end), doc.text.rfind("\n", start, end)
        if first >= 0:  # the fence lines of a Markdown code block are syntax, not content
            start = first + 1
            end = last if last > first and doc.text[last + 1:end].strip().startswith(_FENCES) else end
    quote = doc.format == "md" and p.kind == "quote"
    fold = None if keep else (lambda x: one_line(x, quote))
    pending = sorted(by_paragraph.get(index, []), key=lambda x: (x.start, x.end, x.href))
    parts: list[tuple[str, str]] = []
    pos = start
    for s in [*p.sentences, None]:
        gap_end = s.start if s is not None else end
        if gap_end > pos:  # text between sentences, or all of a verbatim paragraph: exact links
            inside = [x for x in pending if pos <= x.start and x.end <= gap_end]
            wraps, left = exact(pos, doc.text[pos:gap_end], inside)
            pending = sorted([x for x in pending if x not in inside] + left, key=lambda x: (x.start, x.end, x.href))
            parts.append(_run(doc.text[pos:gap_end], wraps, fold))
        if s is not None:
            parts.append(_sentence(doc, s, by_sentence.get(s.id, []), fold or one_line))
            pos = s.end
    return "".join(h for h, _ in parts) + _appended(doc, pending), "".join(t for _, t in parts)


def _element(p: Paragraph) -> tuple[str, str, str]:
    """(container, opening tag, closing tag) of a paragraph in the "html" format."""
    if p.kind == "title":
        return "", "<h1>", "</h1>"
    if p.kind == "heading":
        level = p.meta.get("level", 2)
        level = min(max(level, 1), 6) if isinstance(level, int) else 2
        return "", f"<h{level}>", f"</h{level}>"
    if p.kind == "list_item":
        return _list_type(p), "<li>", "</li>"
    if p.kind == "table_cell":
        return "table", "<td>", "</td>"
    if p.kind in _VERBATIM_KINDS:
        return "", "<pre>", "</pre>"
    tag = {"quote": "<blockquote>", "caption": '<p class="caption">'}.get(p.kind, "<p>")
    return "", tag, "</blockquote>" if p.kind == "quote" else "</p>"


def render_html(doc: Document) -> str:
    """The translated article as a clean HTML5 page (``<html lang>`` the target language, or the
    source's when nothing is translated): the title as ``<title>`` and ``<h1>``, headings
    ``<hN>``, paragraphs, lists, quotes, table cells (a run of them is one table row), captions
    (``<p class="caption">``), code as ``<pre>`` (so are a Markdown input's raw HTML blocks and
    tables, escaped; Markdown inline syntax stays as written). Untranslated sentences show their
    source text.
    Every source link with a safe href wraps its text once (placement: ``writers.links``)."""
    lang = doc.tgt_lang if doc.tgt_lang and doc.translations else doc.lang
    paragraphs = [p for p in doc.paragraphs if p.kind != "blank"]
    homes = _homes(doc, paragraphs)
    title = None
    blocks: list[tuple[str, str]] = []
    for i, p in enumerate(paragraphs):
        body, plain = _content(doc, p, homes, i)
        if p.kind == "title" and title is None:
            title = plain
        container, open_tag, close_tag = _element(p)
        blocks.append((container, open_tag + body + close_tag))
    if not paragraphs and homes[1]:  # links of a document without paragraphs
        blocks.append(("", "<p>" + _appended(doc, homes[1][0]).lstrip() + "</p>"))
    meta_title = doc.meta.get("title")
    return page(lang, title or (meta_title if isinstance(meta_title, str) else "") or doc.id, blocks)
