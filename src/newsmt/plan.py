"""Planning a batch job: the inputs read once, in order, into groups of ``group_size`` articles.

The driver reads every input (``sources.documents``), gives each article its unique id
(``naming.OutputNamer``), sets aside what cannot be processed (unreadable, too long, no model for
its language) and points a duplicate body at the first article that had it. Groups are cut by
input position alone, so the same inputs make the same groups whatever runs them. Each group has
a fingerprint of everything that decides what its shard holds; a group committed with the same
fingerprint is not sent to a worker again.

A worker gets each article as its pickle without the id and source (``detach``), those two beside
it: equal content read from any file or line gives equal bytes, and the worker keys the article's
record by them (``workers.article_key``).
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import __version__
from .config import PipelineConfig
from .document import Document, canonical
from .errors import InputError, LanguageError, ModelError
from .journal import Scratch
from .naming import OutputNamer
from .pipeline import model_ids
from .sources import documents
from .sources.files import expand_inputs


@dataclass
class Item:
    """One input article (or unreadable input), in input order."""

    source: str
    id: str = ""
    error: str = ""  # why it cannot be processed (found while reading)
    duplicate_of: str = ""  # id of the earlier article of this job with the same body
    lang: str = ""
    blob: bytes = b""  # the pickled Document a worker gets, without id and source; empty for an error
    slot: int = -1  # where "source" stood in its meta (-1: it had none)


@dataclass
class GroupTask:
    """What a worker gets: each article to write (``detach``ed Document, id, source, slot,
    duplicate_of) in order, and the model ids of their languages (part of their keys)."""

    g: int
    articles: list[tuple[bytes, str, str, int, str]]
    models: dict[str, dict[str, str]]


@dataclass
class Group:
    g: int
    start: int  # input position of its first item
    items: list[Item] = field(default_factory=list)
    fingerprint: bytes = b""

    def task(self, models: dict[str, dict[str, str]]) -> GroupTask:
        todo = [i for i in self.items if not i.error]
        return GroupTask(self.g, [(i.blob, i.id, i.source, i.slot, i.duplicate_of) for i in todo],
                         {lang: models[lang] for lang in {i.lang for i in todo if not i.duplicate_of}})


_ASCII_SPACES = bytes(c for c in range(128) if chr(c).isspace())
_WIDE_SPACES = [chr(c) for c in range(128, 0x3001) if chr(c).isspace()]


def body_digest(doc: Document) -> bytes:
    """The article's body (every paragraph but the title), case folded and every space removed,
    hashed: syndicated wire copy and a page crawled twice have the same one."""
    body = " ".join(doc.text[p.start:p.end] for p in doc.paragraphs if p.kind != "title")
    if body.isascii():  # bytes.lower is casefold for ASCII, and many times faster
        data = body.encode("ascii").lower()
    else:
        body = body.casefold()
        for space in _WIDE_SPACES:
            body = body.replace(space, " ")
        data = body.encode("utf-8")
    return hashlib.blake2b(data.translate(None, _ASCII_SPACES), digest_size=16).digest()


def detach(doc: Document) -> tuple[bytes, int]:
    """The pickle of ``doc`` without its id and ``meta["source"]`` (both put back as they were
    after), and where the source stood in its meta (-1: none)."""
    doc_id, meta = doc.id, doc.meta
    slot = list(meta).index("source") if "source" in meta else -1
    doc.id, doc.meta = "", {k: v for k, v in meta.items() if k != "source"}
    try:
        return pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), slot
    finally:
        doc.id, doc.meta = doc_id, meta


def attach(blob: bytes, doc_id: str, source: str, slot: int) -> Document:
    """The Document ``detach`` took apart."""
    doc: Document = pickle.loads(blob)
    doc.id = doc_id
    if slot >= 0:
        items = list(doc.meta.items())
        items.insert(slot, ("source", source))
        doc.meta = dict(items)
    return doc


def group_size(cfg: PipelineConfig) -> int:
    """Articles per group: ``run.shard_size``, else 250, or 16 when translating (an article then
    costs a hundred times more: small groups keep every worker busy to the end of a small job and
    a kill loses less)."""
    return cfg.run.shard_size or (16 if cfg.translate.enabled else 250)


def _head(cfg: PipelineConfig) -> str:
    """What decides every shard besides the articles: settings, newsmt version, the group size."""
    return canonical({"settings": cfg.settings, "newsmt": __version__, "shard_size": group_size(cfg),
                      "files": cfg.run.files})


def inputs_digest(inputs: list[str], cfg: PipelineConfig, outdir: Path) -> str:
    """A digest of the input files (names and bytes, in reading order) and ``_head``: a job whose
    last complete run had the same one (and the same models) is finished as it stands. "" when an
    input is stdin or missing."""
    h = hashlib.blake2b(_head(cfg).encode("utf-8"), digest_size=20)
    for path in expand_inputs(inputs, outdir):
        if isinstance(path, InputError) or str(path) == "-":
            return ""
        name = os.fsencode(path)
        h.update(len(name).to_bytes(8, "little") + name + path.stat().st_size.to_bytes(8, "little"))
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def plan(inputs: list[str], cfg: PipelineConfig, outdir: Path, scratch: Scratch,
         models: dict[str, dict[str, str]]) -> Iterator[Group]:
    """The job's groups in input order; ``models`` collects the model ids of each language read."""
    head, size = _head(cfg), group_size(cfg)
    group = Group(0, 0)
    for item in read(inputs, cfg, outdir, scratch, models):
        group.items.append(item)
        if len(group.items) == size:
            yield _sealed(group, head, models)
            group = Group(group.g + 1, group.start + len(group.items))
    if group.items:
        yield _sealed(group, head, models)


def _sealed(group: Group, head: str, models: dict[str, dict[str, str]]) -> Group:
    h = hashlib.blake2b(head.encode("utf-8"), digest_size=20)
    for i in group.items:
        h.update(canonical([i.source, i.id, i.slot, i.error, i.duplicate_of, models.get(i.lang)]).encode("utf-8"))
        h.update(len(i.blob).to_bytes(8, "little"))
        h.update(i.blob)
    group.fingerprint = h.digest()
    return group


def read(inputs: list[str], cfg: PipelineConfig, outdir: Path, scratch: Scratch,
         models: dict[str, dict[str, str]]) -> Iterator[Item]:
    """Every input article in order as an Item: named, checked, its Document pickled."""
    namer = OutputNamer(scratch)
    for doc in documents(inputs, cfg.input, cfg.segment.lang, skip=outdir):
        if isinstance(doc, InputError):
            yield Item(str(doc).split(": ", 1)[0], error=str(doc))
            continue
        doc.id = namer.claim(doc.id)
        item = Item(doc.meta.get("source", doc.id), doc.id, lang=doc.lang)
        if len(doc.text) > cfg.run.max_chars:
            item.error = (f"article has {len(doc.text)} characters, over run.max_chars="
                          f"{cfg.run.max_chars} (raise it with --set run.max_chars=N)")
            yield item
            continue
        first = scratch.first_with(body_digest(doc), doc.id)
        if first != doc.id:
            item.duplicate_of = first
        elif doc.lang not in models:
            try:
                models[doc.lang] = model_ids(cfg, doc.lang)
            except (LanguageError, ModelError) as e:  # no model for a detected language: that article
                if isinstance(e, ModelError) and "lang_detected" not in doc.meta:
                    raise
                item.error = f"language {doc.lang!r}: {e}"
                yield item
                continue
        item.blob, item.slot = detach(doc)
        yield item
