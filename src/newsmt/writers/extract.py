"""``newsmt extract``: the article a reader found, as a record (extract) or for people (extract-txt/md).

The record: ``id``, ``source`` (the input as given, ``#N`` for the N-th entry of a feed or archive),
``url``, ``title``, ``author``, ``date`` (the publication date), ``site``, ``lang`` (and
``lang_confidence`` when detected), ``crawl_date`` (a page from a web archive: its capture time),
``text`` (the body: paragraphs separated by a blank line, no title), ``paragraphs`` (``id``,
``kind``, ``text``), ``links`` (``text``, ``href``) and ``flags`` (e.g. ``extraction_fallback``).
"""
from __future__ import annotations

import json
from typing import Any

from ..document import Document
from .markdown import md_text

META = ("url", "title", "author", "date", "site")


def extract_record(doc: Document) -> dict[str, Any]:
    paragraphs = [{"id": p.id, "kind": p.kind, "text": doc.text[p.start:p.end]} for p in doc.paragraphs]
    title = next((p["text"] for p in paragraphs if p["kind"] == "title"), "")
    detected = doc.meta.get("lang_detected", {})
    record = {
        "id": doc.id, "source": doc.meta.get("source", doc.id), "lang": doc.lang,
        **{k: str(doc.meta.get(k, "") or "") for k in META},
        "text": "\n\n".join(p["text"] for p in paragraphs if p["kind"] != "title"),
        "paragraphs": paragraphs,
        "links": [{"text": doc.text[s.start:s.end], "href": s.attrs.get("href", "")}
                  for s in doc.spans if s.kind == "link"],
        "flags": list(doc.meta.get("flags", [])),
    }
    record["title"] = record["title"] or title
    if doc.meta.get("crawl_date"):  # a page from a web archive: when it was captured
        record["crawl_date"] = str(doc.meta["crawl_date"])
    if detected:
        record["lang_confidence"] = detected["confidence"]
    return record


def render_extract(doc: Document) -> str:
    return json.dumps(extract_record(doc), ensure_ascii=False, sort_keys=True) + "\n"


def render_extract_txt(doc: Document) -> str:
    r = extract_record(doc)
    head = [r["title"], " · ".join(x for x in (r["site"], r["author"], r["date"], r["url"]) if x)]
    return "\n\n".join(x for x in [*head, r["text"]] if x) + "\n\n"


def render_extract_md(doc: Document) -> str:
    """The article as Markdown: a Markdown input as it was read (its own structure and inline
    markup), any other with a title, byline and paragraphs in Markdown, text escaped."""
    if doc.format == "md":
        return doc.text.rstrip("\n") + "\n"
    r = extract_record(doc)
    lines = [f"# {md_text(r['title'] or r['id'])}", ""]
    byline = " · ".join(md_text(x) for x in (r["site"], r["author"], r["date"]) if x)
    lines += [f"*{byline}*", ""] if byline else []
    lines += [f"<{r['url']}>", ""] if r["url"].startswith(("http://", "https://")) else []
    for p in r["paragraphs"]:
        if p["kind"] == "title":
            continue
        prefix = {"heading": "## ", "list_item": "- ", "quote": "> "}.get(p["kind"], "")
        lines += [prefix + md_text(p["text"]), ""]
    return "\n".join(lines) + "\n"
