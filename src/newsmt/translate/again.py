"""Translating again what the model's first translation fails: flows (``flows``) that ask for
another translation and keep it only where it does better.

``cover``: a part of a split sentence whose translation does not cover it is translated again, cut
in two. ``finish``: a text whose translation ends mid-phrase is translated again with a full stop
(``Thanks`` -> ``Obrigado por``), and one of a few words that came back as many more, in quotes (a
small model's memory: ``Thank you`` -> ``Obrigado por enviar uma edição.``).
"""
from __future__ import annotations

from ..languages import Language
from . import guards as g
from .backend import Hypothesis
from .flows import Flow
from .splitting import covers, halve, join_pieces


def cover(pieces: list[str], found: list[Hypothesis], hyps: dict[str, Hypothesis]) -> Flow:
    """Translate again, cut in two, every part of a split sentence whose translation does not cover
    it (much shorter, or digits lost); keep the new translation when it covers the part or is longer."""
    halves = {i: parts for i, p in enumerate(pieces) if not covers(p, found[i].text)
              for parts in [halve(p)] if len(parts) > 1}
    if not halves:
        return
    yield [h for parts in halves.values() for h, _ in parts]
    for i, parts in halves.items():
        texts = [hyps[h].text.strip() for h, _ in parts]
        text = join_pieces([h for h, _ in parts], texts, [sep for _, sep in parts]).strip()
        if covers(pieces[i], text) or len(text) > len(found[i].text.strip()):
            found[i] = Hypothesis(text, found[i].logprob)


def finish(last: str, found: list[Hypothesis], hyps: dict[str, Hypothesis], src: Language, tgt: Language) -> Flow:
    """Translate the ``last`` piece again where its translation ends mid-phrase (``g.unfinished``:
    with a full stop) or says far more than its few words (``g.overlong``: in quotes); keep the new
    one where it does neither and, in quotes, is shorter, no copy of the source (``Sports`` ->
    ``"Sports"``) and ends with the source's marks (``What?!``)."""
    def off(text: str) -> bool:
        return not text or g.unfinished(text, last, src, tgt) or g.overlong(last, text)

    stop = g.unfinished(found[-1].text, last, src, tgt)
    if not (stop or not found[-1].text or g.overlong(last, found[-1].text)):
        return
    again = last + "." if stop else f'"{last}"'
    yield [again]
    text = hyps[again].text.strip().removesuffix(".") if stop else hyps[again].text.strip(' "“”«»')
    if not off(text) and (stop or len(text) < len(found[-1].text) and text.lower() != last.lower()
                          and g.final_marks(text) == g.final_marks(last)):
        found[-1] = Hypothesis(text, hyps[again].logprob)
