"""HTML pages: the "html" format (any document as a clean HTML5 page with its links, emphasis,
strong and code) and the page an HTML input is rebuilt as ("doc"). All text is escaped; no markup of
the source passes."""
from __future__ import annotations

import html
from typing import Callable

from ..document import Document, Paragraph, Span
from .common import one_line, substituted
from .links import Node, nest, safe_href, translated_unit

_CONTAINERS = {"ul": ("<ul>", "</ul>"), "ol": ("<ol>", "</ol>"), "table": ("<table>\n<tr>", "</tr>\n</table>")}
_REBUILD_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd",
                 "figcaption", "address"}  # kept in the rebuilt HTML; other blocks become <p>
_VERBATIM_KINDS = {"code", "html", "table"}  # shown as <pre>: line breaks kept
_TAGS = {"link": "a", "emphasis": "em", "strong": "strong", "code": "code"}  # the spans shown, as elements
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
def _spans(doc: Document) -> list[Span]:
    """The inline spans the page shows, outer first: links with a safe href (made safe), emphasis,
    strong and code; an unsafe link is left out (its text stays plain)."""
    out = []
    for s in doc.spans:
        if s.kind not in _TAGS or not 0 <= s.start <= s.end <= len(doc.text):
            continue
        if s.kind == "link":
            href = safe_href(s.attrs.get("href", ""))
            if href is None:
                continue
            s = Span("link", s.start, s.end, {"href": href})
        out.append(s)
    return sorted(out, key=lambda x: (x.start, -x.end, x.kind, x.attrs.get("href", "")))


def _shown(doc: Document, p: Paragraph) -> tuple[int, int]:
    """The range of ``doc.text`` a paragraph shows: a code block from its first line's start (its
    indentation kept), without a Markdown code block's fence lines (syntax, not content)."""
    if p.kind not in _VERBATIM_KINDS:
        return p.start, p.end
    start, end = _code_start(doc, p), p.end
    if doc.format == "md" and doc.text[start:end].lstrip().startswith(_FENCES):
        first, last = doc.text.find("\n", start, end), doc.text.rfind("\n", start, end)
        if first >= 0:
            start = first + 1
            end = last if last > first and doc.text[last + 1:end].strip().startswith(_FENCES) else end
    return start, end


def _homes(doc: Document, ranges: list[tuple[int, int]], spans: list[Span]) -> tuple[list[list[int]], list[list[int]]]:
    """For each shown paragraph range, the spans (indexes) with text in it; and the links with text
    in none (or without text), each for the end of the paragraph holding its start, else of the
    nearest one before it."""
    inside: list[list[int]] = [[] for _ in ranges]
    after: list[list[int]] = [[] for _ in ranges]
    for i, span in enumerate(spans):
        hits = [k for k, (a, b) in enumerate(ranges) if max(a, span.start) < min(b, span.end)]
        for k in hits:
            inside[k].append(i)
        if not hits and span.kind == "link" and ranges:
            before = [k for k, (a, _) in enumerate(ranges) if a <= span.start]
            after[(before or [0])[-1]].append(i)
    return inside, after


def _markup(nd: Node, text: str, spans: list[Span], fold: Callable[[str], str]) -> tuple[str, str]:
    """(HTML, plain text) of a piece and the pieces inside it; each text piece folded."""
    out, plain, pos = [], [], nd.start
    for child in [*nd.children, None]:
        piece = fold(text[pos:child.start if child else nd.end])
        out.append(_esc(piece))
        plain.append(piece)
        if child is not None:
            inner, shown = _markup(child, text, spans, fold)
            span = spans[child.n]
            cls = f' class="{child.cls}"' if child.cls else ""
            href = f' href="{html.escape(span.attrs["href"])}"' if span.kind == "link" else ""
            tag = _TAGS[span.kind]
            out.append(f"<{tag}{href}{cls}>{inner}</{tag}>")
            plain.append(shown)
            pos = child.end
    return "".join(out), "".join(plain)


def _appended(doc: Document, links: list[Span]) -> str:
    return "".join(f' <a href="{html.escape(x.attrs["href"])}" class="appended">'
                   f'{_esc(" ".join(doc.text[x.start:x.end].split()) or x.attrs["href"])}</a>' for x in links)


def _content(doc: Document, p: Paragraph, shown: tuple[int, int], spans: list[Span]) -> tuple[str, str]:
    """(HTML, plain text) of a paragraph: its sentences (translated, their spans placed by
    ``links.translated_unit``) and the text between them, or its verbatim text (line breaks kept
    for code)."""
    start, end = shown
    keep = p.kind in _VERBATIM_KINDS
    quote = doc.format == "md" and p.kind == "quote"
    text = doc.text[start:end]
    inline = [(max(x.start, start) - start, min(x.end, end) - start) for x in spans]
    out, nodes = translated_unit(doc, p, text, inline, start, lambda n: spans[n].kind == "link",
                                 lambda x: one_line(x, quote))
    tree = nest(nodes, lambda outer, inner: outer < inner and inline[outer][0] <= inline[inner][0]
                and inline[inner][1] <= inline[outer][1], len(out))
    return _markup(tree, out, spans, (lambda x: x) if keep else (lambda x: one_line(x, quote)))


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
    source text. The source's inline spans are placed in the translation (``writers.links``, the
    placement the service's HTML writer uses): links with a safe href as ``<a>`` (a link that finds
    no place appended after its sentence, one outside every paragraph after the paragraph before
    it), emphasis ``<em>``, strong ``<strong>``, code ``<code>``; placed by approximation: ``class="approx"``."""
    lang = doc.tgt_lang if doc.tgt_lang and doc.translations else doc.lang
    paragraphs = [p for p in doc.paragraphs if p.kind != "blank"]
    spans = _spans(doc)
    ranges = [_shown(doc, p) for p in paragraphs]
    inside, after = _homes(doc, ranges, spans)
    title = None
    blocks: list[tuple[str, str]] = []
    for p, shown, mine, late in zip(paragraphs, ranges, inside, after):
        body, plain = _content(doc, p, shown, [spans[i] for i in mine])
        if p.kind == "title" and title is None:
            title = plain
        container, open_tag, close_tag = _element(p)
        blocks.append((container, open_tag + body + _appended(doc, [spans[i] for i in late]) + close_tag))
    loose = [x for x in spans if x.kind == "link" and not paragraphs]
    if loose:  # links of a document without paragraphs
        blocks.append(("", "<p>" + _appended(doc, loose).lstrip() + "</p>"))
    meta_title = doc.meta.get("title")
    return page(lang, title or (meta_title if isinstance(meta_title, str) else "") or doc.id, blocks)
