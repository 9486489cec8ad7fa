"""Planning a batch job: the inputs cut once, in order, into groups of ``group_size`` items.

The driver only cuts its inputs (``sources.raw_items``: JSONL lines, archived pages, whole files);
the workers read them, so reading, page extraction and language detection scale with the workers.
Groups are cut by input position alone, so the same inputs make the same groups whatever runs
them. Each group has a fingerprint of its items' bytes and of everything else that decides its
shard; a group committed with the same fingerprint (and the same decisions, below) is not sent to a
worker again.

Two things about an article depend on the articles before it: its unique id (``naming``) and
whether an earlier article had its body (a duplicate). The driver settles both in input order
(``Resolver`` over ``journal.Scratch``, committed after each group). A worker settles them for its
own group over what the driver has settled so far (``journal.ScratchView``), which gives the
driver's answers unless a group still in flight had the same id or body; where they differ, the
group is written again with the driver's answers (``GroupTask.decisions``), its records reused by
content key. A worker keys each record by the article without its id and source (``detach``):
equal content read from any file or line gives the same key (``workers.article_key``).
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

from . import __version__
from .config import PipelineConfig
from .document import Document, canonical
from .errors import InputError
from .journal import ScratchView
from .naming import OutputNamer, Taken
from .sources import Raw, raw_items
from .sources.files import expand_inputs

GROUP_BYTES = 4 << 20  # a group is cut once its items hold this many bytes
Decision = tuple[str, str]  # an article's id, and the id of the earlier article with its body ("": none)


@dataclass
class GroupTask:
    """What a worker gets: the group's items, and the driver's decisions for its articles when
    they differ from what the worker would settle alone."""

    g: int
    raws: list[Raw]
    decisions: list[Decision] | None = None


@dataclass
class Group:
    g: int
    raws: list[Raw]
    fingerprint: bytes

    def task(self, decisions: list[Decision] | None = None) -> GroupTask:
        return GroupTask(self.g, self.raws, decisions)


class Seen:
    """What ``Resolver`` remembers, in memory: a worker's, for one group, over what the driver
    settled before it (``view``; the driver's own memory is on disk: ``journal.Scratch``)."""

    def __init__(self, view: ScratchView | None = None) -> None:
        self.names: set[str] = set()
        self.bodies: dict[bytes, str] = {}
        self.view = view

    def __contains__(self, stem: object) -> bool:
        return stem in self.names or (self.view is not None and self.view.taken(str(stem)))

    def add(self, stem: str) -> None:
        self.names.add(stem)

    def first_with(self, digest: bytes, doc_id: str) -> str:
        if digest not in self.bodies:
            self.bodies[digest] = (self.view.first(digest) if self.view else "") or doc_id
        return self.bodies[digest]


class Memory(Taken, Protocol):
    def first_with(self, digest: bytes, doc_id: str) -> str: ...


class Resolver:
    """Ids and duplicates, article by article in input order."""

    def __init__(self, memory: Memory) -> None:
        self.namer, self.memory = OutputNamer(memory), memory

    def decide(self, candidate: str, digest: bytes) -> Decision:
        """The id of an article read as ``candidate`` (``naming.OutputNamer``), and the id of the
        first article with its body digest (none without a digest: an article not processed)."""
        doc_id = self.namer.claim(candidate)
        if not digest:
            return doc_id, ""
        first = self.memory.first_with(digest, doc_id)
        return doc_id, "" if first == doc_id else first


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


def detach(doc: Document) -> bytes:
    """The pickle of ``doc`` without its id and ``meta["source"]`` (both put back after). Without
    the pickle's memo: equal documents give equal bytes whichever objects they share, in any process."""
    doc_id, meta = doc.id, doc.meta
    doc.id, doc.meta = "", {k: v for k, v in meta.items() if k != "source"}
    try:
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # documents hold no cycles
        pickler.dump(doc)
        return buf.getvalue()
    finally:
        doc.id, doc.meta = doc_id, meta


def group_size(cfg: PipelineConfig) -> int:
    """Items (articles, but a feed is one item) per group: ``run.shard_size``, else 250, or 16 when translating (an article then
    costs a hundred times more: small groups keep every worker busy to the end of a small job and
    a kill loses less)."""
    return cfg.run.shard_size or (16 if cfg.translate.enabled else 250)


def _head(cfg: PipelineConfig) -> str:
    """What decides every shard besides the articles: settings, newsmt version, the group size."""
    return canonical({"settings": cfg.settings, "newsmt": __version__, "shard_size": group_size(cfg),
                      "group_bytes": GROUP_BYTES, "files": cfg.run.files})


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


def plan(inputs: list[str], cfg: PipelineConfig, outdir: Path) -> Iterator[Group]:
    """The job's groups in input order: ``group_size`` items, or fewer that hold ``GROUP_BYTES``
    (web pages are large: the driver holds a few groups at a time)."""
    head, size = _head(cfg).encode("utf-8"), group_size(cfg)
    raws: list[Raw] = []
    g = held = 0
    for raw in raw_items(inputs, cfg.input, outdir):
        raws.append(raw)
        held += len(raw.data)
        if len(raws) == size or held >= GROUP_BYTES:
            yield _sealed(g, raws, head)
            g, raws, held = g + 1, [], 0
    if raws:
        yield _sealed(g, raws, head)


def _sealed(g: int, raws: list[Raw], head: bytes) -> Group:
    h = hashlib.blake2b(head, digest_size=20)
    for r in raws:
        h.update(canonical([r.kind, r.name, r.n, list(r.info), len(r.data)]).encode("utf-8"))
        h.update(r.data)
    return Group(g, raws, h.digest())
