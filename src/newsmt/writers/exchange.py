"""Exchange formats: TMX 1.4b and XLIFF 2.1, always well-formed XML 1.0.

XML 1.0 cannot hold the C0 control characters other than tab, LF and CR, nor U+FFFE, U+FFFF or
lone surrogates, whatever attribute or text they would land in (document id, languages, sentence
text, flags). They never reach the output, and the output says so; ordinary text has none, so
nothing changes for it:

- TMX drops them everywhere. A ``<tu>`` that lost some carries
  ``<prop type="x-invalid-xml-chars">N</prop>`` (N: characters dropped from its id, languages,
  flags and segments); the ``<header>`` carries the same prop for the document-level attributes.
- XLIFF keeps those of ``<source>`` and ``<target>`` as the standard's ``<cp hex="000B"/>``
  (lossless) and drops those of attributes and notes, which cannot hold ``<cp>``. A unit that
  encoded or dropped any has ``<note category="invalid-xml-chars">cp=M dropped=N</note>``; for the
  document id and languages the same note stands in the ``<file>``'s own ``<notes>``.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .. import __version__
from ..document import Document
from ..sources.files import safe_filename
from .common import one_line, pairs

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
INVALID_PROP = "x-invalid-xml-chars"  # TMX <prop type>
INVALID_NOTE = "invalid-xml-chars"  # XLIFF <note category>


class _Dropper:
    """Removes the characters XML 1.0 cannot hold, counting them."""

    def __init__(self) -> None:
        self.dropped = 0

    def __call__(self, s: str) -> str:
        s, n = XML_INVALID.subn("", s)
        self.dropped += n
        return s


def _xml(root: ET.Element, inline: list[tuple[ET.Element, str]] = ()) -> str:
    """The document with its declaration; ``inline`` texts (which may get ``<cp>`` children) are
    filled in after indenting, so that no indentation is ever added inside them."""
    ET.indent(root)
    for element, text in inline:
        parts = XML_INVALID.split(text)
        element.text = parts[0]
        for char, tail in zip(XML_INVALID.findall(text), parts[1:]):
            ET.SubElement(element, "cp", hex=f"{ord(char):04X}").tail = tail
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_tmx(doc: Document) -> str:
    """TMX 1.4b: one <tu tuid="doc/id"> per translated sentence, score and flags as <prop>;
    characters XML cannot hold are dropped and counted (see the module docstring)."""
    top = _Dropper()
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(root, "header", {
        "creationtool": "newsmt", "creationtoolversion": __version__, "datatype": "plaintext",
        "segtype": "sentence", "adminlang": "en", "srclang": top(doc.lang), "o-tmf": "newsmt",
    })
    if top.dropped:
        ET.SubElement(header, "prop", type=INVALID_PROP).text = str(top.dropped)
    body = ET.SubElement(root, "body")
    for _, s, t in pairs(doc):
        if t is None:
            continue
        clean = _Dropper()
        tuid, flags = clean(f"{doc.id}/{s.id}"), clean(",".join(t.flags))
        tuvs = [(clean(lang), clean(one_line(text))) for lang, text in ((doc.lang, s.text), (doc.tgt_lang, t.text))]
        tu = ET.SubElement(body, "tu", tuid=tuid)
        if t.score is not None:
            ET.SubElement(tu, "prop", type="x-score").text = f"{t.score:.4f}"
        if t.flags:
            ET.SubElement(tu, "prop", type="x-flags").text = flags
        if clean.dropped:
            ET.SubElement(tu, "prop", type=INVALID_PROP).text = str(clean.dropped)
        for lang, text in tuvs:
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
    return _xml(root)


def _invalid_note(notes: ET.Element, encoded: int, dropped: int) -> None:
    ET.SubElement(notes, "note", category=INVALID_NOTE).text = f"cp={encoded} dropped={dropped}"


def render_xliff(doc: Document) -> str:
    """XLIFF 2.1: a <unit id=sentence id> per sentence; translated ones have a <target> and
    state "translated", the others state "initial"; score/flags become <note>s. Characters XML
    cannot hold become <cp> in source and target, and are dropped elsewhere, with a note saying
    how many (see the module docstring)."""
    el = ET.SubElement
    top = _Dropper()
    root = ET.Element("xliff", xmlns=XLIFF_NS, version="2.1", srcLang=top(doc.lang))  # default namespace
    if doc.tgt_lang:
        root.set("trgLang", top(doc.tgt_lang))
    file = el(root, "file", id=top(safe_filename(doc.id)))
    if top.dropped:
        _invalid_note(el(file, "notes"), 0, top.dropped)
    inline: list[tuple[ET.Element, str]] = []
    for _, s, t in pairs(doc):
        clean = _Dropper()
        unit_id, flags = clean(s.id), clean(",".join(t.flags)) if t else ""
        texts = [one_line(s.text)] + ([one_line(t.text)] if t else [])
        encoded = sum(len(XML_INVALID.findall(x)) for x in texts)
        unit = el(file, "unit", id=unit_id)
        if (t and (t.score is not None or t.flags)) or encoded or clean.dropped:
            notes = el(unit, "notes")
            if t and t.score is not None:
                el(notes, "note", category="score").text = f"{t.score:.4f}"
            if t and t.flags:
                el(notes, "note", category="flags").text = flags
            if encoded or clean.dropped:
                _invalid_note(notes, encoded, clean.dropped)
        segment = el(unit, "segment", state="translated" if t else "initial")
        inline += zip([el(segment, "source")] + ([el(segment, "target")] if t else []), texts)
    return _xml(root, inline)
