"""The news-aware translation engine every backend shares: the guards are applied here, once.

For each source sentence the engine
1. normalizes what the model reads (``guards.normalize_source``: one line, straight quotes, ...);
2. splits a sentence longer than the backend's safe input at clause boundaries (sentence end,
   ``;``, ``:``, dash, bracket, ``,``, conjunction, then whitespace outside names, or a character
   window) so nothing is silently truncated, and rejoins the translated parts (flag ``split``;
   ``splitting``); a part whose translation does not cover it (much shorter, digits lost) is
   translated again in two halves, and a text whose translation ends mid-phrase or says far more
   than its few words, again with a full stop or in quotes (``again``);
3. translates the unique model inputs in token-length order, in batches of ``batch_tokens``, on
   feeder threads (``flows``): each sentence is a flow that goes on with its checks as soon as its
   inputs are translated, while the model works on the next batch, and its repairs join that
   batch (a text's result does not depend on its batch mates);
4. restores protected spans and number formats the model altered, re-balances quotes and brackets
   that were balanced in the source (locating the separately translated quoted text), writes the
   target language's own quotation marks, and raises flags for what it could not repair (and
   ``repaired`` where the model wrote another value, with ``wrong -> right`` as evidence);
5. scores: ``exp(mean log-prob)`` when the backend has log-probs, else the quality score when
   ``cfg.score`` is on (the ``scorer`` given, else a ``score.PairScorer`` the engine creates, owns
   and closes: the round trip through the other direction, with ``omission``/``addition``), else
   None. What raised each flag is the Translation's ``evidence`` (flag -> items).

``translate_nbest`` gives several translations of each text from the backend's n-best list, each
through steps 1-4 like the best one (LibreTranslate's ``alternatives``).
"""
from __future__ import annotations

import math
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..config import TranslateConfig
from ..document import Document, Sentence, Span, Translation
from ..errors import LanguageError
from ..languages import Language, resolve
from . import guards as g
from .again import cover, finish
from .backend import Backend, Hypothesis
from .casing import HeadlineCase
from .flows import Flow, run_flows
from .job import Job, new_job
from .source_names import title_case
from .splitting import fit_parts, isolate, join_pieces, split_long

if TYPE_CHECKING:  # pragma: no cover
    from ..models import ResolvedModel
    from ..quality import QualityScorer
    from ..score import PairScorer

Progress = Callable[[int], None]


