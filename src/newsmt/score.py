"""Scoring any translation (a human's, another system's, newsmt's own): score, flags and evidence.

``PairScorer`` checks each (source, translation) pair the way the engine checks its own output,
without repairing anything, and adds the model-based checks:

* the guards: numbers, clock times, dates, decades, ordinals, units (``number_mismatch``), URLs,
  e-mails, handles, hashtags, tags as whole tokens (``url_lost``), decoder loops (``repetition``),
  implausible length (``length_ratio``), untranslated or wrong-script text (``wrong_language``);
* the meaning checks (``translate.meaning``): names and clauses the translation dropped
  (``omission``), names and numbers it invented (``addition``), first with the translation's own
  words and the bilingual lexicon of the Bergamot shortlists (no model run);
* without a model the other way: a translation closer in meaning (embeddings) to the first half of
  the source than to all of it, and shorter than the pair's usual length, lost its second half
  (``omission``);
* the round trip, only where that leaves doubt (a name not found, under 75% of the source's content
  words covered): the translation is translated back by the other direction's model (pt->en for
  en->pt); its chrF against the source is the meaning factor of the quality score (``low_quality``,
  ``quality.QualityScorer``, with language identification, length and repetition; 1 without doubt),
  or, where chrF finds little, the embeddings of the source and the back-translation read as a
  paraphrase (``quality.paraphrase_meaning``: a free rendering), and the meaning checks run again
  with it (a name a translator wrote in his own way comes back);
* a name still omitted is kept where the translation is nearer (embeddings) to the source with it
  than without it (or the back-translation, where there is one): a translator rendered it in other
  words (``QualityScorer.word_weights``).

``score_pairs`` is the function behind ``newsmt score``: it reads its pairs as one text for names (a
word the sources write with a capital mid-sentence is a name where another line starts with it);
the engine scores each sentence on its own. ``read_pairs`` reads line-aligned files or
JSONL with ``src``/``tgt``; ``summary_line`` is the line printed at the end.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, LanguageError, ModelError
from .languages import Language, resolve
from .quality import (NAME_RENDERED, NAME_RENDERED_BACK, PARAPHRASE_BELOW, QualityScorer, copied_on_purpose, has_language,
                      meaning_factor, paraphrase_meaning, round_trip_meaning)
from .translate import guards as g
from .translate.meaning import MeaningChecker, MeaningReport

ROUND_TRIP_BELOW = 0.75  # lexicon coverage under which a pair is translated back


@dataclass
class Scored:
    """One scored pair: score in [0, 1], sorted flags, and for each flag what raised it."""

    score: float
    flags: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)


def guard_flags(source: str, target: str, src: Language, tgt: Language) -> dict[str, list[str]]:
    """The engine's cheap checks on any pair, nothing repaired: ``{flag: evidence}``."""
    out: dict[str, list[str]] = {}
    norm = g.normalize_source(source)
    if not norm and target.strip():
        return {g.ADDITION: ["a translation of an empty source"]}
    spans = g.protected_spans(norm)
    if g.says_nothing(norm, target, spans):
        out[g.OMISSION] = [g.ALL_OF_IT]
    if spans:
        items = [norm[a:b] for a, b in spans]
        # a human may write a hashtag or handle in other capitals (#MeToo, #Metoo): the same one
        kept = {it: len(g.occurrences(it, target)) or (it[0] in "#@" and len(g.occurrences(it.lower(), target.lower())))
                for it in set(items)}
        lost = [it for it, n in Counter(items).items() for _ in range(n - min(n, kept[it]))]
        if lost:
            out[g.URL_LOST] = lost
    numbers = g.quantities(norm, src, spans)
    if numbers:
        _, lost_numbers, changed = g.repair_numbers(numbers, target, src, tgt, g.protected_spans(target), norm)
        signs = g.repair_signs(numbers, norm, target, src, tgt)[1]  # a minus sign lost or added
        wrong = [q.token for q in lost_numbers] + changed + signs  # another value: a time 12 h off, another weekday...
        if wrong:
            out[g.NUMBER_MISMATCH] = wrong
    variants = g.variant_forms(target, tgt)
    if variants:
        out[g.VARIANT] = variants
    lost_symbols = g.lost_symbols(source, target, tgt)
    if lost_symbols:
        out[g.SYMBOL_LOST] = lost_symbols
    if g.is_repetitive(target, norm):
        out[g.REPETITION] = []
    if not g.length_ratio_ok(norm, target, src, tgt):
        out[g.LENGTH_RATIO] = [f"{len(target)}/{len(norm)} characters"]
    # a line returned verbatim is judged by the language identifier (quality.py): a quotation in a
    # third language may stay as it is ("Il faut bien le faire.")
    if has_language(norm) and not copied_on_purpose(norm, target) and g.wrong_script(target, tgt):
        out[g.WRONG_LANGUAGE] = []
    return out


