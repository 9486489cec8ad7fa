"""A source sentence's job through the engine: what the model reads (``norm``) and what is taken
out of the sentence before (inline code, Markdown emphasis, symbols, words of another script, link
targets, letters the model lacks) to be put back after translation."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import guards as g


@dataclass
class Job:
    """One source sentence on its way through the engine."""

    source: str
    norm: str  # what the model reads
    pieces: list[str] = field(default_factory=list)  # model inputs: [norm] or the parts of a long sentence
    seps: list[str] = field(default_factory=list)  # what joins piece i to piece i+1 ("" inside a word)
    text: str = ""
    logprob: float | None = None
    flags: list[str] = field(default_factory=list)
    lost_numbers: list[g.Quantity] = field(default_factory=list)  # source numbers not in the target
    lost_items: list[str] = field(default_factory=list)  # URLs, e-mails, handles, tags not in the target
    changed: list[str] = field(default_factory=list)  # values the model got wrong and the guards rewrote
    evidence: dict[str, list[str]] = field(default_factory=dict)  # flag -> what raised it
    links: list[str] = field(default_factory=list)  # Markdown link targets detached from ``norm``
    codes: list[str] = field(default_factory=list)  # inline code spans, line breaks, images: placeholders in ``norm``
    bare: str = ""  # the source without its Markdown emphasis, code detached: where ``emphasis`` lies
    emphasis: list[g.Emphasis] = field(default_factory=list)  # taken round the model (``guards.emphasis``)
    marks: list[g.Mark] = field(default_factory=list)  # symbols lifted from the source, written back
    spelt: dict[str, str] = field(default_factory=dict)  # plain spelling in ``norm`` -> the source's word


def new_job(text: str, reads: Callable[[str], bool]) -> Job:
    """A text's job: inline code detached first (kept verbatim), then Markdown emphasis; symbols and
    words in a script the model does not ``read`` lifted out, typography normalized, link targets
    detached and words with letters it does not read spelt plainly (each put back after translation)."""
    coded, codes = g.detach_code(text)
    bare, emphasis = g.detach_emphasis(coded)
    plain, marks = g.lift_symbols(bare, g.foreign_letters(reads))
    norm, links = g.detach_links(g.normalize_source(plain))
    norm, spelt = g.stand_ins(norm, reads)
    return Job(text, norm, links=links, codes=codes, bare=bare, emphasis=emphasis, marks=marks, spelt=spelt)