class TranslationEngine:
    """News-aware translation over one backend (one direction).

    ``scorer``: the quality scorer for ``cfg.score`` (its owner closes it); without one, the engine
    creates its own on first use and closes it in ``close``.
    """

    def __init__(self, backend: Backend, src: str | Language, tgt: str | Language, cfg: TranslateConfig | None = None,
                 scorer: QualityScorer | None = None, *, resolved: ResolvedModel | None = None) -> None:
        self.src_lang, self.tgt_lang = resolve(src), resolve(tgt)  # the languages every guard reads
        self.backend, self.src, self.tgt = backend, self.src_lang.tag, self.tgt_lang.tag
        self.cfg = cfg or TranslateConfig(tgt=self.tgt)
        self.scorer, self.resolved = scorer, resolved
        self._owns_scorer, self._owns_backend = False, True
        if hasattr(scorer, "use_forward"):  # a PairScorer translates single words with this model
            scorer.use_forward(backend)
        self.max_tokens = self.cfg.max_input_tokens or backend.max_input_tokens
        self.model = resolved.name if resolved else backend.model_id
        settings = {k: getattr(self.cfg, k) for k in ("batch_tokens", "score", "low_quality_threshold")}
        settings["beam"] = getattr(backend, "beam", self.cfg.beam)
        self.provenance: dict[str, Any] = {
            "model": self.model,
            "backend": getattr(backend, "name", type(backend).__name__),
            "revision": resolved.revision if resolved else "",
            "settings": {**settings, "max_input_tokens": self.max_tokens},
        }
        off = g.checks_off(self.src_lang, self.tgt_lang)
        if off:  # a pack without a check's section: that check is off, and the record says so
            self.provenance["checks_off"] = off
        self.stats: dict[str, Any] = {"sentences": 0, "splits": 0, "flags": {}}
        self._lock = threading.Lock()

    # ---- public ---------------------------------------------------------------------------
    def translate_texts(self, texts: list[str], progress: Progress | None = None) -> list[Translation]:
        """One Translation per input text, in order. Empty or blank texts come back unchanged."""
        jobs = [new_job(t, self.backend.reads) for t in texts]
        lengths = self._plan(jobs)
        todo = [j for j in jobs if j.pieces]
        if progress and len(todo) < len(jobs):
            progress(len(jobs) - len(todo))
        hyps: dict[str, Hypothesis] = {}
        run_flows(self.backend, [self._flow(j, hyps) for j in todo], hyps,
                  max(self.cfg.batch_tokens, self.backend.min_call_tokens), lengths, progress)
        scores = self._scores(jobs)
        self._count(jobs)
        return [self._translation(j, s) for j, s in zip(jobs, scores)]

    def _translation(self, job: Job, score: float | None) -> Translation:
        """The Translation of a finished job (the source itself where there was nothing to translate)."""
        return Translation(job.text if job.pieces else job.source, score, sorted(set(job.flags)), self.model,
                           {k: list(v) for k, v in sorted(job.evidence.items())})

    @property
    def nbest(self) -> bool:
        """Whether ``translate_nbest`` can give more than one translation (the backend's n-best list)."""
        return self.backend.nbest

    def translate_nbest(self, texts: list[str], n: int) -> list[list[Translation]]:
        """Up to ``n`` different translations of each text, best first: the backend's ``n`` best
        hypotheses (a split sentence's parts combined rank by rank), each through the same guards as
        ``translate_texts``'s; one where the backend has no n-best list (``nbest``), and a blank
        text unchanged. Scores are the hypotheses' (``exp`` of the mean log-prob), never the quality
        scorer's; the engine's ``stats`` are not counted."""
        jobs = [new_job(t, self.backend.reads) for t in texts]
        lengths = self._plan(jobs)
        ranked = self._ranked(list(dict.fromkeys(p for j in jobs for p in j.pieces)), n, lengths)
        hyps: dict[str, Hypothesis] = {}
        trials: list[list[Job]] = []
        flows: list[Flow] = []
        for job in jobs:
            depth = max((len(ranked[p]) for p in job.pieces), default=0)
            trials.append([replace(job, flags=list(job.flags), evidence={}) for _ in range(depth)])
            flows += [self._flow(trial, hyps, [ranked[p][min(k, len(ranked[p]) - 1)] for p in job.pieces])
                      for k, trial in enumerate(trials[-1])]
        run_flows(self.backend, flows, hyps, max(self.cfg.batch_tokens, self.backend.min_call_tokens), lengths)
        out: list[list[Translation]] = []
        for job, mine in zip(jobs, trials):
            if not job.pieces:
                out.append([self._translation(job, None)])
                continue
            distinct: dict[str, Job] = {}
            for t in mine:
                distinct.setdefault(t.text, t)
            out.append([self._translation(t, math.exp(t.logprob) if t.logprob is not None else None)
                        for t in distinct.values()][:n])
        return out

    def _ranked(self, texts: list[str], n: int, lengths: dict[str, int]) -> dict[str, list[Hypothesis]]:
        """The backend's n-best list of each text, in calls of about the engine's batch size."""
        limit = max(self.cfg.batch_tokens, self.backend.min_call_tokens)
        unknown = [t for t in texts if t not in lengths]
        lengths.update(zip(unknown, self.backend.count_tokens(unknown)))
        out: dict[str, list[Hypothesis]] = {}
        batch: list[str] = []
        for t in sorted(texts, key=lengths.__getitem__):
            if batch and (lengths[t] + 1) * (len(batch) + 1) > limit:
                out.update(zip(batch, self.backend.translate_nbest(batch, n)))
                batch = []
            batch.append(t)
        if batch:
            out.update(zip(batch, self.backend.translate_nbest(batch, n)))
        return out

    def translate_document(self, doc: Document, progress: Progress | None = None) -> Document:
        """Fill ``doc.translations`` for every sentence of its translatable paragraphs (a Title Case
        headline read in sentence case: ``casing``), with the text of each inline span (link,
        emphasis; not code) that is a part of a sentence translated alone."""
        if doc.lang and doc.lang != self.src:
            raise LanguageError(f"{doc.id}: the document is in '{doc.lang}' but this engine translates {self.src}->{self.tgt}")
        sents = [s for p in doc.paragraphs if p.translatable for s in p.sentences]
        texts = [g.fence_code(s.text, [(max(x.start, s.start) - s.start, min(x.end, s.end) - s.start)
                                       for x in doc.spans if x.kind == "code" and x.start < s.end and x.end > s.start])
                 for s in sents]
        if (self.src_lang.section("names") or {}).get("title_case"):  # English: Title Case headlines
            titled = [title_case(s.text) for s in sents]
            if any(titled):
                case = HeadlineCase([s.text for s, title in zip(sents, titled) if not title], self.backend.count_tokens)
                texts = [case(text) if title else text for text, title in zip(texts, titled)]
        for s, text, tr in zip(sents, texts, self.translate_texts(texts, progress)):
            tr.text = g.unfence_code(text, s.text, tr.text)
            doc.translations[s.id] = tr
        inline = _parts(doc, sents)
        alone = self.translate_texts([" ".join(doc.text[x.start:x.end].split()) for _, x in inline]) if inline else []
        for (s, x), tr in zip(inline, alone):  # where the writers place the span in the translation
            doc.translations[s.id].inline[f"{x.start - s.start}:{x.end - s.start}"] = tr.text
        doc.tgt_lang = self.tgt
        doc.provenance["translate"] = {**self.provenance, "settings": dict(self.provenance["settings"])}
        return doc  # no timings here: outputs stay byte-identical (the pipeline times its stages)

    def variant(self, src: str, tgt: str, scorer: PairScorer | QualityScorer | None = None) -> TranslationEngine:
        """An engine for another variant of this pair (``pt`` -> ``pt-BR``: same language and script)
        over this engine's loaded model: the variant decides the guards' forms, not the model. This
        engine keeps the backend and closes it."""
        engine = TranslationEngine(self.backend, src, tgt, replace(self.cfg, tgt=tgt), scorer, resolved=self.resolved)
        engine._owns_backend = False
        return engine

    def close(self) -> None:
        """Close the backend (unless it is another engine's: ``variant``), and the quality scorer
        when the engine created it."""
        if self._owns_backend:
            self.backend.close()
        if self._owns_scorer and self.scorer is not None:
            self.scorer.close()
            self.scorer, self._owns_scorer = None, False

    # ---- planning ------------------------------------------------------------------------------
    def _plan(self, jobs: list[Job]) -> dict[str, int]:
        """Cut every sentence into model inputs; returns the token count of each input."""
        todo = [j for j in jobs if j.norm]
        lengths = dict(zip((j.norm for j in todo), self.backend.count_tokens([j.norm for j in todo])))
        for job in todo:
            parts = split_long(job.norm, lengths[job.norm], self.max_tokens, self.backend.count_tokens, lengths)
            job.pieces = [p for p, _ in parts]
            job.seps = [s for _, s in parts]
            if len(parts) > 1:
                job.flags.append(g.SPLIT)
        return lengths

    # ---- one sentence's way: translate, assemble, check, repair ----------------------------------
    def _flow(self, job: Job, hyps: dict[str, Hypothesis], first: list[Hypothesis] | None = None) -> Flow:
        """The steps of one sentence; yields the texts it needs translated (``flows.run_flows``).
        ``first``: the pieces' translations to start from (an n-best rank), else the best ones."""
        if first is None:
            yield job.pieces
        found = [hyps[p] for p in job.pieces] if first is None else list(first)
        if len(found) > 1:
            yield from cover(job.pieces, found, hyps)
        yield from finish(job.pieces[-1], found, hyps, self.src_lang, self.tgt_lang)
        self._assemble(job, found)
        self._check(job)
        if job.lost_numbers:
            yield from self._retry(job, hyps)
        job.text = g.attach_links(job.text, job.links)
        marks = [mark for mark in ('"', "(") if self._pairs_off(job, mark)]
        if marks:
            yield from self._fix_pairs(job, marks, hyps)
        job.text = g.restore_typography(g.strip_dangling(job.text, job.norm), self.tgt_lang, job.source)
        job.text = g.capitalize_places(job.text, job.norm, self.src_lang, self.tgt_lang)
        job.text, variants = g.repair_variant(job.text, self.tgt_lang)
        if variants:  # the forms of the variant asked for (pt-BR: Moscovo -> Moscou)
            job.flags.append(g.VARIANT)
            job.evidence[g.VARIANT] = variants
        self._final_flags(job)  # on what the model read and wrote: not the symbols and other scripts lifted out
        job.text = g.place_symbols(job.marks, job.text)
        job.text = g.restore_spelling(job.text, job.spelt)
        if job.emphasis:  # placed where the translation has each emphasized text translated alone, else aligned
            alone = [g.normalize_source(e.struck or job.bare[e.start:e.end]) for e in job.emphasis]
            yield alone
            job.text = g.place_emphasis(job.bare, job.text, job.emphasis, (self.src, self.tgt), [hyps[a].text for a in alone])
        job.text = g.attach_code(job.text, job.codes)

    @staticmethod
    def _assemble(job: Job, parts: list[Hypothesis]) -> None:
        logprobs = [h.logprob for h in parts if h.logprob is not None]
        job.logprob = sum(logprobs) / len(logprobs) if len(logprobs) == len(parts) else None
        if len(parts) == 1:
            job.text = g.straighten_quotes(parts[0].text.strip())
            return
        job.text = g.straighten_quotes(join_pieces(job.pieces, [h.text.strip() for h in parts], job.seps).strip())

    def _check(self, job: Job) -> None:
        """Restore protected spans and number formats; note what is still missing."""
        spans = g.protected_spans(job.norm)
        if spans:
            job.text, job.lost_items = g.repair_protected([job.norm[a:b] for a, b in spans], job.text, job.norm)
        numbers = g.quantities(job.norm, self.src_lang, spans)
        if numbers:
            job.text, job.lost_numbers, job.changed = g.repair_numbers(numbers, job.text, self.src_lang, self.tgt_lang,
                                                                       g.protected_spans(job.text), job.norm)
            job.text, signs = g.repair_signs(numbers, job.norm, job.text, self.src_lang, self.tgt_lang)
            job.changed += signs

    def _retry(self, job: Job, hyps: dict[str, Hypothesis]) -> Flow:
        """Translate the clauses holding lost numbers on their own; keep the result if it loses fewer."""
        parts = isolate(job.norm, [(q.start, q.end) for q in job.lost_numbers])
        if len(parts) < 2:
            return
        parts = fit_parts(parts, self.max_tokens, self.backend.count_tokens)
        trial = Job(job.source, job.norm, [p for p, _ in parts], [s for _, s in parts])
        yield trial.pieces
        self._assemble(trial, [hyps[p] for p in trial.pieces])
        self._check(trial)
        if len(trial.lost_numbers) < len(job.lost_numbers):
            job.pieces, job.seps, job.text, job.logprob = trial.pieces, trial.seps, trial.text, trial.logprob
            job.lost_numbers, job.lost_items, job.changed = trial.lost_numbers, trial.lost_items, trial.changed
            job.flags.append(g.SPLIT)

    def _pairs_off(self, job: Job, mark: str) -> bool:
        """Whether ``mark`` pairs are balanced in the source but some are open or lost in the target
        (more pairs are fine: models write nested single quotes as double ones)."""
        pairs = g.source_pairs(job.norm, mark) if mark in job.norm else None
        if not pairs:
            return False
        items = g.pair_items(job.text, mark)
        return len(items) < len(pairs) or any(it.kind != "pair" for it in items)

    def _fix_pairs(self, job: Job, marks: list[str], hyps: dict[str, Hypothesis]) -> Flow:
        """Re-insert lost quote/bracket marks where the separately translated pair content lies."""
        contents = {mark: [job.norm[a + 1:b].strip() for a, b in g.source_pairs(job.norm, mark) or []] for mark in marks}
        yield [s for segs in contents.values() for s in segs if s]
        for mark in marks:
            fixed = g.insert_pairs(job.text, mark, [hyps[s].text if s else "" for s in contents[mark]])
            if fixed is None:
                job.flags.append(g.QUOTE_MISMATCH)
            else:
                job.text = fixed

    def _final_flags(self, job: Job) -> None:
        nothing = g.says_nothing(job.norm, job.text, g.protected_spans(job.norm))
        for flag, evidence in ((g.URL_LOST, list(job.lost_items)), (g.NUMBER_MISMATCH, [q.token for q in job.lost_numbers]),
                               (g.REPAIRED, list(job.changed)), (g.OMISSION, [g.ALL_OF_IT] if nothing else [])):
            if evidence:
                job.flags.append(flag)
                job.evidence[flag] = evidence
        if g.is_repetitive(job.text, job.norm):
            job.flags.append(g.REPETITION)
        if not g.length_ratio_ok(job.norm, g.detach_links(job.text)[0], self.src_lang, self.tgt_lang):  # links: no text
            job.flags.append(g.LENGTH_RATIO)
        unread = sum(c.isalpha() for m in job.marks for c in m.symbols) > sum(map(str.isalpha, job.norm))  # other script
        if unread or g.wrong_script(job.text, self.tgt_lang) or g.is_copy(job.norm, job.text):
            job.flags.append(g.WRONG_LANGUAGE)

    # ---- scores and counts -------------------------------------------------------------------------
    def _scores(self, jobs: list[Job]) -> list[float | None]:
        scores: list[float | None] = [math.exp(j.logprob) if j.logprob is not None else None for j in jobs]
        idx = [k for k, j in enumerate(jobs) if j.pieces]
        if not self.cfg.score or not idx:
            return scores
        scorer = self._scorer()
        sources, targets = [jobs[k].source for k in idx], [jobs[k].text for k in idx]
        if hasattr(scorer, "back_translate"):  # a PairScorer: round trip, omissions, evidence
            results = [(r.score, r.flags, r.evidence) for r in scorer.score(sources, targets, guards=False)]
        else:
            results = [(score, flags, {}) for score, flags in scorer.score(sources, targets)]
        for k, (score, flags, evidence) in zip(idx, results):
            jobs[k].flags += flags
            jobs[k].evidence.update(evidence)
            if scores[k] is None:
                scores[k] = score
        return scores

    def _scorer(self) -> Any:
        """The scorer given (a ``score.PairScorer`` or a ``quality.QualityScorer``), else the
        engine's own ``PairScorer`` (round trip through the other direction; created on first use)."""
        with self._lock:
            if self.scorer is None:
                from ..score import PairScorer

                back_cfg = replace(self.cfg, tgt=self.src, model="", score=False)
                self.scorer = PairScorer(self.src_lang, self.tgt_lang, self.cfg.low_quality_threshold,
                                         load_back=lambda: load_engine(self.tgt, self.src, back_cfg),
                                         forward=self.backend)
                self._owns_scorer = True
            return self.scorer

    def _count(self, jobs: list[Job]) -> None:
        flags = Counter(f for j in jobs for f in set(j.flags))
        with self._lock:
            self.stats["sentences"] += len(jobs)
            self.stats["splits"] += flags.get(g.SPLIT, 0)
            for f, n in flags.items():
                self.stats["flags"][f] = self.stats["flags"].get(f, 0) + n