class PairScorer:
    """Scores ``src`` -> ``tgt`` pairs. The models (the back-translation engine, the language
    identifier, the lexicon) load on first use and are released by ``close`` (or ``with``); an
    engine or quality scorer given is left to its owner."""

    def __init__(self, src: str | Language, tgt: str | Language, threshold: float | None = None, *, back: Any = None,
                 load_back: Callable[[], Any] | None = None, quality: QualityScorer | None = None,
                 forward: Any = None) -> None:
        """``back``: the ``tgt -> src`` engine to use (its owner closes it); else ``load_back()``
        makes one on first use, which this scorer owns. ``forward``: a ``src -> tgt`` backend
        (``translate(texts) -> hypotheses``) for single words (its owner closes it; see
        ``use_forward``); else the default model is loaded the first time a name seems omitted."""
        self.source, self.target = resolve(src), resolve(tgt)  # every check reads these languages' packs
        self.src, self.tgt = self.source.tag, self.target.tag
        self.checks_off = g.checks_off(self.source, self.target)
        self._back, self._load_back, self._owns_back = back, load_back, back is None
        self._alone: dict[str, Any] = {self.tgt: forward} if forward is not None else {}  # single words: language -> backend
        self._owned: list[Any] = []
        self.quality = quality or QualityScorer(self.source, self.target, threshold=threshold)
        self._owns_quality = quality is None
        if threshold is not None:
            self.quality.threshold = threshold
        self._checker: MeaningChecker | None = None
        self._lock = threading.Lock()

    def score(self, sources: list[str], targets: list[str], guards: bool = True, context: bool = False) -> list[Scored]:
        """One ``Scored`` per pair, in order. ``guards``: also the cheap checks (the engine, which
        has run them on its own output, passes False). ``context``: the pairs are one text, whose
        names (``NameReader.names_in``) are names in every line."""
        if len(sources) != len(targets):
            raise ValueError(f"score: {len(sources)} sources but {len(targets)} translations")
        if not sources:
            return []
        checker = self._meaning()
        judged = [has_language(src) and not copied_on_purpose(src, tgt) for src, tgt in zip(sources, targets)]
        known = checker.reader.names_in(sources) if context else frozenset()
        reports = [checker.check(src, tgt, "", known) if ok else None for src, tgt, ok in zip(sources, targets, judged)]
        # the round trip only where the cheap checks leave doubt: a name not found, or too little of
        # the source covered by the translation's words and the lexicon (measured: a fifth of
        # Bergamot translations, a third of human ones, nearly every corrupted one)
        doubt = [i for i, r in enumerate(reports) if r is not None and (r.omitted or r.fewer or r.coverage < ROUND_TRIP_BELOW)]
        if self._back_engine() is not None:
            factors = self._round_trip(sources, targets, doubt, reports, known)
        else:  # no model the other way: the meaning factor from cross-lingual embeddings, and a
            # shorter translation closer to the source's first half than to all of it lost its second half
            sims, cut = self.quality.similarity_and_cut(sources, targets)
            factors = [meaning_factor(float(sim)) for sim in sims]
            for report, truncated in zip(reports, cut):
                if report is not None:
                    report.truncated = truncated
        self._words_alone(sources, targets, reports)
        self._rendered(sources, targets, reports)
        quality = self.quality.score_with_meaning(sources, targets, factors)
        out = []
        for s, t, report, (value, flags) in zip(sources, targets, reports, quality):
            evidence: dict[str, list[str]] = {f: [] for f in flags}
            if guards:
                evidence.update(self._guard_flags(s, t, checker))
            if report is not None:
                report.length_z = self.quality.length_z(s, t)
                evidence.update(report.flags())
            out.append(Scored(value, sorted(evidence), {k: v for k, v in sorted(evidence.items()) if v}))
        return out

    def _guard_flags(self, source: str, target: str, checker: MeaningChecker) -> dict[str, list[str]]:
        """``guard_flags``, less a month or weekday of a longer name that the target writes in its own
        script (``The Sunday Times`` -> ``«Санди Таймс»``, ``April Ryan`` -> ``Эйприл Райан``)."""
        flags = guard_flags(source, target, self.source, self.target)
        wrong = [w for w in flags.pop(g.NUMBER_MISMATCH, []) if not checker.written_across(w, source, target)]
        if wrong:
            flags[g.NUMBER_MISMATCH] = wrong
        return flags

    def _round_trip(self, sources: list[str], targets: list[str], doubt: list[int],
                    reports: list[MeaningReport | None], known: frozenset[str]) -> list[float]:
        """Meaning factors from the round trip of the ``doubt`` lines (1 elsewhere); their reports
        checked again with the back-translation."""
        from sacrebleu.metrics import CHRF

        checker, chrf = self._meaning(), CHRF()
        factors = [1.0] * len(sources)
        backs = dict(zip(doubt, self.back_translate([targets[i] for i in doubt])))
        for i, back in backs.items():
            factors[i] = round_trip_meaning(chrf.sentence_score(back, [sources[i]]).score, len(sources[i])) if back.strip() else 0.0
            reports[i] = checker.check(sources[i], targets[i], back, known)
            reports[i].round_trip = factors[i]
        # a free rendering reads back in other words: where chrF finds little of the source, the
        # embeddings of the source and the back-translation (one language) judge the meaning
        low = [i for i, back in backs.items() if factors[i] < PARAPHRASE_BELOW and back.strip()]
        if low:
            sims = self.quality.similarity([sources[i] for i in low], [backs[i] for i in low])
            for i, sim in zip(low, sims):
                factors[i] = max(factors[i], paraphrase_meaning(float(sim)))
        return factors

    def use_forward(self, backend: Any) -> None:
        """Translate single words with ``backend`` (the engine's own model; its owner closes it)
        unless this scorer already has one."""
        with self._lock:
            if self._alone.get(self.tgt) is None:
                self._alone[self.tgt] = backend

    def _words_alone(self, sources: list[str], targets: list[str], reports: list[MeaningReport | None]) -> None:
        """Names still omitted or added after the round trip, each translated by a model: a doubtful
        one (a name or a word; ``Jim`` asked as ``Jim Furyk``, with the name it opens) is omitted
        where the model into the vocabulary's language carries it over in each of the source pack's
        ``name_frames``, sentences where a name stays a name (``Nicholas said.``, ``Rosa``; not
        ``Allies`` -> ``Os aliados``; for a word the report marks ``adapted``, also in that language's
        spelling: ``Tibete``); an omitted word whose translation alone the target has is a
        word of the language written with a capital, not a name dropped; an added word that
        translates back into a word of the source is its translation."""
        checker = self._meaning()
        doubtful = list(dict.fromkeys(name for r in reports if r is not None for _, name in r.doubtful))
        vocabulary = checker.vocabulary  # the pair's own model where the vocabulary is the pair's
        oracle = self._words_to(self.tgt if vocabulary.target == self.target.code else vocabulary.target) \
            if doubtful and vocabulary is not None else None
        if oracle is not None:
            frames = (self.source.section("names") or {}).get("name_frames", ["{}"])
            said = [dict(zip(doubtful, (h.text for h in oracle.translate([f.format(w) for w in doubtful])))) for f in frames]
            for r in reports:
                if r is not None:
                    r.omitted += [w for w, name in r.doubtful
                                  if all(checker.carried_over(w, s[name], w in r.adapted) for s in said)]
        omitted = list(dict.fromkeys(w for r in reports if r is not None for w in r.omitted))
        forward = self._words_to(self.tgt) if omitted else None
        if forward is not None:
            alone = dict(zip(omitted, (h.text for h in forward.translate(omitted))))
            for r, target in zip(reports, targets):
                if r is not None and r.omitted:
                    r.omitted = [w for w in r.omitted if not checker.rendered(target, alone[w])]
        added = [(i, w) for i, r in enumerate(reports) if r is not None for w in r.added if not w[:1].isdigit()]
        if added and self._back_engine() is not None:
            words = list(dict.fromkeys(w for _, w in added))
            back = dict(zip(words, self.back_translate(words)))
            for i, w in added:
                report = reports[i]
                if report is not None and w in checker.explained(sources[i], [w], [back[w]]):
                    report.added.remove(w)

    def _rendered(self, sources: list[str], targets: list[str], reports: list[MeaningReport | None]) -> None:
        """Names still omitted that the translation renders in other words, by the embeddings of the
        source with and without the name against the back-translation where there is one, else the
        translation (``QualityScorer.word_weights``: ``Beijing`` for China's government = ``Китай``)."""
        asked = {(s, r.back or t, w): NAME_RENDERED_BACK if r.back else NAME_RENDERED
                 for s, t, r in zip(sources, targets, reports) if r is not None for w in r.omitted}
        if not asked:
            return
        cases = list(asked)
        rendered = {case for case, weight in zip(cases, self.quality.word_weights(cases)) if weight > asked[case]}
        for s, t, r in zip(sources, targets, reports):
            if r is not None and r.omitted:
                r.omitted = [w for w in r.omitted if (s, r.back or t, w) not in rendered]

    def back_translate(self, targets: list[str]) -> list[str]:
        """``targets`` translated back into the source language (each distinct text once)."""
        unique = list(dict.fromkeys(t for t in targets if t.strip()))
        back = dict(zip(unique, (tr.text for tr in self._back_engine().translate_texts(unique))))
        return [back.get(t, "") for t in targets]

    def close(self) -> None:
        with self._lock:
            if self._owns_back and self._back is not None:
                self._back.close()
                self._back = None
            if self._owns_quality:
                self.quality.close()
            for backend in self._owned:
                backend.close()
            self._alone = {k: v for k, v in self._alone.items() if v not in self._owned}
            self._owned.clear()

    def __enter__(self) -> PairScorer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _back_engine(self) -> Any:
        """The ``tgt -> src`` engine, loaded on first use; None where there is none (no round trip)."""
        with self._lock:
            if self._back is None and self._load_back is not None:
                try:
                    self._back = self._load_back()
                except (ModelError, LanguageError):
                    self._load_back = None
            return self._back

    def _words_to(self, tgt: str) -> Any:
        """A ``src -> tgt`` backend for single words, loaded on first use; None where there is none."""
        with self._lock:
            if tgt not in self._alone:
                from .config import TranslateConfig
                from .models import resolve
                from .translate.registry import create_backend

                try:
                    resolved = resolve(self.src, tgt)
                except (ModelError, LanguageError):
                    self._alone[tgt] = None
                    return None
                self._alone[tgt] = create_backend(resolved, TranslateConfig(tgt=tgt, threads=1), self.src, tgt)
                self._owned.append(self._alone[tgt])
            return self._alone[tgt]

    def _meaning(self) -> MeaningChecker:
        with self._lock:
            if self._checker is None:
                from .translate.lexicon import Lexicon

                pair = Lexicon.for_pair(self.source.code, self.target.code)
                self._checker = MeaningChecker(self.source, self.target, pair, pair or Lexicon.for_source(self.source.code))
            return self._checker


