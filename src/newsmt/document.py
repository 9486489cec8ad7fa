"""The document model: Document -> Paragraph -> Sentence, plus layers added by later stages.

Offsets are character offsets into ``Document.text`` (the text the reader produced: the decoded file
for txt/md/lines, the extracted text for html/jsonl). For every sentence ``s``:
``doc.text[s.start:s.end] == s.text``. Stages never rewrite paragraphs or sentences; they add layers
keyed by sentence id (``translations``), summaries that link to sentence ids, timings and provenance.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, Iterator

SCHEMA_VERSION = 1
_SCALARS = frozenset({str, int, float, bool, type(None)})


def canonical(obj: Any) -> str:
    """Canonical JSON (sorted keys, no ASCII escaping, no spaces): equal values, equal bytes."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _plain(obj: Any) -> Any:
    """``dataclasses.asdict`` for the document model, without its deep copy of every string
    (several times faster on a record of hundreds of sentences; the same result)."""
    kind = type(obj)
    if kind in _SCALARS:
        return obj
    names = getattr(kind, "__dataclass_fields__", None)
    if names is not None:
        return {name: _plain(getattr(obj, name)) for name in names}
    if kind is list:
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {_plain(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_plain(x) for x in obj)
    return copy.deepcopy(obj)


@dataclass
class Sentence:
    id: str  # stable id, e.g. "p3s2" (paragraph 3, sentence 2; 1-based)
    start: int
    end: int
    text: str


@dataclass
class Paragraph:
    id: str  # e.g. "p3"
    start: int
    end: int
    kind: str = "text"  # text | title | heading | list_item | quote | table_cell | caption | code | url
    translatable: bool = True
    sentences: list[Sentence] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. {"level": 2} for headings, {"marker": "- "}


@dataclass
class Span:
    """An inline span of ``Document.text`` (a link, emphasis) kept from the source markup."""

    kind: str  # link | emphasis | strong | code
    start: int
    end: int
    attrs: dict[str, str] = field(default_factory=dict)  # e.g. {"href": "https://..."} for links


@dataclass
class Translation:
    text: str
    score: float | None = None
    flags: list[str] = field(default_factory=list)
    model: str = ""
    evidence: dict[str, list[str]] = field(default_factory=dict)  # per flag: the words or values behind it
    inline: dict[str, str] = field(default_factory=dict)  # "a:b" (offsets in the sentence) of a span -> it translated alone


@dataclass
class SummarySentence:
    text: str
    sources: list[str]  # source sentence ids
    score: float | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class Summary:
    lang: str
    method: str
    model: str
    sentences: list[SummarySentence]
    source_lang: str = ""
    flags: list[str] = field(default_factory=list)


@dataclass
class Document:
    id: str
    lang: str
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    format: str = "txt"
    meta: dict[str, Any] = field(default_factory=dict)  # url, title, author, date, site, source, ...
    spans: list[Span] = field(default_factory=list)  # inline links/emphasis, offsets into ``text``
    # layers
    tgt_lang: str = ""
    translations: dict[str, Translation] = field(default_factory=dict)
    summaries: list[Summary] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def sentences(self) -> Iterator[Sentence]:
        """All sentences in document order (translatable paragraphs and others alike)."""
        for p in self.paragraphs:
            yield from p.sentences

    def sentence(self, sid: str) -> Sentence:
        for s in self.sentences():
            if s.id == sid:
                return s
        raise KeyError(sid)

    def check_offsets(self) -> None:
        """Raise AssertionError if any sentence text differs from its slice of ``text``."""
        for s in self.sentences():
            if self.text[s.start:s.end] != s.text:
                raise AssertionError(f"{self.id}/{s.id}: offsets {s.start}:{s.end} do not match text")

    # -- JSON ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d = _plain(self)
        if not d["spans"]:  # plain-text inputs have none: their records stay as they were
            del d["spans"]
        for t in d["translations"].values():  # likewise evidence and inline spans, only where there are some
            for key in ("evidence", "inline"):
                if not t[key]:
                    del t[key]
        d["schema"] = SCHEMA_VERSION
        return d

    def to_json(self) -> str:
        """``canonical`` JSON: byte-identical for identical documents."""
        return canonical(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        d = {k: v for k, v in d.items() if k != "schema"}
        paragraphs = [
            Paragraph(**{**p, "sentences": [Sentence(**s) for s in p.get("sentences", [])]})
            for p in d.pop("paragraphs", [])
        ]
        translations = {k: Translation(**v) for k, v in d.pop("translations", {}).items()}
        summaries = [
            Summary(**{**s, "sentences": [SummarySentence(**x) for x in s["sentences"]]})
            for s in d.pop("summaries", [])
        ]
        spans = [Span(**x) for x in d.pop("spans", [])]
        return cls(**d, paragraphs=paragraphs, translations=translations, summaries=summaries, spans=spans)

    @classmethod
    def from_json(cls, s: str) -> "Document":
        return cls.from_dict(json.loads(s))