def _parts(doc: Document, sents: list[Sentence]) -> list[tuple[Sentence, Span]]:
    """The inline spans (not code) that are a part of one of ``sents`` (in document order), each
    with its sentence, while their text adds up to no more than the sentence's (at most twice the
    translation's work, however many spans a sentence holds)."""
    starts = [s.start for s in sents]
    room = [len(s.text) for s in sents]
    out = []
    for x in doc.spans:
        i = bisect_right(starts, x.start) - 1
        s = sents[i] if i >= 0 else None
        if s and x.kind != "code" and x.end <= s.end and x.end - x.start <= room[i] \
                and any(c.isalnum() for c in doc.text[s.start:x.start] + doc.text[x.end:s.end]):
            room[i] -= x.end - x.start
            out.append((s, x))
    return out


# ---- loading ----------------------------------------------------------------------------------
def load_engine(src: str, tgt: str, cfg: TranslateConfig | None = None,
                scorer: PairScorer | QualityScorer | None = None) -> TranslationEngine:
    """Resolve the model for ``src``->``tgt`` (``cfg.model``/``cfg.backend``) and load it; the
    caller owns the engine and closes it (``Resources`` does)."""
    from ..models import resolve
    from .registry import create_backend

    cfg = replace(cfg, tgt=tgt) if cfg else TranslateConfig(tgt=tgt)
    resolved = resolve(src, tgt, cfg.model, cfg.backend)
    return TranslationEngine(create_backend(resolved, cfg, src, tgt), src, tgt, cfg, scorer, resolved=resolved)