def score_pairs(sources: list[str], translations: list[str], scorer: PairScorer | QualityScorer) -> list[dict[str, Any]]:
    """One JSON-ready record per pair: ``{"line", "src", "tgt", "score", "flags", "evidence"}``
    (``line`` 1-based), the pairs read as one text. With a ``QualityScorer`` (no model the other
    way) the checks by value still run; omissions and additions need the round trip."""
    if isinstance(scorer, QualityScorer):  # no model the other way: every check but the round trip
        with PairScorer(scorer.source, scorer.target, quality=scorer) as pair:
            scored = pair.score(sources, translations, context=True)
    else:
        scored = scorer.score(sources, translations, context=True)
    return [{"line": i, "src": s, "tgt": t, "score": r.score, "flags": r.flags, "evidence": r.evidence}
            for i, (s, t, r) in enumerate(zip(sources, translations, scored), 1)]


def read_pairs(source: Path, translation: Path | None = None) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(line number, source, translation) per pair, and what is wrong with each line that holds
    none: two line-aligned text files, or one JSONL file whose records have ``src`` and ``tgt``
    (blank lines skipped; a bad line costs only itself). Files are decoded as every input is; an
    unreadable file or files of unequal length raise InputError (exit 2)."""
    from .sources import file_lines
    from .sources.jsonl import parse_record

    if translation is None:
        pairs, errors = [], []
        for n, line in enumerate(file_lines(source), 1):
            if not line.strip():
                continue
            try:
                rec = parse_record(line, f"{source}:{n}")
            except InputError as e:
                errors.append(str(e))
                continue
            if isinstance(rec.get("src"), str) and isinstance(rec.get("tgt"), str):
                pairs.append((n, rec["src"], rec["tgt"]))
            else:
                errors.append(f"{source}:{n}: expected string fields \"src\" and \"tgt\"")
        return pairs, errors
    src_lines, tgt_lines = file_lines(source), file_lines(translation)
    if len(src_lines) != len(tgt_lines):
        raise InputError(f"{source} has {len(src_lines)} lines but {translation} has {len(tgt_lines)}: "
                         "they must be line-aligned")
    return [(n, s, t) for n, (s, t) in enumerate(zip(src_lines, tgt_lines), 1)], []


def summary_line(records: list[dict[str, Any]], seconds: float | None = None) -> str:
    """``scored N pairs (mean score S); flags: name n, ...`` for ``newsmt score``."""
    n = len(records)
    flags = Counter(f for r in records for f in r["flags"])
    scores = [r["score"] for r in records if r["score"] is not None]
    mean = sum(scores) / len(scores) if scores else 0.0
    timing = f" in {seconds:.1f} s" if seconds is not None else ""
    listed = ", ".join(f"{k} {v}" for k, v in sorted(flags.items())) or "none"
    return f"scored {n} pair{'s' if n != 1 else ''}{timing} (mean score {mean:.3f}); flags: {listed}"
